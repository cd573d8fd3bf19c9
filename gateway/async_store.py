"""The AsyncChannel's store in the gateway's database: every message with its delivery state, and the
dead-letter records of messages whose delivery stopped (docs/gateway.md, "AsyncChannel").

A message is written here — together with its PUSH job in the durable outbox, in one transaction — before
the sender gets its ``sendMessageResponse``: what the gateway acknowledged survives any crash. A sender's
signed message is accepted once: the same signed Body again (a replay, whatever bytes surround it) hits the
unique (sender, digest of the canonical signed Body) key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    func,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import Update

from adapters.storage import AwareDateTime
from contracts.async_channel import MessageState

_metadata = MetaData()
messages_table = Table(
    "async_messages",
    _metadata,
    Column("message_id", String(64), primary_key=True),
    Column("correlation_id", String(64), nullable=False, index=True),
    Column("service_id", String(128), nullable=False),
    Column("message_type", String(16), nullable=False),
    Column("sender_id", String(128), nullable=False),
    Column("receiver_id", String(128), nullable=False, index=True),
    Column("delivery", String(8), nullable=False),  # push | pull
    Column("state", String(20), nullable=False, index=True),
    Column("status_code", String(16), nullable=False),
    Column("status_message", Text),
    Column("status_date", AwareDateTime(), nullable=False),
    Column("session_id", String(64), nullable=False),
    Column("message_xml", Text, nullable=False),  # the AsyncMessage as the receiver gets it
    Column("body_sha256", String(64), nullable=False),
    Column("created_at", AwareDateTime(), nullable=False),
    # when its current round of delivery began: its acceptance, or its latest re-drive or RESEND (age limit)
    Column("on_delivery_since", AwareDateTime()),
    Column("delivered_at", AwareDateTime()),
    Column("pulled_at", AwareDateTime()),
    Column("pushes", Integer, nullable=False, default=0),  # PUSH jobs queued for it (a re-drive adds one)
    UniqueConstraint("sender_id", "body_sha256", name="uq_async_sender_body"),
)
dead_letters_table = Table(
    "async_dead_letters",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(64), nullable=False, index=True),
    Column("outbox_id", Integer),
    Column("reason", Text, nullable=False),
    Column("stopped_at", AwareDateTime(), nullable=False),
    Column("redriven_at", AwareDateTime()),
)

MAX_TEXT = 2000


@dataclass(frozen=True)
class StoredMessage:
    message_id: str
    correlation_id: str
    service_id: str
    message_type: str
    sender_id: str
    receiver_id: str
    delivery: str
    state: MessageState
    status_code: str
    status_message: str | None
    status_date: datetime
    session_id: str
    message_xml: str
    created_at: datetime
    on_delivery_since: datetime | None
    delivered_at: datetime | None
    pulled_at: datetime | None
    pushes: int

    def as_json(self) -> dict[str, Any]:
        return {
            "messageId": self.message_id,
            "correlationId": self.correlation_id,
            "serviceId": self.service_id,
            "messageType": self.message_type,
            "senderId": self.sender_id,
            "receiverId": self.receiver_id,
            "delivery": self.delivery,
            "messageState": self.state.value,
            "status": {
                "statusCode": self.status_code,
                "statusMessage": self.status_message,
                "statusDate": self.status_date.isoformat(),
            },
            "sessionId": self.session_id,
            "createdAt": self.created_at.isoformat(),
            "deliveredAt": self.delivered_at.isoformat() if self.delivered_at else None,
            "pulledAt": self.pulled_at.isoformat() if self.pulled_at else None,
        }


@dataclass(frozen=True)
class DeadLetter:
    id: int
    message_id: str
    outbox_id: int | None
    reason: str
    stopped_at: datetime
    redriven_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "messageId": self.message_id,
            "outboxId": self.outbox_id,
            "reason": self.reason,
            "stoppedAt": self.stopped_at.isoformat(),
            "redrivenAt": self.redriven_at.isoformat() if self.redriven_at else None,
        }


class AsyncStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        _metadata.create_all(engine)
        # The statements of every message's path, built once (as the journal's): built per call, SQLAlchemy's
        # coercion of each value and the statement's cache key cost more Python than the query itself.
        self._insert = messages_table.insert()
        self._get = select(messages_table).where(messages_table.c.message_id == bindparam("the_message_id"))
        self._set_states: dict[tuple[MessageState, ...] | None, Update] = {}

    def insert(self, connection: Connection, values: dict[str, Any]) -> None:
        connection.execute(self._insert, values)

    def get(self, message_id: str, connection: Connection | None = None) -> StoredMessage | None:
        parameters = {"the_message_id": message_id}
        if connection is not None:
            row = connection.execute(self._get, parameters).mappings().first()
        else:
            with self.engine.connect() as own:
                row = own.execute(self._get, parameters).mappings().first()
        return _message(row) if row is not None else None

    def chain_request(self, correlation_id: str) -> StoredMessage | None:
        """The REQUEST that began the chain ``correlation_id`` (None for a chain begun elsewhere)."""
        t = messages_table
        query = select(t).where(t.c.correlation_id == correlation_id, t.c.message_type == "REQUEST")
        with self.engine.connect() as connection:
            row = connection.execute(query.order_by(t.c.created_at).limit(1)).mappings().first()
        return _message(row) if row is not None else None

    def set_state(
        self,
        connection: Connection,
        message_id: str,
        state: MessageState,
        code: str,
        text: str | None,
        at: datetime,
        *,
        only_from: tuple[MessageState, ...] | None = None,
        **extra: Any,
    ) -> bool:
        """Move a message to ``state`` (only from one of ``only_from`` if given); False if it was not there.
        ``extra`` sets more columns by name."""
        values = {"state": state.value, "status_code": code, "status_message": (text or "")[:MAX_TEXT]}
        changed = connection.execute(
            self._set_state(only_from), {"the_message_id": message_id, **values, "status_date": at, **extra}
        )
        return bool(changed.rowcount)

    def _set_state(self, only_from: tuple[MessageState, ...] | None) -> Update:
        """The state change from ``only_from`` (any state if None), built once per ``only_from``: the columns it
        sets are those of the parameters it is executed with (SQLAlchemy compiles each set of them once)."""
        statement = self._set_states.get(only_from)
        if statement is None:
            t = messages_table
            statement = update(t).where(t.c.message_id == bindparam("the_message_id"))
            if only_from is not None:
                held = [bindparam(f"from_state_{i}", s.value, type_=String) for i, s in enumerate(only_from)]
                statement = statement.where(t.c.state.in_(held))
            self._set_states[only_from] = statement
        return statement

    def pullable(
        self,
        receiver_id: str,
        *,
        message_id: str | None,
        correlation_id: str | None,
        service_id: str | None,
        limit: int,
    ) -> list[StoredMessage]:
        """ON_DELIVERY messages waiting for ``receiver_id`` to PULL them, oldest first."""
        t = messages_table
        query = select(t).where(
            t.c.receiver_id == receiver_id, t.c.delivery == "pull", t.c.state == MessageState.ON_DELIVERY.value
        )
        if message_id is not None:
            query = query.where(t.c.message_id == message_id)
        else:
            query = query.where(t.c.correlation_id == correlation_id, t.c.service_id == service_id)
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(t.c.created_at, t.c.message_id).limit(limit)).mappings().all()
        return [_message(row) for row in rows]

    def mark_pulled(self, message_ids: list[str], at: datetime) -> None:
        if not message_ids:
            return
        with self.engine.begin() as connection:
            connection.execute(
                update(messages_table).where(messages_table.c.message_id.in_(message_ids)).values(pulled_at=at)
            )

    def messages(self, state: MessageState | None = None, limit: int = 100, offset: int = 0) -> list[StoredMessage]:
        query = select(messages_table)
        if state is not None:
            query = query.where(messages_table.c.state == state.value)
        query = query.order_by(messages_table.c.created_at.desc(), messages_table.c.message_id).limit(limit)
        with self.engine.connect() as connection:
            return [_message(row) for row in connection.execute(query.offset(offset)).mappings()]

    def counts(self) -> dict[str, int]:
        query = select(messages_table.c.state, func.count()).group_by(messages_table.c.state)
        with self.engine.connect() as connection:
            found: dict[str, int] = {state: count for state, count in connection.execute(query).all()}
        return {state.value: int(found.get(state.value, 0)) for state in MessageState}

    def add_dead_letter(
        self, connection: Connection, message_id: str, outbox_id: int | None, reason: str, at: datetime
    ) -> None:
        connection.execute(
            dead_letters_table.insert().values(
                message_id=message_id, outbox_id=outbox_id, reason=reason[:MAX_TEXT], stopped_at=at
            )
        )

    def dead_letters(self, *, open_only: bool = True, limit: int = 100) -> list[DeadLetter]:
        t = dead_letters_table
        query = select(t)
        if open_only:
            query = query.where(t.c.redriven_at.is_(None))
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(t.c.id.desc()).limit(limit)).mappings().all()
        return [DeadLetter(**dict(row)) for row in rows]

    def open_dead_letter(self, connection: Connection, message_id: str) -> DeadLetter | None:
        t = dead_letters_table
        query = select(t).where(t.c.message_id == message_id, t.c.redriven_at.is_(None)).order_by(t.c.id.desc())
        row = connection.execute(query).mappings().first()
        return DeadLetter(**dict(row)) if row is not None else None

    def close_dead_letter(self, connection: Connection, dead_letter_id: int, at: datetime) -> None:
        connection.execute(
            update(dead_letters_table).where(dead_letters_table.c.id == dead_letter_id).values(redriven_at=at)
        )


def _message(row: Any) -> StoredMessage:
    return StoredMessage(
        message_id=row["message_id"],
        correlation_id=row["correlation_id"],
        service_id=row["service_id"],
        message_type=row["message_type"],
        sender_id=row["sender_id"],
        receiver_id=row["receiver_id"],
        delivery=row["delivery"],
        state=MessageState(row["state"]),
        status_code=row["status_code"],
        status_message=row["status_message"],
        status_date=row["status_date"],
        session_id=row["session_id"],
        message_xml=row["message_xml"],
        created_at=row["created_at"],
        on_delivery_since=row["on_delivery_since"],
        delivered_at=row["delivered_at"],
        pulled_at=row["pulled_at"],
        pushes=row["pushes"],
    )
