"""``sendMessage`` (both port types), ``getMessageStatus`` and ``getMessages``: writers and readers."""

from __future__ import annotations

from lxml import etree

from contracts.async_channel.model import (
    MAX_AMOUNT,
    AsyncContractError,
    AsyncMessage,
    AsyncMessageInfo,
    MessagesBatch,
    MessagesQuery,
    MessageState,
    MessageStatus,
    MessageType,
    SendReceipt,
    StatusQuery,
    qname,
)
from contracts.async_channel.wire import (
    _child,
    _data,
    _date,
    _enum,
    _iso,
    _properties,
    _read_data,
    _read_properties,
    _sender,
    _text,
    _wrapper,
)
from contracts.xml_text import add_text, child_text

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
