"""The monitoring IS's service layer: accept stage reports, build application records, find the overdue.

- JS-8 and UN-6 (Rules No. 259 §23, §36): the provider reports each stage of the service; T-5: the deadline of every
  stage travels with the report, and an application not finished by its latest deadline is overdue.
- A provider whose procedure has steps with terms of their own (regulation 004 §5: the fund's clerk, head, executor)
  also reports the deadline of the step each stage starts (``stepDeadline``): an unfinished application whose latest
  stage's step deadline has passed is *late on its step*, listed apart; it changes nothing of T-5's overdue.
- The application record (field names of the real monitoring records) carries ``applicationId``, ``serviceType``,
  ``currentState``, ``isPositive``, ``deadline``, ``registerOrg``, ``executorOrg``, ``registerDate``,
  ``finishedDate``, ``refuseReason``, ``shepCorrelationId``; each stage records the one before it
  (``oldStatus`` -> ``newStatus``).
- Reports arrive through the gateway's REST channel (docs/protocol.md §2), re-signed by the gateway with a
  detached JWS over the body, the id headers and the time; only the gateway may deliver them, within the
  allowed clock skew and each message once (:class:`GatewayAuthenticator`, with the providers' shared
  :class:`adapters.shep.replay_guard.ReplayGuard`).
- Only the system that registered an application (the sender of its first report) may report its later
  stages (:class:`mocks.monitoring.storage.ForeignApplicationError`, answered 403).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from adapters.pki import TrustStore, system_signer_problem
from adapters.shep.faults import ErrorCode, transport_signature_code
from adapters.shep.replay_guard import ReplayGuard, ReplayRefused
from adapters.shep.rest_headers import GATEWAY_SIGNED, MESSAGE_ID, SENDER_ID, SIGNATURE, header_problem
from adapters.signatures import SignatureError
from adapters.signatures.jws import verify_request
from contracts.stage_report import StageReportDocument
from kernel.clock import almaty
from mocks.monitoring.queries import ApplicationQuery, Cursor
from mocks.monitoring.storage import Provenance, StageReport, StageReportStore, StoredStage

_T = TypeVar("_T")
_K = TypeVar("_K")

# Stages after which nothing is pending for the applicant: the result is issued or the service refused.
FINAL_STAGES = frozenset({"RESULT_ISSUED", "REFUSED"})


def report_from_document(document: StageReportDocument) -> StageReport:
    """The stage report a sender's document states, whichever channel brought it (REST or AsyncChannel)."""
    return StageReport(
        application_id=document.applicationId,
        service_type=document.serviceType,
        stage=document.stage,
        stage_at=document.stageAt,
        deadline=document.deadline,
        is_positive=document.isPositive,
        register_org=document.registerOrg,
        executor_org=document.executorOrg,
        refuse_reason=document.refuseReason,
        rule_id=document.ruleId,
        shep_correlation_id=document.shepCorrelationId,
        channel=document.channel,
        step_deadline=document.stepDeadline,
    )


class UnauthorisedReportError(Exception):
    """The report was not delivered by the gateway (missing, invalid or foreign signature), or not now:
    stale or replayed (SCE008), or its id headers are not ids (SCE001)."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


class UnknownApplicationError(LookupError):
    """No stage report names this application."""


@dataclass(frozen=True)
class ReceivedReport:
    report_id: int
    duplicate: bool


@dataclass(frozen=True)
class ApplicationRecord:
    """What the monitoring IS knows of one application, computed from its stages in order."""

    application_id: str
    service_type: str
    current_state: str
    is_positive: bool | None
    deadline: datetime | None
    register_org: str | None
    executor_org: str | None
    register_date: datetime
    finished_date: datetime | None
    refuse_reason: str | None
    shep_correlation_id: str | None
    stages: tuple[StoredStage, ...]
    channel: str | None = None  # where the person applied, as the first stage naming one says

    @property
    def is_finished(self) -> bool:
        return self.finished_date is not None

    def is_overdue(self, at: datetime) -> bool:
        """T-5 (docs/rules.md): not finished and its latest deadline has passed. The deadline is inclusive:
        an application unfinished at the very instant of its deadline is still on time, and overdue at any
        later instant."""
        return not self.is_finished and self.deadline is not None and self.deadline < at

    @property
    def step_deadline(self) -> datetime | None:
        """The deadline of the step the application now waits for: its latest stage's (regulation 004 §5)."""
        return self.stages[-1].report.step_deadline

    def is_late_on_step(self, at: datetime) -> bool:
        """Not finished and the deadline of the step it waits for has passed (inclusive, as :meth:`is_overdue`)."""
        return not self.is_finished and self.step_deadline is not None and self.step_deadline < at


