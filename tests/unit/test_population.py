"""The synthetic population shared by the person registry and social fund mocks: deterministic, valid,
unique, with the named personas' facts fixed and the statuses of a real population."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from kernel.iin import is_valid_iin
from mocks.edge_case_people import (
    PERSONA_DECEASED,
    PERSONA_IMPRISONED,
    PERSONA_INCAPABLE,
    PERSONA_MISSING,
    PERSONA_NO_ADDRESS,
    PERSONA_SENIOR_PUPIL,
    PERSONA_SENTENCED_LATER,
    REFERENCE_DATE,
)
from mocks.population import (
    DEFAULT_SEED,
    KEYED_PEOPLE,
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
    fixed_people,
    unknown_iin,
)
from mocks.population_model import (
    DECEASED,
    IMPRISONED,
    INCAPABLE,
    LIVING,
    MISSING,
    PUPIL,
    STUDENT,
    age_on,
)
from mocks.population_tables import PLACES

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
FIXED = len(fixed_people()) + 1  # with the generated person whose document expired
FULL = 10_000


@pytest.fixture(scope="module")
def everyone() -> tuple[SyntheticPerson, ...]:
    return build_population(DEFAULT_SEED, FULL)


def person(iin: str) -> SyntheticPerson:
    found = find_person(build_population(), iin)
    assert found is not None
    return found


# ---- determinism, size, order --------------------------------------------------------------------


def test_population_is_deterministic() -> None:
    assert build_population() == build_population()
    assert build_population(seed=7, size=25) == build_population.__wrapped__(seed=7, size=25)
    assert build_population(seed=7) != build_population(seed=8)


def test_a_smaller_population_is_the_beginning_of_a_larger_one(everyone: tuple[SyntheticPerson, ...]) -> None:
    assert everyone[:KEYED_PEOPLE] == build_population()
    assert everyone[:500] == build_population(DEFAULT_SEED, 500)


def test_size_and_order(everyone: tuple[SyntheticPerson, ...]) -> None:
    assert len(build_population()) == KEYED_PEOPLE == 40
    assert len(everyone) == FULL
    assert tuple(p.iin for p in everyone[:NAMED]) == PERSONA_IINS
    assert everyone[NAMED].persona == PERSONA_EXPIRED_DOCUMENT
    assert everyone[NAMED].iin == "650829382264"  # the documented expired-document person stays who he was
    assert everyone[NAMED + 1 : FIXED] == fixed_people()[NAMED:]
    assert all(p.persona is None for p in everyone[FIXED:])


@pytest.mark.parametrize("seed", [1, 2026, 99])
def test_fixed_people_do_not_depend_on_the_seed(seed: int) -> None:
    population = build_population(seed=seed)
    assert population[:NAMED] == build_population()[:NAMED]
    assert population[NAMED + 1 : FIXED] == build_population()[NAMED + 1 : FIXED]


def test_too_small_size_is_refused() -> None:
    with pytest.raises(ValueError, match=f"at least {FIXED}"):
        build_population(size=FIXED - 1)
    assert len(build_population(size=FIXED)) == FIXED


# ---- identity: IINs, names, documents, addresses -------------------------------------------------


@pytest.mark.parametrize("seed", [2026, 3])
def test_iins_valid_unique_and_consistent_with_birth_and_sex(seed: int) -> None:
    population = build_population(seed=seed, size=3000)
    iins = [p.iin for p in population]
    assert len(set(iins)) == len(iins)
    for p in population:
        assert is_valid_iin(p.iin), p.iin
        assert p.iin[:6] == p.birth_date.strftime("%y%m%d")
        century_base = {1900: 3, 2000: 5}[p.birth_date.year // 100 * 100]
        assert int(p.iin[6]) == century_base + (0 if p.gender == "1" else 1)


def test_document_numbers_are_unique_and_well_formed(everyone: tuple[SyntheticPerson, ...]) -> None:
    numbers = [document.number for p in everyone for document in p.documents]
    assert len(set(numbers)) == len(numbers)
    for p in everyone:
        for document in p.documents:
            assert len(document.number) == 9 and document.number.isdigit()
            assert document.type_code in ("001", "002")
            assert p.birth_date <= document.issued_on < document.valid_until
        if p.document.type_code == "002":  # an identity card is issued from 16
            assert age_on(p.birth_date, p.document.issued_on) >= 16, p.iin


def test_children_hold_a_passport_adults_an_identity_card(everyone: tuple[SyntheticPerson, ...]) -> None:
    generated = everyone[FIXED:]
    for p in generated:
        expected = "001" if age_on(p.birth_date, POPULATION_AS_OF) < 16 else "002"
        assert p.document.type_code == expected, p.iin


def test_kazakh_and_russian_names_both_sexes(everyone: tuple[SyntheticPerson, ...]) -> None:
    generated = everyone[FIXED:]
    nationalities = Counter(p.nationality_name_ru for p in generated)
    assert set(nationalities) == {"КАЗАХ", "РУССКИЙ"}
    assert 0.65 < nationalities["КАЗАХ"] / len(generated) < 0.75
    assert 0.45 < sum(p.gender == "1" for p in generated) / len(generated) < 0.55
    women = [p for p in generated if p.gender == "2"]
    assert all(p.surname.endswith("а") for p in women)
    assert any(p.patronymic and p.patronymic.endswith("қызы") for p in women)
    assert all(p.citizenship_code == "398" for p in everyone)


def test_addresses_are_real_places_by_region_and_district(everyone: tuple[SyntheticPerson, ...]) -> None:
    cities = Counter(p.address.city for p in everyone if p.address is not None)
    assert set(cities) == set(PLACES)
    for p in everyone:
        if p.address is not None:
            region, districts, streets = PLACES[p.address.city]
            assert (p.address.region, p.address.district in districts, p.address.street in streets) == (
                region,
                True,
                True,
            )
    assert 0.005 < sum(p.address is None for p in everyone) / FULL < 0.02


def test_full_name() -> None:
    assert person(PERSONA_JOB_SEEKER).full_name == "Сулейменова Жанар Ерлановна"
    without_patronymic = next(p for p in build_population(size=200) if p.patronymic is None)
    assert without_patronymic.full_name == f"{without_patronymic.surname} {without_patronymic.name}"


# ---- ages and statuses ---------------------------------------------------------------------------


def test_every_age_from_newborn_to_ninety(everyone: tuple[SyntheticPerson, ...]) -> None:
    ages = [age_on(p.birth_date, POPULATION_AS_OF) for p in everyone[FIXED:]]
    assert min(ages) == 0 and max(ages) == 90
    assert 0.15 < sum(age < 16 for age in ages) / len(ages) < 0.21
    assert 0.09 < sum(age >= 65 for age in ages) / len(ages) < 0.15


def test_status_distribution(everyone: tuple[SyntheticPerson, ...]) -> None:
    counts = Counter(status for p in everyone for status in p.statuses_on(REFERENCE_DATE))
    assert counts[LIVING] + counts[DECEASED] == FULL
    assert 0.005 < counts[DECEASED] / FULL < 0.03
    assert 0.0005 < counts[IMPRISONED] / FULL < 0.006
    assert 0.001 < counts[INCAPABLE] / FULL < 0.008
    assert 0 < counts[MISSING] / FULL < 0.003
    assert 0.08 < counts[PUPIL] / FULL < 0.16
    assert 0.015 < counts[STUDENT] / FULL < 0.06
    assert 0.01 < sum(p.document.valid_until < REFERENCE_DATE for p in everyone) / FULL < 0.05


def test_statuses_are_consistent(everyone: tuple[SyntheticPerson, ...]) -> None:
    for p in everyone:
        if p.death is not None:
            assert p.birth_date < p.death.day <= REFERENCE_DATE
            assert p.education is None and p.imprisonment is None
            assert all(spell.end is not None and spell.end <= p.death.day for spell in p.employment), p.iin
        for status in (p.imprisonment, p.incapacity, p.missing):
            if status is not None:
                assert age_on(p.birth_date, status.begin) >= 18, p.iin
                assert status.end is None or status.begin < status.end
                # nobody works past the day a sentence, a court or a prosecutor stopped it
                assert all(spell.start < status.begin for spell in p.employment), p.iin
        if p.education is not None:
            assert p.education.begin < p.education.expected_end
            if p.education.level == "general-school":
                assert p.education.grade == min(age_on(p.birth_date, POPULATION_AS_OF) - 6, 11) or p.persona


def test_statuses_are_known_from_their_day_on() -> None:
    sentenced = person(PERSONA_SENTENCED_LATER)
    assert sentenced.imprisonment is not None
    the_day = sentenced.imprisonment.begin
    assert IMPRISONED not in sentenced.statuses_on(REFERENCE_DATE)
    assert sentenced.known_on(REFERENCE_DATE)[1] is None
    assert IMPRISONED in sentenced.statuses_on(the_day)
    deceased = person(PERSONA_DECEASED)
    assert deceased.statuses_on(date(2026, 10, 13)) == {LIVING}
    assert deceased.statuses_on(date(2026, 10, 14)) == {DECEASED}


@pytest.mark.parametrize(
    ("iin", "statuses"),
    [
        (PERSONA_DECEASED, {DECEASED}),
        (PERSONA_IMPRISONED, {LIVING, IMPRISONED}),
        (PERSONA_MISSING, {LIVING, MISSING}),
        (PERSONA_INCAPABLE, {LIVING, INCAPABLE}),
        (PERSONA_STUDENT, {LIVING, STUDENT}),
        (PERSONA_SENIOR_PUPIL, {LIVING, PUPIL}),
        (PERSONA_JOB_SEEKER, {LIVING}),
        (PERSONA_NO_ADDRESS, {LIVING}),
    ],
)
def test_the_status_people_on_the_reference_date(iin: str, statuses: set[str]) -> None:
    assert person(iin).statuses_on(REFERENCE_DATE) == statuses


# ---- employment ----------------------------------------------------------------------------------


def test_generated_employment(everyone: tuple[SyntheticPerson, ...]) -> None:
    generated = everyone[FIXED:]
    working_age = [p for p in generated if 25 <= age_on(p.birth_date, POPULATION_AS_OF) <= 55 and p.death is None]
    open_, ended, none = 0, 0, 0
    for p in generated:
        for spell in p.employment:
            assert 85_000 <= spell.monthly_income <= 900_000
            assert spell.end is None or spell.start <= spell.end
            assert is_valid_iin(spell.employer.bin)
            assert age_on(p.birth_date, spell.start) >= 18, p.iin
            assert age_on(p.birth_date, spell.end or POPULATION_AS_OF) < 64, p.iin
        for earlier, later in zip(p.employment, p.employment[1:], strict=False):
            assert earlier.end is not None and earlier.end < later.start
    for p in working_age:
        if not p.employment:
            none += 1
        elif p.employment[-1].end is None:
            open_ += 1
        else:
            ended += 1
    assert 0.35 < open_ / len(working_age) < 0.6
    assert 0.25 < ended / len(working_age) < 0.45
    assert 0 < none < len(working_age) / 4
    assert not any(p.employment for p in generated if age_on(p.birth_date, POPULATION_AS_OF) < 18)


# ---- the named personas (their facts never change) -----------------------------------------------


def test_job_seeker() -> None:
    p = person(PERSONA_JOB_SEEKER)
    assert p.address is not None
    assert (p.birth_date, p.gender, p.address.city) == (date(1992, 3, 14), "2", "Астана")
    assert p.persona == "job-seeker"
    assert len(p.employment) == 1
    spell = p.employment[0]
    assert (spell.start, spell.end, spell.monthly_income) == (date(2019, 2, 1), date(2026, 7, 31), 420_000)
    assert p.document.is_valid_on(LATE_2026)
    assert p.citizenship_code == "398"


def test_minor() -> None:
    p = person(PERSONA_MINOR)
    assert p.address is not None
    assert (p.birth_date, p.gender, p.address.city) == (date(2012, 5, 14), "1", "Караганда")
    assert age_on(p.birth_date, LATE_2026) == 14
    assert p.employment == ()


def test_employed() -> None:
    p = person(PERSONA_EMPLOYED)
    assert p.address is not None
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
    assert p.education is not None and (p.education.level, p.education.full_time) == ("higher", True)


def test_dismissed_the_day_before_the_demo_monday() -> None:
    p = person(PERSONA_DISMISSED)
    assert [(s.start, s.end) for s in p.employment] == [(date(2022, 3, 1), date(2026, 11, 22))]


def test_contract_starting_next_month() -> None:
    p = person(PERSONA_CONTRACT_NEXT_MONTH)
    assert [(s.start, s.end) for s in p.employment] == [
        (date(2020, 9, 1), date(2026, 5, 31)),
        (date(2026, 12, 1), None),
    ]


def test_the_expired_document_person() -> None:
    expired = find_by_persona(build_population(), PERSONA_EXPIRED_DOCUMENT)
    assert expired is not None
    assert expired.document.valid_until < POPULATION_AS_OF


# ---- look-ups ------------------------------------------------------------------------------------


def test_unknown_iin_is_valid_absent_and_deterministic(everyone: tuple[SyntheticPerson, ...]) -> None:
    iin = unknown_iin(build_population())
    assert is_valid_iin(iin)
    assert unknown_iin(build_population()) == iin
    assert iin not in {p.iin for p in everyone}  # nobody in the registry's whole population either


def test_find_person() -> None:
    population = build_population()
    assert find_person(population, PERSONA_STUDENT) is population[4]
    assert find_person(population, "000000000000") is None
