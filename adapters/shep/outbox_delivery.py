"""Delivering a queued document to a provider through the gateway, as an outbox delivery function.

A system that must tell another one something (a notice, a decision, a document for a cabinet) writes the
document into its outbox in the transaction that decided it (:mod:`adapters.storage`), as
``{"document": <XML text>, "correlationId": <id or null>}``; the outbox worker then calls the function
built here, at least once, until the provider has taken it.

- The provider answered: ``read_answer`` reads the answer (and raises if it cannot: a later attempt may
  get a readable one).
- A fault the message itself caused (``soap:Client``: malformed, not allowed, unsigned …) cannot be cured
  by sending it again: :class:`adapters.storage.DeliveryRefused`, and the message is a dead letter an
  operator sees and may revive. A stale or replayed message (SCE008) is sent again with a new message id.
- Anything else (no connection, the provider down, an internal error) is left to the retry policy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

from adapters.shep.faults import ErrorCode
from adapters.shep.service_call import ServiceCallError, SyncSender, call_service
from adapters.storage import DeliveryRefused
from adapters.storage.worker import Delivery
from adapters.xml import parse_xml

_RETRYABLE_CLIENT_CODES = frozenset({ErrorCode.REPLAY_OR_STALE.value})
_CLIENT_CODES = frozenset(code.value for code in ErrorCode if code.is_client_error)


def queued_document(document: etree._Element, correlation_id: str | None) -> dict[str, Any]:
    """The outbox payload that carries ``document`` (see the module's docstring)."""
    return {"document": etree.tostring(document, encoding="unicode"), "correlationId": correlation_id}


def sync_delivery(sender: SyncSender, service_id: str, read_answer: Callable[[etree._Element], object]) -> Delivery:
    """The delivery function of one service: send the queued document, read the answer."""

    def deliver(payload: dict[str, Any]) -> None:
        document = parse_xml(payload["document"])
        try:
            answer = call_service(sender, service_id, document, payload.get("correlationId"))
        except ServiceCallError as exc:
            if exc.code in _CLIENT_CODES and exc.code not in _RETRYABLE_CLIENT_CODES:
                raise DeliveryRefused(f"{service_id} refused the document: {exc}") from exc
            raise
        read_answer(answer)

    return deliver


__all__ = ["queued_document", "sync_delivery"]
