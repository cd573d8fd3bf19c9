"""The gateway's asynchronous channel (``wsdl/AsyncChannel.wsdl``, ``wsdl/AsyncChannelClient.wsdl``): one
reader/writer of its messages, used by the gateway and by every participant.

Only the wrapper element in the SOAP Body is qualified — ``{.../AsyncChannel/v10/Types}sendMessage`` and the
other operations of ``IAsyncChannel``, ``{.../AsyncChannel/v10/Types/Client}sendMessage`` and
``changeMassageStatusNotification`` of ``IAsyncChannelClient`` (spelled as in the real protocol); ``request``
and ``response`` and everything in them are unqualified (docs/protocol.md, "AsyncChannel"). ``write_*``
functions build a wrapper element, ``read_*`` functions read one and raise :class:`AsyncContractError` naming
what is wrong. The SOAP envelope and its signature are the adapters' business (``adapters/shep``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from lxml import etree

from contracts.errors import PayloadError
from contracts.xml_text import add_text, child_text

TYPES_NS = "http://bip.bee.kz/AsyncChannel/v10/Types"
CLIENT_TYPES_NS = "http://bip.bee.kz/AsyncChannel/v10/Types/Client"
INTERFACES_NS = "http://bip.bee.kz/AsyncChannel/v10/Interfaces"  # WSDL only
CLIENT_INTERFACES_NS = "http://bip.bee.kz/AsyncChannel/v10/Interfaces/Client"  # WSDL only
ITYPES_NS = "http://bip.bee.kz/AsyncChannel/v10/ITypes"  # types only, never on the wire
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XS_NS = "http://www.w3.org/2001/XMLSchema"

# The operations of IAsyncChannel (gateway) and IAsyncChannelClient (a PUSH participant).
GATEWAY_OPERATIONS = ("sendMessage", "sendDeliveryNotification", "getMessageStatus", "getMessages")
CLIENT_OPERATIONS = ("sendMessage", "changeMassageStatusNotification")
MAX_AMOUNT = 100
# Properties the gateway adds to each PUSH of sendMessage (IAsyncChannelClient), inside the signed Body: the
# instant of this delivery attempt and its own id. ``messageDate`` stays the sender's, however late the
# delivery; the receiver checks the push's own date against its clock window (docs/protocol.md).
PUSH_DATE_PROPERTY = "gatewayPushDate"
PUSH_ID_PROPERTY = "gatewayPushId"
_E = TypeVar("_E", bound=StrEnum)


class AsyncContractError(PayloadError):
    """An AsyncChannel message does not have the shape of its contract (answered as SCE001)."""


class MessageType(StrEnum):
    REQUEST = "REQUEST"
    NOTIFICATION = "NOTIFICATION"
    UPDATE = "UPDATE"
    RESPONSE = "RESPONSE"


class MessageState(StrEnum):
    ON_DELIVERY = "ON_DELIVERY"
    DELIVERED = "DELIVERED"
    NOT_DELIVERED = "NOT_DELIVERED"
    DELIVERY_STOPPED = "DELIVERY_STOPPED"


class ReceiveStatus(StrEnum):
    MESSAGE_ACCEPTED = "MESSAGE_ACCEPTED"
    MESSAGE_NOT_ACCTEPTED = "MESSAGE_NOT_ACCTEPTED"  # sic: the real protocol's spelling


class ResendMessage(StrEnum):
    RESEND = "RESEND"
    NOT_RESEND = "NOT_RESEND"


def qname(operation: str, *, client: bool = False, suffix: str = "") -> str:
    """The Clark name of an operation's wrapper (``suffix`` "Response"), e.g. ``{…/Types}getMessages``."""
    return f"{{{CLIENT_TYPES_NS if client else TYPES_NS}}}{operation}{suffix}"


def fault_qname(operation: str, *, client: bool = False) -> str:
    """The fault detail element of an operation, e.g. ``getMessagesFault1_getMessagesFault``."""
    return qname(f"{operation}Fault1_{operation}Fault", client=client)


def operation_of(wrapper: etree._Element) -> tuple[str, bool]:
    """(operation, is the client port type) of a request wrapper; AsyncContractError for anything else."""
    name = etree.QName(wrapper)
    if name.namespace == TYPES_NS and name.localname in GATEWAY_OPERATIONS:
        return name.localname, False
    if name.namespace == CLIENT_TYPES_NS and name.localname in CLIENT_OPERATIONS:
        return name.localname, True
    raise AsyncContractError(
        f"{name.localname} in namespace {name.namespace or 'no namespace'} is no AsyncChannel operation: expected "
        f"one of {', '.join(GATEWAY_OPERATIONS)} in {TYPES_NS}"
    )


