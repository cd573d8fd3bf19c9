"""Working days, receipt and deadlines as legal cases (T-1..T-3 of docs/rules.md).

Each case names its rule. Holidays are what the ``holidays`` package says for KZ
(checked for 2024-2027): 16 December 2026 is a Wednesday and the only Independence
Day off; 1 January 2027 is a Friday, 2 January a Saturday whose day off moves to
Monday 4 January, and 7 January (Thursday) is Orthodox Christmas. Decrees moved
days off in 2024 (Saturday 4 May worked, Wednesday 8 May off) and 2025 (Sunday
5 January worked, Friday 3 January off).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest

from employment.domain.calendar import WorkingCalendar
from kernel.clock import almaty


def kz(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=almaty())


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


@dataclass(frozen=True)
class ReceiptCase:
    rule: str
    story: str
    made_at: datetime
    received: datetime
    deadline: datetime
    working_days: int = 1


RECEIPT_CASES = [
    ReceiptCase(
        "T-2, T-1",
        "Saturday: taken Monday 9:00, 1 working day ends Tuesday 18:30",
        kz(2026, 11, 21, 11, 0),
        kz(2026, 11, 23, 9, 0),
        kz(2026, 11, 24, 18, 30),
    ),
    ReceiptCase(
        "T-2, T-1",
        "Friday 19:00, after hours: taken Monday 9:00",
        kz(2026, 11, 20, 19, 0),
        kz(2026, 11, 23, 9, 0),
        kz(2026, 11, 24, 18, 30),
    ),
    ReceiptCase(
        "T-2, T-1",
        "Wednesday 7:45, before opening: taken 9:00 the same day",
        kz(2026, 11, 25, 7, 45),
        kz(2026, 11, 25, 9, 0),
        kz(2026, 11, 26, 18, 30),
    ),
    ReceiptCase(
        "T-2, T-1",
        "Wednesday 14:10, within hours: taken as made",
        kz(2026, 11, 25, 14, 10),
        kz(2026, 11, 25, 14, 10),
        kz(2026, 11, 26, 18, 30),
    ),
    ReceiptCase(
        "T-2",
        "Wednesday at 18:30 exactly: the centre has closed",
        kz(2026, 11, 25, 18, 30),
        kz(2026, 11, 26, 9, 0),
        kz(2026, 11, 27, 18, 30),
    ),
    ReceiptCase(
        "T-2",
        "Wednesday at 9:00 exactly: the centre is open",
        kz(2026, 11, 25, 9, 0),
        kz(2026, 11, 25, 9, 0),
        kz(2026, 11, 26, 18, 30),
    ),
    ReceiptCase(
        "T-2",
        "Sunday 23:59 via the portal: taken Monday 9:00",
        kz(2026, 11, 22, 23, 59),
        kz(2026, 11, 23, 9, 0),
        kz(2026, 11, 24, 18, 30),
    ),
    ReceiptCase(
        "T-1, T-3",
        "Tuesday before Independence Day: the term skips 16 December",
        kz(2026, 12, 15, 12, 0),
        kz(2026, 12, 15, 12, 0),
        kz(2026, 12, 17, 18, 30),
    ),
    ReceiptCase(
        "T-2, T-3",
        "On Independence Day: taken Thursday 17 December 9:00",
        kz(2026, 12, 16, 10, 0),
        kz(2026, 12, 17, 9, 0),
        kz(2026, 12, 18, 18, 30),
    ),
    ReceiptCase(
        "T-2, T-3",
        "Tuesday 15 December 20:00: the next working day is 17 December",
        kz(2026, 12, 15, 20, 0),
        kz(2026, 12, 17, 9, 0),
        kz(2026, 12, 18, 18, 30),
    ),
    ReceiptCase(
        "T-1, T-3",
        "New Year's Eve within hours: 1-4 January are off",
        kz(2026, 12, 31, 15, 0),
        kz(2026, 12, 31, 15, 0),
        kz(2027, 1, 5, 18, 30),
    ),
    ReceiptCase(
        "T-2, T-3",
        "New Year's Eve 19:00: taken Tuesday 5 January 2027",
        kz(2026, 12, 31, 19, 0),
        kz(2027, 1, 5, 9, 0),
        kz(2027, 1, 6, 18, 30),
    ),
    ReceiptCase(
        "T-2, T-3",
        "6 January 2027 after hours: Christmas on 7 January, taken Friday 8",
        kz(2027, 1, 6, 19, 0),
        kz(2027, 1, 8, 9, 0),
        kz(2027, 1, 11, 18, 30),
    ),
    ReceiptCase(
        "T-1",
        "a 10-working-day term across New Year",
        kz(2026, 12, 21, 10, 0),
        kz(2026, 12, 21, 10, 0),
        kz(2027, 1, 6, 18, 30),
        10,
    ),
    ReceiptCase(
        "T-1",
        "a 0-working-day term ends at closing of the receipt day",
        kz(2026, 11, 21, 11, 0),
        kz(2026, 11, 23, 9, 0),
        kz(2026, 11, 23, 18, 30),
        0,
    ),
    ReceiptCase(
        "T-2, T-3",
        "Saturday 4 January 2025: Sunday 5 January was a working day by decree",
        kz(2025, 1, 4, 10, 0),
        kz(2025, 1, 5, 9, 0),
        kz(2025, 1, 6, 18, 30),
    ),
    ReceiptCase(
        "T-2, T-3",
        "Friday 3 May 2024 after hours: Saturday 4 May was a working day",
        kz(2024, 5, 3, 19, 0),
        kz(2024, 5, 4, 9, 0),
        kz(2024, 5, 6, 18, 30),
    ),
    ReceiptCase(
        "T-2, T-3",
        "Monday 6 May 2024 after hours: 7 May holiday, 8 May moved day off, 9 May",
        kz(2024, 5, 6, 19, 0),
        kz(2024, 5, 10, 9, 0),
        kz(2024, 5, 13, 18, 30),
    ),
    ReceiptCase(
        "T-2",
        "made at 13:45 UTC is 18:45 in Almaty: after hours",
        datetime(2026, 11, 25, 13, 45, tzinfo=UTC),
        kz(2026, 11, 26, 9, 0),
        kz(2026, 11, 27, 18, 30),
    ),
    ReceiptCase(
        "T-2",
        "made at 03:30 UTC is 08:30 in Almaty: before opening",
        datetime(2026, 11, 25, 3, 30, tzinfo=UTC),
        kz(2026, 11, 25, 9, 0),
        kz(2026, 11, 26, 18, 30),
    ),
]


@pytest.mark.parametrize("case", RECEIPT_CASES, ids=lambda c: f"{c.rule}: {c.story}")
def test_receipt_and_deadline(calendar: WorkingCalendar, case: ReceiptCase) -> None:
    received = calendar.effective_receipt(case.made_at)
    assert received == case.received
    assert received.tzinfo is almaty()
    deadline = calendar.deadline(case.made_at, case.working_days)
    assert deadline == case.deadline
    assert (deadline.hour, deadline.minute) == (18, 30)


@dataclass(frozen=True)
class DayCase:
    rule: str
    day: date
    working: bool
    why: str


DAY_CASES = [
    DayCase("T-3", date(2026, 11, 20), True, "an ordinary Friday"),
    DayCase("T-3", date(2026, 11, 21), False, "Saturday"),
    DayCase("T-3", date(2026, 11, 22), False, "Sunday"),
    DayCase("T-3", date(2026, 12, 16), False, "Independence Day"),
    DayCase("T-3", date(2026, 12, 17), True, "17 December is no longer a holiday (since 2022)"),
    DayCase("T-3", date(2027, 1, 1), False, "New Year"),
    DayCase("T-3", date(2027, 1, 4), False, "2 January fell on Saturday: the day off moves to Monday"),
    DayCase("T-3", date(2027, 1, 7), False, "Orthodox Christmas"),
    DayCase("T-3", date(2026, 3, 24), False, "Nauryz 21-22 March on the weekend: moved days off"),
    DayCase("T-3", date(2024, 5, 4), True, "Saturday worked by the 2024 decree"),
    DayCase("T-3", date(2024, 5, 8), False, "Wednesday made a day off by the 2024 decree"),
    DayCase("T-3", date(2025, 1, 5), True, "Sunday worked by the decree for 2025"),
    DayCase("T-3", date(2025, 1, 3), False, "Friday made a day off by the decree for 2025"),
    DayCase("T-3", date(2013, 12, 28), True, "Saturday worked for 3 January 2014 (decree of the next year)"),
]


@pytest.mark.parametrize("case", DAY_CASES, ids=lambda c: f"{c.day} {c.why}")
def test_is_working_day(case: DayCase) -> None:
    # A fresh calendar, so that no earlier look-up has loaded the years a case depends on.
    assert WorkingCalendar().is_working_day(case.day) is case.working


@dataclass(frozen=True)
class CountCase:
    rule: str
    start: date
    n: int
    expected: date


COUNT_CASES = [
    CountCase("T-1", date(2026, 11, 20), 1, date(2026, 11, 23)),
    CountCase("T-1", date(2026, 11, 20), 5, date(2026, 11, 27)),
    CountCase("T-1", date(2026, 12, 15), 1, date(2026, 12, 17)),
    CountCase("T-1", date(2026, 12, 30), 2, date(2027, 1, 5)),
    CountCase("T-1", date(2026, 11, 21), 0, date(2026, 11, 23)),  # Labour Code Art. 13 p.5
    CountCase("T-1", date(2026, 11, 23), 0, date(2026, 11, 23)),
    CountCase("T-1", date(2027, 1, 5), -1, date(2026, 12, 31)),
]


@pytest.mark.parametrize("case", COUNT_CASES, ids=lambda c: f"{c.start}+{c.n}")
def test_add_working_days(calendar: WorkingCalendar, case: CountCase) -> None:
    assert calendar.add_working_days(case.start, case.n) == case.expected


def test_next_working_day_is_strictly_after(calendar: WorkingCalendar) -> None:
    assert calendar.next_working_day(date(2026, 11, 23)) == date(2026, 11, 24)
    assert calendar.next_working_day(date(2026, 12, 31)) == date(2027, 1, 5)


def test_naive_datetime_is_refused(calendar: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="no time zone"):
        calendar.effective_receipt(datetime(2026, 11, 21, 10, 0))


def test_negative_term_is_refused(calendar: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="negative"):
        calendar.deadline(kz(2026, 11, 23, 10), -1)


def test_custom_hours() -> None:
    state_corp = WorkingCalendar(opening=time(9, 0), closing=time(20, 0))
    assert state_corp.effective_receipt(kz(2026, 11, 25, 19, 0)) == kz(2026, 11, 25, 19, 0)
    assert state_corp.deadline(kz(2026, 11, 25, 19, 0), 1) == kz(2026, 11, 26, 20, 0)


def test_opening_must_precede_closing() -> None:
    with pytest.raises(ValueError, match="before closing"):
        WorkingCalendar(opening=time(18, 0), closing=time(9, 0))


def test_holiday_name_comes_from_the_package(calendar: WorkingCalendar) -> None:
    assert calendar.holiday_name(date(2026, 12, 16)) == "Independence Day"
    assert calendar.holiday_name(date(2026, 11, 25)) is None
