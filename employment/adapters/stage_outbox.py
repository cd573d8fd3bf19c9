"""Stage reports (JS-8) in the outbox: their payload, and the worker that delivers them to the monitoring IS.

Each report is queued under topic ``stage-report`` with the application id as ordering key, so the reports
of one application reach the monitoring IS in the order of 000 §5 actions 1-5, and keyed by application
and stage, so queuing the same stage twice sends it once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from adapters.storage import DeliveryRefused, Outbox, OutboxWorker
from adapters.storage.worker import DEFAULT_CONCURRENCY, DEFAULT_LEASE, Delivery, Duty
from employment.domain.models import Stage, StageReport
from employment.service_layer.ports import StageReporter, StageReportRefused

STAGE_REPORT_TOPIC = "stage-report"


def stage_report_payload(report: StageReport) -> dict[str, Any]:
    return {
        "applicationId": report.application_id,
        "serviceType": report.service_type,
        "stage": report.stage.value,
        "at": report.at.isoformat(),
        "deadline": report.deadline.isoformat(),
        "isPositive": report.is_positive,
        "correlationId": report.correlation_id,
        "refuseReason": report.refuse_reason,
        "ruleId": report.rule_id,
        "channel": report.channel,
    }


def stage_report_from_payload(payload: dict[str, Any]) -> StageReport:
    try:
        return StageReport(
            application_id=payload["applicationId"],
            service_type=payload["serviceType"],
            stage=Stage(payload["stage"]),
            at=datetime.fromisoformat(payload["at"]),
            deadline=datetime.fromisoformat(payload["deadline"]),
            is_positive=payload["isPositive"],
            correlation_id=payload["correlationId"],
            refuse_reason=payload["refuseReason"],
            rule_id=payload["ruleId"],
            channel=payload.get("channel"),  # absent in reports queued before channels were recorded
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise DeliveryRefused(f"the queued stage report cannot be read ({exc!r}): written by another version?") from exc


def stage_report_delivery(reporter: StageReporter) -> Delivery:
    """The outbox delivery function: a refusal for good is a dead letter, any other failure a retry."""

    def deliver(payload: dict[str, Any]) -> None:
        report = stage_report_from_payload(payload)
        try:
            reporter.report(report)
        except StageReportRefused as exc:
            raise DeliveryRefused(str(exc)) from exc

    return deliver


def stage_report_worker(
    outbox: Outbox,
    reporter: StageReporter,
    *,
    poll_seconds: float = 0.5,
    other_topics: Mapping[str, Delivery] | None = None,
    duties: Sequence[Duty] = (),
    concurrency: int = DEFAULT_CONCURRENCY,
    lease: timedelta = DEFAULT_LEASE,
) -> OutboxWorker:
    """The background worker of the centre's outbox (started and stopped by the app's lifespan); it also
    delivers ``other_topics`` of the same outbox (the AsyncChannel answers)."""
    return OutboxWorker(
        outbox,
        {STAGE_REPORT_TOPIC: stage_report_delivery(reporter), **(other_topics or {})},
        name="employment-stage-reports",
        poll_seconds=poll_seconds,
        duties=duties,
        concurrency=concurrency,
        lease=lease,
    )
