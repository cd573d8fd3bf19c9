"""The acts of the employment centre's own staff on the registration channels that do not pass the gateway.

Schema ``wsdl/xsd/registration-channels.xsd``; namespace ``urn:kz:egov-sim:labour-market:channels:v1`` on the
root element, children unqualified; signed enveloped by the centre's worker (docs/channels.md).

- ``documentsReceipt``: the documents of a rural assistant's pre-registration reached the centre at
  ``receivedAt`` (JS-13, Rules No. 259 §21). :func:`write_documents_receipt` / :func:`read_documents_receipt`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from contracts.errors import PayloadError
from contracts.xml_text import child_text

SCHEMA = "xsd/registration-channels.xsd"
CHANNELS_NS = "urn:kz:egov-sim:labour-market:channels:v1"
RECEIPT_TAG = f"{{{CHANNELS_NS}}}documentsReceipt"


class ChannelActError(PayloadError):
    """The payload is not the act it should be, or lacks a required field."""


@dataclass(frozen=True)
class DocumentsReceipt:
    pre_registration_id: str
    received_at: datetime


def write_documents_receipt(receipt: DocumentsReceipt) -> etree._Element:
    """The unsigned ``documentsReceipt``."""
    if receipt.received_at.tzinfo is None or receipt.received_at.utcoffset() is None:
        raise ChannelActError("receivedAt needs its time zone")
    root = etree.Element(RECEIPT_TAG, nsmap={"ch": CHANNELS_NS})
    etree.SubElement(root, "preRegistrationId").text = receipt.pre_registration_id
    etree.SubElement(root, "receivedAt").text = receipt.received_at.isoformat(timespec="seconds")
    return root


def read_documents_receipt(element: etree._Element) -> DocumentsReceipt:
    """Read ``documentsReceipt`` (its signature is not looked at here)."""
    if element.tag != RECEIPT_TAG:
        raise ChannelActError(f"expected {RECEIPT_TAG}, found {element.tag}")
    pre_registration_id = child_text(element, "preRegistrationId")
    text = child_text(element, "receivedAt")
    if not pre_registration_id or not text:
        raise ChannelActError("the receipt needs preRegistrationId and receivedAt")
    try:
        received_at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ChannelActError(f"receivedAt is not a date and time: {text!r}") from exc
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise ChannelActError(f"receivedAt {text!r} has no time zone; give it with its offset, e.g. +05:00")
    return DocumentsReceipt(pre_registration_id, received_at)
