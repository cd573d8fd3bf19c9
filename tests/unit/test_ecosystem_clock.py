"""The one ecosystem clock shared by every system through ``<data>/clock.json``."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ecosystem.clock import RELOAD_SECONDS, ClockState, EcosystemClock, parse_duration
from kernel.clock import almaty

START = "virtual:2026-11-23T10:00:00+05:00"
START_AT = datetime(2026, 11, 23, 10, 0, tzinfo=almaty())


class Ticks:
    """A settable stand-in for the real clock and for the monotonic clock of one process."""

    def __init__(self) -> None:
        self.real = datetime(2030, 1, 1, tzinfo=UTC)
        self.tick = 100.0

    def real_now(self) -> datetime:
        return self.real

    def monotonic(self) -> float:
        return self.tick

    def pass_time(self, seconds: float) -> None:
        self.real += timedelta(seconds=seconds)
        self.tick += seconds


def clock(kind: str, data: Path, ticks: Ticks, spec: str | None = START) -> EcosystemClock:
    factory = EcosystemClock.start if kind == "start" else EcosystemClock.join
    return factory(data, spec, real_now=ticks.real_now, monotonic=ticks.monotonic)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3d", timedelta(days=3)),
        ("2h", timedelta(hours=2)),
        ("90m", timedelta(minutes=90)),
        ("45s", timedelta(seconds=45)),
        ("2w", timedelta(weeks=2)),
        ("1d12h", timedelta(days=1, hours=12)),
        (" 1D 2H ", timedelta(days=1, hours=2)),
        ("P1D", timedelta(days=1)),
        ("PT2H", timedelta(hours=2)),
        ("P1DT30M", timedelta(days=1, minutes=30)),
        ("pt1.5s", timedelta(seconds=1.5)),
        ("P2W", timedelta(weeks=2)),
    ],
)
def test_durations_short_and_iso(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "P", "PT", "3", "3x", "P1M", "P1Y", "-1d", "1d-2h", "tomorrow"])
def test_bad_durations_say_which_forms_are_accepted(text: str) -> None:
    with pytest.raises(ValueError, match=r"3d, 2h.*P1D"):
        parse_duration(text)


def test_state_from_each_kind_of_spec() -> None:
    real = datetime(2030, 1, 1, tzinfo=UTC)
    system = ClockState.from_spec(None, real)
    virtual = ClockState.from_spec(START, real)
    fixed = ClockState.from_spec("fixed:2026-11-23T10:00:00+05:00", real)
    assert (system.kind, virtual.kind, fixed.kind) == ("system", "virtual", "fixed")
    assert system.origin == "system" and virtual.origin == START
    later = real + timedelta(hours=1)
    assert system.now(later) == later
    assert virtual.now(later) == START_AT + timedelta(hours=1)
    assert fixed.now(later) == START_AT
    assert virtual.now(later).tzinfo is almaty()
    assert ClockState.from_json(virtual.to_json()) == virtual


def test_start_writes_the_shared_file_and_time_flows(tmp_path: Path) -> None:
    ticks = Ticks()
    running = clock("start", tmp_path, ticks)
    assert running.now() == START_AT
    assert json.loads((tmp_path / "clock.json").read_text())["origin"] == START
    ticks.pass_time(90)
    assert running.now() == START_AT + timedelta(seconds=90)


def test_set_jumps_and_refuses_a_time_without_offset(tmp_path: Path) -> None:
    ticks = Ticks()
    running = clock("start", tmp_path, ticks)
    target = datetime(2027, 1, 4, 9, 0, tzinfo=almaty())
    assert running.set(target) == target
    ticks.pass_time(60)
    assert running.now() == target + timedelta(seconds=60)  # a virtual clock keeps flowing after a jump
    with pytest.raises(ValueError, match="offset"):
        running.set(datetime(2027, 1, 4, 9, 0))


def test_advance_moves_forward_only(tmp_path: Path) -> None:
    ticks = Ticks()
    running = clock("start", tmp_path, ticks)
    assert running.advance(parse_duration("3d")) == START_AT + timedelta(days=3)
    with pytest.raises(ValueError, match="only moves forward"):
        running.advance(timedelta(hours=-1))
    assert running.now() == START_AT + timedelta(days=3)


def test_a_fixed_clock_stands_still_but_can_be_moved(tmp_path: Path) -> None:
    ticks = Ticks()
    running = clock("start", tmp_path, ticks, spec="fixed:2026-11-23T10:00:00+05:00")
    ticks.pass_time(3600)
    assert running.now() == START_AT
    assert running.advance(timedelta(days=1)) == START_AT + timedelta(days=1)
    assert running.describe()["kind"] == "fixed"


def test_join_adopts_the_running_time_instead_of_starting_again(tmp_path: Path) -> None:
    ticks = Ticks()
    running = clock("start", tmp_path, ticks)
    running.advance(timedelta(days=2))
    ticks.pass_time(3600)
    restarted = clock("join", tmp_path, ticks)  # a system restarted an hour later, same spec
    assert restarted.now() == START_AT + timedelta(days=2, hours=1)
    assert restarted.now() == running.now()


def test_join_with_another_or_no_spec_adopts_the_running_time(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A system restarted by hand (``egov-sim serve NAME`` without the ecosystem's --clock, or
    ``egov-sim pki init``) joins the running time: it never moves every other system's clock."""
    ticks = Ticks()
    running = clock("start", tmp_path, ticks)
    running.advance(timedelta(days=2))
    for spec in (None, "system", "virtual:2027-03-01T09:00:00+05:00"):
        joined = clock("join", tmp_path, ticks, spec=spec)
        assert joined.now() == START_AT + timedelta(days=2) == running.now()
    assert json.loads((tmp_path / "clock.json").read_text())["origin"] == START
    assert "joins it and ignores its own clock virtual:2027-03-01" in caplog.text


