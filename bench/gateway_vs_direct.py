"""Benchmark: the same signed GBD FL lookup through the gateway and straight to the person registry.

Prints figures beside the goals of issue 9; asserts nothing. Run:
``.venv/bin/python bench/gateway_vs_direct.py [REQUESTS_PER_LEVEL] [CONCURRENCY ...]`` (default 200, levels 1 4 16).

*via*: employment signs a ``SendMessage``, the gateway parses, verifies (chain and revocation), authorises,
checks both schemas, journals, re-signs and forwards; the registry verifies, answers and signs; the gateway
verifies, journals, re-signs; employment verifies. *direct*: the same request signed with the gateway's
certificate, posted straight to the registry's ``/bip-sync/`` (what the gateway itself sends), its answer
verified. The gateway's CPU per message is the CPU time of its processes (every worker, read from
``/proc``) over the via requests of a level, divided by their number.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from adapters.person_registry import PersonRegistryClient
from adapters.shep.envelope import Payload, RequestInfo, build_request, parse_response
from adapters.shep.gateway_link import GatewayLink
from adapters.shep.sync_client import SyncReply, new_message_id
from ecosystem.catalogue import SYSTEMS, system
from ecosystem.context import SystemContext, system_context
from ecosystem.settings import Settings
from egov_sim.launcher import Ecosystem, free_ports
from mocks.population import PERSONA_JOB_SEEKER

GOAL_GATEWAY_CPU_MS = 4.0
GOAL_RATIO_AT_4 = 0.6
GOAL_ADDED_P50_AT_1_MS = 5.0
_TICKS = os.sysconf("SC_CLK_TCK")


def _process_tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of ``root`` and every living descendant, from ``/proc``."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / _TICKS
    wanted, total = {root}, 0.0
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in wanted and pid not in wanted:
                wanted.add(pid)
                changed = True
    for pid in wanted:
        total += times.get(pid, 0.0)
    return total


class DirectSender:
    """Sends ``SendMessage`` straight to a provider, signed with the gateway's credential (as the gateway
    forwards it), and verifies that the provider signed the answer."""

    def __init__(self, gateway: SystemContext, provider: str) -> None:
        self._now = gateway.now
        self._link = GatewayLink(
            url=gateway.settings.base_url(provider) + "/bip-sync/",
            credential=gateway.credential,
            trust=gateway.trust,
            gateway_bin=system(provider).bin,
            now=gateway.now,
            timeout=30.0,
            transport=None,
            max_bytes=gateway.settings.max_message_bytes,
        )
        self._sender_id = system("employment").sender_id

    def send(self, service_id: str, payload: Payload, *, correlation_id: str | None = None) -> SyncReply:
        message_id = new_message_id()
        info = RequestInfo(
            message_id=message_id,
            service_id=service_id,
            sender_id=self._sender_id,
            message_date=self._now(),
            correlation_id=correlation_id,
            session_id="{" + message_id + "}",
        )
        verified = self._link.exchange(build_request(info, payload))
        info_back, answer = parse_response(verified.signed_body)
        return SyncReply(info=info_back, payload=answer, signed_by=verified.signer, message_id=message_id)

    def close(self) -> None:
        self._link.close()


@dataclass(frozen=True)
class Level:
    concurrency: int
    throughput: float
    p50_ms: float
    p95_ms: float
    cpu_s: float


def _run(lookup: Callable[[str], object], requests: int, concurrency: int, cpu: Callable[[], float]) -> Level:
    timings: list[float] = []
    lock = threading.Lock()

    def one(number: int) -> None:
        begin = time.perf_counter()
        lookup(f"bench-{concurrency}-{number}-{time.monotonic_ns()}")
        spent = time.perf_counter() - begin
        with lock:
            timings.append(spent)

    for warm in range(concurrency * 2):
        lookup(f"warm-{concurrency}-{warm}-{time.monotonic_ns()}")
    cpu_before = cpu()
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(requests)))
    elapsed = time.perf_counter() - started
    timings.sort()
    return Level(
        concurrency=concurrency,
        throughput=requests / elapsed,
        p50_ms=statistics.median(timings) * 1000,
        p95_ms=timings[int(0.95 * (len(timings) - 1))] * 1000,
        cpu_s=cpu() - cpu_before,
    )


def _verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def main(requests: int, levels: list[int]) -> None:
    with tempfile.TemporaryDirectory() as data:
        ports = dict(zip([s.name for s in SYSTEMS], free_ports(len(SYSTEMS)), strict=True))
        settings = Settings(data_dir=Path(data), ports=ports)
        with Ecosystem(settings) as ecosystem:
            ecosystem.start(["nca", "gateway", "person_registry"])
            gateway_pid = ecosystem.processes["gateway"].pid
            employment = system_context(settings, "employment")
            gateway = system_context(settings, "gateway")
            via = PersonRegistryClient(employment.sync_client(), employment.identity.sender_id, employment.now)
            direct_sender = DirectSender(gateway, "person_registry")
            direct = PersonRegistryClient(direct_sender, employment.identity.sender_id, employment.now)
            workers = os.environ.get("EGOV_SIM_GATEWAY_WORKERS", "default")
            print(f"signed GBDFL_UniversalServiceSync lookups, {requests} per level; gateway workers: {workers}")
            print(
                f"{'conc':>4} {'via/s':>7} {'direct/s':>8} {'ratio':>6} {'via p50':>8} {'dir p50':>8} "
                f"{'added p50':>9} {'via p95':>8} {'gw CPU/msg':>10}"
            )
            for concurrency in levels:
                through = _run(
                    lambda mid: via.find_by_iin(PERSONA_JOB_SEEKER, mid),
                    requests,
                    concurrency,
                    lambda: _process_tree_cpu(gateway_pid),
                )
                straight = _run(
                    lambda mid: direct.find_by_iin(PERSONA_JOB_SEEKER, mid), requests, concurrency, lambda: 0.0
                )
                ratio = through.throughput / straight.throughput
                added = through.p50_ms - straight.p50_ms
                cpu_ms = through.cpu_s / requests * 1000
                print(
                    f"{concurrency:>4} {through.throughput:>7.1f} {straight.throughput:>8.1f} {ratio:>6.2f} "
                    f"{through.p50_ms:>6.1f}ms {straight.p50_ms:>6.1f}ms {added:>7.1f}ms {through.p95_ms:>6.1f}ms "
                    f"{cpu_ms:>8.2f}ms"
                )
                if concurrency == 1:
                    print(
                        f"     added p50 at concurrency 1: {added:.1f} ms (goal <= {GOAL_ADDED_P50_AT_1_MS} ms: "
                        f"{_verdict(added <= GOAL_ADDED_P50_AT_1_MS)})"
                    )
                if concurrency == 4:
                    print(
                        f"     via/direct at concurrency 4: {ratio:.2f} (goal >= {GOAL_RATIO_AT_4}: "
                        f"{_verdict(ratio >= GOAL_RATIO_AT_4)})"
                    )
                print(
                    f"     gateway CPU per message: {cpu_ms:.2f} ms (goal <= {GOAL_GATEWAY_CPU_MS} ms: "
                    f"{_verdict(cpu_ms <= GOAL_GATEWAY_CPU_MS)})"
                )
            direct_sender.close()
            employment.close()
            gateway.close()


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    main(arguments[0] if arguments else 200, arguments[1:] or [1, 4, 16])
