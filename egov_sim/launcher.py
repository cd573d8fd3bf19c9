"""Start systems as separate processes on loopback, wait until they answer, stop them.

Each system runs as ``egov-sim serve NAME`` in its own process, exactly as one container of
``docker-compose.yml`` does; the settings travel as environment variables (each child gets its own bind
address and every peer by URL). The launcher refuses an address that is taken, checks that what answers
``/health`` is the system it started, and its children end when it ends.
"""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from adapters.pki import PkiLayout
from ecosystem.catalogue import SYSTEMS, system
from ecosystem.clock import EcosystemClock
from ecosystem.metrics import MULTIPROCESS_ENV, multiprocess_directory
from ecosystem.settings import Settings
from egov_sim.lifeline import PARENT_PID_ENV, follow_parent
from mocks.nca.provisioning import ProvisioningReport, ensure_test_pki


def prepare_data_folder(settings: Settings) -> ProvisioningReport:
    """Create the data folder and the test PKI if they are missing (issued on the simulation's clock)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "logs").mkdir(exist_ok=True)
    now = EcosystemClock.join(settings.data_dir, settings.clock).now()
    return ensure_test_pki(
        PkiLayout(settings.data_dir),
        now=now,
        population_seed=settings.population_seed,
        nca_url=settings.base_url("nca"),
    )


def build_app(settings: Settings, name: str) -> Any:
    module_name, _, function = system(name).app_factory.partition(":")
    factory = getattr(importlib.import_module(module_name), function)
    return factory(settings)


def serve(settings: Settings, name: str) -> None:
    """Run one system in this process until interrupted (and no longer than the launcher that started it).

    The gateway runs as ``settings.gateway_workers`` uvicorn worker processes on its one address: each builds
    the gateway from the same settings (handed over in the environment, :func:`gateway_worker_app`). The
    gateway keeps nothing a worker needs from another in its memory: the register, the journal (one hash
    chain, each (sender, messageId) accepted once) and the async outbox are in its database; its metrics are
    in files every worker writes and a scrape sums (:mod:`ecosystem.metrics`, multiprocess mode).
    """
    import uvicorn

    system(name)  # an unknown name stops here, before anything is prepared
    follow_parent()
    prepare_data_folder(settings)
    host, port = settings.bind_address(name)
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "warning", "access_log": False}
    if name == "gateway" and settings.gateway_workers > 1:
        from uvicorn.supervisors import Multiprocess

        os.environ.update(settings.to_environment())
        os.environ[MULTIPROCESS_ENV] = str(multiprocess_directory(settings.data_dir, name))
        config = uvicorn.Config(
            f"{__name__}:gateway_worker_app", factory=True, workers=settings.gateway_workers, **options
        )
        Multiprocess(config, sockets=[tcp_listener(host, port)]).run()
        return
    uvicorn.run(build_app(settings, name), **options)


def tcp_listener(host: str, port: int) -> socket.socket:
    """A listening socket the workers share, made with protocol TCP (not 0, as uvicorn's own): asyncio turns
    Nagle's algorithm off only on connections accepted from such a socket, and with it on every answer
    waited about 40 ms for the client's delayed acknowledgement."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)[
        0
    ]
    listener = socket.socket(family, kind, proto)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(address)
    listener.set_inheritable(True)
    return listener


def gateway_worker_app() -> Any:
    """The gateway of one uvicorn worker, from the settings its supervisor (:func:`serve`) put in the
    environment; the worker ends when its supervisor does."""
    follow_parent(os.getppid())
    return build_app(Settings(), "gateway")


class LaunchError(RuntimeError):
    """A system could not be started; the message names it and says what to do."""


class LaunchTimeout(LaunchError, TimeoutError):
    """Systems did not answer in time."""


@dataclass(frozen=True)
class Exit:
    """A system's process that ended while it should have been running."""

    name: str
    code: int
    log_tail: str

    def describe(self) -> str:
        how = f"was killed by signal {-self.code}" if self.code < 0 else f"exited with code {self.code}"
        return f"system {self.name} {how}; last lines of its log:\n{self.log_tail}"


