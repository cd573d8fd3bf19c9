"""DR-1 (1) as the fund applies it: contributions for a month after the month of registration
(mocks/social_fund/adapters/register_watch.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from mocks.population_model import Employer
from mocks.social_fund.adapters.contributions import Contribution
from mocks.social_fund.adapters.register_watch import contributions_after_registration, first_month_after

EMPLOYER = Employer("123456789012", "ТОО «Пример»")


def paid(month: date) -> Contribution:
    return Contribution(month, EMPLOYER, Decimal("100000.00"), Decimal("5000.00"), date(2027, 1, 25))


def test_the_month_after_the_registration_counts() -> None:
    assert contributions_after_registration([paid(date(2026, 12, 1))], date(2026, 11, 24)) == [paid(date(2026, 12, 1))]


def test_the_month_of_the_registration_does_not() -> None:
    # November pays for days before a dismissal on 23 November as well: not a ground.
    assert contributions_after_registration([paid(date(2026, 11, 1))], date(2026, 11, 24)) == []


def test_earlier_months_do_not() -> None:
    assert contributions_after_registration([paid(date(2026, 8, 1)), paid(date(2026, 10, 1))], date(2026, 11, 2)) == []


def test_the_year_turns() -> None:
    assert first_month_after(date(2026, 12, 31)) == date(2027, 1, 1)
    assert first_month_after(date(2026, 1, 31)) == date(2026, 2, 1)
