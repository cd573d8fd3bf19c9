"""The gateway's schemas: compiled by libxml2 from local files when the gateway starts, meaning what the
contracts mean (checked against xmlschema on the example payloads and broken copies of them), safe to use
from many threads at once, and the schema files served by name only."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import respx
import xmlschema
from lxml import etree

from adapters.pki import PkiLayout
from adapters.shep import Payload, RequestInfo, build_request, build_response, parse_fault
from adapters.shep.envelope import ResponseInfo
from adapters.signatures import sign_envelope, verify_envelope
from adapters.xml import CompiledSchema, parse_xml, to_bytes
from adapters.xml.schema import SchemaLoadError
from ecosystem.settings import Settings
from gateway.app import create_app
from gateway.payload_schemas import ASYNC_ENVELOPE_SCHEMA, ENVELOPE_SCHEMA, GatewaySchemas
from gateway.registry import ServiceRegistry
from wsdl import contract_path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payloads"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
FIXTURE_SCHEMA = {
    "gbdfl-request.xml": "xsd/gbdfl-message.xsd",
    "gbdfl-response.xml": "xsd/gbdfl-message.xsd",
    "gbdfl-response-statuses.xml": "xsd/gbdfl-message.xsd",
    "job-seeker-form.xml": "xsd/job-seeker-registration.xsd",
    "contributions-request.xml": "xsd/gfss-contributions.xsd",
    "contributions-response.xml": "xsd/gfss-contributions.xsd",
    "local-authority-package.xml": "xsd/local-authority.xsd",
    "local-authority-decision.xml": "xsd/local-authority.xsd",
}


def _signature(root: etree._Element, *, broken: bool = False) -> etree._Element:
    """Append a structurally complete (not cryptographically valid) enveloped ds:Signature."""

    def ds(parent: etree._Element, local: str, text: str | None = None, **attrs: str) -> etree._Element:
        element = etree.SubElement(parent, f"{{{DS_NS}}}{local}", attrs)
        element.text = text
        return element

    signature = ds(root, "Signature")
    if broken:
        ds(signature, "SignatureValue", "AAAA")  # SignedInfo missing
        return root
    signed_info = ds(signature, "SignedInfo")
    ds(signed_info, "CanonicalizationMethod", Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315")
    ds(signed_info, "SignatureMethod", Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")
    reference = ds(signed_info, "Reference", URI="")
    ds(ds(reference, "Transforms"), "Transform", Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature")
    ds(reference, "DigestMethod", Algorithm="http://www.w3.org/2001/04/xmlenc#sha256")
    ds(reference, "DigestValue", "AAAA")
    ds(signature, "SignatureValue", "AAAA")
    return root


def _variants(root: etree._Element) -> dict[str, etree._Element]:
    """The example, and copies of it: signed, with a broken signature, an unknown attribute, an unknown
    element, and without its first child."""
    variants = {"as-is": root, "signed": _signature(copy.deepcopy(root))}
    variants["broken-signature"] = _signature(copy.deepcopy(root), broken=True)
    variants["unknown-attribute"] = copy.deepcopy(root)
    variants["unknown-attribute"].set("unexpected", "1")
    variants["unknown-element"] = copy.deepcopy(root)
    etree.SubElement(variants["unknown-element"], "unexpected")
    variants["first-child-missing"] = copy.deepcopy(root)
    variants["first-child-missing"].remove(variants["first-child-missing"][0])
    return variants


@pytest.fixture(scope="module")
def schemas() -> GatewaySchemas:
    return GatewaySchemas.build(ServiceRegistry.from_file(ServiceRegistry.default_file()))


def test_the_envelope_and_every_payload_schema_of_the_register_are_compiled_at_once(schemas: GatewaySchemas) -> None:
    register = ServiceRegistry.from_file(ServiceRegistry.default_file())
    payloads = {s.payload_schema for s in register.services() if s.payload_schema}
    assert schemas.names() == {ENVELOPE_SCHEMA, ASYNC_ENVELOPE_SCHEMA} | payloads


@pytest.mark.parametrize("fixture", sorted(FIXTURE_SCHEMA))
def test_libxml2_agrees_with_xmlschema_on_the_examples_and_broken_copies(fixture: str) -> None:
    name = FIXTURE_SCHEMA[fixture]
    reference = xmlschema.XMLSchema(str(contract_path(name)))
    compiled = CompiledSchema.load(contract_path(name), companions=[contract_path("xsd/xmldsig-core-schema.xsd")])
    for variant, element in _variants(etree.parse(str(FIXTURES / fixture)).getroot()).items():
        assert compiled.check(element).valid == reference.is_valid(element), f"{fixture} {variant}"
    assert compiled.check(_signature(etree.parse(str(FIXTURES / fixture)).getroot(), broken=True)).error


def test_a_schema_importing_anything_not_local_is_not_compiled(tmp_path: Path) -> None:
    schema = tmp_path / "remote.xsd"
    schema.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:a">'
        '<xs:import namespace="urn:b" schemaLocation="http://example.invalid/b.xsd"/></xs:schema>'
    )
    with pytest.raises(SchemaLoadError, match=r"cannot compile remote\.xsd"):
        CompiledSchema.load(schema)


def test_a_check_stops_at_the_first_violation() -> None:
    compiled = CompiledSchema.load(contract_path("xsd/gbdfl-message.xsd"))
    root = etree.parse(str(FIXTURES / "gbdfl-request.xml")).getroot()
    for _ in range(5_000):
        etree.SubElement(root, "unexpected", a="1", b="2")
    check = compiled.check(root)
    assert check.error is not None and "unexpected" in check.error
    assert check.elements_read <= len(etree.parse(str(FIXTURES / "gbdfl-request.xml")).getroot()) + 2


def test_threads_checking_at_once_on_fresh_schemas_all_get_the_right_answer() -> None:
    schemas = GatewaySchemas.build(ServiceRegistry.from_file(ServiceRegistry.default_file()))
    valid = _signature(etree.parse(str(FIXTURES / "job-seeker-form.xml")).getroot())
    broken = _signature(etree.parse(str(FIXTURES / "job-seeker-form.xml")).getroot(), broken=True)
    start = threading.Barrier(8)

    def check(number: int) -> str:
        start.wait()
        payload = Payload(element=broken if number % 2 else valid)
        try:
            schemas.validate_payload(payload, "xsd/job-seeker-registration.xsd", 1_048_576)
        except Exception as exc:
            return f"{type(exc).__name__}: {getattr(exc, 'code', '')}"
        return "valid"

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(check, range(64)))
    assert outcomes == ["valid" if n % 2 == 0 else "GatewayError: ErrorCode.MALFORMED" for n in range(64)]


def _form_message(layout: PkiLayout) -> bytes:
    form = _signature(etree.parse(str(FIXTURES / "job-seeker-form.xml")).getroot())
    info = RequestInfo(str(uuid.uuid4()), "ENBEK_JobSeekerRegistration", "EGOV_PORTAL", dt.datetime.now(dt.UTC))
    envelope = build_request(info, Payload(element=form))
    return to_bytes(sign_envelope(envelope, layout.load_credential(layout.system("portal"))))


def _post_all(app: object, path: str, bodies: list[bytes]) -> list[httpx.Response]:
    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
            return list(await asyncio.gather(*(client.post(path, content=body) for body in bodies)))

    return asyncio.run(run())


@respx.mock
def test_the_first_concurrent_messages_to_a_fresh_gateway_are_all_validated(pki_settings: Settings) -> None:
    """The first messages after a start arrive together, each on its own worker thread."""
    layout = PkiLayout(pki_settings.data_dir)
    answer = build_response(ResponseInfo("r-1", dt.datetime.now(dt.UTC), "c-1"), Payload(text="<accepted/>"))
    signed_answer = to_bytes(sign_envelope(answer, layout.load_credential(layout.system("employment"))))
    respx.post(f"{pki_settings.base_url('employment')}/bip-sync/").mock(
        return_value=httpx.Response(200, content=signed_answer)
    )
    app = create_app(pki_settings)
    replies = _post_all(app, "/bip-sync/", [_form_message(layout) for _ in range(12)])
    codes = []
    for reply in replies:
        verified = verify_envelope(parse_xml(reply.content), layout.trust_store(), dt.datetime.now(dt.UTC))
        fault = parse_fault(verified.signed_body)
        codes.append(fault.code if fault else reply.status_code)
    assert codes == [200] * 12


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("SyncChannel-types.xsd", 200),
        ("xmldsig-core-schema.xsd", 200),
        ("no-such.xsd", 404),
        ("..%2FSyncChannel.wsdl", 404),
        ("..%2F..%2Fgateway%2Fservices.yaml", 404),
        ("%2E%2E", 404),  # '..' itself (a client would fold a literal '..' away before sending)
    ],
)
def test_schemas_are_served_by_name_and_nothing_else_is(pki_settings: Settings, name: str, status: int) -> None:
    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(pki_settings))
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
            return await client.get(f"/bip-sync/xsd/{name}")

    reply = asyncio.run(get())
    assert reply.status_code == status
    if status == 200:
        assert reply.text.lstrip().startswith("<?xml")
