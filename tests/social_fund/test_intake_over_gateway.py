"""Hostile inputs to ``GFSS_JobLossPayment`` and ``GFSS_JobLossPaymentResult`` through the gateway's SyncChannel
pipeline, in process: the gateway (its real register, schemas and journal) forwards to the fund's real provider
endpoint (gateway-signed requests only, signed answers) over an in-process WSGI transport.

Each case says where the pipeline stops it, as the gateway's hostile-input suite does
(tests/unit/test_hostile_inputs.py): ``gateway`` (the parser's limits, the register's allowed senders, the payload
schema: the fund is never called) or ``fund`` (what only the fund checks: the business signature of the channel, the
channel and its sender). Either way the sender gets its SCE code and the fund stores nothing, queues nothing. The
parser and schema cases of scenarios/hostile_inputs.py are sent to both services too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest
from lxml import etree

from adapters.pki import Credential, PkiLayout
from adapters.shep import Payload, RequestInfo, build_request, parse_fault
from adapters.shep.envelope import parse_response
from adapters.shep.provider import SignedSoapEndpoint
from adapters.shep.replay_guard import ReplayGuard
from adapters.shep.spyne_provider import sync_channel_application
from adapters.signatures import sign_document, sign_envelope, verify_envelope
from adapters.xml import parse_xml, to_bytes
from adapters.xml.parser import DEFAULT_MAX_BYTES
from contracts import job_loss_payment as contract
from contracts.job_loss_payment_model import Channel, PaymentApplication, StatusQuery
from ecosystem.catalogue import system
from ecosystem.settings import Settings
from gateway.channels.context import ChannelContext
from gateway.channels.sync import SyncChannel
from gateway.delivery import ProviderLink
from gateway.journal import Journal
from gateway.registry import ServiceRegistry
from mocks.nca.authority import CertificateAuthority, PersonName
from mocks.social_fund.adapters.storage import FundStore
from mocks.social_fund.entrypoints.job_loss_intake import JobLossIntake
from mocks.social_fund.service_layer.services import FundServices
from scenarios.hostile_inputs import CASES as PARSER_AND_SCHEMA_CASES
from tests.social_fund.conftest import IIN, application
from tests.social_fund.examples import assigned

FUND_URL = "http://social-fund.test/bip-sync/"
# sender id -> the system whose certificate signs its envelopes
SYSTEMS = {
    "EGOV_PORTAL": "portal",
    "GK_IIS": "state_corp",
    "ENBEK_LABOUR_MARKET": "employment",
    "MIO_EMPLOYMENT": "local_authority",
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)  # signatures are checked against the certificates' real validity


@pytest.fixture(scope="module")
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


@pytest.fixture(scope="module")
def applicant(layout: PkiLayout) -> Credential:
    issuing = CertificateAuthority(layout.load_credential(layout.issuing_ca))
    return issuing.issue_person(IIN, PersonName("Ахметова", "Айгерим", "Серикқызы"), _now())


@dataclasses.dataclass
class Counted:
    """The fund's endpoint, counting the requests the gateway forwarded to it."""

    endpoint: SignedSoapEndpoint
    calls: int = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        self.calls += 1
        return self.endpoint(environ, start_response)


@pytest.fixture
def fund(services: FundServices, layout: PkiLayout) -> Counted:
    intake = JobLossIntake(
        services, layout.trust_store(), _now, DEFAULT_MAX_BYTES, system("state_corp").bin, system("employment").bin
    )
    return Counted(
        SignedSoapEndpoint(
            sync_channel_application("SocialFund", intake, _now),
            credential=layout.load_credential(layout.system("social_fund")),
            trust=layout.trust_store(),
            gateway_bin=system("gateway").bin,
            now=_now,
            max_bytes=DEFAULT_MAX_BYTES,
            public_url=FUND_URL,
            replay_guard=ReplayGuard.at("sqlite://", _now, dt.timedelta(minutes=5)),
        )
    )


