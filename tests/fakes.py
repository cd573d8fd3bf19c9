"""Fakes of the ports of the employment centre and of the local employment authority: real behaviour in memory,
for tests without sockets."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import TracebackType

from employment.domain.models import (
    AcceptanceDecision,
    Applicant,
    Contribution,
    EmploymentPeriod,
    InsuranceHistory,
    JobSeekerCard,
    RegistrationDecision,
    RegistryRecord,
    StageReport,
)
from employment.service_layer.ports import ExternalSystemUnavailable, StoredApplication
from employment.service_layer.unit_of_work import ApplicationAlreadyStored, CardChangedConcurrently
from mocks.local_authority.domain.models import Case as AuthorityCase
from mocks.local_authority.domain.models import InsuranceFacts, RegistryFacts
from mocks.local_authority.domain.models import Outcome as AuthorityOutcome
from mocks.local_authority.domain.models import Reason as AuthorityReason
from mocks.local_authority.service_layer.ports import StateSystemUnavailable


@dataclass
class FakePersonRegistry:
    people: dict[str, RegistryRecord] = field(default_factory=dict)
    asked: list[tuple[str, str | None]] = field(default_factory=list)
    down: bool = False

    def find(self, iin: str, correlation_id: str | None) -> RegistryRecord | None:
        self.asked.append((iin, correlation_id))
        if self.down:
            raise ExternalSystemUnavailable("the person registry", "down (fake)")
        return self.people.get(iin)


@dataclass
class FakeContributions:
    by_iin: dict[str, list[Contribution]] = field(default_factory=dict)
    employment: dict[str, list[EmploymentPeriod]] = field(default_factory=dict)

    def history(self, iin: str, period_from: date, period_to: date, correlation_id: str | None) -> InsuranceHistory:
        return InsuranceHistory(
            contributions=tuple(c for c in self.by_iin.get(iin, []) if period_from <= c.month <= period_to),
            employment=tuple(p for p in self.employment.get(iin, []) if p.end is None or p.end >= period_from),
        )


@dataclass
class FakeStageReporter:
    received: list[StageReport] = field(default_factory=list)
    failures_left: int = 0

    def report(self, report: StageReport) -> None:
        if self.failures_left:
            self.failures_left -= 1
            raise ExternalSystemUnavailable("the monitoring IS", "down (fake)")
        self.received.append(report)


@dataclass
class FakeDocuments:
    """Issues an unsigned stand-in of the Annex 3 / Annex 2 document, or of the refusal to accept, that
    names the decision."""

    issued: list[str] = field(default_factory=list)

    def issue(self, application_id: str, applicant: Applicant, decision: RegistrationDecision) -> str:
        rules = ",".join(reason.rule_id for reason in decision.reasons)
        kind = "notice" if decision.registered else f"refusal[{rules}]"
        serial = len(self.issued) + 1  # each issue is a distinct document, as a real signature would make it
        tag = kind.split("[")[0]
        document = f"<{tag} application='{application_id}' iin='{applicant.iin}' rules='{rules}' serial='{serial}'/>"
        self.issued.append(document)
        return document

    def issue_not_accepted(self, application_id: str, applicant: Applicant, refusal: AcceptanceDecision) -> str:
        rules = ",".join(reason.rule_id for reason in refusal.reasons)
        document = f"<notAccepted application='{application_id}' iin='{applicant.iin}' rules='{rules}'/>"
        self.issued.append(document)
        return document

@dataclass
class FakeDatabase:
    """What the fake units of work have committed: decisions, cards, and the stage reports queued."""

    applications: dict[str, StoredApplication] = field(default_factory=dict)
    job_seekers: dict[str, JobSeekerCard] = field(default_factory=dict)
    stage_reports: list[StageReport] = field(default_factory=list)
    commits: int = 0  # transactions that wrote something


class _FakeApplications:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def get(self, application_id: str) -> StoredApplication | None:
        return self._uow.staged_applications.get(application_id) or self._uow.db.applications.get(application_id)

    def add(self, application: StoredApplication) -> None:
        if self.get(application.application_id) is not None:
            raise ApplicationAlreadyStored(application.application_id)
        self._uow.staged_applications[application.application_id] = application


class _FakeJobSeekers:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def card_for_update(self, iin: str) -> JobSeekerCard | None:
        return self._uow.staged_cards.get(iin) or self._uow.db.job_seekers.get(iin)

    def save(self, card: JobSeekerCard, *, new: bool) -> None:
        if new and self._uow.db.job_seekers.get(card.iin) is not None:
            raise CardChangedConcurrently(card.iin)
        self._uow.staged_cards[card.iin] = card


class FakeUnitOfWork:
    """All or nothing, like the real one: what was done inside ``with`` reaches ``db`` only on a clean exit."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.staged_applications: dict[str, StoredApplication] = {}
        self.staged_cards: dict[str, JobSeekerCard] = {}
        self.staged_reports: list[StageReport] = []

    @property
    def applications(self) -> _FakeApplications:
        return _FakeApplications(self)

    @property
    def job_seekers(self) -> _FakeJobSeekers:
        return _FakeJobSeekers(self)

    def report_stage(self, report: StageReport) -> None:
        self.staged_reports.append(report)

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is None and (self.staged_applications or self.staged_cards or self.staged_reports):
            self.db.applications.update(self.staged_applications)
            self.db.job_seekers.update(self.staged_cards)
            self.db.stage_reports.extend(self.staged_reports)
            self.db.commits += 1


def fake_unit_of_work(db: FakeDatabase) -> Callable[[], FakeUnitOfWork]:
    return lambda: FakeUnitOfWork(db)


# ---- the local employment authority's ports (mocks.local_authority.service_layer.ports) ----------------------


@dataclass
class FakeStateSystems:
    """The person registry and the fund as the local authority asks them: ``people`` by IIN (absent: unknown to
    the registry), ``insurance`` by IIN; ``down`` makes every question fail as a system that does not answer."""

    people: dict[str, RegistryFacts] = field(default_factory=dict)
    insurance_by_iin: dict[str, InsuranceFacts] = field(default_factory=dict)
    down: bool = False
    asked: list[tuple[str, str]] = field(default_factory=list)

    def person(self, iin: str, correlation_id: str | None) -> RegistryFacts | None:
        self.asked.append(("registry", iin))
        if self.down:
            raise StateSystemUnavailable("the person registry", "down (fake)")
        return self.people.get(iin)

    def insurance(self, iin: str, since: date, until: date, correlation_id: str | None) -> InsuranceFacts:
        self.asked.append(("fund", iin))
        if self.down:
            raise StateSystemUnavailable("the State Social Insurance Fund", "down (fake)")
        return self.insurance_by_iin.get(iin, InsuranceFacts())


@dataclass
class FakeDecisionSigner:
    """An unsigned stand-in of the head's decision that names what it decides."""

    signed: list[str] = field(default_factory=list)

    def sign(
        self,
        case: AuthorityCase,
        decision_id: str,
        outcome: AuthorityOutcome,
        reasons: Sequence[AuthorityReason],
        decided_on: date,
        registered_on: date | None,
    ) -> str:
        rules = ",".join(reason.rule_id for reason in reasons)
        document = f"<decision id='{decision_id}' case='{case.case_id}' outcome='{outcome}' rules='{rules}'/>"
        self.signed.append(document)
        return document
