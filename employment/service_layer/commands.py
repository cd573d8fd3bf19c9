"""Commands the employment centre accepts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from employment.domain.models import Applicant


@dataclass(frozen=True)
class RegisterJobSeeker:
    """A registration form whose applicant signature the entrypoint has verified (JS-10)."""

    application_id: str
    applicant: Applicant
    signer_iin: str | None
    signer_description: str
    received_at: datetime  # when the delivery reached the centre
    correlation_id: str | None
    submitted_at: datetime | None = None  # the submission instant the signed form states (000 §10)
