"""SP-1: the district department's steps on an application for the job-loss payment and their terms (regulation 004 §5).

1. the clerk accepts and registers the documents: 20 minutes (004 §5 (1));
2. the head reads them and assigns the responsible executor: 10 minutes (004 §5 (2));
3. the executor examines them and drafts the notification of assignment or refusal: 8 working days (004 §5 (3));
4. the head signs the notification: 10 minutes (004 §5 (4));
5. the clerk registers the signed notification and hands it over: 20 minutes (004 §5 (5)).

Working time (Administrative Procedural Code Art. 64 p.3, Labour Code Art. 13
p.5; :class:`kernel.working_calendar.WorkingCalendar`): an application received after working hours or on a day
off is registered on the next working day, at opening. The project applies the same reading to every step: a
step that would start outside working hours starts at opening of the next working day, and a term of minutes
runs from that start. A term of working days ends at closing of the n-th working day after the day the step
starts (T-1). The deadline of the service is the end of the last step when each step takes its whole term, from
the moment the application was received.

In mode ``auto`` each role acts when its term ends (the executor, when configured, after a shorter delay), so
moving the shared clock past a step's deadline makes the role act.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from kernel.working_calendar import WorkingCalendar


class Step(StrEnum):
    """The SP-1 steps in order; the value is the stage reported to the monitoring IS once the step is done."""

    REGISTRATION = "REGISTERED"  # the clerk, 20 minutes: 004 §5 (1)
    ASSIGNMENT = "EXECUTOR_ASSIGNED"  # the head, 10 minutes: 004 §5 (2)
    EXAMINATION = "DRAFTED"  # the executor, 8 working days: 004 §5 (3)
    SIGNING = "SIGNED"  # the head, 10 minutes: 004 §5 (4)
    HANDOVER = "RESULT_ISSUED"  # the clerk, 20 minutes: 004 §5 (5)

    @property
    def role(self) -> Role:
        return _ROLES[self]

    @property
    def next(self) -> Step | None:
        order = list(Step)
        index = order.index(self)
        return order[index + 1] if index + 1 < len(order) else None


class Role(StrEnum):
    CLERK = "clerk"
    HEAD = "head"
    EXECUTOR = "executor"


_ROLES = {
    Step.REGISTRATION: Role.CLERK,
    Step.ASSIGNMENT: Role.HEAD,
    Step.EXAMINATION: Role.EXECUTOR,
    Step.SIGNING: Role.HEAD,
    Step.HANDOVER: Role.CLERK,
}


@dataclass(frozen=True)
class Term:
    """A step's term: minutes of working time, or working days."""

    minutes: int = 0
    working_days: int = 0


TERMS: dict[Step, Term] = {
    Step.REGISTRATION: Term(minutes=20),  # SP-1, 004 §5 (1)
    Step.ASSIGNMENT: Term(minutes=10),  # SP-1, 004 §5 (2)
    Step.EXAMINATION: Term(working_days=8),  # SP-1, 004 §5 (3)
    Step.SIGNING: Term(minutes=10),  # SP-1, 004 §5 (4)
    Step.HANDOVER: Term(minutes=20),  # SP-1, 004 §5 (5)
}
RULE_ID = "SP-1"


def step_starts(at: datetime, calendar: WorkingCalendar) -> datetime:
    """When a step begun at ``at`` counts as begun: within working hours, then; otherwise at opening of the next
    working day (Administrative Procedural Code Art. 64 p.3)."""
    return calendar.effective_receipt(at)


def step_deadline(step: Step, started: datetime, calendar: WorkingCalendar) -> datetime:
    """SP-1 (004 §5): the end of ``step``'s term when it begins at ``started``."""
    term = TERMS[step]
    if term.working_days:
        return calendar.deadline(started, term.working_days)
    return step_starts(started, calendar) + timedelta(minutes=term.minutes)


def service_deadline(received_at: datetime, calendar: WorkingCalendar) -> datetime:
    """SP-1: the deadline of the whole service, each step taking its whole term from the end of the one before
    (20 min + 10 min + 8 working days + 10 min + 20 min from the receipt)."""
    moment = received_at
    for step in Step:
        moment = step_deadline(step, moment, calendar)
    return moment


def registered_at(received_at: datetime, calendar: WorkingCalendar) -> datetime:
    """Administrative Procedural Code Art. 64 p.3: an application received after
    working hours or on a day off is registered at opening of the next working day."""
    return step_starts(received_at, calendar)


def acts_at(
    step: Step, started: datetime, calendar: WorkingCalendar, examination_delay: timedelta | None = None
) -> datetime:
    """Mode ``auto``: when the role acts. At the end of the step's term; the executor after
    ``examination_delay`` of the step's start when one is configured (never later than the term's end)."""
    deadline = step_deadline(step, started, calendar)
    if step is Step.EXAMINATION and examination_delay is not None:
        return min(deadline, step_starts(started, calendar) + examination_delay)
    return deadline
