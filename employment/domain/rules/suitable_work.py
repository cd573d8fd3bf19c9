"""JS-9: the suitable work the centre offers within 1 working day of registration (Rules No. 259 §24), and
the job seeker's answer to the offer (LM-5, §59).

Suitable work (Rules No. 259 §2 sub.9) is work that matches the person's professional training, work
experience in their previous profession, health, working-time regime and the transport accessibility of
the workplace, temporary work included; candidates are selected by profession, qualification, experience,
salary, work schedule and the employer's other conditions (§57). What the card holds decides it here:

1. the vacancy is open (a filled vacancy is removed, LM-9 §63);
2. its profession is the wanted profession of the card, or a profession of its work history (compared
   without regard to case and surrounding spaces);
3. it is in the region of the person's registered address, unless the person agrees to relocate
   (transport accessibility);
4. its salary is not below the wanted minimum salary, when the card gives one;
5. its work schedule is the wanted one, when both give one;
6. it was not offered to the person before.

Health is not on the card the centre receives, so it is not checked. Among suitable vacancies the best
paid is offered first, then the one registered earliest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import Enum

from employment.domain.models import CardProfile

__all__ = ["Offer", "OfferAnswer", "Vacancy", "best_suitable", "unsuitability"]


@dataclass(frozen=True)
class Vacancy:
    """A vacancy an employer reported (LM-2, Rules No. 259 §53-55), as the centre's store holds it."""

    vacancy_id: str
    employer_bin: str
    employer_name: str
    profession: str
    region: str
    salary: Decimal
    work_schedule: str | None
    registered_at: datetime
    open: bool = True


class OfferAnswer(str, Enum):
    ACCEPTED = "accepted"
    REFUSED = "refused"
    NOT_ANSWERED = "not-answered"  # the LM-5 term passed without an answer


@dataclass(frozen=True)
class Offer:
    """An offer of suitable work to a person (JS-9 for a job seeker; LM-4 later for the unemployed)."""

    offer_id: str
    iin: str
    vacancy_id: str
    case_id: str
    offered_at: datetime
    answer_due: datetime
    answer: OfferAnswer | None = None
    answered_at: datetime | None = None
    to_unemployed: bool = False


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.strip().casefold() == b.strip().casefold()


def unsuitability(vacancy: Vacancy, profile: CardProfile, offered_before: Iterable[str] = ()) -> list[str]:
    """Why ``vacancy`` is not suitable work for the person of ``profile``; empty when it is (JS-9, §2 sub.9)."""
    why: list[str] = []
    if not vacancy.open:
        why.append("the vacancy is filled")
    professions = [p for p in (profile.wanted_profession, *profile.previous_professions) if p]
    if not any(_same(vacancy.profession, p) for p in professions):
        why.append(f"the profession {vacancy.profession!r} is neither wanted nor in the work history")
    if not profile.agrees_to_relocate and not _same(vacancy.region, profile.region):
        why.append(f"the vacancy is in {vacancy.region!r}, not in the region of the registered address")
    if profile.salary_min is not None and vacancy.salary < profile.salary_min:
        why.append(f"the salary {vacancy.salary} is below the wanted minimum {profile.salary_min}")
    if profile.work_schedule and vacancy.work_schedule and not _same(profile.work_schedule, vacancy.work_schedule):
        why.append(f"the schedule {vacancy.work_schedule!r} is not the wanted {profile.work_schedule!r}")
    if vacancy.vacancy_id in set(offered_before):
        why.append("the vacancy was offered to the person before")
    return why


def best_suitable(
    vacancies: Iterable[Vacancy], profile: CardProfile, offered_before: Iterable[str] = ()
) -> Vacancy | None:
    """The suitable vacancy to offer: the best paid, then the earliest registered; None when none suits."""
    before = tuple(offered_before)
    suitable = [v for v in vacancies if not unsuitability(v, profile, before)]
    suitable.sort(key=lambda v: (-v.salary, v.registered_at, v.vacancy_id))
    return suitable[0] if suitable else None
