"""The asynchronous channel ``/bip-async/``: IAsyncChannel as described in ``docs/protocol.md``.

Every operation, in the SyncChannel's order: size limit -> hardened parse within the XML limits (attributes,
elements, depth) -> transport signature (chain, validity, CRL) -> the wrapper names an IAsyncChannel
operation and can be read -> the sender is registered and signed with its own certificate (and, for
``sendMessage``, may send to the service or is a party of the chain) -> only then the schemas, compiled at
start and stopping at the first violation: the wrapper against ``AsyncChannel-types.xsd``, and the payload
of a message to a service's provider against the service's payload schema -> its date is within the
allowed skew -> the operation:

- ``sendMessage``: a REQUEST goes to the provider of serviceId (the sender must be allowed to call it); the
  gateway sets messageId and correlationId. A RESPONSE, NOTIFICATION or UPDATE carries the correlationId of
  its chain: within a chain begun by a REQUEST of the same service it goes to the other party of that
  REQUEST; otherwise to the provider of serviceId, as for a REQUEST. The message is stored (and, for a PUSH
  receiver, queued in the durable outbox) before the answer; the same signed bytes again are a replay.
- ``getMessageStatus``: the state of a message, for its sender or its receiver only.
- ``getMessages``: PULL the caller's messages that are ON_DELIVERY, by messageId or by correlationId and
  serviceId. Pulling does not deliver: the message stays ON_DELIVERY until the receiver confirms it.
- ``sendDeliveryNotification``: the receiver confirms (MESSAGE_ACCEPTED -> DELIVERED) or refuses
  (MESSAGE_NOT_ACCTEPTED: RESEND puts it back on delivery, NOT_RESEND makes it NOT_DELIVERED).

Every refusal is a signed SOAP fault ``{operation}Fault1_{operation}Fault`` with ``ErrorInfo``, journalled.
The journal keeps every exchange like the SyncChannel's: ``received`` (the request, masked, ``requestIn``)
then ``stored`` (the receipt, ``responseOut``) for ``sendMessage``; one entry with the request and answer
instants for the other operations; ``rejected`` for a refusal.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable
from datetime import datetime

from lxml import etree
from sqlalchemy.exc import IntegrityError

from adapters.shep.async_envelope import async_fault, body_wrapper, payload_of, wrap
from adapters.shep.envelope import EnvelopeError, ErrorInfo
from adapters.shep.faults import ErrorCode
from adapters.shep.incidents import log_incident
from adapters.signatures import TransportSignature, sign_envelope
from adapters.xml import to_bytes
from contracts.async_channel import (
    MAX_AMOUNT,
    AsyncContractError,
    AsyncMessage,
    MessagesBatch,
    MessageState,
    MessageStatus,
    MessageType,
    NoticeReceipt,
    ReceiveStatus,
    ResendMessage,
    SendReceipt,
    operation_of,
    read_delivery_notice,
    read_messages_query,
    read_send_message,
    read_status_query,
    write_message_status,
    write_messages_batch,
    write_notice_receipt,
    write_send_message,
    write_send_receipt,
)
from gateway.async_delivery import DELIVERED_CODE, ON_DELIVERY_CODE, AsyncDeliveries, StateChange
from gateway.async_store import StoredMessage
from gateway.channels.context import ChannelContext
from gateway.channels.sync import ChannelAnswer, exchange_times, new_session_id
from gateway.errors import GatewayError, internal_error
from gateway.freshness import require_fresh
from gateway.journal import JournalRecord
from gateway.payload_schemas import GatewaySchemas
from gateway.registry import Participant, Service

log = logging.getLogger(__name__)
# Best-effort ids of a message for the journal, read before anything is verified (never trusted).
PEEK = (
    ("service_id", ".//messageInfo/serviceId"),
    ("sender_id", ".//sender/senderId"),
    ("correlation_id", ".//messageInfo/correlationId"),
)
Trace = dict[str, str | None]
# An operation: its answer to sign and journal, or (sendMessage) its answer signed and journalled already.
Operation = Callable[[etree._Element, TransportSignature, Trace, bytes], "etree._Element | bytes"]


class AsyncChannel:
    def __init__(
        self, context: ChannelContext, deliveries: AsyncDeliveries, schemas: GatewaySchemas | None = None
    ) -> None:
        """``schemas`` are compiled here, now, unless given (never on the first message)."""
        self._ctx = context
        self._deliveries = deliveries
        self._schemas = schemas or GatewaySchemas.build(context.registry)
        self._operations: dict[str, Operation] = {
            "sendMessage": self._send_message,
            "getMessageStatus": self._message_status,
            "getMessages": self._messages,
            "sendDeliveryNotification": self._delivery_notice,
        }

    def handle(self, raw: bytes) -> ChannelAnswer:
        trace: Trace = {"operation": "sendMessage", "request_in": self._ctx.now().isoformat()}
        digest = hashlib.sha256(raw).hexdigest()
        with self._ctx.revocation_warnings("async", trace):
            try:
                try:
                    answer = self._process(raw, digest, trace)
                except GatewayError:
                    raise
                except Exception as exc:  # answered as SCE909 and journalled below, never a bare HTTP 500
                    raise internal_error("AsyncChannel", trace.get("message_id"), exc) from exc
            except GatewayError as error:
                self._journal("rejected", trace, digest, error.code.value, error.message, answered=True)
                info = ErrorInfo(error.code.value, error.message, self._ctx.now(), session_id=trace.get("session_id"))
                fault = async_fault(
                    trace["operation"] or "sendMessage",
                    info,
                    client_error=error.code.is_client_error,
                    fault_code=error.fault_code,
                )
                self._ctx.answered("async", trace, error.code.value, fault=True)
                with self._ctx.step("async", "sign"):
                    return ChannelAnswer(500, to_bytes(sign_envelope(fault, self._ctx.credential)))
            self._ctx.answered("async", trace, trace.get("event") or "answered", fault=False)
            return answer

    def _process(self, raw: bytes, digest: str, trace: Trace) -> ChannelAnswer:
        verified = self._ctx.verified_envelope(raw, trace, PEEK, channel="async")
        try:
            wrapper = body_wrapper(verified.signed_body)
            operation, client_port = operation_of(wrapper)
            trace["operation"] = operation
            if client_port:
                raise AsyncContractError(f"{operation} of IAsyncChannelClient is sent by the gateway, not to it")
            trace["body_sha256"] = digest
            # A replay is the same SIGNED content, whatever bytes surround it (a trailing newline, a re-spaced
            # header): its key is the digest of the signed Body in the exclusive canonical form it was signed in.
            trace["signed_sha256"] = hashlib.sha256(
                etree.tostring(verified.signed_body, method="c14n", exclusive=True)
            ).hexdigest()
            answer = self._operations[operation](wrapper, verified, trace, raw)
        except (EnvelopeError, AsyncContractError) as exc:
            raise GatewayError(ErrorCode.MALFORMED, str(exc)) from exc
        if isinstance(answer, bytes):  # sendMessage: signed, and journalled in the transaction that stored it
            return ChannelAnswer(200, answer)
        body = self._signed(answer)
        event, detail = trace.get("event") or "answered", trace.get("detail") or ""
        self._journal(event, trace, hashlib.sha256(body).hexdigest(), None, detail, body=body, answered=True)
        return ChannelAnswer(200, body)

    def _signed(self, answer: etree._Element) -> bytes:
        """An operation's answer in a SOAP envelope signed by the gateway."""
        with self._ctx.step("async", "sign"):
            return to_bytes(sign_envelope(wrap(answer), self._ctx.credential))

    def _caller(self, sender_id: str, signed: TransportSignature, trace: Trace) -> Participant:
        """The registered participant that signed the message: checked before any schema is looked at."""
        trace["sender_id"] = sender_id
        with self._ctx.step("async", "authorise"):
            participant = self._ctx.registry.identify(sender_id, signed.signer)
        self._ctx.require_algorithm(participant, signed)
        return participant

    def _checked(self, wrapper: etree._Element, date: datetime) -> None:
        """The checks that follow the sender's: the wrapper's schema (bounded), then the date window."""
        with self._ctx.step("async", "validate"):
            self._schemas.validate_async_wrapper(wrapper)
            require_fresh(date, self._ctx.now(), self._ctx.max_clock_skew)

    # --- sendMessage -------------------------------------------------------------------------------------

    def _send_message(self, wrapper: etree._Element, signed: TransportSignature, trace: Trace, raw: bytes) -> bytes:
        message = read_send_message(wrapper)
        info = message.info
        trace.update(service_id=info.service_id, correlation_id=info.correlation_id)
        self._caller(info.sender_id, signed, trace)
        with self._ctx.step("async", "authorise"):
            receiver, correlation_id, service = self._route(info.sender_id, signed, message)
        trace["receiver_id"] = receiver.sender_id
        with self._ctx.step("async", "validate"):
            self._schemas.validate_async_wrapper(wrapper)
            if service is not None and service.payload_schema:
                self._schemas.validate_payload(
                    payload_of(message.data), service.payload_schema, self._ctx.max_bytes, self._ctx.xml_limits
                )
            require_fresh(info.message_date, self._ctx.now(), self._ctx.max_clock_skew)
        message_id = str(uuid.uuid4())
        session_id = new_session_id()
        trace.update(
            message_id=message_id, correlation_id=correlation_id, session_id=session_id, receiver_id=receiver.sender_id
        )
        forwarded = AsyncMessage(
            info=type(info)(
                service_id=info.service_id,
                message_type=info.message_type,
                message_date=info.message_date,
                sender_id=info.sender_id,
                message_id=message_id,
                correlation_id=correlation_id,
                route_id=info.route_id,
                properties=info.properties,
                session_id=session_id,
            ),
            data=message.data,
        )
        now = self._ctx.now()
        values = {
            "message_id": message_id,
            "correlation_id": correlation_id,
            "service_id": info.service_id,
            "message_type": info.message_type.value,
            "sender_id": info.sender_id,
            "receiver_id": receiver.sender_id,
            "state": MessageState.ON_DELIVERY.value,
            "status_code": ON_DELIVERY_CODE,
            "status_message": f"accepted for {receiver.sender_id} ({receiver.async_delivery})",
            "status_date": now,
            "session_id": session_id,
            "message_xml": etree.tostring(write_send_message(forwarded, client=True), encoding="unicode"),
            "body_sha256": trace["signed_sha256"],
            "created_at": now,
        }
        received = self._record(
            "received",
            trace,
            trace["body_sha256"],
            None,
            f"{info.message_type.value} for {receiver.sender_id}",
            body=raw,
            verified=[f"gateway verified the transport signature of {signed.signer.describe()}"],
        )
        # The receipt is signed first: the message, its jobs, its ``received`` entry and its ``stored`` entry
        # (with the receipt as answered) are then written in one transaction, before the sender is answered.
        receipt = self._signed(write_send_receipt(SendReceipt(message_id, correlation_id, now, session_id)))
        trace.update(event="stored", detail=f"{info.message_type.value} stored for {receiver.async_delivery} delivery")
        stored = self._record(
            "stored",
            trace,
            hashlib.sha256(receipt).hexdigest(),
            None,
            trace["detail"] or "",
            body=receipt,
            answered=True,
        )
        try:
            with self._ctx.step("async", "journal"):
                self._deliveries.accept(values, receiver, (received, stored))
        except IntegrityError as exc:
            trace.update(event=None, detail=None)
            raise GatewayError(
                ErrorCode.REPLAY_OR_STALE, f"replayed message: {info.sender_id} sent exactly this message before"
            ) from exc
        return receipt

    def _route(
        self, sender_id: str, signed: TransportSignature, message: AsyncMessage
    ) -> tuple[Participant, str, Service | None]:
        """The receiver of a message, the correlationId it travels under (see the module's docstring), and
        the service when the message goes to its provider (whose payload schema then applies)."""
        info = message.info
        registry = self._ctx.registry
        if info.message_type is not MessageType.REQUEST:
            if not info.correlation_id:
                raise GatewayError(
                    ErrorCode.MALFORMED, f"a {info.message_type.value} must carry the correlationId of its chain"
                )
            chain = self._deliveries.store.chain_request(info.correlation_id)
            if chain is not None and chain.service_id == info.service_id:
                other = {chain.receiver_id: chain.sender_id, chain.sender_id: chain.receiver_id}.get(sender_id)
                if other is None:
                    raise GatewayError(
                        ErrorCode.ACCESS_DENIED, f"{sender_id} is no party of the chain {info.correlation_id}"
                    )
                participant = registry.participant(other)
                assert participant is not None
                return participant, info.correlation_id, None
        sender, service = registry.authorise(sender_id, signed.signer, info.service_id)
        self._ctx.require_algorithm(sender, signed)
        if service.channel != "async":
            where = "/bip-rest/" if service.channel == "rest" else "/bip-sync/"
            raise GatewayError(
                ErrorCode.UNKNOWN_SERVICE, f"{service.service_id} is not an AsyncChannel service; use {where}"
            )
        receiver = registry.provider_of(service)
        if receiver.sender_id == sender_id:
            raise GatewayError(ErrorCode.ACCESS_DENIED, f"{sender_id} cannot send {service.service_id} to itself")
        correlation_id = str(uuid.uuid4()) if info.message_type is MessageType.REQUEST else info.correlation_id
        assert correlation_id is not None
        return receiver, correlation_id, service

    # --- getMessageStatus --------------------------------------------------------------------------------

    def _message_status(
        self, wrapper: etree._Element, signed: TransportSignature, trace: Trace, raw: bytes
    ) -> etree._Element:
        query = read_status_query(wrapper)
        trace["message_id"] = query.message_id
        self._caller(query.sender_id, signed, trace)
        self._checked(wrapper, query.request_date)
        message = self._party_message(query.message_id, query.sender_id, receiver_only=False)
        trace.update(event="status", detail=f"{message.state.value} ({message.status_code})")
        return write_message_status(
            MessageStatus(
                state=message.state,
                status_code=message.status_code,
                status_message=message.status_message,
                status_date=message.status_date,
                response_date=self._ctx.now(),
                session_id=new_session_id(),
            )
        )

    def _party_message(self, message_id: str, caller: str, *, receiver_only: bool) -> StoredMessage:
        message = self._deliveries.store.get(message_id)
        parties: tuple[str, ...] = ()
        if message is not None:
            parties = (message.receiver_id,) if receiver_only else (message.sender_id, message.receiver_id)
        if message is None or caller not in parties:
            whose = "sent to" if receiver_only else "sent by or to"
            raise GatewayError(ErrorCode.ACCESS_DENIED, f"there is no message {message_id} {whose} {caller}")
        return message

    # --- getMessages (PULL) ------------------------------------------------------------------------------

    def _messages(
        self, wrapper: etree._Element, signed: TransportSignature, trace: Trace, raw: bytes
    ) -> etree._Element:
        query = read_messages_query(wrapper)
        trace.update(message_id=query.message_id, correlation_id=query.correlation_id, service_id=query.service_id)
        self._caller(query.sender_id, signed, trace)
        self._checked(wrapper, query.request_date)
        store = self._deliveries.store
        found = store.pullable(
            query.sender_id,
            message_id=query.message_id,
            correlation_id=query.correlation_id,
            service_id=query.service_id,
            limit=query.amount or MAX_AMOUNT,
        )
        now = self._ctx.now()
        store.mark_pulled([m.message_id for m in found], now)
        messages = [read_send_message(etree.fromstring(m.message_xml.encode()), client=True) for m in found]
        trace.update(event="pulled", detail=f"{len(messages)} message(s) pulled")
        return write_messages_batch(MessagesBatch(response_date=now, messages=messages, session_id=new_session_id()))

    # --- sendDeliveryNotification ------------------------------------------------------------------------

    def _delivery_notice(
        self, wrapper: etree._Element, signed: TransportSignature, trace: Trace, raw: bytes
    ) -> etree._Element:
        notice = read_delivery_notice(wrapper)
        trace.update(message_id=notice.message_id, service_id=notice.service_id)
        self._caller(notice.sender_id, signed, trace)
        self._checked(wrapper, notice.request_date)
        message = self._party_message(notice.message_id, notice.sender_id, receiver_only=True)
        if message.service_id != notice.service_id:
            raise GatewayError(ErrorCode.MALFORMED, f"message {message.message_id} is of {message.service_id}")
        if notice.receive_status is ReceiveStatus.MESSAGE_ACCEPTED:
            change = StateChange(MessageState.DELIVERED, DELIVERED_CODE, f"{notice.sender_id} confirmed receipt")
            if self._deliveries.change(
                message.message_id, change, only_from=(MessageState.ON_DELIVERY,), delivered_at=self._ctx.now()
            ):
                self._deliveries.record("delivered", message, DELIVERED_CODE, change.text)
        elif notice.resend is ResendMessage.RESEND:
            if message.state is not MessageState.DELIVERED:
                self._deliveries.resend(message, f"{notice.sender_id} asked for the message again")
        else:
            code = notice.error_code or "SCSE001"
            reason = notice.error_message or "the receiver did not accept the message"
            change = StateChange(MessageState.NOT_DELIVERED, code, f"{notice.sender_id}: {reason}")
            self._deliveries.change(message.message_id, change, only_from=(MessageState.ON_DELIVERY,))
        trace.update(event="delivery-notification", detail=notice.receive_status.value)
        return write_notice_receipt(NoticeReceipt(str(uuid.uuid4()), self._ctx.now(), new_session_id()))

    def _journal(
        self,
        event: str,
        trace: Trace,
        digest: str | None,
        code: str | None,
        detail: str,
        *,
        body: bytes | None = None,
        answered: bool = False,
    ) -> None:
        """One journal entry of this exchange; ``answered`` adds the instant the sender got its answer."""
        try:
            record = self._record(event, trace, digest, code, detail, body=body, answered=answered)
            with self._ctx.step("async", "journal"):
                self._ctx.journal.append(record)
        except Exception as exc:
            log_incident(log, f"journalling {event} of async message {trace.get('message_id')}", exc)

    def _record(
        self,
        event: str,
        trace: Trace,
        digest: str | None,
        code: str | None,
        detail: str,
        *,
        body: bytes | None = None,
        verified: list[str] | None = None,
        answered: bool = False,
    ) -> JournalRecord:
        """The journal record of this exchange at ``event``; ``answered`` adds the instant of its answer."""
        now = self._ctx.now()
        return JournalRecord(
            at=now,
            channel="async",
            event=event,
            code=code,
            detail=f"{trace.get('operation')}: {detail}",
            body_sha256=digest,
            body=body,
            verified=verified or [],
            message_id=trace.get("message_id"),
            correlation_id=trace.get("correlation_id"),
            session_id=trace.get("session_id"),
            service_id=trace.get("service_id"),
            sender_id=trace.get("sender_id"),
            receiver_id=trace.get("receiver_id"),
            times=exchange_times(trace | ({"response_out": now.isoformat()} if answered else {})),
        )