@dataclass(frozen=True)
class MessageData:
    """What ``messageData/data`` carries: one XML element, or a serialised document (or JSON) as text."""

    element: etree._Element | None = None
    text: str | None = None


@dataclass(frozen=True)
class AsyncMessageInfo:
    service_id: str
    message_type: MessageType
    message_date: dt.datetime
    sender_id: str
    message_id: str | None = None
    correlation_id: str | None = None
    route_id: str | None = None
    password: str | None = None
    properties: dict[str, str] = field(default_factory=dict)
    session_id: str | None = None


@dataclass(frozen=True)
class AsyncMessage:
    info: AsyncMessageInfo
    data: MessageData


@dataclass(frozen=True)
class SendReceipt:
    """``AsyncSendMessageResponse``: the ids the message travels under."""

    message_id: str
    correlation_id: str
    response_date: dt.datetime
    session_id: str | None = None


@dataclass(frozen=True)
class StatusQuery:
    message_id: str
    request_date: dt.datetime
    sender_id: str
    password: str | None = None


@dataclass(frozen=True)
class MessageStatus:
    state: MessageState
    status_code: str
    status_date: dt.datetime
    response_date: dt.datetime
    status_message: str | None = None
    session_id: str | None = None


@dataclass(frozen=True)
class MessagesQuery:
    """PULL: by ``message_id``, or by ``correlation_id`` with ``service_id``."""

    request_date: dt.datetime
    sender_id: str
    message_id: str | None = None
    correlation_id: str | None = None
    service_id: str | None = None
    amount: int | None = None
    password: str | None = None


@dataclass(frozen=True)
class MessagesBatch:
    response_date: dt.datetime
    messages: list[AsyncMessage]
    session_id: str | None = None


@dataclass(frozen=True)
class DeliveryNotice:
    """``AsyncSendDeliveryNotificationRequest``: the receiver says whether it took a message."""

    message_id: str
    service_id: str
    notification_date: dt.datetime
    receive_status: ReceiveStatus
    resend: ResendMessage
    status_date: dt.datetime
    request_date: dt.datetime
    sender_id: str
    password: str | None = None
    error_code: str | None = None
    error_message: str | None = None


@dataclass(frozen=True)
class NoticeReceipt:
    notification_id: str
    response_date: dt.datetime
    session_id: str | None = None


@dataclass(frozen=True)
class StatusChange:
    """``AsyncChangeStatusNotifyRequest``: the gateway tells a sender its message changed state."""

    notification_id: str
    message_id: str
    notification_date: dt.datetime
    state: MessageState
    status_code: str
    status_date: dt.datetime
    request_date: dt.datetime
    status_message: str | None = None
    session_id: str | None = None


@dataclass(frozen=True)
class StatusChangeReceipt:
    response_date: dt.datetime
    session_id: str | None = None


# --- small writers and readers ------------------------------------------------------------------------


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _wrapper(operation: str, client: bool, suffix: str = "") -> etree._Element:
    return etree.Element(
        qname(operation, client=client, suffix=suffix), nsmap={"ns2": CLIENT_TYPES_NS if client else TYPES_NS}
    )


def _sender(parent: etree._Element, sender_id: str, password: str | None) -> None:
    sender = etree.SubElement(parent, "sender")
    add_text(sender, "senderId", sender_id)
    add_text(sender, "password", password)


def _data(parent: etree._Element, data: MessageData) -> None:
    holder = etree.SubElement(parent, "messageData")
    if data.element is not None:
        etree.SubElement(holder, "data").append(data.element)
    elif data.text is not None:
        node = etree.SubElement(holder, "data", nsmap={"xs": XS_NS, "xsi": XSI_NS})
        node.set(f"{{{XSI_NS}}}type", "xs:string")
        node.text = data.text


def _text(parent: etree._Element, path: str) -> str:
    value = child_text(parent, path)
    if not value:
        raise AsyncContractError(f"required element {path} is missing or empty")
    return value


def _date(parent: etree._Element, path: str) -> dt.datetime:
    value = _text(parent, path)
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise AsyncContractError(f"{path} is not an ISO 8601 dateTime: {value[:40]!r}") from exc


def _enum(kind: type[_E], parent: etree._Element, path: str) -> _E:
    value = _text(parent, path)
    try:
        return kind(value)
    except ValueError as exc:
        allowed = " | ".join(member.value for member in kind)
        raise AsyncContractError(f"{path} must be one of {allowed}, not {value[:40]!r}") from exc


