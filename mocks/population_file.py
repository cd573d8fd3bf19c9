"""The population file: the synthetic population as JSON, one person per line.

``{"format": 2, "seed": 2026, "size": 10000, "persons": [ … ]}``: every person is one JSON object on its own
line (dates as ISO strings, field names those of :class:`mocks.population_model.SyntheticPerson`), so an
operator can find and edit one person with any text editor. ``seed`` and ``size`` say how the file was
generated; :mod:`mocks.population_store` regenerates a file whose format, seed or size is not the
settings'. Writing is atomic: a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from mocks.population_model import (
    CourtStatus,
    Death,
    Education,
    Employer,
    EmploymentSpell,
    IdentityDocument,
    RegisteredAddress,
    SyntheticPerson,
)

FORMAT_VERSION = 2


class PopulationFileError(ValueError):
    """The population file cannot be read back into people; fix or delete it to regenerate."""


class PopulationFormatError(PopulationFileError):
    """The file is a population file of another format (an older version wrote it): regenerate it."""


@dataclass(frozen=True)
class PopulationFile:
    """What a population file holds: how it was generated, and the people."""

    seed: int | None
    size: int | None
    people: tuple[SyntheticPerson, ...]


def population_file(data_dir: Path) -> Path:
    """Where the population lives: the person registry's folder of the shared data folder."""
    return Path(data_dir) / "person_registry" / "population.json"


# ---- writing -------------------------------------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _document_json(document: IdentityDocument) -> dict[str, Any]:
    return {
        "type_code": document.type_code,
        "number": document.number,
        "issued_on": document.issued_on.isoformat(),
        "valid_until": document.valid_until.isoformat(),
        "issuer_code": document.issuer_code,
    }


def _court_json(status: CourtStatus | None) -> dict[str, Any] | None:
    if status is None:
        return None
    return {
        "begin": status.begin.isoformat(),
        "end": _iso(status.end),
        "number": status.number,
        "authority": status.authority,
    }


def person_to_json(person: SyntheticPerson) -> dict[str, Any]:
    """A person as JSON-ready data (dates as ISO strings); the inverse of :func:`person_from_json`."""
    address = person.address
    death, education = person.death, person.education
    return {
        "iin": person.iin,
        "surname": person.surname,
        "name": person.name,
        "patronymic": person.patronymic,
        "eng_first_name": person.eng_first_name,
        "eng_surname": person.eng_surname,
        "birth_date": person.birth_date.isoformat(),
        "gender": person.gender,
        "nationality_code": person.nationality_code,
        "nationality_name_ru": person.nationality_name_ru,
        "nationality_name_kz": person.nationality_name_kz,
        "citizenship_code": person.citizenship_code,
        "address": None
        if address is None
        else {
            "region": address.region,
            "district": address.district,
            "city": address.city,
            "street": address.street,
            "building": address.building,
            "flat": address.flat,
        },
        "document": _document_json(person.document),
        "other_documents": [_document_json(document) for document in person.other_documents],
        "employment": [
            {
                "employer": {"bin": spell.employer.bin, "name": spell.employer.name},
                "start": spell.start.isoformat(),
                "end": _iso(spell.end),
                "monthly_income": spell.monthly_income,
            }
            for spell in person.employment
        ],
        "persona": person.persona,
        "death": None
        if death is None
        else {
            "day": death.day.isoformat(),
            "certificate_number": death.certificate_number,
            "registered_by": death.registered_by,
        },
        "imprisonment": _court_json(person.imprisonment),
        "incapacity": _court_json(person.incapacity),
        "missing": _court_json(person.missing),
        "education": None
        if education is None
        else {
            "level": education.level,
            "institution": education.institution,
            "begin": education.begin.isoformat(),
            "expected_end": education.expected_end.isoformat(),
            "grade": education.grade,
            "full_time": education.full_time,
        },
    }


