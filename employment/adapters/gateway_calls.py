"""One call of another system's service through the gateway, its failures in the words of the register's ports.

A fault the message itself caused (a client-side SCE code: malformed, not allowed, unsigned, a signature the
receiver does not accept) cannot be cured by sending it again: :class:`PortRefused`, and the dispatch is set
aside. A stale or replayed message (SCE008), no connection, the provider down or failing (SCE010, SCE909), or
an answer that cannot be read: :class:`ExternalSystemUnavailable`, tried again at the next step.
"""

from __future__ import annotations

from lxml import etree

from adapters.shep.envelope import Payload
from adapters.shep.errors import ShepError
from adapters.shep.faults import ErrorCode, GatewayFault
from adapters.shep.service_call import SyncSender
from adapters.shep.sync_client import GatewayUnreachable
from adapters.xml import XmlRejected
from employment.service_layer.ports import ExternalSystemUnavailable, PortRefused

__all__ = ["call"]

_RETRYABLE = frozenset({ErrorCode.REPLAY_OR_STALE.value})
_CLIENT_CODES = frozenset(code.value for code in ErrorCode if code.is_client_error)


def call(
    sender: SyncSender, service_id: str, payload: Payload, correlation_id: str | None, system: str
) -> etree._Element:
    """Send ``payload`` to ``service_id``; the answer's document. ``system`` names the receiver in errors."""
    try:
        reply = sender.send(service_id, payload, correlation_id=correlation_id)
    except GatewayFault as exc:
        if exc.code in _CLIENT_CODES and exc.code not in _RETRYABLE:
            raise PortRefused(f"{system} refused {service_id}: {exc.code} {exc}") from exc
        raise ExternalSystemUnavailable(system, f"{service_id}: {exc.code} {exc}") from exc
    except GatewayUnreachable as exc:
        raise ExternalSystemUnavailable(system, f"{service_id}: {exc}") from exc
    except ShepError as exc:  # an answer the client could not verify or read
        raise ExternalSystemUnavailable(system, f"{service_id}: {exc}") from exc
    try:
        return reply.payload.document()
    except XmlRejected as exc:
        raise ExternalSystemUnavailable(system, f"the {service_id} answer is not XML: {exc}") from exc