def _child(wrapper: etree._Element, tag: str, name: str) -> etree._Element:
    if wrapper.tag != tag:
        raise AsyncContractError(
            f"expected {etree.QName(tag).localname} in {etree.QName(tag).namespace}, found {wrapper.tag}"
        )
    node = wrapper.find(name)
    if node is None:
        raise AsyncContractError(f"{etree.QName(tag).localname}/{name} is missing")
    return node


def _read_data(holder: etree._Element | None) -> MessageData:
    data = holder.find("data") if holder is not None else None
    if data is None:
        return MessageData()
    children = [child for child in data if isinstance(child.tag, str)]
    if len(children) > 1:
        raise AsyncContractError("messageData/data must hold exactly one element")
    if children:
        return MessageData(element=children[0])
    return MessageData(text=data.text) if (data.text or "").strip() else MessageData()


def _properties(parent: etree._Element, properties: dict[str, str]) -> None:
    for key, value in properties.items():
        prop = etree.SubElement(parent, "properties")
        add_text(prop, "key", key)
        add_text(prop, "value", value)


def _read_properties(parent: etree._Element) -> dict[str, str]:
    return {_text(prop, "key"): child_text(prop, "value") or "" for prop in parent.findall("properties")}


# --- sendMessage (both port types) and AsyncMessage ---------------------------------------------------


def _message_element(tag: str, message: AsyncMessage) -> etree._Element:
    info = message.info
    element = etree.Element(tag)
    node = etree.SubElement(element, "messageInfo")
    add_text(node, "messageId", info.message_id)
    add_text(node, "correlationId", info.correlation_id)
    add_text(node, "serviceId", info.service_id)
    add_text(node, "messageType", info.message_type.value)
    add_text(node, "routeId", info.route_id)
    add_text(node, "messageDate", _iso(info.message_date))
    _sender(node, info.sender_id, info.password)
    _properties(node, info.properties)
    add_text(node, "sessionId", info.session_id)
    _data(element, message.data)
    return element


def _read_message(element: etree._Element) -> AsyncMessage:
    node = element.find("messageInfo")
    if node is None:
        raise AsyncContractError(f"{element.tag}/messageInfo is missing")
    info = AsyncMessageInfo(
        service_id=_text(node, "serviceId"),
        message_type=_enum(MessageType, node, "messageType"),
        message_date=_date(node, "messageDate"),
        sender_id=_text(node, "sender/senderId"),
        password=child_text(node, "sender/password"),
        message_id=child_text(node, "messageId") or None,
        correlation_id=child_text(node, "correlationId") or None,
        route_id=child_text(node, "routeId") or None,
        properties=_read_properties(node),
        session_id=child_text(node, "sessionId") or None,
    )
    return AsyncMessage(info=info, data=_read_data(element.find("messageData")))


def write_send_message(message: AsyncMessage, *, client: bool = False) -> etree._Element:
    """``sendMessage``: to the gateway (IAsyncChannel), or from the gateway to a PUSH participant (``client``)."""
    wrapper = _wrapper("sendMessage", client)
    wrapper.append(_message_element("request", message))
    return wrapper


def read_send_message(wrapper: etree._Element, *, client: bool = False) -> AsyncMessage:
    return _read_message(_child(wrapper, qname("sendMessage", client=client), "request"))


def write_send_receipt(receipt: SendReceipt, *, client: bool = False) -> etree._Element:
    wrapper = _wrapper("sendMessage", client, "Response")
    response = etree.SubElement(wrapper, "response")
    add_text(response, "messageId", receipt.message_id)
    add_text(response, "correlationId", receipt.correlation_id)
    add_text(response, "responseDate", _iso(receipt.response_date))
    add_text(response, "sessionId", receipt.session_id)
    return wrapper


def read_send_receipt(wrapper: etree._Element, *, client: bool = False) -> SendReceipt:
    response = _child(wrapper, qname("sendMessage", client=client, suffix="Response"), "response")
    return SendReceipt(
        message_id=_text(response, "messageId"),
        correlation_id=_text(response, "correlationId"),
        response_date=_date(response, "responseDate"),
        session_id=child_text(response, "sessionId") or None,
    )


# --- getMessageStatus ---------------------------------------------------------------------------------


