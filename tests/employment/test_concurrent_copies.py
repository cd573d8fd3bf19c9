"""Two copies of one application decided at once (the portal's retry after a timeout) on a real database:
one decision, and both answers carry the same document."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from adapters.storage import OutboxState
from employment.adapters.storage import EmploymentStore, applications
from employment.domain.models import RegistryRecord
from employment.service_layer.handlers import register_job_seeker
from kernel.clock import FixedClock
from tests.employment.conftest import IIN, command, record, services_on
from tests.fakes import FakePersonRegistry


class BarrierRegistry(FakePersonRegistry):
    """Holds every caller until ``parties`` of them have asked: all have passed the existence check."""

    def __init__(self, parties: int) -> None:
        super().__init__({IIN: record()})
        self._barrier = threading.Barrier(parties, timeout=10)

    def find(self, iin: str, correlation_id: str | None) -> RegistryRecord | None:
        self._barrier.wait()
        return super().find(iin, correlation_id)


def test_two_copies_in_flight_give_one_decision_and_the_same_document(
    open_store: Callable[[], EmploymentStore], clock: FixedClock
) -> None:
    store = open_store()
    registry = BarrierRegistry(parties=2)
    services = services_on(store, clock, registry)
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda _: register_job_seeker(command("APP-1"), services), range(2)))
    assert len(registry.asked) == 2  # both copies were past the existence check before either stored
    assert answers[0].document == answers[1].document
    stored = store.application("APP-1")
    assert stored is not None and stored.document == answers[0].document
    with store.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(applications)).scalar_one() == 1
    card = store.job_seeker(IIN)
    assert card is not None and card["applications"] == 1
    queued = store.outbox.messages(OutboxState.PENDING)
    assert len(queued) == 5 and {m.ordering_key for m in queued} == {"APP-1", "UN-APP-1"}
    entry = store.register_entry(IIN)  # one register entry, one registration case
    assert entry is not None and entry.case_id == "UN-APP-1" and len(store.register_history(IIN)) == 1


def test_two_applications_of_one_person_at_once_count_twice_on_the_card(
    open_store: Callable[[], EmploymentStore], clock: FixedClock
) -> None:
    store = open_store()
    services = services_on(store, clock, BarrierRegistry(parties=2))
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(lambda n: register_job_seeker(command(f"APP-{n}"), services), range(2)))
    assert {a.application_id for a in answers} == {"APP-0", "APP-1"}
    card = store.job_seeker(IIN)
    assert card is not None and card["applications"] == 2
