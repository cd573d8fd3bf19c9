"""The State Social Insurance Fund's payloads: ``contributionsRequest`` and ``contributionsResponse``.

Service ``GFSS_ContributionsQuery``; schema ``wsdl/xsd/gfss-contributions.xsd``; namespace
``urn:kz:egov-sim:gfss:contributions:v1`` on the root elements, children unqualified.

- The request: the person's ``iin`` and the inclusive months ``periodFrom``..``periodTo`` (``YYYY-MM``).
- The response: ``iin``, ``personFound``, the ``contributions`` received (one per month and employer: the
  object of calculation ``income`` and the ``amount``, Social Code Art. 244 p.1 and Art. 245 p.1, with the
  day they were paid) and the ``employmentPeriods`` (one per labour contract: employer, first day, last day
  or none while it runs).

What the schema cannot say is checked by the ends: the IIN's check digit and ``periodFrom <= periodTo`` by the
fund, an employment period that ends before it starts by the reader here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from lxml import etree

from contracts.errors import PayloadError
from contracts.xml_text import add_text, child_text

SERVICE_ID = "GFSS_ContributionsQuery"
SCHEMA = "xsd/gfss-contributions.xsd"
GFSS_NS = "urn:kz:egov-sim:gfss:contributions:v1"
REQUEST_TAG = f"{{{GFSS_NS}}}contributionsRequest"
RESPONSE_TAG = f"{{{GFSS_NS}}}contributionsResponse"
# xs:gYearMonth: a year, a month and an optional time zone
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$")


class ContributionsRequestError(PayloadError):
    """The payload is not a ``contributionsRequest`` the fund can read."""


class ContributionsResponseError(PayloadError):
    """The payload is not a readable ``contributionsResponse``."""


@dataclass(frozen=True)
class ContributionsRequest:
    iin: str
    period_from: date  # first day of the month
    period_to: date  # first day of the month, inclusive


@dataclass(frozen=True)
class Contribution:
    """One month's social contribution from one employer, as the fund received it."""

    month: date  # first day of the month the contribution is for
    employer_bin: str
    employer_name: str
    income: Decimal  # the object of calculation (Social Code Art. 245 p.1)
    amount: Decimal
    paid_on: date


@dataclass(frozen=True)
class EmploymentPeriod:
    """One labour contract as the fund knows it; ``end`` (inclusive) is None while it is open."""

    employer_bin: str
    employer_name: str
    start: date
    end: date | None


@dataclass(frozen=True)
class ContributionsResponse:
    iin: str
    person_found: bool
    contributions: tuple[Contribution, ...] = ()
    periods: tuple[EmploymentPeriod, ...] = ()


