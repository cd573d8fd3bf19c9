"""The admin token guard: every ``/admin/*`` route of every system answers 401 without the token.

The token is ``EGOV_SIM_ADMIN_TOKEN`` (see :class:`ecosystem.settings.Settings`): off by default on loopback,
required when a system binds to 0.0.0.0. A client sends it as ``Authorization: Bearer <token>`` or as
``X-Admin-Token: <token>``; ``/health``, the channels and the systems' own APIs stay open. Tokens are
compared in constant time.
"""

from __future__ import annotations

import hmac
import json

from starlette.types import ASGIApp, Receive, Scope, Send

ADMIN_PREFIX = "/admin"


def is_admin_path(path: str) -> bool:
    return path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")


class AdminTokenGuard:
    """ASGI middleware: refuses an ``/admin`` request that does not carry the admin token."""

    def __init__(self, app: ASGIApp, token: str, system: str, also: tuple[str, ...] = ()) -> None:
        self._app = app
        self._token = token.encode("utf-8")
        self._system = system
        self._also = also  # further path prefixes a system guards like /admin (the NCA's tester API)

    def _guarded(self, path: str) -> bool:
        return is_admin_path(path) or any(path == prefix or path.startswith(prefix + "/") for prefix in self._also)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._guarded(scope["path"]) and not self._carries_token(scope):
            await self._refuse(send)
            return
        await self._app(scope, receive, send)

    def _carries_token(self, scope: Scope) -> bool:
        offered: list[bytes] = []
        for name, value in scope["headers"]:
            if name == b"x-admin-token":
                offered.append(value.strip())
            elif name == b"authorization" and value[:7].lower() == b"bearer ":
                offered.append(value[7:].strip())
        return any(hmac.compare_digest(candidate, self._token) for candidate in offered)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "detail": f"the admin API of {self._system} needs the admin token: send "
                "'Authorization: Bearer <EGOV_SIM_ADMIN_TOKEN>' or 'X-Admin-Token: <EGOV_SIM_ADMIN_TOKEN>'"
            }
        ).encode("utf-8")
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"www-authenticate", b'Bearer realm="egov-sim admin"'),
        ]
        await send({"type": "http.response.start", "status": 401, "headers": headers})
        await send({"type": "http.response.body", "body": body})
