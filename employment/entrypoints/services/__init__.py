"""The services the employment centre provides over the SyncChannel, one module each."""

from __future__ import annotations

from typing import Any

from employment.entrypoints.dispatch import ServiceRoute
from employment.entrypoints.services import job_seeker_registration

ROUTES: tuple[ServiceRoute[Any, Any], ...] = (job_seeker_registration.ROUTE,)
