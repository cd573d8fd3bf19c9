"""A participant's client of the gateway's AsyncChannel (``/bip-async/``): ``send`` (sendMessage),
``message_status`` (getMessageStatus), ``messages`` (getMessages, PULL) and ``notify_delivery``
(sendDeliveryNotification). Each call is signed with the participant's certificate; each reply must be signed
by the gateway, and a fault is raised as :class:`GatewayFault`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from lxml import etree

from adapters.shep.async_envelope import body_wrapper, data_of, parse_async_fault, wrap
from adapters.shep.envelope import EnvelopeError, Payload
from adapters.shep.faults import GatewayFault
from adapters.shep.gateway_link import GatewayClient, GatewayUnreachable
from contracts.async_channel import (
    AsyncContractError,
    AsyncMessage,
    AsyncMessageInfo,
    DeliveryNotice,
    MessagesBatch,
    MessagesQuery,
    MessageStatus,
    MessageType,
    NoticeReceipt,
    ReceiveStatus,
    ResendMessage,
    SendReceipt,
    StatusQuery,
    read_message_status,
    read_messages_batch,
    read_notice_receipt,
    read_send_receipt,
    write_delivery_notice,
    write_messages_query,
    write_send_message,
    write_status_query,
)

_T = TypeVar("_T")


class AsyncChannelClient(GatewayClient):
    """Speak IAsyncChannel to the gateway as one information system."""

    def send(
        self,
        service_id: str,
        payload: Payload,
        *,
        message_type: MessageType = MessageType.REQUEST,
        correlation_id: str | None = None,
        properties: dict[str, str] | None = None,
    ) -> SendReceipt:
        """Hand a message to the gateway; the receipt carries the messageId and correlationId it travels under."""
        info = AsyncMessageInfo(
            service_id=service_id,
            message_type=message_type,
            message_date=self._now(),
            sender_id=self._sender_id,
            password=self._password,
            correlation_id=correlation_id,
            properties=properties or {},
        )
        reply = self._call(write_send_message(AsyncMessage(info=info, data=data_of(payload))))
        return self._read(read_send_receipt, reply)

    def message_status(self, message_id: str) -> MessageStatus:
        query = StatusQuery(message_id, self._now(), self._sender_id, self._password)
        return self._read(read_message_status, self._call(write_status_query(query)))

    def messages(
        self,
        *,
        message_id: str | None = None,
        correlation_id: str | None = None,
        service_id: str | None = None,
        amount: int | None = None,
    ) -> MessagesBatch:
        """PULL this participant's messages: one by id, or those of a chain (correlationId and serviceId)."""
        query = MessagesQuery(
            request_date=self._now(),
            sender_id=self._sender_id,
            password=self._password,
            message_id=message_id,
            correlation_id=correlation_id,
            service_id=service_id,
            amount=amount,
        )
        return self._read(read_messages_batch, self._call(write_messages_query(query)))

    def notify_delivery(
        self,
        message_id: str,
        service_id: str,
        *,
        accepted: bool = True,
        resend: bool = False,
        error: tuple[str, str] | None = None,
    ) -> NoticeReceipt:
        """Tell the gateway whether a pulled message was taken (MESSAGE_ACCEPTED) or not, and whether to resend."""
        now = self._now()
        notice = DeliveryNotice(
            message_id=message_id,
            service_id=service_id,
            notification_date=now,
            receive_status=ReceiveStatus.MESSAGE_ACCEPTED if accepted else ReceiveStatus.MESSAGE_NOT_ACCTEPTED,
            resend=ResendMessage.RESEND if resend else ResendMessage.NOT_RESEND,
            status_date=now,
            request_date=now,
            sender_id=self._sender_id,
            password=self._password,
            error_code=error[0] if error else None,
            error_message=error[1] if error else None,
        )
        return self._read(read_notice_receipt, self._call(write_delivery_notice(notice)))

    def _call(self, wrapper: etree._Element) -> etree._Element:
        verified = self._link.exchange(wrap(wrapper))
        try:
            fault = parse_async_fault(verified.signed_body)
            if fault is not None:
                raise GatewayFault(fault)
            return body_wrapper(verified.signed_body)
        except EnvelopeError as exc:
            raise GatewayUnreachable(f"gateway reply is not an AsyncChannel answer: {exc}") from exc

    def _read(self, reader: Callable[[etree._Element], _T], wrapper: etree._Element) -> _T:
        try:
            return reader(wrapper)
        except AsyncContractError as exc:
            raise GatewayUnreachable(f"gateway reply does not follow the AsyncChannel contract: {exc}") from exc
