"""contracts.stage_report: the JSON stage report, written by the provider, read by the monitoring IS."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from contracts.stage_report import (
    StageReportDocument,
    StageReportError,
    read_stage_report,
    stage_report_json_schema,
    write_stage_report,
)

AT = datetime(2026, 11, 23, 10, 15, tzinfo=timezone(timedelta(hours=5)))
REPORT = StageReportDocument(
    applicationId="EGOV-JS-2026-1",
    serviceType="JS",
    stage="DECISION_MADE",
    stageAt=AT,
    deadline=AT + timedelta(days=1),
    isPositive=False,
    registerOrg="ENBEK",
    executorOrg="Employment Centre of Astana",
    refuseReason="a labour contract is in force",
    ruleId="JS-3",
    shepCorrelationId="EGOV-JS-2026-1",
    stepDeadline=(AT + timedelta(minutes=10)).astimezone(UTC),
)


@pytest.mark.parametrize(
    "report",
    [REPORT, StageReportDocument(applicationId="A", serviceType="JS", stage="ACCEPTED", stageAt=AT.astimezone(UTC))],
)
def test_the_report_round_trips_with_its_offsets(report: StageReportDocument) -> None:
    body = json.dumps(write_stage_report(report), ensure_ascii=False).encode("utf-8")
    read = read_stage_report(body)
    assert read == report
    assert read.stageAt.utcoffset() == report.stageAt.utcoffset()
    if report.stepDeadline is not None:
        assert read.stepDeadline is not None and read.stepDeadline.utcoffset() == report.stepDeadline.utcoffset()


def test_the_written_fields_are_those_of_the_json_schema() -> None:
    schema = stage_report_json_schema()
    assert list(write_stage_report(REPORT)) == list(schema["properties"])
    assert set(schema["required"]) == {"applicationId", "serviceType", "stage", "stageAt"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"stageAt": "2026-11-23T10:15:00"}, "stageAt"),
        ({"stage": "decided"}, "stage"),
        ({"applicationId": ""}, "applicationId"),
        ({"stepDeadline": "2026-11-23T10:25:00"}, "stepDeadline"),
    ],
)
def test_a_malformed_report_is_refused_naming_the_field(change: dict[str, str], field: str) -> None:
    body = json.dumps(write_stage_report(REPORT) | change)
    with pytest.raises(StageReportError, match=field):
        read_stage_report(body)


def test_fields_the_model_does_not_know_are_ignored() -> None:
    assert read_stage_report(json.dumps(write_stage_report(REPORT) | {"extra": 1})) == REPORT


def test_a_report_written_before_step_deadlines_still_reads() -> None:
    older = {key: value for key, value in write_stage_report(REPORT).items() if key != "stepDeadline"}
    read = read_stage_report(json.dumps(older))
    assert read.stepDeadline is None
    assert read == REPORT.model_copy(update={"stepDeadline": None})
