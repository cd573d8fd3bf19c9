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

The dataclasses and enums are in :mod:`contracts.local_authority_model`; every name is re-exported here, so
both ends import this module only. Writers take the dataclass and give the unsigned root element (``write_*``);
the signer appends an enveloped ``ds:Signature`` (``adapters.signatures.sign_document``) and the document
travels as escaped text, so the receiver verifies the exact bytes. Readers (``read_*``) take a root element (a
verified document, or any element: a ``ds:Signature`` child is not looked at) and raise
:class:`LocalAuthorityPayloadError` naming what is wrong. What the schema cannot say is checked here: offsets
on instants, a draft refused without reasons, a ground number that is not its rule id, a decision whose
outcome contradicts its kind.
"""

from __future__ import annotations

from lxml import etree

from contracts.local_authority_model import (
    DEREGISTRATION_GROUNDS,
    Addressee,
    AuthorityDecision,
    CaseKind,
    Complaint,
    DecisionAcknowledgement,
    DeregistrationRequest,
    DraftDecision,
    LocalAuthorityPayloadError,
    Outcome,
    Person,
    Reason,
    Receipt,
    ReceiptKind,
    SendingGround,
    Sex,
    UnemployedRegistrationPackage,
    check_decision,
    deregistration_rule_id,
)
from contracts.xml_fields import Fields, instant
from contracts.xml_text import add_text

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

__all__ = [
    "ACKNOWLEDGEMENT_TAG",
    "COMPLAINT_SERVICE",
    "COMPLAINT_TAG",
    "DECISION_SERVICE",
    "DECISION_TAG",
    "DEREGISTRATION_GROUNDS",
    "DEREGISTRATION_SERVICE",
    "DEREGISTRATION_TAG",
    "LOCAL_AUTHORITY_NS",
    "PACKAGE_TAG",
    "RECEIPT_TAG",
    "SCHEMA",
    "UNEMPLOYED_REGISTRATION_SERVICE",
    "Addressee",
    "AuthorityDecision",
    "CaseKind",
    "Complaint",
    "DecisionAcknowledgement",
    "DeregistrationRequest",
    "DraftDecision",
    "LocalAuthorityPayloadError",
    "Outcome",
    "Person",
    "Reason",
    "Receipt",
    "ReceiptKind",
    "SendingGround",
    "Sex",
    "UnemployedRegistrationPackage",
    "check_decision",
    "deregistration_rule_id",
    "read_acknowledgement",
    "read_complaint",
    "read_decision",
    "read_deregistration_request",
    "read_receipt",
    "read_registration_package",
    "write_acknowledgement",
    "write_complaint",
    "write_decision",
    "write_deregistration_request",
    "write_receipt",
    "write_registration_package",
]


# ---- writing -------------------------------------------------------------------------------------


def _root(tag: str) -> etree._Element:
    return etree.Element(tag, nsmap={"la": LOCAL_AUTHORITY_NS})


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
    add_text(root, "sentAt", instant(package.sent_at))
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
    add_text(root, "sentAt", instant(request.sent_at))
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
    add_text(root, "submittedAt", instant(complaint.submitted_at))
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
    add_text(root, "receivedAt", instant(receipt.received_at))
    add_text(root, "deadline", instant(receipt.deadline))
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
    add_text(root, "receivedAt", instant(acknowledgement.received_at))
    return root


# ---- reading -------------------------------------------------------------------------------------

_F = Fields(LocalAuthorityPayloadError)
_expect, _text, _optional, _date, _moment, _choice = _F.expect, _F.text, _F.optional, _F.date, _F.moment, _F.choice


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
