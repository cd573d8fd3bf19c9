"""Kazakhstan's working calendar (T-1..T-3 of docs/rules.md), for the employment centre's rules.

The calendar itself lives in :mod:`kernel.working_calendar`, so that every system that counts terms (the
employment centre, the local employment authority) counts them the same way; this module keeps the
centre's import path.
"""

from __future__ import annotations

from kernel.working_calendar import WorkingCalendar

__all__ = ["WorkingCalendar"]
