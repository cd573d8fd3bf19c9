"""Start systems as separate processes on loopback, wait until they answer, stop them.

Each system runs as ``egov-sim serve NAME`` in its own process, exactly as one container of
``docker-compose.yml`` does; the settings travel as environment variables.
"""

from __future__ import annotations

import importlib
import os
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
from ecosystem.settings import Settings
from mocks.nca.provisioning import ProvisioningReport, ensure_test_pki


def prepare_data_folder(settings: Settings) -> ProvisioningReport:
    """Create the data folder and the test PKI if they are missing (issued on the simulation's clock)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "logs").mkdir(exist_ok=True)
    now = EcosystemClock.join(settings.data_dir, settings.clock).now()
    return ensure_test_pki(PkiLayout(settings.data_dir), now=now)


def build_app(settings: Settings, name: str) -> Any:
    module_name, _, function = system(name).app_factory.partition(":")
    factory = getattr(importlib.import_module(module_name), function)
    return factory(settings)


def serve(settings: Settings, name: str) -> None:
    """Run one system in this process until interrupted."""
    import uvicorn

    prepare_data_folder(settings)
    app = build_app(settings, name)
    uvicorn.run(app, host=settings.host, port=settings.ports[name], log_level="warning", access_log=False)


@dataclass
class Ecosystem:
    settings: Settings
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _clock: EcosystemClock | None = None

    @property
    def clock(self) -> EcosystemClock:
        """The ecosystem's one clock, as every system reads it (started afresh by :meth:`start`)."""
        if self._clock is None:
            self._clock = EcosystemClock.join(self.settings.data_dir, self.settings.clock)
        return self._clock

    def now(self) -> datetime:
        return self.clock.now()

    def start(self, names: Iterable[str] | None = None, timeout: float = 60.0) -> None:
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        self._clock = EcosystemClock.start(self.settings.data_dir, self.settings.clock)
        prepare_data_folder(self.settings)
        wanted = list(names) if names is not None else [s.name for s in SYSTEMS]
        for name in wanted:
            self._spawn(name)
        try:
            self._wait_healthy(wanted, timeout)
        except BaseException:
            self.stop()
            raise

    def _spawn(self, name: str) -> None:
        env = os.environ | self.settings.to_environment()
        log = open(self.log_file(name), "ab")  # noqa: SIM115 - handed to the child process
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "egov_sim.cli", "serve", name], env=env, stdout=log, stderr=subprocess.STDOUT
        )

    def kill(self, name: str) -> None:
        """Kill one system abruptly (SIGKILL), as a crash would: no shutdown hooks run."""
        process = self.processes[name]
        process.kill()
        process.wait(timeout=10)

    def restart(self, name: str, timeout: float = 60.0) -> None:
        """Start a system again on the same port and data folder, and wait until it answers."""
        if self.processes[name].poll() is None:
            self.kill(name)
        self._spawn(name)
        self._wait_healthy([name], timeout)

    def _wait_healthy(self, names: list[str], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = set(names)
        while pending:
            for name in sorted(pending):
                process = self.processes[name]
                if process.poll() is not None:
                    log = self.log_file(name).read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"system {name} exited with code {process.returncode}:\n{log}")
                try:
                    if httpx.get(f"{self.settings.base_url(name)}/health", timeout=1.0).status_code == 200:
                        pending.discard(name)
                except httpx.HTTPError:
                    pass
            if pending and time.monotonic() > deadline:
                raise TimeoutError(f"systems did not start within {timeout:.0f} s: {', '.join(sorted(pending))}")
            if pending:
                time.sleep(0.2)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()

    def log_file(self, name: str) -> Path:
        return self.settings.data_dir / "logs" / f"{name}.log"

    def __enter__(self) -> Ecosystem:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
