"""Build and read SyncChannel messages: ``SendMessage``, ``SendMessageResponse`` and faults.

Shapes follow ``docs/protocol.md`` and ``wsdl/SyncChannel.wsdl``: only the wrapper element (``SendMessage``,
``SendMessageResponse``, or the fault detail ``SendMessageFault1_SendMessageFault``) is namespace-qualified,
with ``http://bip.bee.kz/SyncChannel/v10/Types``; ``request``/``response`` and their children are
unqualified. The port type and binding of the WSDL live in ``.../SyncChannel/v10/Interfaces``, a namespace
that never appears on the wire. The payload in
``data`` is either an XML element or an escaped XML string (``xsi:type="xs:string"``); signed business
documents travel as strings so that the receiver verifies exactly the bytes that were signed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lxml import etree

from adapters.shep.errors import ShepError
from adapters.shep.faults import STATUS_SUCCESS
from adapters.xml import XmlLimits, child_text, parse_xml
from adapters.xml.parser import DEFAULT_MAX_BYTES

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
INTERFACES_NS = "http://bip.bee.kz/SyncChannel/v10/Interfaces"  # WSDL port type and binding only
TYPES_NS = "http://bip.bee.kz/SyncChannel/v10/Types"  # the wrapper and fault elements
COMMON_NS = "http://bip.bee.kz/common/v10/Types"  # SenderInfo, StatusInfo, ErrorInfo, guid (types only)
SEND_MESSAGE = f"{{{TYPES_NS}}}SendMessage"
SEND_MESSAGE_RESPONSE = f"{{{TYPES_NS}}}SendMessageResponse"
SEND_MESSAGE_FAULT = f"{{{TYPES_NS}}}SendMessageFault1_SendMessageFault"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XS_NS = "http://www.w3.org/2001/XMLSchema"


class EnvelopeError(ShepError, ValueError):
    """The message does not have the SyncChannel shape (SCE001)."""


@dataclass(frozen=True)
class Payload:
    """What ``data`` carries: an element, or a serialised XML document as text."""

    element: etree._Element | None = None
    text: str | None = None

    @classmethod
    def of_document(cls, document: etree._Element) -> Payload:
        """A (signed) document carried as an escaped string, byte for byte."""
        return cls(text=etree.tostring(document, encoding="unicode"))

    @property
    def is_empty(self) -> bool:
        return self.element is None and not self.text

    def document(self, max_bytes: int = DEFAULT_MAX_BYTES, limits: XmlLimits | None = None) -> etree._Element:
        """The payload as an element; a text payload is parsed with the hardened parser.

        Raises :class:`adapters.xml.XmlRejected` (reason ``empty`` when there is no payload at all).
        """
        if self.element is not None:
            return self.element
        return parse_xml(self.text or "", max_bytes=max_bytes, limits=limits)


@dataclass(frozen=True)
class RequestInfo:
    message_id: str
    service_id: str
    sender_id: str
    message_date: dt.datetime
    correlation_id: str | None = None
    password: str | None = None
    route_id: str | None = None
    session_id: str | None = None
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ResponseInfo:
    message_id: str
    response_date: dt.datetime
    correlation_id: str | None = None
    status_code: str = STATUS_SUCCESS
    status_message: str = "processed successfully"
    session_id: str | None = None


@dataclass(frozen=True)
class ErrorInfo:
    code: str
    message: str
    date: dt.datetime
    data: str | None = None
    sub_error: ErrorInfo | None = None
    session_id: str | None = None


def _text(parent: etree._Element, tag: str, value: str | None) -> None:
    if value is not None:
        etree.SubElement(parent, tag).text = value


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _envelope() -> tuple[etree._Element, etree._Element]:
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"soap": SOAP_NS})
    etree.SubElement(envelope, f"{{{SOAP_NS}}}Header")
    body = etree.SubElement(envelope, f"{{{SOAP_NS}}}Body")
    return envelope, body


def _write_data(parent: etree._Element, container: str, payload: Payload) -> None:
    holder = etree.SubElement(parent, container)
    if payload.element is not None:
        etree.SubElement(holder, "data").append(payload.element)
    elif payload.text is not None:
        data = etree.SubElement(holder, "data", nsmap={"xs": XS_NS, "xsi": XSI_NS})
        data.set(f"{{{XSI_NS}}}type", "xs:string")
        data.text = payload.text
    else:
        etree.SubElement(holder, "data")


def _request_element(info: RequestInfo, payload: Payload) -> etree._Element:
    request = etree.Element("request")
    request_info = etree.SubElement(request, "requestInfo")
    _text(request_info, "messageId", info.message_id)
    _text(request_info, "correlationId", info.correlation_id)
    _text(request_info, "serviceId", info.service_id)
    _text(request_info, "messageDate", _iso(info.message_date))
    _text(request_info, "routeId", info.route_id)
    sender = etree.SubElement(request_info, "sender")
    _text(sender, "senderId", info.sender_id)
    _text(sender, "password", info.password)
    for key, value in info.properties.items():
        prop = etree.SubElement(request_info, "properties")
        _text(prop, "key", key)
        _text(prop, "value", value)
    _text(request_info, "sessionId", info.session_id or "")
    _write_data(request, "requestData", payload)
    return request


def build_request(info: RequestInfo, payload: Payload) -> etree._Element:
    """A whole unsigned ``SendMessage`` envelope."""
    envelope, body = _envelope()
    wrapper = etree.SubElement(body, SEND_MESSAGE, nsmap={"ns2": TYPES_NS})
    wrapper.append(_request_element(info, payload))
    return envelope


def build_response_element(info: ResponseInfo, payload: Payload) -> etree._Element:
    """The unqualified ``response`` element (what a spyne provider method returns)."""
    response = etree.Element("response")
    response_info = etree.SubElement(response, "responseInfo")
    _text(response_info, "messageId", info.message_id)
    _text(response_info, "correlationId", info.correlation_id)
    _text(response_info, "responseDate", _iso(info.response_date))
    status = etree.SubElement(response_info, "status")
    _text(status, "code", info.status_code)
    _text(status, "message", info.status_message[:250])
    _text(response_info, "sessionId", info.session_id or "")
    _write_data(response, "responseData", payload)
    return response


def build_response(info: ResponseInfo, payload: Payload) -> etree._Element:
    """A whole unsigned ``SendMessageResponse`` envelope."""
    envelope, body = _envelope()
    wrapper = etree.SubElement(body, SEND_MESSAGE_RESPONSE, nsmap={"ns2": TYPES_NS})
    wrapper.append(build_response_element(info, payload))
    return envelope


def error_element(error: ErrorInfo, tag: str = SEND_MESSAGE_FAULT) -> etree._Element:
    """``ErrorInfo`` as the fault detail element (or, nested, as ``subError``)."""
    element = etree.Element(tag, nsmap={"ns2": TYPES_NS}) if tag == SEND_MESSAGE_FAULT else etree.Element(tag)
    _text(element, "errorCode", error.code)
    _text(element, "errorMessage", error.message)
    _text(element, "errorData", error.data)
    _text(element, "errorDate", _iso(error.date))
    if error.sub_error is not None:
        element.append(error_element(error.sub_error, "subError"))
    _text(element, "sessionId", error.session_id)
    return element


def build_fault(error: ErrorInfo, *, client_error: bool, fault_code: str | None = None) -> etree._Element:
    """A SOAP 1.1 fault whose detail is ``SendMessageFault1_SendMessageFault`` (type ``ErrorInfo``); its
    faultcode ``soap:Client`` or ``soap:Server``, or ``fault_code`` (``soap:MustUnderstand``)."""
    envelope, body = _envelope()
    fault = etree.SubElement(body, f"{{{SOAP_NS}}}Fault")
    etree.SubElement(fault, "faultcode").text = fault_code or ("soap:Client" if client_error else "soap:Server")
    etree.SubElement(fault, "faultstring").text = f"{error.code}: {error.message}"
    detail = etree.SubElement(fault, "detail")
    detail.append(error_element(error))
    return envelope


def _find_text(parent: etree._Element, path: str, *, required: bool = True) -> str | None:
    value = child_text(parent, path)
    if required and not value:
        raise EnvelopeError(f"required element {path} is missing or empty")
    return value


def _date(value: str | None, what: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value or "")
    except ValueError as exc:
        raise EnvelopeError(f"{what} is not an ISO 8601 dateTime: {value!r}") from exc


def _read_data(container: etree._Element | None) -> Payload:
    data = container.find("data") if container is not None else None
    if data is None:
        return Payload()
    children = [child for child in data if isinstance(child.tag, str)]
    if children:
        if len(children) > 1:
            raise EnvelopeError("data must hold exactly one payload element")
        return Payload(element=children[0])
    text = data.text or ""
    return Payload(text=text) if text.strip() else Payload()


def _body_child(envelope_or_body: etree._Element) -> etree._Element:
    body = envelope_or_body
    if envelope_or_body.tag == f"{{{SOAP_NS}}}Envelope":
        found = envelope_or_body.find(f"{{{SOAP_NS}}}Body")
        if found is None:
            raise EnvelopeError("the Envelope has no Body")
        body = found
    if body.tag != f"{{{SOAP_NS}}}Body":
        raise EnvelopeError(f"expected a SOAP Body, found {body.tag}")
    children = [child for child in body if isinstance(child.tag, str)]
    if len(children) != 1:
        raise EnvelopeError(f"the Body must hold exactly one element, found {len(children)}")
    return children[0]


def _expect(element: etree._Element, tag: str) -> None:
    """The element must be ``tag`` (a Clark name); a right name in a wrong namespace is named as such."""
    if element.tag == tag:
        return
    wanted, found = etree.QName(tag), etree.QName(element)
    if wanted.localname == found.localname:
        raise EnvelopeError(
            f"{found.localname} must be in namespace {wanted.namespace}, not {found.namespace or 'no namespace'}"
        )
    raise EnvelopeError(f"expected {wanted.localname} in namespace {wanted.namespace}, found {element.tag}")


def parse_request_element(request: etree._Element) -> tuple[RequestInfo, Payload]:
    """Read an unqualified ``request`` element."""
    info = request.find("requestInfo")
    if info is None:
        raise EnvelopeError("request/requestInfo is missing")
    properties: dict[str, str] = {}
    for prop in info.findall("properties"):
        key = _find_text(prop, "key")
        properties[key or ""] = _find_text(prop, "value", required=False) or ""
    return (
        RequestInfo(
            message_id=_find_text(info, "messageId") or "",
            correlation_id=_find_text(info, "correlationId", required=False),
            service_id=_find_text(info, "serviceId") or "",
            message_date=_date(_find_text(info, "messageDate"), "messageDate"),
            route_id=_find_text(info, "routeId", required=False),
            sender_id=_find_text(info, "sender/senderId") or "",
            password=_find_text(info, "sender/password", required=False),
            session_id=_find_text(info, "sessionId", required=False),
            properties=properties,
        ),
        _read_data(request.find("requestData")),
    )


def parse_request(envelope_or_body: etree._Element) -> tuple[RequestInfo, Payload]:
    """Read a ``SendMessage`` from an Envelope or a (verified) Body."""
    wrapper = _body_child(envelope_or_body)
    _expect(wrapper, SEND_MESSAGE)
    request = wrapper.find("request")
    if request is None:
        raise EnvelopeError("SendMessage/request is missing")
    return parse_request_element(request)


def parse_response(envelope_or_body: etree._Element) -> tuple[ResponseInfo, Payload]:
    """Read a ``SendMessageResponse`` (raise :class:`EnvelopeError` for anything else, faults included)."""
    wrapper = _body_child(envelope_or_body)
    _expect(wrapper, SEND_MESSAGE_RESPONSE)
    response = wrapper.find("response")
    info = response.find("responseInfo") if response is not None else None
    if response is None or info is None:
        raise EnvelopeError("SendMessageResponse/response/responseInfo is missing")
    return (
        ResponseInfo(
            message_id=_find_text(info, "messageId") or "",
            correlation_id=_find_text(info, "correlationId", required=False),
            response_date=_date(_find_text(info, "responseDate"), "responseDate"),
            status_code=_find_text(info, "status/code") or "",
            status_message=_find_text(info, "status/message", required=False) or "",
            session_id=_find_text(info, "sessionId", required=False),
        ),
        _read_data(response.find("responseData")),
    )


def _parse_error(element: etree._Element) -> ErrorInfo:
    sub = element.find("subError")
    return ErrorInfo(
        code=_find_text(element, "errorCode") or "",
        message=_find_text(element, "errorMessage", required=False) or "",
        data=_find_text(element, "errorData", required=False),
        date=_date(_find_text(element, "errorDate"), "errorDate"),
        sub_error=_parse_error(sub) if sub is not None else None,
        session_id=_find_text(element, "sessionId", required=False),
    )


def parse_fault(envelope_or_body: etree._Element) -> ErrorInfo | None:
    """The ``ErrorInfo`` of a fault message, or None if the message is not a fault."""
    try:
        wrapper = _body_child(envelope_or_body)
    except EnvelopeError:
        return None
    if wrapper.tag != f"{{{SOAP_NS}}}Fault":
        return None
    detail = wrapper.find("detail")
    error = None
    if detail is not None:
        error = next((child for child in detail if isinstance(child.tag, str)), None)
    if error is None:
        raise EnvelopeError("the fault carries no ErrorInfo detail")
    _expect(error, SEND_MESSAGE_FAULT)
    return _parse_error(error)