def stage_kind(old_status: str | None, new_status: str) -> str:
    """Which of the monitoring workstation's three calls a stage amounts to: ``REGISTER`` (the application's
    first stage), ``STATUS_CHANGE`` (a new status) or ``UPDATE`` (the same status reported again later, e.g.
    with a moved deadline or another executor organisation)."""
    if old_status is None:
        return "REGISTER"
    return "UPDATE" if old_status == new_status else "STATUS_CHANGE"


def _latest(values: Iterable[_T | None]) -> _T | None:
    found: _T | None = None
    for value in values:
        if value is not None:
            found = value
    return found


def _first(values: Iterable[_T | None]) -> _T | None:
    return next((value for value in values if value is not None), None)


def build_record(stages: list[StoredStage]) -> ApplicationRecord:
    """Fold the ordered stages of one application into its record."""
    if not stages:
        raise ValueError("an application record needs at least one stage")
    reports = [stage.report for stage in stages]
    finished = next((report.stage_at for report in reports if report.stage in FINAL_STAGES), None)
    return ApplicationRecord(
        application_id=reports[0].application_id,
        service_type=reports[0].service_type,
        current_state=reports[-1].stage,
        is_positive=_latest(report.is_positive for report in reports),
        deadline=_latest(report.deadline for report in reports),
        register_org=_first(report.register_org for report in reports),
        executor_org=_latest(report.executor_org for report in reports),
        register_date=reports[0].stage_at,
        finished_date=finished,
        refuse_reason=_latest(report.refuse_reason for report in reports),
        shep_correlation_id=_first(report.shep_correlation_id for report in reports),
        stages=tuple(stages),
        channel=_first(report.channel for report in reports),
    )


@dataclass(frozen=True)
class ApplicationPage:
    """One page of a query, newest first; ``next_cursor`` is None on the last page."""

    records: list[ApplicationRecord]
    next_cursor: Cursor | None


@dataclass(frozen=True)
class OverdueReport:
    """T-5: the unfinished applications past their deadline at ``at``, with their counts per service and per
    executor organisation (``None``: no stage named an executor); apart, the unfinished applications late on
    their step (regulation 004 §5), whether or not the service's deadline has passed."""

    at: datetime
    records: list[ApplicationRecord]
    by_service: dict[str, int]
    by_executor: dict[str | None, int]
    late_on_step: list[ApplicationRecord]


