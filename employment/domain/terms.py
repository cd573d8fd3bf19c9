"""Terms in calendar days and in months, beside the working-day terms of :mod:`employment.domain.calendar`.

Which terms move off a non-working day:

- A term for doing something (applying, deciding, answering) whose last day falls on a non-working day
  ends on the next working day (Labour Code Art. 13 p.5; Administrative Procedural Code Art. 76 p.5).
  So do the calendar-day and month terms below marked ``moves_to_working_day``, e.g. the 12 months within
  which the job-loss payment is applied for (PE-2, Social Code Art. 113 p.3).
- A term in working days always ends on a working day already (T-1, :meth:`WorkingCalendar.add_working_days`).
- The validity of the certificate of registration as unemployed does NOT move (T-4, CE-2): it is not a term
  for an action but the period for which the document holds, 30 calendar days from the day of issue
  (Rules No. 259 §38), and the certificate states its last day, inclusive (Rules No. 259 Annex 8: "valid
  until ... inclusive"). A certificate ending on a Sunday is not valid on the Monday after.

Counting: a term starts the day after the event it runs from (Administrative Procedural Code Art. 64),
unless the text counts the event's day itself ("from the day of issue", inclusive: T-4). A term in months
ends on the same-numbered day of its last month; when that month has no such day (31st, 29 February),
on the month's last day. Working days come from :class:`WorkingCalendar` (the ``holidays`` package, KZ),
so a Saturday worked by decree is a working day and a term ending on it stays there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from employment.domain.calendar import WorkingCalendar
from kernel.months import add_months
from kernel.parameters import int_on

__all__ = [
    "CERTIFICATE_VALIDITY",
    "PAYMENT_APPLICATION_WINDOW",
    "CalendarTerm",
    "add_months",
    "certificate_valid_until",
    "term_end",
]


@dataclass(frozen=True)
class CalendarTerm:
    """A term counted in calendar days or months, and whether its end moves off a non-working day."""

    rule_id: str
    unit: str  # "calendar days" or "months"
    counts_event_day: bool  # True: the event's day is the term's first day ("from the day of issue, inclusive")
    moves_to_working_day: bool
    basis: str  # the paragraphs that fix the counting and the move (or the absence of a move)

    def __post_init__(self) -> None:
        if self.unit not in ("calendar days", "months"):
            raise ValueError(f"a calendar term is counted in 'calendar days' or 'months', not {self.unit!r}")


CERTIFICATE_VALIDITY = CalendarTerm(
    rule_id="T-4",
    unit="calendar days",
    counts_event_day=True,
    moves_to_working_day=False,
    basis="Rules No. 259 §38 (30 calendar days from the day of issue); Annex 8 (valid until the stated day, "
    "inclusive): a validity period, not a term for an action, so it does not move",
)

PAYMENT_APPLICATION_WINDOW = CalendarTerm(
    rule_id="PE-2",
    unit="months",
    counts_event_day=False,
    moves_to_working_day=True,
    basis="Social Code Art. 113 p.3 (12 months from the day the right arose); a last day off moves to the "
    "next working day (Labour Code Art. 13 p.5; Administrative Procedural Code Art. 76 p.5)",
)


def term_end(term: CalendarTerm, event_day: date, length: int, calendar: WorkingCalendar) -> date:
    """The last day of ``term`` running ``length`` units from ``event_day`` (inclusive).

    Calendar days: the ``length``-th day, the event's day counted first when ``term.counts_event_day``,
    else the day after it (Administrative Procedural Code Art. 64). Months: the same-numbered day of the
    last month (:func:`add_months`). A term that moves ends, when its last day is not a working day, on
    the next working day.
    """
    if length < 1:
        raise ValueError(f"a {term.rule_id} term must last at least 1 {term.unit[:-1]}, got {length}")
    if term.unit == "calendar days":
        end = event_day + timedelta(days=length - 1 if term.counts_event_day else length)
    else:
        end = add_months(event_day, length)
        if term.counts_event_day:
            end -= timedelta(days=1)
    if term.moves_to_working_day and not calendar.is_working_day(end):
        end = calendar.next_working_day(end)
    return end


def certificate_valid_until(issued_on: date, calendar: WorkingCalendar) -> date:
    """T-4 / CE-2: the last day (inclusive) the certificate of registration as unemployed is valid: the
    issue day is the first of the 30 calendar days (Rules No. 259 §38; Annex 8); it never moves."""
    days = int_on("unemployed_certificate.validity_calendar_days", issued_on)
    return term_end(CERTIFICATE_VALIDITY, issued_on, days, calendar)
