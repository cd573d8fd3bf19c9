"""The values of the local authority's payloads (:mod:`contracts.local_authority` writes and reads them as XML).

Dataclasses in the words of Rules No. 259 (UN-1 §31, UN-2 §32, DR-1 §44, DR-2 §45, AP-1 §46-47) and the checks
the schema cannot make: a decision's outcome against its kind, a deregistration ground and its rule id.
Import them from :mod:`contracts.local_authority`, which re-exports every name here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from contracts.errors import PayloadError

DEREGISTRATION_GROUNDS = range(1, 8)  # DR-1 (1) .. DR-1 (7), Rules No. 259 §44 sub.1-7


class LocalAuthorityPayloadError(PayloadError):
    """The element is not the local-authority payload expected, or says something the contract forbids."""


class Sex(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class SendingGround(enum.StrEnum):
    """Why the centre sends the documents (UN-1, Rules No. 259 §31)."""

    NO_SUITABLE_WORK = "no-suitable-work"  # no suitable work within the term of JS-9 (§24)
    OFFER_REFUSED = "offer-refused"  # the job seeker refused the work offered


class CaseKind(enum.StrEnum):
    UNEMPLOYED_REGISTRATION = "unemployed-registration"
    DEREGISTRATION = "deregistration"


class ReceiptKind(enum.StrEnum):
    UNEMPLOYED_REGISTRATION = "unemployed-registration"
    DEREGISTRATION = "deregistration"
    COMPLAINT = "complaint"


class Outcome(enum.StrEnum):
    REGISTERED = "registered"  # registration as unemployed: registered (UN-2)
    REFUSED = "refused"  # registration refused on UN-4 grounds, or deregistration not confirmed
    DEREGISTERED = "deregistered"  # removed from the register (DR-1, DR-2)


class Addressee(enum.StrEnum):
    LOCAL_AUTHORITY = "local-authority"  # Rules No. 259 §46: 5 working days
    QUALITY_ASSESSMENT = "quality-assessment"  # Rules No. 259 §47: 15 working days


@dataclass(frozen=True)
class Reason:
    """A ground and its rule id: ``UN-4 (2)``, ``DR-1 (1)``, ..."""

    rule_id: str
    text: str


@dataclass(frozen=True)
class Person:
    """The person as the centre's individual employment card holds them."""

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
class DraftDecision:
    """The draft the centre's director approved (§31 p.2): ``registered``, or ``refused`` with its UN-4 reasons."""

    proposed_outcome: Outcome
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class UnemployedRegistrationPackage:
    case_id: str
    sent_at: datetime
    person: Person
    job_seeker_registered_on: date
    sending_ground: SendingGround
    draft: DraftDecision


@dataclass(frozen=True)
class DeregistrationRequest:
    case_id: str
    sent_at: datetime
    person: Person
    unemployed_since: date  # the day the person was registered as unemployed
    ground: int  # 1..7: the sub-item of §44
    facts: str
    information_received_on: date  # the day the centre received the information

    @property
    def rule_id(self) -> str:
        return deregistration_rule_id(self.ground)


@dataclass(frozen=True)
class Complaint:
    complaint_id: str
    submitted_at: datetime
    complainant_iin: str
    complainant_name: str
    addressee: Addressee
    subject: str
    text: str
    contested_application_id: str | None = None


@dataclass(frozen=True)
class Receipt:
    kind: ReceiptKind
    case_id: str
    received_at: datetime
    deadline: datetime
    rule_id: str  # the rule that sets the term: UN-2, DR-1 or AP-1


@dataclass(frozen=True)
class AuthorityDecision:
    """The head-signed decision. ``registered_on`` exactly when registered; ``reasons`` when refused or
    deregistered (the UN-4 grounds; the DR-1 ground; or why the information was not confirmed)."""

    decision_id: str
    case_id: str
    kind: CaseKind
    outcome: Outcome
    person_iin: str
    person_full_name: str
    reasons: tuple[Reason, ...]
    decided_on: date
    registered_on: date | None
    authority_name: str
    signer_name: str
    signer_position: str


@dataclass(frozen=True)
class DecisionAcknowledgement:
    decision_id: str
    case_id: str
    received_at: datetime


def deregistration_rule_id(ground: int) -> str:
    """``DR-1 (n)`` for ground ``n`` of §44; anything but 1..7 is refused."""
    if ground not in DEREGISTRATION_GROUNDS:
        raise LocalAuthorityPayloadError(f"a deregistration ground is 1..7 (Rules No. 259 §44), not {ground}")
    return f"DR-1 ({ground})"


def check_decision(decision: AuthorityDecision) -> None:
    """What a decision may say: registered only on registration (with its date), deregistered only on
    deregistration, a refusal or removal with its reasons."""
    registration = decision.kind is CaseKind.UNEMPLOYED_REGISTRATION
    allowed = (Outcome.REGISTERED, Outcome.REFUSED) if registration else (Outcome.DEREGISTERED, Outcome.REFUSED)
    if decision.outcome not in allowed:
        raise LocalAuthorityPayloadError(f"a {decision.kind} decision cannot be {decision.outcome}")
    if (decision.outcome is Outcome.REGISTERED) != (decision.registered_on is not None):
        raise LocalAuthorityPayloadError("registeredOn is given exactly when the outcome is registered")
    if decision.outcome is not Outcome.REGISTERED and not decision.reasons:
        raise LocalAuthorityPayloadError(f"a decision {decision.outcome} states its reasons")
