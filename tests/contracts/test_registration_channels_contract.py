"""The channel of a registration form (``intake``) and the office's ``documentsReceipt``: written, sent, read
back, and valid against their schemas; what the schemas refuse."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from contracts import job_seeker_form as js
from contracts import registration_channels as ch
from contracts.schemas import schema_errors
from tests.contracts.conftest import on_the_wire

AT = dt.datetime(2026, 11, 23, 10, 15, 7, tzinfo=dt.timezone(dt.timedelta(hours=5)))
APPLICANT = {
    "iin": "900515400123",
    "surname": "Ахметова",
    "name": "Айгерим",
    "birthDate": "1990-05-15",
    "consentToPersonalData": True,
}


def test_an_intake_round_trips_after_the_consent_and_validates() -> None:
    intake = js.Intake(
        "RURAL_ASSISTANT",
        "акимат Коктальского сельского округа",
        js.SIGNED_APPLICATION,
        js.PaperCard(dt.date(2026, 11, 20), "П-17"),
    )
    element = on_the_wire(js.write_form(js.JobSeekerForm("RA-1", AT, APPLICANT, intake)))
    assert schema_errors(element, js.SCHEMA) == []
    assert [child.tag for child in element][-2:] == ["consentToPersonalData", "intake"]
    read = js.read_form(element)
    assert read.form.intake == intake and read.channel == "RURAL_ASSISTANT"


def test_a_form_without_intake_is_the_portals() -> None:
    read = js.read_form(on_the_wire(js.write_form(js.JobSeekerForm("P-1", AT, APPLICANT))))
    assert read.form.intake is None and read.channel == "PORTAL"


def test_an_unknown_channel_is_refused_by_the_writer_the_reader_and_the_schema() -> None:
    with pytest.raises(js.FormContractError):
        js.Intake("TELEGRAM")
    element = js.write_form(js.JobSeekerForm("X-1", AT, APPLICANT, js.Intake("OFFICE")))
    channel = element.find("intake/channel")
    assert channel is not None
    channel.text = "TELEGRAM"
    assert schema_errors(element, js.SCHEMA)
    with pytest.raises(js.FormContractError):
        js.read_form(element)


@pytest.mark.parametrize(("path", "value"), [("intake/applicantConsent", "NODDED"), ("intake/paperCard/filledOn", "x")])
def test_a_bad_consent_record_or_card_date_is_refused(path: str, value: str) -> None:
    intake = js.Intake("RURAL_ASSISTANT", None, js.SIGNED_APPLICATION, js.PaperCard(dt.date(2026, 11, 20)))
    element = js.write_form(js.JobSeekerForm("X-1", AT, APPLICANT, intake))
    node = element.find(path)
    assert node is not None
    node.text = value
    assert schema_errors(element, js.SCHEMA)
    with pytest.raises(js.FormContractError):
        js.read_form(element)


def test_the_documents_receipt_round_trips_and_validates() -> None:
    receipt = ch.DocumentsReceipt("RA-1", AT)
    element = on_the_wire(ch.write_documents_receipt(receipt))
    assert schema_errors(element, ch.SCHEMA) == []
    assert ch.read_documents_receipt(element) == ch.DocumentsReceipt("RA-1", AT.replace(microsecond=0))
    assert element.tag == f"{{{ch.CHANNELS_NS}}}documentsReceipt"


@pytest.mark.parametrize("received", ["2026-11-23T10:00:00", "yesterday", ""])
def test_a_receipt_without_an_instant_with_offset_is_refused(received: str) -> None:
    element = etree.fromstring(
        f'<ch:documentsReceipt xmlns:ch="{ch.CHANNELS_NS}"><preRegistrationId>RA-1</preRegistrationId>'
        f"<receivedAt>{received}</receivedAt></ch:documentsReceipt>"
    )
    assert schema_errors(element, ch.SCHEMA)
    with pytest.raises(ch.ChannelActError):
        ch.read_documents_receipt(element)
    with pytest.raises(ch.ChannelActError):
        ch.write_documents_receipt(ch.DocumentsReceipt("RA-1", dt.datetime(2026, 11, 23, 10)))
