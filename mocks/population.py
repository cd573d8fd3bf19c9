"""The synthetic population shared by the person registry mock and the social fund mock.

Both mocks read the same people from ``build_population`` so that what the person
registry says about someone (``wsdl/xsd/gbdfl-person.xsd``: names, birth date, gender,
nationality, citizenship, registered address, identity document) agrees with
what the social fund knows (their employment spells and income, from which
contributions follow: Social Code Art. 244 p.1 and Art. 245 p.1).

The population is deterministic (``random.Random(seed)``). It begins with seven
named personas whose facts do not depend on the seed (their IINs are the
``PERSONA_*`` constants), then one generated person whose identity document has
expired (persona ``"expired-document"``), then generated people aged 18-62 on
``POPULATION_AS_OF``. Every IIN follows the classic layout of §6 (birth date,
century/sex digit, serial, check digit) and is unique. Codes for nationality
are synthetic; the rest of the dictionaries use the codes of §4.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, timedelta

from kernel.iin import make_iin
from mocks import population_tables as tables
from mocks.personas import (
    PERSONA_CONTRACT_NEXT_MONTH,
    PERSONA_DISMISSED,
    PERSONA_EMPLOYED,
    PERSONA_EXPIRED_DOCUMENT,
    PERSONA_JOB_SEEKER,
    PERSONA_MINOR,
    PERSONA_PENSIONER,
    PERSONA_STUDENT,
    named_personas,
)
from mocks.population_model import (
    CITIZENSHIP_KAZAKHSTAN,
    GENDER_FEMALE,
    GENDER_MALE,
    MAX_INCOME,
    MIN_INCOME,
    POPULATION_AS_OF,
    Employer,
    EmploymentSpell,
    IdentityDocument,
    RegisteredAddress,
    Sex,
    SyntheticPerson,
    add_years,
    all_employers,
    identity_card,
    month_end,
    month_start,
    random_day,
)

__all__ = [
    "PERSONA_CONTRACT_NEXT_MONTH",
    "PERSONA_DISMISSED",
    "PERSONA_EMPLOYED",
    "PERSONA_EXPIRED_DOCUMENT",
    "PERSONA_JOB_SEEKER",
    "PERSONA_MINOR",
    "PERSONA_PENSIONER",
    "PERSONA_STUDENT",
    "POPULATION_AS_OF",
    "Employer",
    "EmploymentSpell",
    "IdentityDocument",
    "RegisteredAddress",
    "SyntheticPerson",
    "build_population",
    "find_by_persona",
    "find_person",
    "unknown_iin",
]


# ---- generated people --------------------------------------------------------------------------


def _patronymic(father: str, sex: Sex, kazakh_style: bool) -> str:
    """Russian-style (-ович/-овна, -евич/-евна) or Kazakh-style (-ұлы/-қызы) patronymic."""
    if kazakh_style:
        return father + ("ұлы" if sex == "M" else "қызы")
    if father.endswith(("й", "ь")):
        return father[:-1] + ("евич" if sex == "M" else "евна")
    return father + ("ович" if sex == "M" else "овна")


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


def _generated_person(
    rng: random.Random, used_iins: set[str], employers: tuple[Employer, ...], persona: str | None
) -> SyntheticPerson:
    sex: Sex = rng.choice(("M", "F"))
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

    # The expired-document person needs a card issued at 16 or later that ran out before 2026.
    age = rng.randint(30, 62) if persona == PERSONA_EXPIRED_DOCUMENT else rng.randint(18, 62)
    birth = random_day(
        rng, add_years(POPULATION_AS_OF, -(age + 1)) + timedelta(days=1), add_years(POPULATION_AS_OF, -age)
    )
    iin = make_iin(birth, sex, rng.randint(1000, 9999))
    while iin in used_iins:
        iin = make_iin(birth, sex, rng.randint(1000, 9999))
    used_iins.add(iin)

    city = rng.choice(sorted(tables.PLACES))
    region, districts, streets = tables.PLACES[city]
    flat = None if rng.random() < 0.25 else str(rng.randint(1, 240))
    address = RegisteredAddress(
        region, rng.choice(districts), city, rng.choice(streets), str(rng.randint(1, 180)), flat
    )

    number = f"0{rng.randint(10_000_000, 99_999_999)}"
    sixteenth = add_years(birth, 16)
    if persona == PERSONA_EXPIRED_DOCUMENT:  # valid ten years, ended before POPULATION_AS_OF
        issued = random_day(rng, max(sixteenth, date(2012, 1, 1)), date(2016, 6, 30))
    else:  # still valid at least until the end of 2027
        issued = random_day(rng, max(sixteenth, date(2018, 1, 1)), date(2026, 6, 30))
    code, name_ru, name_kz = nationality
    return SyntheticPerson(
        iin,
        surname,
        name,
        patronymic,
        eng_name,
        eng_surname,
        birth,
        GENDER_MALE if sex == "M" else GENDER_FEMALE,
        code,
        name_ru,
        name_kz,
        CITIZENSHIP_KAZAKHSTAN,
        address,
        identity_card(number, issued),
        _employment(rng, birth, employers),
        persona,
    )


def build_population(seed: int = 2026, size: int = 40) -> tuple[SyntheticPerson, ...]:
    """The seven named personas, one person with an expired document, then generated people.

    Deterministic for a given ``seed``; ``size`` is the total number of people (at least 6).
    """
    employers = all_employers()
    personas = named_personas(employers)
    if size < len(personas) + 1:
        raise ValueError(f"size must be at least {len(personas) + 1} (the personas), got {size}")
    rng = random.Random(seed)
    used = {person.iin for person in personas}
    generated = [_generated_person(rng, used, employers, PERSONA_EXPIRED_DOCUMENT)]
    generated += [_generated_person(rng, used, employers, None) for _ in range(size - len(personas) - 1)]
    return (*personas, *generated)


def find_person(population: Iterable[SyntheticPerson], iin: str) -> SyntheticPerson | None:
    """The person with this IIN, or None."""
    return next((person for person in population if person.iin == iin), None)


def find_by_persona(population: Iterable[SyntheticPerson], persona: str) -> SyntheticPerson | None:
    """The first person labelled with ``persona`` (e.g. ``"expired-document"``), or None."""
    return next((person for person in population if person.persona == persona), None)


def unknown_iin(population: Iterable[SyntheticPerson]) -> str:
    """A valid IIN (check digit correct) that nobody in ``population`` has; deterministic."""
    taken = {person.iin for person in population}
    for serial in range(10_000):
        candidate = make_iin(date(1990, 1, 1), "M", serial)
        if candidate not in taken:
            return candidate
    raise ValueError("every IIN of 1990-01-01 is taken; cannot find an unknown IIN")  # pragma: no cover
