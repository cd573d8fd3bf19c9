"""The fund's decision on a job-loss payment: refusal with its grounds, or the amount and its months
(PE-1..PE-4, PE-6; Social Code Art. 113, 115, 117, 118).

Duration (Art. 118 p.3): 1 to 6 months by M after the repeat-claim reduction (Art. 118 p.5). Payment months
run from the day the right arose (Art. 118 p.1): month i covers [right + i months, right + i+1 months - 1 day].

Pension age (PE-6, Art. 118 p.1): nothing is paid beyond the day the general pension age is reached. A month
is paid when the person is under that age on its first day; when the age is reached inside it, its period ends
the day before. The Social Code articles cited give no proration of a shortened month, so such a month keeps the monthly
amount; the shortened period is on the schedule for the service layer to show.
"""

from __future__ import annotations

from datetime import timedelta

from kernel.months import add_months
from kernel.parameters import scale_on
from mocks.social_fund.domain.amount import payment_amount
from mocks.social_fund.domain.eligibility import pension_age_day, refusal_grounds
from mocks.social_fund.domain.models import Amount, Assignment, Claim, PaymentMonth, Refusal
from mocks.social_fund.domain.participation import counted_participation, participation_months

_ONE_DAY = timedelta(days=1)


def duration_months(counted: int, claim: Claim) -> int:
    """Art. 118 p.3: months of payment by M (after the reduction of Art. 118 p.5)."""
    months = scale_on("job_loss.duration_months", claim.right_arose).at(counted)
    if months is None:
        raise ValueError(f"no duration for {counted} months of participation (Art. 115 p.1 sub.7)")
    return int(months)


def schedule(claim: Claim, months: int, amount: Amount) -> tuple[tuple[PaymentMonth, ...], bool]:
    """The payment months from the day the right arose, cut at the pension age (PE-6, Art. 118 p.1); the flag
    says whether the pension age cut it."""
    reached = pension_age_day(claim)
    paid: list[PaymentMonth] = []
    cut = False
    for index in range(months):
        start = add_months(claim.right_arose, index)
        end = add_months(claim.right_arose, index + 1) - _ONE_DAY
        if reached is not None and reached <= start:
            cut = True
            break
        if reached is not None and reached <= end:
            end, cut = reached - _ONE_DAY, True
        paid.append(PaymentMonth(start, end, amount.gross, amount.net))
        if cut:
            break
    return tuple(paid), cut


def decide(claim: Claim) -> Assignment | Refusal:
    """Refusal with every ground (Art. 115 p.1, Art. 113 p.3, Art. 118 p.1), or the assignment."""
    grounds = refusal_grounds(claim)
    if grounds:
        return Refusal(grounds)
    raw = participation_months(claim.contributions)
    counted = counted_participation(raw, claim.months_paid_before, claim.right_arose)
    amount = payment_amount(claim.contributions, claim.right_arose, counted)
    months, cut = schedule(claim, duration_months(counted, claim), amount)
    return Assignment(raw, counted, amount, months, pension_age_day(claim) if cut else None)
