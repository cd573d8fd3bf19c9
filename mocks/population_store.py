"""The population as the person registry and the social fund hold it: the population file, indexed.

:meth:`PopulationStore.open` is how both systems get their people: the first of them to start writes
``build_population(seed, size)`` (the settings' ``population_seed`` and ``population_size``) to the population
file (:mod:`mocks.population_file`) under a file lock, and from then on the file is the truth for both (an
operator may edit it; each re-reads it when it changes on disk). A file written with another seed or size,
or by an older version of the simulation, is generated again.

:class:`PopulationIndex` answers every look-up from dictionaries built once per reading of the file: by IIN,
by document number and by surname (then filtered by the other criteria), never by scanning everyone.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

from mocks.population import DEFAULT_SEED, build_population
from mocks.population_file import (
    PopulationFileError,
    PopulationFormatError,
    population_file,
    read_population_file,
    write_population,
)
from mocks.population_model import SyntheticPerson

__all__ = ["PersonLookup", "PersonQuery", "PopulationIndex", "PopulationStore", "name_key"]

LOG = logging.getLogger(__name__)
DEFAULT_SIZE = 10_000  # the default of settings.population_size


@runtime_checkable
class PersonLookup(Protocol):
    """Whatever finds a person by IIN (a :class:`PopulationIndex`, a :class:`PopulationStore`)."""

    def find(self, iin: str) -> SyntheticPerson | None: ...


@lru_cache(maxsize=8192)  # the population has a few hundred distinct names
def name_key(value: str) -> str:
    """A name as searches compare it: case-folded, ``ё`` as ``е``, spaces collapsed."""
    return " ".join(value.replace("ё", "е").replace("Ё", "Е").casefold().split())


@dataclass(frozen=True)
class PersonQuery:
    """Search criteria of GBD FL (docs/contracts.md, person registry); every criterion given must match."""

    iin: str | None = None
    surname: str | None = None
    name: str | None = None
    patronymic: str | None = None
    birth_date: date | None = None
    birth_date_from: date | None = None
    birth_date_to: date | None = None
    document_number: str | None = None

    def matches(self, person: SyntheticPerson) -> bool:
        birth = person.birth_date
        return (
            (self.iin is None or person.iin == self.iin)
            and (self.surname is None or name_key(person.surname) == name_key(self.surname))
            and (self.name is None or name_key(person.name) == name_key(self.name))
            and (self.patronymic is None or name_key(person.patronymic or "") == name_key(self.patronymic))
            and (self.birth_date is None or birth == self.birth_date)
            and (self.birth_date_from is None or birth >= self.birth_date_from)
            and (self.birth_date_to is None or birth <= self.birth_date_to)
            and (
                self.document_number is None
                or any(document.number == self.document_number.strip() for document in person.documents)
            )
        )


class PopulationIndex:
    """The people, with dictionaries by IIN, document number and surname."""

    def __init__(self, people: Iterable[SyntheticPerson]) -> None:
        self.people: tuple[SyntheticPerson, ...] = tuple(people)
        self._by_iin: dict[str, SyntheticPerson] = {}
        self._by_document: dict[str, list[SyntheticPerson]] = defaultdict(list)
        self._by_surname: dict[str, list[SyntheticPerson]] = defaultdict(list)
        self._by_surname_and_birth: dict[tuple[str, date], list[SyntheticPerson]] = defaultdict(list)
        self._by_persona: dict[str, SyntheticPerson] = {}
        for person in self.people:
            self._by_iin.setdefault(person.iin, person)
            if person.persona is not None:
                self._by_persona.setdefault(person.persona, person)
            for document in person.documents:
                self._by_document[document.number].append(person)
            self._by_surname[name_key(person.surname)].append(person)
            self._by_surname_and_birth[name_key(person.surname), person.birth_date].append(person)

    def __len__(self) -> int:
        return len(self.people)

    def find(self, iin: str) -> SyntheticPerson | None:
        """The person with this IIN, or None."""
        return self._by_iin.get(iin.strip())

    def find_by_persona(self, persona: str) -> SyntheticPerson | None:
        """The first person labelled ``persona`` (docs/personas.md), or None."""
        return self._by_persona.get(persona)

    def find_by_document(self, number: str) -> list[SyntheticPerson]:
        """Whoever holds a document with this number (one person, unless the file was edited so)."""
        return list(self._by_document.get(number.strip(), ()))

    def search(self, query: PersonQuery) -> list[SyntheticPerson]:
        """Everyone matching every criterion of ``query``, in the order of the population.

        The candidates come from one dictionary (IIN, else document number, else surname and birth date, else
        surname); with none of those criteria the whole population is filtered, which only the admin API asks
        for."""
        candidates: Iterable[SyntheticPerson]
        if query.iin is not None:
            found = self.find(query.iin)
            candidates = [found] if found is not None else []
        elif query.document_number is not None:
            candidates = self.find_by_document(query.document_number)
        elif query.surname is not None and query.birth_date is not None:
            candidates = self._by_surname_and_birth.get((name_key(query.surname), query.birth_date), [])
        elif query.surname is not None:
            candidates = self._by_surname.get(name_key(query.surname), [])
        else:
            candidates = self.people
        return [person for person in candidates if query.matches(person)]


class PopulationStore:
    """The population file, indexed, re-read when it changes on disk."""

    def __init__(self, path: Path, loaded: PopulationIndex | None = None) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._loaded: tuple[float, PopulationIndex] | None = None
        if loaded is not None:
            self._loaded = (path.stat().st_mtime, loaded)

    @classmethod
    def open(cls, data_dir: Path, *, seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE) -> PopulationStore:
        """The population under ``data_dir``, written there first if missing or made with another seed or size."""
        path = population_file(data_dir)
        with _file_lock(path):
            if path.is_file():
                try:
                    existing = read_population_file(path)
                except PopulationFormatError as exc:
                    LOG.warning("%s; generating the population again", exc)
                else:
                    if (existing.seed, existing.size) in ((seed, size), (None, None)):
                        return cls(path, PopulationIndex(existing.people))
                    LOG.warning(
                        "%s was generated with seed %s and size %s, the settings say %s and %s: generating it again",
                        path,
                        existing.seed,
                        existing.size,
                        seed,
                        size,
                    )
            people = build_population(seed, size)
            write_population(path, people, seed=seed, size=size)
            return cls(path, PopulationIndex(people))

    @property
    def path(self) -> Path:
        return self._path

    def index(self) -> PopulationIndex:
        """The people as the file holds them now (read again when its modification time changed)."""
        with self._lock:
            try:
                mtime = self._path.stat().st_mtime
            except FileNotFoundError as exc:
                raise PopulationFileError(f"{self._path} is gone; restart the system to generate it again") from exc
            if self._loaded is None or self._loaded[0] != mtime:
                self._loaded = (mtime, PopulationIndex(read_population_file(self._path).people))
            return self._loaded[1]

    def find(self, iin: str) -> SyntheticPerson | None:
        """The person with this IIN, or None."""
        return self.index().find(iin)

    def find_by_document(self, number: str) -> list[SyntheticPerson]:
        return self.index().find_by_document(number)

    def search(self, query: PersonQuery) -> list[SyntheticPerson]:
        return self.index().search(query)

    def all(self) -> Sequence[SyntheticPerson]:
        """Everyone, in the order of the file."""
        return self.index().people


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Serialise the systems that open the population at once (the first writes it, the others read it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
