"""Time is a port: every rule asks a Clock for "now".

T-1..T-5 (docs/rules.md) count terms from the moment an application is received, so
the systems never call ``datetime.now()`` themselves; they receive a Clock:

- ``SystemClock``: the real time, in Asia/Almaty.
- ``FixedClock``: a frozen instant that tests move by hand (``advance``).
- ``VirtualClock``: real time flowing from a chosen start instant, for demos set
  on a chosen day (e.g. a Saturday in late 2026) while durations stay real.

``clock_from_spec`` builds one from a settings string. Every clock returns an
aware datetime; naive datetimes given in a spec are read as Asia/Almaty time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

__all__ = [
    "ALMATY_ZONE_NAME",
    "Clock",
    "FixedClock",
    "SystemClock",
    "VirtualClock",
    "almaty",
    "clock_from_spec",
]

ALMATY_ZONE_NAME = "Asia/Almaty"


@cache
def almaty() -> ZoneInfo:
    """The time zone of the employment centres' working hours (T-2), built on first use."""
    return ZoneInfo(ALMATY_ZONE_NAME)


@runtime_checkable
class Clock(Protocol):
    """Source of the current instant."""

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


def _require_aware(at: datetime, what: str) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {at.isoformat()}")
    return at


class SystemClock:
    """The real time, expressed in Asia/Almaty."""

    def now(self) -> datetime:
        return datetime.now(almaty())

    def __repr__(self) -> str:
        return "SystemClock()"


class FixedClock:
    """A clock that stands still at ``at`` until ``advance`` or ``set`` moves it."""

    def __init__(self, at: datetime) -> None:
        self._at = _require_aware(at, "FixedClock time")

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock by ``delta`` (may be negative) and return the new time."""
        self._at = self._at + delta
        return self._at

    def set(self, at: datetime) -> None:
        """Jump to ``at``."""
        self._at = _require_aware(at, "FixedClock time")

    def __repr__(self) -> str:
        return f"FixedClock({self._at.isoformat()})"


class VirtualClock:
    """Real time flowing from ``start``: start + (monotonic now - monotonic at creation).

    ``monotonic`` is injectable so that tests can drive the flow of time.
    """

    def __init__(self, start: datetime, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._start = _require_aware(start, "VirtualClock start")
        self._monotonic = monotonic
        self._origin = monotonic()

    @property
    def start(self) -> datetime:
        return self._start

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._monotonic() - self._origin)

    def __repr__(self) -> str:
        return f"VirtualClock(start={self._start.isoformat()})"


_SPEC_HELP = "use 'system', 'fixed:<ISO datetime>' or 'virtual:<ISO datetime>'"


def _parse_instant(text: str, spec: str) -> datetime:
    try:
        at = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(f"clock spec {spec!r}: {text.strip()!r} is not an ISO datetime; {_SPEC_HELP}") from exc
    if at.tzinfo is None:
        at = at.replace(tzinfo=almaty())
    return at


def clock_from_spec(spec: str | None) -> Clock:
    """Build a clock from a settings string.

    - ``None``, ``""`` or ``"system"``: SystemClock;
    - ``"fixed:2026-11-21T10:00"``: FixedClock at that instant;
    - ``"virtual:2026-11-21T10:00+05:00"``: VirtualClock starting there.

    A datetime without an offset is read as Asia/Almaty time. Anything else
    raises ValueError saying which forms are accepted.
    """
    if spec is None or not spec.strip():
        return SystemClock()
    kind, sep, rest = spec.strip().partition(":")
    kind = kind.strip().lower()
    if kind == "system" and not sep:
        return SystemClock()
    if kind in ("fixed", "virtual") and sep and rest.strip():
        at = _parse_instant(rest, spec)
        return FixedClock(at) if kind == "fixed" else VirtualClock(at)
    raise ValueError(f"unknown clock spec {spec!r}; {_SPEC_HELP}")
