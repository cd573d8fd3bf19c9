"""The local employment authority's cases, decisions and complaints (Rules No. 259 §31-32, §44-47).

A case is one set of documents the employment centre sent: the draft decision on registration as unemployed
(UN-1, §31) or the information on which a person is removed from the register (DR-1, §44). It is received
once (the centre's case id is its key), waits for the decision of the authority's head, and is decided once
(UN-2, §32; DR-2, §45). A complaint (AP-1, §46-47) is registered with the term of its consideration and
answered once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class CaseKind(StrEnum):
    UNEMPLOYED_REGISTRATION = "unemployed-registration"  # UN-1, UN-2
    DEREGISTRATION = "deregistration"  # DR-1, DR-2

    @property
    def service_type(self) -> str:
        """The service code its stages are reported under to the monitoring IS (UN-6)."""
        return "UNEMPLOYED_REGISTRATION" if self is CaseKind.UNEMPLOYED_REGISTRATION else "UNEMPLOYED_DEREGISTRATION"


class CaseStatus(StrEnum):
    PENDING = "pending"  # received, the head has not signed yet
    DECIDED = "decided"  # the head signed the decision


class Outcome(StrEnum):
    REGISTERED = "registered"
    REFUSED = "refused"
    DEREGISTERED = "deregistered"


class DecisionMode(StrEnum):
    """``auto``: the configured official decides after the configured delay; ``manual``: a tester does."""

    AUTO = "auto"
    MANUAL = "manual"


class DecidedBy(StrEnum):
    AUTO = "auto"
    MANUAL = "manual"


class Addressee(StrEnum):
    LOCAL_AUTHORITY = "local-authority"  # Rules No. 259 §46
    QUALITY_ASSESSMENT = "quality-assessment"  # Rules No. 259 §47


class ComplaintStatus(StrEnum):
    REGISTERED = "registered"
    ANSWERED = "answered"


@dataclass(frozen=True)
class Reason:
    """A ground with its rule id (docs/rules.md) and its words."""

    rule_id: str
    text: str


@dataclass(frozen=True)
class PersonData:
    """The person as the centre's card holds them."""

    iin: str
    surname: str
    name: str
    patronymic: str | None
    birth_date: date
    sex: Sex
    address: str

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.name, self.patronymic) if part)


@dataclass(frozen=True)
class RegistrationDraft:
    """UN-1 (§31): the job seeker's data and the draft decision the centre's director approved."""

    person: PersonData
    job_seeker_registered_on: date
    sending_ground: str  # no-suitable-work | offer-refused
    proposed: Outcome  # registered | refused
    proposed_reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class DeregistrationInfo:
    """DR-1 (§44): the ground (its sub-item), the facts and when the centre learned them."""

    person: PersonData
    unemployed_since: date
    ground: int
    facts: str
    information_received_on: date

    @property
    def rule_id(self) -> str:
        return f"DR-1 ({self.ground})"


CaseSubject = RegistrationDraft | DeregistrationInfo


@dataclass(frozen=True)
class Decision:
    """The decision the head signed: ``document`` is the signed ``authorityDecision`` as sent to the centre."""

    decision_id: str
    outcome: Outcome
    reasons: tuple[Reason, ...]
    decided_at: datetime
    decided_on: date
    registered_on: date | None
    decided_by: DecidedBy
    document: str


@dataclass(frozen=True)
class Case:
    case_id: str
    kind: CaseKind
    subject: CaseSubject
    correlation_id: str | None
    sender_id: str
    signed_by: str  # who signed the documents at the centre (the certificate's subject)
    document: str  # the documents as received, signature included
    received_at: datetime
    deadline: datetime
    decide_after: datetime  # when the official decides in mode auto
    status: CaseStatus = CaseStatus.PENDING
    decision: Decision | None = None
    attempts: int = 0  # automatic decisions tried and put off (a state system did not answer)
    last_error: str | None = None
    delivered_at: datetime | None = None  # when the centre acknowledged the decision

    @property
    def iin(self) -> str:
        return self.subject.person.iin

    @property
    def full_name(self) -> str:
        return self.subject.person.full_name

    @property
    def application_id(self) -> str:
        """The case's id in the monitoring IS: the authority's own registration of the documents, apart from
        the centre's application (whose stages the centre reports under its own id)."""
        return f"MIO-{self.case_id}"


@dataclass(frozen=True)
class Complaint:
    complaint_id: str
    complainant_iin: str
    complainant_name: str
    addressee: Addressee
    subject: str
    text: str
    contested_application_id: str | None
    correlation_id: str | None
    sender_id: str
    signed_by: str | None  # the complainant's certificate, when the complaint was signed
    received_at: datetime
    deadline: datetime
    status: ComplaintStatus = ComplaintStatus.REGISTERED
    answer: str | None = None
    upheld: bool | None = None
    answered_at: datetime | None = None

    @property
    def application_id(self) -> str:
        return f"MIO-AP-{self.complaint_id}"


@dataclass(frozen=True)
class Receipt:
    """What the authority answers on receipt: the case, when it arrived, the deadline and the rule setting it."""

    kind: str  # unemployed-registration | deregistration | complaint
    case_id: str
    received_at: datetime
    deadline: datetime
    rule_id: str


@dataclass(frozen=True)
class StageReport:
    """One stage of a case or complaint for the monitoring IS (UN-6, Rules No. 259 §36), with its deadline."""

    application_id: str
    service_type: str
    stage: str  # ACCEPTED, RESULT_ISSUED, REFUSED
    at: datetime
    deadline: datetime
    is_positive: bool | None
    correlation_id: str | None
    executor_org: str | None = None  # None: the authority itself
    refuse_reason: str | None = None
    rule_id: str | None = None


@dataclass(frozen=True)
class LabourContract:
    """A labour contract the State Social Insurance Fund knows of; ``end`` inclusive, None while open."""

    employer_bin: str
    employer_name: str
    start: date
    end: date | None

    def in_force_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class RegistryFacts:
    """What the person registry holds of the person."""

    iin: str
    surname: str
    name: str
    patronymic: str | None
    birth_date: date
    sex: Sex | None  # None: a gender code the authority does not know
    deceased: bool
    imprisoned: bool


@dataclass(frozen=True)
class InsuranceFacts:
    """What the State Social Insurance Fund answers: labour contracts, and the months contributions came for."""

    contracts: tuple[LabourContract, ...] = ()
    contribution_months: tuple[date, ...] = ()
