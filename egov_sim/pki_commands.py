"""``egov-sim pki issue``: order a certificate from the running test NCA's tester API (``POST /api/certificates``,
docs/pki.md) and write its PEM certificate and key to files, for every bad-certificate case a tester needs.

``egov-sim pki issue --person 900101300123 --validity expired --out ./expired`` writes ``./expired.pem`` and
``./expired.key``; ``--system NAME --bin 12 digits`` for a system; ``--purpose OID`` (repeatable) for the key
purposes; ``--untrusted`` from a CA in no trust store; ``--not-before``/``--not-after`` for an exact period.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import httpx
import typer

from ecosystem.settings import Settings

Validity = Annotated[str, typer.Option("--validity", help="valid, expired or not_yet_valid")]


def pki_issue(
    out: Annotated[Path, typer.Option("--out", help="write <out>.pem and <out>.key")],
    person: Annotated[str | None, typer.Option("--person", help="a person's IIN")] = None,
    system_name: Annotated[str | None, typer.Option("--system", help="a system's name (with --bin)")] = None,
    bin_: Annotated[str | None, typer.Option("--bin", help="the system's BIN, or an official's organisation")] = None,
    name: Annotated[str | None, typer.Option("--name", help="a person's 'Surname Name'")] = None,
    validity: Validity = "valid",
    not_before: Annotated[dt.datetime | None, typer.Option("--not-before", formats=["%Y-%m-%dT%H:%M:%S%z"])] = None,
    not_after: Annotated[dt.datetime | None, typer.Option("--not-after", formats=["%Y-%m-%dT%H:%M:%S%z"])] = None,
    purpose: Annotated[list[str] | None, typer.Option("--purpose", help="a key-purpose OID (repeatable)")] = None,
    untrusted: Annotated[bool, typer.Option("--untrusted", help="from a self-made CA in no trust store")] = False,
    key_type: Annotated[str, typer.Option("--key-type", help="rsa (2048 bits) or ec (P-256, ECDSA-SHA256)")] = "rsa",
) -> None:
    """Issue a test certificate at the running NCA and write its PEM certificate and key."""
    if (person is None) == (system_name is None):
        raise typer.BadParameter("say whose certificate: --person IIN or --system NAME --bin BIN")
    settings = Settings()
    request: dict[str, object] = {
        "holder": "person" if person else "system",
        "iin": person,
        "bin": bin_,
        "name": name or system_name,
        "validity": validity,
        "untrusted": untrusted,
        "keyType": key_type,
    }
    if not_before is not None or not_after is not None:
        request |= {"notBefore": not_before and not_before.isoformat(), "notAfter": not_after and not_after.isoformat()}
    if purpose:
        request["purposes"] = purpose
    url = f"{settings.base_url('nca')}/api/certificates"
    try:
        answer = httpx.post(url, json=request, headers=settings.admin_headers(), timeout=settings.http_timeout_seconds)
    except httpx.HTTPError as exc:
        typer.echo(f"error: the NCA at {url} cannot be reached ({exc}); start the ecosystem first", err=True)
        raise typer.Exit(2) from exc
    if answer.status_code != 201:
        typer.echo(f"error: the NCA answered {answer.status_code}: {answer.text}", err=True)
        raise typer.Exit(1)
    issued = answer.json()
    certificate, key = out.with_name(out.name + ".pem"), out.with_name(out.name + ".key")
    certificate.write_text(issued["certificatePem"])
    key.write_text(issued["keyPem"])
    key.chmod(0o600)
    typer.echo(
        f"serial {issued['serial']} {issued['subject']}\n"
        f"valid {issued['notBefore']} .. {issued['notAfter']}, trusted: {issued['trusted']}\n"
        f"written: {certificate} {key}"
    )
