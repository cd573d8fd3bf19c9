"""DR-1: the seven grounds on which the local authority removes an unemployed person from the register
(Rules No. 259 §44), each its own rule reading the facts reported with it; DR-2 (§45) is the removal itself.

A ground arrives as an event (from the social insurance fund, a court, the person registry, the centre's own
records) with facts as text; :func:`parse_facts` reads them within bounds and :func:`establish` applies the
ground's rule on the day the information was received. A ground not established changes nothing.

1. social medical insurance deductions, pension or social contributions arrive for the person (they work):
   contributions for a month after the month of registration as unemployed (§44 sub.1);
2. three offers of suitable work refused, or an offer not answered in time (§44 sub.2; LM-5: 3 working days);
3. without a valid reason: not at the employer or place of study within 5 working days of the centre's
   notice, not at the centre for active measures within 3 working days of the invitation, or active measures
   stopped on one's own (§44 sub.3);
4. the schedule of visits of UN-7 broken without a valid reason (§44 sub.4, §37);
5. sentenced to imprisonment, or sent to compulsory treatment, by a court decision in force (§44 sub.5);
6. a change not reported within 5 working days: residence, work (permanent, temporary, civil contract),
   business, founding an organisation, a disability group set or changed, a pension assigned (§44 sub.6, §51);
7. knowingly false or forged documents presented (§44 sub.7).

From 01.07.2023 a removal on grounds (2)-(4) bars registration as unemployed again for 30 calendar days
(Social Code Art. 100 p.2; the dated parameter ``unemployed.reregistration_bar_calendar_days``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum

from employment.domain.calendar import WorkingCalendar
from employment.domain.errors import InvalidGroundFacts
from employment.domain.models import Reason
from employment.domain.register import Visit
from employment.domain.terms import CalendarTerm, term_end
from kernel.parameters import int_on

__all__ = [
    "BARRING_GROUNDS",
    "CHANGE_KINDS",
    "DEREGISTRATION_SERVICE",
    "REFERRAL_KINDS",
    "SENTENCE_KINDS",
    "establish",
    "parse_facts",
    "reregistration_bar",
    "reregistration_barred_until",
]

DEREGISTRATION_SERVICE = "UNEMPLOYED_DEREGISTRATION"
BARRING_GROUNDS = frozenset({2, 3, 4})  # Social Code Art. 100 p.2
REFERRAL_KINDS = ("employer", "study", "active-measures", "stopped-active-measures")
SENTENCE_KINDS = ("imprisonment", "compulsory-treatment")
CHANGE_KINDS = ("residence", "work", "business", "founder", "disability-group", "pension")
MAX_FACTS = 16
MAX_FACT_LENGTH = 500
_KEY = re.compile(r"^[a-zA-Z][a-zA-Z0-9]{0,39}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

REREGISTRATION_BAR = CalendarTerm(
    rule_id="DR-1",
    unit="calendar days",
    counts_event_day=False,
    moves_to_working_day=False,
    basis="Social Code Art. 100 p.2 (not earlier than 30 calendar days from the removal): the days count "
    "from the day after the removal; a bar is not a term for an action, so it does not move",
)


class Ground(int, Enum):
    CONTRIBUTIONS = 1
    REFUSED_OFFERS = 2
    MISSED_REFERRAL = 3
    BROKE_VISIT_SCHEDULE = 4
    SENTENCED = 5
    UNREPORTED_CHANGE = 6
    FALSE_DOCUMENTS = 7


def parse_facts(facts: Mapping[str, str]) -> dict[str, str]:
    """The reported facts, bounded: at most 16 named values of at most 500 characters each."""
    if len(facts) > MAX_FACTS:
        raise InvalidGroundFacts(f"at most {MAX_FACTS} facts are read, got {len(facts)}")
    read: dict[str, str] = {}
    for key, value in facts.items():
        if not isinstance(key, str) or not _KEY.match(key):
            raise InvalidGroundFacts(f"a fact's name must be a short identifier, got {str(key)[:40]!r}")
        if not isinstance(value, str) or len(value) > MAX_FACT_LENGTH:
            raise InvalidGroundFacts(f"the fact {key} must be text of at most {MAX_FACT_LENGTH} characters")
        read[key] = value.strip()
    return read


def _date(facts: Mapping[str, str], key: str, *, required: bool = True) -> date | None:
    text = facts.get(key, "")
    if not text:
        if required:
            raise InvalidGroundFacts(f"the fact {key} (a date, YYYY-MM-DD) is missing")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidGroundFacts(f"the fact {key} is not a date (YYYY-MM-DD): {text[:40]!r}") from exc


def _count(facts: Mapping[str, str], key: str) -> int:
    text = facts.get(key, "0") or "0"
    if not text.isdigit() or len(text) > 3:
        raise InvalidGroundFacts(f"the fact {key} is not a count: {text[:40]!r}")
    return int(text)


def _one_of(facts: Mapping[str, str], key: str, kinds: tuple[str, ...]) -> str:
    value = facts.get(key, "")
    if value not in kinds:
        raise InvalidGroundFacts(f"the fact {key} must be one of {', '.join(kinds)}, got {value[:40]!r}")
    return value


def _yes(facts: Mapping[str, str], key: str) -> bool:
    value = facts.get(key, "false").casefold()
    if value not in ("true", "false"):
        raise InvalidGroundFacts(f"the fact {key} must be true or false, got {value[:40]!r}")
    return value == "true"


def contributions_arrived(facts: Mapping[str, str], registered_on: date) -> Reason | None:
    """DR-1 (1), §44 sub.1: contributions for a month after the month of registration as unemployed.
    Facts: ``months`` (YYYY-MM, comma-separated), ``employerBin`` (optional)."""
    months: list[date] = []
    for part in facts.get("months", "").split(","):
        match = _MONTH.match(part.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise InvalidGroundFacts(f"the fact months must list months as YYYY-MM, got {part.strip()[:40]!r}")
        months.append(date(int(match.group(1)), int(match.group(2)), 1))
    later = sorted(m for m in months if m > registered_on.replace(day=1))
    if not later:
        return None
    payer = f" from BIN {facts['employerBin']}" if facts.get("employerBin") else ""
    return Reason(
        "DR-1 (1)",
        f"Contributions arrived{payer} for {later[0]:%Y-%m}, after registration as unemployed on "
        f"{registered_on.isoformat()} (Rules No. 259 §44 sub.1).",
    )


def refused_offers(facts: Mapping[str, str], on: date) -> Reason | None:
    """DR-1 (2), §44 sub.2: three offers of suitable work refused, or offers not answered in time.
    Facts: ``refusedOffers`` (count), ``unansweredOffers`` (count)."""
    refused, unanswered = _count(facts, "refusedOffers"), _count(facts, "unansweredOffers")
    limit = int_on("deregistration.refused_offers", on)
    if refused >= limit:
        return Reason("DR-1 (2)", f"{refused} offers of suitable work refused (Rules No. 259 §44 sub.2).")
    if unanswered:
        return Reason(
            "DR-1 (2)",
            f"{unanswered} offer(s) of suitable work not answered in time (Rules No. 259 §44 sub.2, §59).",
        )
    return None


def missed_referral(facts: Mapping[str, str], on: date, calendar: WorkingCalendar) -> Reason | None:
    """DR-1 (3), §44 sub.3, without a valid reason. Facts: ``kind`` (employer, study, active-measures,
    stopped-active-measures), ``notifiedOn``, ``cameOn`` (optional), ``validReason`` (optional text)."""
    kind = _one_of(facts, "kind", REFERRAL_KINDS)
    if facts.get("validReason"):
        return None
    if kind == "stopped-active-measures":
        stopped = _date(facts, "stoppedOn")
        return Reason(
            "DR-1 (3)",
            f"Stopped active employment measures on {stopped} without a valid reason (Rules No. 259 §44 sub.3).",
        )
    notified = _date(facts, "notifiedOn")
    assert notified is not None
    parameter = (
        "deregistration.active_measures_working_days"
        if kind == "active-measures"
        else ("deregistration.referral_working_days")
    )
    days = int_on(parameter, notified)
    last = calendar.add_working_days(notified, days)
    came = _date(facts, "cameOn", required=False)
    if came is not None and came <= last:
        return None
    if came is None and on <= last:
        return None  # the term has not run out yet
    where = {"employer": "the employer", "study": "the place of study"}.get(kind, "the centre for active measures")
    return Reason(
        "DR-1 (3)",
        f"Did not come to {where} within {days} working days of {notified.isoformat()} (by {last.isoformat()}) "
        "without a valid reason (Rules No. 259 §44 sub.3).",
    )


def broke_visit_schedule(visits: tuple[Visit, ...], on: date) -> Reason | None:
    """DR-1 (4), §44 sub.4 with UN-7 (§37): a visit of the schedule, past by ``on``, missed without a valid
    reason. Read from the centre's own schedule, not from reported facts."""
    missed = [v for v in visits if v.on < on and v.attended_on != v.on and not v.valid_reason]
    if not missed:
        return None
    first = min(missed, key=lambda v: v.on)
    return Reason(
        "DR-1 (4)",
        f"The visit scheduled for {first.on.isoformat()} was missed without a valid reason "
        "(Rules No. 259 §44 sub.4, §37).",
    )