@pytest.fixture
def gateway(layout: PkiLayout, fund: Counted, tmp_path: Path) -> Iterator[tuple[SyncChannel, Journal]]:
    journal = Journal.at(f"sqlite:///{tmp_path / 'journal.sqlite'}")
    link = ProviderLink(timeout=10.0, transport=httpx.WSGITransport(app=fund))
    context = ChannelContext(
        registry=ServiceRegistry.from_file(ServiceRegistry.default_file()),
        journal=journal,
        credential=layout.load_credential(layout.system("gateway")),
        trust=layout.trust_store(),
        now=_now,
        provider_url=lambda service: FUND_URL,
        link=link,
        max_bytes=DEFAULT_MAX_BYTES,
    )
    yield SyncChannel(context), journal
    link.close()
    journal.dispose()


def _send(layout: PkiLayout, gateway: SyncChannel, service_id: str, sender: str, payload: Payload) -> tuple[int, Any]:
    """(HTTP status, the fault's ErrorInfo or the answer's payload), the answer verified as the gateway's."""
    info = RequestInfo(str(uuid.uuid4()), service_id, sender, _now(), correlation_id="h-1")
    signed = sign_envelope(build_request(info, payload), layout.load_credential(layout.system(SYSTEMS[sender])))
    answer = gateway.handle(to_bytes(signed))
    verified = verify_envelope(parse_xml(answer.body, max_bytes=16 * DEFAULT_MAX_BYTES), layout.trust_store(), _now())
    assert verified.signer.bin == system("gateway").bin
    fault = parse_fault(verified.signed_body)
    if fault is not None:
        return answer.status, fault
    return answer.status, parse_response(verified.signed_body)[1]


def _value(channel: Channel = Channel.PORTAL) -> PaymentApplication:
    return application("APP-1", channel).application


def _signed(element: etree._Element, credential: Credential) -> Payload:
    return Payload(text=etree.tostring(sign_document(element, credential), encoding="unicode"))


def _with(element: etree._Element, path: str, text: str) -> etree._Element:
    found = element.find(path)
    assert found is not None
    found.text = text
    return element


def _application(applicant: Credential, path: str | None = None, text: str = "") -> Payload:
    element = contract.write_application(_value())
    return _signed(_with(element, path, text) if path else element, applicant)


def _decision_with_gross(gross: str) -> Payload:
    element = contract.write_decision(assigned())
    return Payload(element=_with(element, "payment/gross", gross))


