"""Client of the State Social Insurance Fund through the gateway: ``GFSS_ContributionsQuery``.

Builds ``contributionsRequest`` (:mod:`contracts.gfss`: ``iin``, inclusive months ``periodFrom``/``periodTo``),
sends it over the SyncChannel (docs/gateway.md) and reads ``contributionsResponse`` into
:class:`ContributionRecord` (one per month and employer) and :class:`EmploymentPeriodRecord` (one per labour
contract: employer, first day, last day or open). A person the fund does not know (``personFound=false``) has
no contributions and no periods.

Errors::

    SocialFundError
    └── SocialFundUnavailable  a fault from the gateway or the fund (``code``), or no connection
        └── SocialFundAnswerError  the fund answered something this client cannot read

A malformed IIN is refused before anything is sent (``kernel.iin.InvalidIin``, a ``ValueError``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from adapters.shep.service_call import ServiceAnswerError, ServiceCallError, SyncSender, call_service
from contracts import gfss
from contracts.gfss import SERVICE_ID
from kernel.iin import parse_iin

__all__ = [
    "SERVICE_ID",
    "ContributionRecord",
    "ContributionsAnswer",
    "EmploymentPeriodRecord",
    "SocialFundAnswerError",
    "SocialFundClient",
    "SocialFundError",
    "SocialFundUnavailable",
    "build_request",
    "parse_response",
]

# The fund's records as the contract reads them.
ContributionRecord = gfss.Contribution
EmploymentPeriodRecord = gfss.EmploymentPeriod


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
class ContributionsAnswer:
    iin: str
    person_found: bool
    records: tuple[ContributionRecord, ...]
    periods: tuple[EmploymentPeriodRecord, ...] = ()


def build_request(iin: str, period_from: date, period_to: date) -> etree._Element:
    """``contributionsRequest`` for the months of ``period_from``..``period_to`` (inclusive)."""
    return gfss.build_request(gfss.ContributionsRequest(iin, period_from, period_to))


def parse_response(response: etree._Element) -> ContributionsAnswer:
    """Read ``contributionsResponse``; raise :class:`SocialFundAnswerError` if it is not one."""
    try:
        answer = gfss.read_response(response)
    except gfss.ContributionsResponseError as exc:
        raise SocialFundAnswerError(str(exc)) from exc
    return ContributionsAnswer(answer.iin, answer.person_found, answer.contributions, answer.periods)


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
