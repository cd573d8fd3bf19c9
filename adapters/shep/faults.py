"""Error codes of the gateway and the fault a participant sees (``docs/protocol.md`` §3).

Codes seen in the field keep their meaning. ``SCE002``, ``SCE003``, ``SCE008`` and ``SCE010`` are defined
by this simulation for cases the public material does not name (unknown sender, access denied, replayed or
stale message, provider did not answer); ``docs/gateway.md`` lists them.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from adapters.shep.errors import ShepError
from adapters.signatures.errors import MessageExpired, NotSigned, SignatureError, SignatureNotCurrent

if TYPE_CHECKING:
    from adapters.shep.envelope import ErrorInfo


class ErrorCode(str, Enum):
    MALFORMED = "SCE001"
    UNKNOWN_SENDER = "SCE002"
    ACCESS_DENIED = "SCE003"
    UNKNOWN_SERVICE = "SCE004"
    TRANSPORT_SIGNATURE_NOT_CURRENT = "SCE005"
    TRANSPORT_SIGNATURE_INVALID = "SCE006"
    NOT_SIGNED = "SCE007"
    REPLAY_OR_STALE = "SCE008"
    PROVIDER_UNAVAILABLE = "SCE010"
    BUSINESS_SIGNATURE_NOT_CURRENT = "SCE015"
    BUSINESS_SIGNATURE_INVALID = "SCE016"
    BUSINESS_DATA_NOT_SIGNED = "SCE017"
    INTERNAL = "SCE909"

    @property
    def is_client_error(self) -> bool:
        """Faults caused by the message itself are ``soap:Client``; the rest ``soap:Server``."""
        return self not in (ErrorCode.INTERNAL, ErrorCode.PROVIDER_UNAVAILABLE)


STATUS_SUCCESS = "SCSS001"
STATUS_FAILURE = "SCSE001"


class GatewayFault(ShepError):
    """A SOAP fault with ``ErrorInfo`` came back from the gateway (or a provider through it)."""

    def __init__(self, error: ErrorInfo) -> None:
        super().__init__(f"{error.code}: {error.message}")
        self.error = error

    @property
    def code(self) -> str:
        return self.error.code

    @property
    def innermost_code(self) -> str:
        error = self.error
        while error.sub_error is not None:
            error = error.sub_error
        return error.code


def transport_signature_code(error: SignatureError) -> ErrorCode:
    """SCE007 not signed, SCE005 not current, SCE006 invalid: the transport (system) signature; SCE008 a
    signed wsu:Timestamp expired or from the future (a stale message)."""
    if isinstance(error, NotSigned):
        return ErrorCode.NOT_SIGNED
    if isinstance(error, MessageExpired):
        return ErrorCode.REPLAY_OR_STALE
    if isinstance(error, SignatureNotCurrent):
        return ErrorCode.TRANSPORT_SIGNATURE_NOT_CURRENT
    return ErrorCode.TRANSPORT_SIGNATURE_INVALID


def business_signature_code(error: SignatureError) -> ErrorCode:
    """SCE017 not signed, SCE015 not current, SCE016 invalid: the business-data (EDS) signature."""
    if isinstance(error, NotSigned):
        return ErrorCode.BUSINESS_DATA_NOT_SIGNED
    if isinstance(error, SignatureNotCurrent):
        return ErrorCode.BUSINESS_SIGNATURE_NOT_CURRENT
    return ErrorCode.BUSINESS_SIGNATURE_INVALID
