"""Suspension and termination of an assigned job-loss payment (Social Code Art. 119), as rule ``PE-7`` of
docs/rules.md, and what the schedule keeps.

Terminated (Art. 119 p.2):

- death: paid up to and including the month of death, so terminated from the 1st of the next month;
- false documents behind the decision: terminated from the day of assignment (the first day paid), so nothing
  is paid;
- the recipient's own application, loss of citizenship: from the 1st of the month after the event;
- deregistration as unemployed (reported by the employment centre, DR-2): from the 1st of the month after the
  day of deregistration.

Suspended (Art. 119 p.1), from the 1st of the month after the information arrives: no debit on the recipient's
bank account for 3 months or more; a foreigner's or stateless person's identity document expired; false
information led to a wrong amount.

The schedule keeps the payment months that begin before the day it stops; one running across that day ends the
day before it, with its monthly amount (the Code gives no proration of a month: see ``decision.py``). A month
suspended is not paid while suspended.

Resuming a suspended payment when its circumstances end (Art. 119 p.1) is not modelled: the contract's
``paymentNotice`` has no kind for it (``suspended``, ``terminated``), and the rules the project follows do not
say from when a resumed payment runs again nor whether the months suspended are paid afterwards. A suspended
payment stays suspended.

Each stop is reported to the monitoring IS as the stage :attr:`Event.stage` of the application, after its
``RESULT_ISSUED``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from mocks.social_fund.domain.models import PaymentMonth
from mocks.social_fund.domain.participation import month_of

RULE_ID = "PE-7"
SUSPENDED_STAGE = "PAYMENT_SUSPENDED"  # Art. 119 p.1
TERMINATED_STAGE = "PAYMENT_TERMINATED"  # Art. 119 p.2


class Event(StrEnum):
    DEATH = "death"  # Art. 119 p.2 sub.1
    FALSE_DOCUMENTS = "false-documents"  # Art. 119 p.2 sub.2
    OWN_APPLICATION = "own-application"  # Art. 119 p.2 sub.3
    LOSS_OF_CITIZENSHIP = "loss-of-citizenship"  # Art. 119 p.2 sub.4
    DEREGISTRATION = "deregistration"  # Art. 119 p.2 sub.5
    NO_ACCOUNT_DEBITS = "no-account-debits"  # Art. 119 p.1 sub.1: suspended
    FOREIGN_ID_EXPIRED = "foreign-identity-document-expired"  # Art. 119 p.1 sub.2: suspended
    FALSE_INFORMATION_AMOUNT = "false-information-amount"  # Art. 119 p.1 sub.3: suspended

    @property
    def suspends(self) -> bool:
        return self in _SUSPENDING

    @property
    def article(self) -> str:
        return _ARTICLES[self]

    @property
    def text(self) -> str:
        return _TEXTS[self]

    @property
    def stage(self) -> str:
        """The stage the monitoring IS is told of (``^[A-Z][A-Z0-9_]*$``, contracts/stage_report.py)."""
        return SUSPENDED_STAGE if self.suspends else TERMINATED_STAGE


_SUSPENDING = frozenset({Event.NO_ACCOUNT_DEBITS, Event.FOREIGN_ID_EXPIRED, Event.FALSE_INFORMATION_AMOUNT})
_ARTICLES = {
    Event.DEATH: "Social Code Art. 119 p.2",
    Event.FALSE_DOCUMENTS: "Social Code Art. 119 p.2",
    Event.OWN_APPLICATION: "Social Code Art. 119 p.2",
    Event.LOSS_OF_CITIZENSHIP: "Social Code Art. 119 p.2",
    Event.DEREGISTRATION: "Social Code Art. 119 p.2",
    Event.NO_ACCOUNT_DEBITS: "Social Code Art. 119 p.1",
    Event.FOREIGN_ID_EXPIRED: "Social Code Art. 119 p.1",
    Event.FALSE_INFORMATION_AMOUNT: "Social Code Art. 119 p.1",
}
_TEXTS = {
    Event.DEATH: "the recipient died: paid up to and including the month of death",
    Event.FALSE_DOCUMENTS: "false documents behind the decision: terminated from the day of assignment",
    Event.OWN_APPLICATION: "the recipient's own application",
    Event.LOSS_OF_CITIZENSHIP: "loss of citizenship",
    Event.DEREGISTRATION: "removed from the register of the unemployed",
    Event.NO_ACCOUNT_DEBITS: "no debit on the recipient's bank account for 3 months or more",
    Event.FOREIGN_ID_EXPIRED: "the identity document of a foreigner or stateless person expired",
    Event.FALSE_INFORMATION_AMOUNT: "false information led to a wrong amount",
}


@dataclass(frozen=True)
class Stop:
    """What Art. 119 does to a payment: suspends or terminates it from ``effective_from``; ``schedule`` is what
    remains paid."""

    event: Event
    event_on: date
    effective_from: date
    schedule: tuple[PaymentMonth, ...]

    @property
    def suspended(self) -> bool:
        return self.event.suspends


def first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def effective_from(event: Event, event_on: date, schedule: tuple[PaymentMonth, ...]) -> date:
    """PE-7 (Art. 119): the first day no longer paid. ``event_on`` is the day of the event (death, the
    application, the loss of citizenship, the deregistration) or, for a suspension, the day the information
    arrived."""
    if event is Event.FALSE_DOCUMENTS:
        # Art. 119 p.2: from the day of assignment, the first day the decision paid for.
        return schedule[0].start if schedule else event_on
    return first_of_next_month(month_of(event_on))


def cut_schedule(schedule: tuple[PaymentMonth, ...], stop_from: date) -> tuple[PaymentMonth, ...]:
    """The months paid before ``stop_from``: one running across it ends the day before."""
    kept: list[PaymentMonth] = []
    for month in schedule:
        if month.start >= stop_from:
            break
        kept.append(month if month.end < stop_from else replace(month, end=stop_from - timedelta(days=1)))
    return tuple(kept)


def apply(event: Event, event_on: date, schedule: tuple[PaymentMonth, ...]) -> Stop:
    """PE-7 (Art. 119): the payment stopped by ``event`` and the schedule that remains."""
    start = effective_from(event, event_on, schedule)
    return Stop(event, event_on, start, cut_schedule(schedule, start))
