"""A spyne provider does not force a full garbage collection at the end of its calls (issue 9: a fifth of the
person registry's time under load); Python's generational collector is left as it is."""

from __future__ import annotations

import datetime as dt
import gc
import io
import uuid
from typing import Any

import pytest
import spyne.context
from lxml import etree

from adapters.shep import Payload, RequestInfo, build_request
from adapters.shep.provider import TRANSPORT_KEY
from adapters.shep.spyne_provider import InboundMessage, sync_channel_application
from adapters.xml import to_bytes

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _echo(message: InboundMessage) -> Payload:
    return Payload(element=etree.fromstring(b"<answer>ok</answer>"))


def _call(application: Any) -> bytes:
    info = RequestInfo(str(uuid.uuid4()), "TEST_Service", "ENBEK_LABOUR_MARKET", NOW, "case-1")
    body = to_bytes(build_request(info, Payload(element=etree.fromstring(b"<question/>"))))
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": "text/xml; charset=utf-8",
        "CONTENT_LENGTH": str(len(body)),
        "PATH_INFO": "/",
        "QUERY_STRING": "",
        "SERVER_NAME": "provider.test",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        TRANSPORT_KEY: None,
    }
    statuses: list[str] = []
    answer = b"".join(application(environ, lambda status, headers: statuses.append(status)))
    assert statuses == ["200 OK"], answer
    return answer


def test_a_call_forces_no_garbage_collection(monkeypatch: pytest.MonkeyPatch) -> None:
    collections: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda *args: collections.append(1) or 0)
    monkeypatch.setattr(spyne.context, "_LAST_GC_RUN", 0.0)  # spyne would collect on the very next call
    application = sync_channel_application("Test", _echo, lambda: NOW)
    for _ in range(3):
        assert b"<answer>ok</answer>" in _call(application)
    assert collections == []
