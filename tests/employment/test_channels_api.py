"""The centre's own API for the office and the rural assistant, over HTTP (ASGI) with the real store (SQLite), real
signatures of the test PKI and the real signed result documents; the person registry and the fund are fakes.

Hostile inputs: no signature, a broken one, a signer of another organisation or not authorised, a form of another
channel, malformed and oversized bodies, reads without or with a stale signature. Every refusal changes nothing
and is journalled."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from lxml import etree

from adapters.pki import Credential, PkiLayout
from adapters.signatures import sign_document, verify_document
from adapters.signatures.jws import sign_request
from adapters.xml import parse_xml
from contracts.job_seeker_form import SIGNED_APPLICATION, Intake, JobSeekerForm, PaperCard, write_form
from contracts.registration_channels import DocumentsReceipt, write_documents_receipt
from contracts.result_documents import ResultKind, read_result_document, result_kind
from ecosystem.catalogue import official
from ecosystem.settings import Settings
from employment.adapters.channel_journal import ChannelJournal
from employment.adapters.documents import SignedResultDocuments
from employment.adapters.pre_registrations import SqlPreRegistrations
from employment.adapters.staff import staff_register
from employment.adapters.storage import EmploymentStore
from employment.domain.calendar import WorkingCalendar
from employment.domain.models import RegistryRecord
from employment.entrypoints.channels_api import ChannelsContext, channels_router
from employment.entrypoints.signed_requests import SignedRequests
from employment.service_layer.handlers import EmploymentServices
from kernel.clock import FixedClock, almaty
from tests.fakes import FakeContributions, FakePersonRegistry

IIN = "920314403019"
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=almaty())
MAX_BYTES = 64_000


class Centre:
    def __init__(self, app: FastAPI, store: EmploymentStore, clock: FixedClock, layout: PkiLayout) -> None:
        self.app, self.store, self.clock, self.layout = app, store, clock, layout

    def call(self, method: str, path: str, **options: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://centre.test") as client:
                return await client.request(method, path, **options)

        return asyncio.run(go())

    def credential(self, role: str) -> Credential:
        return self.layout.load_credential(self.layout.official(role))

    def citizen(self, iin: str = IIN) -> Credential:
        return self.layout.load_credential(self.layout.person(iin))

    def read(self, path: str, signer: Credential, at: dt.datetime | None = None) -> httpx.Response:
        token = sign_request(b"", signer, method="GET", path=path, headers={}, at=at or self.clock.now())
        return self.call("GET", path, headers={"X-Signature": token})

    def journal(self) -> list[dict[str, Any]]:
        return ChannelJournal(self.store.engine, self.clock.now).entries()


@pytest.fixture
def centre(pki_settings: Settings, tmp_path: Path) -> Iterator[Centre]:
    clock = FixedClock(MONDAY)
    layout = PkiLayout(pki_settings.data_dir)
    store = EmploymentStore.at(f"sqlite:///{tmp_path / 'employment.sqlite'}", clock.now)
    record = RegistryRecord(
        IIN, "Сулейменова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), "Astana", dt.date(2031, 1, 1)
    )
    director = official("employment-director")
    services = EmploymentServices(
        uow=store.unit_of_work,
        registry=FakePersonRegistry({IIN: record}),
        contributions=FakeContributions(),
        documents=SignedResultDocuments(director, layout.load_credential(layout.official(director.role))),
        calendar=WorkingCalendar(),
        now=clock.now,
        signers=staff_register(),
    )
    context = ChannelsContext(
        services=services,
        pre_registrations=SqlPreRegistrations(store.engine, store.outbox, lambda: None),
        journal=ChannelJournal(store.engine, clock.now),
        requests=SignedRequests(layout.trust_store(), clock.now, MAX_BYTES, dt.timedelta(seconds=300)),
    )
    app = FastAPI()
    app.include_router(channels_router(context))
    yield Centre(app, store, clock, layout)
    store.dispose()


def form(
    channel: str | None,
    application_id: str = "OF-1",
    *,
    paper_card: PaperCard | None = None,
    consent: str | None = SIGNED_APPLICATION,
) -> etree._Element:
    intake = Intake(channel, office="office 3", applicant_consent=consent, paper_card=paper_card) if channel else None
    fields = {
        "iin": IIN,
        "surname": "Сулейменова",
        "name": "Жанар",
        "patronymic": "Ерлановна",
        "birthDate": "1992-03-14",
        "mobilePhone": "+77010000000",
        "consentToPersonalData": True,
    }
    return write_form(JobSeekerForm(application_id, MONDAY, fields, intake))


def signed(element: etree._Element, credential: Credential) -> bytes:
    return etree.tostring(sign_document(element, credential), encoding="utf-8")


XML = {"Content-Type": "application/xml"}


# ---- the office --------------------------------------------------------------------------------------------


def test_the_office_registers_with_the_workers_signature_and_answers_the_signed_result(centre: Centre) -> None:
    answer = centre.call(
        "POST",
        "/api/office/registrations",
        content=signed(form("OFFICE"), centre.credential("employment-worker")),
        headers=XML,
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["X-Channel"] == "OFFICE" and answer.headers["X-Application-Id"] == "OF-1"
    verified = verify_document(parse_xml(answer.content), centre.layout.trust_store(), centre.clock.now())
    assert verified.signer.iin == official("employment-director").iin
    result = read_result_document(verified.document)
    assert result.kind is ResultKind.REGISTERED and result.registered_on == dt.date(2026, 11, 23)
    stored = centre.store.application("OF-1")
    assert stored is not None and stored.channel == "OFFICE" and "870921441279" in stored.applicant_signature
    (entry,) = centre.journal()
    assert entry["outcome"] == "ACCEPTED" and entry["subject"] == "OF-1" and "870921441279" in entry["signer"]


def _refused(centre: Centre, answer: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    body: dict[str, Any] = answer.json()
    assert body["errorCode"] == code
    assert centre.store.application("OF-1") is None and centre.store.job_seeker(IIN) is None
    assert centre.journal()[0]["outcome"] == "REFUSED" and centre.journal()[0]["code"] == code
    return body


def test_an_unsigned_form_is_refused(centre: Centre) -> None:
    unsigned = etree.tostring(form("OFFICE"), encoding="utf-8")
    _refused(centre, centre.call("POST", "/api/office/registrations", content=unsigned, headers=XML), 401, "SCE017")


def test_a_form_changed_after_signing_is_refused(centre: Centre) -> None:
    tampered = signed(form("OFFICE"), centre.credential("employment-worker")).replace(b"1992-03-14", b"1992-03-15")
    _refused(centre, centre.call("POST", "/api/office/registrations", content=tampered, headers=XML), 401, "SCE016")


@pytest.mark.parametrize(
    ("who", "words"),
    [
        ("citizen", "no organisation"),  # the applicant's own personal certificate
        ("state-corp-operator", "organisation allowed"),  # an operator of another organisation
        ("rural-assistant", "not in the employment centre's register"),  # the centre's, but not of the office
    ],
)
def test_a_signer_not_of_the_office_is_refused(centre: Centre, who: str, words: str) -> None:
    credential = centre.citizen() if who == "citizen" else centre.credential(who)
    answer = centre.call("POST", "/api/office/registrations", content=signed(form("OFFICE"), credential), headers=XML)
    body = _refused(centre, answer, 403, "SCE016")
    assert words in body["errorMessage"] and body["ruleId"] == "000 §5 action 1"


@pytest.mark.parametrize("channel", [None, "PORTAL", "STATE_CORPORATION", "RURAL_ASSISTANT"])
def test_a_form_of_another_channel_is_refused_at_the_office(centre: Centre, channel: str | None) -> None:
    body = signed(form(channel), centre.credential("employment-worker"))
    _refused(centre, centre.call("POST", "/api/office/registrations", content=body, headers=XML), 403, "SCE003")


def test_a_paper_card_is_only_the_assistants(centre: Centre) -> None:
    body = signed(form("OFFICE", paper_card=PaperCard(dt.date(2026, 11, 20))), centre.credential("employment-worker"))
    _refused(centre, centre.call("POST", "/api/office/registrations", content=body, headers=XML), 400, "SCE001")


def test_an_office_form_without_the_signed_application_is_not_accepted(centre: Centre) -> None:
    body = signed(form("OFFICE", consent=None), centre.credential("employment-worker"))
    answer = centre.call("POST", "/api/office/registrations", content=body, headers=XML)
    assert answer.status_code == 200  # a business answer: the signed refusal to accept (JS-2)
    document = parse_xml(answer.content)
    assert result_kind(document) is ResultKind.NOT_ACCEPTED
    assert [reason.rule_id for reason in read_result_document(document).reasons] == ["JS-2"]
    assert centre.store.job_seeker(IIN) is None


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"<not-closed", 400),
        (b'<!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>', 400),
        (b"<x/>", 400),  # well-formed, but not the form
        (b"<x>" + b"a" * MAX_BYTES + b"</x>", 413),
    ],
)
def test_malformed_and_oversized_bodies_are_refused(centre: Centre, body: bytes, status: int) -> None:
    _refused(centre, centre.call("POST", "/api/office/registrations", content=body, headers=XML), status, "SCE001")


def test_an_application_id_of_another_person_is_refused_without_showing_their_result(centre: Centre) -> None:
    worker = centre.credential("employment-worker")
    assert centre.call("POST", "/api/office/registrations", content=signed(form("OFFICE"), worker)).status_code == 200
    other = write_form(
        JobSeekerForm(
            "OF-1",
            MONDAY,
            {
                "iin": "850902305172",
                "surname": "Кузнецов",
                "name": "Дмитрий",
                "birthDate": "1985-09-02",
                "consentToPersonalData": True,
            },
            Intake("OFFICE", applicant_consent=SIGNED_APPLICATION),
        )
    )
    answer = centre.call("POST", "/api/office/registrations", content=signed(other, worker))
    assert answer.status_code == 409 and "Сулейменова" not in answer.text


# ---- the rural assistant -----------------------------------------------------------------------------------


def _pre_register(centre: Centre, card: PaperCard | None = None) -> httpx.Response:
    body = signed(form("RURAL_ASSISTANT", "RA-1", paper_card=card), centre.credential("rural-assistant"))
    return centre.call("POST", "/api/assistant/pre-registrations", content=body, headers=XML)


def _receipt(centre: Centre, received_at: dt.datetime, signer: str = "employment-worker", pid: str = "RA-1") -> bytes:
    return signed(write_documents_receipt(DocumentsReceipt(pid, received_at)), centre.credential(signer))


def test_the_rural_path_from_a_paper_card_to_the_date_of_registration(centre: Centre) -> None:
    first = _pre_register(centre, PaperCard(dt.date(2026, 11, 20), "П-17"))
    assert first.status_code == 201, first.text
    pre = first.json()
    assert pre["state"] == "PRE_REGISTERED" and pre["cardDay"] == "2026-11-20" and pre["laterEntry"] is True
    assert pre["documentsDueBy"] == "2026-11-23T18:30:00+05:00"
    assert _pre_register(centre, PaperCard(dt.date(2026, 11, 20), "П-17")).status_code == 200  # once
    worker, assistant = centre.credential("employment-worker"), centre.credential("rural-assistant")
    worklist = centre.read("/api/office/pre-registrations", worker).json()["awaitingDocuments"]
    assert [item["preRegistrationId"] for item in worklist] == ["RA-1"]

    centre.clock.advance(dt.timedelta(hours=1))
    path = "/api/office/pre-registrations/RA-1/receipt"
    answer = centre.call("POST", path, content=_receipt(centre, MONDAY + dt.timedelta(minutes=30)), headers=XML)
    assert answer.status_code == 200, answer.text
    decided = answer.json()
    assert decided["state"] == "REGISTERED" and decided["registeredOn"] == "2026-11-23"
    assert decided["registrationDeadline"] == "2026-11-24T18:30:00+05:00" and "2026-11-23" in decided["notice"]
    document = verify_document(parse_xml(decided["resultDocument"]), centre.layout.trust_store(), centre.clock.now())
    assert read_result_document(document.document).registered_on == dt.date(2026, 11, 23)

    seen = centre.read("/api/assistant/pre-registrations/RA-1", assistant)
    assert seen.status_code == 200 and seen.json()["registeredOn"] == "2026-11-23"
    stored = centre.store.application("RA-1")
    assert stored is not None and stored.channel == "RURAL_ASSISTANT" and "940208362185" in stored.applicant_signature
    assert centre.read("/api/office/pre-registrations", worker).json()["awaitingDocuments"] == []
    assert [(item["route"], item["outcome"]) for item in centre.journal()][::-1] == [
        ("POST /api/assistant/pre-registrations", "ACCEPTED"),
        ("POST /api/assistant/pre-registrations", "ACCEPTED"),
        ("GET /api/office/pre-registrations", "ACCEPTED"),
        ("POST /api/office/pre-registrations/{id}/receipt", "ACCEPTED"),
        ("GET /api/assistant/pre-registrations/{id}", "ACCEPTED"),
        ("GET /api/office/pre-registrations", "ACCEPTED"),
    ]


def test_a_receipt_signed_by_the_assistant_or_for_another_id_is_refused(centre: Centre) -> None:
    assert _pre_register(centre).status_code == 201
    path = "/api/office/pre-registrations/RA-1/receipt"
    by_assistant = centre.call("POST", path, content=_receipt(centre, MONDAY, "rural-assistant"), headers=XML)
    assert by_assistant.status_code == 403 and by_assistant.json()["ruleId"] == "000 §5 action 1"
    other = centre.call("POST", path, content=_receipt(centre, MONDAY, pid="RA-2"), headers=XML)
    assert other.status_code == 400
    unknown = centre.call(
        "POST", "/api/office/pre-registrations/RA-2/receipt", content=_receipt(centre, MONDAY, pid="RA-2"), headers=XML
    )
    assert unknown.status_code == 404
    future = centre.call("POST", path, content=_receipt(centre, MONDAY + dt.timedelta(hours=3)), headers=XML)
    assert future.status_code == 422 and future.json()["ruleId"] == "JS-13"
    assert centre.store.application("RA-1") is None


def test_a_paper_card_dated_after_its_entry_is_refused(centre: Centre) -> None:
    answer = _pre_register(centre, PaperCard(dt.date(2026, 11, 24)))
    assert answer.status_code == 422 and answer.json()["ruleId"] == "JS-13"


def test_reads_need_a_fresh_signature_of_the_assistant_or_the_office(centre: Centre) -> None:
    assert _pre_register(centre).status_code == 201
    path = "/api/assistant/pre-registrations/RA-1"
    assert centre.call("GET", path).status_code == 401
    assert centre.read(path, centre.citizen()).status_code == 403
    assert centre.read(path, centre.credential("state-corp-operator")).status_code == 403
    assert centre.read(path, centre.credential("employment-worker")).status_code == 200
    stale = centre.read(path, centre.credential("rural-assistant"), at=MONDAY - dt.timedelta(hours=1))
    assert stale.status_code == 401 and stale.json()["errorCode"] == "SCE008"
    token = sign_request(
        b"", centre.credential("rural-assistant"), method="GET", path="/api/other", headers={}, at=MONDAY
    )
    assert centre.call("GET", path, headers={"X-Signature": token}).status_code == 401  # signed for another path
    assert centre.read("/api/office/pre-registrations", centre.credential("rural-assistant")).status_code == 403
