"""contracts.local_authority: every payload round-trips through its XSD, signed or not, and the readers refuse
what the contract forbids."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from lxml import etree

from adapters.pki import PkiLayout
from adapters.signatures import verify_document
from contracts import local_authority as la
from contracts.schemas import schema_errors
from ecosystem.settings import Settings
from tests.contracts.conftest import on_the_wire
from tests.local_authority import examples

Writer = Callable[[Any], etree._Element]
Reader = Callable[[etree._Element], Any]

EXAMPLES: list[tuple[str, Any, Writer, Reader]] = [
    ("package registered", examples.package(), la.write_registration_package, la.read_registration_package),
    (
        "package refused",
        examples.package(draft=la.DraftDecision(la.Outcome.REFUSED, (la.Reason("UN-4 (5)", "a student"),))),
        la.write_registration_package,
        la.read_registration_package,
    ),
    ("deregistration", examples.deregistration(), la.write_deregistration_request, la.read_deregistration_request),
    ("complaint", examples.complaint(), la.write_complaint, la.read_complaint),
    (
        "complaint without a contested application",
        dataclasses.replace(examples.complaint(la.Addressee.QUALITY_ASSESSMENT), contested_application_id=None),
        la.write_complaint,
        la.read_complaint,
    ),
    (
        "receipt",
        la.Receipt(
            la.ReceiptKind.UNEMPLOYED_REGISTRATION,
            "UN-2026-0001",
            examples.MONDAY,
            examples.MONDAY + dt.timedelta(days=1, hours=8, minutes=30),
            "UN-2",
        ),
        la.write_receipt,
        la.read_receipt,
    ),
    ("decision registered", examples.decision(la.Outcome.REGISTERED), la.write_decision, la.read_decision),
    ("decision refused", examples.decision(la.Outcome.REFUSED), la.write_decision, la.read_decision),
    ("decision deregistered", examples.decision(la.Outcome.DEREGISTERED), la.write_decision, la.read_decision),
    (
        "acknowledgement",
        la.DecisionAcknowledgement("MIO-0123456789abcdef", "UN-2026-0001", examples.MONDAY),
        la.write_acknowledgement,
        la.read_acknowledgement,
    ),
]


@pytest.mark.parametrize(("name", "value", "write", "read"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_each_payload_round_trips_through_its_schema(name: str, value: Any, write: Writer, read: Reader) -> None:
    element = on_the_wire(write(value))
    assert etree.QName(element).namespace == la.LOCAL_AUTHORITY_NS
    assert all(etree.QName(child).namespace is None for child in element.iter() if child is not element)
    assert schema_errors(element, la.SCHEMA) == []
    assert read(element) == value


@pytest.mark.parametrize(
    ("value", "write", "read", "role"),
    [
        (examples.package(), la.write_registration_package, la.read_registration_package, "employment-director"),
        (
            examples.deregistration(),
            la.write_deregistration_request,
            la.read_deregistration_request,
            "employment-director",
        ),
        (examples.decision(), la.write_decision, la.read_decision, "local-authority-head"),
    ],
)
def test_a_signed_document_stays_valid_and_reads_back_after_verification(
    pki_settings: Settings, value: Any, write: Writer, read: Reader, role: str
) -> None:
    layout = PkiLayout(pki_settings.data_dir)
    text = examples.signed_text(write(value), layout.load_credential(layout.official(role)))
    element = etree.fromstring(text)
    assert schema_errors(element, la.SCHEMA) == []
    verified = verify_document(element, layout.trust_store(), dt.datetime.now(dt.UTC))
    assert read(verified.document) == value
    assert read(element) == value  # the reader skips the signature


def _without(element: etree._Element, path: str) -> etree._Element:
    broken = copy.deepcopy(element)
    node = broken.find(path)
    assert node is not None
    node.getparent().remove(node)  # type: ignore[union-attr]
    return broken


def _with_text(element: etree._Element, path: str, text: str) -> etree._Element:
    changed = copy.deepcopy(element)
    node = changed.find(path)
    assert node is not None
    node.text = text
    return changed


PACKAGE = la.write_registration_package(examples.package())
DEREGISTRATION = la.write_deregistration_request(examples.deregistration())
DECISION = la.write_decision(examples.decision())


@pytest.mark.parametrize(
    ("element", "read", "message"),
    [
        (la.write_complaint(examples.complaint()), la.read_registration_package, "expected"),
        (_without(PACKAGE, "caseId"), la.read_registration_package, "caseId is missing"),
        (_with_text(PACKAGE, "sentAt", "2026-11-23T10:00:00"), la.read_registration_package, "no offset"),
        (_with_text(PACKAGE, "person/sex", "x"), la.read_registration_package, "not one of male, female"),
        (_with_text(PACKAGE, "person/birthDate", "14.03.1992"), la.read_registration_package, "not a date"),
        (
            _with_text(PACKAGE, "draftDecision/proposedOutcome", "refused"),
            la.read_registration_package,
            "states its UN-4 reasons",
        ),
        (
            _with_text(PACKAGE, "draftDecision/proposedOutcome", "deregistered"),
            la.read_registration_package,
            "registered or refused",
        ),
        (
            _with_text(DEREGISTRATION, "ground/ruleId", "DR-1 (2)"),
            la.read_deregistration_request,
            r"must be 'DR-1 \(7\)'",
        ),
        (_with_text(DEREGISTRATION, "ground/number", "8"), la.read_deregistration_request, "1..7"),
        (_with_text(DEREGISTRATION, "ground/number", "seven"), la.read_deregistration_request, "not a number"),
        (_without(DECISION, "registeredOn"), la.read_decision, "registeredOn is given exactly"),
        (_with_text(DECISION, "outcome", "deregistered"), la.read_decision, "cannot be deregistered"),
    ],
)
def test_the_readers_refuse_what_the_contract_forbids(element: etree._Element, read: Reader, message: str) -> None:
    with pytest.raises(la.LocalAuthorityPayloadError, match=message):
        read(element)


@pytest.mark.parametrize(
    "element",
    [
        _with_text(PACKAGE, "sentAt", "2026-11-23T10:00:00"),
        _with_text(PACKAGE, "caseId", "../etc/passwd"),
        _with_text(PACKAGE, "person/iin", "92031440301"),
        _with_text(DEREGISTRATION, "ground/number", "0"),
        _with_text(DEREGISTRATION, "facts", "x" * 8001),
        _with_text(la.write_decision(examples.decision(la.Outcome.REFUSED)), "reasons/reason/ruleId", "anything"),
    ],
)
def test_the_schema_refuses_what_the_contract_bounds(element: etree._Element) -> None:
    assert schema_errors(element, la.SCHEMA) != []


def test_more_than_ten_reasons_are_refused_by_the_schema() -> None:
    many = tuple(la.Reason("UN-4 (1)", f"reason {n}") for n in range(11))
    element = la.write_registration_package(examples.package(draft=la.DraftDecision(la.Outcome.REFUSED, many)))
    assert schema_errors(element, la.SCHEMA) != []


@pytest.mark.parametrize(
    "wrong",
    [
        dataclasses.replace(examples.decision(la.Outcome.REGISTERED), registered_on=None),
        dataclasses.replace(examples.decision(la.Outcome.REFUSED), reasons=()),
        dataclasses.replace(examples.decision(la.Outcome.DEREGISTERED), kind=la.CaseKind.UNEMPLOYED_REGISTRATION),
    ],
)
def test_a_writer_refuses_a_decision_that_contradicts_itself(wrong: la.AuthorityDecision) -> None:
    with pytest.raises(ValueError):
        la.write_decision(wrong)


def test_a_writer_refuses_a_draft_refusal_without_reasons_and_a_naive_instant() -> None:
    with pytest.raises(ValueError, match="UN-4 reasons"):
        la.write_registration_package(examples.package(draft=la.DraftDecision(la.Outcome.REFUSED)))
    with pytest.raises(ValueError, match="offset"):
        la.write_registration_package(examples.package(sent_at=dt.datetime(2026, 11, 23, 10)))
    with pytest.raises(la.LocalAuthorityPayloadError, match=r"1\.\.7"):
        la.write_deregistration_request(examples.deregistration(ground=9))


def test_a_deregistration_names_its_rule() -> None:
    assert examples.deregistration(ground=3).rule_id == "DR-1 (3)"
