"""Where each system listens and how the others reach it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from ecosystem.catalogue import SYSTEMS
from ecosystem.settings import Settings


def test_each_system_may_have_its_own_loopback_address_on_one_port(tmp_path: Path) -> None:
    hosts = {s.name: f"127.0.0.{i}" for i, s in enumerate(SYSTEMS, start=2)}
    settings = Settings(data_dir=tmp_path, hosts=hosts, ports={s.name: 9000 for s in SYSTEMS})
    assert settings.bind_address("gateway") == ("127.0.0.2", 9000)
    assert settings.base_url("portal") == "http://127.0.0.3:9000"


def test_a_peer_url_wins_over_the_bind_address(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, hosts={"gateway": "127.0.0.2"}, peers={"gateway": "http://gateway:8080/"})
    assert settings.base_url("gateway") == "http://gateway:8080"
    assert settings.bind_host("gateway") == "127.0.0.2"
    assert settings.bind_host("portal") == "127.0.0.1"


def test_a_child_gets_its_own_address_and_every_peer_by_url(tmp_path: Path) -> None:
    hosts = {s.name: f"127.0.0.{i}" for i, s in enumerate(SYSTEMS, start=2)}
    settings = Settings(data_dir=tmp_path, hosts=hosts, ports={s.name: 9000 for s in SYSTEMS})
    env = settings.environment_for("portal")
    assert env["EGOV_SIM_HOST"] == "127.0.0.3"
    assert not [key for key in env if key.startswith("EGOV_SIM_HOSTS__")]
    assert {key: env[key] for key in env if key.startswith("EGOV_SIM_PEERS__")} == {
        f"EGOV_SIM_PEERS__{s.name.upper()}": f"http://{hosts[s.name]}:9000" for s in SYSTEMS
    }


def test_the_child_reads_its_environment_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hosts = {s.name: f"127.0.0.{i}" for i, s in enumerate(SYSTEMS, start=2)}
    parent = Settings(data_dir=tmp_path, hosts=hosts, ports={s.name: 9000 for s in SYSTEMS})
    for key, value in parent.environment_for("employment").items():
        monkeypatch.setenv(key, value)
    child = Settings()
    assert child.bind_address("employment") == ("127.0.0.4", 9000)
    assert {s.name: child.base_url(s.name) for s in SYSTEMS} == {s.name: parent.base_url(s.name) for s in SYSTEMS}


@pytest.mark.parametrize("hosts", [{"gateway": "10.0.0.5"}, {"gateway": "example.org"}, {"gatway": "127.0.0.2"}])
def test_bind_addresses_are_loopback_and_of_known_systems(tmp_path: Path, hosts: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        Settings(data_dir=tmp_path, hosts=hosts)


def test_every_setting_reaches_a_child_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A system started by the launcher gets the same settings through its environment, none forgotten."""
    chosen = Settings(
        data_dir=tmp_path,
        max_xml_attributes=99,
        max_xml_elements=1234,
        max_xml_depth=40,
        async_max_attempts=3,
        max_clock_skew_seconds=77,
        admin_token="a-token-of-sixteen-chars",
        clock="virtual:2026-11-23T10:00:00+05:00",
        peers={"gateway": "http://gateway:8080"},
        local_authority={"mode": "manual", "decision_delay": "P1DT30M", "poll_seconds": 0.2},
    )
    for name in list(os.environ):
        if name.startswith("EGOV_SIM_"):
            monkeypatch.delenv(name)
    for name, value in chosen.to_environment().items():
        monkeypatch.setenv(name, value)
    assert Settings() == chosen


def test_the_local_authority_is_set_through_nested_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EGOV_SIM_LOCAL_AUTHORITY__DECISION_DELAY", "PT45M")
    monkeypatch.setenv("EGOV_SIM_LOCAL_AUTHORITY__MODE", "manual")
    settings = Settings(data_dir=tmp_path)
    assert settings.local_authority.decision_delay.total_seconds() == 45 * 60
    assert settings.local_authority.mode == "manual"
    monkeypatch.delenv("EGOV_SIM_LOCAL_AUTHORITY__DECISION_DELAY")
    assert Settings(data_dir=tmp_path).local_authority.decision_delay.total_seconds() == 2 * 3600  # the default


def test_a_negative_decision_delay_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="decision_delay"):
        Settings(data_dir=tmp_path, local_authority={"decision_delay": "-PT1H"})
