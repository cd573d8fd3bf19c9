"""The channels through which a person asks to be registered as a job seeker, and the rules that differ by
channel (Rules No. 259 §4, §15-21, §25-30; standard items 2 and 7).

- ``PORTAL``: signed by the applicant with their EDS (JS-10: §25); the term runs from the submission on the
  portal (regulation 000 §10); the portal takes applications round the clock, counted in the centre's hours.
- ``OFFICE``: signed by the centre's office specialist who accepts the documents (``000 §5 action 1``: §7, §10);
  the term runs from the documents handed in at the centre (regulation 000 §5); the centre's hours, 9:00-18:30
  on working days.
- ``STATE_CORPORATION``: signed by an operator of the State Corporation, or the centre's worker seated there
  (JS-12: §30; regulation 004 §7 process 5); the term runs from the documents handed in at the State
  Corporation, which receives Monday-Saturday 9:00-20:00, not on Sundays and holidays.
- ``RURAL_ASSISTANT``: signed by the centre's assistant at the rural akimat (JS-13: §15-17); the term runs from
  the documents received by the centre from the assistant (§21), in the centre's hours.

In every channel but the portal the applicant does not sign the electronic form: they sign the paper
application of standard Annex 1 with its consent to process their personal data, in front of the person
who accepts it, and that person signs the electronic form with their own EDS. So the centre accepts a form
signed by someone other than the applicant only from a person it has authorised for that channel, whose
certificate names an organisation allowed for it (:func:`require_authorised_signer`). Which persons and
organisations are authorised is the centre's register of staff (:class:`SignerRegister`), given to the
service at its start.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum

from employment.domain.calendar import WorkingCalendar
from employment.domain.errors import SignerNotAuthorised
from employment.domain.models import Applicant
from employment.domain.rules.job_seeker_registration import TERM_PARAMETER, require_signer_is_applicant
from employment.domain.rules.job_seeker_registration import term_start as portal_term_start
from kernel.parameters import int_on

_ONE_DAY = timedelta(days=1)


class Channel(str, Enum):
    """Where the person applied (Rules No. 259 §4; standard item 2)."""

    PORTAL = "PORTAL"  # §4 sub.2, §25-29
    OFFICE = "OFFICE"  # §4 sub.1, §7-14: the employment centre at the place of residence
    STATE_CORPORATION = "STATE_CORPORATION"  # §4 sub.3, §30
    RURAL_ASSISTANT = "RURAL_ASSISTANT"  # §15-21: the assistant at the rural akimat pre-registers


# The rule that says who signs the form in each channel (docs/rules.md).
SIGNER_RULE: Mapping[Channel, str] = {
    Channel.PORTAL: "JS-10",
    Channel.OFFICE: "000 §5 action 1",
    Channel.STATE_CORPORATION: "JS-12",
    Channel.RURAL_ASSISTANT: "JS-13",
}


@dataclass(frozen=True)
class Signer:
    """Who signed a form, as their certificate names them: IIN in SERIALNUMBER, organisation's BIN in OU."""

    iin: str | None
    bin: str | None


@dataclass(frozen=True)
class ChannelStaff:
    """Who may sign the forms of one channel in the applicant's place: persons (IIN) the centre has authorised,
    each with a certificate of one of the allowed organisations (BIN)."""

    organisations: frozenset[str]
    people: frozenset[str]


@dataclass(frozen=True)
class SignerRegister:
    """The centre's register of staff authorised to sign forms for applicants, by channel. A channel it does
    not name has nobody authorised: its forms are refused."""

    by_channel: Mapping[Channel, ChannelStaff] = field(default_factory=dict)

    def staff(self, channel: Channel) -> ChannelStaff | None:
        return self.by_channel.get(channel)


def require_authorised_signer(channel: Channel, signer: Signer, applicant: Applicant, register: SignerRegister) -> None:
    """Who may sign the form of ``channel`` (see the module's table).

    Portal (JS-10, Rules No. 259 §25): the applicant, with their own EDS (the IIN in the certificate is the
    form's IIN). Every other channel: a person of the centre's register for that channel whose certificate
    names one of the organisations allowed for it: an operator of the State Corporation or the centre's worker
    seated there (JS-12, §30; regulation 004 §7 process 5: the operator-signed electronic document), the
    centre's office specialist (``000 §5 action 1``, §7, §10), the centre's assistant at a rural akimat (JS-13,
    §15-17). Raises :class:`SignerNotAuthorised` (or ``SignerIsNotApplicant`` on the portal) naming the rule.
    """
    if channel is Channel.PORTAL:
        require_signer_is_applicant(signer.iin, applicant)
        return
    rule_id = SIGNER_RULE[channel]
    staff = register.staff(channel)
    if staff is None or not staff.people:
        raise SignerNotAuthorised(f"the employment centre authorises nobody to sign {channel.value} forms", rule_id)
    if signer.bin not in staff.organisations:
        held_by = f"organisation BIN {signer.bin}" if signer.bin else "no organisation (a personal certificate)"
        raise SignerNotAuthorised(
            f"a form of channel {channel.value} must be signed with the certificate of an organisation allowed "
            f"for it ({', '.join(sorted(staff.organisations))}); it is signed with a certificate of {held_by} "
            f"({rule_id})",
            rule_id,
        )
    if signer.iin not in staff.people:
        raise SignerNotAuthorised(
            f"IIN {signer.iin} is not in the employment centre's register of staff authorised to sign "
            f"{channel.value} forms ({rule_id})",
            rule_id,
        )


