"""Client of the State Social Insurance Fund through the gateway: ``GFSS_ContributionsQuery``.

Builds ``contributionsRequest`` (``wsdl/xsd/gfss-contributions.xsd``, namespace
``urn:kz:egov-sim:gfss:contributions:v1``, children unqualified: ``iin``, inclusive months
``periodFrom``/``periodTo``), sends it over the SyncChannel (GATEWAY-PROTOCOL §1) and reads
``contributionsResponse`` into :class:`ContributionRecord` (one per month and employer) and
:class:`EmploymentPeriodRecord` (one per labour contract: employer, first day, last day or open). A person
the fund does not know (``personFound=false``) has no contributions and no periods.

Errors::

    SocialFundError
    └── SocialFundUnavailable  a fault from the gateway or the fund (``code``), or no connection
        └── SocialFundAnswerError  the fund answered something this client cannot read

A malformed IIN is refused before anything is sent (``kernel.iin.InvalidIin``, a ``ValueError``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from lxml import etree

from adapters.shep.service_call import ServiceAnswerError, ServiceCallError, SyncSender, call_service
from adapters.xml import child_text
from kernel.iin import parse_iin

SERVICE_ID = "GFSS_ContributionsQuery"
GFSS_NS = "urn:kz:egov-sim:gfss:contributions:v1"
REQUEST_TAG = f"{{{GFSS_NS}}}contributionsRequest"
RESPONSE_TAG = f"{{{GFSS_NS}}}contributionsResponse"
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})")


class SocialFundError(Exception):
    """Base of the social fund client's errors."""


class SocialFundUnavailable(SocialFundError):
    """No answer from the fund: a fault from the gateway or the fund, or no connection."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class SocialFundAnswerError(SocialFundUnavailable):
    """The fund answered something that is not a readable ``contributionsResponse``."""


@dataclass(frozen=True)
class ContributionRecord:
    """One month's social contribution from one employer, as the fund received it."""

    month: date  # first day of the month the contribution is for
    employer_bin: str
    employer_name: str
    income: Decimal  # the object of calculation (Social Code Art. 245 p.1)
    amount: Decimal
    paid_on: date


@dataclass(frozen=True)
class EmploymentPeriodRecord:
    """One labour contract as the fund knows it; ``end`` (inclusive) is None while it is open."""

    employer_bin: str
    employer_name: str
    start: date
    end: date | None


@dataclass(frozen=True)
class ContributionsAnswer:
    iin: str
    person_found: bool
    records: tuple[ContributionRecord, ...]
    periods: tuple[EmploymentPeriodRecord, ...] = ()


def build_request(iin: str, period_from: date, period_to: date) -> etree._Element:
    """``contributionsRequest`` for the months of ``period_from``..``period_to`` (inclusive)."""
    request = etree.Element(REQUEST_TAG, nsmap={"gfss": GFSS_NS})
    etree.SubElement(request, "iin").text = iin
    etree.SubElement(request, "periodFrom").text = f"{period_from:%Y-%m}"
    etree.SubElement(request, "periodTo").text = f"{period_to:%Y-%m}"
    return request


def _required(parent: etree._Element, tag: str) -> str:
    value = child_text(parent, tag)
    if not value:
        raise SocialFundAnswerError(f"the fund's answer has no {tag} in {parent.tag}")
    return value


def _month(text: str) -> date:
    match = _YEAR_MONTH.match(text)
    try:
        if match is None:
            raise ValueError(text)
        return date(int(match.group(1)), int(match.group(2)), 1)
    except ValueError as exc:
        raise SocialFundAnswerError(f"contribution/month is not YYYY-MM: {text!r}") from exc


def _money(text: str, what: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise SocialFundAnswerError(f"contribution/{what} is not a decimal: {text!r}") from exc


def _day(text: str, what: str = "contribution/paidOn") -> date:
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise SocialFundAnswerError(f"{what} is not a date: {text!r}") from exc


def read_record(element: etree._Element) -> ContributionRecord:
    return ContributionRecord(
        month=_month(_required(element, "month")),
        employer_bin=_required(element, "employerBin"),
        employer_name=_required(element, "employerName"),
        income=_money(_required(element, "income"), "income"),
        amount=_money(_required(element, "amount"), "amount"),
        paid_on=_day(_required(element, "paidOn")),
    )


def read_period(element: etree._Element) -> EmploymentPeriodRecord:
    end = child_text(element, "endDate")
    period = EmploymentPeriodRecord(
        employer_bin=_required(element, "employerBin"),
        employer_name=_required(element, "employerName"),
        start=_day(_required(element, "startDate"), "employmentPeriod/startDate"),
        end=_day(end, "employmentPeriod/endDate") if end else None,
    )
    if period.end is not None and period.end < period.start:
        raise SocialFundAnswerError(f"employmentPeriod ends ({period.end}) before it starts ({period.start})")
    return period


def parse_response(response: etree._Element) -> ContributionsAnswer:
    """Read ``contributionsResponse``; raise :class:`SocialFundAnswerError` if it is not one."""
    if response.tag != RESPONSE_TAG:
        raise SocialFundAnswerError(f"expected {RESPONSE_TAG}, found {response.tag}")
    found = _required(response, "personFound")
    if found not in ("true", "false", "1", "0"):
        raise SocialFundAnswerError(f"personFound is not a boolean: {found!r}")
    return ContributionsAnswer(
        iin=_required(response, "iin"),
        person_found=found in ("true", "1"),
        records=tuple(read_record(item) for item in response.findall("contributions/contribution")),
        periods=tuple(read_period(item) for item in response.findall("employmentPeriods/employmentPeriod")),
    )


class SocialFundClient:
    """Ask the fund for a person's contributions, through the gateway."""

    def __init__(self, sync_client: SyncSender, now: Callable[[], datetime]) -> None:
        self._sync = sync_client
        self._now = now  # kept for symmetry with the other clients; the query itself carries no date

    def query(
        self, iin: str, period_from: date, period_to: date, correlation_id: str | None = None
    ) -> ContributionsAnswer:
        """The whole answer for the months of ``period_from``..``period_to`` (inclusive)."""
        if period_from > period_to:
            raise ValueError(f"period_from {period_from} is after period_to {period_to}")
        request = build_request(parse_iin(iin), period_from, period_to)
        try:
            answer = call_service(self._sync, SERVICE_ID, request, correlation_id)
        except ServiceAnswerError as exc:
            raise SocialFundAnswerError(str(exc), exc.code) from exc
        except ServiceCallError as exc:
            raise SocialFundUnavailable(str(exc), exc.code) from exc
        return parse_response(answer)

    def contributions(
        self, iin: str, period_from: date, period_to: date, correlation_id: str | None = None
    ) -> list[ContributionRecord]:
        """Contributions for the months of ``period_from``..``period_to``, by month; [] if the fund
        does not know the person."""
        return list(self.query(iin, period_from, period_to, correlation_id).records)
