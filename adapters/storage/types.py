"""One timezone-aware datetime column type for every store."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from kernel.clock import almaty


class AwareDateTime(TypeDecorator[datetime]):
    """An aware datetime, stored as UTC (naive on SQLite, which keeps no offset; ``timestamptz`` on
    PostgreSQL) and read back in the ecosystem's time zone (Asia/Almaty, +05:00), so every API shows each
    instant with its real offset. A naive datetime is refused: its meaning would be a guess."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def __init__(self, zone: tzinfo | None = None) -> None:
        super().__init__()
        self._zone = zone

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"refusing to store a naive datetime {value.isoformat()}: give it an offset")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(self._zone or almaty())
