"""``egov-sim sign document FILE --as ROLE`` and ``egov-sim sign request PATH --as ROLE``: sign as an official (or
a citizen, ``--person IIN``) of the test PKI in the data folder, to drive the signed APIs with curl.

A test tool: the keys are the test NCA's, read from ``<data>/pki``. ``document`` prints the XML of FILE (``-``:
standard input) with an enveloped XML-DSig of the signer (docs/protocol.md §5), byte for byte as it must be
sent. ``request`` prints the ``X-Signature`` of a request without a body (a read): a detached JWS over the empty
body, binding the method and the path, dated at the ecosystem's time (its clock file, so a virtual clock is
followed), valid for the receivers' clock skew (5 minutes by default).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from lxml import etree

from adapters.pki import Credential, CredentialMissing, PkiLayout
from adapters.signatures import sign_document
from adapters.signatures.jws import sign_request
from adapters.xml import XmlRejected, parse_xml
from ecosystem.catalogue import OFFICIALS
from ecosystem.clock import STATE_FILE, EcosystemClock
from ecosystem.settings import Settings
from kernel.clock import SystemClock

sign_app = typer.Typer(
    help="Sign as an official or a citizen of the test PKI (a test tool for curl): a document or a read request.",
    no_args_is_help=True,
)

Role = Annotated[
    str | None,
    typer.Option("--as", help=f"the official's role: {', '.join(o.role for o in OFFICIALS)}", show_default=False),
]
Person = Annotated[str | None, typer.Option("--person", help="sign as the citizen with this IIN instead")]
DataDir = Annotated[Path | None, typer.Option("--data-dir", help="data folder (default ./var or EGOV_SIM_DATA_DIR)")]


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _credential(settings: Settings, role: str | None, person: str | None) -> Credential:
    if (role is None) == (person is None):
        _fail("say who signs: --as ROLE (an official) or --person IIN (a citizen)")
    layout = PkiLayout(settings.data_dir)
    if role is not None and role not in {o.role for o in OFFICIALS}:
        _fail(f"no official {role!r}; the officials are {', '.join(o.role for o in OFFICIALS)}")
    try:
        return layout.load_credential(layout.official(role) if role is not None else layout.person(person or ""))
    except CredentialMissing as exc:
        _fail(str(exc))


def _settings(data_dir: Path | None) -> Settings:
    return Settings(data_dir=data_dir) if data_dir is not None else Settings()


@sign_app.command("document")
def document(
    file: Annotated[str, typer.Argument(help="the XML document to sign; - reads standard input")],
    role: Role = None,
    person: Person = None,
    data_dir: DataDir = None,
) -> None:
    """Print FILE signed with an enveloped XML-DSig of the official (or citizen)."""
    settings = _settings(data_dir)
    credential = _credential(settings, role, person)
    raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    try:
        element = parse_xml(raw)
    except XmlRejected as exc:
        _fail(f"{file} is not a document to sign: {exc}")
    sys.stdout.buffer.write(etree.tostring(sign_document(element, credential), encoding="utf-8"))


@sign_app.command("request")
def request(
    path: Annotated[str, typer.Argument(help="the request's path, e.g. /api/office/pre-registrations")],
    role: Role = None,
    person: Person = None,
    method: Annotated[str, typer.Option("--method", help="the request's method")] = "GET",
    data_dir: DataDir = None,
) -> None:
    """Print the X-Signature header value of a request without a body."""
    settings = _settings(data_dir)
    credential = _credential(settings, role, person)
    running = (settings.data_dir / STATE_FILE).is_file()
    now = EcosystemClock.join(settings.data_dir, None).now() if running else SystemClock().now()
    typer.echo(sign_request(b"", credential, method=method, path=path.split("?", 1)[0], headers={}, at=now))
