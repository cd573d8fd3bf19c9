"""The admin token: with ``EGOV_SIM_ADMIN_TOKEN`` set, every ``/admin/*`` route of every system answers 401
without it and works with it (bearer or ``X-Admin-Token``); ``/health`` stays open; no token is needed on
loopback, one is required to bind to 0.0.0.0; the project's clients send it."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
import yaml
from pydantic import ValidationError

from ecosystem.catalogue import SYSTEMS
from ecosystem.settings import Settings
from egov_sim.launcher import build_app
from scenarios.driver import ScenarioDriver

TOKEN = "admin-token-for-tests-0123456789"
ROOT = Path(__file__).resolve().parents[2]


def _calls(app: Any, requests: list[tuple[str, dict[str, str]]]) -> list[int]:
    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://system.test") as client:
            return [(await client.get(path, headers=headers)).status_code for path, headers in requests]

    return asyncio.run(run())


@pytest.mark.parametrize("name", [s.name for s in SYSTEMS])
def test_every_systems_admin_routes_need_the_token_when_one_is_set(
    pki_settings: Settings, tmp_path: Path, name: str
) -> None:
    settings = pki_settings.model_copy(update={"admin_token": TOKEN})
    app = build_app(settings, name)
    statuses = _calls(
        app,
        [
            ("/admin/clock", {}),
            ("/admin/clock", {"Authorization": "Bearer wrong-token-0123456789"}),
            ("/admin/clock", {"X-Admin-Token": TOKEN[:-1]}),
            ("/admin/no-such-route", {}),  # refused before routing: nothing about /admin is shown
            ("/admin/clock", {"Authorization": f"Bearer {TOKEN}"}),
            ("/admin/clock", {"X-Admin-Token": TOKEN}),
            ("/health", {}),
        ],
    )
    assert statuses == [401, 401, 401, 401, 200, 200, 200]


def test_the_systems_own_admin_routes_are_guarded_too(pki_settings: Settings) -> None:
    settings = pki_settings.model_copy(update={"admin_token": TOKEN})
    gateway = build_app(settings, "gateway")
    assert _calls(gateway, [("/admin/journal", {}), ("/admin/services", {}), ("/admin/journal/verify", {})]) == [
        401,
        401,
        401,
    ]
    assert _calls(gateway, [("/admin/services", {"X-Admin-Token": TOKEN})]) == [200]
    person_registry = build_app(settings, "person_registry")
    assert _calls(person_registry, [("/admin/persons", {}), ("/admin/persons", {"X-Admin-Token": TOKEN})]) == [
        401,
        200,
    ]


def test_without_a_token_on_loopback_the_admin_routes_are_open(pki_settings: Settings) -> None:
    assert pki_settings.admin_token is None
    assert _calls(build_app(pki_settings, "gateway"), [("/admin/clock", {})]) == [200]


def test_binding_to_every_address_requires_a_token(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="EGOV_SIM_ADMIN_TOKEN"):
        Settings(data_dir=tmp_path, host="0.0.0.0")
    with pytest.raises(ValidationError, match=re.escape("gateway would bind to 0.0.0.0")):
        Settings(data_dir=tmp_path, hosts={"gateway": "0.0.0.0"})
    with pytest.raises(ValidationError, match="at least 16 characters"):
        Settings(data_dir=tmp_path, host="0.0.0.0", admin_token="short")
    settings = Settings(data_dir=tmp_path, host="0.0.0.0", admin_token=TOKEN)
    assert settings.environment_for("portal")["EGOV_SIM_ADMIN_TOKEN"] == TOKEN
    assert TOKEN not in repr(settings)


def test_the_compose_file_sets_a_token() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    environment = compose["x-system"]["environment"]
    assert environment["EGOV_SIM_HOST"] == "0.0.0.0"
    default = re.fullmatch(r"\$\{EGOV_SIM_ADMIN_TOKEN:-(?P<token>[^}]+)\}", environment["EGOV_SIM_ADMIN_TOKEN"])
    assert default is not None, "the token is taken from the environment, with a default"
    assert Settings(host="0.0.0.0", admin_token=default["token"]).admin_token == default["token"]


@respx.mock
def test_the_scenario_driver_sends_the_token(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, admin_token=TOKEN)
    route = respx.get(f"{settings.base_url('gateway')}/admin/journal").mock(return_value=httpx.Response(200, json=[]))
    driver = ScenarioDriver(settings)
    try:
        assert driver.hops("case-1") == []
    finally:
        driver.close()
    assert route.calls.last.request.headers["X-Admin-Token"] == TOKEN


@respx.mock
def test_egov_sim_clock_sends_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from egov_sim.cli import app

    monkeypatch.setenv("EGOV_SIM_ADMIN_TOKEN", TOKEN)
    settings = Settings()
    routes = [
        respx.get(f"{settings.base_url(s.name)}/admin/clock").mock(
            return_value=httpx.Response(200, json={"system": s.name, "now": "2026-11-23T10:00:00+05:00"})
        )
        for s in SYSTEMS
    ]
    result = CliRunner().invoke(app, ["clock", "show"])
    assert result.exit_code == 0, result.output
    assert all(route.calls.last.request.headers["X-Admin-Token"] == TOKEN for route in routes)


@respx.mock
def test_egov_sim_async_sends_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from egov_sim.cli import app

    monkeypatch.setenv("EGOV_SIM_ADMIN_TOKEN", TOKEN)
    route = respx.get(f"{Settings().base_url('gateway')}/admin/async/dead-letters").mock(
        return_value=httpx.Response(200, json=[])
    )
    result = CliRunner().invoke(app, ["async", "dead-letters"])
    assert result.exit_code == 0, result.output
    assert route.calls.last.request.headers["X-Admin-Token"] == TOKEN
