"""SQLAlchemy storage of the employment centre: applications, job seekers' cards, the stage-report outbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    select,
)
from sqlalchemy.engine import Connection, Engine, RowMapping

from employment.domain.models import CardChange, JobSeekerCard, Stage, StageReport
from employment.service_layer.ports import StoredApplication

metadata = MetaData()
applications = Table(
    "applications",
    metadata,
    Column("application_id", String(64), primary_key=True),
    Column("iin", String(12), nullable=False, index=True),
    Column("correlation_id", String(128)),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("deadline", DateTime(timezone=True), nullable=False),
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
    Column("address", Text),
    Column("registered_on", Date, nullable=False),  # the first registration (JS-7 keeps it)
    Column("applications", Integer, nullable=False),
    Column("changes", JSON, nullable=False, default=list),  # JS-7: [{field, old, new, on}]
)
stage_outbox = Table(
    "stage_outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report", Text, nullable=False),
    Column("sent", Boolean, nullable=False, default=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
)


def _report_json(report: StageReport) -> str:
    return json.dumps(
        {
            "application_id": report.application_id,
            "service_type": report.service_type,
            "stage": report.stage.value,
            "at": report.at.isoformat(),
            "deadline": report.deadline.isoformat(),
            "is_positive": report.is_positive,
            "correlation_id": report.correlation_id,
            "refuse_reason": report.refuse_reason,
            "rule_id": report.rule_id,
        }
    )


def _report_from_json(text: str) -> StageReport:
    raw = json.loads(text)
    return StageReport(
        raw["application_id"],
        raw["service_type"],
        Stage(raw["stage"]),
        datetime.fromisoformat(raw["at"]),
        datetime.fromisoformat(raw["deadline"]),
        raw["is_positive"],
        raw["correlation_id"],
        raw["refuse_reason"],
        raw["rule_id"],
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


class SqlTransaction:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def application(self, application_id: str) -> StoredApplication | None:
        row = (
            self._c.execute(select(applications).where(applications.c.application_id == application_id))
            .mappings()
            .first()
        )
        if row is None:
            return None
        values = dict(row)
        for key in ("received_at", "deadline"):
            if values[key].tzinfo is None:  # SQLite drops the offset; values are stored in UTC
                values[key] = values[key].replace(tzinfo=UTC)
        return StoredApplication(**values)

    def save_application(self, application: StoredApplication) -> None:
        self._c.execute(applications.insert().values(**application.__dict__))

    def job_seeker_card(self, iin: str) -> JobSeekerCard | None:
        row = self._c.execute(select(job_seekers).where(job_seekers.c.iin == iin)).mappings().first()
        return _card(row) if row is not None else None

    def save_job_seeker_card(self, card: JobSeekerCard) -> None:
        values = {
            "full_name": card.full_name,
            "birth_date": card.birth_date,
            "address": card.address,
            "registered_on": card.registered_on,
            "applications": card.applications,
            "changes": [{"field": c.field, "old": c.old, "new": c.new, "on": c.on.isoformat()} for c in card.changes],
        }
        if self.job_seeker_card(card.iin) is None:
            self._c.execute(job_seekers.insert().values(iin=card.iin, **values))
        else:
            self._c.execute(job_seekers.update().where(job_seekers.c.iin == card.iin).values(**values))

    def queue_stage_report(self, report: StageReport) -> None:
        self._c.execute(stage_outbox.insert().values(report=_report_json(report), sent=False, attempts=0))


class SqlEmploymentStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        metadata.create_all(engine)

    @classmethod
    def at(cls, url: str) -> SqlEmploymentStore:
        return cls(create_engine(url))

    @contextmanager
    def transaction(self) -> Iterator[SqlTransaction]:
        with self._engine.begin() as connection:
            yield SqlTransaction(connection)

    def pending_stage_reports(self) -> Iterator[tuple[int, StageReport]]:
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(stage_outbox.c.id, stage_outbox.c.report)
                .where(stage_outbox.c.sent.is_(False))
                .order_by(stage_outbox.c.id)
            ).all()
        for row in rows:
            yield row[0], _report_from_json(row[1])

    def mark_stage_report_sent(self, report_id: int) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                stage_outbox.update()
                .where(stage_outbox.c.id == report_id)
                .values(sent=True, attempts=stage_outbox.c.attempts + 1)
            )

    def mark_stage_report_failed(self, report_id: int, error: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                stage_outbox.update()
                .where(stage_outbox.c.id == report_id)
                .values(attempts=stage_outbox.c.attempts + 1, last_error=error[:1000])
            )

    def job_seeker(self, iin: str) -> dict[str, object] | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(job_seekers).where(job_seekers.c.iin == iin)).mappings().first()
        return dict(row) if row else None

    def application(self, application_id: str) -> StoredApplication | None:
        with self.transaction() as tx:
            return tx.application(application_id)

    def outbox_status(self) -> dict[str, int]:
        with self._engine.connect() as connection:
            rows = connection.execute(select(stage_outbox.c.sent)).all()
        return {"sent": sum(1 for r in rows if r[0]), "pending": sum(1 for r in rows if not r[0])}
