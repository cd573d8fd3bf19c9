"""``egov-sim async messages | dead-letters | redrive ID``: the AsyncChannel's deliveries on a RUNNING gateway.

The commands call the gateway's admin API (docs/admin-apis.md, "AsyncChannel deliveries"), found where the
settings put it (``EGOV_SIM_PORTS__GATEWAY``, ``EGOV_SIM_PEERS__GATEWAY``) unless ``--gateway-url`` says.
"""

from __future__ import annotations

from typing import Annotated, Any, NoReturn

import httpx
import typer
from rich.console import Console
from rich.table import Table

from ecosystem.settings import Settings

async_app = typer.Typer(
    help="The gateway's AsyncChannel deliveries: list messages and dead letters, re-drive a dead letter.",
    no_args_is_help=True,
)

STATES = "ON_DELIVERY | DELIVERED | NOT_DELIVERED | DELIVERY_STOPPED"
GatewayUrl = Annotated[
    str | None,
    typer.Option("--gateway-url", help="base URL of the gateway (default: where the settings put it)"),
]


def _gateway(url: str | None) -> str:
    return (url or Settings().base_url("gateway")).rstrip("/")


def _fail(message: str, code: int = 1) -> NoReturn:
    Console(stderr=True).print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _call(method: str, url: str) -> Any:
    try:
        answer = httpx.request(method, url, timeout=30.0, headers=Settings().admin_headers())
    except httpx.HTTPError as exc:
        _fail(f"the gateway does not answer at {url} ({type(exc).__name__}); start it with `egov-sim up`")
    if answer.status_code == 404:
        _fail(answer.json().get("detail", answer.text), code=2)
    if answer.status_code >= 400:
        _fail(f"the gateway answered HTTP {answer.status_code}: {answer.text[:500]}")
    return answer.json()


@async_app.command("messages")
def messages(
    state: Annotated[
        str | None, typer.Option("--state", help="ON_DELIVERY | DELIVERED | NOT_DELIVERED | DELIVERY_STOPPED")
    ] = None,
    limit: Annotated[int, typer.Option("--limit")] = 50,
    gateway_url: GatewayUrl = None,
) -> None:
    """List async messages, newest first, and the count in each state."""
    query = f"?limit={limit}" + (f"&state={state}" if state else "")
    found = _call("GET", f"{_gateway(gateway_url)}/admin/async/messages{query}")
    table = Table(title="async messages " + " ".join(f"{k}={v}" for k, v in found["counts"].items()))
    table.add_column("messageId", no_wrap=True, min_width=36)
    for column in ("type", "service", "sender -> receiver", "state", "status"):
        table.add_column(column)
    for m in found["messages"]:
        status = f"{m['status']['statusCode']} {m['status']['statusMessage'] or ''}"[:80]
        route = f"{m['senderId']} -> {m['receiverId']} ({m['delivery']})"
        table.add_row(m["messageId"], m["messageType"], m["serviceId"], route, m["messageState"], status)
    Console().print(table)


@async_app.command("dead-letters")
def dead_letters(gateway_url: GatewayUrl = None) -> None:
    """List the messages whose delivery stopped or was refused and that no one has re-driven yet."""
    letters = _call("GET", f"{_gateway(gateway_url)}/admin/async/dead-letters")
    table = Table(title=f"{len(letters)} dead letter(s); re-drive one with `egov-sim async redrive MESSAGE_ID`")
    table.add_column("messageId", no_wrap=True, min_width=36)
    for column in ("stoppedAt", "reason"):
        table.add_column(column)
    for letter in letters:
        table.add_row(letter["messageId"], letter["stoppedAt"], letter["reason"][:100])
    Console().print(table)


@async_app.command("redrive")
def redrive(
    message_id: Annotated[str, typer.Argument(help="the messageId of a dead letter")], gateway_url: GatewayUrl = None
) -> None:
    """Put a dead letter back on delivery (its attempts start afresh)."""
    message = _call("POST", f"{_gateway(gateway_url)}/admin/async/messages/{message_id}/redrive")
    Console().print(f"{message['messageId']} is {message['messageState']} again, for {message['receiverId']}")
