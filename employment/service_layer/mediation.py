"""JS-9 and LM-5: the suitable work the centre offers a new job seeker, and their answer.

Commands: :func:`add_vacancy` (the minimal vacancy store; labour mediation proper, LM-2..LM-9, comes later)
and :func:`answer_offer`. The time-driven part (:func:`offer_suitable_work`, :func:`close_unanswered_offers`)
runs in :func:`employment.service_layer.register.advance_register`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from employment.domain.errors import NotInRegister
from employment.domain.register import RegisterState, move
from employment.domain.rules.register_terms import documents_due, offer_answer_due
from employment.domain.rules.suitable_work import Offer, OfferAnswer, Vacancy, best_suitable
from employment.domain.rules.unemployed_draft import UNEMPLOYED_REGISTRATION_SERVICE
from employment.service_layer.register_filing import (
    RegisterServices,
    file_transition,
    in_transaction,
    report_result,
)
from employment.service_layer.register_records import CaseStatus, RegistrationCase
from employment.service_layer.unit_of_work import UnitOfWork

__all__ = ["OfferAnswered", "add_vacancy", "answer_offer", "close_unanswered_offers", "offer_suitable_work"]

NO_OFFER = "no suitable work within the JS-9 period (Rules No. 259 §24, §31)"
REFUSED = "the job seeker refused the suitable work offered (Rules No. 259 §31, §59)"
NOT_ANSWERED = "the job seeker did not answer the offer within its term (Rules No. 259 §31, §59)"


def add_vacancy(vacancy: Vacancy, services: RegisterServices) -> bool:
    """Store a vacancy an employer reported (LM-2, Rules No. 259 §53-55); False when its id is stored already."""
    return in_transaction(services.uow, lambda uow: uow.vacancies.add(vacancy))


@dataclass(frozen=True)
class OfferAnswered:
    offer: Offer
    state: RegisterState


def answer_offer(offer_id: str, accepted: bool, answered_at: datetime, services: RegisterServices) -> OfferAnswered:
    """LM-5 (Rules No. 259 §59): the job seeker accepts or refuses the offer. An answer after its term has no
    effect (the term already counted as not accepted); a repeated answer returns the first one."""

    def work(uow: UnitOfWork) -> OfferAnswered:
        found = uow.offers.get(offer_id)
        if found is None:
            raise NotInRegister(f"no offer {offer_id}")
        entry = uow.register.entry_for_update(found.iin)  # the lock first, then the look at the offer
        offer = uow.offers.get(offer_id)
        assert entry is not None and offer is not None, f"offer {offer_id} of IIN {found.iin} without an entry"
        if offer.answer is not None:
            return OfferAnswered(offer, entry.state)
        if answered_at > offer.answer_due:
            closed = _close(uow, offer, OfferAnswer.NOT_ANSWERED, offer.answer_due, services)
            return OfferAnswered(closed, RegisterState.JOB_SEEKER)
        answer = OfferAnswer.ACCEPTED if accepted else OfferAnswer.REFUSED
        answered = _close(uow, offer, answer, answered_at, services)
        return OfferAnswered(answered, RegisterState.JOB_SEEKER)

    return in_transaction(services.uow, work)


def _close(uow: UnitOfWork, offer: Offer, answer: OfferAnswer, at: datetime, services: RegisterServices) -> Offer:
    """The offer answered (or its term passed): the entry is back to JOB_SEEKER (LM-5); an acceptance closes
    the case, a refusal or silence starts UN-1 (§31)."""
    answered = replace(offer, answer=answer, answered_at=at)
    uow.offers.save(answered)
    entry = uow.register.entry_for_update(offer.iin)
    case = uow.cases.get(offer.case_id)
    if entry is None or case is None or entry.state is not RegisterState.OFFERED or entry.case_id != case.case_id:
        return answered  # an offer of an earlier case (or to an unemployed person): nothing moves here
    if answer is OfferAnswer.ACCEPTED:
        reason, status, deadline = "the job seeker accepted the suitable work offered", CaseStatus.CLOSED, at
        case = replace(case, status=status)
    else:
        reason = REFUSED if answer is OfferAnswer.REFUSED else NOT_ANSWERED
        # a refusal counts from its instant; a term that ran out, from its last day (§31: 1 working day)
        event = at if answer is OfferAnswer.REFUSED else at.astimezone(services.calendar.zone).date()
        due = documents_due(event, services.calendar)
        case = replace(case, status=CaseStatus.DOCUMENTS_DUE, trigger=reason, triggered_at=at, documents_due=due)
        deadline = due
    moved, record = move(entry, RegisterState.JOB_SEEKER, at=at, rule_id="LM-5", reason=reason)
    uow.register.save(moved)
    uow.cases.save(case)
    file_transition(
        uow,
        record,
        service=UNEMPLOYED_REGISTRATION_SERVICE,
        deadline=deadline,
        correlation_id=case.correlation_id,
        positive=answer is OfferAnswer.ACCEPTED or None,
    )
    if case.status is CaseStatus.CLOSED:
        report_result(
            uow,
            case.case_id,
            UNEMPLOYED_REGISTRATION_SERVICE,
            at,
            at,
            case.correlation_id,
            positive=True,
            reason=reason,
            rule_id="LM-5",
        )
    return answered


def close_unanswered_offers(services: RegisterServices, now: datetime) -> int:
    """LM-5: each offer whose answer term ended before ``now`` without an answer counts as not accepted."""
    with services.uow() as uow:
        due = uow.offers.unanswered_by(now)
    closed = 0
    for offer in due:

        def work(uow: UnitOfWork, offer: Offer = offer) -> bool:
            uow.register.entry_for_update(offer.iin)  # the lock first, then the look at the offer
            current = uow.offers.get(offer.offer_id)
            if current is None or current.answer is not None:
                return False
            _close(uow, current, OfferAnswer.NOT_ANSWERED, current.answer_due, services)
            return True

        closed += in_transaction(services.uow, work)
    return closed


def offer_suitable_work(services: RegisterServices, now: datetime) -> tuple[int, int]:
    """JS-9 (Rules No. 259 §24): within the period, offer suitable work when the centre has any; when the
    period ended without an offer, UN-1 starts (§31). Returns (offers made, UN-1 started)."""
    with services.uow() as uow:
        cases = uow.cases.in_status([CaseStatus.MEDIATION])
    made = started = 0
    for case in cases:

        def work(uow: UnitOfWork, iin: str = case.iin, case_id: str = case.case_id) -> str:
            return _mediate(uow, iin, case_id, now, services)

        outcome = in_transaction(services.uow, work)
        made += outcome == "offered"
        started += outcome == "documents"
    return made, started


def _mediate(uow: UnitOfWork, iin: str, case_id: str, now: datetime, services: RegisterServices) -> str:
    entry = uow.register.entry_for_update(iin)  # the lock first, then the look at the case
    case = uow.cases.get(case_id)
    if case is None or case.status is not CaseStatus.MEDIATION:
        return "unchanged"
    if entry is None or entry.case_id != case.case_id or entry.state is not RegisterState.JOB_SEEKER:
        uow.cases.save(replace(case, status=CaseStatus.CLOSED))  # superseded by a later case
        return "unchanged"
    if now < case.mediation_ends:
        offered_before = [o.vacancy_id for o in uow.offers.of_person(case.iin)]
        vacancies = [v for v in uow.vacancies.open_vacancies() if v.registered_at <= now]
        vacancy = best_suitable(vacancies, entry.profile, offered_before)
        if vacancy is not None:
            _offer(uow, case, vacancy, now, services, len(offered_before) + 1)
            return "offered"
        return "unchanged"
    _start_documents(uow, case, NO_OFFER, case.mediation_ends, services)
    return "documents"


def _offer(
    uow: UnitOfWork, case: RegistrationCase, vacancy: Vacancy, now: datetime, services: RegisterServices, number: int
) -> None:
    due = offer_answer_due(now, unemployed=False, calendar=services.calendar)
    offer = Offer(f"{case.case_id}/offer-{number}", case.iin, vacancy.vacancy_id, case.case_id, now, due)
    uow.offers.add(offer)
    entry = uow.register.entry_for_update(case.iin)
    assert entry is not None
    moved, record = move(
        entry,
        RegisterState.OFFERED,
        at=now,
        rule_id="JS-9",
        reason=f"offered {vacancy.profession} at {vacancy.employer_name} (vacancy {vacancy.vacancy_id}); "
        f"answer by {due.isoformat()}",
    )
    uow.register.save(moved)
    uow.cases.save(replace(case, status=CaseStatus.OFFERED))
    file_transition(
        uow, record, service=UNEMPLOYED_REGISTRATION_SERVICE, deadline=due, correlation_id=case.correlation_id
    )


def _start_documents(
    uow: UnitOfWork, case: RegistrationCase, trigger: str, at: datetime, services: RegisterServices
) -> None:
    """UN-1 starts when the JS-9 period ended: the documents are due at the local authority within 1 working
    day of the period's last day (§31)."""
    due = documents_due(at.astimezone(services.calendar.zone).date(), services.calendar)
    uow.cases.save(replace(case, status=CaseStatus.DOCUMENTS_DUE, trigger=trigger, triggered_at=at, documents_due=due))
