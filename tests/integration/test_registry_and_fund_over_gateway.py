"""The person registry (GBDFL_UniversalServiceSync) and the social fund (GFSS_ContributionsQuery) answer
the employment centre through the real gateway: signed SOAP over HTTP, every hop verified
(docs/protocol.md). Also the test NCA over HTTP (docs/admin-apis.md)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

import httpx
import pytest
from cryptography import x509

from adapters.person_registry import (
    SERVICE_ID,
    PersonRegistryClient,
    PersonRegistryUnavailable,
    RegistrySearch,
    TooManyPersons,
    build_request,
)
from adapters.shep import ErrorCode, GatewayFault, Payload
from adapters.social_fund import SocialFundClient
from ecosystem.context import SystemContext, system_context
from ecosystem.settings import Settings
from mocks.edge_case_people import PERSONA_INCAPABLE, PERSONA_NO_ADDRESS
from mocks.edge_cases import EDGE_CASES
from mocks.population import (
    PERSONA_EMPLOYED,
    PERSONA_JOB_SEEKER,
    PERSONA_STUDENT,
    build_population,
    unknown_iin,
)

if TYPE_CHECKING:
    from tests.integration.conftest import ServedSystems


@pytest.fixture(scope="module")
def settings(served: ServedSystems) -> Settings:
    served.start("gateway", "person_registry", "social_fund", "nca")
    return served.settings


@pytest.fixture(scope="module")
def employment(settings: Settings) -> Iterator[SystemContext]:
    with system_context(settings, "employment") as context:
        yield context


@pytest.fixture(scope="module")
def registry(employment: SystemContext) -> PersonRegistryClient:
    return PersonRegistryClient(employment.sync_client(), employment.identity.sender_id, employment.now)


@pytest.fixture(scope="module")
def fund(employment: SystemContext) -> SocialFundClient:
    return SocialFundClient(employment.sync_client(), employment.now)


def test_known_iin_is_found_with_the_right_name(registry: PersonRegistryClient, settings: Settings) -> None:
    correlation_id = f"case-{uuid.uuid4()}"
    person = registry.find_by_iin(PERSONA_EMPLOYED, correlation_id)
    assert person is not None
    assert (person.surname, person.name, person.patronymic) == ("Кузнецов", "Дмитрий", "Сергеевич")
    assert person.birth_date == date(1985, 9, 2)
    assert person.address.startswith("г. Алматы, Бостандыкский район")
    journal = httpx.get(
        f"{settings.base_url('gateway')}/admin/journal", params={"correlationId": correlation_id}
    ).json()
    assert [entry["event"] for entry in journal] == ["delivered", "received"]  # newest first


def test_unknown_valid_iin_gives_none(registry: PersonRegistryClient) -> None:
    assert registry.find_by_iin(unknown_iin(build_population()), None) is None


def test_request_with_an_invalid_iin_is_a_gateway_fault(employment: SystemContext) -> None:
    wrong_check_digit = PERSONA_EMPLOYED[:11] + str((int(PERSONA_EMPLOYED[11]) + 1) % 10)
    request = build_request(wrong_check_digit, employment.identity.sender_id, employment.now())
    with pytest.raises(GatewayFault) as refused:
        employment.sync_client().send(SERVICE_ID, Payload(element=request))
    assert refused.value.code == ErrorCode.MALFORMED.value
    assert wrong_check_digit in refused.value.error.message


def test_client_refuses_an_invalid_iin_before_sending(registry: PersonRegistryClient) -> None:
    with pytest.raises(ValueError, match="check digit"):
        registry.find_by_iin("850902305173", None)


def test_a_fault_reaches_the_caller_as_registry_unavailable(settings: Settings) -> None:
    # The fund is not allowed to call the registry: the gateway refuses it (SCE003).
    with system_context(settings, "social_fund") as context, pytest.raises(PersonRegistryUnavailable) as refused:
        PersonRegistryClient(context.sync_client(), context.identity.sender_id, context.now).find_by_iin(
            PERSONA_EMPLOYED, None
        )
    assert refused.value.code == ErrorCode.ACCESS_DENIED.value
    causes = []
    cause = refused.value.__cause__
    while cause is not None:
        causes.append(cause)
        cause = cause.__cause__
    assert any(isinstance(c, GatewayFault) and c.code == ErrorCode.ACCESS_DENIED.value for c in causes)


def test_employed_persona_has_contributions(fund: SocialFundClient) -> None:
    correlation_id = f"case-{uuid.uuid4()}"
    records = fund.contributions(PERSONA_EMPLOYED, date(2024, 1, 1), date(2025, 12, 1), correlation_id)
    assert [record.month for record in records][:2] == [date(2024, 1, 1), date(2024, 2, 1)]
    assert len(records) == 24
    assert {record.employer_name for record in records} == {"АО «Алатау Энерго Сервис»"}
    assert records[0].amount == records[0].income * 35 / 1000


def test_job_seeker_contributions_stop_after_july_2026(fund: SocialFundClient) -> None:
    records = fund.contributions(PERSONA_JOB_SEEKER, date(2026, 1, 1), date(2026, 12, 1), None)
    assert records[-1].month == date(2026, 7, 1)


def test_person_unknown_to_the_fund_has_no_contributions(fund: SocialFundClient) -> None:
    nobody = unknown_iin(build_population())
    assert fund.contributions(nobody, date(2024, 1, 1), date(2024, 12, 1), None) == []
    assert fund.contributions(PERSONA_STUDENT, date(2024, 1, 1), date(2024, 12, 1), None) == []


def test_registry_keeps_its_population_in_its_data_folder_and_shows_it(settings: Settings) -> None:
    assert (settings.data_dir / "person_registry" / "population.json").is_file()
    base = settings.base_url("person_registry")
    listed = httpx.get(f"{base}/admin/persons").json()
    employed = {"iin": PERSONA_EMPLOYED, "fullName": "Кузнецов Дмитрий Сергеевич", "persona": "employed"}
    assert any(employed.items() <= person.items() for person in listed)
    assert httpx.get(f"{base}/admin/persons/{PERSONA_STUDENT}").json()["surname"] == "Касымова"
    assert httpx.get(f"{base}/admin/persons/{unknown_iin(build_population())}").status_code == 404


def test_fund_admin_shows_contributions(settings: Settings) -> None:
    shown = httpx.get(f"{settings.base_url('social_fund')}/admin/contributions/{PERSONA_JOB_SEEKER}").json()
    assert shown["personFound"] is True
    assert shown["contributions"][-1]["month"] == "2026-07"


def test_nca_publishes_its_ca_and_revokes_a_certificate(settings: Settings) -> None:
    base = settings.base_url("nca")
    root = x509.load_pem_x509_certificate(httpx.get(f"{base}/ca/root.pem").content)
    issuing = x509.load_pem_x509_certificate(httpx.get(f"{base}/ca/issuing.pem").content)
    assert issuing.issuer == root.subject
    shown = httpx.get(f"{base}/admin/certificates/persons/{PERSONA_STUDENT}").json()
    assert (shown["iin"], shown["revoked"]) == (PERSONA_STUDENT, False)
    assert shown["notBefore"].endswith("+05:00") and shown["notAfter"].endswith("+05:00")  # Astana time

    revoked = httpx.post(f"{base}/admin/revoke", json={"kind": "persons", "name": PERSONA_STUDENT}).json()
    assert revoked["serial"] == shown["serial"]
    assert revoked["revokedAt"].endswith("+05:00")
    crl = x509.load_pem_x509_crl(httpx.get(f"{base}/crl/issuing.crl").content)
    assert crl.get_revoked_certificate_by_serial_number(int(shown["serial"])) is not None
    assert httpx.get(f"{base}/admin/certificates/persons/{PERSONA_STUDENT}").json()["revoked"] is True
    assert httpx.get(f"{base}/admin/certificates/systems/no-such-system").status_code == 404
    assert httpx.post(f"{base}/admin/revoke", json={"kind": "keys", "name": "x"}).status_code == 422


# ---- the searches and statuses (docs/contracts.md), through the gateway ----------------------------


def test_search_by_name_and_birth_date_through_the_gateway(registry: PersonRegistryClient, settings: Settings) -> None:
    correlation_id = f"case-{uuid.uuid4()}"
    (found,) = registry.find_by_name_and_birth_date(
        "КУЗНЕЦОВ", "дмитрий", date(1985, 9, 2), correlation_id=correlation_id
    )
    assert found.iin == PERSONA_EMPLOYED
    journal = httpx.get(
        f"{settings.base_url('gateway')}/admin/journal", params={"correlationId": correlation_id}
    ).json()
    assert [entry["event"] for entry in journal] == ["delivered", "received"]
    assert registry.find_by_name_and_birth_date("Кузнецов", "Дмитрий", date(1985, 9, 3)) == ()


def test_search_by_document_number_through_the_gateway(registry: PersonRegistryClient) -> None:
    student = next(person for person in build_population() if person.iin == PERSONA_STUDENT)
    found = registry.find_by_document(student.document.number)
    assert found is not None and found.iin == PERSONA_STUDENT
    assert registry.find_by_document("000000001") is None


def test_too_broad_a_search_is_00003_through_the_gateway(registry: PersonRegistryClient) -> None:
    with pytest.raises(TooManyPersons):
        registry.find(RegistrySearch(surname="Ахметов", birth_date_from=date(1930, 1, 1)))


def test_statuses_through_the_gateway(registry: PersonRegistryClient) -> None:
    incapable = registry.find_by_iin(PERSONA_INCAPABLE)  # declared in 2021: so on any day these tests run
    assert incapable is not None and incapable.incapable and incapable.capable_since == date(2021, 9, 14)
    nowhere = registry.find_by_iin(PERSONA_NO_ADDRESS)
    assert nowhere is not None and not nowhere.has_registered_address
    employed = registry.find_by_iin(PERSONA_EMPLOYED)
    assert employed is not None and employed.gender_code == "1" and not employed.deceased


def test_the_registry_and_the_fund_hold_the_whole_population(settings: Settings) -> None:
    assert settings.population_size == 10_000
    someone_far_down = build_population(settings.population_seed, settings.population_size)[9_000]
    registry = settings.base_url("person_registry")
    assert httpx.get(f"{registry}/admin/persons/{someone_far_down.iin}").json()["surname"] == someone_far_down.surname
    fund = httpx.get(f"{settings.base_url('social_fund')}/admin/contributions/{someone_far_down.iin}").json()
    assert fund["personFound"] is True
    listed = httpx.get(f"{registry}/admin/persons", params={"limit": 1})
    assert listed.headers["X-Total-Count"] == "10000" and len(listed.json()) == 1


def test_the_admin_listing_filters(settings: Settings) -> None:
    base = settings.base_url("person_registry")
    incapable = httpx.get(f"{base}/admin/persons", params={"status": "incapable", "limit": 1000})
    assert PERSONA_INCAPABLE in {person["iin"] for person in incapable.json()}
    assert all("incapable" in person["statuses"] for person in incapable.json())
    by_name = httpx.get(f"{base}/admin/persons", params={"surname": "кузнецов", "birthDate": "1985-09-02"}).json()
    assert [person["iin"] for person in by_name] == [PERSONA_EMPLOYED]
    assert httpx.get(f"{base}/admin/persons", params={"status": "asleep"}).status_code == 422


def test_the_edge_case_catalogue(settings: Settings) -> None:
    catalogue = httpx.get(f"{settings.base_url('person_registry')}/api/edge-cases").json()
    assert catalogue["referenceDate"] == "2026-11-23"
    assert [entry["key"] for entry in catalogue["cases"]] == [case.key for case in EDGE_CASES]
    assert all(entry["inPopulation"] and entry["holdsOnReferenceDate"] for entry in catalogue["cases"])
    by_key = {entry["key"]: entry for entry in catalogue["cases"]}
    assert by_key["man-at-pension-age"]["exercises"] == ["UN-4 (3)", "PE-6"]
    assert by_key["under-16"]["iin"] == "120514504024"
