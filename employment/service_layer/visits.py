"""UN-7: the schedule of visits the registered unemployed keeps (Rules No. 259 §37; the schedule of contacts
of the individual employment plan, Annex 9 section 3). Ground (4) of DR-1 reads it (§44 sub.4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from employment.domain.errors import NotInRegister
from employment.domain.register import RegisterEntry, Visit
from employment.service_layer.register_filing import RegisterServices, in_transaction
from employment.service_layer.unit_of_work import UnitOfWork

__all__ = ["record_visit", "schedule_visits"]

MAX_VISITS = 60


def _unemployed(uow: UnitOfWork, iin: str) -> RegisterEntry:
    entry = uow.register.entry_for_update(iin)
    if entry is None or not entry.state.registered_as_unemployed:
        raise NotInRegister(f"IIN {iin} is not registered as unemployed: there is no schedule of visits to keep")
    return entry


def schedule_visits(iin: str, days: list[date], services: RegisterServices) -> tuple[Visit, ...]:
    """UN-7: set the days the person comes to the centre (visits already attended or excused are kept)."""
    if len(days) > MAX_VISITS:
        raise NotInRegister(f"a schedule holds at most {MAX_VISITS} visits")

    def work(uow: UnitOfWork) -> tuple[Visit, ...]:
        entry = _unemployed(uow, iin)
        kept = {v.on: v for v in entry.visits if v.attended_on is not None or v.valid_reason}
        visits = tuple(sorted({**{d: Visit(d) for d in days}, **kept}.values(), key=lambda v: v.on))
        uow.register.save(replace(entry, visits=visits))
        return visits

    return in_transaction(services.uow, work)


def record_visit(iin: str, day: date, services: RegisterServices, *, valid_reason: str | None = None) -> Visit:
    """UN-7: the person came on ``day`` (or, with ``valid_reason``, is excused for the visit of ``day``)."""

    def work(uow: UnitOfWork) -> Visit:
        entry = _unemployed(uow, iin)
        current = next((v for v in entry.visits if v.on == day), None)
        if current is None:
            raise NotInRegister(f"no visit of IIN {iin} is scheduled on {day.isoformat()}")
        visit = replace(current, valid_reason=valid_reason) if valid_reason else replace(current, attended_on=day)
        visits = tuple(visit if v.on == day else v for v in entry.visits)
        uow.register.save(replace(entry, visits=visits))
        return visit

    return in_transaction(services.uow, work)
