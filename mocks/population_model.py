"""The shapes of the synthetic population (people, identity documents, addresses, employment spells) and
the small date helpers that build them; :mod:`mocks.population` builds the people."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from kernel.iin import make_bin
from mocks import population_tables as tables

POPULATION_AS_OF = date(2026, 11, 1)  # ages and document validity are judged on this day

DOCUMENT_IDENTITY_CARD = "002"  # the person registry's document type code
DOCUMENT_PASSPORT = "001"
ISSUER_INTERNAL_AFFAIRS = "002"  # the person registry's issuing body code
CITIZENSHIP_KAZAKHSTAN = "398"  # ISO 3166 numeric
GENDER_MALE = "1"
GENDER_FEMALE = "2"
DOCUMENT_VALIDITY_YEARS = 10
MIN_INCOME = 85_000  # minimum wage from 2024 (republican budget law 2024-2026; kernel/parameter_values.py)
MAX_INCOME = 900_000

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


def all_employers() -> tuple[Employer, ...]:
    return tuple(Employer(make_bin(registered, serial), name) for name, registered, serial in tables.EMPLOYERS)


# ---- date helpers ------------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    """Same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def month_end(day: date) -> date:
    return month_start(day.year, day.month + 1) - timedelta(days=1)


def random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def identity_card(number: str, issued_on: date) -> IdentityDocument:
    valid_until = add_years(issued_on, DOCUMENT_VALIDITY_YEARS) - timedelta(days=1)
    return IdentityDocument(DOCUMENT_IDENTITY_CARD, number, issued_on, valid_until)
