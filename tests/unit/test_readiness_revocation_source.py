"""``/health/ready``'s ``pki:crl`` judges the revocation source the system uses (docs/pki.md): online, the NCA's
OCSP and CRL answers about the system's own chain (fresh, cached while they are), so moving the shared clock past
the CRL file's ``nextUpdate`` keeps an online system ready (the NCA makes fresh answers at its time) while a
system reading the file is not ready; an NCA that does not answer makes an online system not ready."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import time
from typing import Any

import httpx
import pytest

from adapters.pki import OnlineRevocationCheck, PkiLayout
from ecosystem.app import create_system_app
from ecosystem.clock import RELOAD_SECONDS, EcosystemClock
from ecosystem.context import SystemContext, system_context
from ecosystem.settings import RevocationSettings, Settings
from egov_sim.launcher import build_app, prepare_data_folder
from mocks.nca.provisioning import CRL_VALIDITY


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A data folder of its own: the test moves its clock."""
    chosen = Settings(
        data_dir=tmp_path_factory.mktemp("readiness"), revocation=RevocationSettings(source="data_folder")
    )
    prepare_data_folder(chosen)
    return chosen


def _ready(context: SystemContext) -> tuple[int, dict[str, Any]]:
    async def run() -> httpx.Response:
        app = create_system_app(context, title="t")
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s.test") as client:
            return await client.get("/health/ready")

    answer = asyncio.run(run())
    return answer.status_code, answer.json()


def _online(context: SystemContext, client: httpx.Client) -> SystemContext:
    layout = PkiLayout(context.settings.data_dir)
    return dataclasses.replace(context, trust=layout.trust_store(OnlineRevocationCheck(client)), _clients={})


def _nca_client(settings: Settings, asked: list[str]) -> httpx.Client:
    """An HTTP client whose every request is answered by the NCA's application (its CRLs and OCSP answers made
    on each request, at the shared clock's time); ``asked`` collects what was asked."""
    app = build_app(settings, "nca")

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(f"{request.method} {request.url.path}")

        async def call() -> httpx.Response:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://nca") as nca:
                return await nca.request(
                    request.method, request.url.path, content=request.read(), headers=dict(request.headers)
                )

        got = asyncio.run(call())  # in the thread the readiness check runs in (no event loop there)
        return httpx.Response(
            got.status_code, content=got.content, headers={"content-type": got.headers["content-type"]}
        )

    return httpx.Client(transport=httpx.MockTransport(answer))


def _unreachable(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("connection refused", request=request)


def test_readiness_follows_the_revocation_source_in_use(settings: Settings) -> None:
    asked: list[str] = []
    nca = _nca_client(settings, asked)
    from_file = system_context(settings, "monitoring")
    online = _online(from_file, nca)

    status, body = _ready(online)
    assert status == 200, body
    assert {"POST /ocsp", "GET /crl/issuing.crl", "GET /crl/root.crl"} <= set(asked)
    asked.clear()
    assert _ready(online)[0] == 200
    assert asked == []  # the cached answers are fresh: nothing asked again
    assert _ready(from_file)[0] == 200

    EcosystemClock.join(settings.data_dir, settings.clock).advance(CRL_VALIDITY + dt.timedelta(days=1))
    time.sleep(RELOAD_SECONDS * 2)  # every system's clock (and the NCA's) reads the shared time again

    status, body = _ready(from_file)  # the file the NCA wrote at provisioning is past its nextUpdate
    assert status == 503
    assert "stale" in body["checks"]["pki:crl"]
    status, body = _ready(online)  # the cached answers are stale: asked again, the NCA answers at its time
    assert status == 200, body
    assert body["checks"]["pki:crl"] == "ok"
    assert {"POST /ocsp", "GET /crl/issuing.crl"} <= set(asked)

    status, body = _ready(_online(from_file, httpx.Client(transport=httpx.MockTransport(_unreachable))))
    assert status == 503
    problem = body["checks"]["pki:crl"]
    assert "cannot be relied on" in problem and "/ocsp" in problem and "cannot be reached" in problem


def test_online_readiness_refuses_answers_already_stale(settings: Settings) -> None:
    """An NCA whose OCSP and CRL answers are past their nextUpdate on the system's clock (the NCA's clock is a
    month behind) is not relied on: each stale answer is named."""
    context = _online(system_context(settings, "monitoring"), _nca_client(settings, []))
    later = EcosystemClock.join(settings.data_dir, settings.clock).now() + dt.timedelta(days=30)

    status, body = _ready(dataclasses.replace(context, clock=_Fixed(later), _clients={}))

    assert status == 503
    problem = body["checks"]["pki:crl"]
    assert "cannot be relied on" in problem
    assert "OCSP http" in problem and "the answer is stale" in problem and "the CRL expired" in problem


@dataclasses.dataclass(frozen=True)
class _Fixed:
    at: dt.datetime

    def now(self) -> dt.datetime:
        return self.at
