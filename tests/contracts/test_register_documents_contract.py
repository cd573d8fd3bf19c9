"""contracts.register_documents and contracts.cabinet_delivery: Rules Annexes 4, 5, 7, 8, the refusal to issue
the certificate, the deregistration notice, and the envelope of EGOV_CabinetDocument."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest
from lxml import etree

from contracts import cabinet_delivery as cd
from contracts import register_documents as rd
from contracts.schemas import schema_errors
from kernel.clock import almaty
from tests.contracts.conftest import on_the_wire
from tests.contracts.register_samples import PERSON, samples

SAMPLES = samples()


@pytest.mark.parametrize("kind", list(rd.RegisterKind))
def test_each_document_round_trips_and_matches_the_schema(kind: rd.RegisterKind) -> None:
    document = SAMPLES[kind]
    element = on_the_wire(rd.write_register_document(document))

    assert schema_errors(element, rd.SCHEMA) == []
    assert rd.register_kind(element) is kind
    assert rd.read_register_document(element) == document
    assert element.tag == kind.tag
    assert all(isinstance(child.tag, str) and not child.tag.startswith("{") for child in element.iterdescendants())


@pytest.mark.parametrize("kind", list(rd.RegisterKind))
def test_each_document_answers_to_its_number_and_person(kind: rd.RegisterKind) -> None:
    document = SAMPLES[kind]
    assert document.person == PERSON and document.document_number
    assert document.kind is kind


def test_optional_parts_may_be_left_out() -> None:
    notice = SAMPLES[rd.RegisterKind.UNEMPLOYED_REGISTERED]
    assert isinstance(notice, rd.UnemployedRegistrationNotice)
    bare = dataclasses.replace(notice, case_id=None, decision=rd.AuthorityDecision("Authority", date(2026, 11, 25)))
    element = on_the_wire(rd.write_register_document(bare))
    assert schema_errors(element, rd.SCHEMA) == []
    assert element.find("caseId") is None and element.find("decision/signedBy") is None
    assert rd.read_register_document(element) == bare


def test_the_kinds_are_the_names_the_cabinet_shows() -> None:
    assert {kind.root: kind.value for kind in rd.RegisterKind} == {
        "unemployedRegistrationNotice": "unemployed-registered",
        "unemployedRegistrationRefusal": "unemployed-refused",
        "unemployedCertificateApplication": "certificate-application",
        "unemployedCertificate": "certificate",
        "unemployedCertificateRefusal": "certificate-refused",
        "unemployedDeregistrationNotice": "deregistered",
    }


@pytest.mark.parametrize(
    ("kind", "change", "message"),
    [
        (rd.RegisterKind.CERTIFICATE, {"valid_until": date(2026, 11, 26)}, "validUntil"),
        (rd.RegisterKind.UNEMPLOYED_REGISTERED, {"certificate_valid_until": date(2026, 11, 1)}, "ValidUntil"),
        (rd.RegisterKind.UNEMPLOYED_REGISTERED, {"payment_documents": ()}, "UN-5"),
        (rd.RegisterKind.UNEMPLOYED_REFUSED, {"reasons": ()}, "at least one reason"),
        (rd.RegisterKind.DEREGISTERED, {"issued_on": date(2026, 12, 1)}, "decision"),
        (rd.RegisterKind.DEREGISTERED, {"re_registration_from": date(2026, 12, 1)}, "reRegistrationFrom"),
        (rd.RegisterKind.CERTIFICATE_APPLICATION, {"submitted_at": datetime(2026, 11, 27, 10)}, "time zone"),
    ],
)
def test_the_writer_refuses_what_the_schema_cannot_say(
    kind: rd.RegisterKind, change: dict[str, object], message: str
) -> None:
    document = dataclasses.replace(SAMPLES[kind], **change)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=message):
        rd.write_register_document(document)


@pytest.mark.parametrize(
    ("kind", "path", "message"),
    [
        (rd.RegisterKind.CERTIFICATE, "validUntil", "validUntil"),
        (rd.RegisterKind.UNEMPLOYED_REGISTERED, "paymentDocuments", "paymentDocuments"),
        (rd.RegisterKind.UNEMPLOYED_REFUSED, "reasons", "reasons"),
        (rd.RegisterKind.DEREGISTERED, "decision", "decision/authorityName"),
        (rd.RegisterKind.CERTIFICATE_APPLICATION, "applicant", "applicant/iin"),
    ],
)
def test_the_reader_refuses_a_document_without_a_required_part(kind: rd.RegisterKind, path: str, message: str) -> None:
    element = rd.write_register_document(SAMPLES[kind])
    removed = element.find(path)
    assert removed is not None
    element.remove(removed)

    assert schema_errors(element, rd.SCHEMA) != []
    with pytest.raises(rd.RegisterDocumentError, match=message):
        rd.read_register_document(element)


def test_a_wrong_date_or_ground_is_refused_by_the_schema_and_the_reader() -> None:
    element = rd.write_register_document(SAMPLES[rd.RegisterKind.UNEMPLOYED_REFUSED])
    ground = element.find("reasons/reason/ground")
    assert ground is not None
    ground.text = "two"
    assert schema_errors(element, rd.SCHEMA) != []
    with pytest.raises(rd.RegisterDocumentError, match="ground"):
        rd.read_register_document(element)

    certificate = rd.write_register_document(SAMPLES[rd.RegisterKind.CERTIFICATE])
    issued = certificate.find("issuedOn")
    assert issued is not None
    issued.text = "27.11.2026"
    assert schema_errors(certificate, rd.SCHEMA) != []
    with pytest.raises(rd.RegisterDocumentError, match="issuedOn"):
        rd.read_register_document(certificate)


def test_an_application_without_its_time_zone_is_refused() -> None:
    element = rd.write_register_document(SAMPLES[rd.RegisterKind.CERTIFICATE_APPLICATION])
    submitted = element.find("submittedAt")
    assert submitted is not None
    submitted.text = "2026-11-27T10:15:00"
    with pytest.raises(rd.RegisterDocumentError, match="time zone"):
        rd.read_register_document(element)


def test_another_element_is_not_a_register_document() -> None:
    with pytest.raises(rd.RegisterDocumentError, match="unexpected register document"):
        rd.register_kind(etree.Element(rd.CABINET_DELIVERY_TAG))


# ---- the envelope of EGOV_CabinetDocument --------------------------------------------------------


def delivery() -> cd.CabinetDelivery:
    document = SAMPLES[rd.RegisterKind.CERTIFICATE]
    text = etree.tostring(rd.write_register_document(document), encoding="unicode")
    return cd.delivery_of(document, text, cd.Issuer("000340010007", "КГУ «Центр занятости»"))


def test_the_delivery_round_trips_with_the_document_byte_for_byte() -> None:
    sent = delivery()
    element = on_the_wire(cd.write_cabinet_delivery(sent))

    assert schema_errors(element, cd.SCHEMA) == []
    read = cd.read_cabinet_delivery(element)
    assert read == sent
    assert (read.recipient_iin, read.document_kind) == (PERSON.iin, "certificate")
    assert read.document_number == "CE-2026-000019"
    assert read.signed_document.startswith("<lmr:unemployedCertificate")


@pytest.mark.parametrize(
    ("change", "valid"),
    [
        ({"recipient_iin": "12345"}, False),
        ({"document_kind": "Certificate!"}, False),
        ({"issuer": cd.Issuer("BIN", "x")}, False),
        ({"document_kind": "complaint-answer"}, True),  # the schema allows any kind's name; the portal decides
    ],
)
def test_the_schema_checks_the_envelope(change: dict[str, object], valid: bool) -> None:
    element = cd.write_cabinet_delivery(dataclasses.replace(delivery(), **change))  # type: ignore[arg-type]
    assert (schema_errors(element, cd.SCHEMA) == []) is valid


def test_a_delivery_without_its_document_is_refused() -> None:
    element = cd.write_cabinet_delivery(delivery())
    signed = element.find("signedDocument")
    assert signed is not None
    element.remove(signed)
    assert schema_errors(element, cd.SCHEMA) != []
    with pytest.raises(rd.RegisterDocumentError, match="signedDocument"):
        cd.read_cabinet_delivery(element)


def test_the_receipt_round_trips() -> None:
    receipt = cd.CabinetReceipt("DOC-1", "CE-2026-000019", datetime(2026, 11, 27, 10, 16, tzinfo=almaty()), True)
    element = on_the_wire(cd.write_cabinet_receipt(receipt))
    assert schema_errors(element, cd.SCHEMA) == []
    assert cd.read_cabinet_receipt(element) == receipt
    with pytest.raises(rd.RegisterDocumentError, match="expected cabinetDocumentReceipt"):
        cd.read_cabinet_receipt(cd.write_cabinet_delivery(delivery()))
