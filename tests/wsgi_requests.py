"""A SOAP POST straight into a provider's WSGI application (no server, no socket), for tests of providers."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from adapters.shep.provider import WsgiApp


def wsgi_post(endpoint: WsgiApp, body: bytes) -> tuple[str, bytes]:
    """POST ``body`` as ``text/xml`` to ``endpoint``: its status line and the whole answer."""
    status: list[str] = []

    def start_response(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        status.append(line)
        return lambda _data: None

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "text/xml; charset=utf-8",
        "wsgi.input": io.BytesIO(body),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8082",
        "wsgi.url_scheme": "http",
    }
    chunks = endpoint(environ, start_response)
    return status[0], b"".join(chunks)
