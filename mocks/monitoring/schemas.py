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
