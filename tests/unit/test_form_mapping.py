"""The centre reads the submission instant from the signed form (regulation 000 §10)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from employment.adapters.form_mapping import FormError, submitted_at_from_form

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "payloads" / "job-seeker-form.xml"
SCHEMA = Path(__file__).resolve().parents[2] / "wsdl" / "xsd" / "job-seeker-registration.xsd"


def _form(submitted_at: str | None) -> etree._Element:
    form = etree.parse(str(FIXTURE)).getroot()
    element = form.find("submittedAt")
    assert element is not None
    if submitted_at is None:
        form.remove(element)
    else:
        element.text = submitted_at
    return form


def test_the_submission_instant_is_read_with_its_offset() -> None:
    instant = submitted_at_from_form(_form("2026-11-23T10:00:00+05:00"))
    assert instant == dt.datetime(2026, 11, 23, 5, 0, tzinfo=dt.UTC)
    assert submitted_at_from_form(_form("2026-11-23T05:00:00Z")) == instant


@pytest.mark.parametrize(("text", "message"), [("2026-11-23T10:00:00", "time zone"), ("soon", "not a date")])
def test_an_unusable_instant_is_a_form_error(text: str, message: str) -> None:
    with pytest.raises(FormError, match=message):
        submitted_at_from_form(_form(text))
    assert not xmlschema.XMLSchema(str(SCHEMA)).is_valid(_form(text))


def test_a_form_without_the_instant_is_a_form_error() -> None:
    with pytest.raises(FormError, match="submittedAt"):
        submitted_at_from_form(_form(None))
