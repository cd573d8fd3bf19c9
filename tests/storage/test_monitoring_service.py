"""The monitoring IS's service layer (JS-8, UN-6, T-5 of docs/rules.md) over its store, on SQLite and
on PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from adapters.pki import PkiLayout
from adapters.shep.replay_guard import ReplayGuard
from ecosystem.catalogue import system
from ecosystem.settings import Settings
from mocks.monitoring.service import (
    GatewayAuthenticator,
    StageReportService,
    UnauthorisedReportError,
    UnknownApplicationError,
)
from mocks.monitoring.storage import Provenance, StageReport, StageReportStore
from tests.rest_requests import signed_headers

ALMATY = timezone(timedelta(hours=5))
T0 = datetime(2026, 11, 23, 10, 0, tzinfo=ALMATY)
PROVENANCE = Provenance("ENBEK_LABOUR_MARKET", "{session}", "message-1", "corr-1", "gateway")


HOUR, DAY = timedelta(hours=1), timedelta(days=1)
PATH = "/api/stage-reports"


def stage(application_id: str, name: str, at: datetime, deadline: datetime | None, **extra: object) -> StageReport:
    return StageReport(
        application_id=application_id,
        service_type="JOB_SEEKER_REGISTRATION",
        stage=name,
        stage_at=at,
        deadline=deadline,
        **extra,  # type: ignore[arg-type]
    )


def add(service: StageReportService, *args: object, **extra: object) -> None:
    service.record(stage(*args, **extra), PROVENANCE)  # type: ignore[arg-type]


@pytest.fixture
def service(database_url: str) -> StageReportService:
    return StageReportService(StageReportStore.at(database_url), lambda: T0 + timedelta(days=10))


def test_stages_are_ordered_by_when_they_happened_not_by_arrival(service: StageReportService) -> None:
    deadline = T0 + timedelta(days=1)
    add(service, "A-1", "DECISION_MADE", T0 + 3 * HOUR, deadline, is_positive=True)
    add(service, "A-1", "ACCEPTED", T0, deadline, register_org="portal")
    # an instant written in UTC: still between the two
    add(service, "A-1", "DATA_REQUESTED", (T0 + HOUR).astimezone(UTC), deadline)

    record = service.application("A-1")

    assert [s.report.stage for s in record.stages] == ["ACCEPTED", "DATA_REQUESTED", "DECISION_MADE"]
    assert record.current_state == "DECISION_MADE"
    assert record.register_date == T0
    assert record.register_org == "portal"
    assert record.is_positive is True
    assert record.finished_date is None


def test_a_final_stage_finishes_the_application_and_keeps_the_refusal(service: StageReportService) -> None:
    deadline = T0 + timedelta(days=1)
    service.record(stage("A-2", "ACCEPTED", T0, deadline, shep_correlation_id="corr-A-2"), PROVENANCE)
    refused_at = T0 + timedelta(hours=2)
    service.record(
        stage(
            "A-2",
            "REFUSED",
            refused_at,
            deadline,
            is_positive=False,
            refuse_reason="document expired",
            rule_id="JS-2",
        ),
        PROVENANCE,
    )

    record = service.application("A-2")

    assert record.current_state == "REFUSED"
    assert record.finished_date == refused_at
    assert record.is_positive is False
    assert record.refuse_reason == "document expired"
    assert record.shep_correlation_id == "corr-A-2"
    assert record.stages[-1].report.rule_id == "JS-2"


def test_a_repeated_report_is_stored_once(service: StageReportService) -> None:
    first = service.record(stage("A-3", "ACCEPTED", T0, T0 + timedelta(days=1)), PROVENANCE)
    again = service.record(stage("A-3", "ACCEPTED", T0.astimezone(UTC), T0 + timedelta(days=1)), PROVENANCE)

    assert not first.duplicate
    assert again.duplicate and again.report_id == first.report_id
    assert len(service.application("A-3").stages) == 1


def test_unknown_application_is_reported_as_such(service: StageReportService) -> None:
    with pytest.raises(UnknownApplicationError):
        service.application("nobody")


def test_overdue_lists_unfinished_applications_past_their_deadline(service: StageReportService) -> None:
    at = T0 + 2 * DAY
    # late: its deadline was moved, and the latest one has passed
    add(service, "LATE", "ACCEPTED", T0, T0 + 3 * DAY)
    add(service, "LATE", "DATA_REQUESTED", T0 + HOUR, T0 + DAY)
    # on time: the first deadline passed, but the latest is still ahead
    add(service, "EXTENDED", "ACCEPTED", T0, T0 + DAY)
    add(service, "EXTENDED", "DATA_REQUESTED", T0 + HOUR, T0 + 5 * DAY)
    # finished after its deadline: late, but nothing is pending any more
    add(service, "DONE", "ACCEPTED", T0, T0 + DAY)
    add(service, "DONE", "RESULT_ISSUED", T0 + DAY + 4 * HOUR, T0 + DAY)

    moment, overdue = service.overdue(at)

    assert moment == at
    assert [record.application_id for record in overdue] == ["LATE"]
    assert [record.application_id for record in service.overdue(T0 + 12 * HOUR)[1]] == []
    # without an instant, "now" of the service's clock (T0 + 10 days): EXTENDED is late as well
    assert sorted(r.application_id for r in service.overdue()[1]) == ["EXTENDED", "LATE"]


def test_listing_filters_by_service_type(service: StageReportService) -> None:
    service.record(stage("A-4", "ACCEPTED", T0, None), PROVENANCE)
    service.record(
        StageReport("B-1", "SOCIAL_PAYMENT_JOB_LOSS", "ACCEPTED", T0 + timedelta(minutes=1), None), PROVENANCE
    )

    assert [r.application_id for r in service.applications()] == ["A-4", "B-1"]
    assert [r.application_id for r in service.applications("SOCIAL_PAYMENT_JOB_LOSS")] == ["B-1"]


def test_only_the_gateway_may_deliver_stage_reports(pki_settings: Settings) -> None:
    layout = PkiLayout(pki_settings.data_dir)
    gateway_bin = system("gateway").bin
    now = datetime.now(UTC)
    guard = ReplayGuard.at("sqlite://", lambda: now, timedelta(minutes=5))
    authenticator = GatewayAuthenticator(layout.trust_store(), gateway_bin, lambda: now, guard)
    body = json.dumps({"applicationId": "A-5"}).encode()

    def headers(system_name: str, message_id: str) -> dict[str, str]:
        credential = layout.load_credential(layout.system(system_name))
        return signed_headers(
            body,
            credential,
            path=PATH,
            sender_id="ENBEK_LABOUR_MARKET",
            message_id=message_id,
            at=now,
            session_id="{s}",
        )

    assert gateway_bin in authenticator.authenticate(body, path=PATH, headers=headers("gateway", "m-1"))

    with pytest.raises(UnauthorisedReportError, match="only through the gateway"):
        authenticator.authenticate(body, path=PATH, headers=headers("employment", "m-2"))
    with pytest.raises(UnauthorisedReportError) as refused:
        authenticator.authenticate(body + b" ", path=PATH, headers=headers("gateway", "m-3"))
    assert refused.value.code.value == "SCE006"
    with pytest.raises(UnauthorisedReportError) as missing:
        authenticator.authenticate(body, path=PATH, headers=headers("gateway", "m-4") | {"x-signature": ""})
    assert missing.value.code.value == "SCE007"
