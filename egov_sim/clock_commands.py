"""``egov-sim clock show | set | advance``: read and move the clock of a RUNNING ecosystem over HTTP.

The change goes to one system's ``POST /admin/clock`` (the gateway unless ``--gateway-url`` says otherwise);
that system rewrites the shared clock file and every other system re-reads it within a second. The command
then asks every system's ``GET /admin/clock`` until each shows the new state (the same anchor) and prints
what each reads. Systems are found where the settings say (``EGOV_SIM_PORTS__*``, ``EGOV_SIM_HOSTS__*``,
``EGOV_SIM_PEERS__*``), as ``egov-sim up`` started them.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Annotated, Any, NoReturn

import httpx
import typer
from rich.console import Console
from rich.table import Table

from ecosystem.catalogue import SYSTEMS
from ecosystem.clock import parse_duration
from ecosystem.settings import Settings

clock_app = typer.Typer(
    help="The ecosystem's one clock, read and moved on the running systems (start them with `egov-sim up`).",
    no_args_is_help=True,
)

GatewayUrl = Annotated[
    str | None,
    typer.Option(
        "--gateway-url",
        help="base URL of the system that takes the change (default: the gateway where the settings put it, "
        "EGOV_SIM_PEERS__GATEWAY or 127.0.0.1 and EGOV_SIM_PORTS__GATEWAY)",
    ),
]
Wait = Annotated[float, typer.Option("--wait", help="seconds to wait for every system to follow the change")]
NOT_RUNNING = "the ecosystem is not running"


@clock_app.command("show")
def show(gateway_url: GatewayUrl = None) -> None:
    """Print the time each system reads (exit 1 if a system does not answer)."""
    urls = _system_urls(gateway_url)
    with httpx.Client(timeout=2.0, headers=Settings().admin_headers()) as http:
        readings = {name: _read(http, url) for name, url in urls.items()}
    if all(isinstance(reading, str) for reading in readings.values()):
        _fail(
            f"{NOT_RUNNING}: no system answers (the gateway is expected at {urls['gateway']}); start it with "
            "`egov-sim up`, or say where it runs with --gateway-url or EGOV_SIM_PORTS__* / EGOV_SIM_PEERS__*"
        )
    _print(readings, urls, title="ecosystem clock")
    if any(isinstance(reading, str) for reading in readings.values()):
        raise typer.Exit(1)


@clock_app.command("set")
def set_(
    at: Annotated[str, typer.Argument(help="ISO 8601 instant with its offset, e.g. 2026-12-01T09:00:00+05:00")],
    gateway_url: GatewayUrl = None,
    wait: Wait = 5.0,
) -> None:
    """Jump the whole ecosystem to an instant (a virtual clock keeps flowing from there)."""
    try:
        instant = datetime.fromisoformat(at)
    except ValueError:
        _fail(f"{at!r} is not an ISO 8601 instant; write it as 2026-12-01T09:00:00+05:00", code=2)
    if instant.tzinfo is None:
        _fail(f"{at!r} has no offset; write it with one, e.g. {at}+05:00 (Astana)", code=2)
    _change({"set": instant.isoformat()}, gateway_url, wait)


@clock_app.command("advance")
def advance(
    duration: Annotated[str, typer.Argument(help="how far: 3d, 2h, 1d12h, 90m, 45s, 2w, or ISO 8601 P1D, PT2H")],
    gateway_url: GatewayUrl = None,
    wait: Wait = 5.0,
) -> None:
    """Move the whole ecosystem's time forward."""
    try:
        parse_duration(duration)
    except ValueError as exc:
        _fail(str(exc), code=2)
    _change({"advance": duration}, gateway_url, wait)


