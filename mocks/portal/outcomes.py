"""How the portal treats each outcome of sending an application: the one table of fault handling.

Three handlings:

- ``RETRY`` (transient): nothing was decided — the gateway or the centre was unreachable or timed out
  (SCE010, HTTP 5xx, connection errors), the message was stale or looked replayed (SCE008: the re-send is a
  fresh message with a new messageId and messageDate), or something failed inside (SCE909, e.g. the person
  registry or the fund did not answer the centre). The outbox sends it again after a backoff; the cabinet
  keeps "In progress". Out of attempts, it is a dead letter and the cabinet says plainly that the service
  could not be reached and staff are looking into it.
- ``REJECT`` (final): the citizen's own error, which a re-send cannot cure: their EDS (SCE015/016/017). The
  cabinet shows "Rejected" with the code and plain words; the technical wording stays in the admin API and
  the log. (A business refusal is not a fault: it comes back as a signed refusal document and the
  application is "Done".)
- ``HOLD``: a problem of the systems, not of the citizen, that a retry will not cure: the portal's system
  certificate or credentials (SCE002/005/006/007), a form the centre cannot read although the portal checked
  it at the door (SCE001: the two ends disagree on the contract), the gateway's register refusing the
  service (SCE003/004: a configuration), a result document that cannot be trusted. Dead letter at once, for
  a person to fix and revive (``POST /admin/outbox/{id}/revive``); the cabinet says the same as for an
  exhausted retry, never "Rejected": a wrong "Rejected" cannot be undone.

Unknown fault codes and unexpected exceptions are retried: a dead letter after the policy's attempts is
visible; a wrong "Rejected" is not undoable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from adapters.shep import ErrorCode, GatewayFault
from adapters.storage import OutboxMessage, OutboxState

__all__ = [
    "FAULT_HANDLING",
    "NOTICE_RETRYING",
    "NOTICE_UNREACHABLE",
    "Handling",
    "Outcome",
    "UntrustedResultError",
    "classify",
    "delivery_notice",
]


class Handling(StrEnum):
    RETRY = "retry"
    REJECT = "reject"
    HOLD = "hold"


class UntrustedResultError(Exception):
    """The reply cannot be kept as the centre's result; ``code`` is the gateway error code it amounts to."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


_SIGN_AGAIN = "Please sign the application with your own valid EDS and submit it again."

# code -> (handling, what the citizen reads)
FAULT_HANDLING: Mapping[str, tuple[Handling, str]] = {
    ErrorCode.MALFORMED.value: (Handling.HOLD, ""),
    ErrorCode.UNKNOWN_SENDER.value: (Handling.HOLD, ""),
    ErrorCode.ACCESS_DENIED.value: (Handling.HOLD, ""),
    ErrorCode.UNKNOWN_SERVICE.value: (Handling.HOLD, ""),
    ErrorCode.TRANSPORT_SIGNATURE_NOT_CURRENT.value: (Handling.HOLD, ""),
    ErrorCode.TRANSPORT_SIGNATURE_INVALID.value: (Handling.HOLD, ""),
    ErrorCode.NOT_SIGNED.value: (Handling.HOLD, ""),
    ErrorCode.REPLAY_OR_STALE.value: (Handling.RETRY, ""),
    ErrorCode.PROVIDER_UNAVAILABLE.value: (Handling.RETRY, ""),
    ErrorCode.BUSINESS_SIGNATURE_NOT_CURRENT.value: (
        Handling.REJECT,
        "Your EDS certificate is not valid at the moment (it has expired or was revoked). "
        "Please get a new one from the National Certifying Centre and submit the application again.",
    ),
    ErrorCode.BUSINESS_SIGNATURE_INVALID.value: (
        Handling.REJECT,
        f"Your electronic signature could not be confirmed as the applicant's. {_SIGN_AGAIN}",
    ),
    ErrorCode.BUSINESS_DATA_NOT_SIGNED.value: (
        Handling.REJECT,
        f"The application reached the employment centre without your electronic signature. {_SIGN_AGAIN}",
    ),
    ErrorCode.INTERNAL.value: (Handling.RETRY, ""),
}

NOTICE_RETRYING = (
    "Delivering your application to the employment centre is taking longer than usual; the portal keeps "
    "trying. You do not need to apply again."
)
NOTICE_UNREACHABLE = (
    "The portal could not reach the employment centre's service. Your application is kept and our staff are "
    "looking into it; you do not need to apply again."
)


@dataclass(frozen=True)
class Outcome:
    """How to treat one failed attempt: ``code`` (SCE…, if any) and ``plain`` words for a rejection."""

    handling: Handling
    code: str | None
    plain: str = ""


def classify(error: BaseException) -> Outcome:
    """The handling of one failed attempt to deliver an application (see the module docstring)."""
    if isinstance(error, GatewayFault):
        handling, plain = FAULT_HANDLING.get(error.code, (Handling.RETRY, ""))
        return Outcome(handling, error.code, plain)
    if isinstance(error, UntrustedResultError):
        return Outcome(Handling.HOLD, error.code.value)
    # GatewayUnreachable (no answer, a timeout, HTTP 5xx without SOAP), httpx.HTTPError, OSError, and
    # anything unexpected (a bug, the database restarting): retried, and visible in the admin API
    return Outcome(Handling.RETRY, None)


def delivery_notice(message: OutboxMessage | None) -> str | None:
    """What the cabinet says about an application still "In progress", given its outbox message."""
    if message is None or message.state is OutboxState.DELIVERED:
        return None
    if message.state is OutboxState.DEAD:
        return NOTICE_UNREACHABLE
    return NOTICE_RETRYING if message.attempts > 0 else None
