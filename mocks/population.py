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
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from kernel.iin import make_bin, make_iin
from mocks import population_tables as tables

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

# IINs of the named personas: make_iin(birth date, sex, serial) with the facts below.
PERSONA_JOB_SEEKER = "920314403019"  # woman, 1992-03-14, Astana; last job ended 2026-07-31
PERSONA_MINOR = "120514504024"  # boy, 2012-05-14, Karaganda; 14 years old in 2026
PERSONA_EMPLOYED = "850902305172"  # man, 1985-09-02, Almaty; employed since 2021-04-01
PERSONA_PENSIONER = "600110301291"  # man, 1960-01-10, Shymkent; employment ended 2023-01-31
PERSONA_STUDENT = "060901602639"  # woman, 2006-09-01, Almaty; never employed
PERSONA_DISMISSED = "900618330773"  # man, 1990-06-18, Karaganda; labour contract ended 2026-11-22
PERSONA_CONTRACT_NEXT_MONTH = "950207444191"  # woman, 1995-02-07, Almaty; new contract from 2026-12-01
# Label (not an IIN) of the generated person whose identity document has expired.
PERSONA_EXPIRED_DOCUMENT = "expired-document"

POPULATION_AS_OF = date(2026, 11, 1)  # ages and document validity are judged on this day

DOCUMENT_IDENTITY_CARD = "002"  # the person registry's document type code
DOCUMENT_PASSPORT = "001"
ISSUER_INTERNAL_AFFAIRS = "002"  # the person registry's issuing body code
CITIZENSHIP_KAZAKHSTAN = "398"  # ISO 3166 numeric
GENDER_MALE = "1"
GENDER_FEMALE = "2"
DOCUMENT_VALIDITY_YEARS = 10
_MIN_INCOME = 85_000  # minimum wage from 2024 (republican budget law 2024-2026; kernel/parameter_values.py)
_MAX_INCOME = 900_000

Sex = Literal["M", "F"]


@dataclass(frozen=True)
class Employer:
    bin: str
    name: str


