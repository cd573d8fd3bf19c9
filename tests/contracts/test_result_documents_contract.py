"""contracts.result_documents: the notice (Rules Annex 3), the refusal (Annex 2), the refusal to accept."""

from __future__ import annotations

from datetime import date

import pytest
from lxml import etree

from contracts import result_documents as rd
from contracts.schemas import schema_errors
from tests.contracts.conftest import on_the_wire

REASONS = (rd.Reason("JS-3", "a labour contract is in force on the day of the decision"), rd.Reason("JS-5", "x"))


def document(kind: rd.ResultKind) -> rd.ResultDocument:
    return rd.ResultDocument(
        kind=kind,
        document_number=f"N-{kind.value}",
        application_id="EGOV-JS-2026-1",
        person_iin="900515400123",
        person_full_name="Ахметова Айгерим Сериковна",
        centre_name="Employment Centre of Astana",
        issued_on=date(2026, 11, 23),
        director_name="Жумабаев Нурлан Ерикович",
        registered_on=date(2026, 11, 23) if kind is rd.ResultKind.REGISTERED else None,
        reasons=() if kind is rd.ResultKind.REGISTERED else REASONS,
    )


@pytest.mark.parametrize("kind", list(rd.ResultKind))
def test_each_document_round_trips(kind: rd.ResultKind) -> None:
    element = on_the_wire(rd.write_result_document(document(kind)))
    assert schema_errors(element, rd.SCHEMA) == []
    assert rd.result_kind(element) is kind
    assert rd.read_application_id(element) == "EGOV-JS-2026-1"
    assert rd.read_result_document(element) == document(kind)


def test_the_kinds_are_the_names_the_cabinet_shows() -> None:
    assert {kind.root: kind.value for kind in rd.ResultKind} == {
        "jobSeekerRegistrationNotice": "registered",
        "jobSeekerRegistrationRefusal": "refused",
        "jobSeekerApplicationNotAccepted": "not-accepted",
    }


def test_another_element_is_not_a_result_document() -> None:
    foreign = etree.Element(f"{{{rd.DOCUMENTS_NS}}}jobSeekerRegistrationForm")
    with pytest.raises(rd.ResultDocumentError, match="unexpected result document"):
        rd.result_kind(foreign)


def test_a_notice_needs_its_registration_date() -> None:
    wrong = document(rd.ResultKind.REFUSED)
    with pytest.raises(ValueError, match="registered_on"):
        rd.write_result_document(
            rd.ResultDocument(**{**wrong.__dict__, "kind": rd.ResultKind.REGISTERED, "reasons": ()})
        )


def test_a_document_without_its_issue_date_is_refused_by_the_reader() -> None:
    element = rd.write_result_document(document(rd.ResultKind.REFUSED))
    element.remove(element.find("issuedOn"))
    with pytest.raises(rd.ResultDocumentError, match="issuedOn"):
        rd.read_result_document(element)
