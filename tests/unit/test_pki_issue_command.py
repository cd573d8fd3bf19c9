"""``egov-sim pki issue`` orders a certificate from the NCA's tester API and writes the PEMs it answers."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

from ecosystem.settings import Settings
from egov_sim.cli import app


def test_pki_issue_sends_the_order_and_writes_certificate_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EGOV_SIM_DATA_DIR", str(tmp_path))
    url = f"{Settings().base_url('nca')}/api/certificates"
    issued = {
        "serial": "42",
        "subject": "CN=ТЕСТОВ ТЕСТ",
        "notBefore": "a",
        "notAfter": "b",
        "trusted": False,
        "certificatePem": "CERT",
        "keyPem": "KEY",
    }
    with respx.mock:
        route = respx.post(url).mock(return_value=httpx.Response(201, json=issued))
        result = CliRunner().invoke(
            app,
            [
                "pki",
                "issue",
                "--person",
                "900101300123",
                "--validity",
                "expired",
                "--untrusted",
                "--key-type",
                "ec",
                "--out",
                str(tmp_path / "bad"),
            ],
        )
    assert result.exit_code == 0, result.output
    sent = json.loads(route.calls[0].request.content)
    assert sent["holder"] == "person" and sent["validity"] == "expired" and sent["untrusted"] is True
    assert sent["keyType"] == "ec"
    assert (tmp_path / "bad.pem").read_text() == "CERT" and (tmp_path / "bad.key").read_text() == "KEY"


def test_pki_issue_needs_one_holder(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["pki", "issue", "--out", str(tmp_path / "x")])
    assert result.exit_code != 0
