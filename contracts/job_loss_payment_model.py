"""The values of the job-loss payment contract (:mod:`contracts.job_loss_payment`), shared by both ends.

Regulation 004 (the regulation of the state service "assignment of social payments ... for loss of job") and the
Social Code Arts. 113-119: the application reaches the fund's branch (its regional gateway workstation) from
the portal (SP-4..SP-6), the State Corporation (SP-2, SP-3), the district department (SP-1) or the employment
centre (UN-5, with the person's consent); the department's authorised person signs the notification of
assignment or of refusal (Rules No. 236 form, 004 §3).

Money is ``Decimal`` in tenge with two decimals (tiyn). Months are the first day of the month.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from contracts.errors import PayloadError


class JobLossPaymentPayloadError(PayloadError):
    """The payload is not one of this contract's documents, or does not follow its schema or its rules."""


class Channel(enum.StrEnum):
    """Where the application was made (regulation 004 §1); the values are the monitoring IS's channel codes."""

    PORTAL = "PORTAL"  # SP-4..SP-6, signed by the applicant
    STATE_CORPORATION = "STATE_CORPORATION"  # SP-2, SP-3, signed by the operator
    DEPARTMENT = "DEPARTMENT"  # SP-1, registered by the department's clerk
    EMPLOYMENT_CENTRE = "EMPLOYMENT_CENTRE"  # UN-5: the centre sends it with the person's consent


class Sex(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class DocumentKind(enum.StrEnum):
    """The documents attached to an application (standard of the service, 004 §4, item 9)."""

    IDENTITY_DOCUMENT = "identity-document"
    UNEMPLOYED_CERTIFICATE = "unemployed-certificate"  # Rules No. 259 Annex 8 (SP-7, 004 §1 (1))
    BANK_ACCOUNT = "bank-account"  # the agreement opening the account the payment goes to
    POWER_OF_ATTORNEY = "power-of-attorney"  # when a representative applies (SP-2)


class Outcome(enum.StrEnum):
    ASSIGNED = "assigned"  # the notification of assignment
    REFUSED_TO_ACCEPT = "refused-to-accept"  # PE-4, Social Code Art. 115 p.1
    REFUSED_TO_ASSIGN = "refused-to-assign"  # PE-5, Social Code Art. 115 p.2


class NoticeKind(enum.StrEnum):
    SUSPENDED = "suspended"  # Art. 119 p.1
    TERMINATED = "terminated"  # Art. 119 p.2


class Stage(enum.StrEnum):
    """Where an application stands (SP-1 steps; reported to the monitoring IS with the service's deadline)."""

    REGISTERED = "REGISTERED"  # the clerk (or the regional workstation) registered it: 20 minutes
    EXECUTOR_ASSIGNED = "EXECUTOR_ASSIGNED"  # the head assigned the executor: 10 minutes
    DRAFTED = "DRAFTED"  # the executor examined it and drafted the notification: 8 working days
    SIGNED = "SIGNED"  # the head signed the notification: 10 minutes
    RESULT_ISSUED = "RESULT_ISSUED"  # the clerk registered and handed over the notification: 20 minutes
    REFUSED = "REFUSED"  # refused to accept (PE-4) on the document check (SP-3, SP-6)


@dataclass(frozen=True)
class Applicant:
    iin: str
    surname: str
    name: str
    patronymic: str | None
    birth_date: date
    sex: Sex

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.name, self.patronymic) if part)


@dataclass(frozen=True)
class Representative:
    """Who applies for the applicant under a power of attorney (SP-2)."""

    iin: str
    full_name: str
    power_of_attorney_number: str


@dataclass(frozen=True)
class AttachedDocument:
    """One document of the application: its kind, number, dates, the IIN it is made out to, and the SHA-256 of
    its electronic copy (hex) when one is attached (SP-4)."""

    kind: DocumentKind
    number: str
    issued_on: date
    valid_until: date | None
    holder_iin: str
    copy_sha256: str | None = None


