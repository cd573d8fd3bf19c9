"""The shapes of the synthetic population (people, identity documents, addresses, employment spells, the
statuses the person registry records) and the small date helpers that build them; :mod:`mocks.population`
builds the people.

Statuses are dated facts, so the registry answers what it knows on the day it is asked (the shared clock):
a death, a sentence, a court's declaration of incapacity or of a missing person, or a place of study whose
first day is after that day is not yet known; :meth:`SyntheticPerson.statuses_on` names them.
"""

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
EducationLevel = Literal["general-school", "technical-vocational", "higher"]

# The statuses :meth:`SyntheticPerson.statuses_on` names (docs/personas.md, "Statuses").
LIVING = "living"
DECEASED = "deceased"
IMPRISONED = "imprisoned"
MISSING = "missing"
INCAPABLE = "incapable"
STUDENT = "student"  # technical and vocational or higher education
PUPIL = "pupil"  # a general school
STATUSES = (LIVING, DECEASED, IMPRISONED, MISSING, INCAPABLE, STUDENT, PUPIL)
SENIOR_GRADES = (10, 11)  # the senior classes of a general school (UN-4 (5): "senior pupils")


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
class Death:
    """The registered death: the day, and the death certificate of the civil registry office."""

    day: date
    certificate_number: str
    registered_by: str


@dataclass(frozen=True)
class CourtStatus:
    """A status a court or prosecutor set (imprisonment, incapacity, a declaration of a missing person):
    from ``begin`` to ``end`` inclusive (None: open), by decision ``number`` of ``authority``."""

    begin: date
    end: date | None
    number: str
    authority: str

    def in_force_on(self, day: date) -> bool:
        return self.begin <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Education:
    """Where the person studies (an egov-sim flag: the real registry does not hold it; docs/contracts.md)."""

    level: EducationLevel
    institution: str
    begin: date
    expected_end: date
    grade: int | None = None  # the class at a general school (1..11)
    full_time: bool = True

    def in_force_on(self, day: date) -> bool:
        return self.begin <= day <= self.expected_end

    @property
    def senior_pupil(self) -> bool:
        return self.level == "general-school" and self.grade in SENIOR_GRADES


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
    address: RegisteredAddress | None  # None: no registered address
    document: IdentityDocument
    employment: tuple[EmploymentSpell, ...]
    persona: str | None
    other_documents: tuple[IdentityDocument, ...] = ()
    death: Death | None = None
    imprisonment: CourtStatus | None = None
    incapacity: CourtStatus | None = None
    missing: CourtStatus | None = None
    education: Education | None = None

    @property
    def full_name(self) -> str:
        """ "Surname Name Patronymic", without the patronymic when there is none."""
        return " ".join(part for part in (self.surname, self.name, self.patronymic) if part)

    @property
    def documents(self) -> tuple[IdentityDocument, ...]:
        """The main identity document first, then the others."""
        return (self.document, *self.other_documents)

    @property
    def sex(self) -> Sex:
        return "M" if self.gender == GENDER_MALE else "F"

    def known_on(self, day: date) -> tuple[Death | None, CourtStatus | None, CourtStatus | None, CourtStatus | None]:
        """(death, imprisonment, incapacity, missing) as the registry knows them on ``day``: those that began later
        are not known yet."""

        def begun(status: CourtStatus | None) -> CourtStatus | None:
            return status if status is not None and status.begin <= day else None

        death = self.death if self.death is not None and self.death.day <= day else None
        return death, begun(self.imprisonment), begun(self.incapacity), begun(self.missing)

    def statuses_on(self, day: date) -> frozenset[str]:
        """The statuses in force on ``day``: ``living`` or ``deceased``, and any of ``imprisoned``, ``missing``,
        ``incapable``, ``student``, ``pupil``."""
        death, imprisonment, incapacity, missing = self.known_on(day)
        found = {DECEASED if death is not None else LIVING}
        for name, status in ((IMPRISONED, imprisonment), (INCAPABLE, incapacity), (MISSING, missing)):
            if status is not None and status.in_force_on(day):
                found.add(name)
        if death is None and self.education is not None and self.education.in_force_on(day):
            found.add(PUPIL if self.education.level == "general-school" else STUDENT)
        return frozenset(found)


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


def passport(number: str, issued_on: date) -> IdentityDocument:
    valid_until = add_years(issued_on, DOCUMENT_VALIDITY_YEARS) - timedelta(days=1)
    return IdentityDocument(DOCUMENT_PASSPORT, number, issued_on, valid_until)


def age_on(birth: date, day: date) -> int:
    """Full years on ``day``; the birthday itself counts."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
