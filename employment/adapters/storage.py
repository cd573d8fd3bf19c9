"""SQLAlchemy storage of the employment centre: applications, job seekers' cards, and its outbox.

One engine from :func:`adapters.storage.create_store_engine` (SQLite file by default, PostgreSQL by URL);
every instant is an :class:`adapters.storage.AwareDateTime`, read back with its +05:00 offset. Stage reports
are put in the shared :class:`adapters.storage.Outbox` in the same transaction as the decision; so are the
AsyncChannel answers of an application that came as an AsyncChannel REQUEST (a unit of work opened with
``answer_async``: :mod:`employment.adapters.async_answers`).
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
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, RootTransaction, RowMapping
from sqlalchemy.exc import IntegrityError

from adapters.storage import AwareDateTime, Outbox, create_store_engine, is_postgres
from employment.adapters.async_answers import queue_answers
from employment.adapters.register_storage import (
    SqlCases,
    SqlCertificates,
    SqlDeregistrations,
    SqlDispatches,
    SqlOffers,
    SqlRegister,
    SqlVacancies,
    register_metadata,
)
from employment.adapters.stage_outbox import STAGE_REPORT_TOPIC, stage_report_payload
from employment.domain.models import CardChange, JobSeekerCard, Stage, StageReport
from employment.domain.register import RegisterEntry, TransitionRecord
from employment.service_layer.ports import StoredApplication
from employment.service_layer.unit_of_work import ApplicationAlreadyStored, CardChangedConcurrently

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
    Column("channel", String(32), nullable=False, server_default="PORTAL"),  # Rules No. 259 §4
)
job_seekers = Table(
    "job_seekers",
    metadata,
    Column("iin", String(12), primary_key=True),
    Column("full_name", String(300), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("address", Text),
    Column("registered_on", Date, nullable=False),  # the first registration (JS-7 keeps it)
    Column("applications", Integer, nullable=False),
    Column("changes", JSON, nullable=False, default=list),  # JS-7: [{field, old, new, on}]
)


def _card(row: RowMapping) -> JobSeekerCard:
    return JobSeekerCard(
        iin=row["iin"],
        full_name=row["full_name"],
        birth_date=row["birth_date"],
        address=row["address"],
        registered_on=row["registered_on"],
        applications=row["applications"],
        changes=tuple(
            CardChange(c["field"], c["old"], c["new"], date.fromisoformat(c["on"])) for c in row["changes"] or []
        ),
    )


def _add_channel_column(engine: Engine) -> None:
    """A database made before applications recorded their channel gets the column; its applications all came
    through the portal, the only channel there was."""
    if "channel" in {column["name"] for column in inspect(engine).get_columns("applications")}:
        return
    with engine.begin() as connection:
        connection.execute(text("ALTER TABLE applications ADD COLUMN channel VARCHAR(32) NOT NULL DEFAULT 'PORTAL'"))


class SqlApplications:
    def __init__(self, connection: Connection, on_added: Callable[[StoredApplication], None] | None = None) -> None:
        self._c = connection
        self._on_added = on_added

    def get(self, application_id: str) -> StoredApplication | None:
        query = select(applications).where(applications.c.application_id == application_id)
        row = self._c.execute(query).mappings().first()
        return StoredApplication(**row) if row is not None else None

    def add(self, application: StoredApplication) -> None:
        try:
            self._c.execute(applications.insert().values(**application.__dict__))
        except IntegrityError as exc:  # the transaction is spoilt: the unit of work rolls it back
            raise ApplicationAlreadyStored(application.application_id) from exc
        if self._on_added is not None:
            self._on_added(application)


class SqlJobSeekers:
    """The job seekers' cards. A card is read for update (a row lock on PostgreSQL; on SQLite the unit of
    work holds the database's write lock from its start), so two applications of one person decided at
    once update the card one after the other."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def card_for_update(self, iin: str) -> JobSeekerCard | None:
        query = select(job_seekers).where(job_seekers.c.iin == iin)
        if is_postgres(self._c.engine):
            query = query.with_for_update()
        row = self._c.execute(query).mappings().first()
        return _card(row) if row is not None else None

    def save(self, card: JobSeekerCard, *, new: bool) -> None:
        values = {
            "full_name": card.full_name,
            "birth_date": card.birth_date,
            "address": card.address,
            "registered_on": card.registered_on,
            "applications": card.applications,
            "changes": [{"field": c.field, "old": c.old, "new": c.new, "on": c.on.isoformat()} for c in card.changes],
        }
        if not new:
            self._c.execute(update(job_seekers).where(job_seekers.c.iin == card.iin).values(**values))
            return
        dialect = postgresql if self._c.dialect.name == "postgresql" else sqlite
        created = self._c.execute(
            dialect.insert(job_seekers)
            .values(iin=card.iin, **values)
            .on_conflict_do_nothing()
            .returning(job_seekers.c.iin)
        ).first()
        if created is None:  # another transaction opened this person's card after we looked
            raise CardChangedConcurrently(card.iin)


