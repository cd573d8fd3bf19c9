"""JSON answers of the monitoring IS (JS-8, UN-6 of docs/rules.md; field names of the real monitoring records).

The report it receives is :class:`contracts.stage_report.StageReportDocument`."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ReportAccepted(BaseModel):
    accepted: bool
    reportId: int
    duplicate: bool = Field(description="true when this (applicationId, stage, stageAt) was stored before")


class ReportRefused(BaseModel):
    errorCode: str
    errorMessage: str


class StageOut(BaseModel):
    reportId: int
    kind: str = Field(
        description="REGISTER (the first stage), STATUS_CHANGE (oldStatus -> another newStatus) or UPDATE "
        "(the same status reported again, e.g. with a new deadline or executor)"
    )
    oldStatus: str | None
    newStatus: str
    stageAt: datetime
    deadline: datetime | None
    isPositive: bool | None
    registerOrg: str | None
    executorOrg: str | None
    refuseReason: str | None
    ruleId: str | None
    shepCorrelationId: str | None
    channel: str | None = Field(default=None, description="where the person applied (Rules No. 259 §4, §15-21)")
    stepDeadline: datetime | None = Field(
        default=None,
        description="the deadline of the step this stage starts (regulation 004 §5); null when the provider's "
        "procedure has no steps with terms of their own, or on a final stage",
    )
    senderId: str | None
    sessionId: str | None
    receivedAt: datetime


class ApplicationOut(BaseModel):
    applicationId: str
    serviceType: str
    currentState: str
    isPositive: bool | None
    deadline: datetime | None
    registerOrg: str | None
    executorOrg: str | None
    registerDate: datetime
    finishedDate: datetime | None
    refuseReason: str | None
    shepCorrelationId: str | None
    channel: str | None = Field(
        default=None, description="PORTAL, OFFICE, STATE_CORPORATION or RURAL_ASSISTANT: where the person applied"
    )
    stepDeadline: datetime | None = Field(
        default=None, description="the deadline of the step the application now waits for: its latest stage's"
    )
    stages: list[StageOut]


class ServiceCount(BaseModel):
    serviceType: str
    count: int


class ExecutorCount(BaseModel):
    executorOrg: str | None = Field(description="null: no stage named an executor organisation")
    count: int


class OverdueOut(BaseModel):
    at: datetime = Field(description="the instant of the report: the given `at`, else now on the shared clock")
    count: int
    byService: list[ServiceCount]
    byExecutorOrg: list[ExecutorCount]
    applications: list[ApplicationOut] = Field(description="earliest deadline first")
    lateOnStep: list[ApplicationOut] = Field(
        default_factory=list,
        description="unfinished applications whose latest stage's stepDeadline has passed (regulation 004 §5), "
        "earliest step deadline first; apart from the overdue count above, which follows the service's deadline",
    )
