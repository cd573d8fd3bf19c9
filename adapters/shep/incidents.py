"""Unexpected errors are logged under an incident number; the answer names only that number.

An exception's text may hold internal addresses, file paths or SQL: it goes to the log, never on the wire.
"""

from __future__ import annotations

import logging
import uuid


def log_incident(logger: logging.Logger, what: str, exc: BaseException) -> str:
    """Log ``exc`` with its traceback as a new incident while doing ``what``; return the incident number."""
    incident = uuid.uuid4().hex[:12]
    logger.error("incident %s: unexpected error %s", incident, what, exc_info=exc)
    return incident


def incident_message(who: str, incident: str, what: str = "message") -> str:
    """The plain words a sender gets for an incident: what failed, what to do, nothing internal."""
    return (
        f"the {who} failed while processing the {what} (incident {incident}); "
        f"send it again later, or report the incident number"
    )
