"""SP-7 (regulation 004 §1 (1); Social Code Art. 115 p.2 sub.1): the fund asks the employment centre whether a
person is registered as unemployed on a day. The centre answers from the person's register entry: registered
from the day the local authority registered them (UN-2, Rules No. 259 §32) until the day it removed them
(DR-2, §45; not registered from that day on).

The entry keeps the current (or last) registration only: a day inside an earlier registration, before the
person applied again (JS-7), is answered as not registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from employment.domain.register import RegisterEntry, RegisterState

__all__ = ["StatusOnDay", "status_on"]


@dataclass(frozen=True)
class StatusOnDay:
    """The answer of SP-7: the status on ``on`` and the registration it is read from."""

    on: date
    registered: bool
    registered_on: date | None = None
    deregistered_on: date | None = None
    deregistration_ground: str | None = None  # "DR-1 (n)"
    case_id: str | None = None  # the centre's registration case; None when the person is not in the register


def status_on(entry: RegisterEntry | None, on: date) -> StatusOnDay:
    """SP-7: registered as unemployed on ``on`` by the entry (None: the person is not in the register)."""
    if entry is None:
        return StatusOnDay(on, registered=False)
    since = entry.unemployed_since
    if since is None:  # a job seeker, awaiting the authority, refused, or applied again after a removal
        return StatusOnDay(on, registered=False, case_id=entry.case_id)
    removed = entry.deregistered_on if entry.state is RegisterState.DEREGISTERED else None
    # registered until the authority removes the person (DR-2): the day of removal is not counted
    registered = since <= on and (entry.state.registered_as_unemployed or (removed is not None and on < removed))
    return StatusOnDay(
        on,
        registered=registered,
        registered_on=since,
        deregistered_on=removed,
        deregistration_ground=entry.deregistration_ground if removed is not None else None,
        case_id=entry.case_id,
    )