def _change(body: dict[str, str], gateway_url: str | None, wait: float) -> None:
    urls = _system_urls(gateway_url)
    via = urls["gateway"]
    with httpx.Client(timeout=5.0, headers=Settings().admin_headers()) as http:
        try:
            answer = http.post(f"{via}/admin/clock", json=body)
        except httpx.HTTPError as exc:
            _fail(
                f"{NOT_RUNNING}: nothing answers at {via} ({exc.__class__.__name__}); start it with "
                "`egov-sim up`, or point --gateway-url (or EGOV_SIM_PEERS__GATEWAY) at a running system"
            )
        if answer.status_code != 200:
            _fail(
                f"{via}/admin/clock refused the change: HTTP {answer.status_code} {_detail(answer)}",
                code=2 if answer.status_code == 422 else 1,
            )
        anchor = answer.json().get("anchor")
        changed = time.monotonic()
        readings, followed_after = _await_anchor(http, urls, anchor, changed + wait)
    _print(readings, urls, title=f"ecosystem clock after {next(iter(body))} {next(iter(body.values()))}")
    behind = [name for name, reading in readings.items() if isinstance(reading, str) or reading["anchor"] != anchor]
    if behind:
        _fail(
            f"not every system follows the change after {wait:.0f} s: {', '.join(behind)} "
            "(a system that does not answer is not running; one on another time reads another clock file: "
            "check that every system has the same EGOV_SIM_DATA_DIR)"
        )
    Console().print(f"every system follows the change ({followed_after:.2f} s after it was made)")


def _await_anchor(
    http: httpx.Client, urls: dict[str, str], anchor: object, deadline: float
) -> tuple[dict[str, dict[str, Any] | str], float]:
    """Ask every system until each shows ``anchor`` or the deadline passes; when the last one followed."""
    start = time.monotonic()
    readings: dict[str, dict[str, Any] | str] = {}
    pending = set(urls)
    while True:
        for name in sorted(pending):
            readings[name] = _read(http, urls[name])
            reading = readings[name]
            if not isinstance(reading, str) and reading.get("anchor") == anchor:
                pending.discard(name)
        if not pending or time.monotonic() > deadline:
            return dict(sorted(readings.items(), key=lambda item: list(urls).index(item[0]))), time.monotonic() - start
        time.sleep(0.05)


def _system_urls(gateway_url: str | None) -> dict[str, str]:
    settings = Settings()
    urls = {system.name: settings.base_url(system.name) for system in SYSTEMS}
    if gateway_url:
        urls["gateway"] = gateway_url.rstrip("/")
    return urls


def _read(http: httpx.Client, base_url: str) -> dict[str, Any] | str:
    """A system's ``/admin/clock``, or why it could not be read."""
    try:
        answer = http.get(f"{base_url}/admin/clock")
    except httpx.TimeoutException:
        return "no answer in time"
    except httpx.HTTPError:
        return "not answering"
    if answer.status_code == 401:
        return "HTTP 401: set EGOV_SIM_ADMIN_TOKEN to the ecosystem's admin token"
    if answer.status_code != 200:
        return f"HTTP {answer.status_code}"
    body = answer.json()
    return body if isinstance(body, dict) else f"unexpected answer {body!r}"


def _print(readings: dict[str, dict[str, Any] | str], urls: dict[str, str], title: str) -> None:
    table = Table(title=title)
    for column in ("system", "now", "kind"):
        table.add_column(column, no_wrap=True)
    for name, reading in readings.items():
        if isinstance(reading, str):
            table.add_row(name, f"[red]{reading} at {urls[name]}[/red]", "")
        else:
            table.add_row(name, _seconds(reading.get("now")), str(reading.get("kind")))
    Console().print(table)


def _seconds(now: object) -> str:
    """An instant to the second, for reading (the systems answer to the microsecond)."""
    try:
        return datetime.fromisoformat(str(now)).isoformat(timespec="seconds")
    except ValueError:
        return str(now)


def _detail(answer: httpx.Response) -> str:
    try:
        return str(answer.json().get("detail", answer.text))
    except ValueError:
        return answer.text[:200]


def _fail(message: str, code: int = 1) -> NoReturn:
    Console(stderr=True).print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)
