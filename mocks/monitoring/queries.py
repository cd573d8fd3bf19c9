"""Queries of the monitoring IS over its application records: by correlationId, by service and by period,
newest first, a page at a time.

- An application is *registered* at its earliest stage (``registerDate``); the period is half-open,
  ``from <= registerDate < to``, and both ends need an offset (an instant without one would be a guess).
- ``correlationId`` matches an application any of whose stages carried that ``shepCorrelationId``;
  ``serviceType`` one any of whose stages was reported under that service code.
- Pages are newest first (``registerDate`` descending, then ``applicationId`` descending) and cut by keyset:
  the cursor names the last record of the page before, so a page is the same whatever arrives meanwhile
  beside it (newer applications never shift an older page).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class QueryError(ValueError):
    """A query the monitoring IS cannot answer as asked (answered 422): the message says what to change."""


@dataclass(frozen=True)
class Cursor:
    """Where the previous page stopped: its last record's ``registerDate`` and ``applicationId``."""

    register_date: datetime
    application_id: str

    def encode(self) -> str:
        raw = json.dumps({"r": self.register_date.isoformat(), "a": self.application_id}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii").rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Read a cursor given back by a previous page; raise :class:`QueryError` for anything else."""
        problem = "the cursor is not one this monitoring IS gave: pass nextCursor of the previous page unchanged"
        if len(text) > 512:
            raise QueryError(problem)
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            fields = json.loads(raw)
            register_date = datetime.fromisoformat(fields["r"])
            application_id = fields["a"]
        except (binascii.Error, ValueError, TypeError, KeyError) as exc:
            raise QueryError(problem) from exc
        if not isinstance(application_id, str) or register_date.tzinfo is None:
            raise QueryError(problem)
        return cls(register_date, application_id)


@dataclass(frozen=True)
class ApplicationQuery:
    """Which applications to list: every filter given must hold (none given: all of them)."""

    correlation_id: str | None = None
    service_type: str | None = None
    registered_from: datetime | None = None
    registered_to: datetime | None = None
    limit: int = DEFAULT_LIMIT
    after: Cursor | None = None

    def __post_init__(self) -> None:
        for name, value in (("from", self.registered_from), ("to", self.registered_to)):
            if value is not None and (value.tzinfo is None or value.utcoffset() is None):
                raise QueryError(
                    f"'{name}' {value.isoformat()} has no offset: write it in ISO 8601 with one, "
                    "e.g. 2026-11-23T00:00:00+05:00"
                )
        if (
            self.registered_from is not None
            and self.registered_to is not None
            and self.registered_from >= self.registered_to
        ):
            raise QueryError(
                f"the period is empty: 'from' ({self.registered_from.isoformat()}) must be before "
                f"'to' ({self.registered_to.isoformat()})"
            )
        if not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}, not {self.limit}")
