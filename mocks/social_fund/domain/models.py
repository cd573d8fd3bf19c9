"""The facts the fund decides a job-loss payment on, and the decision (docs/rules.md PE-1..PE-6).

Months are the first day of the month. Money is ``Decimal`` in tenge, to the tiyn (0.01 ₸).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


@dataclass(frozen=True)
class ReceivedContribution:
    """One social contribution the fund received: for ``month``, from the payer ``payer`` (a BIN)."""

    month: date
    payer: str
    amount: Decimal

    def __post_init__(self) -> None:
        if self.month.day != 1:
            raise ValueError(f"a contribution is for a month (its first day), got {self.month.isoformat()}")
        if self.amount <= 0:
            raise ValueError(f"a contribution is a positive amount, got {self.amount}")


@dataclass(frozen=True)
class Claim:
    """An application for the job-loss payment and the facts the fund checks it against.

    ``right_arose`` is the day the person was registered as unemployed (PE-1, Social Code Art. 113 p.1,
    Art. 114 p.3); ``registered_unemployed`` says whether they are (SP-7: asked of the employment centre).
    ``months_paid_before`` counts the months of job-loss payment received before (Art. 118 p.5);
    ``payment_assigned_or_pending`` is true when a payment is assigned, being paid or applied for (Art. 115 p.1
    sub.1). ``contributions`` are those received by the day of the decision.
    """

    male: bool
    birth_date: date
    right_arose: date
    applied_on: date
    registered_unemployed: bool
    payment_assigned_or_pending: bool
    months_paid_before: int
    contributions: tuple[ReceivedContribution, ...]

    def __post_init__(self) -> None:
        if self.months_paid_before < 0:
            raise ValueError(f"months paid before cannot be negative, got {self.months_paid_before}")


class RefusalGround(StrEnum):
    """Why the fund refuses, each with its article. Listed in the order of Art. 115 p.1."""

    ALREADY_ASSIGNED_OR_PENDING = "already-assigned-or-pending"  # PE-4 (1): Art. 115 p.1 sub.1
    NOT_REGISTERED_UNEMPLOYED = "not-registered-unemployed"  # PE-4 (4): Art. 115 p.1 sub.4; Art. 113 p.1
    PENSION_AGE_REACHED = "pension-age-reached"  # PE-6: Art. 99 p.3, Art. 118 p.1, Art. 207
    APPLICATION_LATE = "application-late"  # PE-2: Art. 113 p.3 (and Art. 115 p.2 sub.2)
    NO_CONTRIBUTIONS_IN_WINDOW = "no-contributions-in-24-months"  # PE-4 (6): Art. 115 p.1 sub.6
    PARTICIPATION_TOO_SHORT = "participation-under-6-months"  # PE-4 (7): Art. 115 p.1 sub.7; Art. 118 p.5

    @property
    def article(self) -> str:
        return _ARTICLES[self]


_ARTICLES = {
    RefusalGround.ALREADY_ASSIGNED_OR_PENDING: "Social Code Art. 115 p.1 sub.1",
    RefusalGround.NOT_REGISTERED_UNEMPLOYED: "Social Code Art. 115 p.1 sub.4; Art. 113 p.1",
    RefusalGround.PENSION_AGE_REACHED: "Social Code Art. 99 p.3; Art. 118 p.1; Art. 207",
    RefusalGround.APPLICATION_LATE: "Social Code Art. 113 p.3; Art. 115 p.2 sub.2",
    RefusalGround.NO_CONTRIBUTIONS_IN_WINDOW: "Social Code Art. 115 p.1 sub.6",
    RefusalGround.PARTICIPATION_TOO_SHORT: "Social Code Art. 115 p.1 sub.7; Art. 118 p.5",
}


@dataclass(frozen=True)
class Amount:
    """The monthly payment and how it was reached (Social Code Art. 117, Art. 118 p.2)."""

    average_monthly_income: Decimal  # AMI, unrounded
    replacement_coefficient: Decimal  # IRC
    participation_coefficient: Decimal  # PLC
    gross: Decimal
    pension_contribution: Decimal
    net: Decimal


@dataclass(frozen=True)
class PaymentMonth:
    """One month of payment: the period it is paid for (both days inclusive) and its amounts."""

    start: date
    end: date
    gross: Decimal
    net: Decimal


@dataclass(frozen=True)
class Assignment:
    """The payment assigned: participation (raw and after the repeat-claim reduction), amount, months."""

    participation: int
    counted_participation: int
    amount: Amount
    schedule: tuple[PaymentMonth, ...]
    pension_age_day: date | None  # set when the pension age cut the payment short (PE-6)


@dataclass(frozen=True)
class Refusal:
    grounds: tuple[RefusalGround, ...]