def _year_month(text: str) -> date | None:
    match = _YEAR_MONTH.match(text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return None
    return date(int(match.group(1)), int(match.group(2)), 1)


# ---- the request --------------------------------------------------------------------------------


def build_request(request: ContributionsRequest) -> etree._Element:
    """``contributionsRequest`` for the months of ``period_from``..``period_to`` (inclusive)."""
    element = etree.Element(REQUEST_TAG, nsmap={"gfss": GFSS_NS})
    add_text(element, "iin", request.iin)
    add_text(element, "periodFrom", f"{request.period_from:%Y-%m}")
    add_text(element, "periodTo", f"{request.period_to:%Y-%m}")
    return element


def _request_text(element: etree._Element, tag: str) -> str:
    value = child_text(element, tag)
    if not value:
        raise ContributionsRequestError(f"contributionsRequest/{tag} is missing or empty")
    return value


def _request_month(element: etree._Element, tag: str) -> date:
    text = _request_text(element, tag)
    month = _year_month(text)
    if month is None:
        raise ContributionsRequestError(f"contributionsRequest/{tag} is not YYYY-MM: {text!r}")
    return month


def read_request(element: etree._Element) -> ContributionsRequest:
    """Read ``contributionsRequest``; raise :class:`ContributionsRequestError` for anything else."""
    if element.tag != REQUEST_TAG:
        raise ContributionsRequestError(f"expected {REQUEST_TAG}, found {element.tag}")
    iin = _request_text(element, "iin")
    return ContributionsRequest(iin, _request_month(element, "periodFrom"), _request_month(element, "periodTo"))


# ---- the response -------------------------------------------------------------------------------


def build_response(response: ContributionsResponse) -> etree._Element:
    """``contributionsResponse``, children in the order of ``gfss-contributions.xsd``."""
    element = etree.Element(RESPONSE_TAG, nsmap={"gfss": GFSS_NS})
    add_text(element, "iin", response.iin)
    add_text(element, "personFound", "true" if response.person_found else "false")
    holder = etree.SubElement(element, "contributions")
    for item in response.contributions:
        record = etree.SubElement(holder, "contribution")
        add_text(record, "month", f"{item.month:%Y-%m}")
        add_text(record, "employerBin", item.employer_bin)
        add_text(record, "employerName", item.employer_name)
        add_text(record, "income", f"{item.income:.2f}")
        add_text(record, "amount", f"{item.amount:.2f}")
        add_text(record, "paidOn", item.paid_on.isoformat())
    periods = etree.SubElement(element, "employmentPeriods")
    for period in response.periods:
        spell = etree.SubElement(periods, "employmentPeriod")
        add_text(spell, "employerBin", period.employer_bin)
        add_text(spell, "employerName", period.employer_name)
        add_text(spell, "startDate", period.start.isoformat())
        add_text(spell, "endDate", period.end.isoformat() if period.end is not None else None)
    return element


def _required(parent: etree._Element, tag: str) -> str:
    value = child_text(parent, tag)
    if not value:
        raise ContributionsResponseError(f"the fund's answer has no {tag} in {parent.tag}")
    return value


def _money(text: str, what: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ContributionsResponseError(f"contribution/{what} is not a decimal: {text!r}") from exc


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ContributionsResponseError(f"{what} is not a date: {text!r}") from exc


def _contribution(element: etree._Element) -> Contribution:
    text = _required(element, "month")
    month = _year_month(text)
    if month is None:
        raise ContributionsResponseError(f"contribution/month is not YYYY-MM: {text!r}")
    return Contribution(
        month=month,
        employer_bin=_required(element, "employerBin"),
        employer_name=_required(element, "employerName"),
        income=_money(_required(element, "income"), "income"),
        amount=_money(_required(element, "amount"), "amount"),
        paid_on=_day(_required(element, "paidOn"), "contribution/paidOn"),
    )


def _period(element: etree._Element) -> EmploymentPeriod:
    end = child_text(element, "endDate")
    period = EmploymentPeriod(
        employer_bin=_required(element, "employerBin"),
        employer_name=_required(element, "employerName"),
        start=_day(_required(element, "startDate"), "employmentPeriod/startDate"),
        end=_day(end, "employmentPeriod/endDate") if end else None,
    )
    if period.end is not None and period.end < period.start:
        raise ContributionsResponseError(f"employmentPeriod ends ({period.end}) before it starts ({period.start})")
    return period


def read_response(element: etree._Element) -> ContributionsResponse:
    """Read ``contributionsResponse``; raise :class:`ContributionsResponseError` if it is not one."""
    if element.tag != RESPONSE_TAG:
        raise ContributionsResponseError(f"expected {RESPONSE_TAG}, found {element.tag}")
    found = _required(element, "personFound")
    if found not in ("true", "false", "1", "0"):
        raise ContributionsResponseError(f"personFound is not a boolean: {found!r}")
    return ContributionsResponse(
        iin=_required(element, "iin"),
        person_found=found in ("true", "1"),
        contributions=tuple(_contribution(item) for item in element.findall("contributions/contribution")),
        periods=tuple(_period(item) for item in element.findall("employmentPeriods/employmentPeriod")),
    )
