"""REST channel requests signed as ``docs/protocol.md`` §2 says, for tests of the gateway and of providers."""

from __future__ import annotations

from datetime import datetime

from adapters.pki import Credential
from adapters.signatures.jws import sign_request


def signed_headers(
    body: bytes,
    credential: Credential,
    *,
    path: str,
    sender_id: str,
    message_id: str,
    at: datetime,
    correlation_id: str = "",
    session_id: str | None = None,
) -> dict[str, str]:
    """The headers of a signed REST request (lower-case names, as the channels read them): the id headers
    and ``x-signature`` over the body, ``POST``, ``path``, those ids and the time ``at``."""
    ids = {"x-sender-id": sender_id, "x-message-id": message_id, "x-correlation-id": correlation_id}
    if session_id is not None:
        ids["x-session-id"] = session_id
    signature = sign_request(body, credential, method="POST", path=path, headers=ids, at=at)
    return {name: value for name, value in ids.items() if value} | {"x-signature": signature}