def _count(keys: Iterable[_K]) -> dict[_K, int]:
    counts: dict[_K, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    return counts


class StageReportService:
    """Record stage reports and answer the monitoring queries (JS-8, UN-6, T-5)."""

    def __init__(self, store: StageReportStore, now: Callable[[], datetime]) -> None:
        self._store = store
        self._now = now

    def record(self, report: StageReport, provenance: Provenance) -> ReceivedReport:
        report_id, duplicate = self._store.add(report, provenance, self._now())
        return ReceivedReport(report_id, duplicate)

    def application(self, application_id: str) -> ApplicationRecord:
        stages = self._store.stages_of(application_id)
        if not stages:
            raise UnknownApplicationError(f"no stage report names application {application_id!r}")
        return build_record(stages)

    def applications(self, service_type: str | None = None) -> list[ApplicationRecord]:
        grouped: dict[str, list[StoredStage]] = {}
        for stage in self._store.all_stages():
            grouped.setdefault(stage.report.application_id, []).append(stage)
        records = [build_record(stages) for stages in grouped.values()]
        if service_type is not None:
            records = [record for record in records if record.service_type == service_type]
        return sorted(records, key=lambda record: (record.register_date, record.application_id))

    def find(self, query: ApplicationQuery) -> ApplicationPage:
        """The applications ``query`` selects, newest first, one page (:mod:`mocks.monitoring.queries`)."""
        found = [build_record(stages) for stages in self._store.application_page(query)]
        records = found[: query.limit]
        if len(found) <= query.limit:
            return ApplicationPage(records, None)
        last = records[-1]
        return ApplicationPage(records, Cursor(last.register_date, last.application_id))

    def overdue_report(
        self, at: datetime | None = None, *, service_type: str | None = None, executor_org: str | None = None
    ) -> OverdueReport:
        """T-5 at ``at`` (default: now on the shared clock), optionally of one service or one executor
        organisation; the list is the most overdue first (earliest deadline), then by application id. The
        applications late on their step follow the same filters, the earliest step deadline first."""
        moment = (at or self._now()).astimezone(almaty())
        records = [
            record
            for record in self.applications(service_type)
            if executor_org is None or record.executor_org == executor_org
        ]
        overdue = sorted(
            (record for record in records if record.is_overdue(moment)),
            key=lambda record: (record.deadline or moment, record.application_id),
        )
        late_on_step = sorted(
            (record for record in records if record.is_late_on_step(moment)),
            key=lambda record: (record.step_deadline or moment, record.application_id),
        )
        return OverdueReport(
            at=moment,
            records=overdue,
            by_service=_count(record.service_type for record in overdue),
            by_executor=_count(record.executor_org for record in overdue),
            late_on_step=late_on_step,
        )

    def overdue(self, at: datetime | None = None) -> tuple[datetime, list[ApplicationRecord]]:
        """Applications whose latest deadline is before ``at`` (default: now) and that are not finished;
        the instant is given back in Astana time, whatever offset the caller wrote it in."""
        moment = (at or self._now()).astimezone(almaty())
        return moment, [record for record in self.applications() if record.is_overdue(moment)]


class GatewayAuthenticator:
    """Accept a REST request only with the gateway's detached JWS over exactly its body, path, id headers and
    time (docs/protocol.md §2), dated within the clock skew and never seen before (the replay guard)."""

    def __init__(
        self, trust: TrustStore, gateway_bin: str, now: Callable[[], datetime], replay_guard: ReplayGuard
    ) -> None:
        self._trust = trust
        self._gateway_bin = gateway_bin
        self._now = now
        self._replay_guard = replay_guard

    def authenticate(self, body: bytes, *, path: str, headers: Mapping[str, str]) -> str:
        """Return a description of the signer, or raise :class:`UnauthorisedReportError`. ``headers`` by
        lower-case name; ``path`` the request's."""
        problem = header_problem(headers, GATEWAY_SIGNED)
        if problem:
            raise UnauthorisedReportError(ErrorCode.MALFORMED, problem)
        try:
            verified = verify_request(
                headers.get(SIGNATURE),
                body,
                method="POST",
                path=path,
                headers=headers,
                required=GATEWAY_SIGNED,
                trust=self._trust,
                at=self._now(),
            )
        except SignatureError as exc:
            raise UnauthorisedReportError(transport_signature_code(exc), str(exc)) from exc
        not_gateway = system_signer_problem(verified.signer, self._gateway_bin)
        if not_gateway is not None:
            raise UnauthorisedReportError(
                ErrorCode.TRANSPORT_SIGNATURE_INVALID,
                f"stage reports are accepted only through the gateway (BIN {self._gateway_bin}): {not_gateway}",
            )
        try:
            self._replay_guard.admit(headers[SENDER_ID], headers[MESSAGE_ID], verified.signed_at)
        except ReplayRefused as exc:
            raise UnauthorisedReportError(exc.code, str(exc)) from exc
        return verified.signer.describe()
