"""A participant's client of the gateway's REST channel (JSON + detached JWS over the body and the request's
method, path, id headers and time: ``docs/protocol.md`` §2)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from adapters.pki import Credential
from adapters.shep.errors import ShepError
from adapters.shep.rest_headers import CORRELATION_ID, MESSAGE_ID, SENDER_ID
from adapters.shep.sync_client import GatewayUnreachable
from adapters.signatures.jws import sign_request


class RestChannelError(ShepError):
    """The gateway's REST channel answered with an error status; ``body`` is its JSON error."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{body.get('errorCode', status)}: {body.get('errorMessage', body)}")
        self.status = status
        self.body = body


@dataclass(frozen=True)
class RestReply:
    status: int
    body: dict[str, Any]
    message_id: str


class RestChannelClient:
    def __init__(
        self,
        *,
        gateway_rest_url: str,
        sender_id: str,
        credential: Credential,
        now: Callable[[], datetime],
        timeout: float = 15.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._url = gateway_rest_url.rstrip("/")
        self._sender_id = sender_id
        self._credential = credential
        self._now = now
        self._http = httpx.Client(timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def send(self, service_id: str, document: dict[str, Any], *, correlation_id: str | None = None) -> RestReply:
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        message_id = str(uuid.uuid4())
        url = f"{self._url}/{service_id}"
        ids = {SENDER_ID: self._sender_id, MESSAGE_ID: message_id, CORRELATION_ID: correlation_id or ""}
        headers = {
            "Content-Type": "application/json",
            "X-Sender-Id": self._sender_id,
            "X-Message-Id": message_id,
            "X-Signature": sign_request(
                body, self._credential, method="POST", path=urlsplit(url).path, headers=ids, at=self._now()
            ),
        }
        if correlation_id:
            headers["X-Correlation-Id"] = correlation_id
        try:
            answer = self._http.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise GatewayUnreachable(f"gateway REST channel did not answer: {exc}") from exc
        try:
            parsed = answer.json()
        except ValueError:
            parsed = {"errorMessage": answer.text[:250]}
        if not answer.is_success:
            raise RestChannelError(answer.status_code, parsed if isinstance(parsed, dict) else {"body": parsed})
        return RestReply(
            status=answer.status_code,
            body=parsed if isinstance(parsed, dict) else {"items": parsed},
            message_id=message_id,
        )
