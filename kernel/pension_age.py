"""The general pension age: the day a person reaches it, by sex and the year in which it is reached.

The ages are the dated parameters ``pension_age.men`` and ``pension_age.women`` (kernel/parameter_values.py:
Law on pension provision of 21.06.2013 Art. 11 p.1, from 01.07.2023 Social Code Art. 207 p.1). The age that
applies is the one in force in the year it is reached: a woman who turned 61 in 2027 keeps her pension age
in 2028, although the age for 2028 is 61.5. Before the first day of the table (01.01.2023) its first value
is taken as already reached; a day after the table's coverage raises :class:`ParameterNotInForce`.

A kernel value, not a rule: whoever decides on it (the employment centre, the local employment authority:
UN-4 (3) of docs/rules.md, Rules No. 259 §34 sub.3) cites its own rule beside the call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from kernel.months import add_months
from kernel.parameters import DatedValue, parameter

__all__ = ["PensionAgeReached", "pension_age_reached_on"]

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class PensionAgeReached:
    """The day the pension age was reached, the age, and the value of the table that applied."""

    day: date
    age: Decimal
    source: str


def _reached(birth_date: date, age: Decimal) -> date:
    """The day a person born on ``birth_date`` reaches ``age`` years (61.5 = 61 years and 6 months)."""
    months = age * 12
    if months != months.to_integral_value():
        raise ValueError(f"a pension age of {age} years is not a whole number of months")
    return add_months(birth_date, int(months))


def pension_age_reached_on(male: bool, birth_date: date, on: date) -> PensionAgeReached | None:
    """When the person reached the general pension age, or None if not by ``on``."""
    table = parameter("pension_age.men" if male else "pension_age.women")
    table.entry_on(on)  # ``on`` must be covered: raises ParameterNotInForce, naming the parameter
    entries: tuple[DatedValue[object], ...] = table.values
    for index, entry in enumerate(entries):
        if entry.since > on:
            break
        following = entries[index + 1] if index + 1 < len(entries) else None
        last_day = following.since - _ONE_DAY if following is not None else entry.until
        if not isinstance(entry.value, int | Decimal):
            raise TypeError(f"parameter {table.name} holds {type(entry.value).__name__} values, not numbers")
        day = _reached(birth_date, Decimal(entry.value))
        in_span = (index == 0 or entry.since <= day) and (last_day is None or day <= last_day)
        if in_span and day <= on:
            return PensionAgeReached(day, Decimal(entry.value), entry.source)
    return None
