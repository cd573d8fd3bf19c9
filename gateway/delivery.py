"""Forwarding to providers over HTTP (synchronous delivery).

Store-and-forward with an outbox and retries belongs to the asynchronous channel; here a provider
that does not answer yields SCE010 to the sender, and the journal records it.
"""

from __future__ import annotations

import httpx

from adapters.shep.faults import ErrorCode
from gateway.errors import GatewayError


class ProviderLink:
    def __init__(self, timeout: float, transport: httpx.BaseTransport | None = None) -> None:
        self._http = httpx.Client(timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> httpx.Response:
        try:
            return self._http.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise GatewayError(ErrorCode.PROVIDER_UNAVAILABLE, f"provider at {url} did not answer: {exc}") from exc
