"""Benchmark: CPU time the gateway spends refusing each hostile payload, through the SyncChannel pipeline
in-process (the provider replaced by respx), from a sender that may not call the service and from one
that may. Prints figures beside the goal; asserts nothing.

Run: ``.venv/bin/python bench/hostile_inputs.py [--xmlschema CASE ...]``. With ``--xmlschema`` it also
measures, for the named cases, what validating the payload with xmlschema collecting every error (the
gateway's validation before libxml2) costs; that can take minutes per case.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from pathlib import Path

import respx

from adapters.pki import PkiLayout
from adapters.shep import Payload, RequestInfo, build_request
from adapters.signatures import sign_envelope
from adapters.xml import to_bytes
from contracts import gbdfl
from contracts.schemas import schema
from ecosystem.settings import Settings
from egov_sim.launcher import prepare_data_folder
from gateway.channels.context import ChannelContext
from gateway.channels.sync import SyncChannel
from gateway.delivery import ProviderLink
from gateway.journal import Journal
from gateway.registry import ServiceRegistry
from scenarios.hostile_inputs import CASES

GOAL_MS = 100.0
ROUNDS = 3  # the best and the worst of these are printed (the machine is shared)
SENDERS = {"unauthorised": ("GFSS", "social_fund"), "authorised": ("ENBEK_LABOUR_MARKET", "employment")}


def _channel(layout: PkiLayout, data: Path) -> SyncChannel:
    context = ChannelContext(
        registry=ServiceRegistry.from_file(ServiceRegistry.default_file()),
        journal=Journal.at(f"sqlite:///{data / 'journal.sqlite'}"),
        credential=layout.load_credential(layout.system("gateway")),
        trust=layout.trust_store(),
        now=lambda: dt.datetime.now(dt.UTC),
        provider_url=lambda service: "http://registry.bench/bip-sync/",
        link=ProviderLink(timeout=2.0),
        max_bytes=1_048_576,
    )
    return SyncChannel(context)


def _cpu_ms(action: object) -> float:
    started = time.process_time()
    action()  # type: ignore[operator]
    return (time.process_time() - started) * 1000


def main(xmlschema_cases: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder, respx.mock:
        respx.post("http://registry.bench/bip-sync/")
        data = Path(folder)
        settings = Settings(data_dir=data)
        prepare_data_folder(settings)
        layout = PkiLayout(data)
        channel = _channel(layout, data)
        print(f"hostile payloads through the SyncChannel pipeline: CPU time per message (goal < {GOAL_MS:.0f} ms)")
        print(f"  {'case':<16} {'bytes':>10}  {'sender':<13} {'best ms':>8} {'worst ms':>8}  goal")
        for case in CASES:
            payload = case.build()
            for kind, (sender, system) in SENDERS.items():
                info = RequestInfo(f"bench-{case.name}-{kind}", gbdfl.SERVICE_ID, sender, dt.datetime.now(dt.UTC))
                envelope = build_request(info, Payload(element=payload))
                message = to_bytes(sign_envelope(envelope, layout.load_credential(layout.system(system))))
                runs = sorted(_cpu_ms(lambda message=message: channel.handle(message)) for _ in range(ROUNDS))
                verdict = "ok" if runs[0] < GOAL_MS else "OVER"
                print(f"  {case.name:<16} {len(message):>10,}  {kind:<13} {runs[0]:>8.1f} {runs[-1]:>8.1f}  {verdict}")
            if case.name in xmlschema_cases:
                spent = _cpu_ms(lambda payload=payload: list(schema(gbdfl.SCHEMA).iter_errors(payload)))
                before = "(before: xmlschema, every error collected)"
                print(f"  {case.name:<16} {'':>10}  {'authorised':<13} {spent:>8.1f} {'':>8}  {before}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xmlschema", nargs="*", default=[], metavar="CASE", help="also measure xmlschema")
    main(parser.parse_args().xmlschema)
