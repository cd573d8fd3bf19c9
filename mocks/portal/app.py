"""Composition root and HTTP entrypoints of the egov portal: ``create_app(settings)``.

Routes only translate; the work is in :mod:`mocks.portal.auth` (SP-4), :mod:`mocks.portal.applications`
(JS-10, JS-1) and :mod:`mocks.portal.submission` (delivery through the shared outbox, faults handled as
:mod:`mocks.portal.outcomes` says). The outbox worker runs for the app's lifetime (FastAPI lifespan); the
shared admin routes (``/admin/outbox``…, :mod:`ecosystem.outbox_admin`) show, run and revive it, and
``GET /admin/applications/{id}`` shows an application with the technical wording of its fault.
Request bodies are capped (``max_request_body_bytes``, 413) before they are read whole.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from adapters.pki import Credential
from adapters.storage import Outbox, OutboxWorker
from ecosystem.app import create_system_app
from ecosystem.async_client import mount_async_client
from ecosystem.catalogue import system
from ecosystem.context import system_context
from ecosystem.outbox_admin import outbox_router
from ecosystem.settings import Settings
from mocks.population import build_population
from mocks.portal.applications import (
    SERVICE_TITLE,
    ApplicationNotFoundError,
    ApplicationView,
    FormRejectedError,
    FormTooLargeError,
    JobSeekerApplications,
    NoSigningKeyError,
)
from mocks.portal.async_results import registration_answers, request_status
from mocks.portal.auth import Authenticator, Citizen, LoginRefusedError, NotAuthenticatedError
from mocks.portal.body_limit import BodyLimit
from mocks.portal.schemas import (
    AdminApplicationOut,
    ApplicationErrorOut,
    CabinetApplication,
    CitizenOut,
    ErrorOut,
    JobSeekerRegistrationRequest,
    LoginRequest,
    LoginResponse,
    ResultOut,
    SignedByOut,
    SubmissionAccepted,
)
from mocks.portal.storage import DELIVERY_TOPIC, PortalStore
from mocks.portal.submission import EnvelopeSize, JobSeekerDelivery, ResultKeeper


def _cabinet_entry(view: ApplicationView) -> CabinetApplication:
    result = None
    if view.result is not None:
        signer = view.result.signed_by
        result = ResultOut(
            kind=view.result.kind,
            documentXml=view.result.document_xml,
            signatureVerified=True,
            signedBy=SignedByOut(commonName=signer.common_name, iin=signer.iin, bin=signer.bin),
        )
    error = ApplicationErrorOut(code=view.error.code, message=view.error.message) if view.error else None
    return CabinetApplication(
        applicationId=view.application_id,
        service=view.service,
        serviceTitle=SERVICE_TITLE,
        status=view.status_label,  # type: ignore[arg-type]
        submittedAt=view.submitted_at.isoformat(),
        finishedAt=view.finished_at.isoformat() if view.finished_at else None,
        result=result,
        error=error,
        notice=view.notice,
    )


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _current_citizen(request: Request, authorization: Annotated[str | None, Header()] = None) -> Citizen:
    """The citizen of the bearer token (the authenticator is the app's, set by :func:`create_app`)."""
    authenticator: Authenticator = request.app.state.authenticator
    try:
        return authenticator.citizen_for(_bearer(authorization))
    except NotAuthenticatedError as exc:
        raise HTTPException(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc


CurrentCitizen = Annotated[Citizen, Depends(_current_citizen)]


def create_app(settings: Settings) -> FastAPI:
    context = system_context(settings, "portal")
    store = PortalStore.at(settings.database_for("portal"))
    authenticator = Authenticator(store, context.now)
    authenticator.seed(build_population(settings.population_seed))  # the people with a password and a key
    outbox = Outbox(store.engine, context.now)
    keeper = ResultKeeper(store, context.trust, system("employment").bin, context.now)
    delivery = JobSeekerDelivery(
        store,
        keeper,
        channel=settings.portal_registration_channel,
        sync_sender=context.sync_client,
        async_sender=context.async_client,
        now=context.now,
    )
    worker = OutboxWorker(outbox, {DELIVERY_TOPIC: delivery}, name="portal")

    def citizen_key(iin: str) -> Credential:
        """The stand-in for the citizen's own signing tool (JS-10): their test key from the NCA."""
        return context.layout.load_credential(context.layout.person(iin))

    applications = JobSeekerApplications(
        store,
        outbox,
        citizen_key,
        context.now,
        on_submitted=worker.wake,
        message_size=EnvelopeSize(
            context.identity.sender_id, settings.gateway_password, context.credential, context.now
        ),
        max_message_bytes=settings.max_message_bytes,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        worker.start()
        try:
            yield
        finally:
            await run_in_threadpool(worker.stop)

    app = create_system_app(
        context,
        title="egov portal",
        lifespan=lifespan,
        description="Citizen login (SP-4), the job-seeker registration form (JS-10), the personal cabinet.",
    )

    app.state.authenticator = authenticator
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_body_bytes)
    app.include_router(outbox_router(outbox, worker))
    mount_async_client(app, context, registration_answers(store, keeper), on_status=request_status(store, keeper))

    @app.post("/api/auth/login", response_model=LoginResponse, responses={401: {"model": ErrorOut}})
    def login(request: LoginRequest) -> LoginResponse:
        try:
            return LoginResponse(token=authenticator.login(request.iin, request.password))
        except LoginRefusedError as exc:
            raise HTTPException(401, str(exc)) from exc

    @app.post("/api/auth/logout", status_code=204)
    def logout(citizen: CurrentCitizen, authorization: Annotated[str | None, Header()] = None) -> None:
        authenticator.logout(_bearer(authorization) or "")

    @app.get("/api/me", response_model=CitizenOut)
    def me(citizen: CurrentCitizen) -> CitizenOut:
        return CitizenOut(iin=citizen.iin, fullName=citizen.full_name)

    @app.post(
        "/api/services/job-seeker-registration",
        status_code=202,
        response_model=SubmissionAccepted,
        responses={
            401: {"model": ErrorOut},
            403: {"model": ErrorOut},
            413: {"model": ErrorOut},
            422: {"model": ErrorOut},
        },
    )
    def register_job_seeker(citizen: CurrentCitizen, form: JobSeekerRegistrationRequest) -> SubmissionAccepted:
        try:
            view = applications.submit(citizen.iin, form.model_dump(mode="json", exclude_none=True))
        except FormTooLargeError as exc:
            raise HTTPException(413, str(exc)) from exc
        except FormRejectedError as exc:
            raise HTTPException(422, str(exc)) from exc
        except NoSigningKeyError as exc:
            raise HTTPException(403, str(exc)) from exc
        return SubmissionAccepted(
            applicationId=view.application_id, status=view.status_label, submittedAt=view.submitted_at.isoformat()
        )

    @app.get("/api/cabinet/applications", response_model=list[CabinetApplication])
    def cabinet(citizen: CurrentCitizen) -> list[CabinetApplication]:
        return [_cabinet_entry(view) for view in applications.cabinet(citizen.iin)]

    @app.get(
        "/api/cabinet/applications/{application_id}",
        response_model=CabinetApplication,
        responses={404: {"model": ErrorOut}},
    )
    def cabinet_entry(citizen: CurrentCitizen, application_id: str) -> CabinetApplication:
        try:
            return _cabinet_entry(applications.cabinet_entry(citizen.iin, application_id))
        except ApplicationNotFoundError as exc:
            raise HTTPException(404, str(exc)) from exc

    @app.get(
        "/admin/applications/{application_id}",
        response_model=AdminApplicationOut,
        responses={404: {"model": ErrorOut}},
        tags=["outbox"],
    )
    def admin_application(application_id: str) -> AdminApplicationOut:
        try:
            row = applications.application(application_id)
        except ApplicationNotFoundError as exc:
            raise HTTPException(404, str(exc)) from exc
        message = outbox.find(DELIVERY_TOPIC, application_id)
        events = store.events_of(application_id)
        request = next((event for event in reversed(events) if event.kind == "accepted"), None)
        return AdminApplicationOut(
            applicationId=row.id,
            iin=row.iin,
            status=row.status,
            submittedAt=row.submitted_at.isoformat(),
            finishedAt=row.finished_at.isoformat() if row.finished_at else None,
            errorCode=row.error_code,
            errorMessage=row.error_message,
            errorDetail=row.error_detail,
            resultKind=row.result_kind,
            delivery=message.as_json() if message else None,
            correlationId=request.correlation_id if request else None,
            requestMessageId=request.message_id if request else None,
            events=[
                {
                    "messageId": event.message_id,
                    "kind": event.kind,
                    "correlationId": event.correlation_id,
                    "text": event.text,
                    "at": event.at.isoformat(),
                }
                for event in events
            ],
        )

    return app
