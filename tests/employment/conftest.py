"""The employment centre on a real database (SQLite file and PostgreSQL) with fakes of the state systems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from employment.adapters.storage import EmploymentStore
from employment.domain.calendar import WorkingCalendar
from employment.domain.models import Applicant, Contribution, RegistryRecord
from employment.service_layer.commands import RegisterJobSeeker
from employment.service_layer.handlers import EmploymentServices
from kernel.clock import FixedClock, almaty
from tests.fakes import FakeContributions, FakeDocuments, FakePersonRegistry

IIN = "920314403019"
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=almaty())


def applicant() -> Applicant:
    return Applicant(IIN, "Сулейменова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), True)


def command(application_id: str = "APP-1", at: dt.datetime = MONDAY) -> RegisterJobSeeker:
    return RegisterJobSeeker(application_id, applicant(), IIN, "verified", at, application_id)


def record() -> RegistryRecord:
    return RegistryRecord(IIN, "Сулейменова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), "Astana", dt.date(2031, 1, 1))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY)


@pytest.fixture
def open_store(database_url: str, clock: FixedClock) -> Iterator[Callable[[], EmploymentStore]]:
    """Open the centre's store on this test's database; each call is a new process's view of it."""
    opened: list[EmploymentStore] = []

    def open_() -> EmploymentStore:
        store = EmploymentStore.at(database_url, clock.now)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.dispose()


def services_on(store: EmploymentStore, clock: FixedClock, registry: FakePersonRegistry) -> EmploymentServices:
    return EmploymentServices(
        uow=store.unit_of_work,
        registry=registry,
        contributions=FakeContributions({IIN: [Contribution(dt.date(2026, 7, 1), "040540010001", "ТОО")]}),
        documents=FakeDocuments(),
        calendar=WorkingCalendar(),
        now=clock.now,
    )
