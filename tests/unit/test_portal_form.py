"""The portal's job-seeker registration form (JS-10, JS-1 of docs/rules.md; standard Annex 2): built, checked,
signed with the citizen's EDS and stored before the portal answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from lxml import etree
from sqlalchemy import text

from adapters.pki import Credential, PkiLayout
from adapters.signatures import SignatureInvalid, verify_document
from adapters.storage import Outbox, OutboxState, create_store_engine
from adapters.xml import parse_xml
from contracts.job_seeker_form import FORM_NS as JS_NS
from ecosystem.settings import Settings
from mocks.population import PERSONA_EMPLOYED, PERSONA_JOB_SEEKER, PERSONA_MINOR
from mocks.portal.applications import (
    FormRejectedError,
    FormTooLargeError,
    JobSeekerApplications,
    NoSigningKeyError,
    build_form,
)
from mocks.portal.storage import DELIVERY_TOPIC, ApplicationStatus, PortalStore
from wsdl import contract_path

NOW = datetime(2026, 11, 23, 10, 15, tzinfo=timezone(timedelta(hours=5)))
ADULT_FORM: dict[str, Any] = {
    "surname": "Иванова",
    "name": "Мария",
    "patronymic": "Петровна",
    "birthDate": "1992-03-14",
    "mobilePhone": "+77011234567",
    "email": "maria@example.kz",
    "regAddress": {"country": "Kazakhstan", "city": "Astana", "street": "Mangilik El", "building": "8"},
    "wantedProfession": "accountant",
    "wantedWork": {"salaryMin": "250000", "salaryMax": "400000", "agreesToRelocate": False},
    "education": [{"name": "Karaganda Economic University", "graduatedOn": "2014-06-30"}],
    "workHistory": [{"profession": "accountant", "organisation": "Astana LLP", "yearsInProfession": "8.5"}],
    "skills": {
        "generalSkills": "MS Excel",
        "languages": [{"name": "Kazakh", "level": "native"}, {"name": "English"}],
    },
    "drivingLicence": "B",
    "consentToPersonalData": True,
}
MINOR_FORM: dict[str, Any] = {
    "surname": "Ахметов",
    "name": "Алихан",
    "birthDate": "2012-05-14",
    "consentToPersonalData": True,
    "legalRepresentative": {
        "iin": PERSONA_EMPLOYED,
        "fullName": "Ахметов Ерлан Маратович",
        "statement": "I, the father, agree that my son registers as a person seeking work.",
    },
}


@pytest.fixture(scope="module")
def form_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(contract_path("xsd/job-seeker-registration.xsd")))


def service(citizen_key: Callable[[str], Credential], **options: Any) -> JobSeekerApplications:
    store = PortalStore.at("sqlite://")
    return JobSeekerApplications(store, Outbox(store.engine, lambda: NOW), citizen_key, lambda: NOW, **options)


@pytest.fixture
def citizen_key(pki_settings: Settings) -> Callable[[str], Credential]:
    layout = PkiLayout(pki_settings.data_dir)

    def key(iin: str) -> Credential:
        return layout.load_credential(layout.person(iin))

    return key


@pytest.fixture
def applications(citizen_key: Callable[[str], Credential]) -> JobSeekerApplications:
    return service(citizen_key)


def stored_form(applications: JobSeekerApplications, application_id: str) -> etree._Element:
    return parse_xml(applications.signed_form(application_id))


def test_built_form_follows_the_contract_with_the_sessions_iin(form_schema: xmlschema.XMLSchema) -> None:
    form = build_form(PERSONA_JOB_SEEKER, "EGOV-JS-2026-1", NOW, ADULT_FORM | {"iin": "000000000000"})

    form_schema.validate(form)
    assert form.tag == f"{{{JS_NS}}}jobSeekerRegistrationForm"
    assert form.findtext("applicant/iin") == PERSONA_JOB_SEEKER  # never the IIN typed in the input
    assert form.findtext("submittedAt") == "2026-11-23T10:15:00+05:00"
    assert form.findtext("wantedWork/profession") == "accountant"
    assert [lang.findtext("name") for lang in form.findall("skills/language")] == ["Kazakh", "English"]
    assert form.findtext("drivingLicence/categories") == "B"
    assert form.findtext("consentToPersonalData") == "true"


def test_submitted_form_is_stored_signed_by_the_citizen_and_validates(
    applications: JobSeekerApplications, form_schema: xmlschema.XMLSchema, pki_settings: Settings
) -> None:
    view = applications.submit(PERSONA_JOB_SEEKER, ADULT_FORM)

    assert view.status is ApplicationStatus.IN_PROGRESS
    assert view.status_label == "In progress"
    signed = stored_form(applications, view.application_id)
    form_schema.validate(signed)
    verified = verify_document(signed, PkiLayout(pki_settings.data_dir).trust_store(), datetime.now(UTC))
    assert verified.signer.iin == PERSONA_JOB_SEEKER
    assert verified.document.findtext("applicationId") == view.application_id
    assert verified.document.findtext("applicant/surname") == "Иванова"


def test_a_tampered_stored_form_no_longer_verifies(applications: JobSeekerApplications, pki_settings: Settings) -> None:
    view = applications.submit(PERSONA_JOB_SEEKER, ADULT_FORM)
    text = applications.signed_form(view.application_id).replace("accountant", "director")

    with pytest.raises(SignatureInvalid, match="does not verify"):
        verify_document(parse_xml(text), PkiLayout(pki_settings.data_dir).trust_store(), datetime.now(UTC))


def test_a_minors_form_with_a_legal_representative_validates(
    applications: JobSeekerApplications, form_schema: xmlschema.XMLSchema, pki_settings: Settings
) -> None:
    view = applications.submit(PERSONA_MINOR, MINOR_FORM)

    signed = stored_form(applications, view.application_id)
    form_schema.validate(signed)
    assert signed.findtext("legalRepresentative/iin") == PERSONA_EMPLOYED
    verified = verify_document(signed, PkiLayout(pki_settings.data_dir).trust_store(), datetime.now(UTC))
    assert verified.signer.iin == PERSONA_MINOR


def test_the_cabinet_lists_only_the_citizens_own_applications(applications: JobSeekerApplications) -> None:
    mine = applications.submit(PERSONA_JOB_SEEKER, ADULT_FORM)
    applications.submit(PERSONA_MINOR, MINOR_FORM)

    assert [view.application_id for view in applications.cabinet(PERSONA_JOB_SEEKER)] == [mine.application_id]
    with pytest.raises(LookupError):
        applications.cabinet_entry(PERSONA_MINOR, mine.application_id)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"consentToPersonalData": False}, "consentToPersonalData must be true"),
        ({"wantedWork": {"salaryMin": "500000", "salaryMax": "100000"}}, "salaryMin"),
        ({"legalRepresentative": {"iin": "920314403018", "fullName": "X", "statement": "Y"}}, "check digit"),
        ({"birthDate": "14.03.1992"}, "does not match"),
    ],
)
def test_forms_that_cannot_be_accepted_are_refused_and_not_stored(
    applications: JobSeekerApplications, change: dict[str, Any], message: str
) -> None:
    with pytest.raises(FormRejectedError, match=message):
        applications.submit(PERSONA_JOB_SEEKER, ADULT_FORM | change)
    assert applications.cabinet(PERSONA_JOB_SEEKER) == []


def test_a_citizen_without_an_eds_cannot_submit(pki_settings: Settings) -> None:
    def no_key(iin: str) -> Credential:
        raise FileNotFoundError(iin)

    keyless = service(no_key)
    with pytest.raises(NoSigningKeyError, match="JS-10"):
        keyless.submit(PERSONA_JOB_SEEKER, ADULT_FORM)
    assert keyless.cabinet(PERSONA_JOB_SEEKER) == []


def test_an_accepted_application_and_its_outbox_message_are_stored_together(
    citizen_key: Callable[[str], Credential],
) -> None:
    store = PortalStore.at("sqlite://")
    outbox = Outbox(store.engine, lambda: NOW)
    woken: list[bool] = []
    accepted = JobSeekerApplications(store, outbox, citizen_key, lambda: NOW, on_submitted=lambda: woken.append(True))

    view = accepted.submit(PERSONA_JOB_SEEKER, ADULT_FORM)

    message = outbox.find(DELIVERY_TOPIC, view.application_id)
    assert message is not None and message.state is OutboxState.PENDING
    assert message.payload == {"applicationId": view.application_id}
    assert woken == [True]


def test_when_the_outbox_put_fails_the_application_is_not_stored_either(
    citizen_key: Callable[[str], Credential], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = PortalStore.at("sqlite://")
    outbox = Outbox(store.engine, lambda: NOW)

    def broken_put(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("the outbox table is gone")

    monkeypatch.setattr(outbox, "put", broken_put)
    accepted = JobSeekerApplications(store, outbox, citizen_key, lambda: NOW)

    with pytest.raises(RuntimeError):
        accepted.submit(PERSONA_JOB_SEEKER, ADULT_FORM)
    assert accepted.cabinet(PERSONA_JOB_SEEKER) == []


def test_a_form_whose_message_would_exceed_the_gateways_limit_is_refused_at_the_door(
    citizen_key: Callable[[str], Credential],
) -> None:
    sizes: list[int] = []

    def message_size(application_id: str, signed_form: str) -> int:
        sizes.append(len(signed_form.encode()))
        return sizes[-1]

    small_gateway = service(citizen_key, message_size=message_size, max_message_bytes=12_000)
    small_gateway.submit(PERSONA_JOB_SEEKER, ADULT_FORM)  # a usual form fits
    long_history = [{"profession": "accountant", "duties": "<ledger> & reports " * 100}] * 5

    with pytest.raises(FormTooLargeError, match="12000 bytes the gateway accepts"):
        small_gateway.submit(PERSONA_JOB_SEEKER, ADULT_FORM | {"workHistory": long_history})
    assert len(small_gateway.cabinet(PERSONA_JOB_SEEKER)) == 1
    assert sizes[-1] > 12_000


def test_the_submission_instant_carries_the_ecosystems_offset_whatever_the_clock_zone(
    citizen_key: Callable[[str], Credential],
) -> None:
    store = PortalStore.at("sqlite://")
    utc_now = datetime(2026, 11, 23, 5, 15, tzinfo=UTC)
    accepted = JobSeekerApplications(store, Outbox(store.engine, lambda: utc_now), citizen_key, lambda: utc_now)

    view = accepted.submit(PERSONA_JOB_SEEKER, ADULT_FORM)

    assert view.submitted_at.isoformat() == "2026-11-23T10:15:00+05:00"
    stored = accepted.cabinet_entry(PERSONA_JOB_SEEKER, view.application_id)
    assert stored.submitted_at.isoformat() == "2026-11-23T10:15:00+05:00"  # read back from the store
    assert stored_form(accepted, view.application_id).findtext("submittedAt") == "2026-11-23T10:15:00+05:00"


def test_a_store_made_by_an_older_portal_is_refused_with_what_to_do(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'portal.sqlite'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE applications (id VARCHAR(64) PRIMARY KEY, attempts INTEGER)"))

    with pytest.raises(RuntimeError, match="older version; remove that database"):
        PortalStore(engine)
