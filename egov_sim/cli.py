"""The ``egov-sim`` command: ``up``, ``serve NAME``, ``demo``, ``pki init``."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ecosystem.catalogue import SYSTEMS
from ecosystem.settings import Settings

app = typer.Typer(
    help="A working simulation of Kazakhstan's e-government ecosystem around job-seeker registration.",
    no_args_is_help=True,
)
pki_app = typer.Typer(help="The test PKI (national certifying centre).")
app.add_typer(pki_app, name="pki")

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


def _settings(data_dir: Path | None, clock: str | None = None) -> Settings:
    settings = Settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    if clock is not None:
        settings = settings.model_copy(update={"clock": clock})
    return settings


@app.command()
def up(data_dir: DataDir = None, clock: ClockSpec = None) -> None:
    """Start every system on loopback until interrupted (Ctrl+C)."""
    from egov_sim.launcher import Ecosystem

    settings = _settings(data_dir, clock)
    console = Console()
    with Ecosystem(settings) as ecosystem:
        ecosystem.start()
        table = Table(title="egov-sim is up")
        for column in ("system", "url", "what"):
            table.add_column(column)
        for system in SYSTEMS:
            table.add_row(system.name, settings.base_url(system.name), system.title)
        console.print(table)
        console.print(f"data folder: {settings.data_dir.resolve()}  logs: {settings.data_dir.resolve() / 'logs'}")
        stop = {"now": False}
        signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
        try:
            while not stop["now"]:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        console.print("stopping...")


@app.command()
def serve(name: str, data_dir: DataDir = None) -> None:
    """Run one system (as one container of docker-compose.yml does)."""
    from egov_sim.launcher import serve as serve_system

    serve_system(_settings(data_dir), name)


@app.command()
def demo(data_dir: DataDir = None, clock: ClockSpec = None) -> None:
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
