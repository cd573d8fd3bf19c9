"""The portal's path of the social payment for loss of job (SP-4..SP-6; regulation 004 §9; Social Code Arts. 113-119).

1. :meth:`JobLossApplications.apply` (SP-4, §9 (1)-(5)): the logged-in citizen's form is checked and written
   as the ``paymentApplication`` of channel PORTAL (:mod:`mocks.portal.job_loss_form`);
2. SP-5 (§9 (6)-(7)): the EDS certificate chosen to sign is checked before anything is stored or sent —
   valid on the ecosystem's clock, not revoked (the NCA's CRL), its IIN the request's
   (:mod:`mocks.portal.signing_check`). A refusal names the failed check, is written to the portal's log,
   and leaves nothing behind; then the application must be in the citizen's own name;
3. signed with that key, the application is stored "In progress" with its outbox message in one transaction;
   :class:`JobLossDelivery` sends it through the gateway as ``GFSS_JobLossPayment`` to the fund's regional
   workstation, and records its ``applicationReceipt`` (registration number, the service's deadline: §9 (9));
   the cabinet then says "In progress" with the deadline. Faults are handled by :mod:`mocks.portal.outcomes`;
4. SP-6 (§9 (10)-(11)): the fund's notification of assignment or refusal, signed by the department's
   authorised person, reaches the cabinet over ``EGOV_CabinetDocument`` (kind ``job-loss-payment-decision``);
   :meth:`JobLossResults.link` records it as the result of the application it names (status "Done", the
   outcome as the result kind). Notices of suspension or termination (Art. 119, kind
   ``job-loss-payment-notice``) are kept in the cabinet and shown with the decision they name.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime

from lxml import etree

from adapters.pki import Credential
from adapters.shep import ErrorCode, Payload
from adapters.shep.service_call import SyncSender
from adapters.signatures import sign_document
from adapters.storage import DeliveryRefused, Outbox
from adapters.xml import XmlLimits, XmlRejected
from contracts import job_loss_payment as jl
from kernel.clock import almaty
from mocks.portal.applications import ApplicationNotFoundError, ApplicationView, NoSigningKeyError, view_of
from mocks.portal.document_kinds import VerifiedDocument
from mocks.portal.job_loss_form import FormFacts, build_application
from mocks.portal.job_loss_schemas import JobLossApplicationRequest
from mocks.portal.job_loss_store import JobLossReceiptRow, JobLossStore
from mocks.portal.outcomes import UntrustedResultError
from mocks.portal.signing_check import NcaUnavailableError, SigningCertificateCheck, SigningCertificateRefused
from mocks.portal.storage import (
    JOB_LOSS_SERVICE,
    JOB_LOSS_TOPIC,
    ApplicationEventRow,
    ApplicationRow,
    ApplicationStatus,
    CabinetDocumentRow,
    PortalStore,
)
from mocks.portal.submission import ResultKeeper

LOG = logging.getLogger(__name__)

SERVICE_TITLE = "Social payment for loss of job"


class NotOwnApplicationError(Exception):
    """The request names an applicant other than the logged-in citizen (the portal applies in one's own name)."""


class JobLossApplications:
    """Accept, check (SP-5), sign and store job-loss payment applications (SP-4)."""

    def __init__(
        self,
        store: PortalStore,
        outbox: Outbox,
        citizen_credential: Callable[[str], Credential],
        signing_check: SigningCertificateCheck,
        facts: FormFacts,
        now: Callable[[], datetime],
        *,
        on_submitted: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._outbox = outbox
        self._credential = citizen_credential
        self._check = signing_check
        self._facts = facts
        self._now = now
        self._on_submitted = on_submitted

    def apply(self, citizen_iin: str, form: JobLossApplicationRequest) -> ApplicationView:
        """Check, sign and store the application, then wake the outbox; raises (nothing stored) on a refusal."""
        now = self._now().astimezone(almaty()).replace(microsecond=0)
        application_id = f"EGOV-JLP-{now:%Y}-{uuid.uuid4().hex[:12].upper()}"
        request_iin = form.applicantIin or citizen_iin
        application = build_application(application_id, now, request_iin, form, self._facts)
        holder = form.certificateIin or citizen_iin
        try:
            credential = self._credential(holder)
        except FileNotFoundError as exc:
            raise NoSigningKeyError(
                f"no EDS key and certificate of {holder}; the application is signed with the applicant's EDS (SP-4)"
            ) from exc
        try:
            self._check.check(credential.certificate, request_iin)
        except (SigningCertificateRefused, NcaUnavailableError) as exc:
            LOG.warning("job-loss application of %s refused before sending, nothing stored: %s", citizen_iin, exc)
            raise
        if request_iin != citizen_iin:
            LOG.warning("job-loss application of %s for %s refused: not in their own name", citizen_iin, request_iin)
            raise NotOwnApplicationError(
                f"you are logged in as {citizen_iin}: the portal sends an application in your own name only; "
                f"{request_iin} applies with their own login or through a representative at the State Corporation"
            )
        signed = etree.tostring(sign_document(jl.write_application(application), credential), encoding="unicode")
        row = ApplicationRow(
            id=application_id,
            iin=citizen_iin,
            service=JOB_LOSS_SERVICE,
            status=ApplicationStatus.IN_PROGRESS.value,
            submitted_at=now,
            signed_form=signed,
        )
        self._store.add_application(row, self._outbox, JOB_LOSS_TOPIC)
        LOG.info("job-loss application %s of %s accepted for delivery", application_id, citizen_iin)
        self._on_submitted()
        return view_of(row)

    def application(self, citizen_iin: str, application_id: str) -> ApplicationRow:
        row = self._store.application(application_id)
        if row is None or row.iin != citizen_iin or row.service != JOB_LOSS_SERVICE:
            raise ApplicationNotFoundError(f"you have no job-loss payment application {application_id!r}")
        return row


def receipt_notice(receipt: JobLossReceiptRow) -> str:
    """What the cabinet says of an application the fund registered (§9 (9))."""
    registered = receipt.registered_at.astimezone(almaty())
    deadline = receipt.deadline.astimezone(almaty())
    return (
        f"Registered by the social insurance fund's branch as No. {receipt.registration_number} on "
        f"{registered:%d.%m.%Y %H:%M}; the decision is due by {deadline:%d.%m.%Y %H:%M} (UTC+05:00)."
    )


class JobLossDelivery:
    """The outbox's delivery function of job-loss applications (payload ``{"applicationId": …}``)."""

    def __init__(
        self,
        store: PortalStore,
        receipts: JobLossStore,
        keeper: ResultKeeper,
        sync_sender: Callable[[], SyncSender],
        now: Callable[[], datetime],
        *,
        max_bytes: int,
        limits: XmlLimits | None = None,
    ) -> None:
        self._store = store
        self._receipts = receipts
        self._keeper = keeper  # only its classification of a failed attempt is used
        self._sync = sync_sender
        self._now = now
        self._max_bytes = max_bytes
        self._limits = limits

    def __call__(self, payload: dict[str, object]) -> None:
        application_id = str(payload.get("applicationId", ""))
        row = self._store.application(application_id)
        if row is None or row.service != JOB_LOSS_SERVICE:
            raise DeliveryRefused(f"no job-loss application {application_id!r} in the portal's store")
        if row.status != ApplicationStatus.IN_PROGRESS.value or self._receipts.receipt(row.id) is not None:
            return  # registered or finished before: a repeated delivery after a crash
        try:
            reply = self._sync().send(
                jl.APPLICATION_SERVICE, Payload(text=row.signed_form or ""), correlation_id=row.id
            )
            receipt = self._receipt(reply.payload, row.id)
            kept = JobLossReceiptRow(
                application_id=row.id,
                registration_number=receipt.registration_number,
                registered_at=receipt.registered_at,
                deadline=receipt.deadline,
            )
            event = ApplicationEventRow(
                message_id=reply.message_id or f"receipt-{row.id}",
                application_id=row.id,
                kind="accepted",
                correlation_id=row.id,
                text=receipt_notice(kept),
                at=self._now(),
            )
            self._receipts.record_receipt(kept, event)
            LOG.info("job-loss application %s registered by the fund as %s", row.id, receipt.registration_number)
        except Exception as exc:  # every failure is classified (mocks.portal.outcomes), none is swallowed
            self._keeper.failed(row, exc)

    def _receipt(self, payload: Payload, application_id: str) -> jl.ApplicationReceipt:
        try:
            element = payload.document(self._max_bytes, self._limits)
            jl.check_against_schema(element)
            receipt = jl.read_receipt(element)
        except (XmlRejected, jl.JobLossPaymentPayloadError) as exc:
            raise UntrustedResultError(ErrorCode.MALFORMED, f"the fund's answer is not a receipt: {exc}") from exc
        if receipt.application_id != application_id:
            raise UntrustedResultError(
                ErrorCode.MALFORMED, f"the fund's receipt is for {receipt.application_id!r}, not {application_id!r}"
            )
        return receipt


class JobLossResults:
    """SP-6: a decision kept in the cabinet becomes the result of the portal application it names."""

    def __init__(self, store: PortalStore, now: Callable[[], datetime]) -> None:
        self._store = store
        self._now = now

    def link(self, kept: CabinetDocumentRow, verified: VerifiedDocument) -> None:
        """Record a kept ``job-loss-payment-decision`` as its application's result (once; again is no change).
        A decision on an application made elsewhere (State Corporation, department, centre) is only kept."""
        if kept.kind != jl.DECISION_DOCUMENT_KIND:
            return
        decision = jl.read_decision(verified.signed)
        row = self._store.application(decision.application_id)
        if row is None or row.service != JOB_LOSS_SERVICE or row.iin != decision.applicant_iin:
            return
        if self._store.finish_application(
            row.id,
            status=ApplicationStatus.DONE.value,
            result_kind=decision.outcome.value,
            result_document=kept.document,
            signer_common_name=kept.signer_common_name,
            signer_iin=kept.signer_iin,
            signer_bin=kept.signer_bin,
            finished_at=self._now(),
        ):
            LOG.info("job-loss application %s done: %s (%s)", row.id, decision.outcome.value, decision.decision_id)
