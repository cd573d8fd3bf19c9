"""The fund's service: answer one ``GFSS_ContributionsQuery`` (``wsdl/xsd/gfss-contributions.xsd``).

Reads ``contributionsRequest`` (namespace ``urn:kz:egov-sim:gfss:contributions:v1``; children
unqualified): the IIN (check digit verified, GATEWAY-PROTOCOL §6) and the inclusive months
``periodFrom``..``periodTo``. Answers ``contributionsResponse`` with the contributions received by
today (the system clock's date in Almaty) for those months and the person's employment periods
(labour contracts) that have not ended before ``periodFrom`` (including one signed to start later); an
IIN the fund does not know gives ``personFound=false``, no contributions and no periods. A request it cannot read raises
:class:`ContributionsQueryError`, which the application turns into an ``SCE001`` fault.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from adapters.shep.envelope import Payload
from adapters.xml import XmlRejected, child_text
from kernel.clock import almaty
from kernel.iin import is_valid_iin
from mocks.population import EmploymentSpell, SyntheticPerson, find_person
from mocks.social_fund.contributions import Contribution, contributions_received

GFSS_NS = "urn:kz:egov-sim:gfss:contributions:v1"
REQUEST_TAG = f"{{{GFSS_NS}}}contributionsRequest"
RESPONSE_TAG = f"{{{GFSS_NS}}}contributionsResponse"
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$")


class ContributionsQueryError(ValueError):
    """The payload is not a ``contributionsRequest`` the fund can answer (SCE001 at the boundary)."""


@dataclass(frozen=True)
class ContributionsQuery:
    iin: str
    period_from: date  # first day of the month
    period_to: date  # first day of the month, inclusive


def _required_text(element: etree._Element, tag: str) -> str:
    value = child_text(element, tag)
    if not value:
        raise ContributionsQueryError(f"contributionsRequest/{tag} is missing or empty")
    return value


def _year_month(element: etree._Element, tag: str) -> date:
    text = _required_text(element, tag)
    match = _YEAR_MONTH.match(text)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ContributionsQueryError(f"contributionsRequest/{tag} is not YYYY-MM: {text!r}")
    return date(int(match.group(1)), int(match.group(2)), 1)


def read_query(payload: Payload, max_bytes: int) -> ContributionsQuery:
    """Read and check ``contributionsRequest``; raise :class:`ContributionsQueryError` if unreadable."""
    try:
        element = payload.document(max_bytes)
    except XmlRejected as exc:
        raise ContributionsQueryError(f"the payload is not acceptable XML: {exc}") from exc
    if element.tag != REQUEST_TAG:
        raise ContributionsQueryError(f"expected {REQUEST_TAG}, found {element.tag}")
    iin = _required_text(element, "iin")
    if not is_valid_iin(iin):
        raise ContributionsQueryError(f"contributionsRequest/iin {iin!r} is not a valid IIN (check digit)")
    query = ContributionsQuery(iin, _year_month(element, "periodFrom"), _year_month(element, "periodTo"))
    if query.period_from > query.period_to:
        raise ContributionsQueryError("contributionsRequest/periodFrom is after periodTo")
    return query


def _text(parent: etree._Element, tag: str, value: str) -> None:
    etree.SubElement(parent, tag).text = value


def build_answer(
    iin: str,
    person_found: bool,
    contributions: Iterable[Contribution],
    periods: Iterable[EmploymentSpell] = (),
) -> etree._Element:
    """``contributionsResponse``, children in the order of ``gfss-contributions.xsd``."""
    response = etree.Element(RESPONSE_TAG, nsmap={"gfss": GFSS_NS})
    _text(response, "iin", iin)
    _text(response, "personFound", "true" if person_found else "false")
    holder = etree.SubElement(response, "contributions")
    for item in contributions:
        record = etree.SubElement(holder, "contribution")
        _text(record, "month", f"{item.month:%Y-%m}")
        _text(record, "employerBin", item.employer.bin)
        _text(record, "employerName", item.employer.name)
        _text(record, "income", f"{item.income:.2f}")
        _text(record, "amount", f"{item.amount:.2f}")
        _text(record, "paidOn", item.paid_on.isoformat())
    spells = etree.SubElement(response, "employmentPeriods")
    for spell in periods:
        period = etree.SubElement(spells, "employmentPeriod")
        _text(period, "employerBin", spell.employer.bin)
        _text(period, "employerName", spell.employer.name)
        _text(period, "startDate", spell.start.isoformat())
        if spell.end is not None:
            _text(period, "endDate", spell.end.isoformat())
    return response


class SocialFundService:
    """The contributions of one person over a period, as received by today."""

    def __init__(self, population: Iterable[SyntheticPerson], *, now: Callable[[], datetime], max_bytes: int) -> None:
        self._population = tuple(population)
        self._now = now
        self._max_bytes = max_bytes

    def as_of(self) -> date:
        """Today in Almaty, from the system's clock."""
        return self._now().astimezone(almaty()).date()

    def contributions(
        self, iin: str, period_from: date | None = None, period_to: date | None = None
    ) -> tuple[bool, list[Contribution]]:
        """(person known to the fund, contributions received for the months in the period)."""
        person = find_person(self._population, iin)
        if person is None:
            return False, []
        received = contributions_received(person.employment, self.as_of())
        first, last = period_from or date.min, period_to or date.max
        return True, [item for item in received if first <= item.month <= last]

    def employment_periods(self, iin: str, period_from: date | None = None) -> list[EmploymentSpell]:
        """The person's labour contracts not ended before ``period_from``, by first day."""
        person = find_person(self._population, iin)
        if person is None:
            return []
        first = period_from or date.min
        return sorted(
            (spell for spell in person.employment if spell.end is None or spell.end >= first),
            key=lambda spell: (spell.start, spell.employer.bin),
        )

    def answer(self, query: ContributionsQuery) -> etree._Element:
        """``contributionsResponse`` to a query already read and checked."""
        found, contributions = self.contributions(query.iin, query.period_from, query.period_to)
        periods = self.employment_periods(query.iin, query.period_from)
        return build_answer(query.iin, found, contributions, periods)

    def handle(self, payload: Payload) -> Payload:
        """Answer the payload of one ``GFSS_ContributionsQuery``."""
        return Payload(element=self.answer(read_query(payload, self._max_bytes)))
