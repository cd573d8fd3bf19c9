"""Social contributions a person's employers paid to the fund, derived from their employment spells.

The fund knows income only through the contributions it received (Social Code Art. 244-245). Each
month of an employment spell gives one contribution:

- object of calculation (income) = the monthly income, but at least 1 and at most 7 minimum wages in
  force in that month (Social Code Art. 245 p.1);
- amount = income x the contribution rate in force in that month (Social Code Art. 244 p.1: 3.5 % until
  2024-12-31, 5 % from 2025-01-01), rounded to the tiyn;
- paid on the 25th of the next month; a month appears once that date is not after the as-of day.

Months run from the spell's first month to the earlier of its last month and the month before the
as-of month. The parameters are the dated values of ``kernel.parameter_values`` (minimum wage, contribution rate,
bounds of the base); months before a parameter's range take its earliest value, since the simulation
does not model older law.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from mocks.population import Employer, EmploymentSpell
from mocks.social_fund.domain.contribution_base import contribution_base, in_force

PAYMENT_DAY = 25  # contributions for a month are paid by the 25th of the next month
TIYN = Decimal("0.01")


@dataclass(frozen=True)
class Contribution:
    """One month's social contribution from one employer."""

    month: date  # first day of the month it is for
    employer: Employer
    income: Decimal
    amount: Decimal
    paid_on: date


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _next_month(month: date) -> date:
    return _month_start(month.year, month.month + 1)


def payment_date(month: date) -> date:
    """When the contribution for ``month`` reaches the fund: the 25th of the next month."""
    return _next_month(month).replace(day=PAYMENT_DAY)


def contribution_for(spell: EmploymentSpell, month: date) -> Contribution:
    """The contribution for one month of ``spell`` (Social Code Art. 244 p.1, Art. 245 p.1)."""
    income = contribution_base(Decimal(spell.monthly_income), month).quantize(TIYN)
    amount = (income * in_force("social_contribution.rate", month)).quantize(TIYN, rounding=ROUND_HALF_UP)
    return Contribution(month=month, employer=spell.employer, income=income, amount=amount, paid_on=payment_date(month))


def _months(spell: EmploymentSpell, as_of: date) -> Iterable[date]:
    month = spell.start.replace(day=1)
    last = date(as_of.year, as_of.month, 1)  # exclusive: the as-of month itself is never paid yet
    if spell.end is not None:
        last = min(last, _next_month(spell.end.replace(day=1)))
    while month < last:
        yield month
        month = _next_month(month)


def contributions_received(spells: Iterable[EmploymentSpell], as_of: date) -> list[Contribution]:
    """Every contribution the fund has received by ``as_of`` for these spells, by month then employer."""
    received = [
        contribution_for(spell, month)
        for spell in spells
        for month in _months(spell, as_of)
        if payment_date(month) <= as_of
    ]
    return sorted(received, key=lambda item: (item.month, item.employer.bin))
