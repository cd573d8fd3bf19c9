"""The stage report a state-service provider sends to the monitoring IS (JSON over the REST channel).

Service ``MONITORING_StageReport`` of the gateway's REST channel (docs/gateway.md): the provider reports each
stage of a request (JS-8, UN-6: Rules No. 259 §23, §36) with the deadline of the service (T-5) and, when the
provider's procedure has steps with terms of their own (regulation 004 §5), the deadline of the step the request
now waits for; field names
are those of the real monitoring records. One model, :class:`StageReportDocument`, for both ends: the sender
writes it with :func:`write_stage_report`, the monitoring IS reads it with :func:`read_stage_report`; its JSON
Schema is :func:`stage_report_json_schema`. Times carry their offset; fields the model does not know are
ignored by the reader.
"""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from contracts.errors import PayloadError

SERVICE_ID = "MONITORING_StageReport"


class StageReportError(PayloadError):
    """The body is not a stage report the monitoring IS can store."""


class StageReportDocument(BaseModel):
    """A stage report as the provider sends it through the gateway's REST channel."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    applicationId: str = Field(min_length=1, max_length=128)
    serviceType: str = Field(min_length=1, max_length=128, description="service code")
    stage: str = Field(
        pattern=r"^[A-Z][A-Z0-9_]*$",
        max_length=64,
        description="e.g. ACCEPTED, DATA_REQUESTED, DECISION_MADE, RESULT_ISSUED, REFUSED",
    )
    stageAt: AwareDatetime
    deadline: AwareDatetime | None = Field(default=None, description="deadline of the service (T-5)")
    isPositive: bool | None = None
    registerOrg: str | None = Field(default=None, max_length=255)
    executorOrg: str | None = Field(default=None, max_length=255)
    refuseReason: str | None = None
    ruleId: str | None = Field(default=None, max_length=64)
    shepCorrelationId: str | None = Field(default=None, max_length=128)
    channel: str | None = Field(
        default=None,
        pattern=r"^[A-Z][A-Z0-9_]*$",
        max_length=32,
        description="where the person applied: PORTAL, OFFICE, STATE_CORPORATION, RURAL_ASSISTANT (Rules No. 259 §4, "
        "§15-21)",
    )
    stepDeadline: AwareDatetime | None = Field(
        default=None,
        description="the deadline of the step the request now waits for, when the provider's procedure has steps "
        "with terms of their own (e.g. regulation 004 §5); null on a final stage or when the procedure has no steps",
    )


def write_stage_report(report: StageReportDocument) -> dict[str, Any]:
    """The JSON object of one report, every field present (null when unknown), times in ISO 8601 with offset."""
    return {
        "applicationId": report.applicationId,
        "serviceType": report.serviceType,
        "stage": report.stage,
        "stageAt": report.stageAt.isoformat(),
        "deadline": report.deadline.isoformat() if report.deadline is not None else None,
        "isPositive": report.isPositive,
        "registerOrg": report.registerOrg,
        "executorOrg": report.executorOrg,
        "refuseReason": report.refuseReason,
        "ruleId": report.ruleId,
        "shepCorrelationId": report.shepCorrelationId,
        "channel": report.channel,
        "stepDeadline": report.stepDeadline.isoformat() if report.stepDeadline is not None else None,
    }


def read_stage_report(body: bytes | str) -> StageReportDocument:
    """Read one report from its JSON body; raise :class:`StageReportError` naming every field that is wrong."""
    try:
        return StageReportDocument.model_validate_json(body)
    except ValidationError as exc:
        message = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors())
        raise StageReportError(f"the stage report is malformed: {message}") from exc


def stage_report_json_schema() -> dict[str, Any]:
    """The JSON Schema of the report (draft 2020-12, as pydantic writes it)."""
    return StageReportDocument.model_json_schema()
