"""Integration fixtures: real systems served in this process, each on its own free loopback port.

``integration_settings``: a fresh data folder (test PKI provisioned) and a free port for every system.
``served``: starts systems by name with uvicorn in daemon threads (``served.start("gateway", ...)``), each
once per session, and stops them at the end; calls between them cross real HTTP connections.

spyne bundles an old ``six`` whose meta-path importer stays installed once spyne is imported; it then
raises ``ImportWarning`` ("_SixMetaPathImporter.find_spec() not found ...") on every later first import,
in any thread. With the project's warnings-as-errors that breaks unrelated imports, so that one warning
is ignored here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from ecosystem.catalogue import SYSTEMS
from ecosystem.settings import Settings
from egov_sim.launcher import build_app, free_ports, prepare_data_folder

SPYNE_SIX_IMPORT_WARNING = r"ignore:_SixMetaPathImporter\.:ImportWarning"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("filterwarnings", SPYNE_SIX_IMPORT_WARNING)


class ServedSystems:
    """Systems running in this process; each started at most once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._servers: dict[str, tuple[uvicorn.Server, threading.Thread]] = {}

    def start(self, *names: str, timeout: float = 30.0) -> None:
        for name in names:
            if name in self._servers:
                continue
            app = build_app(self.settings, name)
            port = self.settings.ports[name]
            config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
            server = uvicorn.Server(config)
            thread = threading.Thread(target=server.run, name=f"uvicorn-{name}", daemon=True)
            thread.start()
            self._servers[name] = (server, thread)
        for name in names:
            self._wait_healthy(name, timeout)

    def _wait_healthy(self, name: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        url = f"{self.settings.base_url(name)}/health"
        while True:
            try:
                if httpx.get(url, timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} did not answer {url} within {timeout:.0f} s")
            time.sleep(0.05)

    def stop(self) -> None:
        for server, _ in self._servers.values():
            server.should_exit = True
        for _, thread in self._servers.values():
            thread.join(timeout=10)
        self._servers.clear()


@pytest.fixture(scope="session")
def integration_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    ports = dict(zip([system.name for system in SYSTEMS], free_ports(len(SYSTEMS)), strict=True))
    settings = Settings(data_dir=tmp_path_factory.mktemp("egov-sim-integration"), ports=ports)
    prepare_data_folder(settings)
    return settings


@pytest.fixture(scope="session")
def served(integration_settings: Settings) -> Iterator[ServedSystems]:
    systems = ServedSystems(integration_settings)
    yield systems
    systems.stop()
