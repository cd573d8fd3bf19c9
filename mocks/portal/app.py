"""Composition root and HTTP entrypoints of the egov portal: ``create_app(settings)``.

Routes only translate; the work is in :mod:`mocks.portal.auth` (SP-4), :mod:`mocks.portal.applications`
(JS-10, JS-1) and :mod:`mocks.portal.submission` (the outbox). The outbox worker runs for the app's
lifetime (FastAPI lifespan); ``POST /admin/outbox/run`` makes one pass synchronously.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from adapters.pki import Credential
from ecosystem.app import create_system_app
from ecosystem.catalogue import system
from ecosystem.context import system_context
from ecosystem.settings import Settings
from mocks.population import build_population
from mocks.portal.applications import (
    SERVICE_TITLE,
    ApplicationNotFoundError,
    ApplicationView,
    FormRejectedError,
    JobSeekerApplications,
    NoSigningKeyError,
)
from mocks.portal.auth import Authenticator, Citizen, LoginRefusedError, NotAuthenticatedError
from mocks.portal.schemas import (
    ApplicationErrorOut,
    CabinetApplication,
    CitizenOut,
    ErrorOut,
    JobSeekerRegistrationRequest,
    LoginRequest,
    LoginResponse,
    OutboxRunOut,
    PendingApplicationOut,
    ResultOut,
    SignedByOut,
    SubmissionAccepted,
)
from mocks.portal.storage import PortalStore
from mocks.portal.submission import JobSeekerOutbox, OutboxWorker


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
        submittedAt=view.submitted_at,
        result=result,
        error=error,
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
    authenticator.seed(build_population())
    outbox = JobSeekerOutbox(store, context.sync_client, context.trust, system("employment").bin, context.now)
    worker = OutboxWorker(outbox)

    def citizen_key(iin: str) -> Credential:
        """The stand-in for the citizen's own signing tool (JS-10): their test key from the NCA."""
        return context.layout.load_credential(context.layout.person(iin))

    applications = JobSeekerApplications(store, citizen_key, context.now, on_submitted=worker.wake)

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
        responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 422: {"model": ErrorOut}},
    )
    def register_job_seeker(citizen: CurrentCitizen, form: JobSeekerRegistrationRequest) -> SubmissionAccepted:
        try:
            view = applications.submit(citizen.iin, form.model_dump(mode="json", exclude_none=True))
        except FormRejectedError as exc:
            raise HTTPException(422, str(exc)) from exc
        except NoSigningKeyError as exc:
            raise HTTPException(403, str(exc)) from exc
        return SubmissionAccepted(applicationId=view.application_id, status=view.status_label)

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

    @app.post("/admin/outbox/run", response_model=OutboxRunOut)
    def run_outbox(
        due_only: Annotated[bool, Query(alias="dueOnly", description="skip those still in backoff")] = False,
    ) -> OutboxRunOut:
        run = outbox.process_pending(due_only=due_only)
        return OutboxRunOut(done=run.done, rejected=run.rejected, retrying=run.retrying)

    @app.get("/admin/outbox", response_model=list[PendingApplicationOut])
    def pending_deliveries() -> list[PendingApplicationOut]:
        return [
            PendingApplicationOut(
                applicationId=item.application_id,
                iin=item.iin,
                submittedAt=item.submitted_at,
                attempts=item.attempts,
                lastError=item.last_error,
                nextAttemptAt=item.next_attempt_at.isoformat() if item.next_attempt_at else None,
            )
            for item in outbox.pending()
        ]


    return app
