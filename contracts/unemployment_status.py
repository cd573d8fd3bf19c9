"""What the employment centre and the State Social Insurance Fund tell each other about unemployed status.

Schema ``wsdl/xsd/unemployment-status.xsd``; namespace ``urn:kz:egov-sim:gfss:unemployment:v1`` on the root
elements, children unqualified.

- ``unemployedStatusNotice`` (service ``GFSS_UnemployedStatus``, centre to fund): the person was registered
  as unemployed (the job-loss payment needs it: SP-7) or removed from the register (DR-2: the fund stops
  the payment).
- ``deregistrationGroundReport`` (service ``ENBEK_RegisterEvent``, fund to centre): social contributions
  arrived for a registered unemployed person for a month after the month of registration, DR-1 (1).
- ``noticeReceipt``: the answer to both, ``recorded`` or ``already-recorded`` (a repeated notice or report
  changes nothing).
- ``unemployedStatusQuery`` (service ``ENBEK_UnemployedStatusQuery``, fund to centre, SP-7, 004 §1 (1)): is the
  person registered as unemployed on a day? ``unemployedStatusAnswer``: since when, until when (DR-2), the
  certificate of registration (Annex 8) when one was issued, and the centre's registration case.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from contracts.errors import PayloadError
from contracts.schemas import schema_errors
from contracts.xml_text import add_text, child_text

STATUS_SERVICE_ID = "GFSS_UnemployedStatus"
EVENT_SERVICE_ID = "ENBEK_RegisterEvent"
QUERY_SERVICE_ID = "ENBEK_UnemployedStatusQuery"
SCHEMA = "xsd/unemployment-status.xsd"
UNEMPLOYMENT_NS = "urn:kz:egov-sim:gfss:unemployment:v1"
NOTICE_TAG = f"{{{UNEMPLOYMENT_NS}}}unemployedStatusNotice"
REPORT_TAG = f"{{{UNEMPLOYMENT_NS}}}deregistrationGroundReport"
RECEIPT_TAG = f"{{{UNEMPLOYMENT_NS}}}noticeReceipt"
QUERY_TAG = f"{{{UNEMPLOYMENT_NS}}}unemployedStatusQuery"
ANSWER_TAG = f"{{{UNEMPLOYMENT_NS}}}unemployedStatusAnswer"
CONTRIBUTIONS_GROUND = "DR-1 (1)"
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class UnemploymentPayloadError(PayloadError):
    """The payload is not one of this contract's documents, or does not follow its schema."""


class UnemployedStatus(enum.StrEnum):
    REGISTERED = "registered"
    DEREGISTERED = "deregistered"


class ReceiptOutcome(enum.StrEnum):
    RECORDED = "recorded"
    ALREADY_RECORDED = "already-recorded"


@dataclass(frozen=True)
class UnemployedStatusNotice:
    """The centre tells the fund: ``status`` since ``effective_on``, by the authority's ``decision_id``."""

    notice_id: str
    iin: str
    status: UnemployedStatus
    effective_on: date
    registered_on: date
    decision_id: str
    ground_rule_id: str | None = None


@dataclass(frozen=True)
class ReportedContribution:
    month: date  # first day of the month the contribution is for
    employer_bin: str
    employer_name: str
    paid_on: date


@dataclass(frozen=True)
class DeregistrationGroundReport:
    """The fund tells the centre: contributions arrived for months after the registration (DR-1 (1))."""

    report_id: str
    iin: str
    registered_on: date
    reported_on: date
    contributions: tuple[ReportedContribution, ...]
    ground_rule_id: str = CONTRIBUTIONS_GROUND


@dataclass(frozen=True)
class NoticeReceipt:
    notice_id: str
    received_at: datetime
    outcome: ReceiptOutcome


@dataclass(frozen=True)
class UnemployedStatusQuery:
    """The fund asks: is ``iin`` registered as unemployed on ``on`` (SP-7)?"""

    query_id: str
    iin: str
    on: date


@dataclass(frozen=True)
class CertificateOfRegistration:
    """The certificate of registration as unemployed (Rules No. 259 Annex 8): its number and validity."""

    number: str
    issued_on: date
    valid_until: date  # inclusive


