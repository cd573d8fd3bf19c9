"""What the employment centre reasons about when it registers a job seeker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum


@dataclass(frozen=True)
class LegalRepresentative:
    iin: str
    full_name: str
    statement: str


class Sex(str, Enum):
    MALE = "male"
    FEMALE = "female"

    @property
    def pension_age_parameter(self) -> str:
        return "pension_age.men" if self is Sex.MALE else "pension_age.women"


class PersonStatus(str, Enum):
    """Statuses the person registry keeps for a person (what the rules of the register read from them)."""

    LIVING = "living"
    DECEASED = "deceased"
    IMPRISONED = "imprisoned"  # serving a sentence of imprisonment (UN-4 (6), DR-1 (5))
    MISSING = "missing"
    INCAPABLE = "incapable"
    STUDENT = "student"  # in full-time education (UN-4 (5))


@dataclass(frozen=True)
class CardProfile:
    """The facts of the registration data form (standard Annex 2) that the individual employment card keeps
    for the category of JS-5 (Rules No. 259 §11) and the selection of suitable work of JS-9 (§24, §57).

    Every field is optional: a form may leave a section out, and an unknown fact counts for nothing.
    """

    region: str | None = None  # regAddress/region
    wanted_profession: str | None = None  # wantedWork/profession
    salary_min: Decimal | None = None  # wantedWork/salaryMin
    work_schedule: str | None = None  # wantedWork/workSchedule
    agrees_to_relocate: bool | None = None  # wantedWork/agreesToRelocate
    previous_professions: tuple[str, ...] = ()  # workHistory/job/profession
    education_level: str | None = None  # applicant/educationLevel
    unemployed_since: date | None = None  # registration/unemployedSince
    total_experience_years: Decimal | None = None  # extraFacts/totalExperience
    profession_in_demand: bool | None = None  # extraFacts/professionInDemand
    has_conviction: bool | None = None  # extraFacts/hasConviction
    has_job_search_skills: bool | None = None  # extraFacts/hasJobSearchSkills
    has_computer_skills: bool | None = None  # extraFacts/hasComputerSkills
    motivation_level: str | None = None  # extraFacts/motivationLevel
    had_previous_unemployment: bool | None = None  # extraFacts/previousUnemploymentPeriod given
    applies_for_active_measures: bool = False  # registration/purpose names active employment measures


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
    profile: CardProfile = CardProfile()

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
    sex: Sex | None = None  # None: the registry's answer did not say
    statuses: frozenset[PersonStatus] = frozenset()
    document_number: str | None = None  # the identity document (identity card, else passport)
    document_issued_on: date | None = None


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
    # The register of a person (employment.domain.register): each transition is reported with the state it
    # reaches (UN-6, Rules No. 259 §36), under the application (case) it belongs to.
    JOB_SEEKER = "JOB_SEEKER"
    OFFERED = "OFFERED"
    AWAITING_AUTHORITY = "AWAITING_AUTHORITY"
    UNEMPLOYED = "UNEMPLOYED"
    REFUSED_UNEMPLOYED = "REFUSED_UNEMPLOYED"
    DEREGISTRATION_PENDING = "DEREGISTRATION_PENDING"
    DEREGISTERED = "DEREGISTERED"
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
