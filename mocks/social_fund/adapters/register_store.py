"""The fund's durable record of who is registered as unemployed, and of labour contracts reported to it.

- ``unemployed_register``: one row per person, from the employment centre's ``unemployedStatusNotice``
  (registered on a day, or removed); the row also remembers whether the fund has already reported the
  contributions ground DR-1 (1) for the current registration, so a report is sent once.
  A removal (``deregistered`` and its day) is what terminates a running job-loss payment (PE-7, Art. 119 p.2):
  the fund's outbox worker compares the active payments with it at each pass (``deregistrations``).
- ``status_notices``: the notice ids received, so a repeated notice changes nothing (idempotency).
- ``recorded_employment``: labour contracts a tester (or, in the story, an employer) reports to the fund
  after the population was built; their months give contributions like the population's own spells.

The report of a DR-1 (1) ground is queued in the fund's outbox in the transaction that marks it reported:
nothing decided is lost if the process is killed before it is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Integer, String, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from adapters.storage import AwareDateTime, Outbox, create_store_engine
from contracts.unemployment_status import ReceiptOutcome, UnemployedStatus, UnemployedStatusNotice
from mocks.population_model import Employer, EmploymentSpell
from mocks.social_fund.service_layer.ports import Deregistration

GROUND_REPORT_TOPIC = "social-fund.deregistration-ground"


class _Base(DeclarativeBase):
    pass


class RegisterRow(_Base):
    __tablename__ = "unemployed_register"

    iin: Mapped[str] = mapped_column(String(12), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    registered_on: Mapped[date] = mapped_column(Date)
    effective_on: Mapped[date] = mapped_column(Date)
    decision_id: Mapped[str] = mapped_column(String(64))
    ground_rule_id: Mapped[str | None] = mapped_column(String(32))
    ground_report_id: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())


class NoticeRow(_Base):
    __tablename__ = "status_notices"

    notice_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    iin: Mapped[str] = mapped_column(String(12), index=True)
    received_at: Mapped[datetime] = mapped_column(AwareDateTime())


class RecordedEmploymentRow(_Base):
    __tablename__ = "recorded_employment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    iin: Mapped[str] = mapped_column(String(12), index=True)
    employer_bin: Mapped[str] = mapped_column(String(12))
    employer_name: Mapped[str] = mapped_column(String(255))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    monthly_income: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(AwareDateTime())


@dataclass(frozen=True)
class RegisterEntry:
    iin: str
    status: UnemployedStatus
    registered_on: date
    effective_on: date
    decision_id: str
    ground_rule_id: str | None
    ground_report_id: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "iin": self.iin,
            "status": self.status.value,
            "registeredOn": self.registered_on.isoformat(),
            "effectiveOn": self.effective_on.isoformat(),
            "decisionId": self.decision_id,
            "groundRuleId": self.ground_rule_id,
            "groundReportId": self.ground_report_id,
        }


def _entry(row: RegisterRow) -> RegisterEntry:
    return RegisterEntry(
        row.iin,
        UnemployedStatus(row.status),
        row.registered_on,
        row.effective_on,
        row.decision_id,
        row.ground_rule_id,
        row.ground_report_id,
    )


class FundRegisterStore:
    """The fund's tables and outbox; each public method is one transaction."""

    def __init__(self, engine: Engine, now: Callable[[], datetime]) -> None:
        self._engine = engine
        self._now = now
        _Base.metadata.create_all(engine)
        self.outbox = Outbox(engine, now)

    @classmethod
    def at(cls, url: str, now: Callable[[], datetime]) -> FundRegisterStore:
        return cls(create_store_engine(url), now)

    @property
    def engine(self) -> Engine:
        return self._engine

    def dispose(self) -> None:
        self._engine.dispose()

    def record_notice(self, notice: UnemployedStatusNotice) -> ReceiptOutcome:
        """Apply one status notice; a notice id seen before changes nothing. A notice older than the one the
        register holds (an earlier registration's removal arriving late) is kept as seen but does not
        overwrite a later state."""
        with Session(self._engine) as session, session.begin():
            if session.get(NoticeRow, notice.notice_id) is not None:
                return ReceiptOutcome.ALREADY_RECORDED
            session.add(NoticeRow(notice_id=notice.notice_id, iin=notice.iin, received_at=self._now()))
            row = session.get(RegisterRow, notice.iin, with_for_update=True)
            if row is None:
                session.add(
                    RegisterRow(
                        iin=notice.iin,
                        status=notice.status.value,
                        registered_on=notice.registered_on,
                        effective_on=notice.effective_on,
                        decision_id=notice.decision_id,
                        ground_rule_id=notice.ground_rule_id,
                        ground_report_id=None,
                        updated_at=self._now(),
                    )
                )
            elif (notice.registered_on, notice.effective_on) >= (row.registered_on, row.effective_on):
                if notice.registered_on != row.registered_on:
                    row.ground_report_id = None  # a new registration: its own DR-1 (1) watch
                row.status = notice.status.value
                row.registered_on = notice.registered_on
                row.effective_on = notice.effective_on
                row.decision_id = notice.decision_id
                row.ground_rule_id = notice.ground_rule_id
                row.updated_at = self._now()
            return ReceiptOutcome.RECORDED

    def entry(self, iin: str) -> RegisterEntry | None:
        with Session(self._engine) as session:
            row = session.get(RegisterRow, iin)
            return None if row is None else _entry(row)

    def deregistrations(self, iins: Collection[str]) -> dict[str, Deregistration]:
        """Of these people, those the register holds as removed (the fund's :class:`StatusRecords`): what the
        Art. 119 duty of :mod:`mocks.social_fund.service_layer.stops` compares the active payments with."""
        if not iins:
            return {}
        with Session(self._engine) as session:
            rows = session.scalars(
                select(RegisterRow).where(
                    RegisterRow.iin.in_(sorted(iins)), RegisterRow.status == UnemployedStatus.DEREGISTERED.value
                )
            )
            return {row.iin: Deregistration(row.iin, row.registered_on, row.effective_on) for row in rows}

    def registered(self) -> list[RegisterEntry]:
        """People registered as unemployed whose DR-1 (1) ground has not been reported yet."""
        with Session(self._engine) as session:
            rows = session.scalars(
                select(RegisterRow)
                .where(RegisterRow.status == UnemployedStatus.REGISTERED.value, RegisterRow.ground_report_id.is_(None))
                .order_by(RegisterRow.iin)
            )
            return [_entry(row) for row in rows]

    def mark_reported(self, entry: RegisterEntry, report_id: str, payload: dict[str, Any]) -> bool:
        """Mark the ground reported and queue the report, in one transaction; False when the entry changed
        meanwhile (another pass reported it, or a new notice arrived)."""
        with Session(self._engine) as session, session.begin():
            row = session.get(RegisterRow, entry.iin, with_for_update=True)
            if row is None or _entry(row) != entry:
                return False
            row.ground_report_id = report_id
            row.updated_at = self._now()
            session.flush()
            self.outbox.put(session.connection(), GROUND_REPORT_TOPIC, payload, key=report_id, ordering_key=entry.iin)
            return True

    def record_employment(
        self, iin: str, employer: Employer, start: date, end: date | None, monthly_income: int
    ) -> int:
        with Session(self._engine) as session, session.begin():
            row = RecordedEmploymentRow(
                iin=iin,
                employer_bin=employer.bin,
                employer_name=employer.name,
                start=start,
                end=end,
                monthly_income=monthly_income,
                recorded_at=self._now(),
            )
            session.add(row)
            session.flush()
            return row.id

    def recorded_employment(self, iin: str) -> tuple[EmploymentSpell, ...]:
        with Session(self._engine) as session:
            rows: Iterable[RecordedEmploymentRow] = session.scalars(
                select(RecordedEmploymentRow).where(RecordedEmploymentRow.iin == iin).order_by(RecordedEmploymentRow.id)
            )
            return tuple(
                EmploymentSpell(Employer(row.employer_bin, row.employer_name), row.start, row.end, row.monthly_income)
                for row in rows
            )