def sentenced(facts: Mapping[str, str], on: date) -> Reason | None:
    """DR-1 (5), §44 sub.5: sentenced to imprisonment, or sent to compulsory treatment, by a court decision
    in force. Facts: ``kind`` (imprisonment, compulsory-treatment), ``inForceOn``."""
    kind = _one_of(facts, "kind", SENTENCE_KINDS)
    in_force = _date(facts, "inForceOn")
    assert in_force is not None
    if in_force > on:
        return None
    what = "sentenced to imprisonment" if kind == "imprisonment" else "sent to compulsory treatment"
    return Reason(
        "DR-1 (5)",
        f"By a court decision in force on {in_force.isoformat()} the person was {what} (Rules No. 259 §44 sub.5).",
    )


def unreported_change(facts: Mapping[str, str], on: date, calendar: WorkingCalendar) -> Reason | None:
    """DR-1 (6), §44 sub.6 (§51): a change not reported within 5 working days. Facts: ``change`` (residence,
    work, business, founder, disability-group, pension), ``changedOn``, ``reportedOn`` (optional)."""
    change = _one_of(facts, "change", CHANGE_KINDS)
    changed = _date(facts, "changedOn")
    assert changed is not None
    days = int_on("deregistration.report_change_working_days", changed)
    last = calendar.add_working_days(changed, days)
    reported = _date(facts, "reportedOn", required=False)
    if (reported is not None and reported <= last) or (reported is None and on <= last):
        return None
    return Reason(
        "DR-1 (6)",
        f"The change of {change} on {changed.isoformat()} was not reported within {days} working days "
        f"(by {last.isoformat()}) (Rules No. 259 §44 sub.6, §51).",
    )


