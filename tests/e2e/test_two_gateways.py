"""Two gateway processes on one PostgreSQL database: one journal hash chain, each message accepted once,
each async message delivered once.

The person registry, the monitoring IS and two gateways run as separate processes (``egov-sim serve``), the
gateways on two ports with the same settings and the same database. Under load — signed person-registry
lookups (SyncChannel) and stage reports PUSHed to the monitoring IS (AsyncChannel), from threads spread over
both gateways — then a message accepted by one gateway replayed to the other. Afterwards: nothing lost (every
lookup answered and journalled, every stage report delivered), nothing duplicated (the replay refused, each
report pushed once, by one of the gateways' outbox workers), and the chain intact, the gateways' entries
interleaved in it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from adapters.person_registry import PersonRegistryClient
from adapters.pki import Credential, PkiLayout
from adapters.shep import Payload
from adapters.shep.async_client import AsyncChannelClient
from adapters.shep.async_envelope import data_of, wrap
from adapters.shep.envelope import RequestInfo, build_request
from adapters.signatures import sign_envelope
from adapters.xml import to_bytes
from contracts.async_channel import AsyncMessage, AsyncMessageInfo, MessageType
from contracts.async_channel.messages import write_send_message
from ecosystem.catalogue import SYSTEMS, system
from ecosystem.context import SystemContext, system_context
from ecosystem.settings import Settings
from egov_sim.launcher import Ecosystem, free_ports
from mocks.population import PERSONA_JOB_SEEKER
from tests.databases import admin_url

SYNC_THREADS_PER_GATEWAY = 2
LOOKUPS_PER_THREAD = 20
ASYNC_THREADS_PER_GATEWAY = 2
REPORTS_PER_THREAD = 40
STAGE_REPORTS = "MONITORING_StageReportAsync"
STATE_CORP = "GK_IIS"
SOAP = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}


@pytest.fixture
def server_url(postgres_database: str) -> Iterator[str]:
    """``EGOV_SIM_DATABASE_URL`` for this test: ``<run database>_{system}``, the databases of the gateway, of
    the person registry (its replay guard) and of the monitoring IS (its inbox) created on the server here and
    dropped afterwards."""
    run = make_url(postgres_database)
    databases = [f"{run.database}_{name}" for name in ("gateway", "person_registry", "monitoring")]
    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for database in databases:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield postgres_database.rsplit("/", 1)[0] + f"/{run.database}_{{system}}"
    finally:
        with admin.connect() as connection:
            for database in databases:
                connection.execute(
                    text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                    {"n": database},
                )
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
        admin.dispose()


def _serve_second_gateway(settings: Settings, log: Path) -> subprocess.Popen[bytes]:
    env = os.environ | settings.to_environment()
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "egov_sim.cli", "serve", "gateway"], env=env, stdout=output, stderr=subprocess.STDOUT
        )


def _wait_healthy(process: subprocess.Popen[bytes], url: str, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the second gateway exited ({process.returncode}):\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"the second gateway did not answer {url}/health within {timeout:.0f} s")
        time.sleep(0.2)


def _all_entries(gateway_url: str) -> list[dict[str, Any]]:
    """The whole journal, oldest first, paged through the admin API."""
    entries: list[dict[str, Any]] = []
    params: dict[str, int] = {"limit": 1000}
    while page := httpx.get(f"{gateway_url}/admin/journal", params=params, timeout=30).json():
        entries.extend(page)
        params["before"] = page[-1]["seq"]
    return entries[::-1]


def _report(application_id: str) -> Payload:
    stage = {"applicationId": application_id, "serviceType": "JOB_SEEKER_REGISTRATION", "stage": "REGISTERED"}
    stage |= {"stageAt": "2026-11-23T10:00:00+05:00", "registerOrg": STATE_CORP}
    return Payload(text=json.dumps(stage))


def _signed_copies(employment: SystemContext, state_corp: Credential) -> dict[str, bytes]:
    """One signed message of each channel, to send twice: a metaservice call and a stage report."""
    request = RequestInfo(str(uuid.uuid4()), "listMethods", employment.identity.sender_id, employment.now())
    report = AsyncMessage(
        AsyncMessageInfo(
            STAGE_REPORTS, MessageType.NOTIFICATION, employment.now(), STATE_CORP, correlation_id=str(uuid.uuid4())
        ),
        data_of(_report(f"replay-{uuid.uuid4().hex[:6]}")),
    )
    return {
        "/bip-sync/": to_bytes(sign_envelope(build_request(request, Payload()), employment.credential)),
        "/bip-async/": to_bytes(sign_envelope(wrap(write_send_message(report)), state_corp)),
    }


def test_two_gateway_processes_on_one_database_under_load_lose_nothing_duplicate_nothing_keep_one_chain(
    tmp_path: Path, server_url: str
) -> None:
    """Signed lookups (sync) and stage reports (async, PUSHed to the monitoring IS) from threads, spread over
    both gateways at once; then a message accepted by one gateway is replayed to the other."""
    *system_ports, second_port = free_ports(len(SYSTEMS) + 1)
    ports = dict(zip([s.name for s in SYSTEMS], system_ports, strict=True))
    first = Settings(data_dir=tmp_path / "data", ports=ports, database_url=server_url)
    second = first.model_copy(update={"ports": first.ports | {"gateway": second_port}})

    with Ecosystem(first) as ecosystem:
        ecosystem.start(["gateway", "person_registry", "monitoring"], timeout=120)
        log = first.data_dir / "logs" / "gateway-2.log"
        process = _serve_second_gateway(second, log)
        contexts: dict[str, SystemContext] = {}
        senders: dict[str, AsyncChannelClient] = {}
        try:
            _wait_healthy(process, second.base_url("gateway"), log)
            gateways = {"g1": first, "g2": second}
            contexts.update({name: system_context(s, "employment") for name, s in gateways.items()})
            layout = PkiLayout(first.data_dir)
            state_corp = layout.load_credential(layout.system("state_corp"))
            clients = {
                name: PersonRegistryClient(context.sync_client(), context.identity.sender_id, context.now)
                for name, context in contexts.items()
            }
            senders.update(
                {
                    name: AsyncChannelClient(
                        gateway_url=settings.gateway_async_url,
                        sender_id=STATE_CORP,
                        password=None,
                        credential=state_corp,
                        trust=layout.trust_store(),
                        gateway_bin=system("gateway").bin,
                        now=contexts[name].now,
                    )
                    for name, settings in gateways.items()
                }
            )
            workers = len(gateways) * (SYNC_THREADS_PER_GATEWAY + ASYNC_THREADS_PER_GATEWAY)
            barrier = threading.Barrier(workers)
            failures: list[BaseException] = []
            reports: dict[str, str] = {}  # messageId -> the gateway that accepted it

            def lookups(gateway: str, thread: int) -> None:
                barrier.wait()
                try:
                    for number in range(LOOKUPS_PER_THREAD):
                        found = clients[gateway].find_by_iin(PERSONA_JOB_SEEKER, f"{gateway}-{thread}-{number}")
                        assert found is not None
                except BaseException as exc:  # reported below
                    failures.append(exc)

            def stage_reports(gateway: str, thread: int) -> None:
                barrier.wait()
                try:
                    for number in range(REPORTS_PER_THREAD):
                        receipt = senders[gateway].send(
                            STAGE_REPORTS,
                            _report(f"{gateway}-{thread}-{number}"),
                            message_type=MessageType.NOTIFICATION,
                            correlation_id=str(uuid.uuid4()),
                        )
                        reports[receipt.message_id] = gateway
                except BaseException as exc:  # reported below
                    failures.append(exc)

            threads = [
                threading.Thread(target=work, args=(gateway, thread))
                for gateway in gateways
                for work, count in ((lookups, SYNC_THREADS_PER_GATEWAY), (stage_reports, ASYNC_THREADS_PER_GATEWAY))
                for thread in range(count)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=180)
            assert failures == []
            assert len(reports) == len(gateways) * ASYNC_THREADS_PER_GATEWAY * REPORTS_PER_THREAD

            # A message accepted by one gateway is refused by the other as a replay (SCE008), on both channels.
            for path, signed in _signed_copies(contexts["g1"], state_corp).items():
                accepted = httpx.post(f"{first.base_url('gateway')}{path}", content=signed, headers=SOAP, timeout=30)
                assert accepted.status_code == 200, accepted.text
                replayed = httpx.post(f"{second.base_url('gateway')}{path}", content=signed, headers=SOAP, timeout=30)
                assert replayed.status_code == 500 and b"SCE008" in replayed.content, (path, replayed.text)

            # Every stage report delivered, by one of the two gateways, once.
            def delivered() -> dict[str, str]:
                url = f"{first.base_url('gateway')}/admin/async/messages"
                listed = httpx.get(url, params={"limit": 1000}, timeout=30).json()["messages"]
                return {m["messageId"]: m["messageState"] for m in listed if m["messageId"] in reports}

            deadline = time.monotonic() + 30
            while set((states := delivered()).values()) != {"DELIVERED"} or len(states) != len(reports):
                assert time.monotonic() < deadline, f"not all delivered: {sorted(set(states.values()))}"
                time.sleep(0.3)

            # One chain, verified by both gateways; every message journalled, nothing twice.
            for settings in gateways.values():
                verdict = httpx.get(f"{settings.base_url('gateway')}/admin/journal/verify", timeout=60).json()
                assert verdict["intact"] is True and verdict["problem"] == "", verdict
            entries = _all_entries(first.base_url("gateway"))
            assert verdict["entries"] >= len(entries)
            events = Counter((entry["channel"], entry["event"], entry["message_id"]) for entry in entries)
            lookups_done = [entry for entry in entries if entry["channel"] == "sync" and entry["event"] == "received"]
            assert len(lookups_done) == len(gateways) * SYNC_THREADS_PER_GATEWAY * LOOKUPS_PER_THREAD + 1  # + replay
            for entry in lookups_done:
                assert events["sync", "received", entry["message_id"]] == 1
                assert events["sync", "delivered", entry["message_id"]] == 1
            for message_id in reports:
                for event in ("received", "stored", "pushed"):
                    assert events["async", event, message_id] == 1, (message_id, event)
            inbox = httpx.get(f"{first.base_url('monitoring')}/admin/async/inbox", params={"limit": 10000}).json()
            assert Counter(e["messageId"] for e in inbox["entries"] if e["messageId"] in reports) == dict.fromkeys(
                reports, 1
            )
            lookup_cases = [entry["correlation_id"] or "" for entry in entries if entry["channel"] == "sync"]
            writers = [case.split("-")[0] for case in lookup_cases if case.startswith(("g1-", "g2-"))]
            switches = sum(1 for before, after in pairwise(writers) if before != after)
            assert set(writers) == {"g1", "g2"}
            assert switches >= 3, f"the gateways' entries are not interleaved: {writers}"
        finally:
            for context in contexts.values():
                context.close()
            for sender in senders.values():
                sender.close()
            process.terminate()
            process.wait(timeout=10)
