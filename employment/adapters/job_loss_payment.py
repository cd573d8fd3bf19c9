"""The job-loss payment application sent to the State Social Insurance Fund through the gateway
(``employment.service_layer.ports.JobLossPaymentFund``), UN-5 (Rules No. 259 §35; regulation 004 §1 (2)).

The ``paymentApplication`` (:mod:`contracts.job_loss_payment`) of channel ``EMPLOYMENT_CENTRE`` carries the
applicant as the person registry gave them, the identity document, the certificate of registration as unemployed
when one was issued, the agreement that opened the bank account, the IBAN and the person's consent; it is checked
against its schema, signed with the EDS of the centre's specialist (official ``employment-worker``) and sent as
text on ``GFSS_JobLossPayment``. The answer is the fund's ``applicationReceipt`` (registration number, deadline of
the service); the fund registers an application id once, so a retry answers the first receipt. Failures: see
:mod:`employment.adapters.gateway_calls`.
"""

from __future__ import annotations

from adapters.pki import Credential
from adapters.shep.envelope import Payload
from adapters.shep.service_call import SyncSender
from adapters.signed_documents import sign_to_text
from contracts import job_loss_payment as jl
from employment.adapters.gateway_calls import call
from employment.domain.models import Sex
from employment.service_layer.ports import (
    AttachedPaper,
    ExternalSystemUnavailable,
    JobLossPaymentApplication,
    PaymentApplicationReceipt,
    PortRefused,
)

__all__ = ["GatewayJobLossPaymentFund", "payment_application"]

SYSTEM = "the State Social Insurance Fund"


def _document(kind: jl.DocumentKind, paper: AttachedPaper, iin: str) -> jl.AttachedDocument:
    return jl.AttachedDocument(kind, paper.number, paper.issued_on, paper.valid_until, iin)


def payment_application(application: JobLossPaymentApplication) -> jl.PaymentApplication:
    """The contract's ``paymentApplication`` of channel ``EMPLOYMENT_CENTRE`` (consent: the centre sends it only
    with the person's consent, UN-5)."""
    iin = application.iin
    documents = [_document(jl.DocumentKind.IDENTITY_DOCUMENT, application.identity_document, iin)]
    if application.unemployed_certificate is not None:
        documents.append(_document(jl.DocumentKind.UNEMPLOYED_CERTIFICATE, application.unemployed_certificate, iin))
    documents.append(_document(jl.DocumentKind.BANK_ACCOUNT, application.bank_agreement, iin))
    return jl.PaymentApplication(
        application_id=application.application_id,
        submitted_at=application.submitted_at,
        channel=jl.Channel.EMPLOYMENT_CENTRE,
        applicant=jl.Applicant(
            iin=iin,
            surname=application.surname,
            name=application.name,
            patronymic=application.patronymic,
            birth_date=application.birth_date,
            sex=jl.Sex.MALE if application.sex is Sex.MALE else jl.Sex.FEMALE,
        ),
        documents=tuple(documents),
        bank_account=application.iban,
        consent=True,
    )


class GatewayJobLossPaymentFund:
    def __init__(self, sender: SyncSender, specialist: Credential) -> None:
        self._sender = sender
        self._specialist = specialist

    def apply(self, application: JobLossPaymentApplication) -> PaymentApplicationReceipt:
        document = jl.write_application(payment_application(application))
        try:
            jl.check_against_schema(document)
        except jl.JobLossPaymentPayloadError as exc:  # e.g. a document number the contract cannot carry
            raise PortRefused(f"the application {application.application_id} cannot be written: {exc}") from exc
        answer = call(
            self._sender,
            jl.APPLICATION_SERVICE,
            Payload(text=sign_to_text(document, self._specialist)),
            application.correlation_id,
            SYSTEM,
        )
        try:
            jl.check_against_schema(answer)
            receipt = jl.read_receipt(answer)
        except jl.JobLossPaymentPayloadError as exc:
            raise ExternalSystemUnavailable(SYSTEM, f"the receipt cannot be read: {exc}") from exc
        if receipt.application_id != application.application_id:
            raise ExternalSystemUnavailable(
                SYSTEM, f"the receipt names application {receipt.application_id}, not {application.application_id}"
            )
        return PaymentApplicationReceipt(
            receipt.application_id, receipt.registration_number, receipt.registered_at, receipt.deadline
        )
