"""SQLAlchemy storage of the employment centre: applications, job seekers' cards, and its outbox.

One engine from :func:`adapters.storage.create_store_engine` (SQLite file by default, PostgreSQL by URL);
every instant is an :class:`adapters.storage.AwareDateTime`, read back with its +05:00 offset. Stage reports
are put in the shared :class:`adapters.storage.Outbox` in the same transaction as the decision.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from types import TracebackType

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, RootTransaction
from sqlalchemy.exc import IntegrityError

from adapters.storage import AwareDateTime, Outbox, create_store_engine
from employment.adapters.stage_outbox import STAGE_REPORT_TOPIC, stage_report_payload
from employment.domain.models import Applicant, StageReport
from employment.service_layer.ports import StoredApplication
from employment.service_layer.unit_of_work import ApplicationAlreadyStored

metadata = MetaData()
applications = Table(
    "applications",
    metadata,
    Column("application_id", String(64), primary_key=True),
    Column("iin", String(12), nullable=False, index=True),
    Column("correlation_id", String(128)),
    Column("received_at", AwareDateTime(), nullable=False),
    Column("deadline", AwareDateTime(), nullable=False),
    Column("registered", Boolean, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("document", Text, nullable=False),
    Column("applicant_signature", Text, nullable=False),
)
job_seekers = Table(
    "job_seekers",
    metadata,
    Column("iin", String(12), primary_key=True),
    Column("full_name", String(300), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("registered_on", Date, nullable=False),
    Column("applications", Integer, nullable=False),
)


class SqlApplications:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, application_id: str) -> StoredApplication | None:
        query = select(applications).where(applications.c.application_id == application_id)
        row = self._c.execute(query).mappings().first()
        return StoredApplication(**row) if row is not None else None

    def add(self, application: StoredApplication) -> None:
        try:
            self._c.execute(applications.insert().values(**application.__dict__))
        except IntegrityError as exc:  # the transaction is spoilt: the unit of work rolls it back
            raise ApplicationAlreadyStored(application.application_id) from exc


class SqlJobSeekers:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def register(self, applicant: Applicant, registered_on: date) -> bool:
        """Insert the card, or count one more application on it; safe when two transactions race."""
        dialect = postgresql if self._c.dialect.name == "postgresql" else sqlite
        created = self._c.execute(
            dialect.insert(job_seekers)
            .values(
                iin=applicant.iin,
                full_name=applicant.full_name,
                birth_date=applicant.birth_date,
                registered_on=registered_on,
                applications=1,
            )
            .on_conflict_do_nothing()
            .returning(job_seekers.c.iin)
        ).first()
        if created is not None:
            return True
        self._c.execute(
            update(job_seekers)
            .where(job_seekers.c.iin == applicant.iin)
            .values(full_name=applicant.full_name, applications=job_seekers.c.applications + 1)
        )
        return False


class SqlUnitOfWork:
    """One transaction on the centre's store; ``on_queued`` is called after a commit that queued reports."""

    def __init__(self, engine: Engine, outbox: Outbox, on_queued: Callable[[], None]) -> None:
        self._engine = engine
        self._outbox = outbox
        self._on_queued = on_queued
        self._connection: Connection | None = None
        self._transaction: RootTransaction | None = None
        self._queued = False

    def __enter__(self) -> SqlUnitOfWork:
        if self._connection is not None:
            raise RuntimeError("a unit of work is entered once; ask the factory for a new one")
        self._connection = self._engine.connect()
        self._transaction = self._connection.begin()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._connection is not None and self._transaction is not None
        try:
            if exc_type is None:
                self._transaction.commit()
            else:
                self._transaction.rollback()
        finally:
            self._connection.close()
        if exc_type is None and self._queued:
            self._on_queued()

    @property
    def _open(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("use the unit of work inside 'with'")
        return self._connection

    @property
    def applications(self) -> SqlApplications:
        return SqlApplications(self._open)

    @property
    def job_seekers(self) -> SqlJobSeekers:
        return SqlJobSeekers(self._open)

    def report_stage(self, report: StageReport) -> None:
        self._outbox.put(
            self._open,
            STAGE_REPORT_TOPIC,
            stage_report_payload(report),
            key=f"{report.application_id}/{report.stage.value}",
            ordering_key=report.application_id,
        )
        self._queued = True


class EmploymentStore:
    """The centre's database: units of work for the handlers, reads for the admin API, the outbox."""

    def __init__(self, engine: Engine, now: Callable[[], datetime]) -> None:
        self._engine = engine
        metadata.create_all(engine)
        self.outbox = Outbox(engine, now)
        self._listeners: list[Callable[[], None]] = []

    @classmethod
    def at(cls, url: str, now: Callable[[], datetime]) -> EmploymentStore:
        return cls(create_store_engine(url), now)

    @property
    def engine(self) -> Engine:
        return self._engine

    def on_stage_reports_queued(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after each commit that queued stage reports (the worker's ``wake``)."""
        self._listeners.append(listener)

    def unit_of_work(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._engine, self.outbox, self._notify)

    def _notify(self) -> None:
        for listener in self._listeners:
            listener()

    def application(self, application_id: str) -> StoredApplication | None:
        with self.unit_of_work() as uow:
            return uow.applications.get(application_id)

    def job_seeker(self, iin: str) -> dict[str, object] | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(job_seekers).where(job_seekers.c.iin == iin)).mappings().first()
        return dict(row) if row else None

    def dispose(self) -> None:
        self._engine.dispose()
