"""The gateway's metaservices (X-Road's listClients, listMethods, allowedMethods, getWsdl, and healthCheck)
over the SyncChannel, the caller being the signed sender, and as JSON under ``/meta``; and the gateway's
metrics: messages and faults by serviceId, sender and code, and the time of each pipeline step."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import uuid
from typing import Any

import httpx
import pytest
import respx
from lxml import etree

from adapters.pki import PkiLayout
from adapters.shep import Payload, RequestInfo, build_request, build_response, parse_fault, parse_response
from adapters.shep.envelope import ResponseInfo
from adapters.signatures import sign_envelope, verify_envelope
from adapters.xml import parse_xml, to_bytes
from ecosystem.settings import Settings
from egov_sim.launcher import build_app
from gateway.metaservices import META_NS, Metaservices
from gateway.registry import ServiceRegistry
from tests.unit.test_system_health_metrics import samples

M = f"{{{META_NS}}}"
ENBEK = "ENBEK_LABOUR_MARKET"


@pytest.fixture(scope="module")
def gateway(pki_settings: Settings) -> Any:
    return build_app(pki_settings, "gateway")


def _call(app: Any, method: str, path: str, content: bytes | None = None) -> httpx.Response:
    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
            return await client.request(method, path, content=content)

    return asyncio.run(run())


def _send(
    app: Any, layout: PkiLayout, service: str, *, sender: str = ENBEK, signer: str = "employment", data: Any = None
) -> httpx.Response:
    info = RequestInfo(str(uuid.uuid4()), service, sender, dt.datetime.now(dt.UTC), correlation_id="meta-1")
    envelope = build_request(info, Payload(element=data) if data is not None else Payload())
    signed = to_bytes(sign_envelope(envelope, layout.load_credential(layout.system(signer))))
    return _call(app, "POST", "/bip-sync/", signed)


def _answer(layout: PkiLayout, response: httpx.Response) -> etree._Element:
    assert response.status_code == 200, response.text[:500]
    verified = verify_envelope(parse_xml(response.content), layout.trust_store(), dt.datetime.now(dt.UTC))
    assert verified.signer.bin == "041140010011"  # answered and signed by the gateway itself
    _, payload = parse_response(verified.signed_body)
    assert payload.element is not None
    return payload.element


def _fault(layout: PkiLayout, response: httpx.Response) -> str:
    verified = verify_envelope(parse_xml(response.content), layout.trust_store(), dt.datetime.now(dt.UTC))
    fault = parse_fault(verified.signed_body)
    assert fault is not None
    return fault.code


def _allowed(registry: ServiceRegistry, sender: str) -> set[str]:
    return {s.service_id for s in registry.services() if sender in s.allowed}


def test_allowed_methods_over_soap_are_those_of_the_signed_sender(gateway: Any, pki_settings: Settings) -> None:
    layout = PkiLayout(pki_settings.data_dir)
    registry = ServiceRegistry.from_file(ServiceRegistry.default_file())
    answer = _answer(layout, _send(gateway, layout, "allowedMethods"))
    assert answer.tag == f"{M}allowedMethodsResponse"
    assert {s.findtext(f"{M}serviceId") for s in answer.iter(f"{M}service")} == _allowed(registry, ENBEK)
    portal = _answer(layout, _send(gateway, layout, "allowedMethods", sender="EGOV_PORTAL", signer="portal"))
    assert {s.findtext(f"{M}serviceId") for s in portal.iter(f"{M}service")} == _allowed(registry, "EGOV_PORTAL")
    assert _allowed(registry, "EGOV_PORTAL") != _allowed(registry, ENBEK)
    listed = _answer(layout, _send(gateway, layout, "listMethods"))
    assert len(list(listed.iter(f"{M}service"))) == len(registry.services())
    clients = _answer(layout, _send(gateway, layout, "listClients"))
    assert ENBEK in {c.findtext(f"{M}senderId") for c in clients.iter(f"{M}client")}


def test_a_metaservice_caller_must_sign_as_itself(gateway: Any, pki_settings: Settings) -> None:
    layout = PkiLayout(pki_settings.data_dir)
    assert _fault(layout, _send(gateway, layout, "allowedMethods", signer="portal")) == "SCE002"


def test_get_wsdl_over_soap_carries_the_wsdl_and_the_payload_schemas(gateway: Any, pki_settings: Settings) -> None:
    layout = PkiLayout(pki_settings.data_dir)
    request = etree.Element(f"{M}getWsdl", nsmap={"meta": META_NS})
    etree.SubElement(request, f"{M}serviceCode").text = "GBDFL_UniversalServiceSync"
    answer = _answer(layout, _send(gateway, layout, "getWsdl", data=request))
    wsdl = answer.find(f"{M}wsdl")
    assert wsdl is not None and wsdl.get("name") == "SyncChannel.wsdl"
    assert etree.fromstring((wsdl.text or "").encode()).tag == "{http://schemas.xmlsoap.org/wsdl/}definitions"
    names = [x.get("name") for x in answer.iter(f"{M}xsd")]
    assert names[0] == "xsd/gbdfl-message.xsd" and len(names) > 1  # with what it includes
    unknown = etree.Element(f"{M}getWsdl", nsmap={"meta": META_NS})
    etree.SubElement(unknown, f"{M}serviceCode").text = "NO_SUCH_SERVICE"
    assert _fault(layout, _send(gateway, layout, "getWsdl", data=unknown)) == "SCE004"
    assert _fault(layout, _send(gateway, layout, "getWsdl")) == "SCE001"


def test_health_check_over_soap(gateway: Any, pki_settings: Settings) -> None:
    layout = PkiLayout(pki_settings.data_dir)
    answer = _answer(layout, _send(gateway, layout, "healthCheck"))
    assert answer.findtext(f"{M}status") == "ready"
    assert {c.get("name") for c in answer.iter(f"{M}check")} >= {"database:gateway", "pki:crl"}


def test_metaservices_over_http(gateway: Any, pki_settings: Settings) -> None:
    registry = ServiceRegistry.from_file(ServiceRegistry.default_file())
    mine = _call(gateway, "GET", f"/meta/services?sender={ENBEK}")
    assert {s["serviceId"] for s in mine.json()} == _allowed(registry, ENBEK)
    assert _call(gateway, "GET", "/meta/services?sender=NOBODY").status_code == 404
    assert len(_call(gateway, "GET", "/meta/services").json()) == len(registry.services())
    one = _call(gateway, "GET", "/meta/services/GBDFL_UniversalServiceSync").json()
    assert one["wsdl"] == "SyncChannel.wsdl" and one["xsd"][0] == "xsd/gbdfl-message.xsd"
    wsdl = _call(gateway, "GET", "/meta/services/GBDFL_UniversalServiceSync/wsdl")
    assert b"definitions" in wsdl.content and pki_settings.gateway_sync_url.encode() in wsdl.content
    xsd = _call(gateway, "GET", "/meta/services/GBDFL_UniversalServiceSync/xsd")
    assert etree.fromstring(xsd.content).tag == "{http://www.w3.org/2001/XMLSchema}schema"
    assert _call(gateway, "GET", "/meta/services/MONITORING_StageReport/wsdl").status_code == 404  # REST
    assert _call(gateway, "GET", "/meta/services/NOPE/xsd").status_code == 404
    assert _call(gateway, "GET", "/meta/health").json()["status"] == "ready"
    assert ENBEK in {c["senderId"] for c in _call(gateway, "GET", "/meta/clients").json()}


def test_a_register_service_cannot_take_a_metaservice_id() -> None:
    registry = ServiceRegistry.from_file(ServiceRegistry.default_file())
    clash = registry.services()[0]
    renamed = dataclasses.replace(clash, service_id="listMethods")
    with pytest.raises(ValueError, match="reserved"):
        Metaservices(ServiceRegistry({p.sender_id: p for p in registry.participants()}, {"listMethods": renamed}), "X")


@respx.mock
def test_gateway_metrics_count_by_service_sender_and_code_and_time_each_step(
    gateway: Any, pki_settings: Settings
) -> None:
    layout = PkiLayout(pki_settings.data_dir)
    provider = pki_settings.base_url("person_registry") + "/bip-sync/"
    reply = build_response(ResponseInfo("r-1", dt.datetime.now(dt.UTC), "meta-1"), Payload(element=etree.Element("ok")))
    signed_reply = to_bytes(sign_envelope(reply, layout.load_credential(layout.system("person_registry"))))
    respx.post(provider).mock(return_value=httpx.Response(200, content=signed_reply))
    request = etree.fromstring(
        '<m:request xmlns:m="http://message.persistence.interactive.nat"><messageId>1</messageId>'
        "<messageDate>2026-11-23T10:00:00+05:00</messageDate><senderCode>ENBEK</senderCode>"
        "<iin>920314403019</iin></m:request>"
    )
    before = samples(_call(gateway, "GET", "/metrics").text, "egov_gateway_messages_total")
    ok = _send(gateway, layout, "GBDFL_UniversalServiceSync", data=request)
    assert ok.status_code == 200, ok.text[:400]
    refused = _send(gateway, layout, "GBDFL_UniversalServiceSync", sender="GFSS", signer="social_fund", data=request)
    assert _fault(layout, refused) == "SCE003"
    _send(gateway, layout, "INVENTED_" + uuid.uuid4().hex, data=request)  # a hostile id is no label value
    text = _call(gateway, "GET", "/metrics").text
    messages = samples(text, "egov_gateway_messages_total")
    key = (("channel", "sync"), ("code", "SCSS001"), ("sender", ENBEK), ("service_id", "GBDFL_UniversalServiceSync"))
    assert messages[key] - before.get(key, 0) == 1
    fault_key = (
        ("channel", "sync"),
        ("code", "SCE003"),
        ("sender", "GFSS"),
        ("service_id", "GBDFL_UniversalServiceSync"),
    )
    assert samples(text, "egov_gateway_faults_total")[fault_key] >= 1
    assert not any("INVENTED_" in value for labels in messages for _, value in labels)
    assert (("channel", "sync"), ("code", "SCE004"), ("sender", ENBEK), ("service_id", "<unknown>")) in messages
    steps = samples(text, "egov_gateway_step_seconds_count")
    for step in ("parse", "verify", "authorise", "validate", "journal", "sign", "forward"):
        assert steps[(("channel", "sync"), ("step", step))] >= 1, step