def write_status_query(query: StatusQuery) -> etree._Element:
    wrapper = _wrapper("getMessageStatus", False)
    request = etree.SubElement(wrapper, "request")
    add_text(request, "messageId", query.message_id)
    add_text(request, "requestDate", _iso(query.request_date))
    _sender(request, query.sender_id, query.password)
    return wrapper


def read_status_query(wrapper: etree._Element) -> StatusQuery:
    request = _child(wrapper, qname("getMessageStatus"), "request")
    return StatusQuery(
        message_id=_text(request, "messageId"),
        request_date=_date(request, "requestDate"),
        sender_id=_text(request, "sender/senderId"),
        password=child_text(request, "sender/password"),
    )


def write_message_status(status: MessageStatus) -> etree._Element:
    wrapper = _wrapper("getMessageStatus", False, "Response")
    response = etree.SubElement(wrapper, "response")
    add_text(response, "messageState", status.state.value)
    info = etree.SubElement(response, "status")
    add_text(info, "statusCode", status.status_code)
    add_text(info, "statusMessage", status.status_message)
    add_text(info, "statusDate", _iso(status.status_date))
    add_text(response, "responseDate", _iso(status.response_date))
    add_text(response, "sessionId", status.session_id)
    return wrapper


def read_message_status(wrapper: etree._Element) -> MessageStatus:
    response = _child(wrapper, qname("getMessageStatus", suffix="Response"), "response")
    return MessageStatus(
        state=_enum(MessageState, response, "messageState"),
        status_code=_text(response, "status/statusCode"),
        status_message=child_text(response, "status/statusMessage"),
        status_date=_date(response, "status/statusDate"),
        response_date=_date(response, "responseDate"),
        session_id=child_text(response, "sessionId") or None,
    )


# --- getMessages (PULL) -------------------------------------------------------------------------------


def write_messages_query(query: MessagesQuery) -> etree._Element:
    wrapper = _wrapper("getMessages", False)
    request = etree.SubElement(wrapper, "request")
    add_text(request, "messageId", query.message_id)
    add_text(request, "correlationId", query.correlation_id)
    add_text(request, "requestDate", _iso(query.request_date))
    add_text(request, "serviceId", query.service_id)
    _sender(request, query.sender_id, query.password)
    add_text(request, "amount", None if query.amount is None else str(query.amount))
    return wrapper


def read_messages_query(wrapper: etree._Element) -> MessagesQuery:
    request = _child(wrapper, qname("getMessages"), "request")
    amount_text = child_text(request, "amount")
    try:
        amount = None if amount_text is None else int(amount_text)
    except ValueError as exc:
        raise AsyncContractError(f"amount must be a whole number, not {(amount_text or '')[:20]!r}") from exc
    if amount is not None and not 1 <= amount <= MAX_AMOUNT:
        raise AsyncContractError(f"amount must be between 1 and {MAX_AMOUNT}, not {amount}")
    query = MessagesQuery(
        request_date=_date(request, "requestDate"),
        sender_id=_text(request, "sender/senderId"),
        password=child_text(request, "sender/password"),
        message_id=child_text(request, "messageId") or None,
        correlation_id=child_text(request, "correlationId") or None,
        service_id=child_text(request, "serviceId") or None,
        amount=amount,
    )
    if query.message_id is None and (query.correlation_id is None or query.service_id is None):
        raise AsyncContractError("getMessages selects by messageId, or by correlationId together with serviceId")
    return query


def write_messages_batch(batch: MessagesBatch) -> etree._Element:
    wrapper = _wrapper("getMessages", False, "Response")
    response = etree.SubElement(wrapper, "response")
    add_text(response, "responseDate", _iso(batch.response_date))
    add_text(response, "sessionId", batch.session_id)
    for message in batch.messages:
        response.append(_message_element("messages", message))
    return wrapper


def read_messages_batch(wrapper: etree._Element) -> MessagesBatch:
    response = _child(wrapper, qname("getMessages", suffix="Response"), "response")
    return MessagesBatch(
        response_date=_date(response, "responseDate"),
        session_id=child_text(response, "sessionId") or None,
        messages=[_read_message(node) for node in response.findall("messages")],
    )


# --- sendDeliveryNotification -------------------------------------------------------------------------


