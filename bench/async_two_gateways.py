"""Benchmark: async stage reports accepted and delivered end to end by two gateway instances on PostgreSQL.

Prints figures beside the goal of issue 9; asserts nothing. Run:
``.venv/bin/python bench/async_two_gateways.py [--messages N] [--threads T] [--workers W]`` (default 1000
messages from 8 threads, W = ``Settings.gateway_workers`` uvicorn workers per instance).

Fresh databases on the PostgreSQL server (``EGOV_SIM_BENCH_POSTGRES_URL``, default the local one), one per
system (``EGOV_SIM_DATABASE_URL`` with ``{system}``), dropped afterwards. The NCA, the monitoring IS and a
gateway are started by the launcher, a second gateway on another port with the same settings and database
(``egov-sim serve gateway``, as tests/e2e/test_two_gateways.py). The State Corporation sends signed
``MONITORING_StageReportAsync`` NOTIFICATIONs (``sendMessage``), the threads spread over both gateways; each
gateway verifies, journals and stores the message, and the two gateways' outbox workers share the PUSHes to
the monitoring IS (``SKIP LOCKED``), which verifies and keeps each report. *accepted*: messages over the time
to the last ``sendMessage`` answer; *end to end*: messages over the time from the first send to the moment
the gateways' store shows the last of them ``DELIVERED``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from adapters.pki import PkiLayout
from adapters.shep import Payload
from adapters.shep.async_client import AsyncChannelClient
from bench.gateway_vs_direct import _process_tree_cpu
from contracts.async_channel import MessageType
from ecosystem.catalogue import SYSTEMS, system
from ecosystem.settings import Settings
from egov_sim.launcher import Ecosystem, free_ports
from kernel.clock import SystemClock

GOAL_PER_SECOND = 300.0
SERVICE = "MONITORING_StageReportAsync"
STATE_CORP = "GK_IIS"
SYSTEMS_STARTED = ["nca", "gateway", "monitoring"]
DEFAULT_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def fresh_databases() -> Iterator[str]:
    """``EGOV_SIM_DATABASE_URL`` of fresh databases ``egov_bench_<random>_{system}``, dropped at the end."""
    admin_url = os.environ.get("EGOV_SIM_BENCH_POSTGRES_URL", DEFAULT_ADMIN_URL)
    prefix = f"egov_bench_{secrets.token_hex(4)}"
    names = [f"{prefix}_{name}" for name in SYSTEMS_STARTED]
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name in names:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        server = make_url(admin_url).set(database="").render_as_string(hide_password=False).rstrip("/")
        yield f"{server}/{prefix}_{{system}}"
    finally:
        with admin.connect() as connection:
            for name in names:
                connection.execute(
                    text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
                )
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def _second_gateway(settings: Settings, log: Path) -> subprocess.Popen[bytes]:
    env = os.environ | settings.to_environment()
    with log.open("ab") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "egov_sim.cli", "serve", "gateway"], env=env, stdout=output, stderr=subprocess.STDOUT
        )


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the second gateway exited ({process.returncode})")
        try:
            if httpx.get(f"{url}/health", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the second gateway did not answer {url}/health within {timeout:.0f} s")


def _report(application_id: str) -> Payload:
    stage = {"applicationId": application_id, "serviceType": "JOB_SEEKER_REGISTRATION", "stage": "REGISTERED"}
    return Payload(text=json.dumps(stage | {"stageAt": "2026-11-23T10:00:00+05:00", "registerOrg": STATE_CORP}))


def _delivered(gateway_database: str) -> Iterator[int]:
    """Each time it is asked: how many async messages the gateways' store holds DELIVERED."""
    engine = create_engine(gateway_database)
    try:
        with engine.connect() as connection:
            while True:
                query = text("SELECT count(*) FROM async_messages WHERE state = 'DELIVERED'")
                yield int(connection.execute(query).scalar_one())
                connection.commit()
    finally:
        engine.dispose()


