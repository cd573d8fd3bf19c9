"""One clock for the whole ecosystem: every system reads the same time, and a tester moves it for all.

The clock's state is a small JSON file in the shared data folder (``<data>/clock.json``), the same folder
that holds the test PKI. It states the time as an anchor: at the real instant ``real`` the ecosystem's
time was ``at``, and since then it flows at ``rate`` (1: it runs, 0: it stands still). Any process reads
``now = at + rate × (real now − real)``; a system started or restarted later computes the same time as
the others, so it rejoins the ecosystem instead of starting its own clock again.

``set`` and ``advance`` rewrite the anchor atomically (write, then rename); each reader re-reads the file
when it changed, checking at most every :data:`RELOAD_SECONDS`, so every system follows a change within
one second.

- ``EcosystemClock.start(path, spec)`` (the launcher, ``up`` and ``demo``): a fresh state from a clock spec.
- ``EcosystemClock.join(path, spec)`` (``serve``, ``pki init``, any system started or restarted by hand):
  follow the running state in the file whatever spec it was started from, so a system restarted without the
  ecosystem's ``--clock`` never moves the others' time; only where no state exists yet does it start one.

``set`` and ``advance`` hold an exclusive lock on ``clock.json.lock`` while they read, change and write the
state, so two changes made at once through different systems both take effect.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kernel.clock import FixedClock, SystemClock, VirtualClock, almaty, clock_from_spec

__all__ = ["RELOAD_SECONDS", "ClockState", "EcosystemClock", "parse_duration"]

LOG = logging.getLogger(__name__)
RELOAD_SECONDS = 0.25
STATE_FILE = "clock.json"


@dataclass(frozen=True)
class ClockState:
    """The ecosystem's time as an anchor: ``at`` was the time when the real clock read ``real``."""

    origin: str  # the clock spec the ecosystem was started with ("system", "virtual:...", "fixed:...")
    at: datetime
    real: datetime
    rate: int  # 1: time flows; 0: time stands still

    @property
    def kind(self) -> str:
        if self.rate == 0:
            return "fixed"
        return "system" if self.at == self.real else "virtual"

    def now(self, real_now: datetime) -> datetime:
        return (self.at + self.rate * (real_now - self.real)).astimezone(almaty())

    @classmethod
    def from_spec(cls, spec: str | None, real_now: datetime) -> ClockState:
        origin = (spec or "system").strip() or "system"
        clock = clock_from_spec(origin)
        if isinstance(clock, SystemClock):
            return cls(origin, real_now, real_now, 1)
        if isinstance(clock, FixedClock):
            return cls(origin, clock.now(), real_now, 0)
        assert isinstance(clock, VirtualClock)
        return cls(origin, clock.start, real_now, 1)

    def to_json(self) -> str:
        raw = asdict(self)
        raw["at"] = self.at.isoformat()
        raw["real"] = self.real.isoformat()
        return json.dumps(raw)

    @classmethod
    def from_json(cls, text: str) -> ClockState:
        raw = json.loads(text)
        return cls(
            origin=str(raw["origin"]),
            at=datetime.fromisoformat(raw["at"]),
            real=datetime.fromisoformat(raw["real"]),
            rate=int(raw["rate"]),
        )


def _real_now() -> datetime:
    return datetime.now(UTC)