@dataclass
class Ecosystem:
    """Systems started as ``egov-sim serve NAME`` processes, each on its own address (see Settings.bind_address).

    A child never outlives the launcher (:mod:`egov_sim.lifeline`); :meth:`exits` tells which child ended
    without being asked to.
    """

    settings: Settings
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _clock: EcosystemClock | None = None
    _asked_to_end: set[str] = field(default_factory=set)

    @property
    def clock(self) -> EcosystemClock:
        """The ecosystem's one clock, as every system reads it (started afresh by :meth:`start`)."""
        if self._clock is None:
            self._clock = EcosystemClock.join(self.settings.data_dir, self.settings.clock)
        return self._clock

    def now(self) -> datetime:
        return self.clock.now()

    def clock_summary(self) -> str:
        """Which clock the ecosystem runs on, for a person: kind, spec and current time."""
        described = self.clock.describe()
        return f"clock: {described['kind']} ({described['origin']}), now {described['now']}"

    def start(self, names: Iterable[str] | None = None, timeout: float = 60.0) -> None:
        wanted = list(names) if names is not None else [s.name for s in SYSTEMS]
        for name in wanted:
            system(name)
        self._check_addresses(wanted)
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self._clock = EcosystemClock.start(self.settings.data_dir, self.settings.clock)
        prepare_data_folder(self.settings)
        try:
            for name in wanted:
                self._spawn(name)
            self._wait_healthy(wanted, timeout)
        except BaseException:
            self.stop()
            raise

    def _check_addresses(self, names: list[str]) -> None:
        """Refuse to start on an address that two systems would share or another process holds."""
        seen: dict[tuple[str, int], str] = {}
        for name in names:
            address = self.settings.bind_address(name)
            host, port = address
            if address in seen:
                raise LaunchError(
                    f"{seen[address]} and {name} would both listen on {host}:{port}: give one of them another "
                    f"port (EGOV_SIM_PORTS__{name.upper()}) or address (EGOV_SIM_HOSTS__{name.upper()})"
                )
            seen[address] = name
            if not port_is_free(host, port):
                holder = who_answers(self.settings.base_url(name))
                raise LaunchError(
                    f"port {port} on {host} is taken by another process{holder}: {name} cannot start there. "
                    f"Stop that process, or move {name} to a free port with EGOV_SIM_PORTS__{name.upper()}=<port>"
                )

    def _spawn(self, name: str) -> None:
        env = os.environ | self.settings.environment_for(name) | {PARENT_PID_ENV: str(os.getpid())}
        with open(self.log_file(name), "ab") as log:
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", "egov_sim.cli", "serve", name], env=env, stdout=log, stderr=subprocess.STDOUT
            )
        self._asked_to_end.discard(name)

    def kill(self, name: str) -> None:
        """Kill one system abruptly (SIGKILL), as a crash would: no shutdown hooks run."""
        process = self.processes[name]
        self._asked_to_end.add(name)
        process.kill()
        process.wait(timeout=10)

    def restart(self, name: str, timeout: float = 60.0) -> None:
        """Start a system again on the same address and data folder, and wait until it answers."""
        if self.processes[name].poll() is None:
            self.kill(name)
        self._check_addresses([name])
        self._spawn(name)
        self._wait_healthy([name], timeout)

    def exits(self) -> list[Exit]:
        """Systems whose process ended without :meth:`kill` or :meth:`stop` asking (each told once)."""
        ended = []
        for name, process in self.processes.items():
            if name not in self._asked_to_end and process.poll() is not None:
                self._asked_to_end.add(name)
                ended.append(Exit(name, process.returncode, self.log_tail(name)))
        return ended

    def _wait_healthy(self, names: list[str], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = set(names)
        while pending:
            for name in sorted(pending):
                process = self.processes[name]
                if process.poll() is not None:
                    self._asked_to_end.add(name)
                    raise LaunchError(Exit(name, process.returncode, self.log_tail(name)).describe())
                if self._answers_as(name):
                    pending.discard(name)
            if pending and time.monotonic() > deadline:
                logs = "\n".join(f"--- {name}:\n{self.log_tail(name, 5)}" for name in sorted(pending))
                raise LaunchTimeout(
                    f"systems did not answer within {timeout:.0f} s: {', '.join(sorted(pending))}; "
                    f"last lines of their logs:\n{logs}"
                )
            if pending:
                time.sleep(0.2)

    def _answers_as(self, name: str) -> bool:
        """True once ``name`` answers its /health; an answer from another program is an error."""
        url = f"{self.settings.base_url(name)}/health"
        try:
            answer = httpx.get(url, timeout=1.0)
        except httpx.HTTPError:
            return False
        if answer.status_code != 200:
            return False
        expected = system(name)
        identity = _identity(answer)
        if identity.get("system") != expected.name or identity.get("senderId") != expected.sender_id:
            raise LaunchError(
                f"{url} answered as {_describe_identity(identity)}, not as {name} ({expected.sender_id}): "
                f"another program answers at {name}'s address; check EGOV_SIM_PEERS__{name.upper()} and "
                f"EGOV_SIM_PORTS__{name.upper()}"
            )
        return True

    def stop(self) -> None:
        self._asked_to_end.update(self.processes)
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        self.processes.clear()

    def log_file(self, name: str) -> Path:
        return self.settings.data_dir / "logs" / f"{name}.log"

    def log_tail(self, name: str, lines: int = 15) -> str:
        try:
            text = self.log_file(name).read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.rstrip().splitlines()[-lines:]) or "(empty log)"

    def __enter__(self) -> Ecosystem:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """``count`` distinct ports the OS says are free on ``host`` (all held open until every one is chosen), for
    tests and benchmarks that start systems of their own."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for handle in sockets:
            handle.bind((host, 0))
        return [handle.getsockname()[1] for handle in sockets]
    finally:
        for handle in sockets:
            handle.close()


def port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on ``host:port`` now (as uvicorn does: with SO_REUSEADDR, so a port
    whose last connections linger in TIME_WAIT counts as free, and one with a listener does not)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def who_answers(base_url: str) -> str:
    """``" (it answers /health as ...)"`` when the holder of an address speaks HTTP, else ``""``."""
    try:
        answer = httpx.get(f"{base_url}/health", timeout=1.0)
    except httpx.HTTPError:
        return ""
    return f" (it answers /health with HTTP {answer.status_code} as {_describe_identity(_identity(answer))})"


def _identity(answer: httpx.Response) -> dict[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _describe_identity(identity: dict[str, Any]) -> str:
    if not identity.get("system"):
        return "something that is not an egov-sim system"
    return f"{identity.get('system')!r} (senderId {identity.get('senderId')!r})"
