"""Composition root and HTTP entrypoints of the monitoring IS: ``create_app(settings)``.

Routes translate HTTP to the service layer (:mod:`mocks.monitoring.service`) and back:

- ``POST /api/stage-reports``: a stage report delivered by the gateway (serviceId MONITORING_StageReport,
  JS-8, UN-6 of docs/rules.md); 401 unless signed by the gateway, 422 if malformed, 201 when stored (200 for a repeat);
- ``GET /api/applications`` and ``GET /api/applications/{applicationId}``: application records
  (the application record of ``mocks/monitoring/schemas.py``);
- ``GET /api/overdue?at=<ISO>``: unfinished applications past their latest deadline (T-5);
- ``GET /health``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from adapters.shep.faults import ErrorCode
from contracts.stage_report import StageReportDocument, StageReportError, read_stage_report
from ecosystem.app import create_system_app
from ecosystem.async_client import mount_async_client
from ecosystem.context import system_context
from ecosystem.settings import Settings
from kernel.clock import almaty
from mocks.monitoring.async_reports import stage_report_handler
from mocks.monitoring.schemas import (
    ApplicationOut,
    OverdueOut,
    ReportAccepted,
    ReportRefused,
    StageOut,
)
from mocks.monitoring.service import (
    ApplicationRecord,
    GatewayAuthenticator,
    StageReportService,
    UnauthorisedReportError,
    UnknownApplicationError,
)
from mocks.monitoring.storage import Provenance, StageReport, StageReportStore, StoredStage


async def _raw_body(request: Request) -> bytes:
    """The exact bytes the gateway signed (read here so that the route itself stays a plain ``def``)."""
    return await request.body()


def _report(document: StageReportDocument) -> StageReport:
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
    )


def _stage_out(stored: StoredStage, previous: str | None) -> StageOut:
    report = stored.report
    return StageOut(
        reportId=stored.report_id,
        oldStatus=previous,
        newStatus=report.stage,
        stageAt=report.stage_at,
        deadline=report.deadline,
        isPositive=report.is_positive,
        registerOrg=report.register_org,
        executorOrg=report.executor_org,
        refuseReason=report.refuse_reason,
        ruleId=report.rule_id,
        shepCorrelationId=report.shep_correlation_id,
        senderId=stored.provenance.sender_id,
        sessionId=stored.provenance.session_id,
        receivedAt=stored.received_at,
    )


def _application_out(record: ApplicationRecord) -> ApplicationOut:
    previous = [None, *(stored.report.stage for stored in record.stages)]
    return ApplicationOut(
        applicationId=record.application_id,
        serviceType=record.service_type,
        currentState=record.current_state,
        isPositive=record.is_positive,
        deadline=record.deadline,
        registerOrg=record.register_org,
        executorOrg=record.executor_org,
        registerDate=record.register_date,
        finishedDate=record.finished_date,
        refuseReason=record.refuse_reason,
        shepCorrelationId=record.shep_correlation_id,
        stages=[_stage_out(stored, before) for stored, before in zip(record.stages, previous, strict=False)],
    )


def create_app(settings: Settings) -> FastAPI:
    context = system_context(settings, "monitoring")
    service = StageReportService(StageReportStore.at(settings.database_for("monitoring")), context.now)
    authenticator = GatewayAuthenticator(context.trust, context.gateway_bin, context.now)

    app = create_system_app(
        context,
        title="monitoring IS",
        description=(
            "Stage reports of state-service requests (JS-8, UN-6; Rules No. 259 §23, §36) and the overdue report (T-5)."
        ),
    )

    mount_async_client(app, context, stage_report_handler(service))

    @app.post(
        "/api/stage-reports",
        status_code=201,
        response_model=ReportAccepted,
        responses={
            200: {"model": ReportAccepted},
            401: {"model": ReportRefused},
            422: {"model": ReportRefused},
        },
    )
    def receive_stage_report(
        body: Annotated[bytes, Depends(_raw_body)],
        x_signature: Annotated[str | None, Header()] = None,
        x_sender_id: Annotated[str | None, Header()] = None,
        x_session_id: Annotated[str | None, Header()] = None,
        x_message_id: Annotated[str | None, Header()] = None,
        x_correlation_id: Annotated[str | None, Header()] = None,
    ) -> ReportAccepted | JSONResponse:
        try:
            signer = authenticator.authenticate(x_signature, body)
        except UnauthorisedReportError as exc:
            refused = ReportRefused(errorCode=exc.code.value, errorMessage=str(exc))
            return JSONResponse(refused.model_dump(), status_code=401)
        try:
            document = read_stage_report(body)
        except StageReportError as exc:
            refused = ReportRefused(errorCode=ErrorCode.MALFORMED.value, errorMessage=str(exc))
            return JSONResponse(refused.model_dump(), status_code=422)
        provenance = Provenance(
            sender_id=x_sender_id,
            session_id=x_session_id,
            message_id=x_message_id,
            correlation_id=x_correlation_id or None,
            signed_by=signer,
        )
        received = service.record(_report(document), provenance)
        accepted = ReportAccepted(accepted=True, reportId=received.report_id, duplicate=received.duplicate)
        if received.duplicate:
            return JSONResponse(accepted.model_dump(), status_code=200)
        return accepted

    @app.get("/api/applications", response_model=list[ApplicationOut])
    def list_applications(
        service_type: Annotated[str | None, Query(alias="serviceType")] = None,
    ) -> list[ApplicationOut]:
        return [_application_out(record) for record in service.applications(service_type)]

    @app.get("/api/applications/{application_id}", response_model=ApplicationOut)
    def get_application(application_id: str) -> ApplicationOut:
        try:
            return _application_out(service.application(application_id))
        except UnknownApplicationError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from exc

    @app.get("/api/overdue", response_model=OverdueOut)
    def overdue(
        at: Annotated[datetime | None, Query(description="ISO instant (Almaty if no offset)")] = None,
    ) -> OverdueOut:
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=almaty())
        moment, records = service.overdue(at)
        return OverdueOut(at=moment, applications=[_application_out(record) for record in records])


    return app
