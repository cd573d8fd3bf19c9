"""``egov-sim journal verify | show CORRELATION_ID``: the gateway's journal, from the running gateway or
straight from its database.

By default both commands ask the running gateway (``GET /admin/journal/verify``, ``GET /admin/journal``),
found where the settings say (``EGOV_SIM_PEERS__GATEWAY``, or 127.0.0.1 and ``EGOV_SIM_PORTS__GATEWAY``),
with the admin token when ``EGOV_SIM_ADMIN_TOKEN`` is set. ``--database-url`` reads the journal's database
instead (the gateway need not run): ``sqlite:///var/db/gateway.sqlite`` or a PostgreSQL URL; a URL with
``{system}`` (as ``EGOV_SIM_DATABASE_URL`` has it) is read for the gateway.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import httpx
import typer
from rich.console import Console
from rich.table import Table

from ecosystem.settings import Settings

if TYPE_CHECKING:
    from gateway.journal import Journal

journal_app = typer.Typer(
    help="The gateway's hash-chained journal: check it, or show every hop of a case.",
    no_args_is_help=True,
)

GatewayUrl = Annotated[
    str | None,
    typer.Option("--gateway-url", help="base URL of the running gateway (default: where the settings put it)"),
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="read the journal's database directly instead of asking the gateway "
        "(e.g. sqlite:///var/db/gateway.sqlite; {system} is replaced by gateway)",
    ),
]
PAGE = 1000


@journal_app.command("verify")
def verify(gateway_url: GatewayUrl = None, database_url: DatabaseUrl = None) -> None:
    """Recompute the whole hash chain; exit 1 and print the first broken entry if an entry was edited,
    removed or reordered."""
    verdict = _local_verdict(database_url) if database_url else _remote(gateway_url, "/admin/journal/verify", {})
    console = Console(soft_wrap=True)
    if verdict.get("intact"):
        console.print(f"[green]journal intact[/green]: {verdict.get('entries')} entries, every hash chains")
        return
    console.print(
        f"[red]journal broken[/red] after checking {verdict.get('entries')} entries: {verdict.get('problem')}"
    )
    broken = verdict.get("broken")
    if isinstance(broken, dict):
        console.print("first broken entry:", highlight=False)
        console.print_json(data=broken)
    raise typer.Exit(1)


@journal_app.command("show")
def show(
    correlation_id: Annotated[str, typer.Argument(help="the case's correlationId (the portal's application id)")],
    gateway_url: GatewayUrl = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Every hop of one case, oldest first: from → to, serviceId, event, code, size, the four instants and
    the signatures the gateway verified."""
    entries = (
        _local_entries(database_url, correlation_id) if database_url else _remote_entries(gateway_url, correlation_id)
    )
    if not entries:
        _fail(f"the journal holds no entry with correlationId {correlation_id}", code=1)
    table = Table(title=f"hops of correlationId {correlation_id} (gateway journal)")
    for column in ("#", "at", "from → to", "serviceId", "event", "code", "bytes", "times", "verified"):
        table.add_column(column, overflow="fold")
    for number, hop in enumerate(entries, start=1):
        table.add_row(
            str(number),
            str(hop.get("at", "")),
            f"{hop.get('sender_id') or '?'} → {hop.get('receiver_id') or '?'}",
            str(hop.get("service_id") or ""),
            str(hop.get("event") or ""),
            str(hop.get("code") or ""),
            "" if hop.get("body_size") is None else str(hop["body_size"]),
            "\n".join(f"{name} {instant}" for name, instant in (hop.get("times") or {}).items()),
            "\n".join(f"✔ {check}" for check in hop.get("verified") or []),
        )
    Console(soft_wrap=True).print(table)


def _local_verdict(database_url: str) -> dict[str, Any]:
    journal = _open(database_url)
    try:
        return journal.verify().as_json()
    finally:
        journal.dispose()


def _local_entries(database_url: str, correlation_id: str) -> list[dict[str, Any]]:
    journal = _open(database_url)
    try:
        entries: list[dict[str, Any]] = []
        before: int | None = None
        while True:
            page = journal.entries(correlation_id=correlation_id, limit=PAGE, before=before)
            entries.extend(page)
            if len(page) < PAGE:
                return entries[::-1]
            before = page[-1]["seq"]
    finally:
        journal.dispose()


def _open(database_url: str) -> Journal:
    from gateway.journal import Journal, NoJournal

    try:
        return Journal.at(database_url.replace("{system}", "gateway"), create=False)
    except NoJournal as exc:
        _fail(str(exc), code=2)
    except Exception as exc:  # a URL that cannot be opened: say which, without its password
        _fail(f"cannot read the journal at the given --database-url: {exc.__class__.__name__}: {exc}", code=2)


def _remote_entries(gateway_url: str | None, correlation_id: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    params: dict[str, str | int] = {"correlationId": correlation_id, "limit": PAGE}
    while True:
        page = _remote(gateway_url, "/admin/journal", params)
        if not isinstance(page, list):
            _fail(f"the gateway answered {page!r} instead of a list of entries")
        entries.extend(page)
        if len(page) < PAGE:
            return entries[::-1]
        params["before"] = page[-1]["seq"]


def _remote(gateway_url: str | None, path: str, params: dict[str, str | int]) -> Any:
    settings = Settings()
    base = (gateway_url or settings.base_url("gateway")).rstrip("/")
    try:
        answer = httpx.get(f"{base}{path}", params=params, headers=settings.admin_headers(), timeout=120.0)
    except httpx.HTTPError as exc:
        _fail(
            f"no gateway answers at {base} ({exc.__class__.__name__}): start it with `egov-sim up`, point "
            "--gateway-url at it, or read its database with --database-url",
            code=2,
        )
    if answer.status_code == 401:
        _fail(f"{base}{path} needs the admin token: set EGOV_SIM_ADMIN_TOKEN to the ecosystem's token", code=2)
    if answer.status_code != 200:
        _fail(f"{base}{path} answered HTTP {answer.status_code}: {answer.text[:300]}", code=2)
    return answer.json()


def _fail(message: str, code: int = 1) -> NoReturn:
    Console(stderr=True).print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)
