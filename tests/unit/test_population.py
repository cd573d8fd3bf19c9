"""The synthetic population shared by the person registry and social fund mocks."""

from __future__ import annotations

from datetime import date

import pytest

from kernel.iin import is_valid_iin
from mocks.population import (
    PERSONA_CONTRACT_NEXT_MONTH,
    PERSONA_DISMISSED,
    PERSONA_EMPLOYED,
    PERSONA_EXPIRED_DOCUMENT,
    PERSONA_JOB_SEEKER,
    PERSONA_MINOR,
    PERSONA_PENSIONER,
    PERSONA_STUDENT,
    POPULATION_AS_OF,
    SyntheticPerson,
    build_population,
    find_by_persona,
    find_person,
    unknown_iin,
)

LATE_2026 = date(2026, 11, 30)
PERSONA_IINS = (
    PERSONA_JOB_SEEKER,
    PERSONA_MINOR,
    PERSONA_EMPLOYED,
    PERSONA_PENSIONER,
    PERSONA_STUDENT,
    PERSONA_DISMISSED,
    PERSONA_CONTRACT_NEXT_MONTH,
)
NAMED = len(PERSONA_IINS)


def age_on(person: SyntheticPerson, day: date) -> int:
    b = person.birth_date
    return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def person(iin: str) -> SyntheticPerson:
    found = find_person(build_population(), iin)
    assert found is not None
    return found


def test_population_is_deterministic() -> None:
    assert build_population() == build_population()
    assert build_population(seed=7, size=25) == build_population(seed=7, size=25)
    assert build_population(seed=7) != build_population(seed=8)


def test_size_and_order() -> None:
    population = build_population(size=40)
    assert len(population) == 40
    assert tuple(p.iin for p in population[:NAMED]) == PERSONA_IINS
    assert population[NAMED].persona == PERSONA_EXPIRED_DOCUMENT


@pytest.mark.parametrize("seed", [1, 2026, 99])
def test_personas_do_not_depend_on_the_seed(seed: int) -> None:
    assert build_population(seed=seed)[:NAMED] == build_population()[:NAMED]


def test_too_small_size_is_refused() -> None:
    with pytest.raises(ValueError, match=f"at least {NAMED + 1}"):
        build_population(size=NAMED)


@pytest.mark.parametrize("seed", [2026, 3, 11])
def test_iins_valid_unique_and_consistent_with_birth_and_sex(seed: int) -> None:
    population = build_population(seed=seed, size=120)
    iins = [p.iin for p in population]
    assert len(set(iins)) == len(iins)
    for p in population:
        assert is_valid_iin(p.iin), p.iin
        assert p.iin[:6] == p.birth_date.strftime("%y%m%d")
        century_base = {1900: 3, 2000: 5}[p.birth_date.year // 100 * 100]
        assert int(p.iin[6]) == century_base + (0 if p.gender == "1" else 1)


def test_job_seeker() -> None:
    p = person(PERSONA_JOB_SEEKER)
    assert (p.birth_date, p.gender, p.address.city) == (date(1992, 3, 14), "2", "Астана")
    assert p.persona == "job-seeker"
    assert len(p.employment) == 1
    spell = p.employment[0]
    assert (spell.start, spell.end, spell.monthly_income) == (date(2019, 2, 1), date(2026, 7, 31), 420_000)
    assert p.document.is_valid_on(LATE_2026)
    assert p.citizenship_code == "398"


def test_minor() -> None:
    p = person(PERSONA_MINOR)
    assert (p.birth_date, p.gender, p.address.city) == (date(2012, 5, 14), "1", "Караганда")
    assert age_on(p, LATE_2026) == 14
    assert p.employment == ()


def test_employed() -> None:
    p = person(PERSONA_EMPLOYED)
    assert (p.birth_date, p.gender, p.address.city) == (date(1985, 9, 2), "1", "Алматы")
    assert [(s.start, s.end, s.monthly_income) for s in p.employment] == [(date(2021, 4, 1), None, 650_000)]


def test_pensioner() -> None:
    p = person(PERSONA_PENSIONER)
    assert (p.birth_date, p.gender) == (date(1960, 1, 10), "1")
    assert max(s.end for s in p.employment if s.end is not None) == date(2023, 1, 31)
    assert all(s.end is not None for s in p.employment)


def test_student() -> None:
    p = person(PERSONA_STUDENT)
    assert (p.birth_date, p.gender) == (date(2006, 9, 1), "2")
    assert p.employment == ()


def test_dismissed_the_day_before_the_demo_monday() -> None:
    p = person(PERSONA_DISMISSED)
    assert [(s.start, s.end) for s in p.employment] == [(date(2022, 3, 1), date(2026, 11, 22))]


def test_contract_starting_next_month() -> None:
    p = person(PERSONA_CONTRACT_NEXT_MONTH)
    assert [(s.start, s.end) for s in p.employment] == [
        (date(2020, 9, 1), date(2026, 5, 31)),
        (date(2026, 12, 1), None),
    ]


def test_full_name() -> None:
    assert person(PERSONA_JOB_SEEKER).full_name == "Сулейменова Жанар Ерлановна"
    without_patronymic = next(p for p in build_population(size=200) if p.patronymic is None)
    assert without_patronymic.full_name == f"{without_patronymic.surname} {without_patronymic.name}"


def test_documents_valid_except_the_expired_one() -> None:
    population = build_population()
    expired = find_by_persona(population, PERSONA_EXPIRED_DOCUMENT)
    assert expired is not None
    assert expired.document.valid_until < POPULATION_AS_OF
    for p in population:
        assert len(p.document.number) == 9 and p.document.number.isdigit()
        assert p.document.type_code in ("001", "002")
        assert p.document.issued_on < p.document.valid_until
        if p is not expired:
            assert p.document.valid_until > LATE_2026, p.iin


def test_generated_people() -> None:
    generated = build_population(size=200)[NAMED:]
    assert all(18 <= age_on(p, POPULATION_AS_OF) <= 62 for p in generated)
    assert all(p.persona is None for p in generated[1:])
    open_, ended, none = 0, 0, 0
    for p in generated:
        for spell in p.employment:
            assert 85_000 <= spell.monthly_income <= 900_000
            assert spell.end is None or spell.start <= spell.end
            assert is_valid_iin(spell.employer.bin)
        for earlier, later in zip(p.employment, p.employment[1:], strict=False):
            assert earlier.end is not None and earlier.end < later.start
        if not p.employment:
            none += 1
        elif p.employment[-1].end is None:
            open_ += 1
        else:
            ended += 1
    assert 0.35 < open_ / len(generated) < 0.65
    assert ended > 20
    assert 0 < none < len(generated) / 4


def test_addresses_are_real_cities() -> None:
    cities = {p.address.city for p in build_population(size=200)}
    assert cities <= {
        "Астана",
        "Алматы",
        "Шымкент",
        "Караганда",
        "Актобе",
        "Павлодар",
        "Усть-Каменогорск",
        "Атырау",
        "Костанай",
    }
    assert len(cities) > 5


def test_unknown_iin_is_valid_absent_and_deterministic() -> None:
    population = build_population()
    iin = unknown_iin(population)
    assert is_valid_iin(iin)
    assert find_person(population, iin) is None
    assert unknown_iin(build_population()) == iin
    assert unknown_iin(population) not in {p.iin for p in population}


def test_find_person() -> None:
    population = build_population()
    assert find_person(population, PERSONA_STUDENT) is population[4]
    assert find_person(population, "000000000000") is None
