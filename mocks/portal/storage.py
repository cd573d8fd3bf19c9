"""The portal's durable state: citizens (salted password hashes), login sessions, and applications.

An application is stored, with the applicant's signed form, before the portal answers "In progress"
(SPEC JS-10), and the outbox (:mod:`mocks.portal.submission`) sends it from this table: a crash between
acceptance and delivery loses nothing. Operational instants (sessions, retries, leases) are kept as UTC;
``submitted_at`` is kept as the ISO text written in the signed form.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text, create_engine, func, or_, select, update
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator


class ApplicationStatus(StrEnum):
    """Where an application stands (the cabinet shows "In progress", "Done", "Rejected"; seed 003)."""

    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"
    REJECTED = "REJECTED"


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as naive UTC (SQLite keeps no offset) and read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"refusing to store a naive datetime {value.isoformat()}")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class _Base(DeclarativeBase):
    pass


class CitizenRow(_Base):
    __tablename__ = "citizens"

    iin: Mapped[str] = mapped_column(String(12), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))


class SessionRow(_Base):
    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    iin: Mapped[str] = mapped_column(String(12), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ApplicationRow(_Base):
    __tablename__ = "applications"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    iin: Mapped[str] = mapped_column(String(12), index=True)
    service: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
    submitted_at: Mapped[str] = mapped_column(String(40))
    signed_form: Mapped[str] = mapped_column(Text)
    result_kind: Mapped[str | None] = mapped_column(String(32))
    result_document: Mapped[str | None] = mapped_column(Text)
    signer_common_name: Mapped[str | None] = mapped_column(String(255))
    signer_iin: Mapped[str | None] = mapped_column(String(12))
    signer_bin: Mapped[str | None] = mapped_column(String(12))
    error_code: Mapped[str | None] = mapped_column(String(16))
    error_message: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


def engine_for(url: str) -> Engine:
    """An engine usable from the request threads and the outbox thread alike."""
    if url in ("sqlite://", "sqlite:///:memory:"):
        return create_engine(url, connect_args={"check_same_thread": False}, poolclass=StaticPool)
    if url.startswith("sqlite"):
        return create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
    return create_engine(url)


class PortalStore:
    """Tables of the portal; each method is one transaction."""

    def __init__(self, engine: Engine) -> None:
        _Base.metadata.create_all(engine)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def at(cls, url: str) -> PortalStore:
        return cls(engine_for(url))

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # ---- citizens ------------------------------------------------------------------------------

    def citizen_count(self) -> int:
        with self._session() as session:
            return session.scalar(select(func.count()).select_from(CitizenRow)) or 0

    def add_citizens(self, citizens: Iterable[CitizenRow]) -> None:
        with self._session() as session:
            session.add_all(list(citizens))

    def citizen(self, iin: str) -> CitizenRow | None:
        with self._session() as session:
            return session.get(CitizenRow, iin)

    # ---- login sessions ------------------------------------------------------------------------

    def add_login_session(self, row: SessionRow) -> None:
        with self._session() as session:
            session.add(row)

    def login_session(self, token_hash: str) -> SessionRow | None:
        with self._session() as session:
            return session.get(SessionRow, token_hash)

    def delete_login_session(self, token_hash: str) -> None:
        with self._session() as session:
            row = session.get(SessionRow, token_hash)
            if row is not None:
                session.delete(row)

    # ---- applications --------------------------------------------------------------------------

    def add_application(self, row: ApplicationRow) -> None:
        with self._session() as session:
            session.add(row)

    def application(self, application_id: str) -> ApplicationRow | None:
        with self._session() as session:
            return session.get(ApplicationRow, application_id)

    def applications_of(self, iin: str) -> list[ApplicationRow]:
        query = select(ApplicationRow).where(ApplicationRow.iin == iin).order_by(ApplicationRow.submitted_at)
        with self._session() as session:
            return list(session.scalars(query))

    def pending(self, now: datetime | None, limit: int = 50) -> list[ApplicationRow]:
        """IN_PROGRESS applications whose next attempt is due at ``now`` (every one if ``now`` is None)."""
        query = select(ApplicationRow).where(ApplicationRow.status == ApplicationStatus.IN_PROGRESS.value)
        if now is not None:
            query = query.where(or_(ApplicationRow.next_attempt_at.is_(None), ApplicationRow.next_attempt_at <= now))
        query = query.order_by(ApplicationRow.submitted_at).limit(limit)
        with self._session() as session:
            return list(session.scalars(query))

    def claim(self, application_id: str, now: datetime, lease_until: datetime) -> bool:
        """Take the lease on an IN_PROGRESS application, unless another worker holds it."""
        statement = (
            update(ApplicationRow)
            .where(
                ApplicationRow.id == application_id,
                ApplicationRow.status == ApplicationStatus.IN_PROGRESS.value,
                or_(ApplicationRow.lease_until.is_(None), ApplicationRow.lease_until <= now),
            )
            .values(lease_until=lease_until)
        )
        with self._session() as session:
            result = session.execute(statement)
            return bool(getattr(result, "rowcount", 0))

    def update_application(self, application_id: str, **values: Any) -> None:
        """Set columns of one application and release its lease."""
        statement = update(ApplicationRow).where(ApplicationRow.id == application_id).values(lease_until=None, **values)
        with self._session() as session:
            session.execute(statement)