def run(messages: int, threads: int, workers: int | None) -> None:
    with tempfile.TemporaryDirectory(prefix="egov-bench-") as data, fresh_databases() as database_url:
        *system_ports, second_port = free_ports(len(SYSTEMS) + 1)
        ports = dict(zip([s.name for s in SYSTEMS], system_ports, strict=True))
        first = Settings(data_dir=Path(data), ports=ports, database_url=database_url)
        if workers is not None:
            first = first.model_copy(update={"gateway_workers": workers})
        second = first.model_copy(update={"ports": first.ports | {"gateway": second_port}})
        with Ecosystem(first) as ecosystem:
            ecosystem.start(SYSTEMS_STARTED, timeout=180)
            process = _second_gateway(second, first.data_dir / "logs" / "gateway-2.log")
            try:
                _wait_healthy(second.base_url("gateway"), process)
                _measure(first, second, ecosystem, process, messages, threads)
            finally:
                process.terminate()
                process.wait(timeout=10)


def _measure(
    first: Settings,
    second: Settings,
    ecosystem: Ecosystem,
    process: subprocess.Popen[bytes],
    messages: int,
    threads: int,
) -> None:
    layout = PkiLayout(first.data_dir)
    state_corp = layout.load_credential(layout.system("state_corp"))
    trust = layout.trust_store()
    senders = [
        AsyncChannelClient(
            gateway_url=settings.gateway_async_url,
            sender_id=STATE_CORP,
            password=None,
            credential=state_corp,
            trust=trust,
            gateway_bin=system("gateway").bin,
            now=SystemClock().now,
        )
        for settings in (first, second)
    ]
    for number, sender in enumerate(senders):  # warm up: both gateways, both workers' first message
        for repeat in range(4):
            sender.send(
                SERVICE,
                _report(f"warm-up-{number}-{repeat}"),
                message_type=MessageType.NOTIFICATION,
                correlation_id=str(uuid.uuid4()),
            )
    counter = _delivered(first.database_for("gateway"))
    while next(counter) < len(senders) * 4:
        time.sleep(0.05)
    already = next(counter)

    gateway_pids = [ecosystem.processes["gateway"].pid, process.pid]
    cpu_before = sum(_process_tree_cpu(pid) for pid in gateway_pids)
    monitoring_before = _process_tree_cpu(ecosystem.processes["monitoring"].pid)
    barrier = threading.Barrier(threads + 1)
    failures: list[BaseException] = []

    def send(thread: int) -> None:
        sender = senders[thread % len(senders)]
        barrier.wait()
        try:
            for number in range(thread, messages, threads):
                sender.send(
                    SERVICE,
                    _report(f"bench-{number}"),
                    message_type=MessageType.NOTIFICATION,
                    correlation_id=str(uuid.uuid4()),
                )
        except BaseException as exc:  # reported below
            failures.append(exc)

    started_threads = [threading.Thread(target=send, args=(n,)) for n in range(threads)]
    for thread in started_threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in started_threads:
        thread.join()
    accepted = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} senders failed, the first: {failures[0]!r}")
    while next(counter) < already + messages:
        if time.perf_counter() - started > 600:
            raise SystemExit("not all delivered within 600 s")
        time.sleep(0.02)
    end_to_end = time.perf_counter() - started
    gateway_cpu = sum(_process_tree_cpu(pid) for pid in gateway_pids) - cpu_before
    monitoring_cpu = _process_tree_cpu(ecosystem.processes["monitoring"].pid) - monitoring_before
    for sender in senders:
        sender.close()

    print(
        f"{messages} {SERVICE} NOTIFICATIONs from {threads} threads over two gateways on PostgreSQL "
        f"({first.gateway_workers} worker(s) each, outbox concurrency {first.outbox_concurrency})"
    )
    print(f"  accepted:    {messages / accepted:7.1f} messages/s ({accepted:.2f} s to the last sendMessage answer)")
    print(
        f"  end to end:  {messages / end_to_end:7.1f} messages/s ({end_to_end:.2f} s to the last DELIVERED)"
        f"   goal >= {GOAL_PER_SECOND:.0f}/s"
    )
    print(
        f"  CPU per message: gateways {1000 * gateway_cpu / messages:.1f} ms (accept + push, both instances), "
        f"monitoring IS {1000 * monitoring_cpu / messages:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=None, help="uvicorn workers per gateway instance")
    arguments = parser.parse_args()
    run(arguments.messages, arguments.threads, arguments.workers)


if __name__ == "__main__":
    main()