@dataclass(frozen=True)
class EmploymentSpell:
    """A period of work; ``end`` is None while it lasts. Income is monthly, in tenge."""

    employer: Employer
    start: date
    end: date | None
    monthly_income: int

    def is_open(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class IdentityDocument:
    type_code: str  # '002' identity card, '001' passport
    number: str  # 9 digits
    issued_on: date
    valid_until: date
    issuer_code: str = ISSUER_INTERNAL_AFFAIRS

    def is_valid_on(self, day: date) -> bool:
        return self.issued_on <= day <= self.valid_until


@dataclass(frozen=True)
class RegisteredAddress:
    region: str
    district: str
    city: str
    street: str
    building: str
    flat: str | None


@dataclass(frozen=True)
class SyntheticPerson:
    iin: str
    surname: str
    name: str
    patronymic: str | None
    eng_first_name: str
    eng_surname: str
    birth_date: date
    gender: str  # '1' male, '2' female
    nationality_code: str
    nationality_name_ru: str
    nationality_name_kz: str
    citizenship_code: str
    address: RegisteredAddress
    document: IdentityDocument
    employment: tuple[EmploymentSpell, ...]
    persona: str | None

    @property
    def full_name(self) -> str:
        """ "Surname Name Patronymic", without the patronymic when there is none."""
        return " ".join(part for part in (self.surname, self.name, self.patronymic) if part)


def _employers() -> tuple[Employer, ...]:
    return tuple(Employer(make_bin(registered, serial), name) for name, registered, serial in tables.EMPLOYERS)


# ---- date helpers ------------------------------------------------------------------------------


def _add_years(day: date, years: int) -> date:
    """Same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _month_end(day: date) -> date:
    return _month_start(day.year, day.month + 1) - timedelta(days=1)


def _random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _identity_card(number: str, issued_on: date) -> IdentityDocument:
    valid_until = _add_years(issued_on, DOCUMENT_VALIDITY_YEARS) - timedelta(days=1)
    return IdentityDocument(DOCUMENT_IDENTITY_CARD, number, issued_on, valid_until)


# ---- the named personas ------------------------------------------------------------------------


def _personas(employers: tuple[Employer, ...]) -> tuple[SyntheticPerson, ...]:
    """The seven named personas; nothing here depends on the seed."""
    logistics, energy, construction, agro = employers[0], employers[1], employers[2], employers[3]
    digital, retail = employers[6], employers[7]
    kazakh_code, kazakh_ru, kazakh_kz = tables.KAZAKH
    russian_code, russian_ru, russian_kz = tables.RUSSIAN
    job_seeker = SyntheticPerson(
        PERSONA_JOB_SEEKER,
        "Сулейменова",
        "Жанар",
        "Ерлановна",
        "ZHANAR",
        "SULEIMENOVA",
        date(1992, 3, 14),
        GENDER_FEMALE,
        kazakh_code,
        kazakh_ru,
        kazakh_kz,
        CITIZENSHIP_KAZAKHSTAN,
        RegisteredAddress("г. Астана", "Есильский район", "Астана", "проспект Мангилик Ел", "25", "114"),
        _identity_card("048812305", date(2021, 8, 10)),
        (EmploymentSpell(logistics, date(2019, 2, 1), date(2026, 7, 31), 420_000),),
        "job-seeker",
    )
    minor = SyntheticPerson(
        PERSONA_MINOR,
        "Ахметов",
        "Алихан",
        "Нурланович",
        "ALIKHAN",
        "AKHMETOV",
        date(2012, 5, 14),
        GENDER_MALE,
        kazakh_code,
        kazakh_ru,
        kazakh_kz,
        CITIZENSHIP_KAZAKHSTAN,
        RegisteredAddress(
            "Карагандинская область", "район имени Казыбек би", "Караганда", "проспект Бухар жырау", "52", "7"
        ),
        IdentityDocument(DOCUMENT_PASSPORT, "013570246", date(2023, 6, 15), date(2033, 6, 14)),
        (),
        "minor",
    )
    employed = SyntheticPerson(
        PERSONA_EMPLOYED,
        "Кузнецов",
        "Дмитрий",
        "Сергеевич",
        "DMITRII",
        "KUZNETSOV",
        date(1985, 9, 2),
        GENDER_MALE,
        russian_code,
        russian_ru,
        russian_kz,
        CITIZENSHIP_KAZAKHSTAN,
        RegisteredAddress("г. Алматы", "Бостандыкский район", "Алматы", "проспект Аль-Фараби", "77/2", "31"),
        _identity_card("039955120", date(2019, 11, 5)),
        (EmploymentSpell(energy, date(2021, 4, 1), None, 650_000),),
        "employed",
    )
    pensioner = SyntheticPerson(
        PERSONA_PENSIONER,
        "Омаров",
        "Марат",
        "Канатович",
        "MARAT",
        "OMAROV",
        date(1960, 1, 10),
        GENDER_MALE,
        kazakh_code,
        kazakh_ru,
        kazakh_kz,
        CITIZENSHIP_KAZAKHSTAN,
        RegisteredAddress("г. Шымкент", "Абайский район", "Шымкент", "проспект Тауке хана", "14", None),
        _identity_card("041207733", date(2020, 1, 20)),
        (EmploymentSpell(construction, date(2008, 3, 1), date(2023, 1, 31), 310_000),),
        "pensioner",
    )
    student = SyntheticPerson(
        PERSONA_STUDENT,
        "Касымова",
        "Айгерим",
        "Маратовна",
        "AIGERIM",
        "KASSYMOVA",
        date(2006, 9, 1),
        GENDER_FEMALE,
        kazakh_code,
        kazakh_ru,
        kazakh_kz,
        CITIZENSHIP_KAZAKHSTAN,
        RegisteredAddress("г. Алматы", "Алмалинский район", "Алматы", "улица Толе би", "101", "45"),
        _identity_card("052340918", date(2022, 9, 12)),
        (),
        "student",
    )
    dismissed = SyntheticPerson(
        PERSONA_DISMISSED,
        "Жумабаев",
        "Ержан",
        "Серикович",
        "YERZHAN",
        "ZHUMABAYEV",
        date(1990, 6, 18),
        GENDER_MALE,
        kazakh_code,
        kazakh_ru,
        kazakh_kz,
        CITIZENSHIP_KAZAKHSTAN,
        RegisteredAddress(
            "Карагандинская область", "район Алихана Бокейханова", "Караганда", "улица Ерубаева", "33", "12"
        ),
        _identity_card("044318207", date(2020, 7, 2)),
        # Dismissed the day before Monday 2026-11-23: contributions still arrive for October and November.
        (EmploymentSpell(agro, date(2022, 3, 1), date(2026, 11, 22), 380_000),),
        "dismissed-yesterday",
    )
    contract_next_month = SyntheticPerson(
        PERSONA_CONTRACT_NEXT_MONTH,
        "Искакова",
        "Мадина",
        "Бериковна",
        "MADINA",
        "ISKAKOVA",
        date(1995, 2, 7),
        GENDER_FEMALE,
        kazakh_code,
        kazakh_ru,
        kazakh_kz,
        CITIZENSHIP_KAZAKHSTAN,
        RegisteredAddress("г. Алматы", "Медеуский район", "Алматы", "проспект Достык", "48", "9"),
        _identity_card("051177364", date(2021, 3, 15)),
        (
            EmploymentSpell(digital, date(2020, 9, 1), date(2026, 5, 31), 510_000),
            EmploymentSpell(retail, date(2026, 12, 1), None, 460_000),  # signed, not yet in force
        ),
        "contract-next-month",
    )
    return job_seeker, minor, employed, pensioner, student, dismissed, contract_next_month


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
    earliest = max(_month_start(birth.year + 18, birth.month + 1), date(2005, 1, 1))
    latest = date(2026, 6, 1)
    kind = rng.random()
    if kind >= 0.85 or earliest > latest:
        return ()

    def income() -> int:
        return rng.randrange(_MIN_INCOME, _MAX_INCOME + 1, 500)

    first_start = _random_day(rng, earliest, latest).replace(day=1)
    if kind < 0.5:  # open spell, sometimes after an ended one
        spells: list[EmploymentSpell] = []
        if rng.random() < 0.4 and first_start < date(2022, 1, 1):
            switch = _random_day(rng, first_start + timedelta(days=200), latest).replace(day=1)
            previous_end = switch - timedelta(days=1)
            spells.append(EmploymentSpell(rng.choice(employers), first_start, previous_end, income()))
            first_start = switch
        spells.append(EmploymentSpell(rng.choice(employers), first_start, None, income()))
        return tuple(spells)
    last_day = _random_day(rng, max(first_start + timedelta(days=90), date(2023, 1, 1)), date(2026, 9, 30))
    end = _month_end(last_day)
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
    birth = _random_day(
        rng, _add_years(POPULATION_AS_OF, -(age + 1)) + timedelta(days=1), _add_years(POPULATION_AS_OF, -age)
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
    sixteenth = _add_years(birth, 16)
    if persona == PERSONA_EXPIRED_DOCUMENT:  # valid ten years, ended before POPULATION_AS_OF
        issued = _random_day(rng, max(sixteenth, date(2012, 1, 1)), date(2016, 6, 30))
    else:  # still valid at least until the end of 2027
        issued = _random_day(rng, max(sixteenth, date(2018, 1, 1)), date(2026, 6, 30))
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
        _identity_card(number, issued),
        _employment(rng, birth, employers),
        persona,
    )


def build_population(seed: int = 2026, size: int = 40) -> tuple[SyntheticPerson, ...]:
    """The seven named personas, one person with an expired document, then generated people.

    Deterministic for a given ``seed``; ``size`` is the total number of people (at least 6).
    """
    employers = _employers()
    personas = _personas(employers)
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
