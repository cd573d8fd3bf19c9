"""The AsyncChannel's namespaces, operations, enumerations and message values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from lxml import etree

from contracts.errors import PayloadError

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
