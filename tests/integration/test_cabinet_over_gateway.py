"""The portal's cabinet and JS-11 through the real gateway: the employment centre delivers a signed notice
with EGOV_CabinetDocument (signed SOAP over HTTP, every hop verified) and the citizen sees it, as JSON and as
a page; a sender the register does not allow, and a document signed by another organisation, are refused;
the portal asks the person registry for the registered address before an application is sent (JS-11)."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest

from adapters.shep import ErrorCode, GatewayFault, Payload
from adapters.signed_documents import sign_register_document
from contracts import register_documents as rd
from contracts.cabinet_delivery import read_cabinet_receipt, write_cabinet_delivery
from ecosystem.catalogue import official
from ecosystem.context import SystemContext, system_context
from ecosystem.settings import Settings
from employment.adapters.register_documents import RegisterDocumentSigner
from mocks.population import PERSONA_JOB_SEEKER
from mocks.portal.auth import DEMO_PASSWORD
from mocks.portal.sessions import SESSION_COOKIE
from tests.contracts.register_samples import samples

if TYPE_CHECKING:
    from tests.integration.conftest import ServedSystems

DIRECTOR = official("employment-director")


@pytest.fixture(scope="module")
def settings(served: ServedSystems) -> Settings:
    served.start("gateway", "person_registry", "portal", "nca")
    return served.settings


@pytest.fixture(scope="module")
def centre(settings: Settings) -> Iterator[SystemContext]:
    with system_context(settings, "employment") as context:
        yield context


@pytest.fixture(scope="module")
def signer(centre: SystemContext) -> RegisterDocumentSigner:
    return RegisterDocumentSigner(DIRECTOR, centre.layout.load_credential(centre.layout.official(DIRECTOR.role)))


def notice() -> rd.DeregistrationNotice:
    document = samples()[rd.RegisterKind.DEREGISTERED]
    assert isinstance(document, rd.DeregistrationNotice)
    return dataclasses.replace(
        document,
        person=rd.Person(PERSONA_JOB_SEEKER, document.person.full_name),
        document_number=f"DR-N-{uuid.uuid4().hex[:8]}",
    )


def login(settings: Settings, iin: str = PERSONA_JOB_SEEKER) -> httpx.Response:
    return httpx.post(f"{settings.base_url('portal')}/api/auth/login", json={"iin": iin, "password": DEMO_PASSWORD})


def test_the_centre_delivers_a_notice_into_the_citizens_cabinet(
    settings: Settings, centre: SystemContext, signer: RegisterDocumentSigner
) -> None:
    delivery = signer.signed_delivery(notice())
    payload = Payload(element=write_cabinet_delivery(delivery))

    first = read_cabinet_receipt(centre.sync_client().send(rd.CABINET_SERVICE_ID, payload).payload.document())
    again = read_cabinet_receipt(centre.sync_client().send(rd.CABINET_SERVICE_ID, payload).payload.document())

    assert not first.already_delivered and again.already_delivered
    assert again.cabinet_document_id == first.cabinet_document_id
    portal = settings.base_url("portal")
    session = login(settings)
    headers = {"Authorization": f"Bearer {session.json()['token']}"}
    detail = httpx.get(f"{portal}/api/cabinet/documents/{first.cabinet_document_id}", headers=headers).json()
    assert detail["kind"] == "deregistered" and detail["documentXml"] == delivery.signed_document
    page = httpx.get(f"{portal}{detail['htmlUrl']}", cookies={SESSION_COOKIE: session.cookies[SESSION_COOKIE]})
    assert page.status_code == 200 and "подпись подтверждена" in page.text


def test_a_document_signed_by_another_organisation_comes_back_as_sce016(
    centre: SystemContext, signer: RegisterDocumentSigner
) -> None:
    operator = centre.layout.load_credential(centre.layout.official("state-corp-operator"))
    document = notice()
    delivery = dataclasses.replace(
        signer.signed_delivery(document), signed_document=sign_register_document(document, operator)
    )

    with pytest.raises(GatewayFault) as refused:
        centre.sync_client().send(rd.CABINET_SERVICE_ID, Payload(element=write_cabinet_delivery(delivery)))

    assert refused.value.innermost_code == ErrorCode.BUSINESS_SIGNATURE_INVALID.value


def test_a_sender_the_register_does_not_allow_is_refused_by_the_gateway(
    settings: Settings, signer: RegisterDocumentSigner
) -> None:
    delivery = signer.signed_delivery(notice())
    with system_context(settings, "state_corp") as state_corp, pytest.raises(GatewayFault) as refused:
        state_corp.sync_client().send(rd.CABINET_SERVICE_ID, Payload(element=write_cabinet_delivery(delivery)))
    assert refused.value.code == ErrorCode.ACCESS_DENIED.value


def test_the_portal_shows_the_registered_address_from_the_registry_and_a_cancel_stops_there(settings: Settings) -> None:
    portal = settings.base_url("portal")
    headers = {"Authorization": f"Bearer {login(settings).json()['token']}"}
    form = {"surname": "Сулейменова", "name": "Жанар", "birthDate": "1992-03-14", "consentToPersonalData": True}

    shown = httpx.post(f"{portal}/api/services/job-seeker-registration/address-check", json=form, headers=headers)

    assert shown.status_code == 201, shown.text
    prepared = shown.json()
    assert prepared["registeredAddress"].startswith("г. Астана")
    journal = httpx.get(
        f"{settings.base_url('gateway')}/admin/journal", params={"correlationId": prepared["applicationId"]}
    ).json()
    assert {entry["service_id"] for entry in journal} == {"GBDFL_UniversalServiceSync"}
    cancelled = httpx.post(f"{portal}{prepared['cancelUrl']}", headers=headers).json()
    assert cancelled["status"] == "Cancelled"
