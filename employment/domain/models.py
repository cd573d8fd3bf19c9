"""What the employment centre reasons about when it registers a job seeker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum


@dataclass(frozen=True)
class LegalRepresentative:
    iin: str
    full_name: str
    statement: str


@dataclass(frozen=True)
class Applicant:
    """The applicant as the signed registration form (standard Annex 2) states them."""

    iin: str
    surname: str
    name: str
    patronymic: str | None
    birth_date: date
    consent_to_personal_data: bool
    legal_representative: LegalRepresentative | None = None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.name, self.patronymic) if part)


@dataclass(frozen=True)
class RegistryRecord:
    """The person as the person registry holds them (JS-4)."""

    iin: str
    surname: str
    name: str
    patronymic: str | None
    birth_date: date
    address: str
    document_valid_until: date | None


@dataclass(frozen=True)
class Contribution:
    """One month of social contributions received for the person (State Social Insurance Fund)."""

    month: date
    employer_bin: str
    employer_name: str


@dataclass(frozen=True)
class EmploymentPeriod:
    """One labour contract the State Social Insurance Fund knows of; ``end`` (inclusive) None while open."""

    employer_bin: str
    employer_name: str
    start: date
    end: date | None

    def in_force_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class InsuranceHistory:
    """What the fund answers about a person: contributions by month and employment periods."""

    contributions: tuple[Contribution, ...] = ()
    employment: tuple[EmploymentPeriod, ...] = ()


@dataclass(frozen=True)
class Reason:
    """Why a rule refuses: the rule id (docs/rules.md) and words the applicant can read."""

    rule_id: str
    text: str


@dataclass(frozen=True)
class AcceptanceDecision:
    """Whether the application is accepted at all (JS-2: standard item 9, regulation 000 §5 condition 1).

    A refusal to accept stops the service before any decision to register: nothing is registered and the
    answer is the reasoned refusal to accept, not the notification of refusal to register (Rules Annex 2).
    """

    reasons: tuple[Reason, ...]
    checked_on: date

    @property
    def accepted(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class RegistrationDecision:
    reasons: tuple[Reason, ...]
    decided_on: date

    @property
    def registered(self) -> bool:
        return not self.reasons


class Stage(str, Enum):
    """Stages reported to the monitoring IS (JS-8), after 000 §5 actions 1-5."""

    ACCEPTED = "ACCEPTED"  # action 1: documents accepted
    DATA_REQUESTED = "DATA_REQUESTED"  # action 2 / JS-4: personal data from state systems entered into the card
    DECISION_MADE = "DECISION_MADE"  # action 3: absence of work checked, decision made
    RESULT_ISSUED = "RESULT_ISSUED"  # actions 4-5: result formed, signed and issued
    REFUSED = "REFUSED"  # the result is a reasoned refusal
    # The rural path (JS-13, Rules No. 259 §15-21), before the centre's own stages:
    PRE_REGISTERED = "PRE_REGISTERED"  # §15-18: the assistant checked the documents and filled the card
    DOCUMENTS_RECEIVED = "DOCUMENTS_RECEIVED"  # §20-21: the documents reached the centre from the assistant


@dataclass(frozen=True)
class StageReport:
    application_id: str
    service_type: str
    stage: Stage
    at: datetime
    deadline: datetime
    is_positive: bool | None
    correlation_id: str | None
    refuse_reason: str | None = None
    rule_id: str | None = None
    channel: str | None = None  # where the person applied (employment.domain.rules.channels.Channel)


@dataclass(frozen=True)
class CardChange:
    """One change entered into the individual employment card on a repeated application (JS-7, Rules §22)."""

    field: str
    old: str | None
    new: str | None
    on: date


@dataclass(frozen=True)
class JobSeekerCard:
    """The individual employment card of a registered job seeker (Rules §10, §14, §22).

    ``registered_on`` is the day of the first registration; a repeated application keeps it and records
    what changed in ``changes``.
    """

    iin: str
    full_name: str
    birth_date: date
    address: str | None
    registered_on: date
    applications: int
    changes: tuple[CardChange, ...] = ()
