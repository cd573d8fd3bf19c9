"""JSON contract of the monitoring IS (SPEC JS-8, UN-6; GATEWAY-PROTOCOL §5 field names)."""

from __future__ import annotations

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class StageReportIn(BaseModel):
    """A stage report as the provider sends it through the gateway's REST channel."""

    model_config = ConfigDict(extra="ignore")

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


class ReportAccepted(BaseModel):
    accepted: bool
    reportId: int
    duplicate: bool = Field(description="true when this (applicationId, stage, stageAt) was stored before")


class ReportRefused(BaseModel):
    errorCode: str
    errorMessage: str


class StageOut(BaseModel):
    reportId: int
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
    stages: list[StageOut]


class OverdueOut(BaseModel):
    at: datetime
    applications: list[ApplicationOut]
