"""The journal of the centre's own API (the office, the rural assistant): every request it took or refused.

Requests through the gateway are journalled by the gateway; the centre's office and its assistants reach the
centre directly, so the centre journals those itself, one row per request, refusals included: when, which
route and channel, whose signature (as verified, or why it was not), what it concerned, the outcome and the
error code. Rows are only ever added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, select
from sqlalchemy.engine import Engine

from adapters.storage import AwareDateTime

metadata = MetaData()
channel_requests = Table(
    "channel_requests",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", AwareDateTime(), nullable=False, index=True),
    Column("route", String(128), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("subject", String(128), index=True),  # the application or pre-registration id, when known
    Column("signer", Text),
    Column("outcome", String(32), nullable=False),  # the HTTP status's meaning: ACCEPTED, REFUSED, FAILED
    Column("status", Integer, nullable=False),
    Column("code", String(16)),
    Column("detail", Text),
)


@dataclass(frozen=True)
class ChannelRequest:
    route: str
    channel: str
    subject: str | None
    signer: str | None
    status: int
    code: str | None
    detail: str | None

    @property
    def outcome(self) -> str:
        if self.status < 400:
            return "ACCEPTED"
        return "FAILED" if self.status >= 500 else "REFUSED"


class ChannelJournal:
    def __init__(self, engine: Engine, now: Callable[[], datetime]) -> None:
        self._engine = engine
        self._now = now
        metadata.create_all(engine)

    def record(self, request: ChannelRequest) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                channel_requests.insert().values(
                    at=self._now(),
                    route=request.route,
                    channel=request.channel,
                    subject=request.subject,
                    signer=request.signer,
                    outcome=request.outcome,
                    status=request.status,
                    code=request.code,
                    detail=(request.detail or "")[:2000] or None,
                )
            )

    def entries(self, subject: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Newest first; only those of ``subject`` when given."""
        query = select(channel_requests).order_by(channel_requests.c.seq.desc()).limit(max(1, min(limit, 1000)))
        if subject is not None:
            query = query.where(channel_requests.c.subject == subject)
        with self._engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            {key: value.isoformat() if isinstance(value, datetime) else value for key, value in row.items()}
            for row in rows
        ]
