"""The monitoring IS's queries (by correlationId, service and period, newest first with a cursor) and its
overdue report per service and executor organisation (T-5 of docs/rules.md), with the applications late on their
step (regulation 004 §5) apart, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ecosystem.settings import Settings
from kernel.clock import FixedClock
from mocks.monitoring.app import create_app
from mocks.monitoring.queries import ApplicationQuery, Cursor, QueryError
from mocks.monitoring.service import StageReportService
from mocks.monitoring.storage import Provenance, StageReport, StageReportStore

ALMATY = timezone(timedelta(hours=5))
T0 = datetime(2026, 11, 23, 10, 0, tzinfo=ALMATY)
MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)
OWNER = Provenance("ENBEK_LABOUR_MARKET", "{session}", "message-1", "corr-1", "gateway")
JOB_SEEKER, JOB_LOSS = "JOB_SEEKER_REGISTRATION", "SOCIAL_PAYMENT_JOB_LOSS"


def report(application_id: str, name: str, at: datetime, **extra: Any) -> StageReport:
    fields: dict[str, Any] = {"service_type": JOB_SEEKER, "deadline": None} | extra
    return StageReport(application_id=application_id, stage=name, stage_at=at, **fields)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def service(database_url: str, clock: FixedClock) -> StageReportService:
    return StageReportService(StageReportStore.at(database_url), clock.now)


def ids(service: StageReportService, **query: Any) -> list[str]:
    return [record.application_id for record in service.find(ApplicationQuery(**query)).records]


def test_queries_by_correlation_id_service_and_period_newest_first(service: StageReportService) -> None:
    service.record(report("A", "ACCEPTED", T0, shep_correlation_id="corr-A"), OWNER)
    service.record(report("A", "DECISION_MADE", T0 + 5 * DAY), OWNER)  # a late stage: A still registered at T0
    service.record(report("B", "ACCEPTED", T0 + DAY, service_type=JOB_LOSS), OWNER)
    service.record(report("C", "ACCEPTED", (T0 + 2 * DAY).astimezone(UTC)), OWNER)  # written in UTC
    service.record(report("C", "DATA_REQUESTED", T0 + 2 * DAY + HOUR, shep_correlation_id="corr-C"), OWNER)

    assert ids(service) == ["C", "B", "A"]
    assert ids(service, correlation_id="corr-C") == ["C"]  # carried by a later stage, not the first
    assert ids(service, correlation_id="nobody") == []
    assert ids(service, service_type=JOB_SEEKER) == ["C", "A"]
    assert ids(service, service_type=JOB_LOSS) == ["B"]
    # the period is half-open, from <= registerDate < to, whatever offset its ends are written in
    assert ids(service, registered_from=T0, registered_to=T0 + DAY) == ["A"]
    assert ids(service, registered_from=(T0 + DAY).astimezone(UTC)) == ["C", "B"]
    assert ids(service, registered_to=T0 + 2 * DAY) == ["B", "A"]
    assert ids(service, service_type=JOB_SEEKER, registered_from=T0 + HOUR) == ["C"]
    record = service.find(ApplicationQuery(correlation_id="corr-A")).records[0]
    assert [stored.report.stage for stored in record.stages] == ["ACCEPTED", "DECISION_MADE"]


def test_pages_follow_the_cursor_and_are_not_shifted_by_newer_applications(service: StageReportService) -> None:
    for n in range(5):  # two registered at the same instant: the id breaks the tie
        service.record(report(f"P-{n}", "ACCEPTED", T0 + min(n, 3) * HOUR), OWNER)

    first = service.find(ApplicationQuery(limit=2))
    assert [r.application_id for r in first.records] == ["P-4", "P-3"]
    assert first.next_cursor == Cursor(T0 + 3 * HOUR, "P-3")
    service.record(report("NEWER", "ACCEPTED", T0 + DAY), OWNER)  # arrives between two pages
    second = service.find(ApplicationQuery(limit=2, after=Cursor.decode(first.next_cursor.encode())))
    assert [r.application_id for r in second.records] == ["P-2", "P-1"]
    assert second.next_cursor is not None
    last = service.find(ApplicationQuery(limit=2, after=second.next_cursor))
    assert [r.application_id for r in last.records] == ["P-0"]
    assert last.next_cursor is None
    exact = service.find(ApplicationQuery(limit=6))
    assert len(exact.records) == 6 and exact.next_cursor is None  # no empty page after an exact fit


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"registered_from": datetime(2026, 11, 23)}, "'from' .* has no offset"),
        ({"registered_to": datetime(2026, 11, 23)}, "'to' .* has no offset"),
        ({"registered_from": T0, "registered_to": T0}, "the period is empty"),
        ({"limit": 0}, "limit must be between"),
    ],
)
def test_a_query_that_cannot_be_answered_says_why(query: dict[str, Any], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        ApplicationQuery(**query)


@pytest.mark.parametrize("cursor", ["not-base64!", "e30", "x" * 600])
def test_a_cursor_not_given_by_the_monitoring_is_is_refused(cursor: str) -> None:
    with pytest.raises(QueryError, match="nextCursor of the previous page"):
        Cursor.decode(cursor)


def test_an_application_is_overdue_exactly_after_its_deadline_on_the_clock(
    service: StageReportService, clock: FixedClock
) -> None:
    deadline = T0 + DAY
    service.record(report("D", "ACCEPTED", T0, deadline=deadline, executor_org="centre-1"), OWNER)

    assert service.overdue_report().records == []
    clock.set(deadline)  # at the deadline itself: still on time (the deadline is inclusive)
    assert service.overdue_report().records == []
    clock.advance(timedelta(microseconds=1))
    overdue = service.overdue_report()
    assert overdue.at == deadline + timedelta(microseconds=1)
    assert [r.application_id for r in overdue.records] == ["D"]
    service.record(report("D", "RESULT_ISSUED", deadline + HOUR), OWNER)  # finished late: nothing pending
    assert service.overdue_report().records == []


def test_the_overdue_report_counts_per_service_and_executor(service: StageReportService, clock: FixedClock) -> None:
    late = T0 + DAY
    service.record(report("S-1", "ACCEPTED", T0, deadline=late + HOUR, executor_org="centre-1"), OWNER)
    service.record(report("S-2", "ACCEPTED", T0, deadline=late, executor_org="centre-2"), OWNER)
    service.record(report("S-2", "ACCEPTED", T0 + HOUR, deadline=late, executor_org="centre-1"), OWNER)  # handed on
    service.record(report("S-3", "ACCEPTED", T0, deadline=late, service_type=JOB_LOSS, executor_org="fund"), OWNER)
    service.record(report("S-4", "ACCEPTED", T0, deadline=late, service_type=JOB_LOSS), OWNER)
    service.record(report("ON-TIME", "ACCEPTED", T0, deadline=late + 3 * DAY, executor_org="centre-1"), OWNER)
    clock.set(late + 2 * HOUR)

    overdue = service.overdue_report()

    assert [r.application_id for r in overdue.records] == ["S-2", "S-3", "S-4", "S-1"]  # earliest deadline first
    assert overdue.by_service == {JOB_SEEKER: 2, JOB_LOSS: 2}
    assert overdue.by_executor == {"centre-1": 2, "fund": 1, None: 1}  # the latest executor of S-2
    of_centre = service.overdue_report(executor_org="centre-1")
    assert [r.application_id for r in of_centre.records] == ["S-2", "S-1"]
    assert of_centre.by_service == {JOB_SEEKER: 2}
    assert [r.application_id for r in service.overdue_report(service_type=JOB_LOSS).records] == ["S-3", "S-4"]


def test_an_application_late_on_its_step_is_listed_apart_from_the_overdue(
    service: StageReportService, clock: FixedClock
) -> None:
    # SP-1 (regulation 004 §5): each stage names the deadline of the step it starts; the service's is far ahead
    service_end = T0 + 10 * DAY
    steps: dict[str, Any] = {"service_type": JOB_LOSS, "deadline": service_end}
    service.record(report("HEAD-LATE", "REGISTERED", T0, step_deadline=T0 + 10 * MINUTE, **steps), OWNER)
    service.record(report("ON-STEP", "REGISTERED", T0, step_deadline=T0 + 10 * MINUTE, **steps), OWNER)
    # the head acted in time: the application now waits for the executor, whose term is later
    service.record(report("ON-STEP", "EXECUTOR_ASSIGNED", T0 + 5 * MINUTE, step_deadline=T0 + 3 * DAY, **steps), OWNER)
    service.record(report("REFUSED", "REGISTERED", T0, step_deadline=T0 + 10 * MINUTE, **steps), OWNER)
    service.record(report("REFUSED", "REFUSED", T0 + MINUTE, **steps), OWNER)  # finished: no step waits
    service.record(report("NO-STEPS", "ACCEPTED", T0, deadline=T0 + DAY), OWNER)  # a procedure without steps

    assert service.application("ON-STEP").step_deadline == T0 + 3 * DAY  # the latest stage's
    assert service.application("REFUSED").step_deadline is None
    clock.set(T0 + 10 * MINUTE)  # at the step's deadline itself: still on time
    assert service.overdue_report().late_on_step == []
    clock.advance(timedelta(microseconds=1))
    report_now = service.overdue_report()
    assert [r.application_id for r in report_now.late_on_step] == ["HEAD-LATE"]
    assert report_now.records == []  # T-5 follows the service's deadline only

    clock.set(T0 + 3 * DAY + HOUR)  # the executor's term has passed too; NO-STEPS is overdue, never late on a step
    later = service.overdue_report()
    assert [r.application_id for r in later.late_on_step] == ["HEAD-LATE", "ON-STEP"]  # earliest step deadline first
    assert [r.application_id for r in later.records] == ["NO-STEPS"]
    assert [r.application_id for r in service.overdue_report(service_type=JOB_SEEKER).late_on_step] == []
    assert [r.application_id for r in service.overdue_report(service_type=JOB_LOSS).late_on_step] == [
        "HEAD-LATE",
        "ON-STEP",
    ]


def _call(app: FastAPI, method: str, path: str, **options: Any) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://monitoring.test") as client:
            return await client.request(method, path, **options)

    return asyncio.run(call())


def test_the_http_queries_and_overdue_report(pki_settings: Settings, database_url: str, tmp_path: Path) -> None:
    # This test moves the ecosystem clock: its own data folder (a copy of the session's test PKI), so the clock
    # of every other test that shares the session's data folder stays where it is.
    shutil.copytree(pki_settings.data_dir / "pki", tmp_path / "pki")
    settings = pki_settings.model_copy(update={"database_url": database_url, "data_dir": tmp_path})
    app = create_app(settings)
    store = StageReportStore.at(database_url)
    received = datetime.now(UTC)
    for n in range(3):
        store.add(
            report(f"H-{n}", "ACCEPTED", T0 + n * HOUR, deadline=T0 + DAY, executor_org="centre-1"), OWNER, received
        )
    store.add(report("H-0", "DECISION_MADE", T0 + 3 * HOUR, deadline=T0 + 2 * DAY), OWNER, received)
    store.add(report("H-0", "DECISION_MADE", T0 + 4 * HOUR, deadline=T0 + 3 * DAY), OWNER, received)
    step_end = T0 + 2 * HOUR + 15 * MINUTE
    store.add(
        report("H-2", "EXECUTOR_ASSIGNED", T0 + 2 * HOUR + 5 * MINUTE, deadline=T0 + DAY, step_deadline=step_end),
        OWNER,
        received,
    )

    first = _call(app, "GET", "/api/applications", params={"limit": 2})
    assert first.status_code == 200, first.text
    assert [a["applicationId"] for a in first.json()] == ["H-2", "H-1"]
    rest = _call(app, "GET", "/api/applications", params={"limit": 2, "cursor": first.headers["X-Next-Cursor"]})
    assert [a["applicationId"] for a in rest.json()] == ["H-0"]
    assert "X-Next-Cursor" not in rest.headers
    stages = rest.json()[0]["stages"]
    assert [(s["kind"], s["oldStatus"], s["newStatus"]) for s in stages] == [
        ("REGISTER", None, "ACCEPTED"),
        ("STATUS_CHANGE", "ACCEPTED", "DECISION_MADE"),
        ("UPDATE", "DECISION_MADE", "DECISION_MADE"),
    ]
    period = {"from": "2026-11-23T05:30:00Z", "to": "2026-11-23T12:00:00+05:00"}
    assert [a["applicationId"] for a in _call(app, "GET", "/api/applications", params=period).json()] == ["H-1"]

    naive = _call(app, "GET", "/api/applications", params={"from": "2026-11-23T10:00:00"})
    assert naive.status_code == 422 and "has no offset" in naive.json()["detail"]
    forged = _call(app, "GET", "/api/applications", params={"cursor": "e30"})
    assert forged.status_code == 422 and "nextCursor" in forged.json()["detail"]

    overdue = _call(app, "GET", "/api/overdue", params={"at": "2026-11-24T10:00:01+05:00"}).json()
    assert overdue["count"] == 2
    assert [a["applicationId"] for a in overdue["applications"]] == ["H-1", "H-2"]  # H-0's deadline was moved
    assert overdue["byService"] == [{"serviceType": JOB_SEEKER, "count": 2}]
    assert overdue["byExecutorOrg"] == [{"executorOrg": "centre-1", "count": 2}]
    other = _call(app, "GET", "/api/overdue", params={"at": "2026-11-24T10:00:01+05:00", "executorOrg": "x"})
    assert other.json()["count"] == 0
    # regulation 004 §5: the step deadline of each stage, and the applications late on their step, apart
    assert [a["applicationId"] for a in overdue["lateOnStep"]] == ["H-2"]
    h2 = _call(app, "GET", "/api/applications/H-2").json()
    assert h2["stepDeadline"] == "2026-11-23T12:15:00+05:00"
    assert [s["stepDeadline"] for s in h2["stages"]] == [None, "2026-11-23T12:15:00+05:00"]
    on_step = _call(app, "GET", "/api/overdue", params={"at": "2026-11-23T12:15:00+05:00"}).json()
    assert (on_step["count"], on_step["lateOnStep"]) == (0, [])
    late_on_step = _call(app, "GET", "/api/overdue", params={"at": "2026-11-23T12:15:01+05:00"}).json()
    assert (late_on_step["count"], [a["applicationId"] for a in late_on_step["lateOnStep"]]) == (0, ["H-2"])

    # without `at`: now on the ecosystem clock (it flows on from where /admin/clock puts it, so the exact
    # boundary is tested on a FixedClock above)
    assert _call(app, "POST", "/admin/clock", json={"set": "2026-11-24T09:00:00+05:00"}).status_code == 200
    assert _call(app, "GET", "/api/overdue").json()["count"] == 0
    assert _call(app, "POST", "/admin/clock", json={"advance": "PT1H1S"}).status_code == 200
    assert _call(app, "GET", "/api/overdue").json()["count"] == 2