def test_changes_made_at_once_through_two_systems_both_take_effect(tmp_path: Path) -> None:
    ticks = Ticks()
    gateway = clock("start", tmp_path, ticks)
    portal = clock("join", tmp_path, ticks)
    threads = [
        threading.Thread(target=lambda c=c: [c.advance(timedelta(hours=1)) for _ in range(20)])
        for c in (gateway, portal)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ticks.pass_time(RELOAD_SECONDS)
    assert gateway.now() == portal.now() == START_AT + timedelta(hours=40, seconds=RELOAD_SECONDS)


def test_join_without_a_file_starts(tmp_path: Path) -> None:
    ticks = Ticks()
    assert clock("join", tmp_path / "fresh", ticks).now() == START_AT
    assert (tmp_path / "fresh" / "clock.json").exists()


def test_every_reader_follows_a_change_after_one_reload_period(tmp_path: Path) -> None:
    ticks = Ticks()
    gateway = clock("start", tmp_path, ticks)
    portal = clock("join", tmp_path, ticks)  # another process: the same real and monotonic time
    gateway.advance(timedelta(days=1))
    # the portal re-reads the file at most every RELOAD_SECONDS: not yet ...
    assert portal.now() == START_AT
    ticks.pass_time(RELOAD_SECONDS)
    # ... and then it reads the new time
    assert portal.now() == gateway.now() == START_AT + timedelta(days=1, seconds=RELOAD_SECONDS)
    gateway.advance(timedelta(hours=1))
    gateway.advance(timedelta(hours=1))  # two rewrites within one tick of the file system's clock
    ticks.pass_time(RELOAD_SECONDS)
    assert portal.now() == gateway.now()


def test_a_change_builds_on_the_latest_state_even_between_reloads(tmp_path: Path) -> None:
    ticks = Ticks()
    gateway = clock("start", tmp_path, ticks)
    portal = clock("join", tmp_path, ticks)
    gateway.advance(timedelta(days=1))
    portal.advance(timedelta(days=1))  # the portal has not re-read the file yet: it must, before moving it
    assert portal.now() == START_AT + timedelta(days=2)
    ticks.pass_time(RELOAD_SECONDS)
    assert gateway.now() == START_AT + timedelta(days=2, seconds=RELOAD_SECONDS)


def test_describe_names_the_kind_and_the_anchor(tmp_path: Path) -> None:
    ticks = Ticks()
    described = clock("start", tmp_path, ticks).describe()
    assert described["kind"] == "virtual" and described["origin"] == START and described["flows"] is True
    assert described["anchor"] == {"at": START_AT.isoformat(), "real": ticks.real.isoformat()}


def test_an_unreadable_file_says_how_to_recover(tmp_path: Path) -> None:
    (tmp_path / "clock.json").write_text("{not json")
    with pytest.raises(ValueError, match="delete it to start afresh"):
        EcosystemClock.join(tmp_path, START)
