"""Interfaces of the state systems outside the employment centre that the handlers call.

Real adapters (through the gateway) live in ``employment.adapters``; fakes live in ``tests/fakes``. The
transaction boundary and the repositories are in :mod:`employment.service_layer.unit_of_work`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from employment.domain.models import (
    AcceptanceDecision,
    Applicant,
    InsuranceHistory,
    RegistrationDecision,
    RegistryRecord,
    StageReport,
)


class ExternalSystemUnavailable(Exception):
    """A state system needed for the decision did not answer (or answered something unreadable); nothing
    was decided. ``system`` is the plain name of that system, safe to tell the sender; ``detail`` is for
    the centre's own log only (it may name internal addresses)."""

    def __init__(self, system: str, detail: str) -> None:
        super().__init__(f"{system}: {detail}")
        self.system = system
        self.detail = detail


class StageReportRefused(Exception):
    """The monitoring IS (or the gateway in front of it) refused a stage report for good: sending the same
    report again cannot succeed."""


class PersonRegistry(Protocol):
    def find(self, iin: str, correlation_id: str | None) -> RegistryRecord | None: ...


class ContributionsSource(Protocol):
    def history(self, iin: str, period_from: date, period_to: date, correlation_id: str | None) -> InsuranceHistory:
        """Contributions for the months ``period_from``..``period_to`` and the employment periods not ended
        before ``period_from`` (State Social Insurance Fund)."""
        ...


class StageReporter(Protocol):
    def report(self, report: StageReport) -> None:
        """Deliver one stage report (JS-8); raise :class:`StageReportRefused` for a refusal that a retry
        cannot cure, anything else for a failure worth another attempt."""
        ...


class ResultDocuments(Protocol):
    def issue(self, application_id: str, applicant: Applicant, decision: RegistrationDecision) -> str:
        """The signed result document (Rules Annex 3 or Annex 2) as XML text."""
        ...

    def issue_not_accepted(self, application_id: str, applicant: Applicant, refusal: AcceptanceDecision) -> str:
        """The signed reasoned refusal to accept the application (standard item 9) as XML text."""
        ...


@dataclass(frozen=True)
class StoredApplication:
    application_id: str
    iin: str
    correlation_id: str | None
    received_at: datetime
    deadline: datetime
    registered: bool
    reasons: list[dict[str, str]]
    document: str
    applicant_signature: str  # the verified signature on the form: the applicant's, or who signed in their place
    channel: str = "PORTAL"  # where the person applied (employment.domain.rules.channels.Channel)
