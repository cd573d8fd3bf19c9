"""Handlers: one unit of work per command. Stage reports are queued in the same transaction as the
decision and leave through the outbox; the handler never talks to the monitoring IS itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from employment.domain.calendar import WorkingCalendar
from employment.domain.models import RegistrationDecision, Stage, StageReport
from employment.domain.rules import job_seeker_registration as rules
from employment.service_layer.commands import RegisterJobSeeker
from employment.service_layer.ports import (
    ContributionsSource,
    PersonRegistry,
    ResultDocuments,
    StoredApplication,
)
from employment.service_layer.unit_of_work import ApplicationAlreadyStored, UnitOfWorkFactory

CONTRIBUTION_LOOKBACK_MONTHS = 24


@dataclass(frozen=True)
class EmploymentServices:
    uow: UnitOfWorkFactory
    registry: PersonRegistry
    contributions: ContributionsSource
    documents: ResultDocuments
    calendar: WorkingCalendar
    now: Callable[[], datetime]


def register_job_seeker(command: RegisterJobSeeker, services: EmploymentServices) -> StoredApplication:
    """Decide and answer a registration form (JS-1..JS-8).

    Idempotent by application id: a repeated id is answered from the store, and when two copies of one
    application are decided at once, the copy that stores second gives up its own decision and answers
    with the stored one, so both answers carry the same document.
    """
    rules.require_signer_is_applicant(command.signer_iin, command.applicant)
    existing = _stored(command.application_id, services)
    if existing is not None:
        return existing
    receipt, deadline = rules.term(command.received_at, services.calendar)
    decision_day = receipt.date()

    record = services.registry.find(command.applicant.iin, command.correlation_id)
    contributions = []
    if record is not None:
        contributions = services.contributions.contributions(
            command.applicant.iin,
            _months_back(decision_day, CONTRIBUTION_LOOKBACK_MONTHS),
            decision_day,
            command.correlation_id,
        )
    decision = rules.decide(command.applicant, record, contributions, decision_day)
    document = services.documents.issue(command.application_id, command.applicant, decision)
    stored = StoredApplication(
        application_id=command.application_id,
        iin=command.applicant.iin,
        correlation_id=command.correlation_id,
        received_at=command.received_at,
        deadline=deadline,
        registered=decision.registered,
        reasons=[{"ruleId": r.rule_id, "text": r.text} for r in decision.reasons],
        document=document,
        applicant_signature=command.signer_description,
    )
    try:
        with services.uow() as uow:
            uow.applications.add(stored)
            if decision.registered:
                uow.job_seekers.register(command.applicant, decision_day)
            for report in _stage_reports(command, decision, deadline, services.now()):
                uow.report_stage(report)
    except ApplicationAlreadyStored:
        winner = _stored(command.application_id, services)
        if winner is None:  # the other copy's transaction cannot have vanished after taking the id
            raise
        return winner
    return stored


def _stored(application_id: str, services: EmploymentServices) -> StoredApplication | None:
    with services.uow() as uow:
        return uow.applications.get(application_id)


def _stage_reports(
    command: RegisterJobSeeker, decision: RegistrationDecision, deadline: datetime, at: datetime
) -> list[StageReport]:
    """JS-8: the stages of 000 §5 actions 1-5, in order."""

    def stage(name: Stage, positive: bool | None = None) -> StageReport:
        first = decision.reasons[0] if decision.reasons and name is Stage.REFUSED else None
        return StageReport(
            command.application_id,
            rules.SERVICE_CODE,
            name,
            at,
            deadline,
            positive,
            command.correlation_id,
            first.text if first else None,
            first.rule_id if first else None,
        )

    final = Stage.RESULT_ISSUED if decision.registered else Stage.REFUSED
    return [
        stage(Stage.ACCEPTED),
        stage(Stage.DATA_REQUESTED),
        stage(Stage.DECISION_MADE, decision.registered),
        stage(final, decision.registered),
    ]


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)
