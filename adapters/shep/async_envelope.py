"""SOAP envelopes of the AsyncChannel: one signed Envelope around a wrapper of :mod:`contracts.async_channel`,
its faults, and the conversion between the contract's ``MessageData`` and :class:`Payload`.

Both ends use these: the gateway (``/bip-async/``, and its PUSH calls to participants) and participants
(:mod:`adapters.shep.async_client`, :mod:`adapters.shep.async_provider`).
"""

from __future__ import annotations

from lxml import etree

from adapters.shep.envelope import (
    SOAP_NS,
    EnvelopeError,
    ErrorInfo,
    Payload,
    _body_child,
    _envelope,
    _parse_error,
    error_element,
)
from contracts.async_channel import CLIENT_TYPES_NS, TYPES_NS, MessageData, fault_qname

__all__ = ["async_fault", "body_wrapper", "data_of", "parse_async_fault", "payload_of", "wrap"]


def wrap(wrapper: etree._Element) -> etree._Element:
    """An unsigned SOAP 1.1 Envelope whose Body holds ``wrapper``."""
    envelope, body = _envelope()
    body.append(wrapper)
    return envelope


def body_wrapper(envelope_or_body: etree._Element) -> etree._Element:
    """The one element in the Body (raises :class:`EnvelopeError` otherwise)."""
    return _body_child(envelope_or_body)


def async_fault(
    operation: str, error: ErrorInfo, *, client: bool = False, client_error: bool = True, fault_code: str | None = None
) -> etree._Element:
    """A SOAP fault whose detail is ``{operation}Fault1_{operation}Fault`` (type ``ErrorInfo``); ``fault_code``
    replaces ``soap:Client`` / ``soap:Server`` (``soap:MustUnderstand``)."""
    envelope, body = _envelope()
    fault = etree.SubElement(body, f"{{{SOAP_NS}}}Fault")
    etree.SubElement(fault, "faultcode").text = fault_code or ("soap:Client" if client_error else "soap:Server")
    etree.SubElement(fault, "faultstring").text = f"{error.code}: {error.message}"
    detail = etree.SubElement(fault, "detail")
    element = etree.SubElement(
        detail, fault_qname(operation, client=client), nsmap={"ns2": CLIENT_TYPES_NS if client else TYPES_NS}
    )
    element.extend(list(error_element(error, "errorInfo")))
    return envelope


def parse_async_fault(envelope_or_body: etree._Element) -> ErrorInfo | None:
    """The ``ErrorInfo`` of an AsyncChannel fault, or None when the message is no fault."""
    try:
        wrapper = _body_child(envelope_or_body)
    except EnvelopeError:
        return None
    if wrapper.tag != f"{{{SOAP_NS}}}Fault":
        return None
    detail = wrapper.find("detail")
    error = next((child for child in detail if isinstance(child.tag, str)), None) if detail is not None else None
    if error is None:
        raise EnvelopeError("the fault carries no ErrorInfo detail")
    name = etree.QName(error)
    if name.namespace not in (TYPES_NS, CLIENT_TYPES_NS) or "Fault1_" not in name.localname:
        raise EnvelopeError(f"the fault detail {error.tag} is no AsyncChannel fault element")
    return _parse_error(error)


def data_of(payload: Payload) -> MessageData:
    return MessageData(element=payload.element, text=payload.text)


def payload_of(data: MessageData) -> Payload:
    return Payload(element=data.element, text=data.text)
