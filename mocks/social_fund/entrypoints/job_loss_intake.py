"""The fund's regional gateway workstation (regulation 004 §8 process 6, §9 (8)): ``GFSS_JobLossPayment`` and
``GFSS_JobLossPaymentResult`` (payloads: :mod:`contracts.job_loss_payment`).

``GFSS_JobLossPayment``: each message is read as hostile, and refused with an SCE code before anything is stored:

1. the application travels as signed XML text (SCE017 if there is none), read with the hardened parser within the
   size limit, valid against ``wsdl/xsd/job-loss-payment.xsd`` and a ``paymentApplication`` (SCE001);
2. the enveloped signature verifies on the ecosystem's clock (SCE017 unsigned, SCE016 invalid, SCE015 expired or
   revoked) and is the business signature of its channel (SCE016 otherwise): ``PORTAL`` the applicant (or the
   representative named in it; SP-5, SP-6) by IIN; ``STATE_CORPORATION`` an operator of the State Corporation
   (certificate BIN 160640010002; SP-2, SP-3); ``EMPLOYMENT_CENTRE`` a specialist of the centre (BIN
   000340010007; UN-5); ``DEPARTMENT`` never arrives here (the clerk registers it through the department API);
3. the IINs' check digits (SCE001);
4. the channel is the sender's own (SCE003): ``PORTAL`` from the portal (``EGOV_PORTAL``), ``STATE_CORPORATION``
   from the State Corporation (``GK_IIS``), ``EMPLOYMENT_CENTRE`` from the centre (``ENBEK_LABOUR_MARKET``), as the
   centre reads the channel of a registration from its sender; so a system cannot file under another's channel
   (its stage reports, its delivery of the result) an application someone signed for that channel.

Then the service layer registers it (once per id) and checks the documents; the answer is the
``applicationReceipt`` with the registration number and the service's deadline (``alreadyRegistered`` for a
repeated id). ``GFSS_JobLossPaymentResult`` answers ``applicationStatus``: the stage, its time, the deadline and,
once issued (or refused), the head-signed notification and notices as their exact signed text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from adapters.pki import TrustStore
from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode, business_signature_code
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from adapters.signatures import SignatureError, verify_document
from adapters.xml import XmlRejected, parse_xml
from contracts import job_loss_payment as contract
from contracts.job_loss_payment_model import (
    ApplicationReceipt,
    ApplicationStatus,
    Channel,
    PaymentApplication,
    Stage,
)
from ecosystem.catalogue import system
from kernel.iin import is_valid_iin
from mocks.social_fund.service_layer.ports import Application, ApplicationConflict
from mocks.social_fund.service_layer.services import FundServices, Receive


def receipt_of(application: Application, repeated: bool) -> ApplicationReceipt:
    return ApplicationReceipt(
        application.application_id,
        application.registration_number,
        application.registered_at,
        application.deadline,
        already_registered=repeated,
    )


def status_of(services: FundServices, application_id: str) -> ApplicationStatus:
    found = services.store.get(application_id)
    if found is None:
        return ApplicationStatus(application_id, found=False)
    signed = found.signed_decision if found.stage in (Stage.REFUSED.value, Stage.RESULT_ISSUED.value) else None
    return ApplicationStatus(
        application_id=application_id,
        found=True,
        stage=Stage(found.stage),
        stage_at=found.stage_at,
        deadline=found.deadline,
        signed_decision=signed,
        signed_notices=tuple(notice.signed for notice in services.store.notices(application_id)),
    )


@dataclass(frozen=True)
class JobLossIntake:
    services: FundServices
    trust: TrustStore
    now: Callable[[], datetime]
    max_bytes: int
    state_corporation_bin: str
    centre_bin: str

    def handles(self, service_id: str) -> bool:
        return service_id in (contract.APPLICATION_SERVICE, contract.RESULT_SERVICE)

    def __call__(self, message: InboundMessage) -> Payload:
        if message.info.service_id == contract.RESULT_SERVICE:
            return self._status(message)
        text = message.payload.text
        if not text:
            raise ProviderError(
                ErrorCode.BUSINESS_DATA_NOT_SIGNED,
                "the application must be carried as a signed XML document (xsi:type xs:string)",
            )
        document = self._read(text)
        try:
            verified = verify_document(document, self.trust, self.now())
        except SignatureError as exc:
            raise ProviderError(business_signature_code(exc), str(exc)) from exc
        try:
            application = contract.read_application(verified.document)
        except contract.JobLossPaymentPayloadError as exc:
            raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
        self._check(application, verified.signer.iin, verified.signer.bin, verified.signer.describe())
        self._check_sender(application.channel, message.info.sender_id)
        try:
            stored, repeated = self.services.receive(
                Receive(
                    application, message.info.sender_id, verified.signer.describe(), message.info.correlation_id, text
                )
            )
        except ApplicationConflict as exc:
            raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
        return Payload(element=contract.write_receipt(receipt_of(stored, repeated)))

    def _read(self, text: str) -> etree._Element:
        try:
            document = parse_xml(text, max_bytes=self.max_bytes)
            contract.check_against_schema(document)
        except XmlRejected as exc:
            raise ProviderError(ErrorCode.MALFORMED, f"the payload is not acceptable XML: {exc}") from exc
        except contract.JobLossPaymentPayloadError as exc:
            raise ProviderError(ErrorCode.MALFORMED, f"the payload does not match {contract.SCHEMA}: {exc}") from exc
        if document.tag != contract.APPLICATION_TAG:
            raise ProviderError(ErrorCode.MALFORMED, f"{contract.APPLICATION_SERVICE} carries a paymentApplication")
        return document

    def _check(self, application: PaymentApplication, iin: str | None, bin_: str | None, signer: str) -> None:
        """The business signature of the channel (SP-5, SP-6, SP-2, UN-5) and the IINs' check digits."""
        for where, value in (
            ("applicant/iin", application.applicant.iin),
            *((("representative/iin", application.representative.iin),) if application.representative else ()),
        ):
            if not is_valid_iin(value):
                raise ProviderError(ErrorCode.MALFORMED, f"{where} {value!r} is not a valid IIN (check digit)")
        channel = application.channel
        if channel is Channel.PORTAL:
            allowed = {application.applicant.iin}
            if application.representative is not None:
                allowed.add(application.representative.iin)
            if iin not in allowed:
                raise ProviderError(
                    ErrorCode.BUSINESS_SIGNATURE_INVALID,
                    f"an application from the portal is signed by the applicant (or their representative), not by "
                    f"{signer} (SP-5, SP-6)",
                )
        elif channel is Channel.STATE_CORPORATION:
            if iin is None or bin_ != self.state_corporation_bin:
                raise ProviderError(
                    ErrorCode.BUSINESS_SIGNATURE_INVALID,
                    f"an application from the State Corporation is signed by its operator (BIN "
                    f"{self.state_corporation_bin}), not by {signer} (SP-2)",
                )
        elif channel is Channel.EMPLOYMENT_CENTRE:
            if iin is None or bin_ != self.centre_bin:
                raise ProviderError(
                    ErrorCode.BUSINESS_SIGNATURE_INVALID,
                    f"an application from the employment centre is signed by its specialist (BIN {self.centre_bin}), "
                    f"not by {signer} (UN-5)",
                )
        else:
            raise ProviderError(
                ErrorCode.MALFORMED, "a department application is registered by the clerk, not sent through the gateway"
            )

    @staticmethod
    def _check_sender(channel: Channel, sender_id: str) -> None:
        """The channel of a gateway application is its sender's (regulation 004 §1: the portal, the State Corporation;
        UN-5: the centre)."""
        senders = {
            Channel.PORTAL: system("portal").sender_id,
            Channel.STATE_CORPORATION: system("state_corp").sender_id,
            Channel.EMPLOYMENT_CENTRE: system("employment").sender_id,
        }
        if senders.get(channel) != sender_id:
            raise ProviderError(
                ErrorCode.ACCESS_DENIED, f"{sender_id} may not send an application of the channel {channel.value}"
            )

    def _status(self, message: InboundMessage) -> Payload:
        try:
            query = contract.read_status_query(message.payload.document(self.max_bytes))
        except (XmlRejected, contract.JobLossPaymentPayloadError) as exc:
            raise ProviderError(ErrorCode.MALFORMED, f"not an applicationStatusQuery: {exc}") from exc
        return Payload(element=contract.write_status(status_of(self.services, query.application_id)))
