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
SCHEMA = "xsd/unemployment-status.xsd"
UNEMPLOYMENT_NS = "urn:kz:egov-sim:gfss:unemployment:v1"
NOTICE_TAG = f"{{{UNEMPLOYMENT_NS}}}unemployedStatusNotice"
REPORT_TAG = f"{{{UNEMPLOYMENT_NS}}}deregistrationGroundReport"
RECEIPT_TAG = f"{{{UNEMPLOYMENT_NS}}}noticeReceipt"
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
