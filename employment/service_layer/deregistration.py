"""DR-1, DR-2: removing an unemployed person from the register (Rules No. 259 §44-45; from 01.07.2023 with
the Social Code's bar on registering again, Art. 100 p.2).

- :func:`report_deregistration_ground` — one of the seven grounds of DR-1 arrives as an event (from the
  fund, a court, the person registry or the centre's own records, through the gateway or the centre's API).
  Its rule is applied to the facts on the day the information was received; when it is established the
  entry goes DEREGISTRATION_PENDING and the request is queued for the local authority, whose decision is due
  within 2 working days. A ground not established, or a person not registered as unemployed, changes nothing
  (the report is kept, REJECTED, with its reasons).
- :func:`record_decision` — the authority's head-signed decision: DEREGISTERED (the card is marked, the
  DR-2 notice is issued and queued for the cabinet, the fund is told so that a payment stops), or the
  person stays UNEMPLOYED when it found no ground.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from employment.domain.errors import ConflictingDecision, NotInRegister
from employment.domain.models import CardChange, Reason
from employment.domain.register import RegisterState, move
from employment.domain.rules.deregistration import (
    DEREGISTRATION_SERVICE,
    establish,
    reregistration_barred_until,
)
from employment.domain.rules.register_terms import deregistration_decision_due, deregistration_notice_due
from employment.service_layer.ports import DeregistrationNotice
from employment.service_layer.register_filing import (
    RegisterServices,
    file_transition,
    in_transaction,
    report_result,
)
from employment.service_layer.register_records import (
    DeregistrationCase,
    DeregistrationStatus,
    Dispatch,
    DispatchKind,
)
from employment.service_layer.register_repositories import RecordAlreadyStored
from employment.service_layer.unit_of_work import UnitOfWork

__all__ = ["ReportDeregistrationGround", "record_decision", "report_deregistration_ground"]

# The request id travels to the local authority as its case id: at most 64 of [A-Za-z0-9._:-]
# (wsdl/xsd/local-authority.xsd).
MAX_ID_LENGTH = 64
_ID = re.compile(r"[A-Za-z0-9._:\-]+")


@dataclass(frozen=True)
class ReportDeregistrationGround:
    """A DR-1 ground reported by ``source`` (e.g. ``fund``, ``court``, ``person-registry``, ``centre``);
    ``event_id`` is the source's own id of the report (with the source it makes the request id, so the same
    report twice is recorded once)."""

    event_id: str
    iin: str
    ground: int
    received_at: datetime
    source: str
    facts: Mapping[str, str] = field(default_factory=dict)
    correlation_id: str | None = None

    @property
    def request_id(self) -> str:
        return f"{self.source}:{self.event_id}"


def report_deregistration_ground(command: ReportDeregistrationGround, services: RegisterServices) -> DeregistrationCase:
    """DR-1 (§44): record the reported ground; raises :class:`InvalidGroundFacts` (nothing stored) when the
    facts cannot be read."""
    if not command.event_id or len(command.request_id) > MAX_ID_LENGTH or not _ID.fullmatch(command.request_id):
        raise NotInRegister(
            f"a report needs an event id of letters, digits and ._:- (with its source at most {MAX_ID_LENGTH} "
            "characters)"
        )
    with services.uow() as uow:
        stored = uow.deregistrations.get(command.request_id)
    if stored is not None:
        return stored
    calendar = services.calendar
    on = calendar.effective_receipt(command.received_at).date()
    now = services.now()

    def work(uow: UnitOfWork) -> DeregistrationCase:
        entry = uow.register.entry_for_update(command.iin)  # first the lock, then the look: a copy waits here
        stored = uow.deregistrations.get(command.request_id)
        if stored is not None:
            return stored
        base = DeregistrationCase(
            request_id=command.request_id,
            iin=command.iin,
            ground=command.ground,
            facts=tuple(sorted((str(k), str(v)) for k, v in command.facts.items())),
            information_received_at=command.received_at,
            source=command.source,
            correlation_id=command.correlation_id,
            status=DeregistrationStatus.REJECTED,
            reasons=(),
        )
        if entry is None or entry.state is not RegisterState.UNEMPLOYED or entry.unemployed_since is None:
            state = entry.state.value if entry is not None else "not in the register"
            refusal = Reason(
                "DR-1",
                f"IIN {command.iin} is not a registered unemployed person ({state}): "
                "nothing to remove (Rules No. 259 §44).",
            )
            return _reject(uow, replace(base, reasons=(refusal,)))
        check = establish(
            command.ground,
            command.facts,
            on=on,
            unemployed_since=entry.unemployed_since,
            visits=entry.visits,
            calendar=calendar,
        )
        if check.reason is None:
            refusal = Reason(
                f"DR-1 ({check.ground.value})",
                f"The facts reported do not establish ground "
                f"({check.ground.value}) of Rules No. 259 §44 on {on.isoformat()}.",
            )
            return _reject(uow, replace(base, reasons=(refusal,)))
        case = uow.cases.get(entry.case_id)
        due = deregistration_decision_due(command.received_at, calendar)
        pending = replace(
            base,
            status=DeregistrationStatus.PENDING,
            reasons=(check.reason,),
            full_name=case.full_name if case is not None else "",
            registered_on=entry.unemployed_since,
            decision_due=due,
        )
        moved, record = move(
            entry,
            RegisterState.DEREGISTRATION_PENDING,
            at=now,
            rule_id=check.reason.rule_id,
            reason=f"reported by {command.source}: {check.reason.text}",
            application_id=pending.request_id,
        )
        uow.register.save(moved)
        uow.deregistrations.add(pending)
        uow.dispatches.add(_dispatch(pending, DispatchKind.DEREGISTRATION_REQUEST, due, now))
        file_transition(
            uow, record, service=DEREGISTRATION_SERVICE, deadline=due, correlation_id=command.correlation_id
        )
        return pending

    try:
        return in_transaction(services.uow, work)
    except RecordAlreadyStored:  # a copy of the same report stored first (a person with no entry to lock)
        with services.uow() as uow:
            winner = uow.deregistrations.get(command.request_id)
        if winner is None:
            raise
        return winner


def _reject(uow: UnitOfWork, case: DeregistrationCase) -> DeregistrationCase:
    uow.deregistrations.add(case)
    return case


def _dispatch(case: DeregistrationCase, kind: DispatchKind, due: datetime, now: datetime) -> Dispatch:
    return Dispatch(f"{case.request_id}/{kind.value}", kind, case.iin, case.request_id, due, now)


def record_decision(
    services: RegisterServices,
    *,
    decision_id: str,
    request_id: str,
    iin: str,
    deregistered: bool,
    decided_on: date,
    signed_document: str,
    signed_by: str | None = None,
) -> tuple[RegisterState, str | None]:
    """DR-2 (§45), or DR-1 declined. Returns the entry's state and the DR-2 notice issued (None if declined)."""
    with services.uow() as uow:
        case = uow.deregistrations.get(request_id)
    answered = _already_decided(case, request_id, iin, decision_id)
    if answered is not None:
        return answered
    assert case is not None
    calendar = services.calendar
    now = services.now()
    issued_on = calendar.effective_receipt(now).date()
    barred = reregistration_barred_until(case.ground, decided_on, calendar) if deregistered else None
    document: str | None = None
    if deregistered:
        document = services.documents.deregistration_notice(
            DeregistrationNotice(
                request_id=request_id,
                iin=iin,
                full_name=case.full_name,
                issued_on=issued_on,
                deregistered_on=decided_on,
                rule_id=case.rule_id,
                finding=case.reasons[0].text,
                decision_id=decision_id,
                reregistration_barred_until=barred,
                decision_signed_by=signed_by,
            )
        )

    def work(uow: UnitOfWork) -> tuple[RegisterState, str | None]:
        entry = uow.register.entry_for_update(iin)  # the lock first, then the look at the request
        current = uow.deregistrations.get(request_id)
        answered = _already_decided(current, request_id, iin, decision_id)
        if answered is not None:
            return answered
        assert current is not None
        if entry is None or entry.state is not RegisterState.DEREGISTRATION_PENDING:
            raise NotInRegister(f"IIN {iin} has no removal pending (request {request_id})")
        if not deregistered:
            moved, record = move(
                entry,
                RegisterState.UNEMPLOYED,
                at=now,
                rule_id="DR-1",
                reason=f"decision {decision_id} of {decided_on}: the local authority found no ground to remove",
                application_id=request_id,
            )
            uow.register.save(moved)
            uow.deregistrations.save(
                replace(
                    current,
                    status=DeregistrationStatus.DECLINED,
                    decision_id=decision_id,
                    decided_on=decided_on,
                    decision_document=signed_document,
                )
            )
            file_transition(
                uow,
                record,
                service=DEREGISTRATION_SERVICE,
                deadline=now,
                correlation_id=current.correlation_id,
                positive=False,
            )
            report_result(
                uow,
                request_id,
                DEREGISTRATION_SERVICE,
                now,
                now,
                current.correlation_id,
                positive=False,
                reason="the local authority found no ground to remove",
                rule_id="DR-1",
            )
            return RegisterState.UNEMPLOYED, None
        moved, record = move(
            entry,
            RegisterState.DEREGISTERED,
            at=now,
            rule_id="DR-2",
            reason=f"decision {decision_id}: removed on {decided_on.isoformat()} on {current.rule_id}",
            application_id=request_id,
            deregistered_on=decided_on,
            deregistration_ground=current.rule_id,
            reregistration_barred_until=barred,
        )
        uow.register.save(moved)
        _mark_card(uow, iin, current.rule_id, decided_on)
        due = deregistration_notice_due(decided_on, calendar)
        uow.deregistrations.save(
            replace(
                current,
                status=DeregistrationStatus.DEREGISTERED,
                decision_id=decision_id,
                decided_on=decided_on,
                decision_document=signed_document,
                notice_due=due,
                notice_issued_on=issued_on,
                notice_document=document,
            )
        )
        uow.dispatches.add(_dispatch(current, DispatchKind.DEREGISTRATION_NOTICE, due, now))
        uow.dispatches.add(_dispatch(current, DispatchKind.FUND_DEREGISTERED, due, now))
        file_transition(
            uow,
            record,
            service=DEREGISTRATION_SERVICE,
            deadline=due,
            correlation_id=current.correlation_id,
            positive=True,
        )
        return RegisterState.DEREGISTERED, document

    return in_transaction(services.uow, work)


def _mark_card(uow: UnitOfWork, iin: str, rule_id: str, on: date) -> None:
    """DR-2 (§45): the removal is marked in the individual employment card."""
    card = uow.job_seekers.card_for_update(iin)
    if card is None:
        return  # a person registered before the card was kept: the register entry carries the mark
    mark = f"{RegisterState.DEREGISTERED.value} ({rule_id})"
    change = CardChange("register", RegisterState.UNEMPLOYED.value, mark, on)
    uow.job_seekers.save(replace(card, changes=(*card.changes, change)), new=False)


def _already_decided(
    case: DeregistrationCase | None, request_id: str, iin: str, decision_id: str
) -> tuple[RegisterState, str | None] | None:
    if case is None or case.iin != iin or case.status is DeregistrationStatus.REJECTED:
        raise NotInRegister(f"the centre sent no deregistration request {request_id} of IIN {iin}")
    if case.decision_id is None:
        return None
    if case.decision_id != decision_id:
        raise ConflictingDecision(
            f"request {request_id} was decided by {case.decision_id} already; decision {decision_id} is not recorded"
        )
    if case.status is DeregistrationStatus.DEREGISTERED:
        return RegisterState.DEREGISTERED, case.notice_document
    return RegisterState.UNEMPLOYED, None
