"""EGOV_CabinetDocument: the portal keeps a signed document for a citizen's cabinet only when its signature
verifies, its signer is an official of the sending organisation, it matches its schema and is the document
the envelope announces; anything else is refused with its code and changes nothing. The same delivery twice
keeps one document. Through the portal's SOAP endpoint (gateway-signed, in process) and its cabinet API."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from adapters.pki import PkiLayout
from adapters.shep import ErrorCode, Payload, parse_fault
from adapters.shep.envelope import parse_response
from adapters.signatures import verify_envelope
from adapters.signed_documents import sign_register_document, sign_to_text
from adapters.xml import parse_xml
from contracts import register_documents as rd
from contracts.cabinet_delivery import (
    CabinetDelivery,
    Issuer,
    read_cabinet_receipt,
    write_cabinet_delivery,
)
from contracts.schemas import schema_errors
from ecosystem.catalogue import official, system
from ecosystem.settings import Settings
from employment.adapters.register_documents import RegisterDocumentSigner
from kernel.clock import FixedClock, almaty
from mocks.portal.app import create_app
from mocks.portal.auth import DEMO_PASSWORD
from mocks.portal.cabinet import CabinetDeliveryRefused, CabinetDocuments, Issuers
from mocks.portal.document_kinds import DocumentVerifier
from mocks.portal.storage import CitizenRow, PortalStore
from tests.contracts.register_samples import PERSON, samples
from tests.portal_fakes import AppClient, FakeAddressRegistry, gateway_signed, post_soap
from tests.portal_fakes import cabinet_envelope as envelope

NOW = dt.datetime(2026, 12, 11, 12, 0, tzinfo=almaty())
CENTRE = system("employment")
SENDER = CENTRE.sender_id
DIRECTOR = official("employment-director")
SAMPLES = samples()
OTHER_IIN = "850902305172"


@pytest.fixture(scope="module")
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


@pytest.fixture(scope="module")
def signer(layout: PkiLayout) -> RegisterDocumentSigner:
    return RegisterDocumentSigner(DIRECTOR, layout.load_credential(layout.official(DIRECTOR.role)))


@dataclasses.dataclass
class Cabinet:
    store: PortalStore
    documents: CabinetDocuments

    def kept(self) -> int:
        return len(self.store.cabinet_documents_of(PERSON.iin)) + len(self.store.cabinet_documents_of(OTHER_IIN))


def make_cabinet(layout: PkiLayout, tmp_path: Path, *, max_bytes: int = 1_048_576) -> Cabinet:
    store = PortalStore.at(f"sqlite:///{tmp_path / 'portal.sqlite'}")
    store.add_citizens([CitizenRow(iin=iin, full_name=iin, password_hash="-") for iin in (PERSON.iin, OTHER_IIN)])
    clock = FixedClock(NOW)
    verifier = DocumentVerifier(layout.trust_store(), clock.now, max_bytes=max_bytes)
    issuers = Issuers({SENDER: CENTRE.bin, "GK_IIS": system("state_corp").bin})
    return Cabinet(store, CabinetDocuments(store, verifier, issuers, clock.now, max_bytes=max_bytes))


@pytest.fixture
def cabinet(layout: PkiLayout, tmp_path: Path) -> Cabinet:
    return make_cabinet(layout, tmp_path)


@pytest.mark.parametrize(
    "kind", [kind for kind in rd.RegisterKind if kind is not rd.RegisterKind.CERTIFICATE_APPLICATION]
)
def test_each_centre_document_is_kept_once(
    kind: rd.RegisterKind, cabinet: Cabinet, signer: RegisterDocumentSigner
) -> None:
    delivery = signer.signed_delivery(SAMPLES[kind])

    first = cabinet.documents.receive(SENDER, envelope(delivery))
    again = cabinet.documents.receive(SENDER, envelope(delivery))

    assert not first.already_delivered and again.already_delivered
    assert (again.cabinet_document_id, again.received_at) == (first.cabinet_document_id, first.received_at)
    [kept] = cabinet.documents.documents_of(PERSON.iin)
    assert (kept.id, kept.kind, kept.document_number) == (
        first.cabinet_document_id,
        kind.value,
        delivery.document_number,
    )
    assert kept.document == delivery.signed_document  # byte for byte, as signed
    assert (kept.issuer_id, kept.signer_iin, kept.sender_id, kept.source) == (
        CENTRE.bin,
        DIRECTOR.iin,
        SENDER,
        "delivery",
    )
    assert cabinet.documents.documents_of(OTHER_IIN) == []


def test_another_document_under_a_number_kept_already_is_refused(
    cabinet: Cabinet, signer: RegisterDocumentSigner
) -> None:
    document = SAMPLES[rd.RegisterKind.DEREGISTERED]
    cabinet.documents.receive(SENDER, envelope(signer.signed_delivery(document)))
    changed = dataclasses.replace(document, deregistered_on=dt.date(2026, 12, 9))

    with pytest.raises(CabinetDeliveryRefused, match="kept already for another document") as refused:
        cabinet.documents.receive(SENDER, envelope(signer.signed_delivery(changed)))

    assert refused.value.code is ErrorCode.MALFORMED
    [kept] = cabinet.documents.documents_of(PERSON.iin)
    assert "2026-12-10" in kept.document


# ---- refusals: each with its code, none changing anything ----------------------------------------


Change = Callable[[CabinetDelivery, PkiLayout, RegisterDocumentSigner], tuple[str, Payload]]


def _certificate(signer: RegisterDocumentSigner) -> CabinetDelivery:
    return signer.signed_delivery(SAMPLES[rd.RegisterKind.CERTIFICATE])


def signed_by(role_or_iin: str) -> Change:
    def change(delivery: CabinetDelivery, layout: PkiLayout, _: RegisterDocumentSigner) -> tuple[str, Payload]:
        base = layout.official(role_or_iin) if not role_or_iin.isdigit() else layout.person(role_or_iin)
        text = sign_register_document(SAMPLES[rd.RegisterKind.CERTIFICATE], layout.load_credential(base))
        return SENDER, envelope(dataclasses.replace(delivery, signed_document=text))

    return change


def envelope_with(**fields: object) -> Change:
    def change(delivery: CabinetDelivery, _: PkiLayout, __: RegisterDocumentSigner) -> tuple[str, Payload]:
        return SENDER, envelope(dataclasses.replace(delivery, **fields))  # type: ignore[arg-type]

    return change


def unsigned(delivery: CabinetDelivery, _: PkiLayout, __: RegisterDocumentSigner) -> tuple[str, Payload]:
    text = etree.tostring(rd.write_register_document(SAMPLES[rd.RegisterKind.CERTIFICATE]), encoding="unicode")
    return SENDER, envelope(dataclasses.replace(delivery, signed_document=text))


def tampered(delivery: CabinetDelivery, _: PkiLayout, __: RegisterDocumentSigner) -> tuple[str, Payload]:
    text = delivery.signed_document.replace("2026-12-26", "2027-12-26")
    return SENDER, envelope(dataclasses.replace(delivery, signed_document=text))


def from_sender(sender: str) -> Change:
    def change(delivery: CabinetDelivery, _: PkiLayout, __: RegisterDocumentSigner) -> tuple[str, Payload]:
        return sender, envelope(delivery)

    return change


def raw(text: str) -> Change:
    def change(_: CabinetDelivery, __: PkiLayout, ___: RegisterDocumentSigner) -> tuple[str, Payload]:
        return SENDER, Payload(text=text)

    return change


def without_issuer(delivery: CabinetDelivery, _: PkiLayout, __: RegisterDocumentSigner) -> tuple[str, Payload]:
    element = write_cabinet_delivery(delivery)
    issuer = element.find("issuer")
    assert issuer is not None
    element.remove(issuer)
    return SENDER, Payload(element=element)


def applicants_own_application(
    delivery: CabinetDelivery, layout: PkiLayout, signer: RegisterDocumentSigner
) -> tuple[str, Payload]:
    application = SAMPLES[rd.RegisterKind.CERTIFICATE_APPLICATION]
    text = sign_register_document(application, layout.load_credential(layout.official(DIRECTOR.role)))
    return SENDER, envelope(
        CabinetDelivery(PERSON.iin, "certificate-application", application.document_number, signer.issuer, text)
    )


def off_schema(delivery: CabinetDelivery, layout: PkiLayout, _: RegisterDocumentSigner) -> tuple[str, Payload]:
    element = rd.write_register_document(SAMPLES[rd.RegisterKind.CERTIFICATE])
    valid_until = element.find("validUntil")
    assert valid_until is not None
    element.remove(valid_until)
    text = sign_to_text(element, layout.load_credential(layout.official(DIRECTOR.role)))
    return SENDER, envelope(dataclasses.replace(delivery, signed_document=text))


@pytest.mark.parametrize(
    ("change", "code", "words"),
    [
        (signed_by("state-corp-operator"), ErrorCode.BUSINESS_SIGNATURE_INVALID, "not by an official of"),
        (signed_by(PERSON.iin), ErrorCode.BUSINESS_SIGNATURE_INVALID, "not by an official of"),
        (unsigned, ErrorCode.BUSINESS_DATA_NOT_SIGNED, "not signed"),
        (tampered, ErrorCode.BUSINESS_SIGNATURE_INVALID, "does not verify"),
        (from_sender("GFSS"), ErrorCode.ACCESS_DENIED, "not by GFSS"),
        (from_sender("GK_IIS"), ErrorCode.ACCESS_DENIED, "its own documents only"),
        (envelope_with(issuer=Issuer(system("state_corp").bin, "x")), ErrorCode.ACCESS_DENIED, "its own documents"),
        (raw("<lmr:cabinetDocumentDelivery"), ErrorCode.MALFORMED, "not acceptable XML"),
        (raw('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'), ErrorCode.MALFORMED, "DOCTYPE"),
        (without_issuer, ErrorCode.MALFORMED, "does not match"),
        (envelope_with(signed_document="not xml at all"), ErrorCode.MALFORMED, "not acceptable XML"),
        (envelope_with(recipient_iin="990101300011"), ErrorCode.MALFORMED, "no citizen"),
        (envelope_with(recipient_iin=OTHER_IIN), ErrorCode.MALFORMED, "the envelope announces"),
        (envelope_with(document_kind="deregistered"), ErrorCode.MALFORMED, "the envelope announces"),
        (envelope_with(document_number="CE-OTHER"), ErrorCode.MALFORMED, "the envelope announces"),
        (applicants_own_application, ErrorCode.MALFORMED, "not a document expected here"),
        (off_schema, ErrorCode.MALFORMED, "does not match"),
    ],
)
def test_a_refused_delivery_changes_nothing(
    change: Change, code: ErrorCode, words: str, cabinet: Cabinet, layout: PkiLayout, signer: RegisterDocumentSigner
) -> None:
    sender, payload = change(_certificate(signer), layout, signer)

    with pytest.raises(CabinetDeliveryRefused) as refused:
        cabinet.documents.receive(sender, payload)

    assert refused.value.code is code
    assert words in str(refused.value)
    assert cabinet.kept() == 0


def test_an_oversized_document_is_refused_before_it_is_read(
    layout: PkiLayout, tmp_path: Path, signer: RegisterDocumentSigner
) -> None:
    delivery = _certificate(signer)
    small = make_cabinet(layout, tmp_path, max_bytes=len(delivery.signed_document.encode()) - 1)

    with pytest.raises(CabinetDeliveryRefused, match="exceeds the limit") as refused:
        small.documents.receive(
            SENDER, Payload(text=etree.tostring(write_cabinet_delivery(delivery), encoding="unicode"))
        )

    assert refused.value.code is ErrorCode.MALFORMED and small.kept() == 0


# ---- through the portal's SOAP endpoint and its cabinet API ---------------------------------------


@pytest.fixture(scope="module")
def portal(pki_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> AppClient:
    folder = tmp_path_factory.mktemp("portal-cabinet")
    settings = pki_settings.model_copy(update={"database_url": f"sqlite:///{folder}/{{system}}.sqlite"})
    return AppClient(create_app(settings, person_registry=lambda: FakeAddressRegistry()))


def login(portal: AppClient, iin: str) -> dict[str, str]:
    token = portal.post("/api/auth/login", json={"iin": iin, "password": DEMO_PASSWORD}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_a_delivery_through_the_soap_endpoint_reaches_the_citizens_cabinet(
    portal: AppClient, layout: PkiLayout, signer: RegisterDocumentSigner
) -> None:
    delivery = signer.signed_delivery(SAMPLES[rd.RegisterKind.UNEMPLOYED_REGISTERED])

    answer = post_soap(portal, gateway_signed(layout, SENDER, envelope(delivery)))

    assert answer.status_code == 200, answer.text
    verified = verify_envelope(parse_xml(answer.content), layout.trust_store(), dt.datetime.now(dt.UTC))
    assert verified.signer.bin == system("portal").bin  # the portal signs its answer
    _, data = parse_response(verified.signed_body)
    receipt_element = data.document()
    assert schema_errors(receipt_element, rd.SCHEMA) == []
    receipt = read_cabinet_receipt(receipt_element)
    headers = login(portal, PERSON.iin)
    listing = portal.get("/api/cabinet/documents", headers=headers).json()
    [entry] = [item for item in listing if item["documentId"] == receipt.cabinet_document_id]
    assert entry["kind"] == "unemployed-registered" and entry["documentNumber"] == delivery.document_number
    assert entry["titleKk"] == "Жұмыссыз ретінде тіркеу туралы хабарлама"
    assert entry["issuer"] == {"id": CENTRE.bin, "name": CENTRE.organisation}
    assert entry["signedBy"]["iin"] == DIRECTOR.iin and entry["source"] == "delivery"
    assert entry["htmlUrl"] == f"/cabinet/documents/{receipt.cabinet_document_id}.html"
    detail = portal.get(f"/api/cabinet/documents/{receipt.cabinet_document_id}", headers=headers).json()
    assert detail["documentXml"] == delivery.signed_document
    other = login(portal, OTHER_IIN)
    assert portal.get(f"/api/cabinet/documents/{receipt.cabinet_document_id}", headers=other).status_code == 404
    assert receipt.cabinet_document_id not in [
        d["documentId"] for d in portal.get("/api/cabinet/documents", headers=other).json()
    ]
    assert portal.get("/api/cabinet/documents").status_code == 401


def test_a_refusal_through_the_soap_endpoint_is_a_signed_fault_with_its_code(
    portal: AppClient, layout: PkiLayout, signer: RegisterDocumentSigner
) -> None:
    headers = login(portal, PERSON.iin)
    before = portal.get("/api/cabinet/documents", headers=headers).json()
    operator = layout.load_credential(layout.official("state-corp-operator"))
    text = sign_register_document(SAMPLES[rd.RegisterKind.CERTIFICATE], operator)
    delivery = dataclasses.replace(_certificate(signer), signed_document=text)

    answer = post_soap(portal, gateway_signed(layout, SENDER, envelope(delivery)))

    assert answer.status_code == 500
    verified = verify_envelope(parse_xml(answer.content), layout.trust_store(), dt.datetime.now(dt.UTC))
    fault = parse_fault(verified.signed_body)
    assert fault is not None and fault.code == ErrorCode.BUSINESS_SIGNATURE_INVALID.value
    assert portal.get("/api/cabinet/documents", headers=headers).json() == before
