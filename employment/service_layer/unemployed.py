"""UN-1..UN-5: from the job seeker's documents to the local authority's decision and the notification.

- :func:`send_documents` (UN-1, Rules No. 259 §31): for each case whose documents are due, the centre asks
  the person registry and the fund, drafts the decision by UN-4 on the day (``unemployed_draft``), the
  director signs the draft, and the package is queued for the local authority; the entry goes
  AWAITING_AUTHORITY. A state system that does not answer postpones the case to the next step.
- :func:`record_decision` (UN-2 -> UN-3, UN-5, §32-35): the head-signed decision: UNEMPLOYED (from the
  registration date) or REFUSED_UNEMPLOYED (its grounds); the Annex 4 / Annex 5 notification is issued at
  once and queued for the cabinet with the documents of the job-loss payment, and the fund is told; with the
  person's consent (:mod:`employment.service_layer.payment_consent`) the payment application is queued too.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from employment.domain.errors import ConflictingDecision, MissingPersonFact, NotInRegister
from employment.domain.models import Reason
from employment.domain.register import RegisterState, move
from employment.domain.rules.register_terms import notification_due, unemployed_decision_due
from employment.domain.rules.unemployed_draft import (
    JOB_LOSS_PAYMENT_DOCUMENTS,
    UNEMPLOYED_REGISTRATION_SERVICE,
    draft_decision,
    unemployed_applicant,
)
from employment.domain.terms import add_months, certificate_valid_until
from employment.service_layer.payment_consent import queue_payment_application
from employment.service_layer.ports import ExternalSystemUnavailable, UnemployedDraft, UnemployedNotice
from employment.service_layer.register_filing import RegisterServices, file_transition, in_transaction
from employment.service_layer.register_records import CaseStatus, Dispatch, DispatchKind, RegistrationCase
from employment.service_layer.unit_of_work import UnitOfWork

__all__ = ["record_decision", "send_documents"]

CONTRIBUTION_LOOKBACK_MONTHS = 24


def send_documents(services: RegisterServices, now: datetime) -> tuple[int, int]:
    """UN-1 for every case whose documents are due. Returns (packages queued, cases postponed)."""
    with services.uow() as uow:
        cases = uow.cases.in_status([CaseStatus.DOCUMENTS_DUE])
    queued = postponed = 0
    for case in cases:
        try:
            document, draft_reasons, on = _draft(case, services, now)
        except (ExternalSystemUnavailable, MissingPersonFact) as exc:
            with services.uow() as uow:
                _postpone(uow, case.iin, case.case_id, str(exc))
            postponed += 1
            continue

        def work(
            uow: UnitOfWork,
            case_id: str = case.case_id,
            iin: str = case.iin,
            document: str = document,
            draft_reasons: tuple[Reason, ...] = draft_reasons,
            on: date = on,
        ) -> bool:
            return _queue_package(uow, iin, case_id, document, draft_reasons, on, now, services)

        queued += in_transaction(services.uow, work)
    return queued, postponed


def _draft(case: RegistrationCase, services: RegisterServices, now: datetime) -> tuple[str, tuple[Reason, ...], date]:
    on = services.calendar.effective_receipt(now).date()
    with services.uow() as uow:
        entry = uow.register.entry_for_update(case.iin)
    if entry is None:
        raise MissingPersonFact(f"IIN {case.iin} has no register entry")
    record = services.registry.find(case.iin, case.correlation_id)
    if record is None:
        raise MissingPersonFact(f"the person registry holds no data for IIN {case.iin}")
    start = add_months(on.replace(day=1), -CONTRIBUTION_LOOKBACK_MONTHS)
    history = services.contributions.history(case.iin, start, on, case.correlation_id)
    applicant = unemployed_applicant(record, history.employment, entry.profile)
    draft = draft_decision(case.case_id, case.full_name, applicant, entry, on)
    assert case.trigger is not None  # a case is DOCUMENTS_DUE only with its trigger
    signed = services.documents.draft_unemployed_decision(
        UnemployedDraft(draft, record, case.trigger, case.registered_at.date(), now)
    )
    return signed, draft.reasons, on


def _postpone(uow: UnitOfWork, iin: str, case_id: str, problem: str) -> None:
    uow.register.entry_for_update(iin)  # the lock first, then the look at the case
    case = uow.cases.get(case_id)
    if case is not None and case.status is CaseStatus.DOCUMENTS_DUE:
        uow.cases.save(replace(case, problem=problem))


def _queue_package(
    uow: UnitOfWork,
    iin: str,
    case_id: str,
    document: str,
    reasons: tuple[Reason, ...],
    on: date,
    now: datetime,
    services: RegisterServices,
) -> bool:
    entry = uow.register.entry_for_update(iin)  # the lock first, then the look at the case
    case = uow.cases.get(case_id)
    if case is None or case.status is not CaseStatus.DOCUMENTS_DUE or case.documents_due is None:
        return False  # another step queued it meanwhile
    if entry is None or entry.case_id != case.case_id or entry.state is not RegisterState.JOB_SEEKER:
        uow.cases.save(replace(case, status=CaseStatus.CLOSED, problem="superseded by a later registration"))
        return False
    proposal = "register as unemployed" if not reasons else "refuse: " + ", ".join(r.rule_id for r in reasons)
    moved, record = move(
        entry,
        RegisterState.AWAITING_AUTHORITY,
        at=now,
        rule_id="UN-1",
        reason=f"{case.trigger}; the director approved the draft decision ({proposal}) on {on.isoformat()}",
    )
    decision_due = unemployed_decision_due(now, services.calendar)
    uow.register.save(moved)
    uow.cases.save(
        replace(
            case,
            status=CaseStatus.SENT,
            drafted_on=on,
            proposal=reasons,
            draft_document=document,
            sent_at=now,
            decision_due=decision_due,
            problem=None,
        )
    )
    uow.dispatches.add(_dispatch(case, DispatchKind.UNEMPLOYED_DOCUMENTS, case.documents_due, now))
    file_transition(
        uow,
        record,
        service=UNEMPLOYED_REGISTRATION_SERVICE,
        deadline=decision_due,
        correlation_id=case.correlation_id,
    )
    return True


def _dispatch(case: RegistrationCase, kind: DispatchKind, due: datetime, now: datetime) -> Dispatch:
    return Dispatch(f"{case.case_id}/{kind.value}", kind, case.iin, case.case_id, due, now)


def record_decision(
    services: RegisterServices,
    *,
    decision_id: str,
    case_id: str,
    iin: str,
    registered: bool,
    decided_on: date,
    registered_on: date | None,
    reasons: tuple[Reason, ...],
    signed_document: str,
    signed_by: str | None = None,
) -> tuple[RegisterState, str | None]:
    """UN-2 -> UN-3 / UN-5 (§32-35). Returns the entry's state and the notification issued."""
    with services.uow() as uow:
        case = uow.cases.get(case_id)
    answered = _already_decided(case, case_id, iin, decision_id)
    if answered is not None:
        return answered
    assert case is not None
    if case.status is not CaseStatus.SENT:
        raise NotInRegister(f"case {case_id} is not awaiting the local authority's decision ({case.status.value})")
    if not registered and not reasons:
        raise ConflictingDecision(f"the refusal {decision_id} of case {case_id} names no ground")
    now = services.now()
    issued_on = services.calendar.effective_receipt(now).date()
    since = (registered_on or decided_on) if registered else None
    notice = UnemployedNotice(
        case_id=case_id,
        iin=iin,
        full_name=case.full_name,
        issued_on=issued_on,
        registered=registered,
        registered_on=since,
        certificate_valid_until=certificate_valid_until(issued_on, services.calendar) if registered else None,
        reasons=tuple((r.rule_id, r.text) for r in reasons),
        decision_id=decision_id,
        payment_documents=JOB_LOSS_PAYMENT_DOCUMENTS,
        decided_on=decided_on,
        decision_signed_by=signed_by,
    )
    document = services.documents.unemployed_notice(notice)

    def work(uow: UnitOfWork) -> tuple[RegisterState, str | None]:
        entry = uow.register.entry_for_update(iin)  # the lock first, then the look at the case
        current = uow.cases.get(case_id)
        answered = _already_decided(current, case_id, iin, decision_id)
        if answered is not None:
            return answered
        assert current is not None
        if entry is None or entry.case_id != case_id:
            raise NotInRegister(f"IIN {iin} is not in case {case_id}")
        target = RegisterState.UNEMPLOYED if registered else RegisterState.REFUSED_UNEMPLOYED
        words = (
            f"registered as unemployed from {since.isoformat()}"
            if since
            else "refused: " + "; ".join(f"{r.rule_id}: {r.text}" for r in reasons)
        )
        moved, record = move(
            entry,
            target,
            at=now,
            rule_id="UN-2",
            reason=f"decision {decision_id} of {decided_on}: {words}",
            unemployed_since=since,
        )
        due = notification_due(decided_on, services.calendar)
        uow.register.save(moved)
        uow.cases.save(
            replace(
                current,
                status=CaseStatus.REGISTERED if registered else CaseStatus.REFUSED,
                decision_id=decision_id,
                decided_on=decided_on,
                registered_on=since,
                decision_reasons=reasons,
                decision_document=signed_document,
                notification_due=due,
                notice_issued_on=issued_on,
                notification_document=document,
            )
        )
        uow.dispatches.add(_dispatch(current, DispatchKind.UNEMPLOYED_NOTICE, due, now))
        if registered:
            uow.dispatches.add(_dispatch(current, DispatchKind.FUND_REGISTERED, due, now))
            # UN-5 (§35): with the person's consent given before the decision, the payment application goes too
            queue_payment_application(uow, current, due, now)
        file_transition(
            uow,
            record,
            service=UNEMPLOYED_REGISTRATION_SERVICE,
            deadline=due,
            correlation_id=current.correlation_id,
            positive=registered,
            refuse_reason=None if registered else reasons[0].text,
        )
        return target, document

    return in_transaction(services.uow, work)


def _already_decided(
    case: RegistrationCase | None, case_id: str, iin: str, decision_id: str
) -> tuple[RegisterState, str | None] | None:
    if case is None or case.iin != iin:
        raise NotInRegister(f"the centre sent no case {case_id} of IIN {iin} to the local authority")
    if case.decision_id is None:
        return None
    if case.decision_id != decision_id:
        raise ConflictingDecision(
            f"case {case_id} was decided by {case.decision_id} already; decision {decision_id} is not recorded"
        )
    state = RegisterState.UNEMPLOYED if case.status is CaseStatus.REGISTERED else RegisterState.REFUSED_UNEMPLOYED
    return state, case.notification_document
