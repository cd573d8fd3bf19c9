"""Row helpers every system's store shares: an insert that leaves a taken key alone, and the leased claim of
rows due for a worker's act.

- ``insert_new(connection, table, values)``: ``INSERT … ON CONFLICT DO NOTHING`` on the table's key, in the
  caller's transaction; True when the row was inserted (a repeated request finds its row already there).
- ``LeasedRows``: rows a background worker acts on in turn (a case due for its automatic decision, an
  application due for its role's act). Due rows are leased to one worker at a time, as the outbox's messages
  are (:meth:`adapters.storage.Outbox.claim`): on PostgreSQL the rows are locked with
  ``SELECT … FOR UPDATE SKIP LOCKED``, so several processes never take the same row; on SQLite, whose writers
  are serialised, a conditional update takes the lease. A lease that runs out (the process died mid-act) frees
  the row again. The table carries the columns ``attempts``, ``last_error``, ``lease_until`` and ``leased_by``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Column, ColumnElement, Table, and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from adapters.storage.engine import is_postgres
from adapters.storage.outbox import MAX_ERROR_CHARS


def insert_new(connection: Connection, table: Table, values: dict[str, Any]) -> bool:
    """Insert unless the key is taken; True when inserted."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    key = next(iter(table.primary_key.columns))
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing().returning(key)
    return connection.execute(statement).first() is not None


@dataclass(frozen=True)
class LeasedRows:
    """The rows of ``table`` that wait for a worker's act (``waiting``), each due at ``due_at``; ``key`` is
    the row's identifier."""

    engine: Engine
    table: Table
    key: Column[Any]
    due_at: Column[Any]
    waiting: ColumnElement[bool]

    def claim_due(self, worker: str, now: datetime, *, limit: int, lease: timedelta) -> list[Any]:
        """Lease to ``worker`` up to ``limit`` waiting rows due at ``now`` and not leased, earliest due first;
        their keys."""
        t = self.table
        due = and_(
            self.waiting,
            self.due_at <= now,
            or_(t.c.lease_until.is_(None), t.c.lease_until <= now),
        )
        query = select(self.key).where(due).order_by(self.due_at, self.key).limit(limit)
        claimed: list[Any] = []
        with self.engine.begin() as connection:
            if is_postgres(self.engine):
                query = query.with_for_update(skip_locked=True)
            for key in connection.execute(query).scalars().all():
                taken = connection.execute(
                    update(t).where(self.key == key, due).values(lease_until=now + lease, leased_by=worker)
                )
                if taken.rowcount:
                    claimed.append(key)
        return claimed

    def release(self, key: Any) -> None:
        """Free the row's lease (its act is done, or was not due after all)."""
        with self.engine.begin() as connection:
            connection.execute(update(self.table).where(self.key == key).values(lease_until=None, leased_by=None))

    def put_off(self, key: Any, error: str, next_attempt_at: datetime) -> None:
        """A failed attempt: counted, its error kept, the row freed and due again at ``next_attempt_at`` (if it
        still waits)."""
        t = self.table
        with self.engine.begin() as connection:
            connection.execute(
                update(t)
                .where(self.key == key, self.waiting)
                .values(
                    {
                        t.c.attempts: t.c.attempts + 1,
                        t.c.last_error: error[:MAX_ERROR_CHARS],
                        self.due_at: next_attempt_at,
                        t.c.lease_until: None,
                        t.c.leased_by: None,
                    }
                )
            )
