"""contracts.job_loss_payment: every payload round-trips through its XSD, signed or not, and the readers refuse
what the contract forbids."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from lxml import etree

from adapters.pki import PkiLayout
from adapters.signatures import sign_document, verify_document
from contracts import job_loss_payment as jl
from contracts.schemas import schema_errors
from ecosystem.settings import Settings
from tests.contracts.conftest import on_the_wire
from tests.social_fund import examples

Writer = Callable[[Any], etree._Element]
Reader = Callable[[etree._Element], Any]

RECEIPT = jl.ApplicationReceipt(
    "JLP-2026-0001", "GFSS-2026-000001", examples.MONDAY, examples.MONDAY + dt.timedelta(days=10), False
)
EXAMPLES: list[tuple[str, Any, Writer, Reader]] = [
    ("application", examples.application(), jl.write_application, jl.read_application),
    (
        "application by a representative at the State Corporation",
        examples.application(
            jl.Channel.STATE_CORPORATION,
            representative=jl.Representative("870921441279", "Бекова Динара Асхатовна", "POA-2026-11"),
        ),
        jl.write_application,
        jl.read_application,
    ),
    ("application without consent", examples.application(consent=False), jl.write_application, jl.read_application),
    ("receipt", RECEIPT, jl.write_receipt, jl.read_receipt),
    ("assignment", examples.assigned(), jl.write_decision, jl.read_decision),
    ("refusal to accept", examples.refused(), jl.write_decision, jl.read_decision),
    ("refusal to assign", examples.refused(jl.Outcome.REFUSED_TO_ASSIGN), jl.write_decision, jl.read_decision),
    ("notice", examples.notice(), jl.write_notice, jl.read_notice),
    ("status query", jl.StatusQuery("JLP-2026-0001"), jl.write_status_query, jl.read_status_query),
    ("status unknown", jl.ApplicationStatus("JLP-404", False), jl.write_status, jl.read_status),
    (
        "status issued",
        jl.ApplicationStatus(
            "JLP-2026-0001", True, jl.Stage.RESULT_ISSUED, examples.MONDAY, examples.MONDAY, "<signed/>", ("<notice/>",)
        ),
        jl.write_status,
        jl.read_status,
    ),
]


@pytest.mark.parametrize(("name", "value", "write", "read"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_each_payload_round_trips_through_its_schema(name: str, value: Any, write: Writer, read: Reader) -> None:
    element = on_the_wire(write(value))
    assert etree.QName(element).namespace == jl.JOB_LOSS_NS
    assert all(etree.QName(child).namespace is None for child in element.iter() if child is not element)
    assert schema_errors(element, jl.SCHEMA) == []
    assert read(element) == value


@pytest.mark.parametrize(
    ("value", "write", "read", "role"),
    [
        (examples.assigned(), jl.write_decision, jl.read_decision, "fund-department-head"),
        (examples.notice(), jl.write_notice, jl.read_notice, "fund-department-head"),
        (
            examples.application(jl.Channel.STATE_CORPORATION),
            jl.write_application,
            jl.read_application,
            "state-corp-operator",
        ),
    ],
)
def test_a_signed_document_stays_valid_and_reads_back_after_verification(
    pki_settings: Settings, value: Any, write: Writer, read: Reader, role: str
) -> None:
    layout = PkiLayout(pki_settings.data_dir)
    credential = layout.load_credential(layout.official(role))
    text = etree.tostring(sign_document(write(value), credential), encoding="unicode")
    element = etree.fromstring(text)
    assert schema_errors(element, jl.SCHEMA) == []
    verified = verify_document(element, layout.trust_store(), dt.datetime.now(dt.UTC))
    assert read(verified.document) == value


def _with_text(element: etree._Element, path: str, text: str) -> etree._Element:
    changed = copy.deepcopy(element)
    node = changed.find(path)
    assert node is not None
    node.text = text
    return changed


def _without(element: etree._Element, path: str) -> etree._Element:
    broken = copy.deepcopy(element)
    node = broken.find(path)
    assert node is not None
    node.getparent().remove(node)  # type: ignore[union-attr]
    return broken


APPLICATION = jl.write_application(examples.application())
DECISION = jl.write_decision(examples.assigned())


@pytest.mark.parametrize(
    ("element", "read", "message"),
    [
        (jl.write_receipt(RECEIPT), jl.read_application, "expected"),
        (_without(APPLICATION, "applicationId"), jl.read_application, "applicationId is missing"),
        (_with_text(APPLICATION, "submittedAt", "2026-11-23T10:00:00"), jl.read_application, "no offset"),
        (_with_text(APPLICATION, "channel", "FAX"), jl.read_application, "not one of PORTAL"),
        (_with_text(APPLICATION, "consent", "yes"), jl.read_application, "not a boolean"),
        (_with_text(APPLICATION, "applicant/birthDate", "18.06.1990"), jl.read_application, "not a date"),
        (_without(DECISION, "payment"), jl.read_decision, "exactly when the outcome is assigned"),
        (_with_text(DECISION, "payment/gross", "121500.001"), jl.read_decision, "to the tiyn"),
        (_with_text(DECISION, "payment/net", "NaN"), jl.read_decision, "finite"),
        (_with_text(DECISION, "payment/schedule/month/end", "2026-11-01"), jl.read_decision, "before it starts"),
    ],
)
def test_the_readers_refuse_what_the_contract_forbids(element: etree._Element, read: Reader, message: str) -> None:
    with pytest.raises(jl.JobLossPaymentPayloadError, match=message):
        read(element)


@pytest.mark.parametrize(
    ("element", "reason"),
    [
        (_with_text(APPLICATION, "bankAccount", "DE89370400440532013000"), "bankAccount"),
        (_with_text(APPLICATION, "applicant/iin", "12345"), "iin"),
        (_with_text(DECISION, "payment/gross", "121500.5"), "gross"),
    ],
)
def test_the_schema_refuses_malformed_values(element: etree._Element, reason: str) -> None:
    with pytest.raises(jl.JobLossPaymentPayloadError):
        jl.check_against_schema(element)
    assert any(reason in error or "pattern" in error or "value" in error for error in schema_errors(element, jl.SCHEMA))


def test_writers_refuse_what_cannot_be_said() -> None:
    with pytest.raises(jl.JobLossPaymentPayloadError, match="states its grounds"):
        jl.write_decision(dataclasses.replace(examples.refused(), grounds=()))
    with pytest.raises(ValueError, match="tiyn"):
        jl.write_decision(
            dataclasses.replace(
                examples.assigned(),
                payment=dataclasses.replace(examples.assigned().payment, gross=Decimal("1.005")),  # type: ignore[arg-type]
            )
        )
    with pytest.raises(ValueError, match="offset"):
        jl.write_application(examples.application(submitted_at=dt.datetime(2026, 11, 23, 10, 0)))
