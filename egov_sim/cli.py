"""The ``egov-sim`` command: ``up``, ``serve NAME``, ``demo``, ``clock show|set|advance``,
``journal verify|show``, ``async dead-letters|redrive``, ``pki init|issue``, ``sign document|request``."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from ecosystem.catalogue import SYSTEMS, system
from ecosystem.settings import Settings
from egov_sim.async_commands import async_app
from egov_sim.clock_commands import clock_app
from egov_sim.journal_commands import journal_app
from egov_sim.pki_commands import pki_issue
from egov_sim.send_command import send
from egov_sim.sign_commands import sign_app

if TYPE_CHECKING:
    from egov_sim.launcher import Ecosystem

app = typer.Typer(
    help="A working simulation of Kazakhstan's e-government ecosystem around job-seeker registration.",
    no_args_is_help=True,
)
pki_app = typer.Typer(help="The test PKI (national certifying centre).")
app.add_typer(pki_app, name="pki")
pki_app.command("issue")(pki_issue)
app.add_typer(clock_app, name="clock")
app.add_typer(journal_app, name="journal")
app.add_typer(async_app, name="async")
app.add_typer(sign_app, name="sign")
app.command("send")(send)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="data folder (default ./var or EGOV_SIM_DATA_DIR)")]
ClockSpec = Annotated[
    str | None,
    typer.Option(
        "--clock",
        help="system | fixed:<ISO datetime> | virtual:<ISO datetime> (time flows from that instant); "
        "default EGOV_SIM_CLOCK, else the real clock",
    ),
]
# The demo's default: Monday 23 November 2026, 10:00 in Astana, so that its outcomes (ages, working days,
# deadlines) are the same whatever day it runs. `--clock system` runs it on the real clock.
DEMO_CLOCK = "virtual:2026-11-23T10:00:00+05:00"
DemoClockSpec = Annotated[
    str | None,
    typer.Option(
        "--clock",
        help="system | fixed:<ISO datetime> | virtual:<ISO datetime> (time flows from that instant); "
        f"default EGOV_SIM_CLOCK, else a virtual clock from Monday 2026-11-23 10:00 Astana ({DEMO_CLOCK})",
    ),
]
Names = Annotated[list[str] | None, typer.Argument(help="systems to start (default: every one)", show_default=False)]
KeepGoing = Annotated[
    bool,
    typer.Option(
        "--keep-going",
        help="when a system dies, report it and keep the others running (default: report it and stop them all)",
    ),
]


def _settings(data_dir: Path | None, clock: str | None = None) -> Settings:
    settings = Settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    if clock is not None:
        settings = settings.model_copy(update={"clock": clock})
    return settings


class Stopped(Exception):
    """``up`` was asked to stop by a signal."""


def _stop_on_signal(signum: int, _: FrameType | None) -> None:
    for each in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(each, signal.SIG_IGN)  # one request to stop is enough: let the systems end cleanly
    raise Stopped(signal.Signals(signum).name)


def _fail(message: str, code: int) -> NoReturn:
    Console(stderr=True).print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _known(names: list[str]) -> list[str]:
    for name in names:
        try:
            system(name)
        except KeyError as exc:
            _fail(str(exc.args[0]), code=2)
    return names


@app.command()
def up(names: Names = None, data_dir: DataDir = None, clock: ClockSpec = None, keep_going: KeepGoing = False) -> None:
    """Start every system (or the ones named) on loopback until interrupted (Ctrl+C or SIGTERM).

    A system that dies is reported with the last lines of its log, and the others are stopped (exit code 1),
    so that a tester never drives a half-running ecosystem unawares; --keep-going keeps them running.
    No system outlives this command, even if it is killed.
    """
    from egov_sim.launcher import Ecosystem, LaunchError

    wanted = _known(names or [s.name for s in SYSTEMS])
    settings = _settings(data_dir, clock)
    console = Console()
    for each in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(each, _stop_on_signal)
    failed = False
    with Ecosystem(settings) as ecosystem:
        try:
            ecosystem.start(wanted)
            _print_up(console, ecosystem, wanted)
            failed = _watch(console, ecosystem, keep_going)
        except LaunchError as exc:
            _fail(str(exc), code=1)
        except (KeyboardInterrupt, Stopped):
            pass
        console.print("stopping...")
    if failed:
        raise typer.Exit(1)


def _print_up(console: Console, ecosystem: Ecosystem, wanted: list[str]) -> None:
    settings = ecosystem.settings
    table = Table(title="egov-sim is up")
    for column in ("system", "url", "pid", "what"):
        table.add_column(column)
    for each in SYSTEMS:
        if each.name in wanted:
            pid = str(ecosystem.processes[each.name].pid)
            table.add_row(each.name, settings.base_url(each.name), pid, each.title)
    console.print(table)
    console.print(ecosystem.clock_summary(), highlight=False, soft_wrap=True)
    console.print(f"data folder: {settings.data_dir.resolve()}  logs: {settings.data_dir.resolve() / 'logs'}")


def _watch(console: Console, ecosystem: Ecosystem, keep_going: bool) -> bool:
    """Until interrupted or a system dies: True if one died (and, unless keep_going, the rest are to stop)."""
    while True:
        for ended in ecosystem.exits():
            console.print(f"[red]{ended.describe()}[/red]", highlight=False)
            if not keep_going:
                console.print("stopping the other systems (`egov-sim up --keep-going` keeps them running)")
                return True
        if all(process.poll() is not None for process in ecosystem.processes.values()):
            console.print("[red]every system has ended[/red]")
            return True
        time.sleep(0.5)


@app.command()
def serve(name: str, data_dir: DataDir = None) -> None:
    """Run one system (as one container of docker-compose.yml does)."""
    from egov_sim.launcher import serve as serve_system

    _known([name])
    serve_system(_settings(data_dir), name)


@app.command()
def demo(data_dir: DataDir = None, clock: DemoClockSpec = None) -> None:
    """Start everything, run one registration and two refusals, print every hop; exit 0 only if all is as expected."""
    from egov_sim.demo import run_demo

    settings = _settings(data_dir, clock)
    if settings.clock is None:
        settings = settings.model_copy(update={"clock": DEMO_CLOCK})
    raise typer.Exit(code=0 if run_demo(settings, Console(soft_wrap=True)) else 1)


@pki_app.command("init")
def pki_init(data_dir: DataDir = None) -> None:
    """Create the test PKI in the data folder if it is missing."""
    from egov_sim.launcher import prepare_data_folder

    settings = _settings(data_dir)
    report = prepare_data_folder(settings)
    Console().print(
        f"test PKI under {settings.data_dir.resolve() / 'pki'}: {len(report.created)} certificates issued now"
        if report.fresh
        else "already complete"
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
