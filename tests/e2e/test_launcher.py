"""``egov-sim up`` as a tester runs it: it refuses a taken port, checks who answers, reports a system that
dies, and leaves no system running when it ends, even when it is killed (SIGKILL)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from ecosystem.catalogue import SYSTEMS, system
from ecosystem.settings import Settings
from egov_sim.launcher import Ecosystem, LaunchError, free_ports, port_is_free

TWO = ("nca", "monitoring")  # two small systems: enough to see what happens to every child

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads children from /proc")


class Impostor(BaseHTTPRequestHandler):
    """Another program on a port egov-sim wants: it answers /health as the portal."""

    def do_GET(self) -> None:
        portal = system("portal")
        body = json.dumps({"system": portal.name, "senderId": portal.sender_id, "bin": portal.bin}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def impostor() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Impostor)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("egov-up")  # one test PKI for the module's runs


def _environment(data_dir: Path, ports: dict[str, int]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOV_SIM_")}
    env["EGOV_SIM_DATA_DIR"] = str(data_dir)
    env |= {f"EGOV_SIM_PORTS__{name.upper()}": str(port) for name, port in ports.items()}
    return env


class Up:
    """``egov-sim up`` in a subprocess, its output read as it comes."""

    def __init__(self, data_dir: Path, ports: dict[str, int]) -> None:
        self.ports = ports
        self.process = subprocess.Popen(
            [sys.executable, "-m", "egov_sim.cli", "up", *TWO],
            env=_environment(data_dir, ports),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_up(self, timeout: float = 90.0) -> dict[str, int]:
        """Until ``up`` says it is up; the systems it started, name -> pid (from /proc)."""
        deadline = time.monotonic() + timeout
        while not any(line.startswith("data folder:") for line in self.lines):
            assert self.process.poll() is None, f"up ended with {self.process.returncode}: {self.output}"
            assert time.monotonic() < deadline, f"up did not come up: {self.output}"
            time.sleep(0.1)
        for name in TWO:
            answer = httpx.get(f"http://127.0.0.1:{self.ports[name]}/health", timeout=5).json()
            assert answer["system"] == name
        return _children(self.process.pid)

    def wait(self, timeout: float = 30.0) -> int:
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code

    def __enter__(self) -> Up:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _ports() -> dict[str, int]:
    return dict(zip([s.name for s in SYSTEMS], free_ports(len(SYSTEMS)), strict=True))


def _children(pid: int) -> dict[str, int]:
    """The systems ``up`` started: name -> pid (from /proc)."""
    found = {}
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        found[argv[argv.index(b"serve") + 1].decode()] = int(child)
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended; only its parent's record remains


def _all_gone(pids: list[int], ports: list[int], within: float) -> None:
    deadline = time.monotonic() + within
    while any(_alive(pid) for pid in pids) or not all(port_is_free("127.0.0.1", port) for port in ports):
        assert time.monotonic() < deadline, (
            f"still running after {within} s: pids {[p for p in pids if _alive(p)]}, "
            f"ports {[p for p in ports if not port_is_free('127.0.0.1', p)]}"
        )
        time.sleep(0.1)


def test_up_refuses_a_port_held_by_a_program_that_answers_health(data_dir: Path, impostor: int) -> None:
    ports = _ports() | {"nca": impostor}
    with Up(data_dir, ports) as up:
        assert up.wait(timeout=60) == 1, up.output
    assert f"port {impostor} on 127.0.0.1 is taken by another process" in up.output
    assert "nca cannot start there" in up.output
    assert "as 'portal'" in up.output
    assert "is up" not in up.output
    assert port_is_free("127.0.0.1", ports["monitoring"])


def test_a_health_answer_from_another_system_is_an_error(data_dir: Path, impostor: int) -> None:
    settings = Settings(data_dir=data_dir, ports=_ports(), peers={"nca": f"http://127.0.0.1:{impostor}"})
    with Ecosystem(settings) as ecosystem, pytest.raises(LaunchError, match=r"answered as 'portal'.*not as nca"):
        ecosystem.start(["nca"], timeout=60)
    assert ecosystem.processes == {}
    assert port_is_free("127.0.0.1", settings.ports["nca"])


@linux_only
def test_up_reports_a_system_that_dies_and_stops_the_others(data_dir: Path) -> None:
    ports = _ports()
    with Up(data_dir, ports) as up:
        children = up.wait_up()
        os.kill(children["monitoring"], signal.SIGKILL)
        assert up.wait() == 1, up.output
    assert "system monitoring was killed by signal 9; last lines of its log:" in up.output
    assert "stopping the other systems" in up.output
    _all_gone(list(children.values()), [ports[name] for name in TWO], within=5)


@linux_only
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_no_system_outlives_up(data_dir: Path, how: signal.Signals) -> None:
    ports = _ports()
    with Up(data_dir, ports) as up:
        children = up.wait_up()
        assert sorted(children) == sorted(TWO)
        up.process.send_signal(how)
        code = up.wait()
        _all_gone(list(children.values()), [ports[name] for name in TWO], within=5)
    if how == signal.SIGTERM:
        assert code == 0, up.output
        assert "stopping..." in up.output