@dataclass(frozen=True)
class UnemployedStatusAnswer:
    """The centre answers from its register. ``registered`` is the status on ``on``; ``registered_on`` and
    ``deregistered_on`` describe the registration it speaks of (the current one, or the last one removed);
    ``case_id`` is the centre's registration case, None when the person is not in the register."""

    query_id: str
    iin: str
    on: date
    registered: bool
    registered_on: date | None = None
    deregistered_on: date | None = None
    deregistration_ground: str | None = None
    certificate: CertificateOfRegistration | None = None
    case_id: str | None = None


# ---- writing ---------------------------------------------------------------------------------------


def _root(tag: str) -> etree._Element:
    return etree.Element(tag, nsmap={"un": UNEMPLOYMENT_NS})


def write_notice(notice: UnemployedStatusNotice) -> etree._Element:
    element = _root(NOTICE_TAG)
    add_text(element, "noticeId", notice.notice_id)
    add_text(element, "iin", notice.iin)
    add_text(element, "status", notice.status.value)
    add_text(element, "effectiveOn", notice.effective_on.isoformat())
    add_text(element, "registeredOn", notice.registered_on.isoformat())
    add_text(element, "decisionId", notice.decision_id)
    add_text(element, "groundRuleId", notice.ground_rule_id)
    return element


def write_report(report: DeregistrationGroundReport) -> etree._Element:
    element = _root(REPORT_TAG)
    add_text(element, "reportId", report.report_id)
    add_text(element, "iin", report.iin)
    add_text(element, "groundRuleId", report.ground_rule_id)
    add_text(element, "registeredOn", report.registered_on.isoformat())
    add_text(element, "reportedOn", report.reported_on.isoformat())
    holder = etree.SubElement(element, "contributions")
    for item in report.contributions:
        record = etree.SubElement(holder, "contribution")
        add_text(record, "month", f"{item.month:%Y-%m}")
        add_text(record, "employerBin", item.employer_bin)
        add_text(record, "employerName", item.employer_name)
        add_text(record, "paidOn", item.paid_on.isoformat())
    return element


def write_receipt(receipt: NoticeReceipt) -> etree._Element:
    element = _root(RECEIPT_TAG)
    add_text(element, "noticeId", receipt.notice_id)
    add_text(element, "receivedAt", receipt.received_at.isoformat())
    add_text(element, "outcome", receipt.outcome.value)
    return element


def write_query(query: UnemployedStatusQuery) -> etree._Element:
    element = _root(QUERY_TAG)
    add_text(element, "queryId", query.query_id)
    add_text(element, "iin", query.iin)
    add_text(element, "on", query.on.isoformat())
    return element


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def write_answer(answer: UnemployedStatusAnswer) -> etree._Element:
    element = _root(ANSWER_TAG)
    add_text(element, "queryId", answer.query_id)
    add_text(element, "iin", answer.iin)
    add_text(element, "on", answer.on.isoformat())
    add_text(element, "registered", "true" if answer.registered else "false")
    add_text(element, "registeredOn", _iso(answer.registered_on))
    add_text(element, "deregisteredOn", _iso(answer.deregistered_on))
    add_text(element, "deregistrationGround", answer.deregistration_ground)
    if answer.certificate is not None:
        certificate = etree.SubElement(element, "certificate")
        add_text(certificate, "number", answer.certificate.number)
        add_text(certificate, "issuedOn", answer.certificate.issued_on.isoformat())
        add_text(certificate, "validUntil", answer.certificate.valid_until.isoformat())
    add_text(element, "caseId", answer.case_id)
    return element


# ---- reading ---------------------------------------------------------------------------------------


def _checked(element: etree._Element, tag: str) -> None:
    if element.tag != tag:
        raise UnemploymentPayloadError(f"expected {tag}, found {element.tag}")
    errors = schema_errors(element, SCHEMA)
    if errors:
        raise UnemploymentPayloadError(f"{etree.QName(tag).localname} does not follow {SCHEMA}: {errors[0]}")


def _text(parent: etree._Element, tag: str) -> str:
    value = child_text(parent, tag)
    if not value:  # the schema was checked first: only a reader bug gets here
        raise UnemploymentPayloadError(f"{tag} is missing")
    return value


