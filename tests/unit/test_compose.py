"""docker-compose.yml has one service per system of the catalogue, each running `egov-sim serve NAME` and
reaching its peers by service name."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from ecosystem.catalogue import SYSTEMS
from ecosystem.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_system_has_a_compose_service() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    expected = {s.name for s in SYSTEMS}
    assert set(services) - {"postgres"} == expected
    for name in expected:
        assert name in services, f"docker-compose.yml lacks a service for {name}"
        assert services[name]["command"] == f"egov-sim serve {name}"
    assert "postgres" in services


def test_each_system_gets_its_own_database() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    url = compose["x-system"]["environment"]["EGOV_SIM_DATABASE_URL"]
    assert "{system}" in url
    init = (ROOT / "deploy" / "postgres-init.sql").read_text(encoding="utf-8")
    for system in SYSTEMS:
        assert f"CREATE DATABASE egov_{system.name} " in init
    settings = Settings(database_url=url)
    assert settings.database_for("portal") != settings.database_for("employment")


def test_a_shared_database_url_is_refused() -> None:
    with pytest.raises(ValidationError, match="system"):
        Settings(database_url="postgresql+psycopg://egov:egov@postgres:5432/egov")


def test_containers_reach_their_peers_by_service_name() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    environment = compose["x-system"]["environment"]
    peers = {
        key.removeprefix("EGOV_SIM_PEERS__").lower(): url
        for key, url in environment.items()
        if key.startswith("EGOV_SIM_PEERS__")
    }
    settings = Settings(host="0.0.0.0", peers=peers, admin_token=environment["EGOV_SIM_ADMIN_TOKEN"])
    for system in SYSTEMS:
        assert settings.base_url(system.name) == f"http://{system.name}:{system.default_port}"
