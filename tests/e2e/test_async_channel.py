"""The AsyncChannel's store and forward, with real processes: the gateway and the monitoring IS (a PUSH
receiver of stage reports sent as NOTIFICATIONs). The test sends as the State Corporation's system.

Retries back off 30-60 s of the ecosystem's clock, so nothing is retried unless the test moves the clock;
three attempts make a message DELIVERY_STOPPED.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest
from typer.testing import CliRunner

from adapters.pki import PkiLayout
from adapters.shep import Payload
from adapters.shep.async_client import AsyncChannelClient
from contracts.async_channel import MessageState, MessageType
from ecosystem.catalogue import system
from ecosystem.settings import Settings
from egov_sim.cli import app as cli
from egov_sim.launcher import Ecosystem, free_ports
from tests.e2e.conftest import SIMULATED_START

SYSTEMS = ["gateway", "monitoring"]
T = TypeVar("T")


@pytest.fixture(scope="module")
def async_ecosystem(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ecosystem]:
    ports = dict(zip(SYSTEMS, free_ports(len(SYSTEMS)), strict=True))
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("async-data"),
        ports=ports,
        clock=SIMULATED_START,
        async_max_attempts=3,
        async_retry_base_seconds=60,
        async_retry_cap_seconds=60,
    )
    with Ecosystem(settings) as running:
        running.start(SYSTEMS, timeout=120)
        yield running


@pytest.fixture(scope="module")
def state_corp(async_ecosystem: Ecosystem) -> Iterator[AsyncChannelClient]:
    settings = async_ecosystem.settings
    layout = PkiLayout(settings.data_dir)
    client = AsyncChannelClient(
        gateway_url=settings.gateway_async_url,
        sender_id="GK_IIS",
        password=None,
        credential=layout.load_credential(layout.system("state_corp")),
        trust=layout.trust_store(),
        gateway_bin=system("gateway").bin,
        now=async_ecosystem.now,
    )
    yield client
    client.close()


def _report(application_id: str) -> Payload:
    document = {
        "applicationId": application_id,
        "serviceType": "JOB_SEEKER_REGISTRATION",
        "stage": "REGISTERED",
        "stageAt": "2026-11-23T10:00:00+05:00",
        "registerOrg": "GK_IIS",
    }
    return Payload(text=json.dumps(document))


def _send(client: AsyncChannelClient, count: int, prefix: str) -> dict[str, str]:
    """Send ``count`` stage reports; {messageId: applicationId}."""
    sent = {}
    for n in range(count):
        application_id = f"{prefix}-{n:03d}-{uuid.uuid4().hex[:6]}"
        receipt = client.send(
            "MONITORING_StageReportAsync",
            _report(application_id),
            message_type=MessageType.NOTIFICATION,
            correlation_id=str(uuid.uuid4()),
        )
        sent[receipt.message_id] = application_id
    return sent


def _get(ecosystem: Ecosystem, system_name: str, path: str) -> Any:
    return httpx.get(f"{ecosystem.settings.base_url(system_name)}{path}", timeout=30).json()


def _advance(ecosystem: Ecosystem, duration: str) -> None:
    answer = httpx.post(f"{ecosystem.settings.base_url('gateway')}/admin/clock", json={"advance": duration}, timeout=10)
    assert answer.status_code == 200, answer.text


def _states(ecosystem: Ecosystem, ids: set[str]) -> dict[str, str]:
    listed = _get(ecosystem, "gateway", "/admin/async/messages?limit=1000")["messages"]
    return {m["messageId"]: m["messageState"] for m in listed if m["messageId"] in ids}


def _wait_for(read: Callable[[], T], done: Callable[[T], bool], timeout: float = 60.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def _all_delivered(ecosystem: Ecosystem, ids: set[str]) -> dict[str, str]:
    return _wait_for(lambda: _states(ecosystem, ids), lambda s: set(s.values()) == {"DELIVERED"} and len(s) == len(ids))


def test_gateway_killed_in_the_middle_of_50_deliveries_delivers_each_once(
    async_ecosystem: Ecosystem, state_corp: AsyncChannelClient
) -> None:
    ecosystem = async_ecosystem
    ecosystem.kill("monitoring")  # the 50 wait in the gateway's store while the receiver is away
    sent = _send(state_corp, 50, "crash")
    ids = set(sent)
    assert set(_states(ecosystem, ids).values()) == {"ON_DELIVERY"}
    ecosystem.restart("monitoring")
    _advance(ecosystem, "2m")  # the first attempts failed: make the retries due

    inbox = _wait_for(lambda: _get(ecosystem, "monitoring", "/admin/async/inbox"), lambda i: i["processed"] >= 5)
    ecosystem.kill("gateway")  # SIGKILL in the middle of the deliveries
    assert inbox["processed"] < 50, "the deliveries ended before the gateway was killed: nothing was interrupted"
    ecosystem.restart("gateway")
    _advance(ecosystem, "3m")  # past the lease of the attempt the kill cut short, and past any backoff

    states = _all_delivered(ecosystem, ids)
    assert set(states.values()) == {"DELIVERED"} and len(states) == 50
    inbox = _get(ecosystem, "monitoring", "/admin/async/inbox?limit=10000")
    ours = [entry for entry in inbox["entries"] if entry["messageId"] in ids]
    assert len(ours) == 50  # every message processed, each messageId once
    applications = {a["applicationId"]: a for a in _get(ecosystem, "monitoring", "/api/applications")}
    for message_id, application_id in sent.items():
        stages = applications[application_id]["stages"]
        assert [stage["senderId"] for stage in stages] == ["GK_IIS"], (message_id, stages)


def test_delivery_resumes_when_the_receiver_returns(async_ecosystem: Ecosystem, state_corp: AsyncChannelClient) -> None:
    ecosystem = async_ecosystem
    ecosystem.kill("monitoring")
    ids = set(_send(state_corp, 5, "outage"))
    for message_id in ids:
        job = _wait_for(
            lambda m=message_id: _get(ecosystem, "gateway", f"/admin/async/messages/{m}"),  # type: ignore[misc]
            lambda found: (found["push"] or {}).get("attempts", 0) >= 1,
        )
        assert job["messageState"] == "ON_DELIVERY" and job["push"]["attempts"] == 1, job
        assert state_corp.message_status(message_id).state is MessageState.ON_DELIVERY
    ecosystem.restart("monitoring")
    _advance(ecosystem, "2m")
    assert set(_all_delivered(ecosystem, ids).values()) == {"DELIVERED"}
    status = state_corp.message_status(next(iter(ids)))
    assert status.state is MessageState.DELIVERED and status.status_code == "SCSS001"


def test_stopped_delivery_is_a_dead_letter_that_redrive_delivers(
    async_ecosystem: Ecosystem, state_corp: AsyncChannelClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    ecosystem = async_ecosystem
    ecosystem.kill("monitoring")
    (message_id,) = _send(state_corp, 1, "stopped")

    def attempts() -> int:
        return int((_get(ecosystem, "gateway", f"/admin/async/messages/{message_id}")["push"] or {})["attempts"])

    for attempt in (1, 2, 3):  # the third failed attempt is the last one allowed
        _wait_for(attempts, lambda n, a=attempt: n >= a)  # type: ignore[misc]
        _advance(ecosystem, "2m")
    status = _wait_for(lambda: state_corp.message_status(message_id), lambda s: s.state is not MessageState.ON_DELIVERY)
    assert status.state is MessageState.DELIVERY_STOPPED and status.status_code == "SCE010", status
    letters = _get(ecosystem, "gateway", "/admin/async/dead-letters")
    assert message_id in [letter["messageId"] for letter in letters]

    ecosystem.restart("monitoring")
    for name, value in ecosystem.settings.to_environment().items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    listed = runner.invoke(cli, ["async", "dead-letters"])
    assert listed.exit_code == 0 and message_id in listed.output, listed.output
    redriven = runner.invoke(cli, ["async", "redrive", message_id])
    assert redriven.exit_code == 0, redriven.output
    assert set(_all_delivered(ecosystem, {message_id}).values()) == {"DELIVERED"}
    assert message_id not in [letter["messageId"] for letter in _get(ecosystem, "gateway", "/admin/async/dead-letters")]
    again = runner.invoke(cli, ["async", "redrive", message_id])
    assert again.exit_code == 2 and "no open dead letter" in again.output