def _day(parent: etree._Element, tag: str) -> date:
    return date.fromisoformat(_text(parent, tag)[:10])


def _month(parent: etree._Element, tag: str) -> date:
    text = _text(parent, tag)
    match = _YEAR_MONTH.match(text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise UnemploymentPayloadError(f"{tag} is not YYYY-MM: {text!r}")
    return date(int(match.group(1)), int(match.group(2)), 1)


def read_notice(element: etree._Element) -> UnemployedStatusNotice:
    """Read and schema-check ``unemployedStatusNotice``; raise :class:`UnemploymentPayloadError` otherwise."""
    _checked(element, NOTICE_TAG)
    return UnemployedStatusNotice(
        notice_id=_text(element, "noticeId"),
        iin=_text(element, "iin"),
        status=UnemployedStatus(_text(element, "status")),
        effective_on=_day(element, "effectiveOn"),
        registered_on=_day(element, "registeredOn"),
        decision_id=_text(element, "decisionId"),
        ground_rule_id=child_text(element, "groundRuleId"),
    )


def read_report(element: etree._Element) -> DeregistrationGroundReport:
    """Read and schema-check ``deregistrationGroundReport``."""
    _checked(element, REPORT_TAG)
    return DeregistrationGroundReport(
        report_id=_text(element, "reportId"),
        iin=_text(element, "iin"),
        ground_rule_id=_text(element, "groundRuleId"),
        registered_on=_day(element, "registeredOn"),
        reported_on=_day(element, "reportedOn"),
        contributions=tuple(
            ReportedContribution(
                month=_month(item, "month"),
                employer_bin=_text(item, "employerBin"),
                employer_name=_text(item, "employerName"),
                paid_on=_day(item, "paidOn"),
            )
            for item in element.iterfind("contributions/contribution")
        ),
    )


def read_receipt(element: etree._Element) -> NoticeReceipt:
    """Read and schema-check ``noticeReceipt``."""
    _checked(element, RECEIPT_TAG)
    received_at = datetime.fromisoformat(_text(element, "receivedAt"))
    if received_at.tzinfo is None:
        raise UnemploymentPayloadError("noticeReceipt/receivedAt has no offset")
    return NoticeReceipt(_text(element, "noticeId"), received_at, ReceiptOutcome(_text(element, "outcome")))


def read_query(element: etree._Element) -> UnemployedStatusQuery:
    """Read and schema-check ``unemployedStatusQuery``."""
    _checked(element, QUERY_TAG)
    return UnemployedStatusQuery(_text(element, "queryId"), _text(element, "iin"), _day(element, "on"))


def _optional_day(parent: etree._Element, tag: str) -> date | None:
    return _day(parent, tag) if child_text(parent, tag) else None


def read_answer(element: etree._Element) -> UnemployedStatusAnswer:
    """Read and schema-check ``unemployedStatusAnswer``; a registered person without a registration day, or a
    removal before the registration, is refused."""
    _checked(element, ANSWER_TAG)
    holder = element.find("certificate")
    certificate = (
        CertificateOfRegistration(
            number=_text(holder, "number"),
            issued_on=_day(holder, "issuedOn"),
            valid_until=_day(holder, "validUntil"),
        )
        if holder is not None
        else None
    )
    answer = UnemployedStatusAnswer(
        query_id=_text(element, "queryId"),
        iin=_text(element, "iin"),
        on=_day(element, "on"),
        registered=_text(element, "registered") in ("true", "1"),
        registered_on=_optional_day(element, "registeredOn"),
        deregistered_on=_optional_day(element, "deregisteredOn"),
        deregistration_ground=child_text(element, "deregistrationGround"),
        certificate=certificate,
        case_id=child_text(element, "caseId"),
    )
    if answer.registered and (answer.registered_on is None or answer.registered_on > answer.on):
        raise UnemploymentPayloadError("a person registered on the day asked about needs registeredOn not after it")
    if answer.registered_on and answer.deregistered_on and answer.deregistered_on < answer.registered_on:
        raise UnemploymentPayloadError("deregisteredOn is before registeredOn")
    return answer
