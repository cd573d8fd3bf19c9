"""The services the employment centre provides over the SyncChannel, one module each."""

from __future__ import annotations

from typing import Any

from employment.entrypoints.dispatch import ServiceRoute
from employment.entrypoints.services import (
    authority_decision,
    job_seeker_registration,
    register_event,
    unemployed_certificate,
    unemployed_status_query,
)

ROUTES: tuple[ServiceRoute[Any, Any], ...] = (
    job_seeker_registration.ROUTE,
    authority_decision.ROUTE,
    unemployed_certificate.ROUTE,
    register_event.ROUTE,
    unemployed_status_query.ROUTE,
)
