"""Calendar-day and month terms and the portal's receipt, case by case from terms.yaml (each names its rule)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from employment.domain.calendar import WorkingCalendar
from employment.domain.terms import (
    CERTIFICATE_VALIDITY,
    PAYMENT_APPLICATION_WINDOW,
    CalendarTerm,
    add_months,
    certificate_valid_until,
    term_end,
)
from kernel.clock import almaty

CASES = yaml.safe_load((Path(__file__).parent / "terms.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


def _local(value: str) -> dt.datetime:
    """A wall-clock time in Asia/Almaty, written 2026-03-20T19:00 in terms.yaml."""
    return dt.datetime.fromisoformat(value).replace(tzinfo=almaty())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any], calendar: WorkingCalendar) -> None:
    kind = case["kind"]
    if kind == "certificate":
        assert case["rule"] == CERTIFICATE_VALIDITY.rule_id
        assert certificate_valid_until(case["from"], calendar) == case["ends"]
    elif kind == "months":
        assert case["rule"] == PAYMENT_APPLICATION_WINDOW.rule_id
        assert term_end(PAYMENT_APPLICATION_WINDOW, case["from"], case["length"], calendar) == case["ends"]
    elif kind == "portal":
        made_at = _local(case["made_at"])
        assert calendar.effective_receipt(made_at) == _local(case["received"])
        assert calendar.deadline(made_at, case["length"]) == _local(case["deadline"])
    else:
        pytest.fail(f"unknown kind {kind!r} in terms.yaml")


def test_the_certificate_counts_the_issue_day_and_never_moves() -> None:
    assert CERTIFICATE_VALIDITY.counts_event_day and not CERTIFICATE_VALIDITY.moves_to_working_day
    assert PAYMENT_APPLICATION_WINDOW.moves_to_working_day and not PAYMENT_APPLICATION_WINDOW.counts_event_day


def test_a_moving_calendar_day_term_starts_the_day_after_and_leaves_nauryz(calendar: WorkingCalendar) -> None:
    term = CalendarTerm("T-1", "calendar days", counts_event_day=False, moves_to_working_day=True, basis="test")
    assert term_end(term, dt.date(2026, 3, 11), 10, calendar) == dt.date(2026, 3, 26)  # 21 March -> 26 March
    assert term_end(term, dt.date(2026, 3, 9), 10, calendar) == dt.date(2026, 3, 19)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
        (dt.date(2026, 12, 15), 12, dt.date(2027, 12, 15)),
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_a_term_must_last(calendar: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        term_end(PAYMENT_APPLICATION_WINDOW, dt.date(2026, 1, 1), 0, calendar)
    with pytest.raises(ValueError, match="calendar days"):
        CalendarTerm("T-4", "weeks", counts_event_day=True, moves_to_working_day=False, basis="test")
