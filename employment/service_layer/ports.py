"""Interfaces of everything outside the employment centre that the handlers call.

Real adapters (through the gateway) live in ``employment.adapters``; fakes live in ``tests/fakes``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from employment.domain.models import (
    AcceptanceDecision,
    Applicant,
    InsuranceHistory,
    JobSeekerCard,
    RegistrationDecision,
    RegistryRecord,
    StageReport,
)


class ExternalSystemUnavailable(Exception):
    """A state system needed for the decision did not answer; nothing was decided."""


class PersonRegistry(Protocol):
    def find(self, iin: str, correlation_id: str | None) -> RegistryRecord | None: ...


class ContributionsSource(Protocol):
    def history(self, iin: str, period_from: date, period_to: date, correlation_id: str | None) -> InsuranceHistory:
        """Contributions for the months ``period_from``..``period_to`` and the employment periods not ended
        before ``period_from`` (State Social Insurance Fund)."""
        ...


class StageReporter(Protocol):
    def report(self, report: StageReport) -> None: ...


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
    applicant_signature: str


class EmploymentTransaction(Protocol):
    def application(self, application_id: str) -> StoredApplication | None: ...

    def save_application(self, application: StoredApplication) -> None: ...

    def job_seeker_card(self, iin: str) -> JobSeekerCard | None: ...

    def save_job_seeker_card(self, card: JobSeekerCard) -> None:
        """Create or replace the job seeker's card (JS-6, JS-7)."""
        ...

    def queue_stage_report(self, report: StageReport) -> None: ...


class EmploymentStore(Protocol):
    def transaction(self) -> AbstractContextManager[EmploymentTransaction]: ...

    def pending_stage_reports(self) -> Iterator[tuple[int, StageReport]]: ...

    def mark_stage_report_sent(self, report_id: int) -> None: ...

    def mark_stage_report_failed(self, report_id: int, error: str) -> None: ...
