"""Participation length M and the contributions of a window of months (PE-3, PE-4 (6), Art. 118 p.5)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from kernel.months import add_months
from kernel.parameters import int_on
from mocks.social_fund.domain.models import ReceivedContribution


def month_of(day: date) -> date:
    return day.replace(day=1)


def participation_months(contributions: Iterable[ReceivedContribution]) -> int:
    """PE-3 (Social Code Art. 1 p.1 sub.113): M is the number of months for which social contributions were
    received; a month paid by several payers counts once."""
    return len({item.month for item in contributions})


def counted_participation(months: int, months_paid_before: int, right_arose: date) -> int:
    """M after the repeat-claim reduction (Social Code Art. 118 p.5): 12 months are subtracted for every month
    of job-loss payment received before; never below 0."""
    per_month = int_on("job_loss.repeat_claim_reduction_months", right_arose)
    return max(0, months - per_month * months_paid_before)


def window(right_arose: date, length: int) -> tuple[date, date]:
    """The ``length`` calendar months before the month in which the right arose: (first month, month after the
    last), the second exclusive."""
    end = month_of(right_arose)
    return add_months(end, -length), end


def contributed_in_check_window(contributions: Iterable[ReceivedContribution], right_arose: date) -> bool:
    """PE-4 (6) (Social Code Art. 115 p.1 sub.6): some social contribution was received for one of the 24
    months before the month of the risk (the month the right arose, PE-1)."""
    first, end = window(right_arose, int_on("job_loss.contribution_check_months", right_arose))
    return any(first <= item.month < end for item in contributions)
