"""``egov-sim send SERVICE_ID --as SYSTEM FILE`` against a served gateway and person registry: it signs the
payload as the system, gets the registry's answer through the gateway, and prints the case's hops; a fault is
printed with its code and exit status 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecosystem.settings import Settings
from egov_sim.cli import app
from tests.integration.conftest import ServedSystems

PAYLOAD = (
    '<m:request xmlns:m="http://message.persistence.interactive.nat"><messageId>cli-1</messageId>'
    "<messageDate>2026-11-23T10:00:00+05:00</messageDate><senderCode>ENBEK</senderCode><iin>{iin}</iin></m:request>"
)


@pytest.fixture(scope="module")
def settings(served: ServedSystems) -> Settings:
    served.start("gateway", "person_registry")
    return served.settings


def _send(settings: Settings, tmp_path: Path, iin: str, system: str, case: str) -> tuple[int, str]:
    payload = tmp_path / "request.xml"
    payload.write_text(PAYLOAD.format(iin=iin), encoding="utf-8")
    arguments = ["send", "GBDFL_UniversalServiceSync", str(payload), "--as", system, "--correlation-id", case]
    arguments += ["--data-dir", str(settings.data_dir), "--gateway-url", settings.base_url("gateway")]
    result = CliRunner().invoke(app, arguments, env={"COLUMNS": "250"})
    return result.exit_code, result.output


def test_send_signs_as_the_system_and_prints_the_answer_and_hops(settings: Settings, tmp_path: Path) -> None:
    code, output = _send(settings, tmp_path, "920314403019", "employment", "cli-case-1")
    assert code == 0, output
    assert "SCSS001" in output and "920314403019" in output
    assert "signed by" in output and "041140010011" in output  # the gateway's BIN signed the answer
    assert "hops of correlationId cli-case-1" in output
    assert "ENBEK_LABOUR_MARKET → GBDFL" in output and "delivered" in output


def test_a_fault_is_printed_with_its_code(settings: Settings, tmp_path: Path) -> None:
    code, output = _send(settings, tmp_path, "920314403019", "social_fund", "cli-case-2")  # GFSS may not call it
    assert code == 1, output
    assert "fault SCE003" in output and "rejected" in output
