"""The payloads between the employment centre and the local employment authority, and its complaints.

Schema ``wsdl/xsd/local-authority.xsd``; namespace ``urn:kz:egov-sim:local-authority:v1`` on the root
elements, children unqualified (Rules No. 259; rule ids of docs/rules.md):

- ``unemployedRegistrationPackage`` (:class:`UnemployedRegistrationPackage`): UN-1 (§31), the job seeker's
  data and the draft decision approved with the EDS of the centre's director; service
  ``MIO_UnemployedRegistration``.
- ``deregistrationRequest`` (:class:`DeregistrationRequest`): DR-1 (§44), the ground and facts on which the
  authority removes an unemployed person from the register, signed by the centre's director or a person they
  authorised; service ``MIO_Deregistration``.
- ``complaint`` (:class:`Complaint`): AP-1 (§46-47), to the authority or to the quality-assessment body;
  service ``MIO_Complaint`` (an enveloped signature of the complainant is optional).
- ``receipt`` (:class:`Receipt`): the synchronous answer to each of the three, with the deadline.
- ``authorityDecision`` (:class:`AuthorityDecision`): UN-2 / DR-2 (§32, §45), signed by the authority's head;
  service ``ENBEK_AuthorityDecision`` (the authority sends it to the centre).
- ``decisionAcknowledgement`` (:class:`DecisionAcknowledgement`): the centre's answer to a decision.

Writers take the dataclass and give the unsigned root element (``write_*``); the signer appends an
enveloped ``ds:Signature`` (``adapters.signatures.sign_document``) and the document travels as escaped
text, so the receiver verifies the exact bytes. Readers (``read_*``) take a root element (a verified
document, or any element: a ``ds:Signature`` child is not looked at) and raise :class:`LocalAuthorityPayloadError`
naming what is wrong. What the schema cannot say is checked here: offsets on instants, a draft refused
without reasons, a ground number that is not its rule id, a decision whose outcome contradicts its kind.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from contracts.errors import PayloadError
from contracts.xml_text import add_text, child_text

SCHEMA = "xsd/local-authority.xsd"
LOCAL_AUTHORITY_NS = "urn:kz:egov-sim:local-authority:v1"

UNEMPLOYED_REGISTRATION_SERVICE = "MIO_UnemployedRegistration"
DEREGISTRATION_SERVICE = "MIO_Deregistration"
COMPLAINT_SERVICE = "MIO_Complaint"
DECISION_SERVICE = "ENBEK_AuthorityDecision"

PACKAGE_TAG = f"{{{LOCAL_AUTHORITY_NS}}}unemployedRegistrationPackage"
DEREGISTRATION_TAG = f"{{{LOCAL_AUTHORITY_NS}}}deregistrationRequest"
COMPLAINT_TAG = f"{{{LOCAL_AUTHORITY_NS}}}complaint"
RECEIPT_TAG = f"{{{LOCAL_AUTHORITY_NS}}}receipt"
DECISION_TAG = f"{{{LOCAL_AUTHORITY_NS}}}authorityDecision"
ACKNOWLEDGEMENT_TAG = f"{{{LOCAL_AUTHORITY_NS}}}decisionAcknowledgement"

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


# ---- writing -------------------------------------------------------------------------------------


def _root(tag: str) -> etree._Element:
    return etree.Element(tag, nsmap={"la": LOCAL_AUTHORITY_NS})


def _instant(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no offset; the contract carries instants with their offset")
    return moment.isoformat()


def _add_person(parent: etree._Element, person: Person) -> None:
    holder = etree.SubElement(parent, "person")
    add_text(holder, "iin", person.iin)
    add_text(holder, "surname", person.surname)
    add_text(holder, "name", person.name)
    add_text(holder, "patronymic", person.patronymic)
    add_text(holder, "birthDate", person.birth_date.isoformat())
    add_text(holder, "sex", person.sex.value)
    add_text(holder, "address", person.address)


def _add_reasons(parent: etree._Element, reasons: tuple[Reason, ...]) -> None:
    if not reasons:
        return
    holder = etree.SubElement(parent, "reasons")
    for reason in reasons:
        item = etree.SubElement(holder, "reason")
        add_text(item, "ruleId", reason.rule_id)
        add_text(item, "text", reason.text)


def write_registration_package(package: UnemployedRegistrationPackage) -> etree._Element:
    """``unemployedRegistrationPackage``, unsigned (the director signs it: ``sign_document``)."""
    draft = package.draft
    if draft.proposed_outcome not in (Outcome.REGISTERED, Outcome.REFUSED):
        raise ValueError(f"a draft proposes registered or refused, not {draft.proposed_outcome}")
    if (draft.proposed_outcome is Outcome.REFUSED) != bool(draft.reasons):
        raise ValueError("a draft refusal states its UN-4 reasons, and a draft registration states none")
    root = _root(PACKAGE_TAG)
    add_text(root, "caseId", package.case_id)
    add_text(root, "sentAt", _instant(package.sent_at))
    _add_person(root, package.person)
    add_text(root, "jobSeekerRegisteredOn", package.job_seeker_registered_on.isoformat())
    add_text(root, "sendingGround", package.sending_ground.value)
    holder = etree.SubElement(root, "draftDecision")
    add_text(holder, "proposedOutcome", draft.proposed_outcome.value)
    _add_reasons(holder, draft.reasons)
    return root


def write_deregistration_request(request: DeregistrationRequest) -> etree._Element:
    """``deregistrationRequest``, unsigned (the centre's director, or a person they authorised, signs it)."""
    rule_id = deregistration_rule_id(request.ground)
    root = _root(DEREGISTRATION_TAG)
    add_text(root, "caseId", request.case_id)
    add_text(root, "sentAt", _instant(request.sent_at))
    _add_person(root, request.person)
    add_text(root, "unemployedSince", request.unemployed_since.isoformat())
    ground = etree.SubElement(root, "ground")
    add_text(ground, "number", str(request.ground))
    add_text(ground, "ruleId", rule_id)
    add_text(root, "facts", request.facts)
    add_text(root, "informationReceivedOn", request.information_received_on.isoformat())
    return root


def write_complaint(complaint: Complaint) -> etree._Element:
    """``complaint`` (the complainant may sign it)."""
    root = _root(COMPLAINT_TAG)
    add_text(root, "complaintId", complaint.complaint_id)
    add_text(root, "submittedAt", _instant(complaint.submitted_at))
    holder = etree.SubElement(root, "complainant")
    add_text(holder, "iin", complaint.complainant_iin)
    add_text(holder, "fullName", complaint.complainant_name)
    add_text(root, "addressee", complaint.addressee.value)
    add_text(root, "subject", complaint.subject)
    add_text(root, "text", complaint.text)
    add_text(root, "contestedApplicationId", complaint.contested_application_id)
    return root


def write_receipt(receipt: Receipt) -> etree._Element:
    root = _root(RECEIPT_TAG)
    add_text(root, "kind", receipt.kind.value)
    add_text(root, "caseId", receipt.case_id)
    add_text(root, "receivedAt", _instant(receipt.received_at))
    add_text(root, "deadline", _instant(receipt.deadline))
    add_text(root, "ruleId", receipt.rule_id)
    return root


def write_decision(decision: AuthorityDecision) -> etree._Element:
    """``authorityDecision``, unsigned (the authority's head signs it)."""
    try:
        check_decision(decision)
    except LocalAuthorityPayloadError as exc:
        raise ValueError(str(exc)) from exc
    root = _root(DECISION_TAG)
    add_text(root, "decisionId", decision.decision_id)
    add_text(root, "caseId", decision.case_id)
    add_text(root, "kind", decision.kind.value)
    add_text(root, "outcome", decision.outcome.value)
    person = etree.SubElement(root, "person")
    add_text(person, "iin", decision.person_iin)
    add_text(person, "fullName", decision.person_full_name)
    _add_reasons(root, decision.reasons)
    add_text(root, "decidedOn", decision.decided_on.isoformat())
    add_text(root, "registeredOn", decision.registered_on.isoformat() if decision.registered_on else None)
    add_text(root, "authorityName", decision.authority_name)
    add_text(root, "signerName", decision.signer_name)
    add_text(root, "signerPosition", decision.signer_position)
    return root


def write_acknowledgement(acknowledgement: DecisionAcknowledgement) -> etree._Element:
    root = _root(ACKNOWLEDGEMENT_TAG)
    add_text(root, "decisionId", acknowledgement.decision_id)
    add_text(root, "caseId", acknowledgement.case_id)
    add_text(root, "receivedAt", _instant(acknowledgement.received_at))
    return root


# ---- reading -------------------------------------------------------------------------------------


def _expect(element: etree._Element, tag: str) -> None:
    if element.tag != tag:
        raise LocalAuthorityPayloadError(f"expected {tag}, found {element.tag}")


def _text(parent: etree._Element, path: str) -> str:
    value = child_text(parent, path)
    if not value:
        raise LocalAuthorityPayloadError(f"{etree.QName(parent).localname}/{path} is missing or empty")
    return value


def _optional(parent: etree._Element, path: str) -> str | None:
    return child_text(parent, path) or None


def _date(parent: etree._Element, path: str) -> date:
    text = _text(parent, path)
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise LocalAuthorityPayloadError(f"{path} is not a date (YYYY-MM-DD): {text!r}") from exc


def _moment(parent: etree._Element, path: str) -> datetime:
    text = _text(parent, path)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise LocalAuthorityPayloadError(f"{path} is not an ISO 8601 instant: {text!r}") from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise LocalAuthorityPayloadError(f"{path} {text!r} has no offset: an instant needs one")
    return moment


def _choice(enum_type: type[enum.StrEnum], parent: etree._Element, path: str) -> enum.StrEnum:
    text = _text(parent, path)
    try:
        return enum_type(text)
    except ValueError as exc:
        allowed = ", ".join(member.value for member in enum_type)
        raise LocalAuthorityPayloadError(f"{path} is {text!r}, not one of {allowed}") from exc


def _reasons(parent: etree._Element) -> tuple[Reason, ...]:
    return tuple(Reason(_text(item, "ruleId"), _text(item, "text")) for item in parent.findall("reasons/reason"))


def _person(parent: etree._Element) -> Person:
    holder = parent.find("person")
    if holder is None:
        raise LocalAuthorityPayloadError(f"{etree.QName(parent).localname}/person is missing")
    sex = _choice(Sex, holder, "sex")
    assert isinstance(sex, Sex)
    return Person(
        iin=_text(holder, "iin"),
        surname=_text(holder, "surname"),
        name=_text(holder, "name"),
        patronymic=_optional(holder, "patronymic"),
        birth_date=_date(holder, "birthDate"),
        sex=sex,
        address=_text(holder, "address"),
    )


def read_registration_package(element: etree._Element) -> UnemployedRegistrationPackage:
    _expect(element, PACKAGE_TAG)
    draft_element = element.find("draftDecision")
    if draft_element is None:
        raise LocalAuthorityPayloadError("unemployedRegistrationPackage/draftDecision is missing")
    proposed = Outcome(_choice(Outcome, draft_element, "proposedOutcome"))
    reasons = _reasons(draft_element)
    if proposed is Outcome.DEREGISTERED:
        raise LocalAuthorityPayloadError("a draft decision on registration proposes registered or refused")
    if (proposed is Outcome.REFUSED) != bool(reasons):
        raise LocalAuthorityPayloadError(
            "draftDecision: a proposed refusal states its UN-4 reasons, and a proposed registration states none"
        )
    return UnemployedRegistrationPackage(
        case_id=_text(element, "caseId"),
        sent_at=_moment(element, "sentAt"),
        person=_person(element),
        job_seeker_registered_on=_date(element, "jobSeekerRegisteredOn"),
        sending_ground=SendingGround(_choice(SendingGround, element, "sendingGround")),
        draft=DraftDecision(proposed, reasons),
    )


def read_deregistration_request(element: etree._Element) -> DeregistrationRequest:
    _expect(element, DEREGISTRATION_TAG)
    number_text = _text(element, "ground/number")
    try:
        number = int(number_text)
    except ValueError as exc:
        raise LocalAuthorityPayloadError(f"ground/number is not a number: {number_text!r}") from exc
    rule_id = deregistration_rule_id(number)
    if _text(element, "ground/ruleId") != rule_id:
        raise LocalAuthorityPayloadError(f"ground/ruleId must be {rule_id!r} for ground {number}")
    return DeregistrationRequest(
        case_id=_text(element, "caseId"),
        sent_at=_moment(element, "sentAt"),
        person=_person(element),
        unemployed_since=_date(element, "unemployedSince"),
        ground=number,
        facts=_text(element, "facts"),
        information_received_on=_date(element, "informationReceivedOn"),
    )


def read_complaint(element: etree._Element) -> Complaint:
    _expect(element, COMPLAINT_TAG)
    return Complaint(
        complaint_id=_text(element, "complaintId"),
        submitted_at=_moment(element, "submittedAt"),
        complainant_iin=_text(element, "complainant/iin"),
        complainant_name=_text(element, "complainant/fullName"),
        addressee=Addressee(_choice(Addressee, element, "addressee")),
        subject=_text(element, "subject"),
        text=_text(element, "text"),
        contested_application_id=_optional(element, "contestedApplicationId"),
    )


def read_receipt(element: etree._Element) -> Receipt:
    _expect(element, RECEIPT_TAG)
    return Receipt(
        kind=ReceiptKind(_choice(ReceiptKind, element, "kind")),
        case_id=_text(element, "caseId"),
        received_at=_moment(element, "receivedAt"),
        deadline=_moment(element, "deadline"),
        rule_id=_text(element, "ruleId"),
    )


def read_decision(element: etree._Element) -> AuthorityDecision:
    _expect(element, DECISION_TAG)
    registered_on = _optional(element, "registeredOn")
    decision = AuthorityDecision(
        decision_id=_text(element, "decisionId"),
        case_id=_text(element, "caseId"),
        kind=CaseKind(_choice(CaseKind, element, "kind")),
        outcome=Outcome(_choice(Outcome, element, "outcome")),
        person_iin=_text(element, "person/iin"),
        person_full_name=_text(element, "person/fullName"),
        reasons=_reasons(element),
        decided_on=_date(element, "decidedOn"),
        registered_on=_date(element, "registeredOn") if registered_on else None,
        authority_name=_text(element, "authorityName"),
        signer_name=_text(element, "signerName"),
        signer_position=_text(element, "signerPosition"),
    )
    check_decision(decision)
    return decision


def read_acknowledgement(element: etree._Element) -> DecisionAcknowledgement:
    _expect(element, ACKNOWLEDGEMENT_TAG)
    return DecisionAcknowledgement(
        decision_id=_text(element, "decisionId"),
        case_id=_text(element, "caseId"),
        received_at=_moment(element, "receivedAt"),
    )
