"""Store and forward for the AsyncChannel: accepting a message, PUSHing it, state changes and dead letters.

- :meth:`AsyncDeliveries.accept` stores a message and, for a PUSH receiver, its delivery job in the durable
  outbox, in one transaction, before the sender is answered.
- The outbox worker calls :meth:`push` for each due job: the gateway signs ``sendMessage`` of
  ``IAsyncChannelClient`` and posts it to the receiver; a signed ``sendMessageResponse`` makes the message
  DELIVERED. No answer, or SCE909/SCE010 from the receiver, is retried with exponential backoff and jitter on
  the ecosystem's clock; a refusal (any other fault) makes it NOT_DELIVERED at once. After the configured
  attempts or age the message is DELIVERY_STOPPED (:meth:`dead`) with a dead-letter record, which
  :meth:`redrive` puts back on delivery.
- A message for a PULL receiver that is not confirmed within the same maximum age is DELIVERY_STOPPED with
  a dead-letter record too: :meth:`accept` (and every :meth:`resend`) queues an expiry job due at the end of
  that age on the ecosystem's clock (topic ``async.expire``), which :meth:`expire` carries out.
- Every state change of a message whose sender is a PUSH participant, and its acceptance (ON_DELIVERY),
  queues a ``changeMassageStatusNotification`` to that sender (topic ``async.status``), in the same
  transaction.
- Each PUSH is signed afresh and carries its own date and id (``gatewayPushDate``, ``gatewayPushId``
  properties), which the receiver checks against its clock window; each attempt is journalled (``pushed`` or
  ``push-failed``, with ``requestOut`` and ``responseIn``).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import httpx
from lxml import etree
from sqlalchemy.engine import Connection

from adapters.pki import Credential, TrustStore, system_signer_problem
from adapters.shep.async_envelope import body_wrapper, parse_async_fault, wrap
from adapters.shep.envelope import EnvelopeError
from adapters.shep.faults import ErrorCode
from adapters.signatures import SignatureError, sign_envelope, verify_envelope
from adapters.storage import DeliveryRefused, Outbox, OutboxMessage
from adapters.xml import XmlRejected, parse_xml, to_bytes
from contracts.async_channel import (
    PUSH_DATE_PROPERTY,
    PUSH_ID_PROPERTY,
    AsyncContractError,
    AsyncMessage,
    MessageState,
    StatusChange,
    read_send_message,
    read_send_receipt,
    read_status_change_receipt,
    write_send_message,
    write_status_change,
)
from gateway.async_store import AsyncStore, DeadLetter, StoredMessage
from gateway.journal import Journal, JournalRecord, exchange_times
from gateway.registry import Participant, Register

log = logging.getLogger(__name__)

PUSH_TOPIC = "async.push"
STATUS_TOPIC = "async.status"
EXPIRY_TOPIC = "async.expire"
# Status codes of MessageStatusInfo: SCSS001 is the field's "processed successfully"; SCSP001 ("on delivery")
# is this simulation's own; a failure carries the SCE code that caused it (docs/gateway.md).
ON_DELIVERY_CODE = "SCSP001"
DELIVERED_CODE = "SCSS001"
RETRYABLE_FAULTS = {ErrorCode.INTERNAL.value, ErrorCode.PROVIDER_UNAVAILABLE.value}


class ReceiverRefused(DeliveryRefused):
    """The receiver answered the PUSH with a fault that a retry cannot cure."""


@dataclass(frozen=True)
class StateChange:
    state: MessageState
    code: str
    text: str


class AsyncDeliveries:
    def __init__(
        self,
        *,
        store: AsyncStore,
        outbox: Outbox,
        registry: Register,
        journal: Journal,
        credential: Credential,
        trust: TrustStore,
        now: Callable[[], datetime],
        participant_url: Callable[[Participant], str],
        max_age: timedelta,
        timeout: float,
        max_bytes: int,
        wake: Callable[[], None] = lambda: None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if store.engine is not journal.engine or outbox.engine is not journal.engine:
            # a message, its jobs and its journal entries are written in one transaction (:meth:`accept`)
            raise ValueError("the async store and outbox must use the journal's engine (the gateway's database)")
        self.store = store
        self.outbox = outbox
        self._registry = registry
        self._journal = journal
        self._credential = credential
        self._trust = trust
        self._now = now
        self._participant_url = participant_url
        self._max_age = max_age
        self._max_bytes = max_bytes
        self._http = httpx.Client(timeout=timeout, transport=transport)
        self.wake = wake

    def close(self) -> None:
        self._http.close()

    # --- accepting and changing state --------------------------------------------------------------------

    def accept(self, values: dict[str, Any], receiver: Participant, records: Sequence[JournalRecord]) -> None:
        """Store a message (and its PUSH job or expiry, and the sender's status notice) and append ``records``
        (its ``received`` and ``stored`` entries) in ONE transaction of the journal's group commit: after this,
        nothing acknowledged is lost, and the journal holds both entries or neither. A replay (the unique key of
        the sender's signed Body) raises :class:`~sqlalchemy.exc.IntegrityError` and stores nothing."""
        push = receiver.async_delivery == "push"

        def store(connection: Connection) -> Sequence[JournalRecord]:
            self.store.insert(
                connection,
                values
                | {
                    "delivery": "push" if push else "pull",
                    "pushes": 1 if push else 0,
                    "on_delivery_since": values["created_at"],
                },
            )
            if push:
                self._queue_push(connection, values["message_id"], 1)
            else:
                self._queue_expiry(connection, values["message_id"], 0)
            accepted = StateChange(MessageState(values["state"]), values["status_code"], values["status_message"])
            self._queue_status(connection, values["message_id"], values["sender_id"], accepted, values["status_date"])
            return records

        self._journal.append_with(store, records)
        self.wake()

    def change(
        self,
        message_id: str,
        change: StateChange,
        *,
        only_from: tuple[MessageState, ...] | None = None,
        connection: Connection | None = None,
        **extra: Any,
    ) -> bool:
        """Move a message to a new state and queue the sender's status notification, in one transaction."""
        if connection is None:
            with self.store.engine.begin() as own:
                changed = self.change(message_id, change, only_from=only_from, connection=own, **extra)
            if changed:
                self.wake()
            return changed
        now = self._now()
        if not self.store.set_state(
            connection, message_id, change.state, change.code, change.text, now, only_from=only_from, **extra
        ):
            return False
        message = self.store.get(message_id, connection)
        if message is not None:
            self._queue_status(connection, message_id, message.sender_id, change, now)
        return True

    def _queue_status(
        self, connection: Connection, message_id: str, sender_id: str, change: StateChange, at: datetime
    ) -> None:
        """Queue the status notification of a PUSH sender (nothing for a PULL sender: it asks)."""
        sender = self._registry.participant(sender_id)
        if sender is None or sender.async_delivery != "push":
            return
        notice = {
            "messageId": message_id,
            "senderId": sender.sender_id,
            "state": change.state.value,
            "code": change.code,
            "text": change.text[:250],
            "at": at.isoformat(),
            "notificationId": str(uuid.uuid4()),
        }
        self.outbox.put(connection, STATUS_TOPIC, notice)

    def resend(self, message: StoredMessage, reason: str) -> None:
        """Put a message back on delivery (the receiver asked for it again)."""
        with self.store.engine.begin() as connection:
            self._back_on_delivery(connection, message, reason)
        self.wake()

    def _back_on_delivery(
        self,
        connection: Connection,
        message: StoredMessage,
        reason: str,
        only_from: tuple[MessageState, ...] | None = None,
    ) -> None:
        back = StateChange(MessageState.ON_DELIVERY, ON_DELIVERY_CODE, reason)
        moved = self.change(
            message.message_id,
            back,
            only_from=only_from,
            connection=connection,
            pulled_at=None,
            pushes=message.pushes + 1,
            on_delivery_since=self._now(),  # a new round of delivery: the age limit counts from here
        )
        if not moved:
            raise LookupError(f"async message {message.message_id} is no longer in a state to deliver again")
        if message.delivery == "push":
            self._queue_push(connection, message.message_id, message.pushes + 1)
        else:
            self._queue_expiry(connection, message.message_id, message.pushes + 1)

    def redrive(self, message_id: str) -> StoredMessage:
        """Re-drive a stopped or refused message: its open dead-letter record is closed and delivery starts over,
        in one transaction (a failure in between leaves the dead letter open, to re-drive again)."""
        message = self.store.get(message_id)
        if message is None:
            raise LookupError(f"no async message {message_id}")
        with self.store.engine.begin() as connection:
            letter = self.store.open_dead_letter(connection, message_id)
            if letter is None:
                raise LookupError(f"async message {message_id} has no open dead letter (state {message.state.value})")
            self.store.close_dead_letter(connection, letter.id, self._now())
            self._back_on_delivery(
                connection,
                message,
                "re-driven by an operator",
                only_from=(MessageState.DELIVERY_STOPPED, MessageState.NOT_DELIVERED),  # never a delivered one
            )
        self.wake()
        self.record("redriven", message, None, "re-driven by an operator")
        redriven = self.store.get(message_id)
        assert redriven is not None
        return redriven

    def dead_letters(self) -> list[DeadLetter]:
        return self.store.dead_letters()

    def _queue_push(self, connection: Connection, message_id: str, attempt: int) -> None:
        self.outbox.put(connection, PUSH_TOPIC, {"messageId": message_id}, key=f"{message_id}#{attempt}")

    def _queue_expiry(self, connection: Connection, message_id: str, round_: int) -> None:
        """The end of a PULL message's time on delivery (round ``round_``: 0, then one more per resend)."""
        self.outbox.put(
            connection,
            EXPIRY_TOPIC,
            {"messageId": message_id, "round": round_},
            key=f"{message_id}#expire{round_}",
            not_before=self._now() + self._max_age,
        )

    # --- the worker's delivery functions -----------------------------------------------------------------

    def push(self, job: dict[str, Any]) -> None:
        """Deliver one message to its PUSH receiver (outbox topic ``async.push``)."""
        message = self.store.get(job["messageId"])
        if message is None or message.state is not MessageState.ON_DELIVERY:
            return  # delivered, refused or stopped meanwhile: nothing to push
        if self._now() - (message.on_delivery_since or message.created_at) > self._max_age:
            raise DeliveryRefused(f"message older than {self._max_age} was not delivered")
        receiver = self._registry.participant(message.receiver_id)
        if receiver is None or receiver.async_delivery != "push":
            raise DeliveryRefused(f"{message.receiver_id} is no PUSH participant any more")
        stored = read_send_message(etree.fromstring(message.message_xml.encode("utf-8")), client=True)
        pushed_at = self._now()
        stamp = {PUSH_DATE_PROPERTY: pushed_at.isoformat(timespec="milliseconds"), PUSH_ID_PROPERTY: str(uuid.uuid4())}
        this_push = AsyncMessage(info=replace(stored.info, properties=stored.info.properties | stamp), data=stored.data)
        times: dict[str, str | None] = {"request_out": pushed_at.isoformat()}
        try:
            reply = self._post(receiver, wrap(write_send_message(this_push, client=True)), times)
        except ReceiverRefused as exc:
            self.push_refused(job, exc)
            raise
        except Exception as exc:
            self.record("push-failed", message, None, str(exc), times)
            raise
        pushed = self._record_of("pushed", message, None, f"pushed to {receiver.sender_id}", times)
        try:
            receipt = read_send_receipt(reply, client=True)
        except AsyncContractError as exc:
            self._append(pushed)
            raise RuntimeError(f"{receiver.sender_id} answered sendMessage with {exc}") from exc
        if receipt.message_id != message.message_id:
            self._append(pushed)
            raise RuntimeError(f"{receiver.sender_id} acknowledged {receipt.message_id}, not {message.message_id}")
        delivered = StateChange(MessageState.DELIVERED, DELIVERED_CODE, f"delivered to {receiver.sender_id}")
        delivered_record = self._record_of("delivered", message, DELIVERED_CODE, delivered.text, times)

        def deliver(connection: Connection) -> tuple[JournalRecord, ...]:
            only_from = (MessageState.ON_DELIVERY,)
            if self.change(
                message.message_id, delivered, only_from=only_from, connection=connection, delivered_at=self._now()
            ):
                return pushed, delivered_record
            return (pushed,)  # refused, stopped or delivered by another gateway meanwhile

        # the push, the state DELIVERED (with the sender's status notice) and both entries: one transaction
        self._journal.append_with(deliver, (pushed, delivered_record))
        self.wake()

    def expire(self, job: dict[str, Any]) -> None:
        """A PULL message not confirmed within the maximum age is DELIVERY_STOPPED, with a dead-letter record
        (outbox topic ``async.expire``, due at the end of that age on the ecosystem's clock)."""
        message = self.store.get(job["messageId"])
        if message is None or message.state is not MessageState.ON_DELIVERY or message.pushes != job["round"]:
            return  # confirmed, refused, or put back on delivery since (a later job watches that round)
        reason = f"not confirmed by {message.receiver_id} within {self._max_age} (PULL)"
        self._stop(message.message_id, None, reason)

    def notify_status(self, job: dict[str, Any]) -> None:
        """Tell a PUSH sender that its message changed state (outbox topic ``async.status``)."""
        sender = self._registry.participant(job["senderId"])
        if sender is None or sender.async_delivery != "push":
            return
        at = datetime.fromisoformat(job["at"])
        change = StatusChange(
            notification_id=job["notificationId"],
            message_id=job["messageId"],
            notification_date=at,
            state=MessageState(job["state"]),
            status_code=job["code"],
            status_message=job["text"],
            status_date=at,
            request_date=self._now(),
        )
        reply = self._post(sender, wrap(write_status_change(change)), {})
        try:
            read_status_change_receipt(reply)
        except AsyncContractError as exc:
            raise RuntimeError(f"{sender.sender_id} answered changeMassageStatusNotification with {exc}") from exc

    def dead(self, job: OutboxMessage, error: str) -> None:
        """The outbox gave up on a job: a PUSH still on delivery is DELIVERY_STOPPED, with a dead-letter record."""
        if job.topic != PUSH_TOPIC:
            log.warning("status notification %s to %s given up: %s", job.id, job.payload.get("senderId"), error)
            return
        attempts = job.attempts + 1
        self._stop(
            job.payload["messageId"],
            job.id,
            f"delivery stopped after {attempts} attempts: {error}",
            # what the sender reads (getMessageStatus, its status notification): no internal detail
            public=f"delivery stopped after {attempts} attempts; the gateway keeps the message as a dead letter",
        )

    def _stop(self, message_id: str, outbox_id: int | None, reason: str, public: str | None = None) -> None:
        """DELIVERY_STOPPED with a dead letter: ``reason`` in full for the dead letter and the journal, ``public``
        (default ``reason``) for the sender."""
        with self.store.engine.begin() as connection:
            stopped = StateChange(MessageState.DELIVERY_STOPPED, ErrorCode.PROVIDER_UNAVAILABLE.value, public or reason)
            self.change(message_id, stopped, only_from=(MessageState.ON_DELIVERY,), connection=connection)
            message = self.store.get(message_id, connection)
            if message is None or message.state not in (MessageState.DELIVERY_STOPPED, MessageState.NOT_DELIVERED):
                return
            if self.store.open_dead_letter(connection, message_id) is None:  # one open dead letter at most
                self.store.add_dead_letter(connection, message_id, outbox_id, reason, self._now())
        self.wake()
        self.record("delivery-stopped", message, message.status_code, reason)

    def _post(self, participant: Participant, envelope: etree._Element, times: dict[str, str | None]) -> etree._Element:
        """Sign and post ``envelope``; ``times`` gets ``request_out`` and ``response_in`` (for the journal)."""
        url = self._participant_url(participant)
        body = to_bytes(sign_envelope(envelope, self._credential))
        times["request_out"] = self._now().isoformat()
        try:
            answer = self._http.post(url, content=body, headers={"Content-Type": "text/xml; charset=utf-8"})
        except httpx.HTTPError as exc:
            raise ConnectionError(f"{participant.sender_id} did not answer: {type(exc).__name__}") from exc
        finally:
            times["response_in"] = self._now().isoformat()
        try:
            reply = parse_xml(answer.content, max_bytes=self._max_bytes)
            # RSA-SHA1 only from a participant the register allows it (``allowSha1Signatures``, docs/signing.md)
            verified = verify_envelope(reply, self._trust, self._now(), allow_sha1=participant.allow_sha1_signatures)
        except (XmlRejected, SignatureError) as exc:
            raise RuntimeError(
                f"{participant.sender_id} answered HTTP {answer.status_code} unacceptably: {exc}"
            ) from exc
        wrong_signer = system_signer_problem(verified.signer, participant.bin)
        if wrong_signer is not None:
            raise RuntimeError(f"the answer of {participant.sender_id} is not signed by it: {wrong_signer}")
        try:
            fault = parse_async_fault(verified.signed_body)
            wrapper = body_wrapper(verified.signed_body)
        except EnvelopeError as exc:
            raise RuntimeError(f"{participant.sender_id} answered with {exc}") from exc
        if fault is None:
            return wrapper
        if fault.code in RETRYABLE_FAULTS:
            raise RuntimeError(f"{participant.sender_id} could not take it now: {fault.code} {fault.message}")
        raise ReceiverRefused(f"{fault.code}: {fault.message}")

    def push_refused(self, job: dict[str, Any], error: ReceiverRefused) -> None:
        """Record a receiver's refusal as NOT_DELIVERED (before the outbox records the dead job)."""
        message = self.store.get(job["messageId"])
        if message is None:
            return
        code = str(error).split(":", 1)[0]
        refused = StateChange(MessageState.NOT_DELIVERED, code, f"{message.receiver_id} refused the message: {error}")
        if self.change(message.message_id, refused, only_from=(MessageState.ON_DELIVERY,)):
            self.record("receiver-refused", message, code, str(error))

    def record(
        self,
        event: str,
        message: StoredMessage,
        code: str | None,
        detail: str,
        times: dict[str, str | None] | None = None,
    ) -> None:
        self._append(self._record_of(event, message, code, detail, times))

    def _append(self, record: JournalRecord) -> None:
        try:
            self._journal.append(record)
        except Exception:  # the delivery state is in the store; a journal failure is logged
            log.exception("journalling %s of async message %s", record.event, record.message_id)

    def _record_of(
        self,
        event: str,
        message: StoredMessage,
        code: str | None,
        detail: str,
        times: dict[str, str | None] | None = None,
    ) -> JournalRecord:
        return JournalRecord(
            at=self._now(),
            channel="async",
            event=event,
            message_id=message.message_id,
            correlation_id=message.correlation_id,
            session_id=message.session_id,
            service_id=message.service_id,
            sender_id=message.sender_id,
            receiver_id=message.receiver_id,
            code=code,
            detail=detail,
            times=exchange_times(times or {}),
        )