class EcosystemClock:
    """The ecosystem's clock as one process sees it: a :class:`kernel.clock.Clock` backed by the shared file."""

    def __init__(
        self,
        path: Path,
        state: ClockState,
        real_now: Callable[[], datetime] = _real_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._path = path
        self._state = state
        self._real_now = real_now
        self._monotonic = monotonic
        self._checked = monotonic()
        self._signature = self._stat()
        self._lock = threading.Lock()

    @classmethod
    def start(
        cls,
        data_dir: Path,
        spec: str | None,
        real_now: Callable[[], datetime] = _real_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> EcosystemClock:
        """Start the ecosystem's time afresh from ``spec`` (what ``up`` and ``demo`` do)."""
        path = data_dir / STATE_FILE
        state = ClockState.from_spec(spec, real_now())
        _write(path, state)
        return cls(path, state, real_now, monotonic)

    @classmethod
    def join(
        cls,
        data_dir: Path,
        spec: str | None,
        real_now: Callable[[], datetime] = _real_now,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> EcosystemClock:
        """Follow the ecosystem's running time, whatever spec it was started from; start it from ``spec``
        only where none runs yet."""
        path = data_dir / STATE_FILE
        with _change_lock(path):
            state = _read(path)
            if state is None:
                state = ClockState.from_spec(spec, real_now())
                _write(path, state)
        wanted = (spec or "").strip()
        if wanted and wanted != state.origin:
            LOG.warning(
                "the ecosystem's clock runs from %s; this process joins it and ignores its own clock %s "
                "(egov-sim clock set moves the time; egov-sim up --clock starts it afresh)",
                state.origin,
                wanted,
            )
        return cls(path, state, real_now, monotonic)

    @property
    def path(self) -> Path:
        return self._path

    def state(self) -> ClockState:
        self._reload_if_changed()
        return self._state

    def now(self) -> datetime:
        return self.state().now(self._real_now())

    def set(self, at: datetime) -> datetime:
        """Jump the whole ecosystem to ``at`` (which keeps flowing unless the clock stands still)."""
        if at.tzinfo is None:
            raise ValueError(f"clock set needs a time with its offset, got {at.isoformat()}")
        with self._lock, _change_lock(self._path):
            self._reload_if_changed(now=True)
            self._state = replace(self._state, at=at, real=self._real_now())
            self._signature = _write(self._path, self._state)
        return self.now()

    def advance(self, delta: timedelta) -> datetime:
        """Move the whole ecosystem's time by ``delta`` (forward only: the ecosystem's time never runs back)."""
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward; use 'clock set' to go to an earlier instant")
        with self._lock, _change_lock(self._path):
            self._reload_if_changed(now=True)  # another system may have moved it less than a reload ago
            self._state = replace(self._state, at=self._state.at + delta)
            self._signature = _write(self._path, self._state)
        return self.now()

    def describe(self) -> dict[str, object]:
        state = self.state()
        return {
            "now": state.now(self._real_now()).isoformat(),
            "kind": state.kind,
            "origin": state.origin,
            "flows": state.rate == 1,
            "timezone": str(almaty()),
            # the state itself: two systems showing the same anchor read the same time
            "anchor": {"at": state.at.isoformat(), "real": state.real.isoformat()},
        }

    def _stat(self) -> tuple[int, int, int] | None:
        """What tells a rewrite apart: every write renames a new file in, so the inode changes even when
        two writes fall within one tick of the file system's clock."""
        try:
            info = self._path.stat()
        except FileNotFoundError:
            return None
        return info.st_ino, info.st_mtime_ns, info.st_size

    def _reload_if_changed(self, *, now: bool = False) -> None:
        tick = self._monotonic()
        if not now and tick - self._checked < RELOAD_SECONDS:
            return
        self._checked = tick
        signature = self._stat()
        if signature is not None and signature != self._signature:
            state = _read(self._path)
            if state is not None:
                self._state = state
                self._signature = signature

    def __repr__(self) -> str:
        return f"EcosystemClock({self._path}, {self._state.kind})"


def _read(path: Path) -> ClockState | None:
    try:
        return ClockState.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"the ecosystem clock file {path} is unreadable ({exc}); delete it to start afresh") from exc


@contextmanager
def _change_lock(path: Path) -> Iterator[None]:
    """Serialise read-change-write of the state across processes (an advisory lock on a side file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write(path: Path, state: ClockState) -> tuple[int, int, int]:
    """Replace the file atomically; returns the new file's signature (inode, mtime, size)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    temporary.write_text(state.to_json(), encoding="utf-8")
    info = temporary.stat()
    os.replace(temporary, path)
    return info.st_ino, info.st_mtime_ns, info.st_size


_SHORT = re.compile(r"^\s*(?:(\d+)w)?\s*(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?\s*$", re.IGNORECASE)
_ISO = re.compile(
    r"^P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$",
    re.IGNORECASE,
)


def parse_duration(text: str) -> timedelta:
    """A duration written short (``3d``, ``2h``, ``1d12h``, ``90m``, ``45s``, ``2w``) or in ISO 8601
    (``P1D``, ``PT2H``, ``P1DT30M``). Months and years are refused: their length depends on the date."""
    value = text.strip()
    iso = _ISO.match(value)
    if iso and value.upper() not in ("P", "PT") and any(iso.groupdict().values()):
        g = {k: float(v) if v else 0.0 for k, v in iso.groupdict().items()}
        return timedelta(weeks=g["w"], days=g["d"], hours=g["h"], minutes=g["m"], seconds=g["s"])
    short = _SHORT.match(value)
    if value and short and any(short.groups()):
        w, d, h, m, s = (int(x) if x else 0 for x in short.groups())
        return timedelta(weeks=w, days=d, hours=h, minutes=m, seconds=s)
    raise ValueError(
        f"{text!r} is not a duration: write it as 3d, 2h, 1d12h, 90m, 45s, or in ISO 8601 as P1D, PT2H, P1DT30M "
        "(months and years are not accepted: their length depends on the date)"
    )
