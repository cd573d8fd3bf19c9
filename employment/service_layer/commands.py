"""Commands the employment centre accepts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from employment.domain.models import Applicant
from employment.domain.rules.channels import Channel


@dataclass(frozen=True)
class RegisterJobSeeker:
    """A registration form whose signature the entrypoint has verified (JS-10; JS-12, JS-13 and
    ``000 §5 action 1`` when someone signs in the applicant's place)."""

    application_id: str
    applicant: Applicant
    signer_iin: str | None
    signer_description: str
    received_at: datetime  # when the delivery reached the centre
    correlation_id: str | None
    submitted_at: datetime | None = None  # the submission instant the signed form states (000 §10)
    channel: Channel = Channel.PORTAL  # where the person applied (Rules No. 259 §4)
    signer_bin: str | None = None  # the organisation in the signer's certificate (OU=BIN…), if any
