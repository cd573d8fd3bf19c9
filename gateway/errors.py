"""Gateway errors: each carries the SCE code it is answered with (see :class:`adapters.shep.ErrorCode`)."""

from __future__ import annotations

from adapters.shep.envelope import ErrorInfo
from adapters.shep.faults import ErrorCode


class GatewayError(Exception):
    def __init__(self, code: ErrorCode, message: str, sub_error: ErrorInfo | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.sub_error = sub_error
