"""The fund's service: answer one ``GFSS_ContributionsQuery`` (payloads: :mod:`contracts.gfss`).

Reads ``contributionsRequest``: the IIN (check digit verified, kernel/iin.py) and the inclusive months
``periodFrom``..``periodTo``. Answers ``contributionsResponse`` with the contributions received by
today (the system clock's date in Almaty) for those months and the person's employment periods
(labour contracts) that have not ended before ``periodFrom`` (including one signed to start later); an
IIN the fund does not know gives ``personFound=false``, no contributions and no periods. A request it cannot read raises
:class:`ContributionsQueryError`, which the application turns into an ``SCE001`` fault.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime

from lxml import etree

from adapters.shep.envelope import Payload
from adapters.xml import XmlRejected
from contracts import gfss
from contracts.gfss import ContributionsRequest as ContributionsQuery
from kernel.clock import almaty
from kernel.iin import is_valid_iin
from mocks.population import EmploymentSpell, SyntheticPerson
from mocks.population_store import PersonLookup, PopulationIndex
from mocks.social_fund.adapters.contributions import Contribution, contributions_received

__all__ = ["ContributionsQuery", "ContributionsQueryError", "SocialFundService", "build_answer", "read_query"]


class ContributionsQueryError(ValueError):
    """The payload is not a ``contributionsRequest`` the fund can answer (SCE001 at the boundary)."""


def read_query(payload: Payload, max_bytes: int) -> ContributionsQuery:
    """Read and check ``contributionsRequest``; raise :class:`ContributionsQueryError` if unreadable."""
    try:
        element = payload.document(max_bytes)
    except XmlRejected as exc:
        raise ContributionsQueryError(f"the payload is not acceptable XML: {exc}") from exc
    try:
        query = gfss.read_request(element)
    except gfss.ContributionsRequestError as exc:
        raise ContributionsQueryError(str(exc)) from exc
    if not is_valid_iin(query.iin):
        raise ContributionsQueryError(f"contributionsRequest/iin {query.iin!r} is not a valid IIN (check digit)")
    if query.period_from > query.period_to:
        raise ContributionsQueryError("contributionsRequest/periodFrom is after periodTo")
    return query


def build_answer(
    iin: str,
    person_found: bool,
    contributions: Iterable[Contribution],
    periods: Iterable[EmploymentSpell] = (),
) -> etree._Element:
    """``contributionsResponse`` from the fund's own records."""
    return gfss.build_response(
        gfss.ContributionsResponse(
            iin=iin,
            person_found=person_found,
            contributions=tuple(
                gfss.Contribution(
                    month=item.month,
                    employer_bin=item.employer.bin,
                    employer_name=item.employer.name,
                    income=item.income,
                    amount=item.amount,
                    paid_on=item.paid_on,
                )
                for item in contributions
            ),
            periods=tuple(
                gfss.EmploymentPeriod(spell.employer.bin, spell.employer.name, spell.start, spell.end)
                for spell in periods
            ),
        )
    )


class SocialFundService:
    """The contributions of one person over a period, as received by today.

    ``population`` is the fund's participants: the shared population store (looked up by IIN, re-read when
    the file changes), or any people, which are indexed once. ``recorded`` gives the labour contracts
    reported to the fund since (``register_store``)."""

    def __init__(
        self,
        population: PersonLookup | Iterable[SyntheticPerson],
        *,
        now: Callable[[], datetime],
        max_bytes: int,
        recorded: Callable[[str], Sequence[EmploymentSpell]] = lambda iin: (),
    ) -> None:
        self._people = population if isinstance(population, PersonLookup) else PopulationIndex(population)
        self._now = now
        self._max_bytes = max_bytes
        self._recorded = recorded

    def _spells(self, person: SyntheticPerson) -> tuple[EmploymentSpell, ...]:
        """The person's spells: the population's and those reported to the fund since (register_store)."""
        return (*person.employment, *self._recorded(person.iin))

    def as_of(self) -> date:
        """Today in Almaty, from the system's clock."""
        return self._now().astimezone(almaty()).date()

    def contributions(
        self, iin: str, period_from: date | None = None, period_to: date | None = None
    ) -> tuple[bool, list[Contribution]]:
        """(person known to the fund, contributions received for the months in the period)."""
        person = self._people.find(iin)
        if person is None:
            return False, []
        received = contributions_received(self._spells(person), self.as_of())
        first, last = period_from or date.min, period_to or date.max
        return True, [item for item in received if first <= item.month <= last]

    def employment_periods(self, iin: str, period_from: date | None = None) -> list[EmploymentSpell]:
        """The person's labour contracts not ended before ``period_from``, by first day."""
        person = self._people.find(iin)
        if person is None:
            return []
        first = period_from or date.min
        return sorted(
            (spell for spell in self._spells(person) if spell.end is None or spell.end >= first),
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
