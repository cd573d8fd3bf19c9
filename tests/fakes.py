"""Fakes of the employment centre's ports: real behaviour in memory, for tests without sockets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from employment.domain.models import (
    AcceptanceDecision,
    Applicant,
    Contribution,
    EmploymentPeriod,
    InsuranceHistory,
    RegistrationDecision,
    RegistryRecord,
    StageReport,
)
from employment.service_layer.ports import ExternalSystemUnavailable


@dataclass
class FakePersonRegistry:
    people: dict[str, RegistryRecord] = field(default_factory=dict)
    asked: list[tuple[str, str | None]] = field(default_factory=list)
    down: bool = False

    def find(self, iin: str, correlation_id: str | None) -> RegistryRecord | None:
        self.asked.append((iin, correlation_id))
        if self.down:
            raise ExternalSystemUnavailable("person registry is down")
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
            raise ExternalSystemUnavailable("monitoring IS is down")
        self.received.append(report)


@dataclass
class FakeDocuments:
    """Issues an unsigned stand-in of the Annex 3 / Annex 2 document, or of the refusal to accept, that
    names the decision."""

    issued: list[str] = field(default_factory=list)

    def issue(self, application_id: str, applicant: Applicant, decision: RegistrationDecision) -> str:
        rules = ",".join(reason.rule_id for reason in decision.reasons)
        kind = "notice" if decision.registered else f"refusal[{rules}]"
        document = f"<{kind.split('[')[0]} application='{application_id}' iin='{applicant.iin}' rules='{rules}'/>"
        self.issued.append(document)
        return document

    def issue_not_accepted(self, application_id: str, applicant: Applicant, refusal: AcceptanceDecision) -> str:
        rules = ",".join(reason.rule_id for reason in refusal.reasons)
        document = f"<notAccepted application='{application_id}' iin='{applicant.iin}' rules='{rules}'/>"
        self.issued.append(document)
        return document
