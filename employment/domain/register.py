"""The register of a person at the employment centre: one entry per IIN, an explicit state machine.

States (the register's, reported to the monitoring IS as stages, UN-6)::

    (none) --JS-6--> JOB_SEEKER --JS-9--> OFFERED --LM-5--> JOB_SEEKER
                     JOB_SEEKER --UN-1--> AWAITING_AUTHORITY --UN-2--> UNEMPLOYED | REFUSED_UNEMPLOYED
                     UNEMPLOYED --DR-1--> DEREGISTRATION_PENDING --DR-2--> DEREGISTERED
                                          DEREGISTRATION_PENDING --DR-1--> UNEMPLOYED (the authority found no ground)
    REFUSED_UNEMPLOYED | DEREGISTERED --JS-7--> JOB_SEEKER (the person applies again)

- JS-6 (Rules No. 259 §12, §14): the job seeker is registered; the entry opens.
- JS-7 (§22): a repeated application never makes a second entry. A person who is a job seeker, offered work,
  awaiting the authority or unemployed stays where they are (only the card is updated); a person refused
  unemployed status or removed from the register becomes a job seeker again, and a new registration case
  (JS-9, then UN-1) starts.
- JS-9 (§24): within 1 working day of registration the centre offers suitable work if it has any.
- LM-5 (§59): the job seeker answers the offer within 1 working day (accepts, refuses, or lets the term pass).
- UN-1 (§31): no suitable work within the JS-9 period, or the offer refused: the documents and the
  director-approved draft decision go to the local authority.
- UN-2 (§32, with UN-4 §34): the head of the local authority decides: registered as unemployed, or refused.
- DR-1 (§44): a ground to remove the unemployed person is reported; the request goes to the local authority.
- DR-2 (§45): the authority removed the person; the card is marked.

A transition that the table does not allow raises :class:`IllegalTransition`; each allowed one gives the
:class:`TransitionRecord` that the service layer stores (history) and reports to the monitoring IS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum

from employment.domain.errors import IllegalTransition
from employment.domain.models import CardProfile

__all__ = [
    "TRANSITIONS",
    "RegisterEntry",
    "RegisterState",
    "Transition",
    "TransitionRecord",
    "Visit",
    "allowed",
    "move",
    "open_entry",
]


class RegisterState(str, Enum):
    JOB_SEEKER = "JOB_SEEKER"
    OFFERED = "OFFERED"  # an offer of suitable work awaits the job seeker's answer (JS-9, LM-5)
    AWAITING_AUTHORITY = "AWAITING_AUTHORITY"  # UN-1 documents sent to the local authority
    UNEMPLOYED = "UNEMPLOYED"
    REFUSED_UNEMPLOYED = "REFUSED_UNEMPLOYED"  # refused unemployed status; stays a job seeker
    DEREGISTRATION_PENDING = "DEREGISTRATION_PENDING"  # a DR-1 request awaits the local authority
    DEREGISTERED = "DEREGISTERED"

    @property
    def registered_as_unemployed(self) -> bool:
        """Registered as unemployed until the local authority removes the person (CE-3, DR-2)."""
        return self in (RegisterState.UNEMPLOYED, RegisterState.DEREGISTRATION_PENDING)


@dataclass(frozen=True)
class Transition:
    source: RegisterState | None  # None: the entry does not exist yet
    target: RegisterState
    rule_id: str
    meaning: str


_S = RegisterState
TRANSITIONS: tuple[Transition, ...] = (
    Transition(None, _S.JOB_SEEKER, "JS-6", "registered as a job seeker (Rules No. 259 §12, §14)"),
    Transition(_S.REFUSED_UNEMPLOYED, _S.JOB_SEEKER, "JS-7", "applied again after a refusal (Rules No. 259 §22)"),
    Transition(_S.DEREGISTERED, _S.JOB_SEEKER, "JS-7", "applied again after removal (Rules No. 259 §22)"),
    Transition(_S.JOB_SEEKER, _S.OFFERED, "JS-9", "suitable work offered (Rules No. 259 §24, §58)"),
    Transition(_S.OFFERED, _S.JOB_SEEKER, "LM-5", "the offer answered, or its term passed (Rules No. 259 §59)"),
    Transition(_S.JOB_SEEKER, _S.AWAITING_AUTHORITY, "UN-1", "documents sent to the local authority (§31)"),
    Transition(_S.AWAITING_AUTHORITY, _S.UNEMPLOYED, "UN-2", "registered as unemployed (Rules No. 259 §32)"),
    Transition(_S.AWAITING_AUTHORITY, _S.REFUSED_UNEMPLOYED, "UN-2", "refused on UN-4 (Rules No. 259 §32, §34)"),
    Transition(_S.UNEMPLOYED, _S.DEREGISTRATION_PENDING, "DR-1", "a ground to remove reported (§44)"),
    Transition(_S.DEREGISTRATION_PENDING, _S.DEREGISTERED, "DR-2", "removed by the local authority (§45)"),
    Transition(_S.DEREGISTRATION_PENDING, _S.UNEMPLOYED, "DR-1", "the local authority found no ground (§44)"),
)
_SUB_ITEM = re.compile(r" \(\d+\)$")


@dataclass(frozen=True)
class Visit:
    """One visit of the schedule the registered unemployed keeps (UN-7, Rules No. 259 §37; Annex 9 section 3)."""

    on: date
    attended_on: date | None = None
    valid_reason: str | None = None  # why a missed visit is excused (a document the person brought)


@dataclass(frozen=True)
class RegisterEntry:
    """The register entry of one person (one per IIN, JS-7), in the state the last transition left it."""

    iin: str
    state: RegisterState
    case_id: str  # the application (registration case) the entry is in now
    job_seeker_since: date
    category: str | None = None  # JS-5 (employment.domain.rules.job_seeker_category)
    unemployed_since: date | None = None
    deregistered_on: date | None = None
    deregistration_ground: str | None = None  # "DR-1 (n)"
    reregistration_barred_until: date | None = None  # Social Code Art. 100 p.2, inclusive
    visits: tuple[Visit, ...] = ()  # UN-7
    # the card's facts for JS-5 and JS-9, as the last application gave them
    profile: CardProfile = field(default_factory=CardProfile)
    version: int = 0  # optimistic concurrency: the version this copy was read at


@dataclass(frozen=True)
class TransitionRecord:
    """One change of state, as the history keeps it and the monitoring IS receives it."""

    iin: str
    application_id: str
    source: RegisterState | None
    target: RegisterState
    at: datetime
    rule_id: str
    reason: str


def allowed(source: RegisterState | None, target: RegisterState) -> tuple[Transition, ...]:
    return tuple(t for t in TRANSITIONS if t.source is source and t.target is target)


def _check(source: RegisterState | None, target: RegisterState, rule_id: str) -> None:
    base = _SUB_ITEM.sub("", rule_id)
    candidates = allowed(source, target)
    if not any(t.rule_id == base for t in candidates):
        known = ", ".join(t.rule_id for t in candidates) or "no rule"
        raise IllegalTransition(
            f"the register does not go from {source.value if source else '(no entry)'} to {target.value} "
            f"by {rule_id} (allowed by: {known})"
        )


def open_entry(
    iin: str, case_id: str, on: date, at: datetime, category: str | None, profile: CardProfile | None = None
) -> tuple[RegisterEntry, TransitionRecord]:
    """JS-6: the first registration as a job seeker opens the person's entry."""
    _check(None, RegisterState.JOB_SEEKER, "JS-6")
    entry = RegisterEntry(
        iin=iin,
        state=RegisterState.JOB_SEEKER,
        case_id=case_id,
        job_seeker_since=on,
        category=category,
        profile=profile or CardProfile(),
    )
    record = TransitionRecord(
        iin, case_id, None, RegisterState.JOB_SEEKER, at, "JS-6", f"registered as a job seeker on {on.isoformat()}"
    )
    return entry, record


def move(
    entry: RegisterEntry,
    target: RegisterState,
    *,
    at: datetime,
    rule_id: str,
    reason: str,
    application_id: str | None = None,
    **changes: object,
) -> tuple[RegisterEntry, TransitionRecord]:
    """The entry in ``target`` by ``rule_id`` (a sub-item such as "DR-1 (3)" names its rule's ground), with
    ``changes`` to its other fields; the record is filed under ``application_id`` (default: the entry's case).
    Raises :class:`IllegalTransition` when the table has no such transition by that rule."""
    _check(entry.state, target, rule_id)
    moved = replace(entry, state=target, **changes)  # type: ignore[arg-type]
    record = TransitionRecord(entry.iin, application_id or moved.case_id, entry.state, target, at, rule_id, reason)
    return moved, record
