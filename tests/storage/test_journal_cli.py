"""``egov-sim journal verify`` and ``egov-sim journal show``: on the database directly (both backends) and
through a running gateway that has an admin token."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import uvicorn
from sqlalchemy import text
from typer.testing import CliRunner

from adapters.storage import create_store_engine
from ecosystem.settings import Settings
from egov_sim.cli import app
from egov_sim.launcher import free_ports
from gateway.app import create_app
from gateway.journal import Journal, JournalRecord
from kernel.clock import almaty

START = datetime(2026, 11, 23, 10, 0, tzinfo=almaty())
TOKEN = "journal-cli-token-0123456789"
TAMPERING = {
    "edited": ["UPDATE journal SET record = replace(record, 'm-2', 'm-7') WHERE seq = 2"],
    "removed": ["DELETE FROM journal WHERE seq = 2"],
    "reordered": [
        "UPDATE journal SET seq = 100 WHERE seq = 2",
        "UPDATE journal SET seq = 2 WHERE seq = 3",
        "UPDATE journal SET seq = 3 WHERE seq = 100",
    ],
}


def _fill(database_url: str) -> None:
    journal = Journal.at(database_url)
    hops = [("received", "EGOV_PORTAL", "ENBEK_LABOUR_MARKET", None), ("delivered", "ENBEK", "EGOV_PORTAL", "SCE000")]
    for number in range(1, 5):
        event, sender, receiver, code = hops[number % 2 == 0]
        journal.append(
            JournalRecord(
                at=START + timedelta(seconds=number),
                channel="sync",
                event=event,
                message_id=f"m-{number}",
                correlation_id="case-cli",
                session_id=f"{{s-{(number + 1) // 2}}}",  # received and delivered: one exchange
                service_id="ENBEK_JobSeekerRegistration",
                sender_id=sender,
                receiver_id=receiver,
                code=code,
                body=b"<answer/>",
                times={"requestIn": (START + timedelta(seconds=number)).isoformat()},
            )
        )
    journal.dispose()


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "250"})  # a wide table: one line a hop
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_verify_on_the_database_says_intact(database_url: str) -> None:
    _fill(database_url)
    code, output = _run("journal", "verify", "--database-url", database_url)
    assert code == 0, output
    assert "journal intact" in output and "4 entries" in output


@pytest.mark.parametrize("tampering", sorted(TAMPERING))
def test_verify_on_the_database_exits_1_with_the_first_broken_entry(database_url: str, tampering: str) -> None:
    _fill(database_url)
    engine = create_store_engine(database_url)
    with engine.begin() as connection:
        for statement in TAMPERING[tampering]:
            connection.execute(text(statement))
    engine.dispose()
    code, output = _run("journal", "verify", "--database-url", database_url)
    assert code == 1, output
    assert "journal broken" in output and "first broken entry" in output
    expected_seq = 3 if tampering == "removed" else 2
    assert f'"seq": {expected_seq}' in output


def test_show_on_the_database_prints_every_hop_oldest_first(database_url: str) -> None:
    _fill(database_url)
    code, output = _run("journal", "show", "case-cli", "--database-url", database_url)
    assert code == 0, output
    assert "hops of correlationId case-cli" in output
    assert output.index("EGOV_PORTAL → ENBEK_LABOUR_MARKET") < output.index("ENBEK → EGOV_PORTAL")
    assert output.count("ENBEK_JobSeekerRegist") == 4 and "SCE000" in output
    code, output = _run("journal", "show", "no-such-case", "--database-url", database_url)
    assert code == 1 and "no entry with correlationId no-such-case" in output


def test_verify_refuses_a_database_without_a_journal(tmp_path: object) -> None:
    code, output = _run("journal", "verify", "--database-url", f"sqlite:///{tmp_path}/empty.sqlite")
    assert code == 2 and "holds no journal" in output


@pytest.fixture
def running_gateway(pki_settings: Settings, tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A gateway with an admin token serving on a free loopback port; the CLI's settings point at it."""
    port = free_ports(1)[0]
    database = f"sqlite:///{tmp_path}/gateway.sqlite"
    _fill(database)
    settings = Settings(data_dir=pki_settings.data_dir, ports={"gateway": port}, admin_token=TOKEN).model_copy(
        update={"database_url": database.replace("gateway.sqlite", "{system}.sqlite")}
    )
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the gateway did not start"
        time.sleep(0.05)
    monkeypatch.setenv("EGOV_SIM_PORTS__GATEWAY", str(port))
    monkeypatch.delenv("EGOV_SIM_PEERS__GATEWAY", raising=False)
    try:
        yield database
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_the_commands_ask_the_running_gateway_with_the_admin_token(
    running_gateway: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EGOV_SIM_ADMIN_TOKEN", raising=False)
    code, output = _run("journal", "verify")
    assert code == 2 and "needs the admin token" in output

    monkeypatch.setenv("EGOV_SIM_ADMIN_TOKEN", TOKEN)
    code, output = _run("journal", "verify")
    assert code == 0 and "journal intact" in output and "5 entries" in output  # the 4 and the register's seed
    code, output = _run("journal", "show", "case-cli")
    assert code == 0 and output.count("ENBEK_JobSeekerRegist") == 4

    engine = create_store_engine(running_gateway)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM journal WHERE seq = (SELECT MAX(seq) FROM journal)"))
    engine.dispose()
    code, output = _run("journal", "verify")
    assert code == 1 and "the newest entries were removed" in output
