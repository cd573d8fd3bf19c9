"""Profile of the gateway's SyncChannel pipeline: where one signed registry lookup spends its CPU.

Prints the functions that take the most time; asserts nothing. Run:
``.venv/bin/python bench/profile_gateway.py [N] [LINES]`` (default 300 messages, 35 lines).

The NCA and the person registry run as processes; the gateway is built in this process and its
``SyncChannel.handle`` called directly under cProfile with messages employment signed beforehand, so the
profile holds the gateway's whole pipeline (parse, verify, authorise, schemas, journal, re-sign, forward,
verify the answer, journal, re-sign) and nothing of HTTP serving.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import tempfile
import time
import uuid
from pathlib import Path

from adapters.person_registry import build_request as build_lookup
from adapters.shep.envelope import Payload, RequestInfo, build_request
from adapters.signatures import sign_envelope
from adapters.xml import to_bytes
from ecosystem.catalogue import SYSTEMS
from ecosystem.context import system_context
from ecosystem.settings import Settings
from egov_sim.launcher import Ecosystem, free_ports
from gateway.app import create_app
from gateway.channels.sync import SyncChannel
from mocks.population import PERSONA_JOB_SEEKER


def _sync_channel(app: object) -> SyncChannel:
    for route in app.routes:  # type: ignore[attr-defined]
        if getattr(route, "path", None) == "/bip-sync/" and "POST" in getattr(route, "methods", ()):
            for cell in route.endpoint.__closure__ or ():
                if isinstance(cell.cell_contents, SyncChannel):
                    return cell.cell_contents
    raise RuntimeError("no SyncChannel behind POST /bip-sync/")


def main(messages: int, lines: int) -> None:
    with tempfile.TemporaryDirectory() as data:
        ports = dict(zip([s.name for s in SYSTEMS], free_ports(len(SYSTEMS)), strict=True))
        settings = Settings(data_dir=Path(data), ports=ports)
        with Ecosystem(settings) as ecosystem:
            ecosystem.start(["nca", "person_registry"])
            employment = system_context(settings, "employment")
            channel = _sync_channel(create_app(settings))

            def signed() -> bytes:
                message_id = str(uuid.uuid4())
                info = RequestInfo(
                    message_id=message_id,
                    service_id="GBDFL_UniversalServiceSync",
                    sender_id=employment.identity.sender_id,
                    password=settings.gateway_password,
                    message_date=employment.now(),
                )
                lookup = build_lookup(PERSONA_JOB_SEEKER, employment.identity.sender_id, employment.now())
                return to_bytes(sign_envelope(build_request(info, Payload(element=lookup)), employment.credential))

            for _ in range(20):
                assert channel.handle(signed()).status == 200
            batch = [signed() for _ in range(messages)]
            profile = cProfile.Profile()
            started = time.process_time()
            profile.enable()
            for raw in batch:
                channel.handle(raw)
            profile.disable()
            spent = time.process_time() - started
            print(f"{messages} messages, {spent / messages * 1000:.2f} ms of CPU each in this process (profiled)")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(lines)
            pstats.Stats(profile).sort_stats("tottime").print_stats(lines)


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    main(arguments[0] if arguments else 300, arguments[1] if len(arguments) > 1 else 35)
