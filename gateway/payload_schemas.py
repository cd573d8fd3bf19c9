"""Schema validation of SyncChannel envelopes and business payloads with ``xmlschema``."""

from __future__ import annotations

from lxml import etree

from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode
from adapters.xml import XmlRejected
from contracts.schemas import schema as _schema
from gateway.errors import GatewayError


def validate_envelope_body(body: etree._Element) -> None:
    """The ``SendMessage`` in a verified Body must match ``SyncChannel-types.xsd`` (its namespace included)."""
    wrapper = next((child for child in body if isinstance(child.tag, str)), None)
    if wrapper is None:
        raise GatewayError(ErrorCode.MALFORMED, "the Body is empty")
    errors = list(_schema("xsd/SyncChannel-types.xsd").iter_errors(wrapper))
    if errors:
        raise GatewayError(
            ErrorCode.MALFORMED, f"SendMessage does not match the SyncChannel contract: {errors[0].reason}"
        )


def validate_payload(payload: Payload, schema_name: str, max_bytes: int) -> None:
    """The business payload (an element, or a document carried as text) must match its schema."""
    if payload.is_empty:
        raise GatewayError(ErrorCode.MALFORMED, "requestData/data is empty")
    try:
        element = payload.document(max_bytes)
    except XmlRejected as exc:
        raise GatewayError(ErrorCode.MALFORMED, f"the payload string is not acceptable XML: {exc}") from exc
    errors = list(_schema(schema_name).iter_errors(element))
    if errors:
        raise GatewayError(ErrorCode.MALFORMED, f"payload does not match {schema_name}: {errors[0].reason}")
