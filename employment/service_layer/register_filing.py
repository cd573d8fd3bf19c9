"""What every handler of the register shares: its services, one transaction with retries, and filing a
transition (history + stage report to the monitoring IS in the same transaction, UN-6)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from employment.domain.calendar import WorkingCalendar
from employment.domain.models import Stage, StageReport
from employment.domain.register import TransitionRecord
from employment.service_layer.ports import (
    Cabinet,
    ContributionsSource,
    FundNotifier,
    JobLossPaymentFund,
    LocalAuthority,
    PersonRegistry,
    RegisterDocuments,
)
from employment.service_layer.register_repositories import RegisterEntryChanged
from employment.service_layer.unit_of_work import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")
ATTEMPTS = 3


@dataclass(frozen=True)
class RegisterServices:
    """The ports the register's handlers use (the composition root builds them; tests use fakes)."""

    uow: UnitOfWorkFactory
    registry: PersonRegistry
    contributions: ContributionsSource
    documents: RegisterDocuments
    authority: LocalAuthority
    cabinet: Cabinet
    fund: FundNotifier
    calendar: WorkingCalendar
    now: Callable[[], datetime]
    payments: JobLossPaymentFund  # UN-5: the job-loss payment applications sent with the person's consent


def in_transaction(uow: UnitOfWorkFactory, work: Callable[[UnitOfWork], T]) -> T:
    """Run ``work`` in one unit of work; when another transaction changed the register entry it read, run
    it again from the start (its reads are made again)."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with uow() as unit:
                return work(unit)
        except RegisterEntryChanged:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def file_transition(
    uow: UnitOfWork,
    record: TransitionRecord,
    *,
    service: str,
    deadline: datetime,
    correlation_id: str | None,
    positive: bool | None = None,
    refuse_reason: str | None = None,
) -> None:
    """Keep the transition in the person's history and queue its stage report (the state reached, with the
    deadline of the next step) in the same transaction."""
    uow.register.record(record)
    report_stage(
        uow,
        StageReport(
            record.application_id,
            service,
            Stage(record.target.value),
            record.at,
            deadline,
            positive,
            correlation_id,
            refuse_reason,
            record.rule_id,
        ),
    )


def report_stage(uow: UnitOfWork, report: StageReport) -> None:
    """Queue a stage report keyed by its instant too: one application may reach a stage twice (OFFERED,
    then JOB_SEEKER again), each its own report."""
    uow.report_stage(report, key=f"{report.application_id}/{report.stage.value}/{report.at.isoformat()}")


def report_result(
    uow: UnitOfWork,
    application_id: str,
    service: str,
    at: datetime,
    deadline: datetime,
    correlation_id: str | None,
    *,
    positive: bool,
    reason: str,
    rule_id: str,
) -> None:
    """The application's final stage: RESULT_ISSUED, or REFUSED with its reason (the monitoring IS closes it)."""
    stage = Stage.RESULT_ISSUED if positive else Stage.REFUSED
    report_stage(
        uow,
        StageReport(
            application_id,
            service,
            stage,
            at,
            deadline,
            positive,
            correlation_id,
            None if positive else reason,
            rule_id,
        ),
    )
