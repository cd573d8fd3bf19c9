"""Durable store of stage reports received by the monitoring IS (JS-8, UN-6 of docs/rules.md).

One row per report, never updated: the application record is computed from its reports. A report is
identified by (applicationId, stage, stageAt), so a sender that retries a delivery does not create a
second stage. The sender of an application's first report owns it (table ``application_owners``): a
report of the same application from any other sender is refused (:class:`ForeignApplicationError`), in
the transaction that would store it. Instants are stored as instants (:class:`adapters.storage.AwareDateTime`):
compared and ordered whatever offset the sender wrote, and read back in Astana time with their +05:00 offset.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text, UniqueConstraint, and_, func, inspect, or_, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from adapters.storage import AwareDateTime, StorageError, create_store_engine
from mocks.monitoring.queries import ApplicationQuery


class ForeignApplicationError(Exception):
    """A stage report for an application that another system registered: only its owner may change it."""

    def __init__(self, application_id: str, owner: str, sender: str) -> None:
        super().__init__(
            f"application {application_id} was registered by {owner}; only {owner} may report its stages, "
            f"not {sender or 'a sender without X-Sender-Id'}"
        )
        self.application_id = application_id
        self.owner = owner
        self.sender = sender


@dataclass(frozen=True)
class StageReport:
    """One stage of one application, as the provider reported it."""

    application_id: str
    service_type: str
    stage: str
    stage_at: datetime
    deadline: datetime | None
    is_positive: bool | None = None
    register_org: str | None = None
    executor_org: str | None = None
    refuse_reason: str | None = None
    rule_id: str | None = None
    shep_correlation_id: str | None = None
    channel: str | None = None  # where the person applied (PORTAL, OFFICE, STATE_CORPORATION, RURAL_ASSISTANT)
    step_deadline: datetime | None = None  # of the step the application now waits for (e.g. regulation 004 §5)


@dataclass(frozen=True)
class Provenance:
    """How the report reached us: the original sender and the gateway's session (REST channel headers)."""

    sender_id: str | None
    session_id: str | None
    message_id: str | None
    correlation_id: str | None
    signed_by: str


@dataclass(frozen=True)
class StoredStage:
    report_id: int
    report: StageReport
    provenance: Provenance
    received_at: datetime


class _Base(DeclarativeBase):
    pass


class StageReportRow(_Base):
    __tablename__ = "stage_reports"
    __table_args__ = (UniqueConstraint("application_id", "stage", "stage_at", name="uq_stage_report"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(String(128), index=True)
    service_type: Mapped[str] = mapped_column(String(128))
    stage: Mapped[str] = mapped_column(String(64))
    stage_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    deadline: Mapped[datetime | None] = mapped_column(AwareDateTime())
    is_positive: Mapped[bool | None] = mapped_column(Boolean)
    register_org: Mapped[str | None] = mapped_column(String(255))
    executor_org: Mapped[str | None] = mapped_column(String(255))
    refuse_reason: Mapped[str | None] = mapped_column(Text)
    rule_id: Mapped[str | None] = mapped_column(String(64))
    shep_correlation_id: Mapped[str | None] = mapped_column(String(128), index=True)
    channel: Mapped[str | None] = mapped_column(String(32))
    step_deadline: Mapped[datetime | None] = mapped_column(AwareDateTime())
    sender_id: Mapped[str | None] = mapped_column(String(64))
    session_id: Mapped[str | None] = mapped_column(String(64))
    message_id: Mapped[str | None] = mapped_column(String(128))
    correlation_id: Mapped[str | None] = mapped_column(String(128))
    signed_by: Mapped[str] = mapped_column(String(255))
    received_at: Mapped[datetime] = mapped_column(AwareDateTime())


class ApplicationOwnerRow(_Base):
    """The system that registered an application: the sender of its first report."""

    __tablename__ = "application_owners"

    application_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128))
    registered_at: Mapped[datetime] = mapped_column(AwareDateTime())


def _to_stored(row: StageReportRow) -> StoredStage:
    report = StageReport(
        application_id=row.application_id,
        service_type=row.service_type,
        stage=row.stage,
        stage_at=row.stage_at,
        deadline=row.deadline,
        is_positive=row.is_positive,
        register_org=row.register_org,
        executor_org=row.executor_org,
        refuse_reason=row.refuse_reason,
        rule_id=row.rule_id,
        shep_correlation_id=row.shep_correlation_id,
        channel=row.channel,
        step_deadline=row.step_deadline,
    )
    provenance = Provenance(
        sender_id=row.sender_id,
        session_id=row.session_id,
        message_id=row.message_id,
        correlation_id=row.correlation_id,
        signed_by=row.signed_by,
    )
    return StoredStage(row.id, report, provenance, row.received_at)


def _to_row(report: StageReport, provenance: Provenance, received_at: datetime) -> StageReportRow:
    return StageReportRow(
        application_id=report.application_id,
        service_type=report.service_type,
        stage=report.stage,
        stage_at=report.stage_at,
        deadline=report.deadline,
        is_positive=report.is_positive,
        register_org=report.register_org,
        executor_org=report.executor_org,
        refuse_reason=report.refuse_reason,
        rule_id=report.rule_id,
        shep_correlation_id=report.shep_correlation_id,
        channel=report.channel,
        step_deadline=report.step_deadline,
        sender_id=provenance.sender_id,
        session_id=provenance.session_id,
        message_id=provenance.message_id,
        correlation_id=provenance.correlation_id,
        signed_by=provenance.signed_by,
        received_at=received_at,
    )