def write_delivery_notice(notice: DeliveryNotice) -> etree._Element:
    wrapper = _wrapper("sendDeliveryNotification", False)
    request = etree.SubElement(wrapper, "request")
    node = etree.SubElement(request, "notification")
    add_text(node, "messageId", notice.message_id)
    add_text(node, "serviceId", notice.service_id)
    add_text(node, "notificationDate", _iso(notice.notification_date))
    status = etree.SubElement(node, "deliveryStatus")
    add_text(status, "receiveStatus", notice.receive_status.value)
    add_text(status, "statusDate", _iso(notice.status_date))
    add_text(status, "resendMessage", notice.resend.value)
    if notice.error_code is not None:
        error = etree.SubElement(status, "error")
        add_text(error, "errorCode", notice.error_code)
        add_text(error, "errorMessage", notice.error_message or "")
        add_text(error, "errorDate", _iso(notice.status_date))
    add_text(request, "requestDate", _iso(notice.request_date))
    _sender(request, notice.sender_id, notice.password)
    return wrapper


def read_delivery_notice(wrapper: etree._Element) -> DeliveryNotice:
    request = _child(wrapper, qname("sendDeliveryNotification"), "request")
    return DeliveryNotice(
        message_id=_text(request, "notification/messageId"),
        service_id=_text(request, "notification/serviceId"),
        notification_date=_date(request, "notification/notificationDate"),
        receive_status=_enum(ReceiveStatus, request, "notification/deliveryStatus/receiveStatus"),
        resend=_enum(ResendMessage, request, "notification/deliveryStatus/resendMessage"),
        status_date=_date(request, "notification/deliveryStatus/statusDate"),
        error_code=child_text(request, "notification/deliveryStatus/error/errorCode"),
        error_message=child_text(request, "notification/deliveryStatus/error/errorMessage"),
        request_date=_date(request, "requestDate"),
        sender_id=_text(request, "sender/senderId"),
        password=child_text(request, "sender/password"),
    )


def write_notice_receipt(receipt: NoticeReceipt) -> etree._Element:
    wrapper = _wrapper("sendDeliveryNotification", False, "Response")
    response = etree.SubElement(wrapper, "response")
    add_text(response, "notificationId", receipt.notification_id)
    add_text(response, "responseDate", _iso(receipt.response_date))
    add_text(response, "sessionId", receipt.session_id)
    return wrapper


def read_notice_receipt(wrapper: etree._Element) -> NoticeReceipt:
    response = _child(wrapper, qname("sendDeliveryNotification", suffix="Response"), "response")
    return NoticeReceipt(
        notification_id=_text(response, "notificationId"),
        response_date=_date(response, "responseDate"),
        session_id=child_text(response, "sessionId") or None,
    )


# --- changeMassageStatusNotification (IAsyncChannelClient) --------------------------------------------


def write_status_change(change: StatusChange) -> etree._Element:
    wrapper = _wrapper("changeMassageStatusNotification", True)
    request = etree.SubElement(wrapper, "request")
    node = etree.SubElement(request, "notification")
    add_text(node, "notificationId", change.notification_id)
    add_text(node, "messageId", change.message_id)
    add_text(node, "notificationDate", _iso(change.notification_date))
    add_text(node, "messageState", change.state.value)
    status = etree.SubElement(node, "status")
    add_text(status, "statusCode", change.status_code)
    add_text(status, "statusMessage", change.status_message)
    add_text(status, "statusDate", _iso(change.status_date))
    add_text(request, "requestDate", _iso(change.request_date))
    add_text(request, "sessionId", change.session_id)
    return wrapper


def read_status_change(wrapper: etree._Element) -> StatusChange:
    request = _child(wrapper, qname("changeMassageStatusNotification", client=True), "request")
    return StatusChange(
        notification_id=_text(request, "notification/notificationId"),
        message_id=_text(request, "notification/messageId"),
        notification_date=_date(request, "notification/notificationDate"),
        state=_enum(MessageState, request, "notification/messageState"),
        status_code=_text(request, "notification/status/statusCode"),
        status_message=child_text(request, "notification/status/statusMessage"),
        status_date=_date(request, "notification/status/statusDate"),
        request_date=_date(request, "requestDate"),
        session_id=child_text(request, "sessionId") or None,
    )


def write_status_change_receipt(receipt: StatusChangeReceipt) -> etree._Element:
    wrapper = _wrapper("changeMassageStatusNotification", True, "Response")
    response = etree.SubElement(wrapper, "response")
    add_text(response, "responseDate", _iso(receipt.response_date))
    add_text(response, "sessionId", receipt.session_id)
    return wrapper


def read_status_change_receipt(wrapper: etree._Element) -> StatusChangeReceipt:
    response = _child(wrapper, qname("changeMassageStatusNotification", client=True, suffix="Response"), "response")
    return StatusChangeReceipt(
        response_date=_date(response, "responseDate"), session_id=child_text(response, "sessionId") or None
    )
