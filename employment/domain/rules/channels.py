"""The terms of the channels other than the portal, as the centre counts them (T-1, T-2).

- JS-12 (Rules No. 259 §30; standard item 7 sub.2): at the State Corporation the employment centre's worker
  seated there registers the person as at the centre. The State Corporation receives Monday to Saturday
  9:00-20:00 without a lunch break, except Sundays and holidays: an application made there on a Saturday is
  received that day, and the 1 working day of the term (T-1) is the next working day.
- JS-13 (Rules No. 259 §15-21): in a village without a centre the assistant of the rural akimat checks the
  documents and pre-registers the person; within 1 working day of confirming the documents they go to the
  centre (§20), which enters them, registers the person within 1 working day of receiving them and tells the
  registration date (§21).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from employment.domain.calendar import WorkingCalendar
from employment.domain.rules.register_terms import end_of
from kernel.parameters import int_on

__all__ = [
    "STATE_CORPORATION_CLOSING",
    "STATE_CORPORATION_OPENING",
    "rural_centre_registers_by",
    "rural_documents_due",
    "state_corporation_deadline",
    "state_corporation_is_open",
    "state_corporation_receipt",
]

STATE_CORPORATION_OPENING = time(9, 0)
STATE_CORPORATION_CLOSING = time(20, 0)
_SATURDAY = 5


def state_corporation_is_open(day: date, calendar: WorkingCalendar) -> bool:
    """Standard item 7 sub.2: Monday to Saturday, except Sundays and holidays (a Saturday worked by decree is
    open too)."""
    if calendar.is_working_day(day):
        return True
    return day.weekday() == _SATURDAY and calendar.holiday_name(day) is None


def state_corporation_receipt(at: datetime, calendar: WorkingCalendar) -> datetime:
    """JS-12: when an application made at the State Corporation at ``at`` counts as received: within its
    hours, then; otherwise at its next opening."""
    local = at.astimezone(calendar.zone)
    day = local.date()
    if state_corporation_is_open(day, calendar):
        if local.time() < STATE_CORPORATION_OPENING:
            return datetime.combine(day, STATE_CORPORATION_OPENING, tzinfo=calendar.zone)
        if local.time() < STATE_CORPORATION_CLOSING:
            return local
    day += timedelta(days=1)
    while not state_corporation_is_open(day, calendar):
        day += timedelta(days=1)
    return datetime.combine(day, STATE_CORPORATION_OPENING, tzinfo=calendar.zone)


def state_corporation_deadline(at: datetime, calendar: WorkingCalendar) -> datetime:
    """JS-12 with T-1: the end of the 1 working day (the service term) after the day of receipt."""
    receipt = state_corporation_receipt(at, calendar)
    days = int_on("job_seeker_registration.term_working_days", receipt.date())
    return end_of(calendar.add_working_days(receipt.date(), days), calendar)


def rural_documents_due(confirmed_on: date, calendar: WorkingCalendar) -> datetime:
    """JS-13 (§20): the assistant sends the documents to the centre within 1 working day of confirming them."""
    days = int_on("rural.assistant_term_working_days", confirmed_on)
    return end_of(calendar.add_working_days(confirmed_on, days), calendar)


def rural_centre_registers_by(received_at: datetime, calendar: WorkingCalendar) -> datetime:
    """JS-13 (§21): the centre registers within 1 working day of receiving the assistant's documents."""
    receipt = calendar.effective_receipt(received_at)
    return calendar.deadline(receipt, int_on("rural.centre_term_working_days", receipt.date()))
