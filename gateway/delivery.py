"""Forwarding to providers over HTTP (synchronous delivery).

Store-and-forward with an outbox and retries belongs to the asynchronous channel; here a provider
that does not answer yields SCE010 to the sender, and the journal records it.
"""

from __future__ import annotations

import logging

import httpx

from adapters.shep.faults import ErrorCode
from gateway.errors import GatewayError

log = logging.getLogger(__name__)


class ProviderLink:
    def __init__(self, timeout: float, transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def post(self, url: str, body: bytes, headers: dict[str, str], *, provider_id: str) -> httpx.Response:
        """Forward ``body`` to the provider ``provider_id`` at ``url``; SCE010 if it does not answer.

        The sender is told which participant did not answer, never where it lives: the URL goes to the log.
        """
        try:
            return self._http.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            log.warning("provider %s at %s did not answer: %s", provider_id, url, exc)
            reason = "timed out" if isinstance(exc, httpx.TimeoutException) else "could not be reached"
            raise GatewayError(
                ErrorCode.PROVIDER_UNAVAILABLE,
                f"the provider {provider_id} {reason}; send the message again later",
            ) from exc
