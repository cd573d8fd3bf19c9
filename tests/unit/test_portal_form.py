"""The portal's job-seeker registration form (SPEC JS-10, JS-1; standard Annex 2): built, checked,
signed with the citizen's EDS and stored before the portal answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import xmlschema
from lxml import etree

from adapters.pki import Credential, PkiLayout
from adapters.signatures import SignatureInvalid, verify_document
from adapters.xml import parse_xml
from ecosystem.settings import Settings
from mocks.population import PERSONA_EMPLOYED, PERSONA_JOB_SEEKER, PERSONA_MINOR
from mocks.portal.applications import (
    JS_NS,
    FormRejectedError,
    JobSeekerApplications,
    NoSigningKeyError,
    build_form,
)
from mocks.portal.storage import ApplicationStatus, PortalStore
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


@pytest.fixture
def applications(pki_settings: Settings) -> JobSeekerApplications:
    layout = PkiLayout(pki_settings.data_dir)

    def citizen_key(iin: str) -> Credential:
        return layout.load_credential(layout.person(iin))

    return JobSeekerApplications(PortalStore.at("sqlite://"), citizen_key, lambda: NOW)


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

    service = JobSeekerApplications(PortalStore.at("sqlite://"), no_key, lambda: NOW)
    with pytest.raises(NoSigningKeyError, match="JS-10"):
        service.submit(PERSONA_JOB_SEEKER, ADULT_FORM)
    assert service.cabinet(PERSONA_JOB_SEEKER) == []
