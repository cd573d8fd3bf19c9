"""The monitoring IS shows every instant in Astana time with its +05:00 offset, whatever offset the sender
wrote, on SQLite and on PostgreSQL; a store in the older text layout is refused with a way out, one made before
stage reports carried their channel and step deadline gets the columns."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from adapters.pki import PkiLayout
from adapters.storage import StorageError, create_store_engine
from ecosystem.context import system_context
from ecosystem.settings import Settings
from mocks.monitoring.app import create_app
from mocks.monitoring.storage import Provenance, StageReport, StageReportStore
from tests.rest_requests import signed_headers


def _call(app: FastAPI, method: str, path: str, **options: Any) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://monitoring.test") as client:
            return await client.request(method, path, **options)

    return asyncio.run(call())


def _offsets(value: object) -> list[str]:
    """Every ISO instant in a JSON document (a string with a 'T' between date and time)."""
    if isinstance(value, dict):
        return [found for item in value.values() for found in _offsets(item)]
    if isinstance(value, list):
        return [found for item in value for found in _offsets(item)]
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        return [value]
    return []


def test_the_monitoring_api_shows_astana_offsets(pki_settings: Settings, database_url: str) -> None:
    settings = pki_settings.model_copy(update={"database_url": database_url})  # this test's database alone
    app = create_app(settings)
    layout = PkiLayout(settings.data_dir)
    gateway = layout.load_credential(layout.system("gateway"))
    report = {
        "applicationId": "A-OFFSET",
        "serviceType": "JOB_SEEKER_REGISTRATION",
        "stage": "ACCEPTED",
        "stageAt": "2026-11-23T05:00:00Z",  # 10:00 in Astana, written in UTC
        "deadline": "2026-11-24T13:00:00+00:00",
    }
    body = json.dumps(report).encode()
    signature = signed_headers(
        body,
        gateway,
        path="/api/stage-reports",
        sender_id="ENBEK_LABOUR_MARKET",
        message_id="m-offsets",
        session_id="{3f2c9a51-0d7e-4b8a-9c1f-5e6a7b8c9d0e}",
        at=system_context(settings, "monitoring").now(),
    )
    stored = _call(app, "POST", "/api/stage-reports", content=body, headers=signature)
    assert stored.status_code == 201, stored.text

    record = _call(app, "GET", "/api/applications/A-OFFSET").json()
    assert record["registerDate"] == "2026-11-23T10:00:00+05:00"
    assert record["deadline"] == "2026-11-24T18:00:00+05:00"
    assert record["stages"][0]["stageAt"] == "2026-11-23T10:00:00+05:00"
    overdue = _call(app, "GET", "/api/overdue", params={"at": "2026-11-25T00:00:00Z"}).json()
    assert overdue["at"] == "2026-11-25T05:00:00+05:00"
    assert [a["applicationId"] for a in overdue["applications"]] == ["A-OFFSET"]
    listed = _call(app, "GET", "/api/applications").json()
    instants = _offsets(listed) + _offsets(overdue)
    assert len(instants) >= 8  # registerDate, deadline, stageAt, receivedAt, ... of both answers, and `at`
    assert all(instant.endswith("+05:00") for instant in instants), instants


def test_a_store_in_the_older_text_layout_is_refused(database_url: str) -> None:
    engine = create_store_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE stage_reports "
                "(id INTEGER PRIMARY KEY, application_id VARCHAR(128), stage_at VARCHAR(40), stage_at_utc TIMESTAMP)"
            )
        )
    with pytest.raises(StorageError, match=r"older layout .* delete it"):
        StageReportStore(engine)
    engine.dispose()


def test_a_store_made_before_channels_and_step_deadlines_gets_the_columns(database_url: str) -> None:
    at = datetime(2026, 11, 23, 10, 0, tzinfo=timezone(timedelta(hours=5)))
    owner = Provenance("GFSS", None, None, None, "gateway")
    engine = create_store_engine(database_url)
    StageReportStore(engine).add(StageReport("OLD", "JOB_LOSS_PAYMENT", "REGISTERED", at, None), owner, at)
    with engine.begin() as connection:  # the table as it was made before the two columns
        connection.execute(text("ALTER TABLE stage_reports DROP COLUMN channel"))
        connection.execute(text("ALTER TABLE stage_reports DROP COLUMN step_deadline"))

    store = StageReportStore(engine)
    step_end = at + timedelta(minutes=10)
    new = StageReport("NEW", "JOB_LOSS_PAYMENT", "REGISTERED", at, None, channel="OFFICE", step_deadline=step_end)
    store.add(new, owner, at)

    (old,) = store.stages_of("OLD")
    assert (old.report.channel, old.report.step_deadline) == (None, None)
    (stored,) = store.stages_of("NEW")
    assert (stored.report.channel, stored.report.step_deadline) == ("OFFICE", step_end)
    engine.dispose()
