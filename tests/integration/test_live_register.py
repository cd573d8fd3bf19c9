"""The gateway's live register over HTTP (docs/gateway.md, "The register"): a right revoked or granted
through ``/admin/register`` takes effect on the next request without a restart; a tester plugs in their own
system (a participant whose base URL is their server, a service routed to it) and calls it through the
gateway; every change is in the hash-chained journal."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, HTTPException, Request

from adapters.person_registry import PersonRegistryClient, PersonRegistryUnavailable
from adapters.pki import PkiLayout
from adapters.shep import ErrorCode
from adapters.shep.rest_client import RestChannelError
from adapters.shep.rest_headers import GATEWAY_SIGNED, SIGNATURE
from adapters.signatures import SignatureError
from adapters.signatures.jws import verify_request
from ecosystem.catalogue import system
from ecosystem.context import SystemContext, system_context
from ecosystem.settings import Settings
from egov_sim.launcher import free_ports
from mocks.population import PERSONA_EMPLOYED

if TYPE_CHECKING:
    from tests.integration.conftest import ServedSystems

TESTER = "TESTER_SYSTEM"
TESTER_SERVICE = "TESTER_Echo"
ACTOR = {"X-Admin-User": "integration tester"}


@pytest.fixture(scope="module")
def settings(served: ServedSystems) -> Settings:
    served.start("gateway", "person_registry")
    return served.settings


@pytest.fixture(scope="module")
def employment(settings: Settings) -> Iterator[SystemContext]:
    with system_context(settings, "employment") as context:
        yield context


def _admin(settings: Settings, method: str, path: str, json: dict[str, Any] | None = None) -> httpx.Response:
    url = f"{settings.base_url('gateway')}/admin/register{path}"
    return httpx.request(method, url, json=json, headers=ACTOR | settings.admin_headers(), timeout=10)


def test_a_revoked_right_refuses_the_next_request_and_a_granted_one_lets_it_through(
    settings: Settings, employment: SystemContext
) -> None:
    lookup = PersonRegistryClient(employment.sync_client(), employment.identity.sender_id, employment.now)
    assert lookup.find_by_iin(PERSONA_EMPLOYED, None) is not None
    right = "/services/GBDFL_UniversalServiceSync/allowed/ENBEK_LABOUR_MARKET"
    revoked = _admin(settings, "DELETE", right)
    try:
        assert revoked.status_code == 200, revoked.text
        assert revoked.json()["changed"] is True
        with pytest.raises(PersonRegistryUnavailable) as refused:
            lookup.find_by_iin(PERSONA_EMPLOYED, None)
        assert refused.value.code == ErrorCode.ACCESS_DENIED.value
    finally:
        granted = _admin(settings, "PUT", right)
    assert granted.status_code == 200, granted.text
    assert granted.json()["version"] == revoked.json()["version"] + 1
    assert lookup.find_by_iin(PERSONA_EMPLOYED, None) is not None
    again = _admin(settings, "PUT", right)  # already allowed: nothing changes, nothing is journalled
    assert again.json() == granted.json() | {"journalSeq": None, "changed": False}
    changes = _admin(settings, "GET", "/changes").json()
    newest = changes[0]
    assert newest["seq"] == granted.json()["journalSeq"]
    assert newest["event"] == "register-changed" and newest["service_id"] == "GBDFL_UniversalServiceSync"
    assert "integration tester" in newest["detail"]
    assert changes[1]["seq"] == revoked.json()["journalSeq"]
    verdict = httpx.get(f"{settings.base_url('gateway')}/admin/journal/verify", headers=settings.admin_headers())
    assert verdict.json()["intact"] is True


@pytest.fixture
def tester_server(settings: Settings) -> Iterator[str]:
    """A tester's own system: one REST endpoint that checks the gateway's signature and echoes the body."""
    trust = PkiLayout(settings.data_dir).trust_store()
    gateway_bin = system("gateway").bin
    app = FastAPI()

    @app.post("/api/echo")
    async def echo(request: Request) -> dict[str, Any]:
        body = await request.body()
        headers = {key.lower(): value for key, value in request.headers.items()}
        try:
            signed = verify_request(
                headers.get(SIGNATURE),
                body,
                method="POST",
                path="/api/echo",
                headers=headers,
                required=GATEWAY_SIGNED,
                trust=trust,
                at=settings_now(),
            )
        except SignatureError as exc:
            raise HTTPException(401, str(exc)) from exc
        if signed.signer.bin != gateway_bin:
            raise HTTPException(403, "not signed by the gateway")
        return {"echo": await request.json(), "sender": headers["x-sender-id"]}

    with system_context(settings, "gateway") as gateway_context:
        settings_now = gateway_context.now
        port = free_ports(1)[0]
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=5)


def test_a_tester_plugs_in_their_own_system_and_calls_it_through_the_gateway(
    settings: Settings, employment: SystemContext, tester_server: str
) -> None:
    rest = employment.rest_client()
    with pytest.raises(RestChannelError) as unknown:
        rest.send(TESTER_SERVICE, {"hello": "before"})
    assert unknown.value.body.get("errorCode") == ErrorCode.UNKNOWN_SERVICE.value
    participant = {"system": "tester_system", "bin": "990140000003", "baseUrl": tester_server}
    service = {
        "description": "a tester's own echo service",
        "channel": "rest",
        "provider": TESTER,
        "path": "/api/echo",
        "allowed": ["ENBEK_LABOUR_MARKET"],
    }
    try:
        added = _admin(settings, "PUT", f"/participants/{TESTER}", participant)
        assert added.status_code == 201, added.text
        routed = _admin(settings, "PUT", f"/services/{TESTER_SERVICE}", service)
        assert routed.status_code == 201, routed.text
        marker = str(uuid.uuid4())
        reply = rest.send(TESTER_SERVICE, {"hello": marker})
        assert reply.body == {"echo": {"hello": marker}, "sender": "ENBEK_LABOUR_MARKET"}
        register = _admin(settings, "GET", "").json()
        expected = {"senderId": TESTER, "asyncClient": None, "allowSha1Signatures": False, **participant}
        assert expected in register["participants"]
        journal = httpx.get(
            f"{settings.base_url('gateway')}/admin/journal",
            params={"serviceId": TESTER_SERVICE},
            headers=settings.admin_headers(),
        ).json()
        events = [entry["event"] for entry in journal]
        assert events[:2] == ["delivered", "received"] and "register-changed" in events
    finally:
        removed_service = _admin(settings, "DELETE", f"/services/{TESTER_SERVICE}")
        removed = _admin(settings, "DELETE", f"/participants/{TESTER}")
    assert (removed_service.status_code, removed.status_code) == (200, 200)
    with pytest.raises(RestChannelError) as gone:
        rest.send(TESTER_SERVICE, {"hello": "after"})
    assert gone.value.body.get("errorCode") == ErrorCode.UNKNOWN_SERVICE.value


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        (f"/participants/{TESTER}", {"system": "nowhere_system", "bin": "990140000003"}, 422),  # no address
        (f"/participants/{TESTER}", {"system": "x", "bin": "12345"}, 422),  # not a BIN
        ("/participants/bad%20id", {"system": "portal", "bin": "061140010003"}, 422),
        (f"/services/{TESTER_SERVICE}", {"channel": "rest", "provider": "NOBODY", "path": "/x"}, 422),
        (
            f"/services/{TESTER_SERVICE}",
            {"channel": "soap", "provider": "GBDFL", "path": "/x", "payloadSchema": "../../etc/passwd"},
            422,
        ),
        (
            f"/services/{TESTER_SERVICE}",
            {"channel": "rest", "provider": "GBDFL", "path": "/x", "allowed": ["NOBODY"]},
            422,
        ),
        ("/services/NO_SUCH_SERVICE/allowed/GK_IIS", None, 404),
    ],
)
def test_a_change_the_register_refuses_changes_nothing(
    settings: Settings, path: str, body: dict[str, Any] | None, status: int
) -> None:
    before = _admin(settings, "GET", "").json()
    answer = _admin(settings, "PUT", path, body)
    assert answer.status_code == status, answer.text
    assert _admin(settings, "GET", "").json() == before


def test_a_participant_that_provides_a_service_cannot_be_removed(settings: Settings) -> None:
    answer = _admin(settings, "DELETE", "/participants/GBDFL")
    assert answer.status_code == 409
    assert "GBDFL_UniversalServiceSync" in answer.json()["detail"]
