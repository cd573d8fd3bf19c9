"""The random draws that make one generated person of the synthetic population (:mod:`mocks.population`):
names, birth date and IIN, address, documents, employment, statuses and place of study, at the rates of
:data:`RATES`. Every draw comes from the one ``random.Random`` the population is built with, in a fixed
order, so the population is deterministic for its seed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from kernel.iin import make_iin
from mocks import population_tables as tables
from mocks.personas import PERSONA_EXPIRED_DOCUMENT
from mocks.population_model import (
    CITIZENSHIP_KAZAKHSTAN,
    GENDER_FEMALE,
    GENDER_MALE,
    MAX_INCOME,
    MIN_INCOME,
    POPULATION_AS_OF,
    CourtStatus,
    Death,
    Education,
    Employer,
    EmploymentSpell,
    IdentityDocument,
    RegisteredAddress,
    Sex,
    SyntheticPerson,
    add_years,
    identity_card,
    month_end,
    month_start,
    passport,
    random_day,
)

__all__ = ["RATES", "expired_document_person", "generated_person"]

# Shares of the generated people (each drawn independently; the statuses only among the living adults).
RATES = {
    "child": 0.18,  # aged 0-15
    "elderly": 0.12,  # aged 65-90
    "no_address": 0.01,
    "expired_document": 0.03,  # of those aged 26 or more
    "passport": 0.15,  # a passport besides the identity card
    "imprisoned": 0.005,
    "incapable": 0.004,
    "missing": 0.001,
    "student": 0.35,  # of those aged 18-23
}
DEATH_RATE_BY_AGE = ((50, 0.004), (70, 0.02), (200, 0.08))  # (below this age, share deceased)
SCHOOL_YEAR = (date(2026, 9, 1), date(2027, 5, 25))
LAST_STATUS_DAY = date(2026, 10, 31)  # statuses of generated people begin by this day
NO_STATUS: tuple[None, None, None, None, None] = (None, None, None, None, None)


# ---- names, places, documents ------------------------------------------------------------------


def _patronymic(father: str, sex: Sex, kazakh_style: bool) -> str:
    """Russian-style (-ович/-овна, -евич/-евна) or Kazakh-style (-ұлы/-қызы) patronymic."""
    if kazakh_style:
        return father + ("ұлы" if sex == "M" else "қызы")
    if father.endswith(("й", "ь")):
        return father[:-1] + ("евич" if sex == "M" else "евна")
    return father + ("ович" if sex == "M" else "овна")


def _names(rng: random.Random, sex: Sex) -> tuple[tuple[str, str, str | None, str, str], tables.Nationality]:
    """((surname, name, patronymic, Latin name, Latin surname), nationality): Kazakh 70 %, Russian 30 %."""
    kazakh = rng.random() < 0.7
    if kazakh:
        first_names = tables.KAZAKH_MALE if sex == "M" else tables.KAZAKH_FEMALE
        surnames, fathers, nationality = tables.KAZAKH_SURNAMES, tables.KAZAKH_MALE, tables.KAZAKH
    else:
        first_names = tables.RUSSIAN_MALE if sex == "M" else tables.RUSSIAN_FEMALE
        surnames, fathers, nationality = tables.RUSSIAN_SURNAMES, tables.RUSSIAN_MALE, tables.RUSSIAN
    name, eng_name = rng.choice(first_names)
    surname, eng_surname = rng.choice(surnames)
    if sex == "F":
        surname, eng_surname = surname + "а", eng_surname + "A"
    father = rng.choice(fathers)[0]
    patronymic = None if rng.random() < 0.1 else _patronymic(father, sex, kazakh and rng.random() < 0.2)
    return (surname, name, patronymic, eng_name, eng_surname), nationality


def _birth_and_iin(rng: random.Random, used_iins: set[str], age: int, sex: Sex) -> tuple[date, str]:
    birth = random_day(
        rng, add_years(POPULATION_AS_OF, -(age + 1)) + timedelta(days=1), add_years(POPULATION_AS_OF, -age)
    )
    iin = make_iin(birth, sex, rng.randint(1000, 9999))
    while iin in used_iins:
        iin = make_iin(birth, sex, rng.randint(1000, 9999))
    used_iins.add(iin)
    return birth, iin


CITIES = tuple(sorted(tables.PLACES))


def _address(rng: random.Random) -> RegisteredAddress:
    city = rng.choice(CITIES)
    region, districts, streets = tables.PLACES[city]
    flat = None if rng.random() < 0.25 else str(rng.randint(1, 240))
    return RegisteredAddress(region, rng.choice(districts), city, rng.choice(streets), str(rng.randint(1, 180)), flat)


def _document_number(rng: random.Random, used_numbers: set[str]) -> str:
    number = f"0{rng.randint(10_000_000, 99_999_999)}"
    while number in used_numbers:
        number = f"0{rng.randint(10_000_000, 99_999_999)}"
    used_numbers.add(number)
    return number


# ---- the person with an expired document (the first generated person; its draws are kept as they were) ----


def _employment(rng: random.Random, birth: date, employers: tuple[Employer, ...]) -> tuple[EmploymentSpell, ...]:
    """About half with an open spell, a third whose last spell ended, the rest never employed."""
    earliest = max(month_start(birth.year + 18, birth.month + 1), date(2005, 1, 1))
    latest = date(2026, 6, 1)
    kind = rng.random()
    if kind >= 0.85 or earliest > latest:
        return ()

    def income() -> int:
        return rng.randrange(MIN_INCOME, MAX_INCOME + 1, 500)

    first_start = random_day(rng, earliest, latest).replace(day=1)
    if kind < 0.5:  # open spell, sometimes after an ended one
        spells: list[EmploymentSpell] = []
        if rng.random() < 0.4 and first_start < date(2022, 1, 1):
            switch = random_day(rng, first_start + timedelta(days=200), latest).replace(day=1)
            previous_end = switch - timedelta(days=1)
            spells.append(EmploymentSpell(rng.choice(employers), first_start, previous_end, income()))
            first_start = switch
        spells.append(EmploymentSpell(rng.choice(employers), first_start, None, income()))
        return tuple(spells)
    last_day = random_day(rng, max(first_start + timedelta(days=90), date(2023, 1, 1)), date(2026, 9, 30))
    end = month_end(last_day)
    return (EmploymentSpell(rng.choice(employers), first_start, end, income()),)


def expired_document_person(
    rng: random.Random, used_iins: set[str], used_numbers: set[str], employers: tuple[Employer, ...]
) -> SyntheticPerson:
    """A person aged 30-62 whose identity card (issued at 16 or later) ran out before 2026."""
    sex: Sex = rng.choice(("M", "F"))
    names, nationality = _names(rng, sex)
    birth, iin = _birth_and_iin(rng, used_iins, rng.randint(30, 62), sex)
    address = _address(rng)
    number = f"0{rng.randint(10_000_000, 99_999_999)}"
    used_numbers.add(number)
    issued = random_day(rng, max(add_years(birth, 16), date(2012, 1, 1)), date(2016, 6, 30))
    employment = _employment(rng, birth, employers)
    documents = (identity_card(number, issued), ())
    return _assemble(
        iin, names, nationality, birth, sex, address, documents, employment, PERSONA_EXPIRED_DOCUMENT, NO_STATUS
    )


def _assemble(
    iin: str,
    names: tuple[str, str, str | None, str, str],
    nationality: tables.Nationality,
    birth: date,
    sex: Sex,
    address: RegisteredAddress | None,
    documents: tuple[IdentityDocument, tuple[IdentityDocument, ...]],
    employment: tuple[EmploymentSpell, ...],
    persona: str | None,
    statuses: tuple[Death | None, CourtStatus | None, CourtStatus | None, CourtStatus | None, Education | None],
) -> SyntheticPerson:
    """The person from their parts; ``statuses`` are (death, imprisonment, incapacity, missing, education)."""
    surname, name, patronymic, eng_name, eng_surname = names
    code, name_ru, name_kz = nationality
    death, imprisonment, incapacity, missing, education = statuses
    return SyntheticPerson(
        iin=iin,
        surname=surname,
        name=name,
        patronymic=patronymic,
        eng_first_name=eng_name,
        eng_surname=eng_surname,
        birth_date=birth,
        gender=GENDER_MALE if sex == "M" else GENDER_FEMALE,
        nationality_code=code,
        nationality_name_ru=name_ru,
        nationality_name_kz=name_kz,
        citizenship_code=CITIZENSHIP_KAZAKHSTAN,
        address=address,
        document=documents[0],
        employment=employment,
        persona=persona,
        other_documents=documents[1],
        death=death,
        imprisonment=imprisonment,
        incapacity=incapacity,
        missing=missing,
        education=education,
    )


# ---- generated people of every age --------------------------------------------------------------


def _age(rng: random.Random) -> int:
    draw = rng.random()
    if draw < RATES["child"]:
        return rng.randint(0, 15)
    if draw < RATES["child"] + RATES["elderly"]:
        return rng.randint(65, 90)
    return rng.randint(16, 64)


def _documents(
    rng: random.Random, used_numbers: set[str], birth: date, age: int
) -> tuple[IdentityDocument, tuple[IdentityDocument, ...]]:
    """A child's passport, or an identity card (from 16; ten years' validity) and sometimes a passport too."""
    if age < 16:
        return passport(_document_number(rng, used_numbers), random_day(rng, birth, POPULATION_AS_OF)), ()
    sixteenth = add_years(birth, 16)
    valid_from = POPULATION_AS_OF - timedelta(days=3650)  # issued after this, the card is still valid
    if age >= 26 and rng.random() < RATES["expired_document"]:
        issued = random_day(rng, max(sixteenth, valid_from - timedelta(days=3650)), valid_from - timedelta(days=30))
    else:
        issued = random_day(rng, max(sixteenth, valid_from + timedelta(days=1)), POPULATION_AS_OF)
    card = identity_card(_document_number(rng, used_numbers), issued)
    if rng.random() >= RATES["passport"]:
        return card, ()
    return card, (passport(_document_number(rng, used_numbers), random_day(rng, date(2016, 1, 1), POPULATION_AS_OF)),)


def _until(spells: tuple[EmploymentSpell, ...], last_day: date) -> tuple[EmploymentSpell, ...]:
    """The spells as they stand when work stops on ``last_day`` (a death, a sentence, a court's declaration)."""
    kept = []
    for spell in spells:
        if spell.start > last_day:
            continue
        end = last_day if spell.end is None or spell.end > last_day else spell.end
        kept.append(EmploymentSpell(spell.employer, spell.start, end, spell.monthly_income))
    return tuple(kept)


def _court_status(rng: random.Random, first: date, authority: str, prefix: str, years: int | None) -> CourtStatus:
    """A status that began between ``first`` and :data:`LAST_STATUS_DAY`, lasting 1..``years`` (None: open)."""
    begin = random_day(rng, min(first, LAST_STATUS_DAY), LAST_STATUS_DAY)
    end = add_years(begin, rng.randint(1, years)) - timedelta(days=1) if years else None
    return CourtStatus(begin, end, f"{prefix}-{rng.randint(100, 9999)}/{begin.year}", authority)


def _education(rng: random.Random, birth: date, age: int, city: str) -> Education | None:
    """Pupils of a general school at 7-17 (some 16-17-year-olds at a college instead); students at 18-23."""
    universities, colleges = tables.INSTITUTIONS[city]
    if 7 <= age <= 17:
        grade = min(age - 6, 11)
        if grade >= 10 and rng.random() < 0.25:
            begin = date(2026 - (grade - 10), 9, 1)
            return Education("technical-vocational", rng.choice(colleges), begin, date(begin.year + 3, 6, 30))
        school = f"{city}, общеобразовательная школа № {rng.randint(1, 120)}"
        return Education("general-school", school, *SCHOOL_YEAR, grade=grade)
    if 18 <= age <= 23 and rng.random() < RATES["student"]:
        year_of_study = rng.randint(1, min(4, age - 17))
        begin = date(2026 - (year_of_study - 1), 9, 1)
        if rng.random() < 0.6:
            return Education("higher", rng.choice(universities), begin, date(begin.year + 4, 6, 30))
        return Education("technical-vocational", rng.choice(colleges), begin, date(begin.year + 3, 6, 30))
    return None


def generated_person(
    rng: random.Random, used_iins: set[str], used_numbers: set[str], employers: tuple[Employer, ...]
) -> SyntheticPerson:
    sex: Sex = rng.choice(("M", "F"))
    names, nationality = _names(rng, sex)
    age = _age(rng)
    birth, iin = _birth_and_iin(rng, used_iins, age, sex)
    home = _address(rng)
    city = home.city
    documents = _documents(rng, used_numbers, birth, age)
    employment = _employment(rng, birth, employers)
    if age >= 64:  # work stopped at 63 (Social Code Art. 207 p.1: the men's general pension age)
        employment = _until(employment, add_years(birth, 63) - timedelta(days=1))
    court, prosecutor, civil_registry = tables.AUTHORITIES[city]
    death = imprisonment = incapacity = missing = None
    death_rate = next(rate for below, rate in DEATH_RATE_BY_AGE if age < below)
    if rng.random() < death_rate:
        day = random_day(rng, min(max(birth + timedelta(days=1), date(2016, 1, 1)), LAST_STATUS_DAY), LAST_STATUS_DAY)
        death = Death(day, str(rng.randint(1_000_000_000, 9_999_999_999)), civil_registry)
        employment = _until(employment, day)
    elif age >= 18:
        adult = max(add_years(birth, 18), date(2016, 1, 1))
        if rng.random() < RATES["imprisoned"]:
            imprisonment = _court_status(rng, adult, court, "1", 10)
            employment = _until(employment, imprisonment.begin - timedelta(days=1))
        if rng.random() < RATES["incapable"]:
            incapacity = _court_status(rng, adult, court, "2", None)
            employment = _until(employment, incapacity.begin - timedelta(days=1))
        if rng.random() < RATES["missing"]:
            missing = _court_status(rng, adult, prosecutor, "ПР", None)
            employment = _until(employment, missing.begin - timedelta(days=1))
    education = _education(rng, birth, age, city) if death is None else None
    address = None if rng.random() < RATES["no_address"] else home
    statuses = (death, imprisonment, incapacity, missing, education)
    return _assemble(iin, names, nationality, birth, sex, address, documents, employment, None, statuses)
