"""The person registry's data store: the synthetic population as a JSON file.

On first start :meth:`PersonRepository.open` writes ``mocks.population.build_population()`` to
``<data_dir>/person_registry/population.json``; from then on the file is the registry's truth (an
operator may edit it: the repository re-reads it when it changes on disk). Lookup is by IIN
(``GBDFL_UniversalServiceSync`` search by ``iin``; docs/contracts.md).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from mocks.population import (
    Employer,
    EmploymentSpell,
    IdentityDocument,
    RegisteredAddress,
    SyntheticPerson,
    build_population,
)

FORMAT_VERSION = 1


class PopulationFileError(ValueError):
    """The population file cannot be read back into people; fix or delete it to regenerate."""


def population_file(data_dir: Path) -> Path:
    return Path(data_dir) / "person_registry" / "population.json"


def person_to_json(person: SyntheticPerson) -> dict[str, Any]:
    """A person as JSON-ready data (dates as ISO strings)."""
    return _iso_dates(asdict(person))


def _iso_dates(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _iso_dates(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_iso_dates(item) for item in value]
    return value


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def person_from_json(data: dict[str, Any]) -> SyntheticPerson:
    """The inverse of :func:`person_to_json`."""
    document = data["document"]
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
        address=RegisteredAddress(**data["address"]),
        document=IdentityDocument(
            type_code=document["type_code"],
            number=document["number"],
            issued_on=date.fromisoformat(document["issued_on"]),
            valid_until=date.fromisoformat(document["valid_until"]),
            issuer_code=document["issuer_code"],
        ),
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
    )


class PersonRepository:
    """The people the registry knows, read from its JSON file (re-read when the file changes)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._loaded: tuple[float, dict[str, SyntheticPerson]] | None = None

    @classmethod
    def open(cls, data_dir: Path) -> PersonRepository:
        """The repository under ``data_dir``, writing the synthetic population there on first start."""
        path = population_file(data_dir)
        if not path.is_file():
            write_population(path, build_population())
        return cls(path)

    @property
    def path(self) -> Path:
        return self._path

    def _people(self) -> dict[str, SyntheticPerson]:
        with self._lock:
            mtime = self._path.stat().st_mtime
            if self._loaded is None or self._loaded[0] != mtime:
                self._loaded = (mtime, {person.iin: person for person in read_population(self._path)})
            return self._loaded[1]

    def find(self, iin: str) -> SyntheticPerson | None:
        """The person with this IIN, or None."""
        return self._people().get(iin)

    def all(self) -> list[SyntheticPerson]:
        """Everyone, in the order of the file."""
        return list(self._people().values())


def write_population(path: Path, people: tuple[SyntheticPerson, ...] | list[SyntheticPerson]) -> None:
    """Write ``people`` atomically (a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"format": FORMAT_VERSION, "persons": [person_to_json(person) for person in people]}
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    temporary.replace(path)


def read_population(path: Path) -> list[SyntheticPerson]:
    """Read the people back; raise :class:`PopulationFileError` saying what is wrong."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise PopulationFileError(f"{path} is not JSON: {exc}; delete it to regenerate") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT_VERSION:
        raise PopulationFileError(f"{path} is not a population file of format {FORMAT_VERSION}; delete it")
    try:
        return [person_from_json(item) for item in document["persons"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise PopulationFileError(f"{path} holds an unreadable person: {exc!r}; fix or delete it") from exc
