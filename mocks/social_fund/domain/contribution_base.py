"""The object of calculation of social contributions (Social Code Art. 245 p.1), as the fund applies it both
when contributions are paid (``mocks/social_fund/adapters/contributions.py``) and when it reads the income back from
them for the job-loss payment (``mocks/social_fund/domain/amount.py``).

Parameters are read in force in the month concerned; a month before a parameter's range takes its earliest
value, since the simulation models no older law.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kernel.parameters import decimal_on, parameter


def in_force(name: str, month: date) -> Decimal:
    """The parameter's value in force in ``month``; its earliest value for a month before its range."""
    return decimal_on(name, max(month, parameter(name).start))


def contribution_base(monthly_income: Decimal, month: date) -> Decimal:
    """Income bounded to [1, 7] minimum wages of that month (Social Code Art. 245 p.1)."""
    minimum_wage = in_force("minimum_wage", month)
    floor = in_force("social_contribution.base_min_wages", month) * minimum_wage
    cap = in_force("social_contribution.base_max_wages", month) * minimum_wage
    return min(max(monthly_income, floor), cap)
