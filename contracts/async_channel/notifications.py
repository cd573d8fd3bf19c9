"""``sendDeliveryNotification`` and ``changeMassageStatusNotification``: writers and readers."""

from __future__ import annotations

from lxml import etree

from contracts.async_channel.model import (
    DeliveryNotice,
    MessageState,
    NoticeReceipt,
    ReceiveStatus,
    ResendMessage,
    StatusChange,
    StatusChangeReceipt,
    qname,
)
from contracts.async_channel.wire import (
    _child,
    _date,
    _enum,
    _iso,
    _sender,
    _text,
    _wrapper,
)
from contracts.xml_text import add_text, child_text

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
