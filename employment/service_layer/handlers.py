"""Handlers: one unit of work per command. Stage reports are queued in the same transaction as the
decision and leave through the outbox; the handler never talks to the monitoring IS itself."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from employment.domain.calendar import WorkingCalendar
from employment.domain.models import (
    AcceptanceDecision,
    InsuranceHistory,
    Reason,
    RegistrationDecision,
    RegistryRecord,
    Stage,
    StageReport,
)
from employment.domain.rules import channels
from employment.domain.rules import job_seeker_card as cards
from employment.domain.rules import job_seeker_registration as rules
from employment.service_layer.commands import RegisterJobSeeker
from employment.service_layer.ports import (
    ContributionsSource,
    PersonRegistry,
    ResultDocuments,
    StoredApplication,
)
from employment.service_layer.register import enter_register
from employment.service_layer.register_filing import RegisterServices
from employment.service_layer.unit_of_work import (
    ApplicationAlreadyStored,
    CardChangedConcurrently,
    UnitOfWork,
    UnitOfWorkFactory,
)

CONTRIBUTION_LOOKBACK_MONTHS = 24
# A first card opened by a concurrent transaction is decided again, with the card it opened.
CARD_ATTEMPTS = 3


@dataclass(frozen=True)
class EmploymentServices:
    uow: UnitOfWorkFactory
    registry: PersonRegistry
    contributions: ContributionsSource
    documents: ResultDocuments
    calendar: WorkingCalendar
    now: Callable[[], datetime]
    # Who may sign forms in an applicant's place, by channel (JS-12, JS-13, 000 §5 action 1); the portal's
    # forms need none of it (JS-10).
    signers: channels.SignerRegister = field(default_factory=channels.SignerRegister)
    # The register's ports (issue 7): the services of the register (the authority's decisions, the certificate,
    # the fund's events) need them; None where only job-seeker registration is served.
    register: RegisterServices | None = None


def register_job_seeker(command: RegisterJobSeeker, services: EmploymentServices) -> StoredApplication:
    """Decide and answer a registration form (JS-1..JS-8).

    Idempotent by application id: a repeated id is answered from the store, and when two copies of one
    application are decided at once, the copy that stores second gives up its own decision and answers
    with the stored one, so both answers carry the same document.
    """
    channels.require_authorised_signer(
        command.channel, channels.Signer(command.signer_iin, command.signer_bin), command.applicant, services.signers
    )
    existing = _stored(command.application_id, services)
    if existing is not None:
        return existing
    # T-1, T-2 by channel: on the portal the term runs from the submission (000 §10), not from this (maybe
    # retried) delivery; at the State Corporation in its own hours; on the rural path from the centre's receipt.
    started_at = channels.term_start(command.channel, command.submitted_at, command.received_at)
    receipt, deadline = channels.term(command.channel, started_at, services.calendar)
    decision_day = receipt.date()

    record = services.registry.find(command.applicant.iin, command.correlation_id)
    acceptance = rules.accept(command.applicant, record, decision_day)
    if not acceptance.accepted:
        return _refuse_to_accept(command, acceptance, deadline, services)
    history = InsuranceHistory()
    if record is not None:
        history = services.contributions.history(
            command.applicant.iin,
            _months_back(decision_day, CONTRIBUTION_LOOKBACK_MONTHS),
            decision_day,
            command.correlation_id,
        )
    decision = rules.decide(command.applicant, record, history.employment, decision_day)
    stored = _stored_application(
        command,
        deadline,
        decision.registered,
        decision.reasons,
        services.documents.issue(command.application_id, command.applicant, decision),
    )
    now = services.now()
    reports = _stage_reports(command, decision, deadline, now)

    def save(uow: UnitOfWork) -> None:
        uow.applications.add(stored)
        if decision.registered:
            _register(uow, command, record, decision_day)
            enter_register(  # JS-5, JS-6/JS-7: the person's register entry and its registration case
                uow,
                application_id=command.application_id,
                applicant=command.applicant,
                correlation_id=command.correlation_id,
                registered_at=receipt,
                calendar=services.calendar,
                at=now,
            )
        for report in reports:
            uow.report_stage(report)

    return _save_once(stored, save, services)


def _refuse_to_accept(
    command: RegisterJobSeeker, refusal: AcceptanceDecision, deadline: datetime, services: EmploymentServices
) -> StoredApplication:
    """JS-2 (standard item 9; regulation 000 §5 condition 1): the application is not accepted. Nothing is
    decided or registered and no ACCEPTED stage is reported; the answer is the reasoned refusal to accept,
    and the only stage reported is the final REFUSED."""
    stored = _stored_application(
        command,
        deadline,
        False,
        refusal.reasons,
        services.documents.issue_not_accepted(command.application_id, command.applicant, refusal),
    )
    first = refusal.reasons[0]
    refused = StageReport(
        command.application_id,
        rules.SERVICE_CODE,
        Stage.REFUSED,
        services.now(),
        deadline,
        False,
        command.correlation_id,
        first.text,
        first.rule_id,
        command.channel.value,
    )

    def save(uow: UnitOfWork) -> None:
        uow.applications.add(stored)
        uow.report_stage(refused)

    return _save_once(stored, save, services)


def _register(uow: UnitOfWork, command: RegisterJobSeeker, record: RegistryRecord | None, on: date) -> None:
    """JS-6 / JS-7: open the card, or enter a repeated application in it."""
    card = uow.job_seekers.card_for_update(command.applicant.iin)
    uow.job_seekers.save(cards.card_after_registration(card, command.applicant, record, on), new=card is None)


def _save_once(
    stored: StoredApplication, save: Callable[[UnitOfWork], None], services: EmploymentServices
) -> StoredApplication:
    """Store one decision in one unit of work. Idempotent by application id: when two copies of one
    application are decided at once, the copy that stores second gives up its own decision and answers with
    the stored one, so both answers carry the same document."""
    for attempt in range(1, CARD_ATTEMPTS + 1):
        try:
            with services.uow() as uow:
                save(uow)
            return stored
        except ApplicationAlreadyStored:
            winner = _stored(stored.application_id, services)
            if winner is None:  # the other copy's transaction cannot have vanished after taking the id
                raise
            return winner
        except CardChangedConcurrently:
            if attempt == CARD_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _stored_application(
    command: RegisterJobSeeker,
    deadline: datetime,
    registered: bool,
    reasons: Sequence[Reason],
    document: str,
) -> StoredApplication:
    return StoredApplication(
        application_id=command.application_id,
        iin=command.applicant.iin,
        correlation_id=command.correlation_id,
        received_at=command.received_at,
        deadline=deadline,
        registered=registered,
        reasons=[{"ruleId": r.rule_id, "text": r.text} for r in reasons],
        document=document,
        applicant_signature=command.signer_description,
        channel=command.channel.value,
    )


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
            command.channel.value,
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
