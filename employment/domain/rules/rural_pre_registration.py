"""Pre-registration by the centre's assistant at a rural akimat, and its registration by the centre (JS-13,
Rules No. 259 §15-21).

1. §15-18: in a village without an employment centre the person goes to the assistant at the akimat of the
   rural district, who checks the documents (as in §7) and pre-registers them: the assistant fills the
   individual employment card in the Labour Market system or, when the system cannot be reached, in
   electronic form or on paper (§17). A paper card is entered later, with the date it was filled
   (:func:`card_day`).
2. §20: within 1 working day of establishing that the documents are reliable (the day the card was filled)
   the assistant sends them to the centre (:func:`documents_due`).
3. §21: within 1 working day of receiving the documents from the assistant, the centre's worker enters the
   person's data, marks them registered as a job seeker and tells them the date of registration, through the
   assistant or by ICT or mobile phone. The centre decides as on every other channel (JS-1..JS-7); the term
   runs from the receipt (:func:`employment.domain.rules.channels.term_start`).

Which date of registration the person gets, a paper card entered later included: the day the application
counts as received by the centre, that is the day the centre received the documents from the assistant
(in its working hours, T-2), as on every channel the registration is dated by the centre's receipt
(Rules No. 259 §12: "within 1 working day of receipt ... registers"). Not the day the paper card was filled:
§15 makes the assistant's act a *pre*-registration, and §21 gives the centre the registration and has it tell
the person "the date of registration", a date the person does not know yet when the card is filled. The
paper card's date stays on the pre-registration: the assistant's term of §20 runs from it, so a card entered
late shows in the monitoring IS as overdue rather than moving the term.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum

from employment.domain.calendar import WorkingCalendar
from employment.domain.errors import PreRegistrationError
from employment.domain.models import Applicant

SERVICE_DAYS = 1  # §20 and §21: "within 1 working day"


class PreRegistrationState(str, Enum):
    PRE_REGISTERED = "PRE_REGISTERED"  # §15-18: the card is filled; the documents go to the centre (§20)
    REGISTERED = "REGISTERED"  # §21: the centre registered the person (JS-6)
    REFUSED = "REFUSED"  # the centre refused to accept or to register (JS-2, JS-3, ...)


@dataclass(frozen=True)
class PaperCard:
    """The individual employment card the assistant filled on paper when the system could not be reached
    (§17): its number in the assistant's register, if any, and the day it was filled."""

    filled_on: date
    number: str | None = None


@dataclass(frozen=True)
class PreRegistration:
    """One person pre-registered by the assistant, and what the centre did with it."""

    pre_registration_id: str  # the application id of the form the assistant signed
    applicant: Applicant
    assistant_iin: str
    assistant_bin: str | None  # the organisation in the assistant's certificate
    assistant: str  # the assistant's verified signature, described
    card_day: date  # the day the assistant checked the documents and filled the card (§16-17)
    paper_card: PaperCard | None
    entered_at: datetime  # when the card reached the Labour Market system
    documents_due: datetime  # §20: the documents reach the centre by then
    state: PreRegistrationState = PreRegistrationState.PRE_REGISTERED
    documents_received_at: datetime | None = None  # §21
    received_by: str | None = None  # the centre's worker who received them, described
    registration_deadline: datetime | None = None  # §21
    registered_on: date | None = None
    result_document: str | None = None  # the director-signed result (Annex 3, Annex 2 or the refusal to accept)
    notice: str | None = None  # what the assistant tells the person (§21; UN-5 for rural residents)

    @property
    def later_entry(self) -> bool:
        return self.paper_card is not None


def card_day(paper_card: PaperCard | None, entered_at: datetime, calendar: WorkingCalendar) -> date:
    """The day the card was filled: a paper card's own date (a later entry, §17), else the day of entry.
    A paper card dated after its entry is refused: the card cannot have been filled in the future."""
    entered_on = entered_at.astimezone(calendar.zone).date()
    if paper_card is None:
        return entered_on
    if paper_card.filled_on > entered_on:
        raise PreRegistrationError(
            f"the paper card is dated {paper_card.filled_on.isoformat()}, after the day it is entered "
            f"({entered_on.isoformat()}); enter the date the card was filled (Rules No. 259 §17)"
        )
    return paper_card.filled_on


def documents_due(day: date, calendar: WorkingCalendar) -> datetime:
    """§20: the documents go to the centre within 1 working day of the day the assistant found them reliable:
    by the centre's closing on the next working day (T-1: counting starts the day after)."""
    end = calendar.add_working_days(day, SERVICE_DAYS)
    return datetime.combine(end, calendar.closing, tzinfo=calendar.zone)


def check_receipt(pre: PreRegistration, received_at: datetime, now: datetime, calendar: WorkingCalendar) -> None:
    """The moment the worker states the documents reached the centre: not before the card was filled, and not
    later than now (a receipt cannot be entered ahead)."""
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        raise PreRegistrationError(f"the receipt time {received_at.isoformat()} has no time zone")
    if received_at > now:
        raise PreRegistrationError(
            f"the documents cannot have been received at {received_at.isoformat()}, after now ({now.isoformat()})"
        )
    if received_at.astimezone(calendar.zone).date() < pre.card_day:
        raise PreRegistrationError(
            f"the documents cannot have reached the centre on {received_at.date().isoformat()}, before the "
            f"assistant filled the card on {pre.card_day.isoformat()} (Rules No. 259 §20)"
        )


def received(pre: PreRegistration, at: datetime, by: str, deadline: datetime) -> PreRegistration:
    """§21: the documents reached the centre at ``at``; the centre registers by ``deadline``."""
    return replace(pre, documents_received_at=at, received_by=by, registration_deadline=deadline)


def decided(pre: PreRegistration, registered_on: date | None, document: str) -> PreRegistration:
    """§21: the centre's decision. Registered: the person is told the date of registration through the
    assistant (or by ICT or mobile phone); refused: told the reasons the signed document gives."""
    if registered_on is not None:
        notice = (
            f"{pre.applicant.full_name} is registered as a job seeker on {registered_on.isoformat()} "
            "(Rules No. 259 §21): tell them the date of registration and give them the notification."
        )
        return replace(
            pre,
            state=PreRegistrationState.REGISTERED,
            registered_on=registered_on,
            result_document=document,
            notice=notice,
        )
    notice = (
        f"The employment centre did not register {pre.applicant.full_name}: give them the signed answer, which "
        "states the reasons, and return their documents (Rules No. 259 §8)."
    )
    return replace(pre, state=PreRegistrationState.REFUSED, result_document=document, notice=notice)
