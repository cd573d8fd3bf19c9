"""Interfaces of the state systems outside the employment centre that the handlers call.

Real adapters (through the gateway) live in ``employment.adapters``; fakes live in ``tests/fakes``. The
transaction boundary and the repositories are in :mod:`employment.service_layer.unit_of_work`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from employment.domain.models import (
    AcceptanceDecision,
    Applicant,
    InsuranceHistory,
    RegistrationDecision,
    RegistryRecord,
    Sex,
    StageReport,
)
from employment.domain.rules.unemployed_draft import DraftDecision


class ExternalSystemUnavailable(Exception):
    """A state system needed for the decision did not answer (or answered something unreadable); nothing
    was decided. ``system`` is the plain name of that system, safe to tell the sender; ``detail`` is for
    the centre's own log only (it may name internal addresses)."""

    def __init__(self, system: str, detail: str) -> None:
        super().__init__(f"{system}: {detail}")
        self.system = system
        self.detail = detail


class StageReportRefused(Exception):
    """The monitoring IS (or the gateway in front of it) refused a stage report for good: sending the same
    report again cannot succeed."""


class PersonRegistry(Protocol):
    def find(self, iin: str, correlation_id: str | None) -> RegistryRecord | None: ...


class ContributionsSource(Protocol):
    def history(self, iin: str, period_from: date, period_to: date, correlation_id: str | None) -> InsuranceHistory:
        """Contributions for the months ``period_from``..``period_to`` and the employment periods not ended
        before ``period_from`` (State Social Insurance Fund)."""
        ...


class StageReporter(Protocol):
    def report(self, report: StageReport) -> None:
        """Deliver one stage report (JS-8); raise :class:`StageReportRefused` for a refusal that a retry
        cannot cure, anything else for a failure worth another attempt."""
        ...


class ResultDocuments(Protocol):
    def issue(self, application_id: str, applicant: Applicant, decision: RegistrationDecision) -> str:
        """The signed result document (Rules Annex 3 or Annex 2) as XML text."""
        ...

    def issue_not_accepted(self, application_id: str, applicant: Applicant, refusal: AcceptanceDecision) -> str:
        """The signed reasoned refusal to accept the application (standard item 9) as XML text."""
        ...


@dataclass(frozen=True)
class StoredApplication:
    application_id: str
    iin: str
    correlation_id: str | None
    received_at: datetime
    deadline: datetime
    registered: bool
    reasons: list[dict[str, str]]
    document: str
    applicant_signature: str  # the verified signature on the form: the applicant's, or who signed in their place
    channel: str = "PORTAL"  # where the person applied (employment.domain.rules.channels.Channel)


# ---- the register (issue 7): ports to the local authority, the portal's cabinet and the fund --------------


class PortRefused(Exception):
    """The other system refused the message for good (a retry with the same content cannot succeed); the
    dispatch is set aside with this error for someone to look at. Anything else raised by a port is either
    :class:`ExternalSystemUnavailable` (tried again later) or a bug."""


@dataclass(frozen=True)
class UnemployedDocumentsPackage:
    """UN-1 (Rules No. 259 §31): the job seeker's documents and the director-approved draft decision, sent
    through the gateway to the local authority (service ``MIO_UnemployedRegistration``)."""

    case_id: str  # the centre's registration case; the authority answers with it (idempotency key)
    iin: str
    full_name: str
    birth_date: date
    registered_as_job_seeker_on: date
    trigger: str  # why UN-1 started: no suitable work within the JS-9 period, or the offer refused
    proposes_registration: bool
    proposal_reasons: tuple[tuple[str, str], ...]  # (rule id, text) of the draft's refusal grounds
    draft_document: str  # the draft decision signed with the director's EDS (XML text)
    drafted_on: date
    correlation_id: str | None


@dataclass(frozen=True)
class DeregistrationRequest:
    """DR-1 (Rules No. 259 §44): the centre's request to remove an unemployed person (``MIO_Deregistration``)."""

    request_id: str  # idempotency key; the authority's decision names it
    iin: str
    full_name: str
    ground: int  # 1..7
    rule_id: str  # "DR-1 (n)"
    finding: str  # the ground as established, in words
    facts: tuple[tuple[str, str], ...]
    information_received_at: datetime
    source: str  # who reported it (the fund, a court, the person registry, the centre)
    correlation_id: str | None
    unemployed_since: date  # the day the person was registered as unemployed (the authority checks from it)


@dataclass(frozen=True)
class AuthorityReceipt:
    """The local authority's synchronous answer: it received the package or the request."""

    reference: str  # the case id or request id it received
    authority_case_id: str
    received_at: datetime
    decision_due: datetime


class LocalAuthority(Protocol):
    """The local employment authority (its own system behind the gateway). Both calls are idempotent by the
    package's ``case_id`` / the request's ``request_id``: a repeated send answers the first receipt."""

    def send_unemployed_documents(self, package: UnemployedDocumentsPackage) -> AuthorityReceipt: ...

    def send_deregistration(self, request: DeregistrationRequest) -> AuthorityReceipt: ...


@dataclass(frozen=True)
class UnemployedNotice:
    """UN-3 / UN-5 (Rules No. 259 §33, §35): the notification of registration as unemployed (Annex 4: the
    registration date and the last day a certificate issued today would be valid) or of refusal (Annex 5:
    the grounds), with the documents needed for the job-loss payment (UN-5)."""

    case_id: str
    iin: str
    full_name: str
    issued_on: date
    registered: bool
    registered_on: date | None
    certificate_valid_until: date | None
    reasons: tuple[tuple[str, str], ...]
    decision_id: str
    payment_documents: tuple[str, ...]
    decided_on: date  # the day the authority's head signed the decision the notice reports
    decision_signed_by: str | None = None  # who signed the authority's decision (its head; §32)


