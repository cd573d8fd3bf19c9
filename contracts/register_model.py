"""The values of the register documents (:mod:`contracts.register_documents` writes and reads them): the
kinds as the personal cabinet names them, and one frozen dataclass per document of Rules No. 259 Annexes 4,
5, 7, 8, the certificate's reasoned refusal and the deregistration notice. Import them from
:mod:`contracts.register_documents`, which re-exports every name here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from lxml import etree

from contracts.errors import PayloadError

SCHEMA = "xsd/register-documents.xsd"
REGISTER_NS = "urn:kz:egov-sim:labour-market:register:v1"
CABINET_SERVICE_ID = "EGOV_CabinetDocument"
CERTIFICATE_SERVICE_ID = "ENBEK_UnemployedCertificate"


class RegisterDocumentError(PayloadError):
    """The payload is not a readable register document or cabinet delivery."""


class RegisterKind(enum.StrEnum):
    """What the document is, as the personal cabinet names it."""

    UNEMPLOYED_REGISTERED = "unemployed-registered"  # Rules Annex 4, UN-3
    UNEMPLOYED_REFUSED = "unemployed-refused"  # Rules Annex 5, UN-3, UN-4
    CERTIFICATE_APPLICATION = "certificate-application"  # Rules Annex 7, CE-1
    CERTIFICATE = "certificate"  # Rules Annex 8, CE-2
    CERTIFICATE_REFUSED = "certificate-refused"  # CE-3 (Annex 6 item 9), CE-4
    DEREGISTERED = "deregistered"  # DR-2 (§45)

    @property
    def root(self) -> str:
        """The local name of the document's root element."""
        return _ROOTS[self]

    @property
    def tag(self) -> str:
        return f"{{{REGISTER_NS}}}{self.root}"


_ROOTS = {
    RegisterKind.UNEMPLOYED_REGISTERED: "unemployedRegistrationNotice",
    RegisterKind.UNEMPLOYED_REFUSED: "unemployedRegistrationRefusal",
    RegisterKind.CERTIFICATE_APPLICATION: "unemployedCertificateApplication",
    RegisterKind.CERTIFICATE: "unemployedCertificate",
    RegisterKind.CERTIFICATE_REFUSED: "unemployedCertificateRefusal",
    RegisterKind.DEREGISTERED: "unemployedDeregistrationNotice",
}
REGISTER_KINDS: dict[str, RegisterKind] = {kind.tag: kind for kind in RegisterKind}
CABINET_DELIVERY_TAG = f"{{{REGISTER_NS}}}cabinetDocumentDelivery"
CABINET_RECEIPT_TAG = f"{{{REGISTER_NS}}}cabinetDocumentReceipt"


def register_kind(element: etree._Element) -> RegisterKind:
    """The kind of register document ``element`` is; raise :class:`RegisterDocumentError` for any other."""
    kind = REGISTER_KINDS.get(str(element.tag))
    if kind is None:
        raise RegisterDocumentError(f"unexpected register document {element.tag}")
    return kind


# ---- the parts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """The addressee (or the applicant): IIN and full name."""

    iin: str
    full_name: str


@dataclass(frozen=True)
class Reason:
    """A reason: the rule (UN-4, DR-1, CE-3 of docs/rules.md), the number of its ground, its words."""

    rule_id: str
    text: str
    ground: int | None = None


@dataclass(frozen=True)
class AuthorityDecision:
    """The local employment authority's decision a document reports (§32, §45): signed by its head."""

    authority_name: str
    decided_on: date
    decision_number: str | None = None
    signed_by: str | None = None


# ---- the documents -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnemployedRegistrationNotice:
    """Rules Annex 4 (UN-3): registered as unemployed from ``registered_on``; the certificate would be
    valid until ``certificate_valid_until`` inclusive; ``payment_documents`` are those UN-5 (§35 (2)) names."""

    kind: ClassVar[RegisterKind] = RegisterKind.UNEMPLOYED_REGISTERED

    document_number: str
    person: Person
    registered_on: date
    decision: AuthorityDecision
    payment_documents: tuple[str, ...]
    centre_name: str
    issued_on: date
    certificate_valid_until: date
    director_name: str
    case_id: str | None = None


@dataclass(frozen=True)
class UnemployedRegistrationRefusal:
    """Rules Annex 5 (UN-3): refused registration as unemployed on the grounds of UN-4 (§34)."""

    kind: ClassVar[RegisterKind] = RegisterKind.UNEMPLOYED_REFUSED

    document_number: str
    person: Person
    reasons: tuple[Reason, ...]
    decision: AuthorityDecision
    centre_name: str
    issued_on: date
    director_name: str
    case_id: str | None = None


@dataclass(frozen=True)
class CertificateApplication:
    """Rules Annex 7 (CE-1, §41): the application for the certificate, signed by the applicant."""

    kind: ClassVar[RegisterKind] = RegisterKind.CERTIFICATE_APPLICATION

    application_id: str
    submitted_at: datetime
    centre_name: str
    applicant: Person
    consent_to_personal_data: bool
    warned_of_liability: bool
    phone: str | None = None
    email: str | None = None

    @property
    def document_number(self) -> str:
        return self.application_id

    @property
    def person(self) -> Person:
        return self.applicant


@dataclass(frozen=True)
class UnemployedCertificate:
    """Rules Annex 8 (CE-2): registered as unemployed from ``registered_on``; valid until ``valid_until``
    inclusive (30 calendar days from ``issued_on``, §38)."""

    kind: ClassVar[RegisterKind] = RegisterKind.CERTIFICATE

    document_number: str
    application_id: str
    person: Person
    registered_on: date
    decision: AuthorityDecision
    centre_name: str
    issued_on: date
    valid_until: date
    director_name: str


@dataclass(frozen=True)
class CertificateRefusal:
    """The reasoned refusal to issue the certificate (CE-3, Annex 6 item 9; kept in the cabinet, CE-4)."""

    kind: ClassVar[RegisterKind] = RegisterKind.CERTIFICATE_REFUSED

    document_number: str
    application_id: str
    person: Person
    reasons: tuple[Reason, ...]
    centre_name: str
    issued_on: date
    director_name: str


@dataclass(frozen=True)
class DeregistrationNotice:
    """DR-2 (§45): removed from the register on ``deregistered_on`` on the grounds of DR-1 (§44), by the
    authority's ``decision``; ``re_registration_from`` when the Social Code's 30-day bar applies."""

    kind: ClassVar[RegisterKind] = RegisterKind.DEREGISTERED

    document_number: str
    person: Person
    deregistered_on: date
    reasons: tuple[Reason, ...]
    decision: AuthorityDecision
    centre_name: str
    issued_on: date
    director_name: str
    case_id: str | None = None
    re_registration_from: date | None = None


RegisterDocument = (
    UnemployedRegistrationNotice
    | UnemployedRegistrationRefusal
    | CertificateApplication
    | UnemployedCertificate
    | CertificateRefusal
    | DeregistrationNotice
)