@dataclass(frozen=True)
class PaymentApplication:
    """``paymentApplication``: the application for the job-loss payment (service ``GFSS_JobLossPayment``).

    ``bank_account`` is the IBAN the payment goes to; ``consent`` is the consent to the collection and processing
    of personal data (PE-4 (5), Art. 115 p.1 sub.5). Signed by the applicant (portal), the operator (State
    Corporation), the clerk (department) or the centre's specialist (employment centre)."""

    application_id: str
    submitted_at: datetime
    channel: Channel
    applicant: Applicant
    documents: tuple[AttachedDocument, ...]
    bank_account: str
    consent: bool
    representative: Representative | None = None


@dataclass(frozen=True)
class ApplicationReceipt:
    """``applicationReceipt``: the regional workstation registered the application (SP-3 process 6).

    ``deadline`` is the deadline of the whole service (SP-1: 20 min + 10 min + 8 working days + 10 min + 20 min
    from registration); ``already_registered`` says a repeated sending of the same id found it registered."""

    application_id: str
    registration_number: str
    registered_at: datetime
    deadline: datetime
    already_registered: bool = False


@dataclass(frozen=True)
class Ground:
    """Why the fund refuses: the rule id (``PE-4 (7)``, ``PE-5 (1)``, ``PE-2``, ``PE-6``), the article, a text."""

    rule_id: str
    article: str
    text: str


@dataclass(frozen=True)
class ScheduledMonth:
    """One month of payment: the period (both days inclusive) and the gross and net amounts."""

    start: date
    end: date
    gross: Decimal
    net: Decimal


@dataclass(frozen=True)
class AssignedPayment:
    """What the notification of assignment states (Social Code Art. 117, Art. 118)."""

    right_arose: date
    participation_months: int
    counted_participation_months: int
    average_monthly_income: Decimal
    replacement_coefficient: Decimal
    participation_coefficient: Decimal
    gross: Decimal
    pension_contribution: Decimal
    net: Decimal
    schedule: tuple[ScheduledMonth, ...]
    pension_age_day: date | None = None


@dataclass(frozen=True)
class Issuer:
    """The fund's branch department and its authorised person who signs."""

    bin: str
    name: str
    signer_name: str
    signer_position: str


@dataclass(frozen=True)
class PaymentDecision:
    """``paymentDecision``: the notification of assignment or of refusal (Rules No. 236 form, 004 §3), signed
    with the EDS of the department's authorised person. ``payment`` is set exactly when ``outcome`` is
    ``assigned``; ``grounds`` exactly when it is not."""

    decision_id: str
    application_id: str
    registration_number: str
    decided_on: date
    outcome: Outcome
    applicant_iin: str
    applicant_name: str
    issuer: Issuer
    grounds: tuple[Ground, ...] = ()
    payment: AssignedPayment | None = None


@dataclass(frozen=True)
class PaymentNotice:
    """``paymentNotice``: the payment is suspended or terminated (Social Code Art. 119) from ``effective_from``;
    ``schedule`` is what remains paid (months before that day). Signed like the decision."""

    notice_id: str
    decision_id: str
    applicant_iin: str
    kind: NoticeKind
    ground: Ground
    effective_from: date
    issued_on: date
    issuer: Issuer
    schedule: tuple[ScheduledMonth, ...]


@dataclass(frozen=True)
class StatusQuery:
    """``applicationStatusQuery`` (service ``GFSS_JobLossPaymentResult``): where an application stands."""

    application_id: str


@dataclass(frozen=True)
class ApplicationStatus:
    """``applicationStatus``: the stage, when reached, the deadline of the service and, once issued, the signed
    decision and notices as the exact signed text."""

    application_id: str
    found: bool
    stage: Stage | None = None
    stage_at: datetime | None = None
    deadline: datetime | None = None
    signed_decision: str | None = None
    signed_notices: tuple[str, ...] = ()