def is_authorised(channel: Channel, signer: Signer, register: SignerRegister) -> bool:
    """Whether ``signer`` is a person of the register for ``channel`` with a certificate of an organisation
    allowed for it (the test of :func:`require_authorised_signer`, for acts that concern no applicant's form)."""
    staff = register.staff(channel)
    return staff is not None and signer.bin in staff.organisations and signer.iin in staff.people


def applicant_consent(channel: Channel, stated: bool, signed_application: bool) -> bool:
    """Whether the form carries the applicant's consent to process their personal data (standard Annex 1;
    without it the application is not accepted, JS-2).

    On the portal the applicant signs the form that states the consent with their own EDS (JS-10). In every
    other channel someone else signs the electronic form, so its consent counts only when that person also
    records that the applicant gave it by signing the paper application in person (standard Annex 1: "the
    consent is given by signing this application").
    """
    if channel is Channel.PORTAL:
        return stated
    return stated and signed_application


@dataclass(frozen=True)
class OfficeHours:
    """When an office receives applicants (T-2, standard item 7): opening and closing on working days (T-3),
    and on Saturdays that are not holidays when ``saturdays``."""

    opening: time
    closing: time
    saturdays: bool = False

    def receives_on(self, day: date, calendar: WorkingCalendar) -> bool:
        if calendar.is_working_day(day):
            return True
        return self.saturdays and day.weekday() == 5 and calendar.holiday_name(day) is None

    def effective_receipt(self, at: datetime, calendar: WorkingCalendar) -> datetime:
        """The instant an application handed in at ``at`` counts as received: within the office's hours,
        ``at``; before opening on a day it receives, opening that day; otherwise opening on the next day it
        receives (T-2; Administrative Procedural Code Art. 64 p.3)."""
        if at.tzinfo is None or at.utcoffset() is None:
            raise ValueError(f"{at.isoformat()} has no time zone; give an aware datetime")
        local = at.astimezone(calendar.zone)
        day = local.date()
        if self.receives_on(day, calendar):
            if local.time() < self.opening:
                return datetime.combine(day, self.opening, tzinfo=calendar.zone)
            if local.time() < self.closing:
                return local
        day += _ONE_DAY
        while not self.receives_on(day, calendar):
            day += _ONE_DAY
        return datetime.combine(day, self.opening, tzinfo=calendar.zone)

    def deadline(self, receipt: datetime, working_days: int, calendar: WorkingCalendar) -> datetime:
        """T-1: the office's closing on the ``working_days``-th working day after the day of receipt (counting
        starts the day after, Administrative Procedural Code Art. 64; a Saturday the State Corporation works
        is not a working day of the term)."""
        end = calendar.add_working_days(receipt.astimezone(calendar.zone).date(), working_days)
        return datetime.combine(end, self.closing, tzinfo=calendar.zone)


# Standard item 7: the State Corporation receives Monday to Saturday 9:00-20:00 without a lunch break, not on
# Sundays and holidays; the centre 9:00-18:30 on working days (employment.domain.calendar).
STATE_CORPORATION_HOURS = OfficeHours(time(9, 0), time(20, 0), saturdays=True)


def office_hours(channel: Channel, calendar: WorkingCalendar) -> OfficeHours:
    """T-2: the hours of the office that receives the application in ``channel``: the State Corporation's for
    its channel, the centre's (``calendar``'s) for the others (an application on the portal is counted in the
    centre's hours: standard item 7 sub.3)."""
    if channel is Channel.STATE_CORPORATION:
        return STATE_CORPORATION_HOURS
    return OfficeHours(calendar.opening, calendar.closing)


def term_start(channel: Channel, submitted_at: datetime | None, received_at: datetime) -> datetime:
    """The moment the term of the service runs from, by channel (T-1).

    Portal: the submission on the portal (regulation 000 §10, :func:`portal_term_start`). Office and State
    Corporation: the moment the documents were handed in, which the form signed by the person who accepted them
    states as ``submittedAt`` (regulation 000 §5: "from the moment the documents are handed in"), never later
    than the form reached the centre. Rural assistant: the moment the centre received the documents from the
    assistant (Rules No. 259 §21), whatever day the assistant filled the card.
    """
    if channel is Channel.RURAL_ASSISTANT:
        return received_at
    return portal_term_start(submitted_at, received_at)


def term(channel: Channel, started_at: datetime, calendar: WorkingCalendar) -> tuple[datetime, datetime]:
    """(effective receipt, deadline) of an application in ``channel``: T-2 moves the receipt into the
    receiving office's hours; the deadline is that office's closing on the last working day of the term in
    force on the day of receipt (standard item 3; Rules No. 259 §12, §21)."""
    hours = office_hours(channel, calendar)
    receipt = hours.effective_receipt(started_at, calendar)
    return receipt, hours.deadline(receipt, int_on(TERM_PARAMETER, receipt.date()), calendar)
