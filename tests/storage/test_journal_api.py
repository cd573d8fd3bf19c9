"""``GET /admin/journal`` of the gateway: newest entries first, a page at a time, on both backends."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from ecosystem.settings import Settings
from gateway.app import create_app
from gateway.journal import Journal, JournalRecord
from kernel.clock import almaty

START = datetime(2026, 11, 23, 10, 0, tzinfo=almaty())


class Client:
    """Calls the application in this process, without a server."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app

    def get(self, path: str, params: dict[str, Any] | None = None) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self._app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
                return await client.get(path, params=params)

        return asyncio.run(call())


def test_admin_journal_lists_newest_first_and_pages_with_before(pki_settings: Settings, database_url: str) -> None:
    # The settings validator wants {system} in a server URL; here the gateway alone uses this test's database.
    settings = pki_settings.model_copy(update={"database_url": database_url})
    client = Client(create_app(settings))
    writer = Journal.at(database_url)  # another gateway process on the same database
    for number in range(5):
        writer.append(
            JournalRecord(
                at=START + timedelta(minutes=number),
                channel="rest",
                event="received",
                message_id=f"m-{number}",
                correlation_id="case-api",
            )
        )

    first = client.get("/admin/journal", params={"limit": 2}).json()
    assert [(e["message_id"], e["at"]) for e in first] == [
        ("m-4", "2026-11-23T10:04:00+05:00"),
        ("m-3", "2026-11-23T10:03:00+05:00"),
    ]
    second = client.get("/admin/journal", params={"limit": 2, "before": first[-1]["seq"]}).json()
    assert [e["message_id"] for e in second] == ["m-2", "m-1"]
    last = client.get("/admin/journal", params={"correlationId": "case-api", "before": second[-1]["seq"]})
    assert [e["message_id"] for e in last.json()] == ["m-0"]
    assert client.get("/admin/journal", params={"limit": 0}).status_code == 422
    assert client.get("/admin/journal", params={"limit": 1001}).status_code == 422
    verdict = client.get("/admin/journal/verify").json()  # the 5 and the register's seed (gateway start)
    assert verdict == {"intact": True, "entries": 6, "problem": "", "broken": None}


def test_a_gateway_that_starts_marks_the_exchanges_its_predecessor_left_open(
    pki_settings: Settings, database_url: str
) -> None:
    settings = pki_settings.model_copy(update={"database_url": database_url})
    killed = Journal.at(database_url)  # the gateway that was killed after journalling "received"
    killed.append(JournalRecord(at=START, channel="sync", event="received", message_id="m-open", session_id="{s-open}"))
    killed.dispose()
    app = create_app(settings)  # the restarted gateway

    async def start_and_read() -> tuple[list[dict[str, Any]], dict[str, Any]]:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
                listed = await client.get("/admin/journal", params={"messageId": "m-open"})
                checked = await client.get("/admin/journal/verify")
                return listed.json(), checked.json()

    newest, verdict = asyncio.run(start_and_read())
    assert [entry["event"] for entry in newest] == ["interrupted", "received"]
    assert verdict["intact"] is True and verdict["entries"] == 3  # and the register's seed


def test_admin_journal_filters_and_refuses_a_period_without_offset(pki_settings: Settings, database_url: str) -> None:
    settings = pki_settings.model_copy(update={"database_url": database_url})
    client = Client(create_app(settings))
    writer = Journal.at(database_url)
    for number, (sender, code) in enumerate([("PORTAL", "SCE004"), ("GBDFL", "SCE000"), ("PORTAL", "SCE000")]):
        writer.append(
            JournalRecord(
                at=START + timedelta(minutes=number),
                channel="sync",
                event="rejected" if code != "SCE000" else "delivered",
                message_id=f"m-{number}",
                sender_id=sender,
                service_id="GBDFL_UniversalServiceSync",
                code=code,
            )
        )
    writer.dispose()

    def ids(**params: str) -> list[str]:
        answer = client.get("/admin/journal", params=params)
        assert answer.status_code == 200, answer.text
        return [entry["message_id"] for entry in answer.json()]

    assert ids(sender="PORTAL") == ["m-2", "m-0"]
    assert ids(code="SCE000", sender="PORTAL") == ["m-2"]
    assert ids(serviceId="GBDFL_UniversalServiceSync", to="2026-11-23T10:01:00+05:00") == ["m-1", "m-0"]
    assert ids(**{"from": "2026-11-23T05:01:00Z"}) == ["m-2", "m-1"]
    assert ids(serviceId="GFSS_ContributionsQuery") == []
    assert client.get("/admin/journal", params={"from": "2026-11-23T10:00:00"}).status_code == 422
