"""The ``egov-sim`` command's answers to mistakes: one line saying what is wrong, the right exit code."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from ecosystem.catalogue import SYSTEMS
from egov_sim.cli import DEMO_CLOCK, app
from egov_sim.launcher import free_ports

KNOWN = ", ".join(s.name for s in SYSTEMS)


@pytest.fixture
def nothing_running(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point every system at a port nobody listens on."""
    for each in SYSTEMS:
        monkeypatch.setenv(f"EGOV_SIM_PORTS__{each.name.upper()}", str(free_ports(1)[0]))
        monkeypatch.delenv(f"EGOV_SIM_PEERS__{each.name.upper()}", raising=False)


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize("command", [("serve", "gatway"), ("up", "gateway", "gatway")])
def test_an_unknown_system_is_one_line_naming_the_known_ones(command: tuple[str, ...]) -> None:
    code, output = _run(*command)
    assert code == 2
    assert "Traceback" not in output
    assert output.strip().splitlines() == [f"error: unknown system 'gatway'; known systems: {KNOWN}"]


def test_demo_help_names_the_demos_own_default_clock() -> None:
    demo = typer.main.get_command(app).commands["demo"]  # type: ignore[attr-defined]
    clock = next(p for p in demo.params if p.name == "clock")
    assert "Monday 2026-11-23 10:00 Astana" in clock.help
    assert DEMO_CLOCK in clock.help
    assert "real clock" not in clock.help
    code, output = _run("demo", "--help")
    assert code == 0
    assert "2026-11-23" in output


def test_up_help_still_names_the_real_clock_as_its_default() -> None:
    up = typer.main.get_command(app).commands["up"]  # type: ignore[attr-defined]
    clock = next(p for p in up.params if p.name == "clock")
    assert "else the real clock" in clock.help


@pytest.mark.usefixtures("nothing_running")
@pytest.mark.parametrize(
    "command", [("clock", "show"), ("clock", "advance", "2h"), ("clock", "set", "2027-01-04T09:00+05:00")]
)
def test_clock_commands_say_the_ecosystem_is_not_running(command: tuple[str, ...]) -> None:
    code, output = _run(*command)
    assert code == 1
    assert "error: the ecosystem is not running" in output
    assert "egov-sim up" in output


@pytest.mark.parametrize(
    ("command", "complaint"),
    [
        (("clock", "advance", "2 days"), "is not a duration"),
        (("clock", "advance", "P1M"), "months and years are not accepted"),
        (("clock", "set", "2027-01-04T09:00"), "has no offset"),
        (("clock", "set", "next monday"), "is not an ISO 8601 instant"),
    ],
)
def test_clock_commands_refuse_bad_input_before_calling_anyone(command: tuple[str, ...], complaint: str) -> None:
    code, output = _run(*command)
    assert code == 2
    assert complaint in output
