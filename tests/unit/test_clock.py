"""Clocks: time as a port."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kernel.clock import Clock, FixedClock, SystemClock, VirtualClock, almaty, clock_from_spec


class FakeMonotonic:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


def test_almaty_zone_is_built_once_and_is_utc_plus_five() -> None:
    assert almaty() is almaty()
    assert almaty().key == "Asia/Almaty"
    assert datetime(2026, 11, 21, 12, tzinfo=almaty()).utcoffset() == timedelta(hours=5)


def test_system_clock_is_aware_almaty_and_current() -> None:
    now = SystemClock().now()
    assert now.tzinfo is almaty()
    assert abs(now - datetime.now(UTC)) < timedelta(seconds=5)


def test_fixed_clock_stands_still_until_advanced() -> None:
    at = datetime(2026, 11, 21, 10, 0, tzinfo=almaty())
    clock = FixedClock(at)
    assert clock.now() == at
    assert clock.now() == at
    assert clock.advance(timedelta(hours=2)) == at + timedelta(hours=2)
    assert clock.now() == datetime(2026, 11, 21, 12, 0, tzinfo=almaty())
    clock.set(at)
    assert clock.now() == at


def test_virtual_clock_flows_from_start() -> None:
    start = datetime(2026, 11, 21, 10, 0, tzinfo=almaty())
    ticks = FakeMonotonic()
    clock = VirtualClock(start, monotonic=ticks)
    assert clock.now() == start
    ticks.value += 90.5
    assert clock.now() == start + timedelta(seconds=90.5)


def test_virtual_clock_with_real_time_stays_near_start() -> None:
    start = datetime(2026, 11, 21, 10, 0, tzinfo=almaty())
    now = VirtualClock(start).now()
    assert start <= now < start + timedelta(seconds=5)


@pytest.mark.parametrize("make", [FixedClock, VirtualClock])
def test_naive_start_is_refused(make: type[FixedClock] | type[VirtualClock]) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        make(datetime(2026, 11, 21, 10, 0))


@pytest.mark.parametrize("spec", [None, "", "   ", "system", " System "])
def test_spec_for_system_clock(spec: str | None) -> None:
    assert isinstance(clock_from_spec(spec), SystemClock)


def test_fixed_spec_reads_naive_time_as_almaty() -> None:
    clock = clock_from_spec("fixed:2026-11-21T10:00")
    assert isinstance(clock, FixedClock)
    assert clock.now() == datetime(2026, 11, 21, 5, 0, tzinfo=UTC)


def test_fixed_spec_keeps_explicit_offset() -> None:
    clock = clock_from_spec("fixed:2026-11-21T10:00:00+00:00")
    assert clock.now() == datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def test_virtual_spec() -> None:
    clock = clock_from_spec("virtual:2026-11-21T09:30:00")
    assert isinstance(clock, VirtualClock)
    assert clock.start == datetime(2026, 11, 21, 9, 30, tzinfo=almaty())


@pytest.mark.parametrize("spec", ["fixed:", "fixed:tomorrow", "sundial", "system:now", "virtual"])
def test_bad_spec_says_which_forms_are_accepted(spec: str) -> None:
    with pytest.raises(ValueError, match="use 'system', 'fixed:<ISO datetime>'"):
        clock_from_spec(spec)


def test_every_clock_satisfies_the_port() -> None:
    at = datetime(2026, 11, 21, tzinfo=almaty())
    for clock in (SystemClock(), FixedClock(at), VirtualClock(at)):
        assert isinstance(clock, Clock)
        assert clock.now().tzinfo is not None
