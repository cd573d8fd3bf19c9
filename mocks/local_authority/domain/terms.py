"""The authority's terms, in working days of Kazakhstan's calendar (T-1..T-3), each from the moment of receipt.

- UN-2 (Rules No. 259 §32): the head signs the decision on registration as unemployed within 1 working day
  of receiving the documents;
- DR-1 (Rules No. 259 §44): a person is removed from the register within 2 working days of the day the
  authority received the information from the centre;
- AP-1 (Rules No. 259 §46-47): a complaint is considered within 5 working days of its registration by the
  local authority, within 15 working days by the authorised body for assessing the quality of state services.

A term of n working days ends at closing of the n-th working day after the day the documents count as
received (:meth:`kernel.working_calendar.WorkingCalendar.deadline`: received after hours or on a day off, they
count as received at opening of the next working day, T-2). The lengths are dated parameters
(kernel/parameter_values.py), taken on the day of receipt.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kernel.parameters import int_on
from kernel.working_calendar import WorkingCalendar
from mocks.local_authority.domain.models import Addressee, CaseKind

__all__ = ["auto_decision_due", "complaint_deadline", "complaint_term_rule", "decision_deadline", "decision_term_rule"]

_DECISION_TERM = {
    CaseKind.UNEMPLOYED_REGISTRATION: ("unemployed_registration.decision_term_working_days", "UN-2"),
    CaseKind.DEREGISTRATION: ("deregistration.decision_term_working_days", "DR-1"),
}
_COMPLAINT_TERM = {
    Addressee.LOCAL_AUTHORITY: "complaint.local_authority_term_working_days",
    Addressee.QUALITY_ASSESSMENT: "complaint.quality_body_term_working_days",
}


def _on(received_at: datetime, calendar: WorkingCalendar) -> datetime:
    return calendar.effective_receipt(received_at)


def decision_deadline(kind: CaseKind, received_at: datetime, calendar: WorkingCalendar) -> datetime:
    """UN-2 (1 working day, §32) or DR-1 (2 working days, §44), from the receipt of the documents."""
    parameter, _ = _DECISION_TERM[kind]
    days = int_on(parameter, _on(received_at, calendar).date())
    return calendar.deadline(received_at, days)


def decision_term_rule(kind: CaseKind) -> str:
    """The rule that sets the term of a case's decision."""
    return _DECISION_TERM[kind][1]


def complaint_deadline(addressee: Addressee, received_at: datetime, calendar: WorkingCalendar) -> datetime:
    """AP-1: 5 working days at the local authority (§46), 15 at the quality-assessment body (§47)."""
    days = int_on(_COMPLAINT_TERM[addressee], _on(received_at, calendar).date())
    return calendar.deadline(received_at, days)


def complaint_term_rule() -> str:
    return "AP-1"


def auto_decision_due(received_at: datetime, delay: timedelta, calendar: WorkingCalendar) -> datetime:
    """When the official deciding in mode ``auto`` signs: ``delay`` after the documents count as received
    (within working hours, T-2), so that a delay shorter than the working day keeps the term of UN-2."""
    return _on(received_at, calendar) + delay
