"""The documents of the register of the unemployed, and their delivery to a citizen's personal cabinet.

Schema ``wsdl/xsd/register-documents.xsd``; namespace ``urn:kz:egov-sim:labour-market:register:v1`` on the
root element, children unqualified; a signature, when present, is an enveloped ``ds:Signature`` appended as
the last child after :func:`write_register_document` (:mod:`adapters.signed_documents` signs and verifies).
The values (kinds and dataclasses) are defined in :mod:`contracts.register_model` and re-exported here.

Root elements (dataclass, the kind the cabinet names it, legal text, who signs):

- ``unemployedRegistrationNotice`` (:class:`UnemployedRegistrationNotice`, ``unemployed-registered``): Rules
  Annex 4 (UN-3, UN-5), signed by the centre's director (§33);
- ``unemployedRegistrationRefusal`` (:class:`UnemployedRegistrationRefusal`, ``unemployed-refused``): Rules
  Annex 5 (UN-3, UN-4), signed by the centre's director (§33);
- ``unemployedCertificateApplication`` (:class:`CertificateApplication`, ``certificate-application``): Rules
  Annex 7 (CE-1), signed by the applicant (§41);
- ``unemployedCertificate`` (:class:`UnemployedCertificate`, ``certificate``): Rules Annex 8 (CE-2), signed by
  the centre's director;
- ``unemployedCertificateRefusal`` (:class:`CertificateRefusal`, ``certificate-refused``): the reasoned refusal
  (CE-3, Annex 6 item 9; CE-4, §43), signed by the centre's director;
- ``unemployedDeregistrationNotice`` (:class:`DeregistrationNotice`, ``deregistered``): the notification of
  removal (DR-2, §45), signed by the centre's director.

The local authority's decisions (§32, §45) are its own documents, signed by its head; the centre's
notifications name them (:class:`AuthorityDecision`). Every document but the application has a
``document_number``, a ``person``, ``centre_name``, ``issued_on`` and ``director_name``; the application
answers to the same ``document_number`` (its ``application_id``) and ``person`` (its applicant).

``cabinetDocumentDelivery`` (:class:`contracts.cabinet_delivery.CabinetDelivery`) is the request data of
``EGOV_CabinetDocument``: a signed document, as text, for the personal cabinet of ``recipient_iin``;
``cabinetDocumentReceipt`` (:class:`contracts.cabinet_delivery.CabinetReceipt`) its answer.
``ENBEK_UnemployedCertificate`` carries the application as request data and the certificate or its refusal
as response data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from lxml import etree

from contracts.register_model import (
    CABINET_DELIVERY_TAG,
    CABINET_RECEIPT_TAG,
    CABINET_SERVICE_ID,
    CERTIFICATE_SERVICE_ID,
    REGISTER_KINDS,
    REGISTER_NS,
    SCHEMA,
    AuthorityDecision,
    CertificateApplication,
    CertificateRefusal,
    DeregistrationNotice,
    Person,
    Reason,
    RegisterDocument,
    RegisterDocumentError,
    RegisterKind,
    UnemployedCertificate,
    UnemployedRegistrationNotice,
    UnemployedRegistrationRefusal,
    register_kind,
)
from contracts.xml_text import add_text, child_text

__all__ = [
    "CABINET_DELIVERY_TAG",
    "CABINET_RECEIPT_TAG",
    "CABINET_SERVICE_ID",
    "CERTIFICATE_SERVICE_ID",
    "REGISTER_KINDS",
    "REGISTER_NS",
    "SCHEMA",
    "AuthorityDecision",
    "CertificateApplication",
    "CertificateRefusal",
    "DeregistrationNotice",
    "Person",
    "Reason",
    "RegisterDocument",
    "RegisterDocumentError",
    "RegisterKind",
    "UnemployedCertificate",
    "UnemployedRegistrationNotice",
    "UnemployedRegistrationRefusal",
    "read_register_document",
    "register_kind",
    "write_register_document",
]


# ---- writing -------------------------------------------------------------------------------------


def _date(value: date) -> str:
    return value.isoformat()


def _person(parent: etree._Element, tag: str, person: Person) -> None:
    element = etree.SubElement(parent, tag)
    add_text(element, "iin", person.iin)
    add_text(element, "fullName", person.full_name)


def _reasons(parent: etree._Element, reasons: tuple[Reason, ...]) -> None:
    if not reasons:
        raise ValueError("a refusal or a removal names at least one reason")
    holder = etree.SubElement(parent, "reasons")
    for reason in reasons:
        item = etree.SubElement(holder, "reason")
        add_text(item, "ruleId", reason.rule_id)
        add_text(item, "ground", None if reason.ground is None else str(reason.ground))
        add_text(item, "text", reason.text)


def _decision(parent: etree._Element, decision: AuthorityDecision, issued_on: date) -> None:
    if decision.decided_on > issued_on:
        raise ValueError(f"the authority's decision of {decision.decided_on} is after the notice ({issued_on})")
    element = etree.SubElement(parent, "decision")
    add_text(element, "authorityName", decision.authority_name)
    add_text(element, "decidedOn", _date(decision.decided_on))
    add_text(element, "decisionNumber", decision.decision_number)
    add_text(element, "signedBy", decision.signed_by)


def _issued(root: etree._Element, centre_name: str, issued_on: date) -> None:
    add_text(root, "centreName", centre_name)
    add_text(root, "issuedOn", _date(issued_on))


def _not_before(later: date, earlier: date, what: str) -> None:
    if later < earlier:
        raise ValueError(f"{what}: {later} is before {earlier}")


def _write_notice(root: etree._Element, document: UnemployedRegistrationNotice) -> None:
    _not_before(document.certificate_valid_until, document.issued_on, "certificateValidUntil against issuedOn")
    if not document.payment_documents:
        raise ValueError("the notice lists the documents needed for the job-loss payment (UN-5, §35 (2))")
    add_text(root, "documentNumber", document.document_number)
    add_text(root, "caseId", document.case_id)
    _person(root, "person", document.person)
    add_text(root, "registeredOn", _date(document.registered_on))
    _decision(root, document.decision, document.issued_on)
    holder = etree.SubElement(root, "paymentDocuments")
    for item in document.payment_documents:
        add_text(holder, "document", item)
    _issued(root, document.centre_name, document.issued_on)
    add_text(root, "certificateValidUntil", _date(document.certificate_valid_until))
    add_text(root, "directorName", document.director_name)


def _write_refusal(root: etree._Element, document: UnemployedRegistrationRefusal) -> None:
    add_text(root, "documentNumber", document.document_number)
    add_text(root, "caseId", document.case_id)
    _person(root, "person", document.person)
    _reasons(root, document.reasons)
    _decision(root, document.decision, document.issued_on)
    _issued(root, document.centre_name, document.issued_on)
    add_text(root, "directorName", document.director_name)


def _write_application(root: etree._Element, document: CertificateApplication) -> None:
    if document.submitted_at.utcoffset() is None:
        raise ValueError("submittedAt of the application needs its time zone")
    add_text(root, "applicationId", document.application_id)
    add_text(root, "submittedAt", document.submitted_at.isoformat())
    add_text(root, "centreName", document.centre_name)
    _person(root, "applicant", document.applicant)
    add_text(root, "consentToPersonalData", "true" if document.consent_to_personal_data else "false")
    add_text(root, "warnedOfLiability", "true" if document.warned_of_liability else "false")
    contacts = etree.SubElement(root, "contacts")
    add_text(contacts, "phone", document.phone)
    add_text(contacts, "email", document.email)


def _write_certificate(root: etree._Element, document: UnemployedCertificate) -> None:
    _not_before(document.valid_until, document.issued_on, "validUntil against issuedOn")
    add_text(root, "documentNumber", document.document_number)
    add_text(root, "applicationId", document.application_id)
    _person(root, "person", document.person)
    add_text(root, "registeredOn", _date(document.registered_on))
    _decision(root, document.decision, document.issued_on)
    _issued(root, document.centre_name, document.issued_on)
    add_text(root, "validUntil", _date(document.valid_until))
    add_text(root, "directorName", document.director_name)


def _write_certificate_refusal(root: etree._Element, document: CertificateRefusal) -> None:
    add_text(root, "documentNumber", document.document_number)
    add_text(root, "applicationId", document.application_id)
    _person(root, "person", document.person)
    _reasons(root, document.reasons)
    _issued(root, document.centre_name, document.issued_on)
    add_text(root, "directorName", document.director_name)


def _write_deregistration(root: etree._Element, document: DeregistrationNotice) -> None:
    if document.re_registration_from is not None:
        _not_before(document.re_registration_from, document.deregistered_on, "reRegistrationFrom")
    add_text(root, "documentNumber", document.document_number)
    add_text(root, "caseId", document.case_id)
    _person(root, "person", document.person)
    add_text(root, "deregisteredOn", _date(document.deregistered_on))
    _reasons(root, document.reasons)
    _decision(root, document.decision, document.issued_on)
    if document.re_registration_from is not None:
        add_text(root, "reRegistrationFrom", _date(document.re_registration_from))
    _issued(root, document.centre_name, document.issued_on)
    add_text(root, "directorName", document.director_name)


def write_register_document(document: RegisterDocument) -> etree._Element:
    """The document's root element, unsigned, children in the order of ``register-documents.xsd``.

    Raises ``ValueError`` for what the schema cannot say: a validity end before the issue day, a decision
    after the notice, a refusal without a reason, a notice without the payment's documents."""
    root = etree.Element(document.kind.tag, nsmap={"lmr": REGISTER_NS})
    if isinstance(document, UnemployedRegistrationNotice):
        _write_notice(root, document)
    elif isinstance(document, UnemployedRegistrationRefusal):
        _write_refusal(root, document)
    elif isinstance(document, CertificateApplication):
        _write_application(root, document)
    elif isinstance(document, UnemployedCertificate):
        _write_certificate(root, document)
    elif isinstance(document, CertificateRefusal):
        _write_certificate_refusal(root, document)
    else:
        _write_deregistration(root, document)
    return root