Stop = Literal["gateway", "fund"]
Build = Callable[[PkiLayout, Credential], Payload]
HOSTILE: list[tuple[str, str, str, Build, str, Stop]] = [
    (
        "not XML",
        contract.APPLICATION_SERVICE,
        "EGOV_PORTAL",
        lambda _l, _a: Payload(text="<paymentApplication"),
        "SCE001",
        "gateway",
    ),
    (
        "an entity expansion",
        contract.APPLICATION_SERVICE,
        "EGOV_PORTAL",
        lambda _l, _a: Payload(text='<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;&b;</x>'),
        "SCE001",
        "gateway",
    ),
    (
        "an external entity",
        contract.APPLICATION_SERVICE,
        "EGOV_PORTAL",
        lambda _l, _a: Payload(text='<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'),
        "SCE001",
        "gateway",
    ),
    (
        "oversized (a 1.1 MB text)",
        contract.APPLICATION_SERVICE,
        "EGOV_PORTAL",
        lambda _l, _a: Payload(text="<x>" + "a" * 1_100_000 + "</x>"),
        "SCE001",
        "gateway",
    ),
    (
        "a bad IBAN",
        contract.APPLICATION_SERVICE,
        "EGOV_PORTAL",
        lambda _l, a: _application(a, "bankAccount", "KZ86-125KZT5004100100"),
        "SCE001",
        "gateway",
    ),
    (
        "an unknown channel",
        contract.APPLICATION_SERVICE,
        "EGOV_PORTAL",
        lambda _l, a: _application(a, "channel", "POST_OFFICE"),
        "SCE001",
        "gateway",
    ),
    (
        "an amount with 3 decimals (a decision pushed to the result service)",
        contract.RESULT_SERVICE,
        "GK_IIS",
        lambda _l, _a: _decision_with_gross("121500.001"),
        "SCE001",
        "gateway",
    ),
    (
        "a status query with a hostile id",
        contract.RESULT_SERVICE,
        "GK_IIS",
        lambda _l, _a: Payload(element=contract.write_status_query(StatusQuery("APP-1' OR '1'='1"))),
        "SCE001",
        "gateway",
    ),
    (
        "a sender not allowed (the local authority)",
        contract.APPLICATION_SERVICE,
        "MIO_EMPLOYMENT",
        lambda _l, a: _application(a),
        "SCE003",
        "gateway",
    ),
    (
        "a sender not allowed asking a result",
        contract.RESULT_SERVICE,
        "MIO_EMPLOYMENT",
        lambda _l, _a: Payload(element=contract.write_status_query(StatusQuery("APP-1"))),
        "SCE003",
        "gateway",
    ),
    (
        "a well-formed decision pushed to the result service",
        contract.RESULT_SERVICE,
        "GK_IIS",
        lambda _l, _a: _decision_with_gross("121500.00"),
        "SCE001",
        "fund",
    ),
    (
        "the department channel over the gateway",
        contract.APPLICATION_SERVICE,
        "EGOV_PORTAL",
        lambda _l, a: _signed(contract.write_application(dataclasses.replace(_value(), channel=Channel.DEPARTMENT)), a),
        "SCE001",
        "fund",
    ),
    (
        "unsigned",
        contract.APPLICATION_SERVICE,
        "EGOV_PORTAL",
        lambda _l, _a: Payload(text=etree.tostring(contract.write_application(_value()), encoding="unicode")),
        "SCE017",
        "fund",
    ),
    (
        "a State Corporation application signed by the citizen",
        contract.APPLICATION_SERVICE,
        "GK_IIS",
        lambda _l, a: _signed(contract.write_application(_value(Channel.STATE_CORPORATION)), a),
        "SCE016",
        "fund",
    ),
    (
        "a portal application relayed by the State Corporation",
        contract.APPLICATION_SERVICE,
        "GK_IIS",
        lambda _l, a: _application(a),
        "SCE003",
        "fund",
    ),
    *(
        (
            f"{case.name} ({service})",
            service,
            "GK_IIS",
            lambda _l, _a, case=case: Payload(element=case.build()),
            "SCE001",
            "gateway",
        )
        for case in PARSER_AND_SCHEMA_CASES
        for service in (contract.APPLICATION_SERVICE, contract.RESULT_SERVICE)
    ),
]


@pytest.mark.parametrize(
    ("name", "service_id", "sender", "build", "code", "stopped_by"), HOSTILE, ids=[case[0] for case in HOSTILE]
)
def test_a_hostile_input_gets_its_code_and_changes_nothing(
    layout: PkiLayout,
    applicant: Credential,
    gateway: tuple[SyncChannel, Journal],
    fund: Counted,
    store: FundStore,
    name: str,
    service_id: str,
    sender: str,
    build: Build,
    code: str,
    stopped_by: Stop,
) -> None:
    channel, journal = gateway
    status, fault = _send(layout, channel, service_id, sender, build(layout, applicant))
    assert status == 500 and fault.code == code, fault
    assert fund.calls == (1 if stopped_by == "fund" else 0)
    events = [entry["event"] for entry in journal.entries()]
    assert events == (["provider-fault", "received"] if stopped_by == "fund" else ["rejected"])
    assert store.applications() == [] and store.outbox.messages() == []


def test_the_chain_carries_a_good_application_and_its_status(
    layout: PkiLayout, applicant: Credential, gateway: tuple[SyncChannel, Journal], fund: Counted, store: FundStore
) -> None:
    """The same pipeline lets the applicant's own application through: the refusals above are the inputs' own."""
    channel, _ = gateway
    status, payload = _send(layout, channel, contract.APPLICATION_SERVICE, "EGOV_PORTAL", _application(applicant))
    assert status == 200
    receipt = contract.read_receipt(payload.document())
    assert receipt.application_id == "APP-1" and not receipt.already_registered
    status, payload = _send(
        layout,
        channel,
        contract.RESULT_SERVICE,
        "GK_IIS",
        Payload(element=contract.write_status_query(StatusQuery("APP-1"))),
    )
    answer = contract.read_status(payload.document())
    assert status == 200 and answer.found and answer.deadline == receipt.deadline
    assert fund.calls == 2 and [a.application_id for a in store.applications()] == ["APP-1"]