class SqlUnitOfWork:
    """One transaction on the centre's store; ``on_queued`` is called after a commit that queued reports.
    With ``answer_async``, each decision stored in it also queues its AsyncChannel answers (status
    NOTIFICATION, then RESPONSE) just before the commit, in the same transaction."""

    def __init__(
        self, engine: Engine, outbox: Outbox, on_queued: Callable[[], None], *, answer_async: bool = False
    ) -> None:
        self._engine = engine
        self._outbox = outbox
        self._on_queued = on_queued
        self._connection: Connection | None = None
        self._transaction: RootTransaction | None = None
        self._queued = False
        self._answer_async = answer_async
        self._decided: list[StoredApplication] = []
        self._accepted: dict[str, StageReport] = {}

    def __enter__(self) -> SqlUnitOfWork:
        if self._connection is not None:
            raise RuntimeError("a unit of work is entered once; ask the factory for a new one")
        self._connection = self._engine.connect()
        self._transaction = self._connection.begin()
        if self._connection.dialect.name == "sqlite":
            # Take SQLite's write lock now, before the card is read (the driver would begin lazily, at the
            # first write): units of work on one file run one after the other, so no update is lost.
            self._connection.exec_driver_sql("BEGIN IMMEDIATE")
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._connection is not None and self._transaction is not None
        try:
            if exc_type is None:
                self._queue_answers()
                self._transaction.commit()
            else:
                self._transaction.rollback()
        finally:
            self._connection.close()
        if exc_type is None and self._queued:
            self._on_queued()

    def _queue_answers(self) -> None:
        assert self._connection is not None
        for stored in self._decided:
            queue_answers(self._outbox, self._connection, stored, self._accepted.get(stored.application_id))
            self._queued = True

    @property
    def _open(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("use the unit of work inside 'with'")
        return self._connection

    @property
    def applications(self) -> SqlApplications:
        return SqlApplications(self._open, self._decided.append if self._answer_async else None)

    @property
    def job_seekers(self) -> SqlJobSeekers:
        return SqlJobSeekers(self._open)

    @property
    def register(self) -> SqlRegister:
        return SqlRegister(self._open)

    @property
    def cases(self) -> SqlCases:
        return SqlCases(self._open)

    @property
    def vacancies(self) -> SqlVacancies:
        return SqlVacancies(self._open)

    @property
    def offers(self) -> SqlOffers:
        return SqlOffers(self._open)

    @property
    def deregistrations(self) -> SqlDeregistrations:
        return SqlDeregistrations(self._open)

    @property
    def certificates(self) -> SqlCertificates:
        return SqlCertificates(self._open)

    @property
    def dispatches(self) -> SqlDispatches:
        return SqlDispatches(self._open)

    def report_stage(self, report: StageReport, *, key: str | None = None) -> None:
        if report.stage is Stage.ACCEPTED:
            self._accepted[report.application_id] = report
        self._outbox.put(
            self._open,
            STAGE_REPORT_TOPIC,
            stage_report_payload(report),
            key=key or f"{report.application_id}/{report.stage.value}",
            ordering_key=report.application_id,
        )
        self._queued = True


class EmploymentStore:
    """The centre's database: units of work for the handlers, reads for the admin API, the outbox."""

    def __init__(self, engine: Engine, now: Callable[[], datetime]) -> None:
        self._engine = engine
        metadata.create_all(engine)
        register_metadata.create_all(engine)
        _add_channel_column(engine)
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

    def answering_unit_of_work(self) -> SqlUnitOfWork:
        """A unit of work whose decisions also queue their AsyncChannel answers (the async transport)."""
        return SqlUnitOfWork(self._engine, self.outbox, self._notify, answer_async=True)

    def _notify(self) -> None:
        for listener in self._listeners:
            listener()

    def application(self, application_id: str) -> StoredApplication | None:
        with self.unit_of_work() as uow:
            return uow.applications.get(application_id)

    def register_entry(self, iin: str) -> RegisterEntry | None:
        """The person's register entry (its state and what the register keeps), for the admin API."""
        with self.unit_of_work() as uow:
            return uow.register.entry_for_update(iin)

    def register_history(self, iin: str) -> list[TransitionRecord]:
        """The person's transitions, oldest first."""
        with self.unit_of_work() as uow:
            return uow.register.history(iin)

    def job_seeker(self, iin: str) -> dict[str, object] | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(job_seekers).where(job_seekers.c.iin == iin)).mappings().first()
        return dict(row) if row else None

    def dispose(self) -> None:
        self._engine.dispose()