@dataclass(frozen=True)
class CertificateDocument:
    """CE-2 / CE-3 (Rules No. 259 §38, §43; Annexes 6-8): the certificate (Annex 8: registered since, issued on,
    valid until inclusive) or the reasoned refusal."""

    application_id: str
    iin: str
    full_name: str
    issued_on: date
    registered_on: date | None
    valid_until: date | None
    reasons: tuple[tuple[str, str], ...]
    decision_id: str | None = None  # the authority's decision that registered the person (Annex 8 names it)
    decided_on: date | None = None


@dataclass(frozen=True)
class DeregistrationNotice:
    """DR-2 (Rules No. 259 §45): the notification that the person was removed from the register."""

    request_id: str
    iin: str
    full_name: str
    issued_on: date
    deregistered_on: date
    rule_id: str  # "DR-1 (n)"
    finding: str
    decision_id: str
    reregistration_barred_until: date | None  # Social Code Art. 100 p.2
    decision_signed_by: str | None = None  # who signed the authority's decision (its head; §45)


@dataclass(frozen=True)
class UnemployedDraft:
    """UN-1 (§31): the draft decision with what the director approves together with it and the local authority
    verifies (§32): the person as the registry holds them, why the documents go, since when the person is a
    job seeker. The director-signed draft is the very document sent to the authority (one source)."""

    draft: DraftDecision
    person: RegistryRecord
    trigger: str
    registered_as_job_seeker_on: date
    approved_at: datetime


class RegisterDocuments(Protocol):
    """The register's documents, each signed with the EDS of the centre's director (XML text). Schemas:
    ``contracts/register_documents.py`` (Annexes 4, 5, 7, 8, the certificate refusal, DR-2)."""

    def draft_unemployed_decision(self, draft: UnemployedDraft) -> str:
        """UN-1 (§31): the draft decision the director approves with EDS (the package the authority receives)."""
        ...

    def unemployed_notice(self, notice: UnemployedNotice) -> str:
        """UN-3 (§33): Annex 4 (registered) or Annex 5 (refused)."""
        ...

    def certificate(self, certificate: CertificateDocument) -> str:
        """CE-2 / CE-3 (§43): Annex 8, or the reasoned refusal."""
        ...

    def deregistration_notice(self, notice: DeregistrationNotice) -> str:
        """DR-2 (§45)."""
        ...


@dataclass(frozen=True)
class CabinetDelivery:
    """A signed document for a citizen's personal cabinet on the portal (``EGOV_CabinetDocument``)."""

    delivery_id: str  # idempotency key
    iin: str
    application_id: str
    kind: str  # "unemployed-registration-notice" (Annex 4), "unemployed-refusal-notice" (Annex 5),
    #            "deregistration-notice" (DR-2)
    document: str
    issued_on: date
    information: tuple[str, ...] = ()  # what the person is told beside the document (UN-5: payment documents)


class Cabinet(Protocol):
    def deliver(self, delivery: CabinetDelivery) -> None:
        """Put the document into the person's cabinet; idempotent by ``delivery_id``."""
        ...


@dataclass(frozen=True)
class UnemployedStatusChange:
    """The centre tells the State Social Insurance Fund that a person was registered as unemployed (the
    job-loss payment needs it, SP-7) or removed (DR-2: the payment stops). Service ``GFSS_UnemployedStatus``."""

    notice_id: str  # idempotency key
    iin: str
    status: str  # "registered" | "deregistered"
    effective_on: date
    registered_on: date
    decision_id: str
    ground_rule_id: str | None  # "DR-1 (n)" for a removal


class FundNotifier(Protocol):
    def notify(self, change: UnemployedStatusChange) -> None: ...


# ---- UN-5: the job-loss payment application the centre sends with the person's consent --------------------


@dataclass(frozen=True)
class AttachedPaper:
    """One document of the application (004 §4 item 9): its number, issue date, last day of validity."""

    number: str
    issued_on: date
    valid_until: date | None


@dataclass(frozen=True)
class JobLossPaymentApplication:
    """UN-5 (Rules No. 259 §35; 004 §1 (2)): the application for the social payment for loss of job that the
    centre sends to the State Social Insurance Fund with the person's consent (service ``GFSS_JobLossPayment``),
    signed by the centre's specialist. Idempotent by ``application_id``."""

    application_id: str
    submitted_at: datetime
    iin: str
    surname: str
    name: str
    patronymic: str | None
    birth_date: date
    sex: Sex
    identity_document: AttachedPaper
    unemployed_certificate: AttachedPaper | None  # Annex 8, when one was issued for this registration
    bank_agreement: AttachedPaper  # the agreement that opened the account
    iban: str
    correlation_id: str | None


@dataclass(frozen=True)
class PaymentApplicationReceipt:
    """The fund registered the application (SP-3 process 6): its number and the deadline of the service."""

    application_id: str
    registration_number: str
    registered_at: datetime
    deadline: datetime


class JobLossPaymentFund(Protocol):
    def apply(self, application: JobLossPaymentApplication) -> PaymentApplicationReceipt:
        """Send the application; a repeated id answers the first receipt."""
        ...
