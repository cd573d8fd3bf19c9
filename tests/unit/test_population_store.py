"""The population file the person registry and the social fund share: written once, re-read when an operator
edits it, generated again when the settings' seed or size change; and its index."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import threading
from pathlib import Path

import pytest

from mocks.edge_case_people import PERSONA_DECEASED, PERSONA_SENIOR_PUPIL, REFERENCE_DATE
from mocks.population import PERSONA_EMPLOYED, PERSONA_JOB_SEEKER, build_population
from mocks.population_file import (
    PopulationFileError,
    person_from_json,
    person_to_json,
    population_file,
    read_population_file,
    write_population,
)
from mocks.population_store import PersonQuery, PopulationIndex, PopulationStore, name_key
from mocks.social_fund.adapters.contributions_query import SocialFundService

SIZE = 400


def test_every_person_survives_the_file(tmp_path: Path) -> None:
    people = build_population(size=2000)
    assert all(person_from_json(json.loads(json.dumps(person_to_json(p)))) == p for p in people)
    write_population(tmp_path / "p.json", people, seed=2026, size=2000)
    read = read_population_file(tmp_path / "p.json")
    assert (read.seed, read.size, read.people) == (2026, 2000, people)
    lines = (tmp_path / "p.json").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2000 + 2  # the header, one person per line, the end


def test_the_first_open_writes_the_file_and_the_next_reads_it(tmp_path: Path) -> None:
    store = PopulationStore.open(tmp_path, size=SIZE)
    path = population_file(tmp_path)
    assert store.path == path and path.is_file()
    written = path.stat().st_mtime_ns
    again = PopulationStore.open(tmp_path, size=SIZE)
    assert path.stat().st_mtime_ns == written
    assert tuple(again.all()) == tuple(store.all()) == build_population(size=SIZE)


def test_another_seed_or_size_generates_the_file_again(tmp_path: Path) -> None:
    PopulationStore.open(tmp_path, size=SIZE)
    bigger = PopulationStore.open(tmp_path, size=SIZE + 10)
    assert len(bigger.all()) == SIZE + 10
    reseeded = PopulationStore.open(tmp_path, seed=7, size=SIZE + 10)
    assert tuple(reseeded.all()) == build_population(7, SIZE + 10)
    header = read_population_file(population_file(tmp_path))
    assert (header.seed, header.size) == (7, SIZE + 10)


def test_a_file_of_an_older_format_is_generated_again(tmp_path: Path) -> None:
    path = population_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"format": 1, "persons": []}), encoding="utf-8")
    assert len(PopulationStore.open(tmp_path, size=SIZE).all()) == SIZE


def test_a_broken_file_is_refused_not_overwritten(tmp_path: Path) -> None:
    path = population_file(tmp_path)
    path.parent.mkdir(parents=True)
    broken = '{"format": 2, "seed": 2026, "size": 400, "persons": [{"iin": "1"}]}'
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(PopulationFileError, match="unreadable person"):
        PopulationStore.open(tmp_path, size=SIZE)
    assert path.read_text(encoding="utf-8") == broken


def test_an_operators_edit_reaches_every_reader(tmp_path: Path) -> None:
    registry = PopulationStore.open(tmp_path, size=SIZE)
    fund = PopulationStore.open(tmp_path, size=SIZE)
    people = list(registry.all())
    job_seeker = next(p for p in people if p.iin == PERSONA_JOB_SEEKER)
    people[people.index(job_seeker)] = dataclasses.replace(job_seeker, surname="Ахметова", employment=())
    write_population(registry.path, people, seed=2026, size=SIZE)
    os.utime(registry.path, ns=(1, 1))  # a modification time no earlier reading had
    for store in (registry, fund):
        found = store.find(PERSONA_JOB_SEEKER)
        assert found is not None and found.surname == "Ахметова"
    service = SocialFundService(fund, now=lambda: dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC), max_bytes=1_000_000)
    assert service.contributions(PERSONA_JOB_SEEKER) == (True, [])


def test_systems_opening_at_once_share_one_file(tmp_path: Path) -> None:
    stores: list[PopulationStore] = []
    threads = [
        threading.Thread(target=lambda: stores.append(PopulationStore.open(tmp_path, size=SIZE))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(stores) == 4
    assert all(tuple(store.all()) == build_population(size=SIZE) for store in stores)
    assert not list(population_file(tmp_path).parent.glob(".*.tmp"))


def test_a_removed_file_is_reported(tmp_path: Path) -> None:
    store = PopulationStore.open(tmp_path, size=SIZE)
    store.path.unlink()
    with pytest.raises(PopulationFileError, match="is gone"):
        store.find(PERSONA_JOB_SEEKER)


# ---- the index -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def index() -> PopulationIndex:
    return PopulationIndex(build_population(size=2000))


def test_find_by_iin_document_and_persona(index: PopulationIndex) -> None:
    employed = index.find(PERSONA_EMPLOYED)
    assert employed is not None
    assert index.find(f" {PERSONA_EMPLOYED} ") is employed
    assert index.find_by_document(employed.document.number) == [employed]
    assert index.find_by_persona("employed") is employed
    assert index.find_by_persona("senior-pupil") is index.find(PERSONA_SENIOR_PUPIL)
    assert index.find_by_persona("nobody") is None and index.find("000000000000") is None


def test_search_matches_every_criterion(index: PopulationIndex) -> None:
    deceased = index.find(PERSONA_DECEASED)
    assert deceased is not None
    query = PersonQuery(surname="СЕЙТКАЗИН", name="азамат", birth_date=deceased.birth_date)
    assert index.search(query) == [deceased]
    assert index.search(dataclasses.replace(query, patronymic="Маратович")) == [deceased]
    assert index.search(dataclasses.replace(query, patronymic="Иванович")) == []
    assert index.search(dataclasses.replace(query, birth_date=None, birth_date_to=deceased.birth_date)) == [
        p
        for p in index.people
        if (p.surname, p.name) == ("Сейтказин", "Азамат") and p.birth_date <= deceased.birth_date
    ]
    assert index.search(PersonQuery(document_number=deceased.document.number, surname="Другой")) == []


def test_names_compare_without_case_and_yo() -> None:
    assert name_key("  Алёна  ") == name_key("АЛЕНА") == "алена"
    assert name_key("Құрманғазы ұлы") == name_key("ҚҰРМАНҒАЗЫ   ҰЛЫ")


def test_the_fund_reads_the_same_people(tmp_path: Path) -> None:
    store = PopulationStore.open(tmp_path, size=SIZE)
    fund = SocialFundService(
        store, now=lambda: dt.datetime.combine(REFERENCE_DATE, dt.time(10), tzinfo=dt.UTC), max_bytes=1_000_000
    )
    for person in store.all()[::20]:
        found, _ = fund.contributions(person.iin)
        assert found
        periods = fund.employment_periods(person.iin)
        assert {(s.start, s.end) for s in periods} <= {(s.start, s.end) for s in person.employment}
