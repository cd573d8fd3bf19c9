"""What the centre's SyncChannel provider answers when it cannot decide: a state system that does not
answer is a transient SCE010 (the portal keeps the application In progress and retries), anything
unexpected a signed SCE909; never an internal address, never a bare HTTP 500."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import httpx
import pytest
from lxml import etree

from adapters.person_registry import PersonRegistryClient
from adapters.pki import PkiLayout
from adapters.shep.envelope import ErrorInfo, Payload, RequestInfo, build_request, parse_fault
from adapters.shep.faults import ErrorCode, GatewayFault
from adapters.shep.provider import SignedSoapEndpoint, WsgiApp
from adapters.shep.replay_guard import ReplayGuard
from adapters.shep.spyne_provider import sync_channel_application
from adapters.shep.sync_client import SyncChannelClient, SyncReply
from adapters.signatures import sign_document, sign_envelope, verify_envelope
from adapters.social_fund import SocialFundClient
from adapters.xml import parse_xml, to_bytes
from ecosystem.catalogue import system
from ecosystem.settings import Settings
from employment.adapters.state_systems import GatewayContributions, GatewayPersonRegistry
from employment.domain.calendar import WorkingCalendar
from employment.domain.models import RegistryRecord
from employment.entrypoints.dispatch import InboundContext, ServiceDispatcher
from employment.entrypoints.services import ROUTES
from employment.service_layer.handlers import EmploymentServices
from employment.service_layer.ports import ContributionsSource, PersonRegistry
from kernel.clock import almaty
from mocks.population import PERSONA_JOB_SEEKER
from tests.employment.conftest import record
from tests.fakes import FakeContributions, FakeDatabase, FakeDocuments, FakePersonRegistry, fake_unit_of_work
from tests.wsgi_requests import wsgi_post

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=almaty())
INTERNAL_GATEWAY = "http://10.20.30.40:8080/bip-sync/"
INTERNAL_FUND = "http://social-fund.internal:8085/bip-sync/"


@pytest.fixture
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)  # signatures are checked against the certificates' real validity


def _endpoint(layout: PkiLayout, handler: Callable[..., Payload] | None = None, app: WsgiApp | None = None) -> WsgiApp:
    inner = app or sync_channel_application("LabourMarket", handler or (lambda _m: Payload(text="")), _now)
    return SignedSoapEndpoint(
        inner,
        credential=layout.load_credential(layout.system("employment")),
        trust=layout.trust_store(),
        gateway_bin=system("gateway").bin,
        now=_now,
        max_bytes=1_048_576,
        public_url="http://127.0.0.1:8082/bip-sync/",
        replay_guard=ReplayGuard.at("sqlite://", _now, dt.timedelta(minutes=5)),
    )


def _registration(layout: PkiLayout) -> bytes:
    """A registration form signed by the applicant, in a SendMessage signed by the gateway."""
    form = etree.fromstring(
        '<js:jobSeekerRegistrationForm xmlns:js="urn:kz:egov-sim:labour-market:job-seeker:v1">'
        "<applicationId>APP-1</applicationId><submittedAt>2026-11-23T10:00:00+05:00</submittedAt>"
        f"<applicant><iin>{PERSONA_JOB_SEEKER}</iin><surname>Сулейменова</surname><name>Жанар</name>"
        "<patronymic>Ерлановна</patronymic><birthDate>1992-03-14</birthDate></applicant>"
        "<consentToPersonalData>true</consentToPersonalData></js:jobSeekerRegistrationForm>"
    )
    signed = sign_document(form, layout.load_credential(layout.person(PERSONA_JOB_SEEKER)))
    info = RequestInfo(str(uuid.uuid4()), "ENBEK_JobSeekerRegistration", "EGOV_PORTAL", _now(), correlation_id="APP-1")
    envelope = build_request(info, Payload(text=etree.tostring(signed, encoding="unicode")))
    return to_bytes(sign_envelope(envelope, layout.load_credential(layout.system("gateway"))))


def _fault_answer(endpoint: WsgiApp, layout: PkiLayout) -> ErrorInfo:
    """Post a registration; the answer must be a SOAP fault (HTTP 500 with a signed envelope)."""
    status, answer = wsgi_post(endpoint, _registration(layout))
    assert status.startswith("500 ")
    return _fault(layout, answer)


def _fault(layout: PkiLayout, answer: bytes) -> ErrorInfo:
    """The fault of a signed answer; the answer must be signed by the employment centre."""
    verified = verify_envelope(parse_xml(answer), layout.trust_store(), _now())
    assert verified.signer.bin == system("employment").bin
    fault = parse_fault(verified.signed_body)
    assert fault is not None, "the answer is not a fault"
    return fault


def _dispatcher(layout: PkiLayout, db: FakeDatabase, registry: PersonRegistry, fund: ContributionsSource) -> Any:
    services = EmploymentServices(
        uow=fake_unit_of_work(db),
        registry=registry,
        contributions=fund,
        documents=FakeDocuments(),
        calendar=WorkingCalendar(),
        now=lambda: NOW,
    )
    return ServiceDispatcher(ROUTES, services, InboundContext(layout.trust_store(), _now, 1_048_576))


class _FaultingSender:
    """The gateway's answer when the provider behind it did not answer: SCE010 naming the provider's URL."""

    def send(self, service_id: str, payload: Payload, *, correlation_id: str | None = None) -> SyncReply:
        error = ErrorInfo(ErrorCode.PROVIDER_UNAVAILABLE.value, f"provider at {INTERNAL_FUND} did not answer", NOW)
        raise GatewayFault(error)


def _unreachable_gateway(layout: PkiLayout) -> SyncChannelClient:
    def time_out(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    return SyncChannelClient(
        gateway_url=INTERNAL_GATEWAY,
        sender_id=system("employment").sender_id,
        password=None,
        credential=layout.load_credential(layout.system("employment")),
        trust=layout.trust_store(),
        gateway_bin=system("gateway").bin,
        now=_now,
        transport=httpx.MockTransport(time_out),
    )


def _assert_transient_and_plain(fault: ErrorInfo, system_named: str) -> None:
    assert fault.code == ErrorCode.PROVIDER_UNAVAILABLE.value  # SCE010: the portal keeps it In progress
    assert system_named in fault.message and "later" in fault.message
    for internal in ("http", "10.20.30.40", "internal", ":80"):
        assert internal not in fault.message


def test_person_registry_timing_out_is_a_transient_fault_without_an_address(layout: PkiLayout) -> None:
    db = FakeDatabase()
    registry = GatewayPersonRegistry(PersonRegistryClient(_unreachable_gateway(layout), "ENBEK", _now))
    endpoint = _endpoint(layout, _dispatcher(layout, db, registry, FakeContributions()))
    _assert_transient_and_plain(_fault_answer(endpoint, layout), "person registry")
    assert db.applications == {} and db.stage_reports == []  # nothing decided


def test_social_fund_not_answering_is_a_transient_fault_without_an_address(layout: PkiLayout) -> None:
    db = FakeDatabase()
    fund = GatewayContributions(SocialFundClient(_FaultingSender(), _now))
    registry = FakePersonRegistry({PERSONA_JOB_SEEKER: record()})
    endpoint = _endpoint(layout, _dispatcher(layout, db, registry, fund))
    _assert_transient_and_plain(_fault_answer(endpoint, layout), "Social Insurance Fund")
    assert db.applications == {} and db.stage_reports == []


class _BrokenRegistry(FakePersonRegistry):
    def find(self, iin: str, correlation_id: str | None) -> RegistryRecord | None:
        raise RuntimeError("could not connect to postgresql://egov:secret@db.internal/egov_employment")


def test_an_unexpected_error_in_a_handler_is_a_signed_sce909_with_a_plain_message(layout: PkiLayout) -> None:
    endpoint = _endpoint(layout, _dispatcher(layout, FakeDatabase(), _BrokenRegistry(), FakeContributions()))
    fault = _fault_answer(endpoint, layout)
    assert fault.code == ErrorCode.INTERNAL.value
    assert "postgresql" not in fault.message and "internal" not in fault.message and "secret" not in fault.message


def test_an_error_below_the_service_still_answers_a_signed_sce909(layout: PkiLayout) -> None:
    def broken(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        raise OSError(f"lost the socket to {INTERNAL_GATEWAY}")

    fault = _fault_answer(_endpoint(layout, app=broken), layout)
    assert fault.code == ErrorCode.INTERNAL.value and "http" not in fault.message