# ---- reading -------------------------------------------------------------------------------------


def _required(parent: etree._Element, path: str) -> str:
    value = child_text(parent, path)
    if not value:
        raise RegisterDocumentError(f"the document has no {path}")
    return value


def _read_date(parent: etree._Element, path: str) -> date:
    text = _required(parent, path)
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise RegisterDocumentError(f"{path} is not a date: {text!r}") from exc


def _optional_date(parent: etree._Element, path: str) -> date | None:
    return _read_date(parent, path) if child_text(parent, path) else None


def _read_boolean(parent: etree._Element, path: str) -> bool:
    text = _required(parent, path)
    if text not in ("true", "false", "1", "0"):
        raise RegisterDocumentError(f"{path} is not a boolean: {text!r}")
    return text in ("true", "1")


def _read_person(parent: etree._Element, path: str) -> Person:
    return Person(_required(parent, f"{path}/iin"), _required(parent, f"{path}/fullName"))


def _read_reasons(parent: etree._Element) -> tuple[Reason, ...]:
    reasons = []
    for item in parent.findall("reasons/reason"):
        ground = child_text(item, "ground")
        if ground is not None and not ground.isdigit():
            raise RegisterDocumentError(f"reasons/reason/ground is not a number: {ground!r}")
        reasons.append(Reason(_required(item, "ruleId"), _required(item, "text"), int(ground) if ground else None))
    if not reasons:
        raise RegisterDocumentError("the document has no reasons/reason")
    return tuple(reasons)


