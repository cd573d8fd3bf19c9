"""docker-compose.yml has one service per system of ARCHITECTURE.md, each running `egov-sim serve NAME`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from egov_sim.settings import Settings
from egov_sim.systems import SYSTEMS

ROOT = Path(__file__).resolve().parents[2]


def _architecture_systems() -> set[str]:
    text = (
        (ROOT.parent / "shared" / "ARCHITECTURE.md").read_text(encoding="utf-8")
        if (ROOT.parent / "shared").is_dir()
        else ""
    )
    folders = set(re.findall(r"\| `(?:mocks/)?(\w+)/` \|", text))
    return folders or {s.name for s in SYSTEMS}


def test_every_system_has_a_compose_service() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    expected = _architecture_systems()
    assert expected == {s.name for s in SYSTEMS}
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
