"""Kazakhstan's working calendar and the state bodies' hours (T-1..T-3 of docs/rules.md).

Shared by every system that counts terms in working days: the employment centre (job-seeker and
unemployed registration) and the local employment authority (its decisions, Rules No. 259 §32 and §44,
and the complaints of §46-47). ``employment.domain.calendar`` re-exports it for the centre's domain.

Working days come from the ``holidays`` package (country ``KZ``), never from a
hand-made list. What the package covers for Kazakhstan
(checked against holidays 0.109, ``holidays/countries/kazakhstan.py``):

- the public holidays of the Law on holidays (Z010000267), with their changes
  by year (e.g. 17 December off only until 2021; Constitution Day 30 August
  until 2025 and 15 March from 2027);
- a holiday falling on Saturday or Sunday moves the day off to the next working
  day (``observed``, since 2002), except Orthodox Christmas (7 January) and
  Kurban Ait, which are never moved (Labour Code Art. 84; T-3 of docs/rules.md);
- the days off moved onto weekdays by government decree (``special_public_holidays``,
  labelled "day off substituted from ...") together with the weekend days made
  working days by the same decree (``weekend_workdays``) — T-3. E.g. 2024:
  Saturday 4 May worked, Wednesday 8 May off; 2025: Sunday 5 January worked,
  Friday 3 January off. Only decrees known to the installed package version are
  applied; the version checked records none for 2026 or later;
- Kurban Ait by the Islamic calendar, confirmed up to 2025 and estimated after.

The package has only the ``public`` category for KZ, so no other categories apply.

A decree can move a day off across the new year (2014: 3 January off for
Saturday 28 December 2013 worked); the package records such worked days when the
calendar is built, whichever year is asked about first.

Term counting (T-1, T-2; Administrative Procedural Code Arts. 64 and 76,
Labour Code Art. 13 p.5):

- the centre works ``opening``-``closing`` (9:00-18:30) Asia/Almaty on working days;
- an application made at or after closing, on a day off or on a holiday is taken
  as made at opening on the next working day; one made before opening on a working
  day is taken at opening that day (T-2, APC Art. 64 p.3);
- a term in days starts the day after the event (APC Art. 64), so a term of n
  working days ends at closing of the n-th working day after the effective
  receipt day (T-1).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from kernel.clock import almaty

__all__ = ["WorkingCalendar"]

COUNTRY = "KZ"
HOLIDAY_NAMES_LANGUAGE = "en_US"
DEFAULT_OPENING = time(9, 0)
DEFAULT_CLOSING = time(18, 30)

_ONE_DAY = timedelta(days=1)


class WorkingCalendar:
    """Working days of Kazakhstan (T-3) and the receipt/deadline rules of T-1 and T-2.

    Years of holidays are loaded lazily by the ``holidays`` package as dates are asked about.
    """

    def __init__(
        self,
        opening: time = DEFAULT_OPENING,
        closing: time = DEFAULT_CLOSING,
        *,
        zone: ZoneInfo | None = None,
    ) -> None:
        if opening.tzinfo is not None or closing.tzinfo is not None:
            raise ValueError("opening and closing are wall-clock times; give them without a time zone")
        if not opening < closing:
            raise ValueError(f"opening {opening} must be before closing {closing}")
        self.opening = opening
        self.closing = closing
        self.zone = zone if zone is not None else almaty()
        self._holidays = holidays.country_holidays(COUNTRY, language=HOLIDAY_NAMES_LANGUAGE)

    def is_working_day(self, d: date) -> bool:
        """T-3: Monday-Friday that is not a holiday or a moved day off, or a weekend day worked by decree."""
        return self._holidays.is_working_day(_as_date(d))

    def holiday_name(self, d: date) -> str | None:
        """The package's name for the holiday or moved day off on ``d`` (in English), or None."""
        return self._holidays.get(_as_date(d))

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        day = _as_date(d) + _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        day = _as_date(d) - _ONE_DAY
        while not self.is_working_day(day):
            day -= _ONE_DAY
        return day

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (T-1, APC Art. 64: counting starts the day after).

        ``n == 0`` gives ``d`` if it is a working day, else the next working day
        (Labour Code Art. 13 p.5); a negative ``n`` counts back before ``d``.
        """
        day = _as_date(d)
        if n == 0:
            return day if self.is_working_day(day) else self.next_working_day(day)
        step = self.next_working_day if n > 0 else self.previous_working_day
        for _ in range(abs(n)):
            day = step(day)
        return day

    def effective_receipt(self, at: datetime) -> datetime:
        """T-2 (APC Art. 64 p.3): the instant an application made at ``at`` counts as received.

        Within opening hours of a working day: ``at`` itself (in Asia/Almaty).
        Before opening on a working day: opening that day. At or after closing,
        on a day off or a holiday: opening on the next working day.
        """
        local = _require_aware(at).astimezone(self.zone)
        day = local.date()
        if self.is_working_day(day):
            if local.time() < self.opening:
                return self._at(day, self.opening)
            if local.time() < self.closing:
                return local
        return self._at(self.next_working_day(day), self.opening)

    def deadline(self, received_at: datetime, working_days: int) -> datetime:
        """T-1: closing time of the n-th working day after the effective receipt day.

        E.g. a 1-working-day service term for an application made on Saturday
        2026-11-21 ends on Tuesday 2026-11-24 at 18:30 (received Monday 9:00).
        """
        if working_days < 0:
            raise ValueError(f"a term cannot be negative, got {working_days} working days")
        receipt_day = self.effective_receipt(received_at).date()
        return self._at(self.add_working_days(receipt_day, working_days), self.closing)

    def _at(self, day: date, wall_time: time) -> datetime:
        return datetime.combine(day, wall_time, tzinfo=self.zone)

    def __repr__(self) -> str:
        return f"WorkingCalendar(country={COUNTRY!r}, hours={self.opening:%H:%M}-{self.closing:%H:%M})"


def _as_date(d: date) -> date:
    # A datetime is a date too; use its calendar day, never its time.
    return d.date() if isinstance(d, datetime) else d


def _require_aware(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(
            f"{at.isoformat()} has no time zone; give an aware datetime (e.g. from a Clock) "
            "so that working hours in Asia/Almaty can be applied"
        )
    return at
