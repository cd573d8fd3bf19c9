"""Whether the fund accepts a job-loss payment application (PE-1, PE-2, PE-4, PE-6).

Grounds decided here from the claim's facts: PE-4 (1), (4), (6), (7) of Social Code Art. 115 p.1, the
12-month term of Art. 113 p.3 (PE-2) and the pension age (PE-6). The document grounds (PE-4 (2), (3), (5))
and PE-5 (Art. 115 p.2) belong to the department's check of the documents and are not decided here.
"""

from __future__ import annotations

from datetime import date

from kernel.months import add_months
from kernel.parameters import int_on
from kernel.pension_age import pension_age_reached_on
from mocks.social_fund.domain.models import Claim, RefusalGround
from mocks.social_fund.domain.participation import (
    contributed_in_check_window,
    counted_participation,
    participation_months,
)


def last_day_to_apply(right_arose: date) -> date:
    """PE-2 (Social Code Art. 113 p.3): the application is made within 12 months of the day the right arose; a
    term of months ends on the same-numbered day of the last month (its last day when it has none)."""
    return add_months(right_arose, int_on("job_loss.application_term_months", right_arose))


def pension_age_day(claim: Claim) -> date | None:
    """PE-6 (Social Code Art. 207 p.1; kernel/pension_age.py): the day the claimant reaches the general pension
    age, if by the day the last possible payment month ends (six months after the right arose)."""
    horizon = add_months(claim.right_arose, 6)
    reached = pension_age_reached_on(claim.male, claim.birth_date, horizon)
    return reached.day if reached is not None else None


def refusal_grounds(claim: Claim) -> tuple[RefusalGround, ...]:
    """Every ground on which the application is refused, in the order of Art. 115 p.1; empty when accepted."""
    grounds: list[RefusalGround] = []
    # PE-4 (1), Art. 115 p.1 sub.1: a payment already assigned, being paid or applied for.
    if claim.payment_assigned_or_pending:
        grounds.append(RefusalGround.ALREADY_ASSIGNED_OR_PENDING)
    # PE-1, PE-4 (4), Art. 113 p.1, Art. 115 p.1 sub.4: the right arises only with registration as unemployed,
    # and not before the day it arose.
    if not claim.registered_unemployed or claim.applied_on < claim.right_arose:
        grounds.append(RefusalGround.NOT_REGISTERED_UNEMPLOYED)
    # PE-6, Art. 99 p.3, Art. 118 p.1: nothing is paid from the day the pension age is reached.
    reached = pension_age_day(claim)
    if reached is not None and reached <= claim.right_arose:
        grounds.append(RefusalGround.PENSION_AGE_REACHED)
    # PE-2, Art. 113 p.3: within 12 months of the day the right arose.
    if claim.applied_on > last_day_to_apply(claim.right_arose):
        grounds.append(RefusalGround.APPLICATION_LATE)
    # PE-4 (6), Art. 115 p.1 sub.6: some contribution in the 24 months before the month of the risk.
    if not contributed_in_check_window(claim.contributions, claim.right_arose):
        grounds.append(RefusalGround.NO_CONTRIBUTIONS_IN_WINDOW)
    # PE-3, PE-4 (7), Art. 115 p.1 sub.7 with Art. 118 p.5: M (after the repeat-claim reduction) under 6.
    months = counted_participation(
        participation_months(claim.contributions), claim.months_paid_before, claim.right_arose
    )
    if months < int_on("job_loss.minimum_participation_months", claim.right_arose):
        grounds.append(RefusalGround.PARTICIPATION_TOO_SHORT)
    return tuple(grounds)
