"""contracts.job_seeker_form: the standard Annex 2 form written by the portal, read by the centre."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from contracts import job_seeker_form as js
from contracts.schemas import schema_errors
from tests.contracts.conftest import on_the_wire

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payloads"
AT = dt.datetime(2026, 11, 23, 10, 15, 7, tzinfo=dt.timezone(dt.timedelta(hours=5)))

# Every section of the form filled, values as the reader gives them back (text).
FIELDS: dict[str, Any] = {
    "iin": "900515400123",
    "surname": "Ахметова",
    "name": "Айгерим",
    "patronymic": "Сериковна",
    "gender": "female",
    "birthDate": "1990-05-15",
    "regAddress": {"country": "Казахстан", "city": "Астана", "street": "Мәңгілік Ел", "building": "8", "flat": "45"},
    "identityDocument": {"type": "identity-card", "number": "045678912", "validUntil": "2030-08-19"},
    "mobilePhone": "+77011234567",
    "registration": {"unemploymentReason": "dismissed", "unemployedSince": "2026-10-31"},
    "wantedWork": {
        "profession": "бухгалтер",
        "salaryMin": "250000",
        "salaryMax": "400000",
        "agreesToRelocate": "false",
    },
    "education": [{"name": "КарГУ", "speciality": "учёт и аудит", "graduatedOn": "2012-06-30"}],
    "workHistory": [
        {"profession": "бухгалтер", "organisation": "ТОО Пример", "hiredOn": "2015-03-02", "dismissedOn": "2026-10-31"},
        {"profession": "кассир", "organisation": "АО Магазин"},
    ],
    "skills": {"generalSkills": "1С", "languages": [{"name": "kk", "level": "native"}, {"name": "ru"}]},
    "drivingLicence": {"categories": "B"},
    "extraFacts": {"childrenUnder18": "2", "hasComputerSkills": "true"},
    "consentToPersonalData": "true",
}


def test_the_form_round_trips_and_its_typed_values_are_read() -> None:
    element = on_the_wire(js.write_form(js.JobSeekerForm("EGOV-JS-2026-1", AT, FIELDS)))
    assert schema_errors(element, js.SCHEMA) == []
    read = js.read_form(element)
    assert read.form == js.JobSeekerForm("EGOV-JS-2026-1", AT, FIELDS)
    assert read.applicant == js.FormApplicant("900515400123", "Ахметова", "Айгерим", "Сериковна", dt.date(1990, 5, 15))
    assert read.consent_to_personal_data is True and read.legal_representative is None


def test_booleans_are_written_as_xsd_booleans_and_empty_values_are_left_out() -> None:
    fields = FIELDS | {"consentToPersonalData": True, "email": None, "education": [], "extraContact": {}}
    element = js.write_form(js.JobSeekerForm("EGOV-JS-2026-1", AT, fields))
    assert element.findtext("consentToPersonalData") == "true"
    assert element.find("education") is None and element.find("extraContact") is None
    assert js.read_form(element).form.fields == {key: value for key, value in FIELDS.items() if key != "education"}


def test_a_minors_representative_is_read() -> None:
    fields = FIELDS | {
        "birthDate": "2011-02-03",
        "legalRepresentative": {"iin": "750101300015", "fullName": "Ахметов Серик", "statement": "I agree"},
    }
    element = on_the_wire(js.write_form(js.JobSeekerForm("EGOV-JS-2026-2", AT, fields)))
    assert schema_errors(element, js.SCHEMA) == []
    assert js.read_form(element).legal_representative == js.FormRepresentative(
        "750101300015", "Ахметов Серик", "I agree"
    )


def test_the_fixture_form_is_read() -> None:
    read = js.read_form(etree.parse(str(FIXTURES / "job-seeker-form.xml")).getroot())
    assert read.applicant.iin == read.form.fields["iin"]
    assert read.form.submitted_at.utcoffset() is not None


@pytest.mark.parametrize(("remove", "message"), [("applicant", "no applicant"), ("applicationId", "applicationId")])
def test_a_form_without_a_required_part_is_refused(remove: str, message: str) -> None:
    element = js.write_form(js.JobSeekerForm("EGOV-JS-2026-1", AT, FIELDS))
    element.remove(element.find(remove))
    with pytest.raises(js.FormContractError, match=message):
        js.read_form(element)


def test_a_consent_that_is_not_true_does_not_count() -> None:
    element = js.write_form(js.JobSeekerForm("EGOV-JS-2026-1", AT, FIELDS | {"consentToPersonalData": "yes"}))
    assert js.read_form(element).consent_to_personal_data is False
