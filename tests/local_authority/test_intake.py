"""The authority's SyncChannel intake on its own, without the gateway in front of it: every hostile document is
refused with its SCE code and nothing is stored; a good one is stored once and answered with its receipt."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from lxml import etree

from adapters.pki import PkiLayout
from adapters.shep.envelope import Payload, RequestInfo
from adapters.shep.faults import ErrorCode
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from adapters.xml import CompiledSchema
from contracts import local_authority as la
from ecosystem.catalogue import system
from ecosystem.settings import Settings
from mocks.local_authority.adapters.storage import AuthorityStore
from mocks.local_authority.entrypoints.intake import Intake
from mocks.local_authority.service_layer.services import AuthorityServices
from mocks.population import PERSONA_JOB_SEEKER, PERSONA_STUDENT
from tests.local_authority import examples
from wsdl import contract_path


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)  # signatures are checked against the certificates' real validity


@pytest.fixture
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


@pytest.fixture
def intake(services: AuthorityServices, layout: PkiLayout) -> Intake:
    schema = CompiledSchema.load(contract_path(la.SCHEMA), companions=[contract_path("xsd/xmldsig-core-schema.xsd")])
    return Intake(services, layout.trust_store(), _now, 1_048_576, schema, system("employment").bin)


def _message(service_id: str, payload: Payload, sender: str = "ENBEK_LABOUR_MARKET") -> InboundMessage:
    info = RequestInfo(str(uuid.uuid4()), service_id, sender, _now(), correlation_id="corr-1")
    return InboundMessage(info=info, payload=payload, transport=None)  # type: ignore[arg-type]


def _signed(layout: PkiLayout, element: etree._Element, role: str = "employment-director") -> Payload:
    return Payload(text=examples.signed_text(element, layout.load_credential(layout.official(role))))


def _by_citizen(layout: PkiLayout, element: etree._Element, iin: str = PERSONA_JOB_SEEKER) -> Payload:
    return Payload(text=examples.signed_text(element, layout.load_credential(layout.person(iin))))


PACKAGE = la.write_registration_package(examples.package("C-7"))


def _without_case_id(layout: PkiLayout) -> Payload:
    element = la.write_registration_package(examples.package("C-7"))
    element.remove(element.find("caseId"))  # type: ignore[arg-type]
    return _signed(layout, element)


def _bad_iin(layout: PkiLayout) -> Payload:
    person = dataclasses.replace(examples.JOB_SEEKER, iin=PERSONA_JOB_SEEKER[:11] + "0")
    return _signed(layout, la.write_registration_package(examples.package("C-7", person)))


HOSTILE: list[tuple[str, str, Callable[[PkiLayout], Payload], ErrorCode]] = [
    ("no payload", la.UNEMPLOYED_REGISTRATION_SERVICE, lambda _l: Payload(), ErrorCode.BUSINESS_DATA_NOT_SIGNED),
    (
        "an element",
        la.UNEMPLOYED_REGISTRATION_SERVICE,
        lambda _l: Payload(element=PACKAGE),
        ErrorCode.BUSINESS_DATA_NOT_SIGNED,
    ),
    (
        "unsigned text",
        la.UNEMPLOYED_REGISTRATION_SERVICE,
        lambda _l: Payload(text=etree.tostring(PACKAGE, encoding="unicode")),
        ErrorCode.BUSINESS_DATA_NOT_SIGNED,
    ),
    (
        "signed by a citizen",
        la.UNEMPLOYED_REGISTRATION_SERVICE,
        lambda pki: _by_citizen(pki, PACKAGE),
        ErrorCode.BUSINESS_SIGNATURE_INVALID,
    ),
    (
        "signed by another organisation's official",
        la.UNEMPLOYED_REGISTRATION_SERVICE,
        lambda pki: _signed(pki, PACKAGE, "state-corp-operator"),
        ErrorCode.BUSINESS_SIGNATURE_INVALID,
    ),
    (
        "signed by the authority's own head",
        la.UNEMPLOYED_REGISTRATION_SERVICE,
        lambda pki: _signed(pki, PACKAGE, "local-authority-head"),
        ErrorCode.BUSINESS_SIGNATURE_INVALID,
    ),
    (
        "changed after signing",
        la.UNEMPLOYED_REGISTRATION_SERVICE,
        lambda pki: Payload(text=(_signed(pki, PACKAGE).text or "").replace("Жанар", "Жанна")),
        ErrorCode.BUSINESS_SIGNATURE_INVALID,
    ),
    ("not the schema", la.UNEMPLOYED_REGISTRATION_SERVICE, _without_case_id, ErrorCode.MALFORMED),
    ("another service's document", la.DEREGISTRATION_SERVICE, lambda pki: _signed(pki, PACKAGE), ErrorCode.MALFORMED),
    ("an invalid IIN", la.UNEMPLOYED_REGISTRATION_SERVICE, _bad_iin, ErrorCode.MALFORMED),
    ("not XML", la.UNEMPLOYED_REGISTRATION_SERVICE, lambda _l: Payload(text="<a><b></a>"), ErrorCode.MALFORMED),
    (
        "a DTD with entities",
        la.UNEMPLOYED_REGISTRATION_SERVICE,
        lambda _l: Payload(text='<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'),
        ErrorCode.MALFORMED,
    ),
    (
        "too large",
        la.UNEMPLOYED_REGISTRATION_SERVICE,
        lambda _l: Payload(text="<x>" + "a" * 1_100_000 + "</x>"),
        ErrorCode.MALFORMED,
    ),
    ("an unknown service", "MIO_Anything", lambda pki: _signed(pki, PACKAGE), ErrorCode.UNKNOWN_SERVICE),
    (
        "a complaint signed by someone else",
        la.COMPLAINT_SERVICE,
        lambda pki: _by_citizen(pki, la.write_complaint(examples.complaint()), PERSONA_STUDENT),
        ErrorCode.BUSINESS_SIGNATURE_INVALID,
    ),
]


@pytest.mark.parametrize(("name", "service_id", "build", "code"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_document_is_refused_with_its_code_and_nothing_is_stored(
    intake: Intake,
    store: AuthorityStore,
    layout: PkiLayout,
    name: str,
    service_id: str,
    build: Callable[[PkiLayout], Payload],
    code: ErrorCode,
) -> None:
    with pytest.raises(ProviderError) as refused:
        intake(_message(service_id, build(layout)))
    assert refused.value.code is code, str(refused.value)
    assert store.cases() == [] and store.complaints() == []
    assert store.outbox.messages() == []


def _receipt(payload: Payload) -> la.Receipt:
    assert payload.element is not None
    return la.read_receipt(payload.element)


def test_a_signed_package_is_stored_once_and_answered_with_the_same_receipt(
    intake: Intake, store: AuthorityStore, layout: PkiLayout
) -> None:
    payload = _signed(layout, PACKAGE)
    first = _receipt(intake(_message(la.UNEMPLOYED_REGISTRATION_SERVICE, payload)))
    again = _receipt(intake(_message(la.UNEMPLOYED_REGISTRATION_SERVICE, _signed(layout, PACKAGE))))
    assert first == again and first.case_id == "C-7"
    (case,) = store.cases()
    assert case.document == payload.text and "IIN 880115300126" in case.signed_by and case.correlation_id == "corr-1"


def test_a_complaint_may_come_unsigned_as_an_element(intake: Intake, store: AuthorityStore) -> None:
    complaint = la.write_complaint(examples.complaint("CMP-9", la.Addressee.QUALITY_ASSESSMENT))
    receipt = _receipt(intake(_message(la.COMPLAINT_SERVICE, Payload(element=complaint), sender="EGOV_PORTAL")))
    assert (receipt.kind, receipt.case_id, receipt.rule_id) == (la.ReceiptKind.COMPLAINT, "CMP-9", "AP-1")
    stored = store.complaint("CMP-9")
    assert stored is not None and stored.signed_by is None and stored.sender_id == "EGOV_PORTAL"


def test_a_signed_deregistration_is_received_with_its_ground(
    intake: Intake, store: AuthorityStore, layout: PkiLayout
) -> None:
    request = la.write_deregistration_request(examples.deregistration("D-3", ground=5))
    receipt = _receipt(intake(_message(la.DEREGISTRATION_SERVICE, _signed(layout, request))))
    assert (receipt.kind, receipt.rule_id) == (la.ReceiptKind.DEREGISTRATION, "DR-1")
    case: Any = store.case("D-3")
    assert case.subject.rule_id == "DR-1 (5)"
