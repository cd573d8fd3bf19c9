"""Handlers: one transaction per command; stage reports leave through an outbox after commit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from employment.domain.calendar import WorkingCalendar
from employment.domain.models import AcceptanceDecision, InsuranceHistory, Stage, StageReport
from employment.domain.rules import job_seeker_card as cards
from employment.domain.rules import job_seeker_registration as rules
from employment.service_layer.commands import RegisterJobSeeker
from employment.service_layer.ports import (
    ContributionsSource,
    EmploymentStore,
    PersonRegistry,
    ResultDocuments,
    StageReporter,
    StoredApplication,
)

log = logging.getLogger(__name__)
CONTRIBUTION_LOOKBACK_MONTHS = 24


@dataclass(frozen=True)
class EmploymentServices:
    store: EmploymentStore
    registry: PersonRegistry
    contributions: ContributionsSource
    documents: ResultDocuments
    reporter: StageReporter
    calendar: WorkingCalendar
    now: Callable[[], datetime]


def register_job_seeker(command: RegisterJobSeeker, services: EmploymentServices) -> StoredApplication:
    """Decide and answer a registration form (JS-1..JS-8). A repeated application id returns the stored result."""
    rules.require_signer_is_applicant(command.signer_iin, command.applicant)
    with services.store.transaction() as tx:
        existing = tx.application(command.application_id)
    if existing is not None:
        return existing
    receipt, deadline = rules.term(rules.term_start(command.submitted_at, command.received_at), services.calendar)
    decision_day = receipt.date()

    def stage(
        name: Stage, positive: bool | None = None, reason: str | None = None, rule: str | None = None
    ) -> StageReport:
        return StageReport(
            command.application_id,
            rules.SERVICE_CODE,
            name,
            services.now(),
            deadline,
            positive,
            command.correlation_id,
            reason,
            rule,
        )

    record = services.registry.find(command.applicant.iin, command.correlation_id)
    acceptance = rules.accept(command.applicant, record, decision_day)
    if not acceptance.accepted:
        first = acceptance.reasons[0]
        refused = stage(Stage.REFUSED, False, first.text, first.rule_id)
        return _refuse_to_accept(command, acceptance, refused, services)
    history = InsuranceHistory()
    if record is not None:
        history = services.contributions.history(
            command.applicant.iin,
            _months_back(decision_day, CONTRIBUTION_LOOKBACK_MONTHS),
            decision_day,
            command.correlation_id,
        )
    decision = rules.decide(command.applicant, record, history.employment, decision_day)
    document = services.documents.issue(command.application_id, command.applicant, decision)
    first_reason = decision.reasons[0] if decision.reasons else None
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
    with services.store.transaction() as tx:
        tx.save_application(stored)
        if decision.registered:
            card = tx.job_seeker_card(command.applicant.iin)
            tx.save_job_seeker_card(cards.card_after_registration(card, command.applicant, record, decision_day))
        tx.queue_stage_report(stage(Stage.ACCEPTED))
        tx.queue_stage_report(stage(Stage.DATA_REQUESTED))
        tx.queue_stage_report(stage(Stage.DECISION_MADE, decision.registered))
        final = Stage.RESULT_ISSUED if decision.registered else Stage.REFUSED
        tx.queue_stage_report(
            stage(
                final,
                decision.registered,
                first_reason.text if first_reason else None,
                first_reason.rule_id if first_reason else None,
            )
        )
    flush_stage_reports(services)
    return stored


def _refuse_to_accept(
    command: RegisterJobSeeker, refusal: AcceptanceDecision, refused: StageReport, services: EmploymentServices
) -> StoredApplication:
    """JS-2 (standard item 9; regulation 000 §5 condition 1): the application is not accepted. Nothing is
    decided or registered and no ACCEPTED stage is reported; the answer is the reasoned refusal to accept,
    and the only stage reported is ``refused``, the final one."""
    stored = StoredApplication(
        application_id=command.application_id,
        iin=command.applicant.iin,
        correlation_id=command.correlation_id,
        received_at=command.received_at,
        deadline=refused.deadline,
        registered=False,
        reasons=[{"ruleId": r.rule_id, "text": r.text} for r in refusal.reasons],
        document=services.documents.issue_not_accepted(command.application_id, command.applicant, refusal),
        applicant_signature=command.signer_description,
    )
    with services.store.transaction() as tx:
        tx.save_application(stored)
        tx.queue_stage_report(refused)
    flush_stage_reports(services)
    return stored


def flush_stage_reports(services: EmploymentServices) -> int:
    """Send queued stage reports to the monitoring IS (JS-8); failures stay queued for the next flush."""
    sent = 0
    for report_id, report in services.store.pending_stage_reports():
        try:
            services.reporter.report(report)
        except Exception as exc:  # any failure leaves the report queued and visible
            log.warning("stage report %s not delivered: %s", report_id, exc)
            services.store.mark_stage_report_failed(report_id, str(exc))
            break
        services.store.mark_stage_report_sent(report_id)
        sent += 1
    return sent


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)
