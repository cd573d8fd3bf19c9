"""``egov-sim send SERVICE_ID --as SYSTEM FILE``: a ready SyncChannel client for testers (docs/signing.md).

Reads the payload FILE (``-``: standard input), sends it as ``requestData/data`` (escaped text, as signed
documents travel) through the gateway's SyncChannel, signed with the transport key of SYSTEM from the test PKI
(``<data>/pki/systems/<system>.key``) under the sender id the register gives that system (``gateway/
services.yaml``); verifies the gateway's signed answer; prints the answer's status and payload, then every hop
of the case from the gateway's journal (``egov-sim journal show``). Exit 1 on a fault (its code and message
printed), 2 when nothing could be sent.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from cryptography import x509
from lxml import etree

from adapters.pki import CredentialMissing, PkiLayout, subject_of
from adapters.shep import Payload
from adapters.shep.faults import GatewayFault
from adapters.shep.gateway_link import GatewayUnreachable
from adapters.shep.sync_client import SyncChannelClient
from ecosystem.clock import STATE_FILE, EcosystemClock
from ecosystem.settings import Settings
from egov_sim.journal_commands import show
from kernel.clock import SystemClock


def _fail(message: str, code: int = 2) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _sender(system: str) -> tuple[str, str]:
    """The sender id and system name of ``system`` (a system's name, or a sender id) in the register's seed."""
    from gateway.registry import ServiceRegistry

    participants = ServiceRegistry.from_file(ServiceRegistry.default_file()).participants()
    for participant in participants:
        if system in (participant.system, participant.sender_id):
            return participant.sender_id, participant.system
    known = ", ".join(f"{p.system} ({p.sender_id})" for p in participants)
    _fail(f"no system {system!r} in gateway/services.yaml; the systems are {known}")


def send(
    service_id: Annotated[str, typer.Argument(help="the serviceId, e.g. GBDFL_UniversalServiceSync")],
    file: Annotated[str, typer.Argument(help="the payload (an XML document); - reads standard input")],
    system: Annotated[str, typer.Option("--as", help="the sending system (e.g. employment) or its sender id")],
    correlation_id: Annotated[
        str | None, typer.Option("--correlation-id", help="the case's id (default: a new send-<uuid>)")
    ] = None,
    gateway_url: Annotated[
        str | None, typer.Option("--gateway-url", help="base URL of the gateway (default: where the settings put it)")
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="data folder (default ./var or EGOV_SIM_DATA_DIR)")
    ] = None,
) -> None:
    """Sign FILE as SYSTEM, send it to SERVICE_ID through the gateway's SyncChannel, print the answer and
    the case's hops."""
    settings = Settings(data_dir=data_dir) if data_dir is not None else Settings()
    sender_id, participant_system = _sender(system)
    layout = PkiLayout(settings.data_dir)
    try:
        credential = layout.load_credential(layout.system(participant_system))
        gateway = x509.load_pem_x509_certificate(layout.system("gateway").with_suffix(".pem").read_bytes())
        trust = layout.trust_store()
    except (CredentialMissing, FileNotFoundError) as exc:
        _fail(str(exc))
    raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        _fail(f"{file} is not UTF-8 text")
    running = (settings.data_dir / STATE_FILE).is_file()
    clock = EcosystemClock.join(settings.data_dir, None) if running else SystemClock()
    base = (gateway_url or settings.base_url("gateway")).rstrip("/")
    case = correlation_id or f"send-{uuid.uuid4()}"
    client = SyncChannelClient(
        gateway_url=f"{base}/bip-sync/",
        sender_id=sender_id,
        password=None,
        credential=credential,
        trust=trust,
        gateway_bin=subject_of(gateway).bin or "",
        now=clock.now,
    )
    outcome = 0
    try:
        reply = client.send(service_id, Payload(text=text), correlation_id=case)
    except GatewayFault as fault:
        typer.echo(f"fault {fault.code}: {fault.error.message}")
        outcome = 1
    except GatewayUnreachable as exc:
        _fail(str(exc))
    else:
        info = reply.info
        typer.echo(f"{info.status_code}: {info.status_message}")
        typer.echo(f"messageId {reply.message_id}, answer {info.message_id}, sessionId {info.session_id}")
        typer.echo(f"signed by {reply.signed_by.describe()}")
        payload = reply.payload
        typer.echo(payload.text if payload.element is None else etree.tostring(payload.element, encoding="unicode"))
    finally:
        client.close()
    show(case, gateway_url=base, database_url=None)
    if outcome:
        raise typer.Exit(outcome)
