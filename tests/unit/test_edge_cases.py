"""The edge-case catalogue (mocks/edge_cases.py): every entry is a real person of the population, sits on its
boundary on the reference date (and only there, for the date boundaries), names rule ids that exist, and has
the fund's data that goes with it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from kernel.parameters import decimal_on
from mocks.edge_cases import EDGE_CASES, REFERENCE_DATE, EdgeCase, age_in_years_and_days, edge_case
from mocks.person_registry.views import edge_case_catalogue
from mocks.population import KEYED_PEOPLE, SyntheticPerson, build_population
from mocks.population_model import GENDER_FEMALE, GENDER_MALE
from mocks.population_store import PopulationIndex
from mocks.social_fund.adapters.contributions_query import SocialFundService

RULES_DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
ONE_DAY = dt.timedelta(days=1)


@pytest.fixture(scope="module")
def index() -> PopulationIndex:
    return PopulationIndex(build_population(size=10_000))


def person_of(index: PopulationIndex, case: EdgeCase) -> SyntheticPerson:
    found = index.find_by_persona(case.persona)
    assert found is not None, f"{case.key}: nobody labelled {case.persona!r} in the population"
    return found


def fund_on(day: dt.date, index: PopulationIndex) -> SocialFundService:
    return SocialFundService(
        index, now=lambda: dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC), max_bytes=1_000_000
    )


def test_keys_and_people_are_distinct(index: PopulationIndex) -> None:
    assert len({case.key for case in EDGE_CASES}) == len(EDGE_CASES)
    iins = [person_of(index, case).iin for case in EDGE_CASES]
    assert len(set(iins)) == len(iins)


def test_every_entry_is_someone_who_can_log_in_and_sign(index: PopulationIndex) -> None:
    keyed = {person.iin for person in build_population()[:KEYED_PEOPLE]}
    assert {person_of(index, case).iin for case in EDGE_CASES} <= keyed


@pytest.mark.parametrize("case", EDGE_CASES, ids=lambda case: case.key)
def test_each_holds_on_the_reference_date(index: PopulationIndex, case: EdgeCase) -> None:
    assert case.holds_on(person_of(index, case), REFERENCE_DATE)


@pytest.mark.parametrize("case", EDGE_CASES, ids=lambda case: case.key)
def test_each_holds_for_its_person_only_among_the_catalogue(index: PopulationIndex, case: EdgeCase) -> None:
    """A boundary is sharp: no other entry's person is in this situation on the reference date (the control
    case, and the statuses that several share by nature, excepted)."""
    shared = {"ordinary-job-seeker", "recently-dismissed", "contract-starts-later", "employed", "under-16"}
    if case.key in shared:
        return
    others = [person_of(index, other) for other in EDGE_CASES if other.key != case.key]
    assert [p.iin for p in others if case.holds_on(p, REFERENCE_DATE)] == []


@pytest.mark.parametrize(
    ("key", "holds_before", "holds_after"),
    [
        ("turns-16-today", False, False),
        ("woman-one-day-before-pension-age", False, False),
        ("woman-at-pension-age", False, False),
        ("man-one-day-before-pension-age", False, False),
        ("man-at-pension-age", False, False),
        ("sentenced-after-reference-date", True, True),
        ("recently-dismissed", False, True),
    ],
)
def test_date_boundaries_are_sharp(index: PopulationIndex, key: str, holds_before: bool, holds_after: bool) -> None:
    case = edge_case(key)
    person = person_of(index, case)
    assert case.holds_on(person, REFERENCE_DATE - ONE_DAY) is holds_before
    assert case.holds_on(person, REFERENCE_DATE + ONE_DAY) is holds_after


def test_the_pension_age_people_against_the_dated_parameter(index: PopulationIndex) -> None:
    """Social Code Art. 207 p.1: 61 for women and 63 for men in 2026 (kernel/parameter_values.py)."""
    women = decimal_on("pension_age.women", REFERENCE_DATE)
    men = decimal_on("pension_age.men", REFERENCE_DATE)
    assert (women, men) == (61, 63)
    for key, gender, years_days in (
        ("woman-one-day-before-pension-age", GENDER_FEMALE, (60, 364)),
        ("woman-at-pension-age", GENDER_FEMALE, (61, 0)),
        ("man-one-day-before-pension-age", GENDER_MALE, (62, 364)),
        ("man-at-pension-age", GENDER_MALE, (63, 0)),
        ("turns-16-today", GENDER_MALE, (16, 0)),
    ):
        person = person_of(index, edge_case(key))
        assert person.gender == gender, key
        assert age_in_years_and_days(person.birth_date, REFERENCE_DATE) == years_days, key


def test_the_rule_ids_exist(index: PopulationIndex) -> None:
    documented = RULES_DOC.read_text(encoding="utf-8")
    for case in EDGE_CASES:
        assert case.exercises, case.key
        for rule in case.exercises:
            base = re.sub(r" \(\d\)$", "", rule)
            assert f"| {base} |" in documented or rule in documented, f"{case.key}: {rule} is not in docs/rules.md"


def test_the_funds_data_goes_with_each_situation(index: PopulationIndex) -> None:
    fund = fund_on(REFERENCE_DATE, index)

    def periods(key: str) -> list[tuple[dt.date, dt.date | None]]:
        return [(s.start, s.end) for s in fund.employment_periods(person_of(index, edge_case(key)).iin)]

    assert any(end is None and start <= REFERENCE_DATE for start, end in periods("employed"))
    assert max(end for _, end in periods("recently-dismissed") if end) == REFERENCE_DATE - ONE_DAY
    assert any(start > REFERENCE_DATE for start, _ in periods("contract-starts-later"))
    for key in ("ordinary-job-seeker", "woman-at-pension-age", "man-at-pension-age", "sentenced-after-reference-date"):
        assert all(end is not None and end < REFERENCE_DATE for _, end in periods(key)), key
        assert periods(key), f"{key} has a work history the fund knows"
    deceased = person_of(index, edge_case("deceased"))
    assert deceased.death is not None
    found, received = fund.contributions(deceased.iin)
    assert found and max(c.month for c in received) == dt.date(2026, 9, 1)  # October's is paid on 25 November
    _, later = fund_on(dt.date(2027, 3, 1), index).contributions(deceased.iin)
    assert max(c.month for c in later) == deceased.death.day.replace(day=1)  # nothing after the month he died
    imprisoned = person_of(index, edge_case("imprisoned"))
    assert imprisoned.imprisonment is not None
    assert all(end is not None and end < imprisoned.imprisonment.begin for _, end in periods("imprisoned"))
    assert periods("under-16") == [] and periods("turns-16-today") == [] and periods("senior-pupil") == []


def test_the_catalogue_view_says_where_it_holds(index: PopulationIndex) -> None:
    on_the_day = edge_case_catalogue(index, REFERENCE_DATE)
    assert on_the_day["referenceDate"] == on_the_day["today"] == "2026-11-23"
    assert [entry["key"] for entry in on_the_day["cases"]] == [case.key for case in EDGE_CASES]
    assert all(entry["inPopulation"] and entry["holdsOnReferenceDate"] for entry in on_the_day["cases"])
    assert all(entry["holdsToday"] for entry in on_the_day["cases"])
    woman = next(entry for entry in on_the_day["cases"] if entry["key"] == "woman-one-day-before-pension-age")
    assert (woman["ageToday"], woman["sex"], woman["exercises"]) == ("60 years 364 days", "F", ["UN-4 (3)", "PE-6"])
    a_week_later = edge_case_catalogue(index, REFERENCE_DATE + dt.timedelta(days=7))
    moved = {entry["key"] for entry in a_week_later["cases"] if not entry["holdsToday"]}
    assert moved == {
        "turns-16-today",
        "woman-one-day-before-pension-age",
        "woman-at-pension-age",
        "man-one-day-before-pension-age",
        "man-at-pension-age",
    }
    sentenced = next(entry for entry in a_week_later["cases"] if entry["key"] == "sentenced-after-reference-date")
    assert "imprisoned" not in sentenced["statusesToday"]
    after_the_sentence = edge_case_catalogue(index, dt.date(2026, 12, 7))
    sentenced = next(entry for entry in after_the_sentence["cases"] if entry["key"] == "sentenced-after-reference-date")
    assert "imprisoned" in sentenced["statusesToday"] and not sentenced["holdsToday"]


def test_an_unknown_key_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="turns-16-today"):
        edge_case("no-such-case")


def test_a_person_missing_from_the_population_is_reported() -> None:
    view = edge_case_catalogue(PopulationIndex(build_population()[:7]), REFERENCE_DATE)
    missing = [entry for entry in view["cases"] if not entry["inPopulation"]]
    assert missing and all("iin" not in entry for entry in missing)


def test_docs_list_the_catalogue_as_it_is(index: PopulationIndex) -> None:
    """docs/personas.md's catalogue table states each entry's key, person and rule ids as the code has them."""
    text = (RULES_DOC.parent / "personas.md").read_text(encoding="utf-8")
    for case in EDGE_CASES:
        person = person_of(index, case)
        row = f"| `{case.key}` | {person.iin} | {person.full_name} | {case.situation} | {', '.join(case.exercises)} |"
        assert row in text, f"docs/personas.md does not list {case.key} as {row}"
