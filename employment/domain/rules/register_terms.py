"""The terms of the register, each from its paragraph, on the working calendar (T-1, T-3).

Every term counts working days from the day after its event (Administrative Procedural Code Art. 64) and
ends at the centre's closing time on its last day; an event outside working hours counts from the next
working day's opening (T-2). The numbers are dated parameters (kernel/parameter_values.py). Each deadline
travels with the stage report of the step it closes (T-5, UN-6).
"""

from __future__ import annotations

from datetime import date, datetime

from employment.domain.calendar import WorkingCalendar
from kernel.parameters import int_on

__all__ = [
    "certificate_due",
    "complaint_due",
    "deregistration_decision_due",
    "deregistration_notice_due",
    "documents_due",
    "end_of",
    "mediation_window_end",
    "notification_due",
    "offer_answer_due",
    "unemployed_decision_due",
]


def end_of(day: date, calendar: WorkingCalendar) -> datetime:
    """Closing time of ``day`` at the centre (Asia/Almaty)."""
    return datetime.combine(day, calendar.closing, tzinfo=calendar.zone)


def _from_event(at: datetime, parameter: str, calendar: WorkingCalendar) -> datetime:
    receipt = calendar.effective_receipt(at)
    return calendar.deadline(receipt, int_on(parameter, receipt.date()))


def _from_day(day: date, parameter: str, calendar: WorkingCalendar) -> datetime:
    return end_of(calendar.add_working_days(day, int_on(parameter, day)), calendar)


def mediation_window_end(registered_at: datetime, calendar: WorkingCalendar) -> datetime:
    """JS-9 (Rules No. 259 §24): the centre helps select suitable work within 1 working day of registration."""
    return _from_event(registered_at, "labour_mediation.first_offer_working_days", calendar)


def offer_answer_due(offered_at: datetime, unemployed: bool, calendar: WorkingCalendar) -> datetime:
    """LM-5 (Rules No. 259 §59): a job seeker answers an offer within 1 working day, an unemployed person
    within 3."""
    name = "offer_answer.unemployed_working_days" if unemployed else "offer_answer.job_seeker_working_days"
    return _from_event(offered_at, name, calendar)


def documents_due(triggered: date | datetime, calendar: WorkingCalendar) -> datetime:
    """UN-1 (Rules No. 259 §31): within 1 working day of the JS-9 period ending without an offer (give the
    period's last day), or of the refusal (give its instant: one outside working hours counts from the next
    working day), the documents go to the local authority."""
    name = "unemployed_registration.documents_term_working_days"
    if isinstance(triggered, datetime):
        return _from_event(triggered, name, calendar)
    return _from_day(triggered, name, calendar)


def unemployed_decision_due(received_at: datetime, calendar: WorkingCalendar) -> datetime:
    """UN-2 (Rules No. 259 §32): the head of the local authority signs within 1 working day of receiving the
    documents."""
    return _from_event(received_at, "unemployed_registration.decision_term_working_days", calendar)


def notification_due(decided_on: date, calendar: WorkingCalendar) -> datetime:
    """UN-3, UN-5 (Rules No. 259 §33, §35): within 2 working days of the decision the person is notified."""
    return _from_day(decided_on, "unemployed_registration.notification_term_working_days", calendar)


def certificate_due(received_at: datetime, calendar: WorkingCalendar) -> datetime:
    """CE-1 (Rules No. 259 §42; Annex 6 item 3, item 7): 1 day from the application; one made after hours or
    on a day off is taken on the next working day (T-1, T-2)."""
    return _from_event(received_at, "unemployed_certificate.term_working_days", calendar)


def deregistration_decision_due(information_received_at: datetime, calendar: WorkingCalendar) -> datetime:
    """DR-1 (Rules No. 259 §44): the local authority removes the person within 2 working days of receiving
    the information."""
    return _from_event(information_received_at, "deregistration.decision_term_working_days", calendar)


def deregistration_notice_due(deregistered_on: date, calendar: WorkingCalendar) -> datetime:
    """DR-2 (Rules No. 259 §45): the person is told within 2 working days of the removal."""
    return _from_day(deregistered_on, "deregistration.notification_term_working_days", calendar)


def complaint_due(registered_at: datetime, quality_body: bool, calendar: WorkingCalendar) -> datetime:
    """AP-1 (Rules No. 259 §46-47): a complaint is considered within 5 working days of its registration by
    the local authority, within 15 by the body assessing the quality of state services."""
    name = "complaint.quality_body_term_working_days" if quality_body else "complaint.local_authority_term_working_days"
    return _from_event(registered_at, name, calendar)
