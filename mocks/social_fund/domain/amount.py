"""The monthly amount of the job-loss payment (docs/rules.md PE-3; Social Code Art. 117, Art. 118 p.2,
Art. 244 p.1, Art. 245 p.1).

    gross = AMI x IRC x PLC;   net = gross - the 10 % mandatory pension contribution withheld (Art. 117)

AMI is the income on which social contributions were paid over the 24 calendar months before the month the
right arose, divided by 24; a month without contributions counts 0. The fund knows income only through the
contributions it received: each contribution's income is its amount divided by the contribution rate in force
in *its* month (3.5 % until 2024-12-31, 5 % from 2025-01-01: Art. 244 p.1), bounded to 1-7 minimum wages of
that month per payer (Art. 245 p.1). IRC and PLC are those in force on the day the right arose, PLC read at
the participation length after the repeat-claim reduction (Art. 118 p.5).

Rounding: money is ``Decimal`` in tenge. Sums and AMI are kept exact (no intermediate rounding); an income
derived from a contribution, the gross amount and the pension contribution are each rounded to the tiyn
(0.01 ₸), half up; net = gross - pension contribution, so gross = net + withheld to the tiyn. The articles
cited fix no rounding rule: the tiyn (1/100 of the tenge) is the smallest unit the fund can pay, and half
up is the rule the fund already applies to contributions (``mocks/social_fund/adapters/contributions.py``); a project
convention, not a legal text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from kernel.parameters import decimal_on, int_on, scale_on
from mocks.social_fund.domain.contribution_base import contribution_base, in_force
from mocks.social_fund.domain.models import Amount, ReceivedContribution
from mocks.social_fund.domain.participation import window

TIYN = Decimal("0.01")


def to_tiyn(value: Decimal) -> Decimal:
    """Rounded to the tiyn, half up (see the module's rounding rule)."""
    return value.quantize(TIYN, rounding=ROUND_HALF_UP)


def income_of(contribution: ReceivedContribution) -> Decimal:
    """The income a contribution was paid on: amount / the rate of its month (Art. 244 p.1), to the tiyn,
    bounded to 1-7 minimum wages of that month (Art. 245 p.1)."""
    month = contribution.month
    return contribution_base(to_tiyn(contribution.amount / in_force("social_contribution.rate", month)), month)


def monthly_incomes(contributions: Iterable[ReceivedContribution], right_arose: date) -> dict[date, Decimal]:
    """The income of each month of the averaging window that had contributions (all payers together)."""
    first, end = window(right_arose, int_on("job_loss.averaging_months", right_arose))
    incomes: dict[date, Decimal] = defaultdict(Decimal)
    for item in contributions:
        if first <= item.month < end:
            incomes[item.month] += income_of(item)
    return dict(incomes)


def average_monthly_income(contributions: Iterable[ReceivedContribution], right_arose: date) -> Decimal:
    """AMI (Art. 118 p.2): the window's income / 24, months without income counting 0. Unrounded."""
    months = int_on("job_loss.averaging_months", right_arose)
    return sum(monthly_incomes(contributions, right_arose).values(), Decimal(0)) / months


def payment_amount(
    contributions: Iterable[ReceivedContribution], right_arose: date, counted_participation: int
) -> Amount:
    """The monthly gross and net amounts (Art. 117, Art. 118 p.2). ``counted_participation`` is M after the
    repeat-claim reduction; below the first band (6 months) there is no coefficient and so no amount."""
    ami = average_monthly_income(contributions, right_arose)
    irc = decimal_on("job_loss.income_replacement_coefficient", right_arose)
    plc = scale_on("job_loss.participation_coefficient", right_arose).at(counted_participation)
    if plc is None:
        raise ValueError(f"no participation coefficient for {counted_participation} months (Art. 115 p.1 sub.7)")
    gross = to_tiyn(ami * irc * plc)
    withheld = to_tiyn(gross * decimal_on("job_loss.pension_contribution_withheld", right_arose))
    return Amount(ami, irc, plc, gross, withheld, gross - withheld)
