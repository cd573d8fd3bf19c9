"""Composition root and HTTP entrypoints of the monitoring IS: ``create_app(settings)``.

Routes translate HTTP to the service layer (:mod:`mocks.monitoring.service`) and back:

- ``POST /api/stage-reports``: a stage report delivered by the gateway (serviceId MONITORING_StageReport,
  JS-8, UN-6 of docs/rules.md); 401 unless signed by the gateway over the body, path, id headers and time,
  409 (SCE008) when stale or replayed, 400 when an id header is not an id, 403 when another system
  registered the application, 422 if malformed, 201 when stored (200 for a repeat); every refusal is JSON
  signed by the monitoring IS with a detached JWS in ``X-Signature``;
- ``GET /api/applications?correlationId=&serviceType=&from=&to=&limit=&cursor=``: application records with
  their stages, newest first, a page at a time (:mod:`mocks.monitoring.queries`); the body is the list, the
  next page's cursor is in ``X-Next-Cursor`` (absent on the last page); 422 for a period without an offset;
- ``GET /api/applications/{applicationId}``: one application record (``mocks/monitoring/schemas.py``);
- ``GET /api/overdue?at=<ISO>&serviceType=&executorOrg=``: unfinished applications past their latest deadline
  (T-5) at ``at`` or now on the shared clock, with counts per service and per executor organisation, and apart
  (``lateOnStep``) the unfinished applications whose current step's deadline has passed (regulation 004 §5);
- ``GET /health``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse

from adapters.pki import Credential
from adapters.shep.faults import ErrorCode
from adapters.shep.rest_headers import CORRELATION_ID, MESSAGE_ID, SENDER_ID, SESSION_ID
from adapters.signatures.jws import sign_detached
from contracts.stage_report import StageReportError, read_stage_report
from ecosystem.app import create_system_app
from ecosystem.async_client import mount_async_client
from ecosystem.context import system_context
from ecosystem.settings import Settings
from kernel.clock import almaty
from mocks.monitoring.async_reports import stage_report_handler
from mocks.monitoring.queries import DEFAULT_LIMIT, MAX_LIMIT, ApplicationQuery, Cursor, QueryError
from mocks.monitoring.schemas import (
    ApplicationOut,
    ExecutorCount,
    OverdueOut,
    ReportAccepted,
    ReportRefused,
    ServiceCount,
    StageOut,
)
from mocks.monitoring.service import (
    ApplicationRecord,
    GatewayAuthenticator,
    StageReportService,
    UnauthorisedReportError,
    UnknownApplicationError,
    report_from_document,
    stage_kind,
)
from mocks.monitoring.storage import ForeignApplicationError, Provenance, StageReportStore, StoredStage

REFUSAL_STATUS = {ErrorCode.MALFORMED: 400, ErrorCode.REPLAY_OR_STALE: 409, ErrorCode.ACCESS_DENIED: 403}


async def _raw_body(request: Request) -> bytes:
    """The exact bytes the gateway signed (read here so that the route itself stays a plain ``def``)."""
    return await request.body()


def _refusal(credential: Credential, status: int, code: ErrorCode, message: str) -> JSONResponse:
    """A refusal the sender can prove came from here: JSON with a detached JWS of it in ``X-Signature``."""
    refused = ReportRefused(errorCode=code.value, errorMessage=message)
    response = JSONResponse(refused.model_dump(), status_code=status)
    response.headers["X-Signature"] = sign_detached(bytes(response.body), credential)
    return response


def _stage_out(stored: StoredStage, previous: str | None) -> StageOut:
    report = stored.report
    return StageOut(
        reportId=stored.report_id,
        kind=stage_kind(previous, report.stage),
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
        channel=report.channel,
        stepDeadline=report.step_deadline,
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
        channel=record.channel,
        stepDeadline=record.step_deadline,
        stages=[_stage_out(stored, before) for stored, before in zip(record.stages, previous, strict=False)],
    )


def create_app(settings: Settings) -> FastAPI:
    context = system_context(settings, "monitoring")
    store = StageReportStore.at(settings.database_for("monitoring"))
    service = StageReportService(store, context.now)
    authenticator = GatewayAuthenticator(context.trust, context.gateway_bin, context.now, context.replay_guard())

    app = create_system_app(
        context,
        title="monitoring IS",
        databases={"monitoring": store.engine},
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
            400: {"model": ReportRefused},
            401: {"model": ReportRefused},
            403: {"model": ReportRefused},
            409: {"model": ReportRefused},
            422: {"model": ReportRefused},
        },
    )
    def receive_stage_report(
        request: Request, body: Annotated[bytes, Depends(_raw_body)]
    ) -> ReportAccepted | JSONResponse:
        headers = {name.lower(): value for name, value in request.headers.items()}
        try:
            signer = authenticator.authenticate(body, path=request.url.path, headers=headers)
        except UnauthorisedReportError as exc:
            return _refusal(context.credential, REFUSAL_STATUS.get(exc.code, 401), exc.code, str(exc))
        try:
            document = read_stage_report(body)
        except StageReportError as exc:
            return _refusal(context.credential, 422, ErrorCode.MALFORMED, str(exc))
        provenance = Provenance(
            sender_id=headers.get(SENDER_ID),
            session_id=headers.get(SESSION_ID),
            message_id=headers.get(MESSAGE_ID),
            correlation_id=headers.get(CORRELATION_ID) or None,
            signed_by=signer,
        )
        try:
            received = service.record(report_from_document(document), provenance)
        except ForeignApplicationError as exc:
            return _refusal(context.credential, 403, ErrorCode.ACCESS_DENIED, str(exc))
        accepted = ReportAccepted(accepted=True, reportId=received.report_id, duplicate=received.duplicate)
        if received.duplicate:
            return JSONResponse(accepted.model_dump(), status_code=200)
        return accepted

    @app.get(
        "/api/applications",
        response_model=list[ApplicationOut],
        responses={422: {"description": "a period end without an offset, an empty period, a bad limit or cursor"}},
    )
    def list_applications(
        response: Response,
        correlation_id: Annotated[
            str | None, Query(alias="correlationId", description="a shepCorrelationId any stage carried")
        ] = None,
        service_type: Annotated[str | None, Query(alias="serviceType", description="service code")] = None,
        registered_from: Annotated[
            datetime | None, Query(alias="from", description="registered at or after (ISO 8601 with offset)")
        ] = None,
        registered_to: Annotated[
            datetime | None, Query(alias="to", description="registered before (ISO 8601 with offset)")
        ] = None,
        limit: Annotated[int, Query(description=f"records per page, 1..{MAX_LIMIT}")] = DEFAULT_LIMIT,
        cursor: Annotated[str | None, Query(description="X-Next-Cursor of the previous page", max_length=512)] = None,
    ) -> list[ApplicationOut]:
        try:
            query = ApplicationQuery(
                correlation_id=correlation_id,
                service_type=service_type,
                registered_from=registered_from,
                registered_to=registered_to,
                limit=limit,
                after=Cursor.decode(cursor) if cursor is not None else None,
            )
        except QueryError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        page = service.find(query)
        if page.next_cursor is not None:
            response.headers["X-Next-Cursor"] = page.next_cursor.encode()
        return [_application_out(record) for record in page.records]

    @app.get("/api/applications/{application_id}", response_model=ApplicationOut)
    def get_application(application_id: str) -> ApplicationOut:
        try:
            return _application_out(service.application(application_id))
        except UnknownApplicationError as exc:
            raise HTTPException(status_code=404, detail=str(exc)) from exc

    @app.get("/api/overdue", response_model=OverdueOut)
    def overdue(
        at: Annotated[datetime | None, Query(description="ISO instant (Almaty if no offset); default now")] = None,
        service_type: Annotated[str | None, Query(alias="serviceType")] = None,
        executor_org: Annotated[str | None, Query(alias="executorOrg")] = None,
    ) -> OverdueOut:
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=almaty())
        report = service.overdue_report(at, service_type=service_type, executor_org=executor_org)
        return OverdueOut(
            at=report.at,
            count=len(report.records),
            byService=[ServiceCount(serviceType=key, count=n) for key, n in sorted(report.by_service.items())],
            byExecutorOrg=[
                ExecutorCount(executorOrg=key, count=n)
                for key, n in sorted(report.by_executor.items(), key=lambda item: (item[0] is None, item[0] or ""))
            ],
            applications=[_application_out(record) for record in report.records],
            lateOnStep=[_application_out(record) for record in report.late_on_step],
        )

    return app