def _read_decision(parent: etree._Element) -> AuthorityDecision:
    return AuthorityDecision(
        authority_name=_required(parent, "decision/authorityName"),
        decided_on=_read_date(parent, "decision/decidedOn"),
        decision_number=child_text(parent, "decision/decisionNumber"),
        signed_by=child_text(parent, "decision/signedBy"),
    )


def _read_submitted_at(parent: etree._Element) -> datetime:
    text = _required(parent, "submittedAt")
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise RegisterDocumentError(f"submittedAt is not a date and time: {text!r}") from exc
    if instant.utcoffset() is None:
        raise RegisterDocumentError(f"submittedAt {text!r} has no time zone; give it with its offset, e.g. +05:00")
    return instant


def _read_notice(e: etree._Element) -> UnemployedRegistrationNotice:
    documents = tuple(text for item in e.findall("paymentDocuments/document") if (text := (item.text or "").strip()))
    if not documents:
        raise RegisterDocumentError("the document has no paymentDocuments/document")
    return UnemployedRegistrationNotice(
        document_number=_required(e, "documentNumber"),
        person=_read_person(e, "person"),
        registered_on=_read_date(e, "registeredOn"),
        decision=_read_decision(e),
        payment_documents=documents,
        centre_name=_required(e, "centreName"),
        issued_on=_read_date(e, "issuedOn"),
        certificate_valid_until=_read_date(e, "certificateValidUntil"),
        director_name=_required(e, "directorName"),
        case_id=child_text(e, "caseId"),
    )


