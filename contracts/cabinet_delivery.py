"""The delivery of a signed document into a citizen's personal cabinet: ``EGOV_CabinetDocument``.

Request data ``cabinetDocumentDelivery``, response data ``cabinetDocumentReceipt``; schema and namespace
those of :mod:`contracts.register_documents` (``wsdl/xsd/register-documents.xsd``). The signed document
travels as text (``signedDocument``) so that the portal verifies exactly the bytes that were signed
(docs/protocol.md §5). The issuer is the sending organisation: the portal requires the signer's certificate
to carry its BIN (CE-4, UN-3, DR-2: the result "goes to the personal cabinet and is kept there").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from contracts.register_documents import (
    CABINET_DELIVERY_TAG,
    CABINET_RECEIPT_TAG,
    CABINET_SERVICE_ID,
    REGISTER_NS,
    SCHEMA,
    RegisterDocument,
    RegisterDocumentError,
)
from contracts.xml_text import add_text, child_text

__all__ = [
    "CABINET_SERVICE_ID",
    "SCHEMA",
    "CabinetDelivery",
    "CabinetReceipt",
    "Issuer",
    "delivery_of",
    "read_cabinet_delivery",
    "read_cabinet_receipt",
    "write_cabinet_delivery",
    "write_cabinet_receipt",
]


@dataclass(frozen=True)
class Issuer:
    """The organisation that issued the document (its official signed it)."""

    bin: str
    name: str


@dataclass(frozen=True)
class CabinetDelivery:
    """A signed document (``signed_document``, serialised) for the cabinet of ``recipient_iin``."""

    recipient_iin: str
    document_kind: str
    document_number: str
    issuer: Issuer
    signed_document: str


@dataclass(frozen=True)
class CabinetReceipt:
    """The portal's answer: the document's id in the cabinet, when it first arrived, and whether this
    delivery repeated an earlier one (then nothing changed)."""

    cabinet_document_id: str
    document_number: str
    received_at: datetime
    already_delivered: bool


def delivery_of(document: RegisterDocument, signed_document: str, issuer: Issuer) -> CabinetDelivery:
    """The delivery of a register document, signed as ``signed_document``, to its addressee's cabinet."""
    return CabinetDelivery(
        recipient_iin=document.person.iin,
        document_kind=document.kind.value,
        document_number=document.document_number,
        issuer=issuer,
        signed_document=signed_document,
    )


def write_cabinet_delivery(delivery: CabinetDelivery) -> etree._Element:
    root = etree.Element(CABINET_DELIVERY_TAG, nsmap={"lmr": REGISTER_NS})
    add_text(root, "recipientIin", delivery.recipient_iin)
    add_text(root, "documentKind", delivery.document_kind)
    add_text(root, "documentNumber", delivery.document_number)
    issuer = etree.SubElement(root, "issuer")
    add_text(issuer, "bin", delivery.issuer.bin)
    add_text(issuer, "name", delivery.issuer.name)
    add_text(root, "signedDocument", delivery.signed_document)
    return root


def _required(parent: etree._Element, path: str, what: str) -> str:
    value = child_text(parent, path)
    if not value:
        raise RegisterDocumentError(f"the {what} has no {path}")
    return value


def read_cabinet_delivery(element: etree._Element) -> CabinetDelivery:
    """Read ``cabinetDocumentDelivery``; the signed document is returned as sent (not stripped)."""
    if element.tag != CABINET_DELIVERY_TAG:
        raise RegisterDocumentError(f"expected cabinetDocumentDelivery, got {element.tag}")
    signed = element.find("signedDocument")
    if signed is None or not (signed.text or "").strip():
        raise RegisterDocumentError("the delivery has no signedDocument")
    return CabinetDelivery(
        recipient_iin=_required(element, "recipientIin", "delivery"),
        document_kind=_required(element, "documentKind", "delivery"),
        document_number=_required(element, "documentNumber", "delivery"),
        issuer=Issuer(_required(element, "issuer/bin", "delivery"), _required(element, "issuer/name", "delivery")),
        signed_document=signed.text or "",
    )


def write_cabinet_receipt(receipt: CabinetReceipt) -> etree._Element:
    if receipt.received_at.utcoffset() is None:
        raise ValueError("receivedAt needs its time zone")
    root = etree.Element(CABINET_RECEIPT_TAG, nsmap={"lmr": REGISTER_NS})
    add_text(root, "cabinetDocumentId", receipt.cabinet_document_id)
    add_text(root, "documentNumber", receipt.document_number)
    add_text(root, "receivedAt", receipt.received_at.isoformat())
    add_text(root, "alreadyDelivered", "true" if receipt.already_delivered else "false")
    return root


def read_cabinet_receipt(element: etree._Element) -> CabinetReceipt:
    if element.tag != CABINET_RECEIPT_TAG:
        raise RegisterDocumentError(f"expected cabinetDocumentReceipt, got {element.tag}")
    text = _required(element, "receivedAt", "receipt")
    try:
        received_at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise RegisterDocumentError(f"receivedAt is not a date and time: {text!r}") from exc
    if received_at.utcoffset() is None:
        raise RegisterDocumentError(f"receivedAt {text!r} has no time zone")
    repeated = _required(element, "alreadyDelivered", "receipt")
    if repeated not in ("true", "false", "1", "0"):
        raise RegisterDocumentError(f"alreadyDelivered is not a boolean: {repeated!r}")
    return CabinetReceipt(
        cabinet_document_id=_required(element, "cabinetDocumentId", "receipt"),
        document_number=_required(element, "documentNumber", "receipt"),
        received_at=received_at,
        already_delivered=repeated in ("true", "1"),
    )
