"""The providers' one replay guard (``adapters.shep.replay_guard``), on SQLite and on PostgreSQL: a message
dated outside the clock skew is refused, each (sender, messageId) passes once — after a restart, from
another process's guard on the same database, and when two copies arrive at the same instant."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from adapters.shep.faults import ErrorCode
from adapters.shep.replay_guard import PRUNE_MARGIN, ReplayGuard, ReplayRefused

ALMATY = timezone(timedelta(hours=5))
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ALMATY)
SKEW = timedelta(minutes=5)


class MovableClock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(NOW)


@pytest.fixture
def guard(database_url: str, clock: MovableClock) -> ReplayGuard:
    return ReplayGuard.at(database_url, clock.now, SKEW)


def _rows(guard: ReplayGuard) -> int:
    with guard._engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(guard._table)).scalar_one())


def test_a_message_passes_once_per_sender(guard: ReplayGuard) -> None:
    guard.admit("ENBEK_LABOUR_MARKET", "m-1", NOW)
    with pytest.raises(ReplayRefused, match="m-1 of ENBEK_LABOUR_MARKET was received before") as refused:
        guard.admit("ENBEK_LABOUR_MARKET", "m-1", NOW + timedelta(seconds=1))
    assert refused.value.code is ErrorCode.REPLAY_OR_STALE
    guard.admit("GK_IIS", "m-1", NOW)  # another sender's id of the same spelling is another message
    assert _rows(guard) == 2


@pytest.mark.parametrize(
    "dated",
    [NOW - timedelta(days=365), NOW - SKEW - timedelta(seconds=1), NOW + SKEW + timedelta(seconds=1)],
    ids=["a year old", "just past the skew", "from the future"],
)
def test_a_message_dated_outside_the_window_is_refused_and_not_recorded(guard: ReplayGuard, dated: datetime) -> None:
    with pytest.raises(ReplayRefused, match="stale or replayed") as refused:
        guard.admit("ENBEK_LABOUR_MARKET", "m-old", dated)
    assert refused.value.code is ErrorCode.REPLAY_OR_STALE
    assert _rows(guard) == 0


def test_the_window_edges_pass_and_a_naive_date_is_read_as_almaty(guard: ReplayGuard) -> None:
    guard.admit("ENBEK_LABOUR_MARKET", "edge-past", NOW - SKEW)
    guard.admit("ENBEK_LABOUR_MARKET", "edge-future", NOW + SKEW)
    guard.admit("ENBEK_LABOUR_MARKET", "naive", NOW.replace(tzinfo=None))
    with pytest.raises(ReplayRefused):
        guard.admit("ENBEK_LABOUR_MARKET", "naive-utc", NOW.astimezone(UTC).replace(tzinfo=None))


def test_what_was_received_survives_a_restart(database_url: str, guard: ReplayGuard, clock: MovableClock) -> None:
    guard.admit("ENBEK_LABOUR_MARKET", "m-restart", NOW)
    guard.close()
    restarted = ReplayGuard.at(database_url, clock.now, SKEW)
    with pytest.raises(ReplayRefused, match="received before"):
        restarted.admit("ENBEK_LABOUR_MARKET", "m-restart", NOW)
    restarted.close()


def test_two_copies_at_once_through_two_guards_pass_exactly_once(database_url: str, clock: MovableClock) -> None:
    guards = [ReplayGuard.at(database_url, clock.now, SKEW) for _ in range(2)]  # two processes of a provider
    copies = 8
    barrier = threading.Barrier(copies)
    outcomes: list[str] = []

    def deliver(index: int) -> None:
        barrier.wait()
        try:
            guards[index % 2].admit("ENBEK_LABOUR_MARKET", "m-race", NOW)
            outcomes.append("admitted")
        except ReplayRefused:
            outcomes.append("refused")

    threads = [threading.Thread(target=deliver, args=(index,)) for index in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["admitted"] + ["refused"] * (copies - 1)
    for guard in guards:
        guard.close()


def test_ids_longer_than_the_columns_are_kept_whole_in_the_key(guard: ReplayGuard) -> None:
    long_id = "m-" + "x" * 300
    guard.admit("ENBEK_LABOUR_MARKET", long_id, NOW)
    guard.admit("ENBEK_LABOUR_MARKET", long_id + "y", NOW)  # differs only past 128 characters
    with pytest.raises(ReplayRefused):
        guard.admit("ENBEK_LABOUR_MARKET", long_id, NOW)


def test_records_of_messages_the_window_refuses_anyway_are_pruned(guard: ReplayGuard, clock: MovableClock) -> None:
    guard.admit("ENBEK_LABOUR_MARKET", "m-early", NOW)
    clock.at = NOW + SKEW + PRUNE_MARGIN + timedelta(minutes=1)
    guard.admit("ENBEK_LABOUR_MARKET", "m-late", clock.at)
    assert _rows(guard) == 1
    with pytest.raises(ReplayRefused, match="stale"):  # pruned, but its date still refuses it
        guard.admit("ENBEK_LABOUR_MARKET", "m-early", NOW)
