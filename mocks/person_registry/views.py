"""What the person registry's REST routes answer, as JSON-ready data: a person in a listing, a whole person,
and the edge-case catalogue (:mod:`mocks.edge_cases`) with each entry's person as they stand on a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from mocks.edge_cases import EDGE_CASES, REFERENCE_DATE, EdgeCase, age_in_years_and_days
from mocks.population_file import person_to_json
from mocks.population_model import SyntheticPerson
from mocks.population_store import PopulationIndex


def statuses(person: SyntheticPerson, day: date) -> list[str]:
    return sorted(person.statuses_on(day))


def listed_person(person: SyntheticPerson, day: date) -> dict[str, Any]:
    """One line of ``GET /admin/persons``."""
    return {
        "iin": person.iin,
        "fullName": person.full_name,
        "persona": person.persona,
        "sex": person.sex,
        "birthDate": person.birth_date.isoformat(),
        "statuses": statuses(person, day),
    }


def whole_person(person: SyntheticPerson, day: date) -> dict[str, Any]:
    """``GET /admin/persons/{iin}``: everything the population file holds, and the statuses on ``day``."""
    return person_to_json(person) | {"statusesToday": statuses(person, day)}


def _age(person: SyntheticPerson, day: date) -> str:
    years, days = age_in_years_and_days(person.birth_date, day)
    return f"{years} years {days} days"


def edge_case_entry(case: EdgeCase, person: SyntheticPerson | None, today: date) -> dict[str, Any]:
    """One entry of ``GET /api/edge-cases``: the case, its person, and whether it holds on the reference date
    and on ``today`` (the clock's date)."""
    entry: dict[str, Any] = {
        "key": case.key,
        "situation": case.situation,
        "exercises": list(case.exercises),
        "expected": case.expected,
        "persona": case.persona,
        "inPopulation": person is not None,
    }
    if person is None:
        return entry
    return entry | {
        "iin": person.iin,
        "fullName": person.full_name,
        "sex": person.sex,
        "birthDate": person.birth_date.isoformat(),
        "holdsOnReferenceDate": case.holds_on(person, REFERENCE_DATE),
        "holdsToday": case.holds_on(person, today),
        "ageToday": _age(person, today),
        "statusesToday": statuses(person, today),
    }


def edge_case_catalogue(people: PopulationIndex, today: date) -> dict[str, Any]:
    """``GET /api/edge-cases``: every entry of the catalogue, its person looked up by persona label."""
    return {
        "referenceDate": REFERENCE_DATE.isoformat(),
        "today": today.isoformat(),
        "cases": [edge_case_entry(case, people.find_by_persona(case.persona), today) for case in EDGE_CASES],
    }
