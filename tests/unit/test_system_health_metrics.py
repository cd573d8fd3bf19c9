"""Every system serves ``/metrics`` (Prometheus, its own registry), ``/health/live`` and ``/health/ready``;
readiness names what is wrong (a database that does not answer, a stale CRL) with 503; the outbox's depth,
retries and dead letters are read from its database on each scrape."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine

from adapters.pki import PkiLayout
from adapters.storage import Outbox, RetryPolicy, create_store_engine
from ecosystem.app import create_system_app
from ecosystem.catalogue import SYSTEMS
from ecosystem.context import system_context
from ecosystem.health import crl_problem
from ecosystem.settings import Settings
from egov_sim.launcher import build_app


def _get(app: Any, *paths: str) -> list[httpx.Response]:
    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://system.test") as client:
            return [await client.get(path) for path in paths]

    return asyncio.run(run())


def samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    """The samples of metric ``name`` (a sample name, e.g. ``egov_http_requests_total``) by their labels."""
    found: dict[tuple[tuple[str, str], ...], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


@pytest.mark.parametrize("name", [s.name for s in SYSTEMS])
def test_every_system_is_live_ready_and_counts_its_requests_by_route(pki_settings: Settings, name: str) -> None:
    app = build_app(pki_settings, name)
    live, ready, health, missing, metrics = _get(
        app, "/health/live", "/health/ready", "/health", "/no/such/page/12345", "/metrics"
    )
    assert live.status_code == 200 and live.json()["status"] == "live"
    assert ready.status_code == 200, ready.json()
    assert ready.json()["status"] == "ready"
    assert {"pki:certificate", "pki:crl"} <= set(ready.json()["checks"])
    assert health.json()["status"] == "up"  # the old /health keeps working
    assert missing.status_code == 404
    assert metrics.headers["content-type"].startswith("text/plain")
    counted = samples(metrics.text, "egov_http_requests_total")
    assert counted[(("method", "GET"), ("route", "/health/live"), ("status", "200"))] == 1
    assert counted[(("method", "GET"), ("route", "<unmatched>"), ("status", "404"))] == 1
    assert not any("/no/such/page" in dict(labels)["route"] for labels in counted)


def test_two_apps_in_one_process_count_apart(pki_settings: Settings) -> None:
    first, second = build_app(pki_settings, "nca"), build_app(pki_settings, "nca")
    _get(first, "/health/live", "/health/live")
    (metrics,) = _get(second, "/metrics")
    assert (("method", "GET"), ("route", "/health/live"), ("status", "200")) not in samples(
        metrics.text, "egov_http_requests_total"
    )


def test_ready_is_503_with_the_reason_when_a_database_does_not_answer(pki_settings: Settings, tmp_path: Path) -> None:
    context = system_context(pki_settings, "monitoring")
    unreachable = create_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'db.sqlite'}")
    app = create_system_app(context, title="t", databases={"monitoring": unreachable})
    (ready,) = _get(app, "/health/ready")
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "not ready"
    assert body["checks"]["database:monitoring"].startswith("the database monitoring does not answer")
    assert body["checks"]["pki:crl"] == "ok"


def test_a_stale_crl_makes_a_system_not_ready(pki_settings: Settings) -> None:
    layout = PkiLayout(pki_settings.data_dir)
    assert crl_problem(layout, dt.datetime.now(dt.UTC)) is None
    problem = crl_problem(layout, dt.datetime.now(dt.UTC) + dt.timedelta(days=3650))
    assert problem is not None and "stale" in problem


def test_outbox_depth_retries_and_dead_letters_are_read_on_scrape(pki_settings: Settings, tmp_path: Path) -> None:
    now = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
    outbox = Outbox(create_store_engine(f"sqlite:///{tmp_path / 'o.sqlite'}"), lambda: now, RetryPolicy(max_attempts=2))
    app = create_system_app(system_context(pki_settings, "portal"), title="t", outboxes={"portal": outbox})
    for index in range(4):
        outbox.enqueue("t", {"n": index})
    first, second, third, _ = outbox.claim("w", limit=4)
    outbox.delivered(first.id)
    outbox.failed(second.id, "timeout")  # retrying
    outbox.failed(third.id, "refused", final=True)  # dead at once
    (metrics,) = _get(app, "/metrics")
    by_state = samples(metrics.text, "egov_outbox_messages")
    assert by_state[(("outbox", "portal"), ("state", "pending"))] == 2
    assert by_state[(("outbox", "portal"), ("state", "delivered"))] == 1
    assert by_state[(("outbox", "portal"), ("state", "dead"))] == 1
    assert samples(metrics.text, "egov_outbox_retrying_messages") == {(("outbox", "portal"),): 1}
    assert samples(metrics.text, "egov_outbox_retries") == {(("outbox", "portal"),): 2}
