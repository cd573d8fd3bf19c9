"""The register of a person at the employment centre: entering it (JS-6, JS-7), the time-driven step that
moves it on (JS-9, LM-5, UN-1, and the messages owed to other systems), and the local authority's decisions
(UN-2, DR-2). The state machine itself is :mod:`employment.domain.register`.

Entry points for the entrypoints and the background worker:

- :func:`enter_register` — called by ``register_job_seeker`` inside its transaction when it registers;
- :func:`advance_register` — called periodically (the worker) with the shared clock's ``now``;
- :func:`record_authority_decision` — the head-signed decision that came back from the local authority.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum

from employment.domain.calendar import WorkingCalendar
from employment.domain.errors import NotInRegister
from employment.domain.models import Applicant, Reason
from employment.domain.register import RegisterState, move, open_entry
from employment.domain.rules.job_seeker_category import categorise
from employment.domain.rules.register_terms import mediation_window_end
from employment.domain.rules.unemployed_draft import UNEMPLOYED_REGISTRATION_SERVICE
from employment.service_layer import deregistration, dispatch, mediation, unemployed
from employment.service_layer.register_filing import RegisterServices, file_transition
from employment.service_layer.register_records import RegistrationCase
from employment.service_layer.unit_of_work import UnitOfWork

__all__ = [
    "AdvanceSummary",
    "AuthorityDecision",
    "DecisionKind",
    "DecisionOutcome",
    "advance_register",
    "enter_register",
    "record_authority_decision",
]

# JS-7: from these states a new registration as a job seeker starts a new registration case.
_APPLY_AGAIN = (RegisterState.REFUSED_UNEMPLOYED, RegisterState.DEREGISTERED)


def enter_register(
    uow: UnitOfWork,
    *,
    application_id: str,
    applicant: Applicant,
    correlation_id: str | None,
    registered_at: datetime,
    calendar: WorkingCalendar,
    at: datetime,
) -> None:
    """JS-6 / JS-7, in the registration's own transaction: open the person's entry as a job seeker (or bring
    a refused or removed person back to it) with a new registration case whose JS-9 period starts now; a
    person already in the register stays where they are and only the card's facts and category change.
    JS-5: the category is computed from the card on the day of registration."""
    iin = applicant.iin
    on = registered_at.date()
    category = categorise(applicant.profile, applicant.birth_date, on).category.value
    entry = uow.register.entry_for_update(iin)
    if entry is not None and entry.state not in _APPLY_AGAIN:
        uow.register.save(replace(entry, category=category, profile=applicant.profile))
        return
    case = RegistrationCase(
        case_id=f"UN-{application_id}",
        iin=iin,
        full_name=applicant.full_name,
        birth_date=applicant.birth_date,
        application_id=application_id,
        correlation_id=correlation_id,
        registered_at=registered_at,
        mediation_ends=mediation_window_end(registered_at, calendar),
    )
    if entry is None:
        entry, record = open_entry(iin, case.case_id, on, at, category, applicant.profile)
        uow.register.add(entry)
    else:
        entry, record = move(
            entry,
            RegisterState.JOB_SEEKER,
            at=at,
            rule_id="JS-7",
            reason=f"applied again after {entry.state.value}; registered as a job seeker on {on.isoformat()}",
            application_id=case.case_id,
            case_id=case.case_id,
            job_seeker_since=on,
            category=category,
            profile=applicant.profile,
            unemployed_since=None,
        )
        uow.register.save(entry)
    uow.cases.add(case)
    file_transition(
        uow,
        record,
        service=UNEMPLOYED_REGISTRATION_SERVICE,
        deadline=case.mediation_ends,
        correlation_id=correlation_id,
    )


@dataclass(frozen=True)
class AdvanceSummary:
    """What one :func:`advance_register` step did (for the worker's log and the tests)."""

    offers_closed: int
    offers_made: int
    documents_started: int
    packages_queued: int
    drafts_postponed: int
    dispatched: int
    dispatch_failures: int


def advance_register(services: RegisterServices, now: datetime | None = None) -> AdvanceSummary:
    """The time-driven step of the register, run by a background worker on the shared clock:

    1. LM-5: offers whose answer term passed unanswered count as not accepted (the job seeker is back to
       JOB_SEEKER and UN-1 starts);
    2. JS-9: each job seeker in the JS-9 period gets an offer of suitable work if the centre has one; when
       the period ended without one, UN-1 starts;
    3. UN-1: for each case whose documents are due, the draft decision is made by UN-4 on the day, signed by
       the director and queued for the local authority (the entry goes AWAITING_AUTHORITY);
    4. every message owed to the local authority, the cabinet or the fund is sent (at least once).
    """
    moment = now if now is not None else services.now()
    closed = mediation.close_unanswered_offers(services, moment)
    made, started = mediation.offer_suitable_work(services, moment)
    queued, postponed = unemployed.send_documents(services, moment)
    sent, failed = dispatch.dispatch_pending(services, moment)
    return AdvanceSummary(closed, made, started + closed, queued, postponed, sent, failed)


class DecisionKind(str, Enum):
    REGISTERED = "registered"  # UN-2: registered as unemployed
    REFUSED = "refused"  # UN-2: refused on UN-4
    DEREGISTERED = "deregistered"  # DR-2: removed from the register
    NOT_DEREGISTERED = "not-deregistered"  # DR-1: the authority found no ground


@dataclass(frozen=True)
class AuthorityDecision:
    """The decision signed by the head of the local authority (``ENBEK_AuthorityDecision``), its signature
    verified by the entrypoint."""

    decision_id: str
    kind: DecisionKind
    reference: str  # the centre's registration case id (UN-1) or deregistration request id (DR-1)
    iin: str
    decided_on: date
    registered_on: date | None  # UN-2: the date of registration as unemployed
    reasons: tuple[Reason, ...]  # UN-4 grounds of a refusal; the DR-1 ground of a removal
    signed_document: str
    signer: str
    received_at: datetime
    correlation_id: str | None = None


@dataclass(frozen=True)
class DecisionOutcome:
    reference: str
    decision_id: str
    state: RegisterState  # the entry's state after the decision
    notification_document: str | None  # Annex 4 / Annex 5 / DR-2 notice, as issued


def record_authority_decision(decision: AuthorityDecision, services: RegisterServices) -> DecisionOutcome:
    """UN-2 -> UN-3/UN-5, or DR-2: record the local authority's decision on a case the centre sent.

    Idempotent by decision id: the same decision again answers the recorded outcome; a different decision on
    a case already decided raises :class:`ConflictingDecision`. A decision on a case the centre did not send
    raises :class:`NotInRegister`. The notification is issued at once and delivered to the cabinet (and the
    fund told) by the dispatch step of :func:`advance_register`, within the term of UN-3 / DR-2.
    """
    if decision.kind in (DecisionKind.REGISTERED, DecisionKind.REFUSED):
        state, document = unemployed.record_decision(
            services,
            decision_id=decision.decision_id,
            case_id=decision.reference,
            iin=decision.iin,
            registered=decision.kind is DecisionKind.REGISTERED,
            decided_on=decision.decided_on,
            registered_on=decision.registered_on,
            reasons=decision.reasons,
            signed_document=decision.signed_document,
            signed_by=decision.signer,
        )
    elif decision.kind in (DecisionKind.DEREGISTERED, DecisionKind.NOT_DEREGISTERED):
        state, document = deregistration.record_decision(
            services,
            decision_id=decision.decision_id,
            request_id=decision.reference,
            iin=decision.iin,
            deregistered=decision.kind is DecisionKind.DEREGISTERED,
            decided_on=decision.decided_on,
            signed_document=decision.signed_document,
            signed_by=decision.signer,
        )
    else:  # pragma: no cover - the enum has no other member
        raise NotInRegister(f"unknown decision kind {decision.kind!r}")
    return DecisionOutcome(decision.reference, decision.decision_id, state, document)