def false_documents(facts: Mapping[str, str]) -> Reason | None:
    """DR-1 (7), §44 sub.7: knowingly false or forged documents. Facts: ``document`` and ``finding``."""
    if not facts.get("document") or not facts.get("finding"):
        raise InvalidGroundFacts("the facts document and finding (what was false and how it was found) are required")
    return Reason(
        "DR-1 (7)",
        f"The document {facts['document']!r} was found knowingly false or forged: "
        f"{facts['finding']} (Rules No. 259 §44 sub.7).",
    )


@dataclass(frozen=True)
class GroundCheck:
    ground: Ground
    reason: Reason | None  # None: the facts do not establish the ground

    @property
    def established(self) -> bool:
        return self.reason is not None


def establish(
    ground: int,
    facts: Mapping[str, str],
    *,
    on: date,
    unemployed_since: date,
    visits: tuple[Visit, ...],
    calendar: WorkingCalendar,
) -> GroundCheck:
    """DR-1 (``ground``) applied on ``on`` (the day the information was received) to the reported facts."""
    try:
        which = Ground(ground)
    except ValueError as exc:
        raise InvalidGroundFacts(f"DR-1 has grounds 1 to 7, not {ground!r}") from exc
    read = parse_facts(facts)
    reason = {
        Ground.CONTRIBUTIONS: lambda: contributions_arrived(read, unemployed_since),
        Ground.REFUSED_OFFERS: lambda: refused_offers(read, on),
        Ground.MISSED_REFERRAL: lambda: missed_referral(read, on, calendar),
        Ground.BROKE_VISIT_SCHEDULE: lambda: broke_visit_schedule(visits, on),
        Ground.SENTENCED: lambda: sentenced(read, on),
        Ground.UNREPORTED_CHANGE: lambda: unreported_change(read, on, calendar),
        Ground.FALSE_DOCUMENTS: lambda: false_documents(read),
    }[which]()
    return GroundCheck(which, reason)


def reregistration_barred_until(ground: int, deregistered_on: date, calendar: WorkingCalendar) -> date | None:
    """Social Code Art. 100 p.2 (from 01.07.2023): after a removal on grounds (2)-(4) the person is not
    registered as unemployed again within 30 calendar days; the last barred day (inclusive), or None."""
    days = int_on("unemployed.reregistration_bar_calendar_days", deregistered_on)
    if ground not in BARRING_GROUNDS or days <= 0:
        return None
    return term_end(REREGISTRATION_BAR, deregistered_on, days, calendar)


def reregistration_bar(barred_until: date | None, ground: str | None, on: date) -> Reason | None:
    """The bar of Social Code Art. 100 p.2 as a reason to refuse registration as unemployed on ``on``."""
    if barred_until is None or on > barred_until:
        return None
    return Reason(
        "DR-1",
        f"Removed from the register of the unemployed on ground {ground}: not registered as unemployed again "
        f"until {barred_until.isoformat()} inclusive (Social Code Art. 100 p.2).",
    )
