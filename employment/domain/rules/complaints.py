"""AP-1: complaints about the decisions, actions or inaction of the local authority and the centre
(Rules No. 259 chapter 4, §46-47), and the term within which each addressee considers them.

The complaint itself is received and answered by the local authority's system; the domain gives the term,
which travels as the deadline of the complaint's stage report to the monitoring IS.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from employment.domain.calendar import WorkingCalendar
from employment.domain.rules.register_terms import complaint_due

__all__ = ["COMPLAINT_SERVICE", "ComplaintAddressee", "complaint_deadline"]

COMPLAINT_SERVICE = "COMPLAINT"


class ComplaintAddressee(str, Enum):
    LOCAL_AUTHORITY = "local-authority"  # §46: the local authority or the head of the local executive body
    QUALITY_ASSESSMENT = "quality-assessment"  # §47: the body assessing and controlling the quality of services


def complaint_deadline(addressee: ComplaintAddressee, registered_at: datetime, calendar: WorkingCalendar) -> datetime:
    """AP-1: 5 working days from registration at the local authority (§46), 15 at the quality-assessment
    body (§47); a complaint registered outside working hours counts from the next working day (T-2)."""
    return complaint_due(registered_at, addressee is ComplaintAddressee.QUALITY_ASSESSMENT, calendar)
