"""Adding months to a day, as terms and ages in months and years are counted.

A term (or an age) of n months ends on the same-numbered day of the n-th month after the event; when that
month has no such day (the 31st, 29 February), on the month's last day. Used by the calendar-day and month
terms of the employment centre (``employment.domain.terms``) and by the pension age (:mod:`kernel.pension_age`).
"""

from __future__ import annotations

import calendar as gregorian
from datetime import date

__all__ = ["add_months"]


def add_months(day: date, months: int) -> date:
    """The same-numbered day ``months`` months after ``day`` (before it when negative); the month's last
    day when it has no such day (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not date.min.year <= year <= date.max.year:
        raise ValueError(f"{day.isoformat()} plus {months} months is outside the calendar")
    return date(year, month, min(day.day, gregorian.monthrange(year, month)[1]))
