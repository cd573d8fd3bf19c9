"""Gateway errors: each carries the SCE code it is answered with (see :class:`adapters.shep.ErrorCode`)."""

from __future__ import annotations

import logging

from adapters.shep.envelope import ErrorInfo
from adapters.shep.faults import ErrorCode
from adapters.shep.incidents import incident_message, log_incident

log = logging.getLogger(__name__)


class GatewayError(Exception):
    def __init__(
        self, code: ErrorCode, message: str, sub_error: ErrorInfo | None = None, *, fault_code: str | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.sub_error = sub_error
        # The SOAP faultcode when not soap:Client / soap:Server (soap:MustUnderstand).
        self.fault_code = fault_code


def internal_error(channel: str, message_id: str | None, exc: BaseException) -> GatewayError:
    """An unexpected error while handling a message: logged as an incident, answered as SCE909 in plain words
    (the exception's text, which may name internal addresses or SQL, stays in the log)."""
    incident = log_incident(log, f"in the gateway's {channel} handling message {message_id}", exc)
    return GatewayError(ErrorCode.INTERNAL, incident_message("gateway", incident))
