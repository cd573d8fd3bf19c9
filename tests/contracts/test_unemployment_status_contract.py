"""contracts.unemployment_status: the centre's status notices to the fund and the fund's DR-1 (1) reports."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from lxml import etree

from contracts import unemployment_status as un
from contracts.schemas import schema_errors
from tests.contracts.conftest import on_the_wire

ASTANA = timezone(timedelta(hours=5))
NOTICE = un.UnemployedStatusNotice(
    notice_id="ENBEK-UN-000001",
    iin="920314403019",
    status=un.UnemployedStatus.DEREGISTERED,
    effective_on=date(2027, 1, 27),
    registered_on=date(2026, 11, 24),
    decision_id="MIO-DEC-000042",
    ground_rule_id="DR-1 (1)",
)
REPORT = un.DeregistrationGroundReport(
    report_id="GFSS-DR1-920314403019-20261124",
    iin="920314403019",
    registered_on=date(2026, 11, 24),
    reported_on=date(2027, 1, 25),
    contributions=(un.ReportedContribution(date(2026, 12, 1), "123456789012", "ТОО «Пример»", date(2027, 1, 25)),),
)


def test_the_notice_round_trips_and_follows_the_schema() -> None:
    element = on_the_wire(un.write_notice(NOTICE))
    assert schema_errors(element, un.SCHEMA) == []
    assert un.read_notice(element) == NOTICE


def test_a_registration_notice_has_no_ground() -> None:
    notice = un.UnemployedStatusNotice(
        "ENBEK-UN-2", "920314403019", un.UnemployedStatus.REGISTERED, date(2026, 11, 24), date(2026, 11, 24), "D-1"
    )
    element = on_the_wire(un.write_notice(notice))
    assert element.find("groundRuleId") is None
    assert un.read_notice(element) == notice


def test_the_report_round_trips_and_follows_the_schema() -> None:
    element = on_the_wire(un.write_report(REPORT))
    assert schema_errors(element, un.SCHEMA) == []
    assert un.read_report(element) == REPORT
    assert element.findtext("groundRuleId") == "DR-1 (1)"


def test_the_receipt_round_trips() -> None:
    receipt = un.NoticeReceipt(
        "ENBEK-UN-000001", datetime(2026, 11, 24, 10, 0, tzinfo=ASTANA), un.ReceiptOutcome.RECORDED
    )
    element = on_the_wire(un.write_receipt(receipt))
    assert schema_errors(element, un.SCHEMA) == []
    assert un.read_receipt(element) == receipt


def test_a_report_without_contributions_is_refused() -> None:
    element = un.write_report(REPORT)
    holder = element.find("contributions")
    assert holder is not None
    for child in list(holder):
        holder.remove(child)
    with pytest.raises(un.UnemploymentPayloadError, match="does not follow"):
        un.read_report(on_the_wire(element))


def test_an_unknown_status_is_refused() -> None:
    element = un.write_notice(NOTICE)
    status = element.find("status")
    assert status is not None
    status.text = "paused"
    with pytest.raises(un.UnemploymentPayloadError):
        un.read_notice(on_the_wire(element))


def test_another_document_is_refused() -> None:
    with pytest.raises(un.UnemploymentPayloadError, match="expected"):
        un.read_notice(etree.fromstring("<other/>"))


QUERY = un.UnemployedStatusQuery("GFSS-Q-000001", "920314403019", date(2026, 12, 1))
ANSWER = un.UnemployedStatusAnswer(
    query_id="GFSS-Q-000001",
    iin="920314403019",
    on=date(2026, 12, 1),
    registered=True,
    registered_on=date(2026, 11, 24),
    certificate=un.CertificateOfRegistration("CE-CERT-7", date(2026, 11, 25), date(2026, 12, 25)),
    case_id="UN-REG-2026-000001",
)


def test_the_query_round_trips_and_follows_the_schema() -> None:
    element = on_the_wire(un.write_query(QUERY))
    assert schema_errors(element, un.SCHEMA) == []
    assert un.read_query(element) == QUERY


@pytest.mark.parametrize(
    "answer",
    [
        ANSWER,
        un.UnemployedStatusAnswer("Q-2", "920314403019", date(2027, 2, 1), False),  # not in the register
        un.UnemployedStatusAnswer(
            "Q-3",
            "920314403019",
            date(2027, 2, 1),
            False,
            date(2026, 11, 24),
            date(2027, 1, 27),
            "DR-1 (1)",
            None,
            "UN-REG-1",
        ),
    ],
    ids=["registered-with-certificate", "unknown", "deregistered"],
)
def test_the_answer_round_trips_and_follows_the_schema(answer: un.UnemployedStatusAnswer) -> None:
    element = on_the_wire(un.write_answer(answer))
    assert schema_errors(element, un.SCHEMA) == []
    assert un.read_answer(element) == answer


def test_a_query_with_a_bad_iin_or_day_is_refused() -> None:
    for tag, value in (("iin", "92031440301"), ("on", "2026-13-01")):
        element = un.write_query(QUERY)
        child = element.find(tag)
        assert child is not None
        child.text = value
        with pytest.raises(un.UnemploymentPayloadError, match="does not follow"):
            un.read_query(on_the_wire(element))


def test_an_answer_registered_without_its_registration_day_is_refused() -> None:
    element = un.write_answer(ANSWER)
    child = element.find("registeredOn")
    assert child is not None
    element.remove(child)
    with pytest.raises(un.UnemploymentPayloadError, match="registeredOn"):
        un.read_answer(on_the_wire(element))


def test_an_answer_with_a_certificate_without_validity_is_refused() -> None:
    element = un.write_answer(ANSWER)
    valid_until = element.find("certificate/validUntil")
    assert valid_until is not None
    valid_until.getparent().remove(valid_until)  # type: ignore[union-attr]
    with pytest.raises(un.UnemploymentPayloadError, match="does not follow"):
        un.read_answer(on_the_wire(element))


def test_a_query_is_not_read_as_an_answer() -> None:
    with pytest.raises(un.UnemploymentPayloadError, match="expected"):
        un.read_answer(on_the_wire(un.write_query(QUERY)))