def _refuse_older_layout(engine: Engine) -> None:
    """Stage instants used to be kept as text beside a naive UTC copy; such a table cannot be read now."""
    columns = {column["name"] for column in inspect(engine).get_columns(StageReportRow.__tablename__)}
    if "stage_at_utc" in columns:
        raise StorageError(
            f"the monitoring database {engine.url.render_as_string(hide_password=True)} keeps stage reports "
            "in an older layout (instants as text): delete it (a SQLite file under <data>/db/, or drop the "
            "database on the server) and let the systems report again"
        )


# Columns added after the table was first made, each nullable: a store kept from before gets them, empty.
_LATER_COLUMNS = ("channel", "step_deadline")


def _add_later_columns(engine: Engine) -> None:
    """A table made before stage reports carried their channel or step deadline gets the (empty) columns."""
    table = _Base.metadata.tables[StageReportRow.__tablename__]
    present = {column["name"] for column in inspect(engine).get_columns(table.name)}
    missing = [name for name in _LATER_COLUMNS if name not in present]
    if not missing:
        return
    with engine.begin() as connection:
        for name in missing:
            column_type = table.c[name].type.compile(dialect=engine.dialect)
            connection.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {name} {column_type}"))


class StageReportStore:
    """Append-only table of stage reports."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        _Base.metadata.create_all(engine)
        _refuse_older_layout(engine)
        _add_later_columns(engine)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def at(cls, url: str) -> StageReportStore:
        return cls(create_store_engine(url))

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def add(self, report: StageReport, provenance: Provenance, received_at: datetime) -> tuple[int, bool]:
        """Store ``report``; return (report id, False), or (id of the same report stored before, True).

        Raise :class:`ForeignApplicationError` (storing nothing) when another sender owns the application."""
        for attempt in (1, 2):
            try:
                with self._session() as session:
                    self._claim(session, report.application_id, provenance.sender_id or "", received_at)
                    row = _to_row(report, provenance, received_at)
                    session.add(row)
                    session.flush()
                    return row.id, False
            except IntegrityError:
                existing = self._find(report)
                if existing is not None:  # the owner's report stored before (the claim above passed)
                    return existing, True
                if attempt == 2:  # the constraint failed for another reason: keep the cause
                    raise
                # else two first reports raced to claim the application: the claim is read again
        raise AssertionError("unreachable")

    @staticmethod
    def _claim(session: Session, application_id: str, sender_id: str, at: datetime) -> None:
        """Make ``sender_id`` the owner of a new application, or check that it owns this one."""
        owner = session.get(ApplicationOwnerRow, application_id)
        if owner is None:
            first = session.scalars(  # a store kept before owners were: the first report's sender
                select(StageReportRow.sender_id)
                .where(StageReportRow.application_id == application_id)
                .order_by(StageReportRow.received_at, StageReportRow.id)
                .limit(1)
            ).first()
            owner = ApplicationOwnerRow(application_id=application_id, sender_id=first or sender_id, registered_at=at)
            session.add(owner)
            session.flush()
        if owner.sender_id != sender_id:
            raise ForeignApplicationError(application_id, owner.sender_id, sender_id)

    def _find(self, report: StageReport) -> int | None:
        query = select(StageReportRow.id).where(
            StageReportRow.application_id == report.application_id,
            StageReportRow.stage == report.stage,
            StageReportRow.stage_at == report.stage_at,
        )
        with self._session() as session:
            return session.scalars(query).first()

    def stages_of(self, application_id: str) -> list[StoredStage]:
        """Every report of one application, in the order the stages happened (then of arrival)."""
        query = (
            select(StageReportRow)
            .where(StageReportRow.application_id == application_id)
            .order_by(StageReportRow.stage_at, StageReportRow.id)
        )
        with self._session() as session:
            return [_to_stored(row) for row in session.scalars(query)]

    def all_stages(self) -> list[StoredStage]:
        """Every report, ordered by application, then as in :meth:`stages_of`."""
        query = select(StageReportRow).order_by(
            StageReportRow.application_id, StageReportRow.stage_at, StageReportRow.id
        )
        with self._session() as session:
            return [_to_stored(row) for row in session.scalars(query)]

    def application_page(self, query: ApplicationQuery) -> list[list[StoredStage]]:
        """The stages of the applications ``query`` selects, a page of them newest first (see
        :mod:`mocks.monitoring.queries`); one more application than ``query.limit`` when there is a next page."""
        registered = func.min(StageReportRow.stage_at).label("registered")
        page = select(StageReportRow.application_id, registered).group_by(StageReportRow.application_id)
        if query.correlation_id is not None:
            page = page.where(
                StageReportRow.application_id.in_(
                    select(StageReportRow.application_id).where(
                        StageReportRow.shep_correlation_id == query.correlation_id
                    )
                )
            )
        if query.service_type is not None:
            page = page.where(
                StageReportRow.application_id.in_(
                    select(StageReportRow.application_id).where(StageReportRow.service_type == query.service_type)
                )
            )
        if query.registered_from is not None:
            page = page.having(registered >= query.registered_from)
        if query.registered_to is not None:
            page = page.having(registered < query.registered_to)
        if query.after is not None:
            page = page.having(
                or_(
                    registered < query.after.register_date,
                    and_(
                        registered == query.after.register_date,
                        StageReportRow.application_id < query.after.application_id,
                    ),
                )
            )
        page = page.order_by(registered.desc(), StageReportRow.application_id.desc()).limit(query.limit + 1)
        with self._session() as session:
            ids = [application_id for application_id, _ in session.execute(page)]
            if not ids:
                return []
            rows = session.scalars(
                select(StageReportRow)
                .where(StageReportRow.application_id.in_(ids))
                .order_by(StageReportRow.stage_at, StageReportRow.id)
            )
            grouped: dict[str, list[StoredStage]] = {application_id: [] for application_id in ids}
            for row in rows:
                grouped[row.application_id].append(_to_stored(row))
        return list(grouped.values())
