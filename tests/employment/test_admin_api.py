"""The centre's app: its admin API shows instants with their real offset, the shared outbox admin replaces
the old stage-outbox routes, and the stage-report worker lives as long as the app."""

from __future__ import annotations

import asyncio
import socket
import threading
from pathlib import Path

import httpx
import pytest

from ecosystem.settings import Settings
from employment.adapters.storage import EmploymentStore
from employment.entrypoints.app import create_app
from employment.service_layer.handlers import register_job_seeker
from kernel.clock import FixedClock
from tests.employment.conftest import IIN, MONDAY, command, record, services_on
from tests.fakes import FakePersonRegistry


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def settings(pki_settings: Settings, tmp_path: Path) -> Settings:
    # Its own database, and a gateway port where nothing listens (the worker's deliveries just wait).
    return pki_settings.model_copy(
        update={
            "database_url": f"sqlite:///{tmp_path}/{{system}}.sqlite",
            "ports": pki_settings.ports | {"gateway": _unused_port()},
        }
    )


def _stage_workers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("employment-stage-reports@")]


def test_admin_shows_instants_with_the_astana_offset_and_the_outbox(settings: Settings) -> None:
    store = EmploymentStore.at(settings.database_for("employment"), FixedClock(MONDAY).now)
    register_job_seeker(command("APP-1"), services_on(store, FixedClock(MONDAY), FakePersonRegistry({IIN: record()})))
    store.dispose()
    app = create_app(settings)

    async def scenario() -> None:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://employment") as client,
        ):
            assert len(_stage_workers()) == 1  # started by the lifespan
            application = (await client.get("/admin/applications/APP-1")).json()
            assert application["received_at"] == "2026-11-23T10:00:00+05:00"
            assert application["deadline"] == "2026-11-24T18:30:00+05:00"
            card = (await client.get(f"/admin/job-seekers/{IIN}")).json()
            assert card["registered_on"] == "2026-11-23" and card["applications"] == 1
            outbox = (await client.get("/admin/outbox", params={"topic": "stage-report"})).json()
            assert sum(outbox["counts"].values()) == 5  # the application's four and its registration case's first
            assert {m["orderingKey"] for m in outbox["messages"]} == {"APP-1", "UN-APP-1"}
            assert all(m["createdAt"].endswith("+05:00") for m in outbox["messages"])
            assert (await client.get("/admin/stage-outbox")).status_code == 404
            assert (await client.get("/admin/applications/nope")).status_code == 404

    asyncio.run(scenario())
    assert _stage_workers() == []  # stopped on shutdown
