"""The edge-case catalogue: people of the population who sit exactly on a boundary of a rule, each with the
rule ids it exercises and what the rule should give (docs/personas.md, "The edge-case catalogue").

The person registry lists it (``GET /api/edge-cases``). Every entry is a real person of the population, with
the fund's data (employment spells) that goes with the situation. Age and date boundaries hold on the
catalogue's reference date, :data:`REFERENCE_DATE` (Monday 23 November 2026, the day of the demo's virtual
clock): set the shared clock to that day to exercise them (``egov-sim up --clock
virtual:2026-11-23T10:00:00+05:00``). :meth:`EdgeCase.holds_on` tells whether the situation holds on another
day (the registry reports it for the clock's day as ``holdsToday``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from mocks.edge_case_people import REFERENCE_DATE
from mocks.population_model import (
    DECEASED,
    IMPRISONED,
    INCAPABLE,
    MISSING,
    PUPIL,
    STUDENT,
    EmploymentSpell,
    SyntheticPerson,
    add_years,
    age_on,
)

__all__ = ["EDGE_CASES", "REFERENCE_DATE", "EdgeCase", "age_in_years_and_days", "edge_case"]

RECENT_DAYS = 30  # "recently dismissed": the last labour contract ended at most this many days before


def age_in_years_and_days(birth: date, day: date) -> tuple[int, int]:
    """(full years, days since the last birthday) on ``day``."""
    years = age_on(birth, day)
    return years, (day - add_years(birth, years)).days


def _in_force(spell: EmploymentSpell, day: date) -> bool:
    return spell.start <= day and (spell.end is None or day <= spell.end)


def _working(person: SyntheticPerson, day: date) -> bool:
    return any(_in_force(spell, day) for spell in person.employment)


def _turns(years: int, sex: str | None = None, days_before: int = 0) -> Callable[[SyntheticPerson, date], bool]:
    """The person (of ``sex``, if given) reaches ``years`` exactly ``days_before`` days after ``day``."""

    def holds(person: SyntheticPerson, day: date) -> bool:
        return (sex is None or person.sex == sex) and add_years(person.birth_date, years) == day + timedelta(
            days=days_before
        )

    return holds


def _status(name: str) -> Callable[[SyntheticPerson, date], bool]:
    return lambda person, day: name in person.statuses_on(day)


def _recently_dismissed(person: SyntheticPerson, day: date) -> bool:
    ended = [spell.end for spell in person.employment if spell.end is not None and spell.end < day]
    return not _working(person, day) and bool(ended) and (day - max(ended)).days <= RECENT_DAYS


def _contract_later(person: SyntheticPerson, day: date) -> bool:
    return not _working(person, day) and any(spell.start > day for spell in person.employment)


def _sentence_later(person: SyntheticPerson, day: date) -> bool:
    return person.imprisonment is not None and person.imprisonment.begin > day


def _no_ground(person: SyntheticPerson, day: date) -> bool:
    """Aged 16 to below 61, living, no court status, not studying, not working, valid document, an address."""
    return (
        16 <= age_on(person.birth_date, day) < 61
        and person.statuses_on(day) == frozenset({"living"})
        and not _working(person, day)
        and person.document.is_valid_on(day)
        and person.address is not None
    )


@dataclass(frozen=True)
class EdgeCase:
    """One entry: the situation, the person (by persona label), the rule ids it exercises, the expected result."""

    key: str
    persona: str
    situation: str
    exercises: tuple[str, ...]
    expected: str
    holds: Callable[[SyntheticPerson, date], bool]

    def holds_on(self, person: SyntheticPerson, day: date) -> bool:
        """Whether ``person`` is in this situation on ``day``."""
        return self.holds(person, day)


EDGE_CASES: tuple[EdgeCase, ...] = (
    EdgeCase(
        "ordinary-job-seeker",
        "job-seeker",
        "aged 34, last labour contract ended 2026-07-31, no status",
        ("JS-6", "UN-4"),
        "no ground applies: registered as a job seeker, then as unemployed (the control case)",
        _no_ground,
    ),
    EdgeCase(
        "under-16",
        "minor",
        "aged 14",
        ("JS-1", "UN-4 (1)"),
        "a job seeker only with a legal representative's application (JS-1); never unemployed (UN-4 (1))",
        lambda person, day: age_on(person.birth_date, day) < 16,
    ),
    EdgeCase(
        "turns-16-today",
        "turns-16",
        "16th birthday on the reference date",
        ("JS-1", "UN-4 (1)"),
        "no legal representative needed, and UN-4 (1) does not apply: the 16th birthday is no longer 'under 16'",
        _turns(16),
    ),
    EdgeCase(
        "woman-one-day-before-pension-age",
        "woman-before-pension-age",
        "woman aged 60 years 364 days",
        ("UN-4 (3)", "PE-6"),
        "not yet at the women's pension age (61 for 2023-2027, Social Code Art. 207 p.1): UN-4 (3) does not "
        "apply; she reaches it the next day",
        _turns(61, "F", days_before=1),
    ),
    EdgeCase(
        "woman-at-pension-age",
        "woman-at-pension-age",
        "woman turning 61 on the reference date",
        ("UN-4 (3)", "PE-6"),
        "reached the women's pension age that day: not registered as unemployed (UN-4 (3))",
        _turns(61, "F"),
    ),
    EdgeCase(
        "man-one-day-before-pension-age",
        "man-before-pension-age",
        "man aged 62 years 364 days",
        ("UN-4 (3)", "PE-6"),
        "not yet at the men's pension age (63): UN-4 (3) does not apply; he reaches it the next day",
        _turns(63, "M", days_before=1),
    ),
    EdgeCase(
        "man-at-pension-age",
        "man-at-pension-age",
        "man turning 63 on the reference date",
        ("UN-4 (3)", "PE-6"),
        "reached the men's pension age that day: not registered as unemployed (UN-4 (3))",
        _turns(63, "M"),
    ),
    EdgeCase(
        "above-pension-age",
        "pensioner",
        "man aged 66, at the pension age since 2023",
        ("UN-4 (3)",),
        "above the pension age: a job seeker, but not registered as unemployed (UN-4 (3))",
        lambda person, day: person.sex == "M" and add_years(person.birth_date, 63) < date(day.year, 1, 1),
    ),
    EdgeCase(
        "deceased",
        "deceased",
        "died on 2026-10-14",
        ("JS-4",),
        "the registry answers lifeStatus 1 (deceased), deathDate and the death certificate: an application in "
        "his name cannot be his own",
        _status(DECEASED),
    ),
    EdgeCase(
        "expired-document",
        "expired-document",
        "identity card expired in 2024",
        ("JS-2",),
        "the application is not accepted: the identity document has expired (JS-2)",
        lambda person, day: person.document.valid_until < day,
    ),
    EdgeCase(
        "no-registered-address",
        "no-registered-address",
        "no registered address",
        ("JS-4", "JS-11"),
        "the registry answers no regAddress: the portal has no registered address to show (JS-11) and the "
        "card none to copy (JS-4)",
        lambda person, day: person.address is None,
    ),
    EdgeCase(
        "imprisoned",
        "imprisoned",
        "serving a sentence of imprisonment since 2026-10-05",
        ("DR-1 (5)",),
        "the registry answers imprisonedStatus 1 with the sentence's dates: removed from the register of the "
        "unemployed (DR-1 (5)); since 01.07.2023 also a ground to refuse the status (Social Code Art. 99 p.3 "
        "sub.6, not implemented yet)",
        _status(IMPRISONED),
    ),
    EdgeCase(
        "sentenced-after-reference-date",
        "sentenced-later",
        "unemployed; a sentence takes effect on 2026-12-07",
        ("DR-1 (5)",),
        "no status on the reference date (he can be registered); once the clock reaches 2026-12-07 the registry "
        "answers imprisonedStatus 1 and he is to be removed (DR-1 (5))",
        _sentence_later,
    ),
    EdgeCase(
        "missing",
        "missing",
        "declared missing on 2025-03-11",
        ("JS-4",),
        "the registry answers missingStatus (missing=true): an application in her name cannot be her own",
        _status(MISSING),
    ),
    EdgeCase(
        "incapable",
        "incapable",
        "declared legally incapable by a court on 2021-09-14",
        ("JS-4",),
        "the registry answers personCapableStatus 2 (incapable): he acts only through his guardian",
        _status(INCAPABLE),
    ),
    EdgeCase(
        "student",
        "student",
        "full-time university student",
        ("UN-4 (5)",),
        "a job seeker; not registered as unemployed when applying for active employment measures (UN-4 (5))",
        _status(STUDENT),
    ),
    EdgeCase(
        "senior-pupil",
        "senior-pupil",
        "pupil of the 11th class of a general school",
        ("UN-4 (5)",),
        "a job seeker; not registered as unemployed when applying for active employment measures (UN-4 (5))",
        lambda person, day: (
            PUPIL in person.statuses_on(day) and person.education is not None and person.education.senior_pupil
        ),
    ),
    EdgeCase(
        "recently-dismissed",
        "dismissed-yesterday",
        "labour contract ended the day before the reference date",
        ("UN-4 (2)", "000 §5 action 3"),
        "no labour contract in force on the decision day: not refused for current work",
        _recently_dismissed,
    ),
    EdgeCase(
        "employed",
        "employed",
        "labour contract in force since 2021-04-01",
        ("000 §5 action 3", "UN-4 (2)", "DR-1 (1)"),
        "refused for current work; once registered, the contributions that keep arriving remove him (DR-1 (1))",
        _working,
    ),
    EdgeCase(
        "contract-starts-later",
        "contract-next-month",
        "a signed labour contract starts on 2026-12-01",
        ("UN-4 (2)", "DR-1 (1)"),
        "no contract in force on the reference date (registered); from 2026-12-01 one is, and the contribution "
        "for December reaches the fund on 25 January 2027 (DR-1 (1))",
        _contract_later,
    ),
)


def edge_case(key: str) -> EdgeCase:
    """The entry named ``key``; KeyError naming the keys when there is none."""
    for case in EDGE_CASES:
        if case.key == key:
            return case
    raise KeyError(f"no edge case {key!r}; the catalogue has {', '.join(case.key for case in EDGE_CASES)}")