def _read_refusal(e: etree._Element) -> UnemployedRegistrationRefusal:
    return UnemployedRegistrationRefusal(
        document_number=_required(e, "documentNumber"),
        person=_read_person(e, "person"),
        reasons=_read_reasons(e),
        decision=_read_decision(e),
        centre_name=_required(e, "centreName"),
        issued_on=_read_date(e, "issuedOn"),
        director_name=_required(e, "directorName"),
        case_id=child_text(e, "caseId"),
    )


def _read_application(e: etree._Element) -> CertificateApplication:
    return CertificateApplication(
        application_id=_required(e, "applicationId"),
        submitted_at=_read_submitted_at(e),
        centre_name=_required(e, "centreName"),
        applicant=_read_person(e, "applicant"),
        consent_to_personal_data=_read_boolean(e, "consentToPersonalData"),
        warned_of_liability=_read_boolean(e, "warnedOfLiability"),
        phone=child_text(e, "contacts/phone"),
        email=child_text(e, "contacts/email"),
    )


def _read_certificate(e: etree._Element) -> UnemployedCertificate:
    return UnemployedCertificate(
        document_number=_required(e, "documentNumber"),
        application_id=_required(e, "applicationId"),
        person=_read_person(e, "person"),
        registered_on=_read_date(e, "registeredOn"),
        decision=_read_decision(e),
        centre_name=_required(e, "centreName"),
        issued_on=_read_date(e, "issuedOn"),
        valid_until=_read_date(e, "validUntil"),
        director_name=_required(e, "directorName"),
    )


def _read_certificate_refusal(e: etree._Element) -> CertificateRefusal:
    return CertificateRefusal(
        document_number=_required(e, "documentNumber"),
        application_id=_required(e, "applicationId"),
        person=_read_person(e, "person"),
        reasons=_read_reasons(e),
        centre_name=_required(e, "centreName"),
        issued_on=_read_date(e, "issuedOn"),
        director_name=_required(e, "directorName"),
    )


def _read_deregistration(e: etree._Element) -> DeregistrationNotice:
    return DeregistrationNotice(
        document_number=_required(e, "documentNumber"),
        person=_read_person(e, "person"),
        deregistered_on=_read_date(e, "deregisteredOn"),
        reasons=_read_reasons(e),
        decision=_read_decision(e),
        centre_name=_required(e, "centreName"),
        issued_on=_read_date(e, "issuedOn"),
        director_name=_required(e, "directorName"),
        case_id=child_text(e, "caseId"),
        re_registration_from=_optional_date(e, "reRegistrationFrom"),
    )


_READERS: dict[RegisterKind, Callable[[etree._Element], RegisterDocument]] = {
    RegisterKind.UNEMPLOYED_REGISTERED: _read_notice,
    RegisterKind.UNEMPLOYED_REFUSED: _read_refusal,
    RegisterKind.CERTIFICATE_APPLICATION: _read_application,
    RegisterKind.CERTIFICATE: _read_certificate,
    RegisterKind.CERTIFICATE_REFUSED: _read_certificate_refusal,
    RegisterKind.DEREGISTERED: _read_deregistration,
}


def read_register_document(element: etree._Element) -> RegisterDocument:
    """Read a whole register document (its signature, if any, is not looked at here)."""
    return _READERS[register_kind(element)](element)
