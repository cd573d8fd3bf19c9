"""Dated legal parameters: one place for every value the law fixes and changes over time.

Modelled on OpenFisca's parameters: a parameter is a sequence of values, each in force from a start day
(inclusive) until the day before the next value starts, or until its own ``until`` day (inclusive) when it
is the last one and the law gave it an end. Every value names its legal source. The value that applies is
the one in force on the relevant day::

    parameter("minimum_wage").on(date(2026, 11, 23))  # Decimal('85000')

Asking about a day outside a parameter's range raises :class:`ParameterNotInForce`; the caller decides
whether an older day may use the earliest value (the simulation models the law only from the dates the
table gives), and says so where it does.

The values themselves are in :mod:`kernel.parameter_values`; ``tests/unit/test_parameters.py`` checks
that each parameter has exactly one value in force for every day of its range and a source for each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Generic, TypeVar

__all__ = [
    "Band",
    "BandScale",
    "DatedValue",
    "Parameter",
    "ParameterNotInForce",
    "UnknownParameter",
    "all_parameters",
    "bool_on",
    "decimal_on",
    "int_on",
    "parameter",
    "scale_on",
]

T = TypeVar("T")
_ONE_DAY = timedelta(days=1)


class ParameterNotInForce(LookupError):
    """The parameter has no value in force on the day asked about."""


class UnknownParameter(KeyError):
    """No parameter has this name."""


@dataclass(frozen=True)
class DatedValue(Generic[T]):
    """A value in force from ``since`` (inclusive); ``until`` (inclusive) ends it, None leaves it open."""

    since: date
    value: T
    source: str
    until: date | None = None

    def covers(self, day: date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Band:
    """From ``lower`` (inclusive) up to the next band's lower bound (exclusive): ``value``."""

    lower: int
    value: Decimal


@dataclass(frozen=True)
class BandScale:
    """Half-open bands ``[lower, next lower)`` read by a count (e.g. months of participation).

    Above the last band's lower bound, ``step`` is added for every full ``step_every`` units beyond it,
    never past ``cap`` (when ``step`` is 0 the last band's value simply holds).
    """

    bands: tuple[Band, ...]
    step: Decimal = Decimal(0)
    step_every: int = 1
    cap: Decimal | None = None

    def __post_init__(self) -> None:
        lowers = [band.lower for band in self.bands]
        if not lowers or lowers != sorted(set(lowers)):
            raise ValueError(f"bands must be given in strictly increasing order of their lower bound, got {lowers}")
        if self.step_every < 1:
            raise ValueError(f"step_every must be at least 1, got {self.step_every}")

    def at(self, count: int) -> Decimal | None:
        """The value for ``count``; None below the first band."""
        found: Band | None = None
        for band in self.bands:
            if band.lower <= count:
                found = band
        if found is None:
            return None
        if found is not self.bands[-1] or not self.step:
            return found.value
        value = found.value + self.step * ((count - found.lower) // self.step_every)
        return min(value, self.cap) if self.cap is not None else value


@dataclass(frozen=True)
class Parameter(Generic[T]):
    """A named parameter: its meaning, its unit and its dated values in order."""

    name: str
    description: str
    unit: str
    values: tuple[DatedValue[T], ...]

    def __post_init__(self) -> None:
        if not self.values:
            raise ValueError(f"parameter {self.name} has no values")

    @property
    def start(self) -> date:
        return self.values[0].since

    @property
    def end(self) -> date | None:
        """The last day of the range (inclusive), or None when the last value is open."""
        return self.values[-1].until

    def entry_on(self, day: date) -> DatedValue[T]:
        """The dated value in force on ``day`` (value, source and validity)."""
        for index, entry in enumerate(self.values):
            following = self.values[index + 1] if index + 1 < len(self.values) else None
            last_day = entry.until if following is None else following.since - _ONE_DAY
            if entry.since <= day and (last_day is None or day <= last_day):
                return entry
        span = f"{self.start.isoformat()}..{self.end.isoformat() if self.end else 'open'}"
        raise ParameterNotInForce(
            f"parameter {self.name} has no value in force on {day.isoformat()}: its values cover {span}; "
            f"add the value in force then (with its source) to kernel/parameter_values.py"
        )

    def on(self, day: date) -> T:
        """The value in force on ``day``."""
        return self.entry_on(day).value

    def gaps_and_overlaps(self) -> list[str]:
        """Problems of the table: a value's ``until`` that does not end the day before the next starts,
        values out of order, a missing source. Empty when the range is covered exactly once."""
        problems: list[str] = []
        for entry in self.values:
            if not entry.source.strip():
                problems.append(f"{self.name}: the value from {entry.since} has no source")
            if entry.until is not None and entry.until < entry.since:
                problems.append(f"{self.name}: the value from {entry.since} ends before it starts ({entry.until})")
        for earlier, later in zip(self.values, self.values[1:], strict=False):
            if later.since <= earlier.since:
                problems.append(f"{self.name}: the value from {later.since} is not after the one from {earlier.since}")
            elif earlier.until is not None and earlier.until + _ONE_DAY != later.since:
                kind = "gap" if earlier.until + _ONE_DAY < later.since else "overlap"
                problems.append(
                    f"{self.name}: {kind} between the value ending {earlier.until} and the one from {later.since}"
                )
        return problems


@cache
def _table() -> Mapping[str, Parameter[object]]:
    from kernel.parameter_values import PARAMETERS

    table: dict[str, Parameter[object]] = {}
    for item in PARAMETERS:
        if item.name in table:
            raise ValueError(f"parameter {item.name} is defined twice in kernel/parameter_values.py")
        table[item.name] = item
    return table


def parameter(name: str) -> Parameter[object]:
    """The parameter called ``name`` (e.g. ``"minimum_wage"``)."""
    try:
        return _table()[name]
    except KeyError:
        known = ", ".join(sorted(_table()))
        raise UnknownParameter(f"no parameter {name!r}; known parameters: {known}") from None


def all_parameters() -> tuple[Parameter[object], ...]:
    return tuple(_table().values())


def _typed(name: str, day: date, kind: type[T]) -> T:
    value = parameter(name).on(day)
    if not isinstance(value, kind):
        raise TypeError(f"parameter {name} holds {type(value).__name__} values, not {kind.__name__}")
    return value


def decimal_on(name: str, day: date) -> Decimal:
    """The value of a numeric parameter in force on ``day``, as a Decimal."""
    value = parameter(name).on(day)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"parameter {name} holds {type(value).__name__} values, not numbers")
    return Decimal(value)


def int_on(name: str, day: date) -> int:
    """The value of a whole-number parameter in force on ``day``."""
    return _typed(name, day, int)


def bool_on(name: str, day: date) -> bool:
    """The value of a yes/no parameter in force on ``day`` (a rule that applies from a date)."""
    value = parameter(name).on(day)
    if not isinstance(value, bool):
        raise TypeError(f"parameter {name} holds {type(value).__name__} values, not yes/no")
    return value


def scale_on(name: str, day: date) -> BandScale:
    """The band scale in force on ``day``."""
    return _typed(name, day, BandScale)
