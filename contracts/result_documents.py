"""The result documents of job-seeker registration, issued by the employment centre and read by the portal.

Response data of service ``ENBEK_JobSeekerRegistration``; schema ``wsdl/xsd/labour-market-documents.xsd``;
namespace ``urn:kz:egov-sim:labour-market:documents:v1`` on the root element, children unqualified. Each is
signed with the EDS of the centre's director or a person they authorised (JS-10, Rules No. 259 §29): the
signature, an enveloped ``ds:Signature`` as the last child, is added after :func:`write_result_document`.

- ``jobSeekerRegistrationNotice``: Rules Annex 3, the notification of registration (JS-6), kind ``registered``;
- ``jobSeekerRegistrationRefusal``: Rules Annex 2, the notification of refusal to register (JS-3), kind
  ``refused``;
- ``jobSeekerApplicationNotAccepted``: the reasoned refusal to accept the application (standard item 9,
  regulation 000 §5 condition 1; JS-2), kind ``not-accepted``: issued before any decision.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from lxml import etree

from contracts.errors import PayloadError
from contracts.xml_text import add_text, child_text

SCHEMA = "xsd/labour-market-documents.xsd"
DOCUMENTS_NS = "urn:kz:egov-sim:labour-market:documents:v1"


class ResultDocumentError(PayloadError):
    """The payload is not a readable result document."""


class ResultKind(enum.StrEnum):
    """What the document says, as the portal's cabinet names it."""

    REGISTERED = "registered"  # Rules Annex 3, JS-6
    REFUSED = "refused"  # Rules Annex 2, JS-3
    NOT_ACCEPTED = "not-accepted"  # standard item 9, JS-2

    @property
    def root(self) -> str:
        """The local name of the document's root element."""
        return _ROOTS[self]

    @property
    def tag(self) -> str:
        return f"{{{DOCUMENTS_NS}}}{self.root}"


_ROOTS = {
    ResultKind.REGISTERED: "jobSeekerRegistrationNotice",
    ResultKind.REFUSED: "jobSeekerRegistrationRefusal",
    ResultKind.NOT_ACCEPTED: "jobSeekerApplicationNotAccepted",
}
RESULT_KINDS: dict[str, ResultKind] = {kind.tag: kind for kind in ResultKind}


def result_kind(element: etree._Element) -> ResultKind:
    """The kind of result document ``element`` is; raise :class:`ResultDocumentError` for any other element."""
    kind = RESULT_KINDS.get(str(element.tag))
    if kind is None:
        raise ResultDocumentError(f"unexpected result document {element.tag}")
    return kind


@dataclass(frozen=True)
class Reason:
    """One reason of a refusal: the rule not met (docs/rules.md) and its words for the applicant."""

    rule_id: str
    text: str


@dataclass(frozen=True)
class ResultDocument:
    """One result document, unsigned. ``registered_on`` is the Annex 3 notice's; ``reasons`` the refusals'."""

    kind: ResultKind
    document_number: str
    application_id: str
    person_iin: str
    person_full_name: str
    centre_name: str
    issued_on: date
    director_name: str
    registered_on: date | None = None
    reasons: tuple[Reason, ...] = ()


def write_result_document(document: ResultDocument) -> etree._Element:
    """The document's root element, children in the order of ``labour-market-documents.xsd``."""
    if (document.kind is ResultKind.REGISTERED) != (document.registered_on is not None):
        raise ValueError(f"a {document.kind.root} needs registered_on exactly when it is a notice of registration")
    root = etree.Element(document.kind.tag, nsmap={"lmd": DOCUMENTS_NS})
    add_text(root, "documentNumber", document.document_number)
    add_text(root, "applicationId", document.application_id)
    person = etree.SubElement(root, "person")
    add_text(person, "iin", document.person_iin)
    add_text(person, "fullName", document.person_full_name)
    if document.registered_on is not None:
        add_text(root, "registeredOn", document.registered_on.isoformat())
    else:
        holder = etree.SubElement(root, "reasons")
        for reason in document.reasons:
            item = etree.SubElement(holder, "reason")
            add_text(item, "ruleId", reason.rule_id)
            add_text(item, "text", reason.text)
    add_text(root, "centreName", document.centre_name)
    add_text(root, "issuedOn", document.issued_on.isoformat())
    add_text(root, "directorName", document.director_name)
    return root


def read_application_id(element: etree._Element) -> str | None:
    """The ``applicationId`` a result document names (None when it names none)."""
    return child_text(element, "applicationId")


def _required(parent: etree._Element, path: str) -> str:
    value = child_text(parent, path)
    if not value:
        raise ResultDocumentError(f"the result document has no {path}")
    return value


def _date(parent: etree._Element, path: str) -> date:
    text = _required(parent, path)
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ResultDocumentError(f"{path} of the result document is not a date: {text!r}") from exc


def read_result_document(element: etree._Element) -> ResultDocument:
    """Read a whole result document (its signature, if any, is not looked at here)."""
    kind = result_kind(element)
    return ResultDocument(
        kind=kind,
        document_number=_required(element, "documentNumber"),
        application_id=_required(element, "applicationId"),
        person_iin=_required(element, "person/iin"),
        person_full_name=_required(element, "person/fullName"),
        centre_name=_required(element, "centreName"),
        issued_on=_date(element, "issuedOn"),
        director_name=_required(element, "directorName"),
        registered_on=_date(element, "registeredOn") if kind is ResultKind.REGISTERED else None,
        reasons=tuple(
            Reason(_required(item, "ruleId"), _required(item, "text")) for item in element.findall("reasons/reason")
        ),
    )
