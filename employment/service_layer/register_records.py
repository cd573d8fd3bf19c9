"""What the register stores besides the entries of :mod:`employment.domain.register`: the applications
(cases) it works on, and the messages it owes other systems.

- :class:`RegistrationCase` — one registration case per job-seeker registration (JS-6, or JS-7 after a
  refusal or removal): the JS-9 period, the offer, the UN-1 package, the authority's decision (UN-2) and the
  notification (UN-3, UN-5). Its id is the application id reported to the monitoring IS under
  ``UNEMPLOYED_REGISTRATION``.
- :class:`DeregistrationCase` — one reported DR-1 ground: the request to the authority and its decision,
  the DR-2 notice (``UNEMPLOYED_DEREGISTRATION``).
- :class:`CertificateRecord` — one certificate application (CE-1..CE-4, ``UNEMPLOYED_CERTIFICATE``).
- :class:`PaymentConsent` — the person's consent that the centre send the job-loss payment application (UN-5),
  kept on the registration case with the fund's receipt once sent.
- :class:`Dispatch` — a message owed to the local authority, the portal's cabinet or the fund. It is stored
  in the transaction that makes it due and sent afterwards by :func:`employment.service_layer.dispatch.
  dispatch_pending`, at least once: every receiver is idempotent by the id the message carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from employment.domain.models import Reason, Sex

__all__ = [
    "CaseStatus",
    "CertificateRecord",
    "DeregistrationCase",
    "DeregistrationStatus",
    "Dispatch",
    "DispatchKind",
    "PaymentConsent",
    "RegistrationCase",
    "certificate_number",
]


class CaseStatus(str, Enum):
    MEDIATION = "MEDIATION"  # JS-9 period: the centre looks for suitable work
    OFFERED = "OFFERED"  # an offer awaits the answer (LM-5)
    CLOSED = "CLOSED"  # the offer accepted: no UN-1 (mediation goes on)
    DOCUMENTS_DUE = "DOCUMENTS_DUE"  # UN-1 started: the draft and the package are to be made
    SENT = "SENT"  # the package queued for the local authority (the entry is AWAITING_AUTHORITY)
    REGISTERED = "REGISTERED"  # UN-2: registered as unemployed
    REFUSED = "REFUSED"  # UN-2: refused


@dataclass(frozen=True)
class PaymentConsent:
    """UN-5 (Rules No. 259 §35; 004 §1 (2)): the person consented that the centre send the application for the
    social payment for loss of job, with the account the payment goes to. The applicant's data and identity
    document are the person registry's (JS-4) when the consent was given. Once the fund registered the
    application, its registration number, the instant and the deadline of the service are kept here."""

    application_id: str  # the same at every sending (payment_application_id of the case)
    given_at: datetime
    given_by: str  # who entered it at the centre (the person themselves or the specialist)
    iban: str
    bank_agreement_number: str
    bank_account_opened_on: date
    surname: str
    name: str
    patronymic: str | None
    birth_date: date
    sex: Sex
    identity_document_number: str
    identity_document_issued_on: date
    identity_document_valid_until: date | None
    registration_number: str | None = None  # the fund's ApplicationReceipt
    registered_at: datetime | None = None
    deadline: datetime | None = None


@dataclass(frozen=True)
class RegistrationCase:
    case_id: str
    iin: str
    full_name: str
    birth_date: date
    application_id: str  # the job-seeker application that opened the case
    correlation_id: str | None
    registered_at: datetime  # registration as a job seeker (the effective receipt of that application)
    mediation_ends: datetime  # JS-9
    status: CaseStatus = CaseStatus.MEDIATION
    trigger: str | None = None  # why UN-1 started
    triggered_at: datetime | None = None
    documents_due: datetime | None = None  # UN-1
    drafted_on: date | None = None
    proposal: tuple[Reason, ...] = ()
    draft_document: str | None = None
    sent_at: datetime | None = None  # queued for the authority
    decision_due: datetime | None = None  # UN-2
    authority_case_id: str | None = None
    decision_id: str | None = None
    decided_on: date | None = None
    registered_on: date | None = None
    decision_reasons: tuple[Reason, ...] = ()
    decision_document: str | None = None
    notification_due: datetime | None = None  # UN-3, UN-5
    notice_issued_on: date | None = None
    notification_document: str | None = None
    notified_at: datetime | None = None
    problem: str | None = None  # the last reason the draft could not be made (the step is tried again)
    payment: PaymentConsent | None = None  # UN-5: the consent to send the job-loss payment application


class DeregistrationStatus(str, Enum):
    REJECTED = "REJECTED"  # the ground was not established, or the person is not registered as unemployed
    PENDING = "PENDING"  # the request queued for the local authority
    DEREGISTERED = "DEREGISTERED"  # DR-2
    DECLINED = "DECLINED"  # the authority found no ground: the person stays registered


@dataclass(frozen=True)
class DeregistrationCase:
    request_id: str
    iin: str
    ground: int
    facts: tuple[tuple[str, str], ...]
    information_received_at: datetime
    source: str
    correlation_id: str | None
    status: DeregistrationStatus
    reasons: tuple[Reason, ...]  # the ground as established (PENDING on), or why it was rejected
    full_name: str = ""
    registered_on: date | None = None  # registered as unemployed since (as the entry said when reported)
    decision_due: datetime | None = None  # DR-1: 2 working days from the information
    authority_case_id: str | None = None
    decision_id: str | None = None
    decided_on: date | None = None
    decision_document: str | None = None
    notice_due: datetime | None = None  # DR-2
    notice_issued_on: date | None = None
    notice_document: str | None = None
    notified_at: datetime | None = None

    @property
    def rule_id(self) -> str:
        return f"DR-1 ({self.ground})"


@dataclass(frozen=True)
class CertificateRecord:
    application_id: str
    iin: str
    correlation_id: str | None
    received_at: datetime
    deadline: datetime
    issued_on: date
    registered_on: date | None
    valid_until: date | None
    reasons: tuple[Reason, ...]
    document: str
    applicant_signature: str

    @property
    def issued(self) -> bool:
        return not self.reasons

    @property
    def number(self) -> str:
        """The number the certificate (or its refusal) bears (Annex 8)."""
        return certificate_number(self.application_id)


def certificate_number(application_id: str) -> str:
    """The number of the certificate issued (or refused) on the Annex 7 application ``application_id``."""
    return f"CE-{application_id}"


class DispatchKind(str, Enum):
    UNEMPLOYED_DOCUMENTS = "unemployed-documents"  # UN-1 package -> LocalAuthority
    DEREGISTRATION_REQUEST = "deregistration-request"  # DR-1 request -> LocalAuthority
    UNEMPLOYED_NOTICE = "unemployed-notice"  # Annex 4 / 5 -> Cabinet
    DEREGISTRATION_NOTICE = "deregistration-notice"  # DR-2 -> Cabinet
    FUND_REGISTERED = "fund-registered"  # -> FundNotifier
    FUND_DEREGISTERED = "fund-deregistered"  # -> FundNotifier
    PAYMENT_APPLICATION = "payment-application"  # UN-5 job-loss payment application -> JobLossPaymentFund


@dataclass(frozen=True)
class Dispatch:
    dispatch_id: str  # f"{reference}/{kind}": one of each kind per case
    kind: DispatchKind
    iin: str
    reference: str  # the registration case or deregistration request it comes from
    due: datetime  # the rule's deadline for it
    created_at: datetime
    done_at: datetime | None = None
    attempts: int = 0
    last_error: str | None = None
    set_aside: bool = False  # refused for good (PortRefused): not tried again