def write_population(
    path: Path, people: Sequence[SyntheticPerson], *, seed: int | None = None, size: int | None = None
) -> None:
    """Write ``people`` atomically, one per line, with the ``seed`` and ``size`` they were generated with."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = json.dumps({"format": FORMAT_VERSION, "seed": seed, "size": size})[:-1]
    lines = ",\n".join(json.dumps(person_to_json(person), ensure_ascii=False) for person in people)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(f'{header}, "persons": [\n{lines}\n]}}\n', encoding="utf-8")
    temporary.replace(path)


# ---- reading -------------------------------------------------------------------------------------


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _document(data: dict[str, Any]) -> IdentityDocument:
    return IdentityDocument(
        type_code=data["type_code"],
        number=data["number"],
        issued_on=date.fromisoformat(data["issued_on"]),
        valid_until=date.fromisoformat(data["valid_until"]),
        issuer_code=data["issuer_code"],
    )


def _court(data: dict[str, Any] | None) -> CourtStatus | None:
    if data is None:
        return None
    return CourtStatus(date.fromisoformat(data["begin"]), _day(data.get("end")), data["number"], data["authority"])


def _education(data: dict[str, Any] | None) -> Education | None:
    if data is None:
        return None
    if data["level"] not in ("general-school", "technical-vocational", "higher"):
        raise ValueError(f"education level {data['level']!r} is not general-school, technical-vocational or higher")
    return Education(
        level=data["level"],
        institution=data["institution"],
        begin=date.fromisoformat(data["begin"]),
        expected_end=date.fromisoformat(data["expected_end"]),
        grade=data.get("grade"),
        full_time=bool(data.get("full_time", True)),
    )


def person_from_json(data: dict[str, Any]) -> SyntheticPerson:
    """The inverse of :func:`person_to_json`."""
    address, death = data.get("address"), data.get("death")
    return SyntheticPerson(
        iin=data["iin"],
        surname=data["surname"],
        name=data["name"],
        patronymic=data.get("patronymic"),
        eng_first_name=data["eng_first_name"],
        eng_surname=data["eng_surname"],
        birth_date=date.fromisoformat(data["birth_date"]),
        gender=data["gender"],
        nationality_code=data["nationality_code"],
        nationality_name_ru=data["nationality_name_ru"],
        nationality_name_kz=data["nationality_name_kz"],
        citizenship_code=data["citizenship_code"],
        address=RegisteredAddress(**address) if address is not None else None,
        document=_document(data["document"]),
        employment=tuple(
            EmploymentSpell(
                employer=Employer(**spell["employer"]),
                start=date.fromisoformat(spell["start"]),
                end=_day(spell.get("end")),
                monthly_income=int(spell["monthly_income"]),
            )
            for spell in data["employment"]
        ),
        persona=data.get("persona"),
        other_documents=tuple(_document(item) for item in data.get("other_documents", ())),
        death=None
        if death is None
        else Death(date.fromisoformat(death["day"]), death["certificate_number"], death["registered_by"]),
        imprisonment=_court(data.get("imprisonment")),
        incapacity=_court(data.get("incapacity")),
        missing=_court(data.get("missing")),
        education=_education(data.get("education")),
    )


def read_population_file(path: Path) -> PopulationFile:
    """Read the file; raise :class:`PopulationFileError` saying what is wrong."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PopulationFileError(f"{path} is not JSON: {exc}; delete it to regenerate") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT_VERSION:
        found = document.get("format") if isinstance(document, dict) else None
        raise PopulationFormatError(f"{path} is a population file of format {found!r}, not {FORMAT_VERSION}")
    try:
        people = tuple(person_from_json(item) for item in document["persons"])
    except (KeyError, TypeError, ValueError) as exc:
        raise PopulationFileError(f"{path} holds an unreadable person: {exc!r}; fix or delete it") from exc
    return PopulationFile(document.get("seed"), document.get("size"), people)


def read_population(path: Path) -> list[SyntheticPerson]:
    """The people of the file at ``path`` (:func:`read_population_file` without the header)."""
    return list(read_population_file(path).people)
