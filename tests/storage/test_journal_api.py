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
    assert client.get("/admin/journal/verify").json() == {"intact": True, "entries": 5, "problem": "", "broken": None}
