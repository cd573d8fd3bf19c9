"""Composition root and HTTP entrypoints of the egov portal: ``create_app(settings)``.

Routes only translate; the work is in :mod:`mocks.portal.auth` (SP-4), :mod:`mocks.portal.applications`
(JS-10, JS-1), :mod:`mocks.portal.address_confirmation` (JS-11), :mod:`mocks.portal.certificates` (CE-1),
:mod:`mocks.portal.submission` (delivery through the shared outbox, faults handled as
:mod:`mocks.portal.outcomes` says) and :mod:`mocks.portal.cabinet` (the documents kept in the personal
cabinet, CE-4; ``EGOV_CabinetDocument`` at ``/bip-sync/``), rendered by :mod:`mocks.portal.renderings`. The
outbox worker runs for the app's lifetime (FastAPI lifespan); the shared admin routes (``/admin/outbox``…,
:mod:`ecosystem.outbox_admin`) show, run and revive it, and ``GET /admin/applications/{id}`` shows an
application with the technical wording of its fault. Request bodies are capped (``max_request_body_bytes``,
413) before they are read whole.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated

import httpx
from fastapi import FastAPI, Header, HTTPException, Response
from starlette.concurrency import run_in_threadpool

from adapters.person_registry import PersonRegistryClient
from adapters.pki import Credential
from adapters.storage import Outbox, OutboxWorker
from adapters.xml import XmlLimits
from contracts.register_documents import CABINET_SERVICE_ID
from ecosystem.app import create_system_app
from ecosystem.async_client import mount_async_client
from ecosystem.catalogue import SYSTEMS, system
from ecosystem.context import SystemContext, system_context
from ecosystem.outbox_admin import outbox_router
from ecosystem.settings import Settings
from mocks.population import build_population
from mocks.portal.address_confirmation import (
    AddressConfirmation,
    NoRegisteredAddressError,
    NotAwaitingConfirmationError,
    PersonLookup,
    RegistryUnreachableError,
)
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
from mocks.portal.auth import Authenticator, LoginRefusedError
from mocks.portal.body_limit import BodyLimit
from mocks.portal.cabinet import CabinetDocuments, Issuers, cabinet_handler
from mocks.portal.cabinet_routes import cabinet_router
from mocks.portal.certificates import SERVICE_TITLE as CERTIFICATE_TITLE
from mocks.portal.certificates import CertificateApplications, CertificateDelivery
from mocks.portal.complaints import complaints_router
from mocks.portal.document_kinds import CERTIFICATE_RESULTS, JOB_LOSS_RESULTS, DocumentVerifier
from mocks.portal.job_loss import SERVICE_TITLE as JOB_LOSS_TITLE
from mocks.portal.job_loss import JobLossApplications, JobLossDelivery, JobLossResults
from mocks.portal.job_loss_form import FormFacts, cabinet_certificate
from mocks.portal.job_loss_routes import JobLossView, job_loss_router
from mocks.portal.job_loss_store import JobLossStore
from mocks.portal.renderings import DocumentRenderer
from mocks.portal.schemas import (
    AddressCheckOut,
    AdminApplicationOut,
    ApplicationErrorOut,
    CabinetApplication,
    CertificateRequest,
    CitizenOut,
    ErrorOut,
    JobSeekerRegistrationRequest,
    LoginRequest,
    LoginResponse,
    ResultOut,
    SignedByOut,
    SubmissionAccepted,
)
from mocks.portal.sessions import CurrentCitizen, bearer_token, clear_session_cookie, set_session_cookie
from mocks.portal.signing_check import NcaRevocationList, SigningCertificateCheck
from mocks.portal.storage import (
    CERTIFICATE_SERVICE,
    CERTIFICATE_TOPIC,
    DELIVERY_TOPIC,
    JOB_LOSS_SERVICE,
    JOB_LOSS_TOPIC,
    JOB_SEEKER_SERVICE,
    SERVICE_TOPICS,
    PortalStore,
)
from mocks.portal.submission import EnvelopeSize, JobSeekerDelivery, ResultKeeper

SERVICE_TITLES = {
    JOB_SEEKER_SERVICE: SERVICE_TITLE,
    CERTIFICATE_SERVICE: CERTIFICATE_TITLE,
    JOB_LOSS_SERVICE: JOB_LOSS_TITLE,
}
# Who may put documents into cabinets through EGOV_CabinetDocument (gateway/services.yaml says the same):
# the employment centre, the local employment authority and the social insurance fund (its notifications
# only, SP-6), by the BIN their officials sign with.
CABINET_ISSUERS = ("ENBEK_LABOUR_MARKET", "MIO_EMPLOYMENT", "GFSS")
JOB_SEEKER_PATH = "/api/services/job-seeker-registration"


def _cabinet_entry(view: ApplicationView, result_documents: dict[str, str] | None = None) -> CabinetApplication:
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
        serviceTitle=SERVICE_TITLES.get(view.service, view.service),
        status=view.status_label,  # type: ignore[arg-type]
        submittedAt=view.submitted_at.isoformat(),
        finishedAt=view.finished_at.isoformat() if view.finished_at else None,
        result=result,
        error=error,
        notice=view.notice,
        registeredAddress=view.registered_address,
        resultDocumentId=(result_documents or {}).get(view.application_id) if view.result else None,
    )


def _issuers() -> Issuers:
    """The cabinet's issuers that the catalogue knows (a system not in it yet cannot deliver)."""
    return Issuers(
        {s.sender_id: s.bin for s in SYSTEMS if s.sender_id in CABINET_ISSUERS},
        kinds={system("social_fund").sender_id: JOB_LOSS_RESULTS},
    )


def _xml_limits(settings: Settings) -> XmlLimits:
    return XmlLimits(
        max_attributes=settings.max_xml_attributes,
        max_elements=settings.max_xml_elements,
        max_depth=settings.max_xml_depth,
    )


def create_app(
    settings: Settings,
    *,
    person_registry: Callable[[], PersonLookup] | None = None,
    nca: httpx.Client | None = None,
) -> FastAPI:
    """The portal. ``person_registry`` replaces the person registry reached through the gateway (JS-11), and
    ``nca`` the HTTP client that reaches the NCA's CRL (SP-5), for tests that run the portal without the other
    systems."""
    context = system_context(settings, "portal")
    store = PortalStore.at(settings.database_for("portal"))
    authenticator = Authenticator(store, context.now)
    authenticator.seed(build_population(settings.population_seed))  # the people with a password and a key
    outbox = Outbox(store.engine, context.now)
    limits = _xml_limits(settings)
    employment = system("employment")
    verifier = DocumentVerifier(context.trust, context.now, max_bytes=settings.max_message_bytes, limits=limits)
    keeper = ResultKeeper(store, context.trust, employment.bin, context.now, verifier=verifier)
    delivery = JobSeekerDelivery(
        store,
        keeper,
        channel=settings.portal_registration_channel,
        sync_sender=context.sync_client,
        async_sender=context.async_client,
        now=context.now,
    )
    certificate_keeper = ResultKeeper(
        store, context.trust, employment.bin, context.now, kinds=CERTIFICATE_RESULTS, verifier=verifier
    )
    certificate_delivery = CertificateDelivery(store, certificate_keeper, context.sync_client)
    receipts = JobLossStore(store.engine)
    fund_keeper = ResultKeeper(
        store, context.trust, system("social_fund").bin, context.now, kinds=JOB_LOSS_RESULTS, verifier=verifier
    )
    job_loss_delivery = JobLossDelivery(
        store,
        receipts,
        fund_keeper,
        context.sync_client,
        context.now,
        max_bytes=settings.max_message_bytes,
        limits=limits,
    )
    worker = OutboxWorker(
        outbox,
        {DELIVERY_TOPIC: delivery, CERTIFICATE_TOPIC: certificate_delivery, JOB_LOSS_TOPIC: job_loss_delivery},
        name="portal",
    )

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
    confirmation = AddressConfirmation(
        store,
        applications,
        person_registry or (lambda: _registry(context)),
        context.now,
        outbox=outbox,
        centre_name=employment.organisation,
        on_submitted=worker.wake,
    )
    certificates = CertificateApplications(
        store, outbox, citizen_key, context.now, centre_name=employment.organisation, on_submitted=worker.wake
    )
    cabinet = CabinetDocuments(
        store,
        verifier,
        _issuers(),
        context.now,
        max_bytes=settings.max_message_bytes,
        limits=limits,
        on_kept=JobLossResults(store, context.now).link,
    )
    people = {person.iin: person for person in build_population(settings.population_seed)}
    facts = FormFacts(
        person=people.get,
        cabinet_certificate=lambda iin, today: cabinet_certificate(
            store.cabinet_documents_of(iin), today, settings.max_message_bytes
        ),
    )
    nca_http = nca or httpx.Client(timeout=settings.http_timeout_seconds)
    signing_check = SigningCertificateCheck(
        context.layout, NcaRevocationList(settings.base_url("nca"), lambda: nca_http), context.now
    )
    job_loss = JobLossApplications(
        store, outbox, citizen_key, signing_check, facts, context.now, on_submitted=worker.wake
    )
    renderer = DocumentRenderer(verifier, max_bytes=settings.max_message_bytes)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        worker.start()
        try:
            yield
        finally:
            await run_in_threadpool(worker.stop)
            nca_http.close()

    app = create_system_app(
        context,
        title="egov portal",
        lifespan=lifespan,
        description=(
            "Citizen login (SP-4), the job-seeker registration form (JS-10) after the registered address is "
            "agreed (JS-11), the certificate of registration as unemployed (CE-1), the job-loss payment "
            "application with its certificate checks (SP-4..SP-6), the personal cabinet with its "
            f"documents (CE-4); {CABINET_SERVICE_ID} at /bip-sync/ (through the gateway)."
        ),
    )

    app.state.authenticator = authenticator
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_body_bytes)
    app.include_router(outbox_router(outbox, worker))
    app.include_router(cabinet_router(cabinet, renderer))
    app.include_router(complaints_router(context.sync_client, citizen_key, context.now))
    app.include_router(
        job_loss_router(
            job_loss,
            applications.cabinet_entry,
            facts,
            JobLossView(receipts, cabinet, settings.max_message_bytes),
            context.now,
        )
    )
    app.mount("/bip-sync", context.sync_provider("Portal", cabinet_handler(cabinet)))
    mount_async_client(app, context, registration_answers(store, keeper), on_status=request_status(store, keeper))

    def result_documents(iin: str) -> dict[str, str]:
        """application id -> the cabinet id of its result (the answer, not the applicant's own form)."""
        return {
            row.application_id: row.id
            for row in cabinet.documents_of(iin)
            if row.application_id and row.source == "application" and row.issuer_id != iin
        }

    @app.post("/api/auth/login", response_model=LoginResponse, responses={401: {"model": ErrorOut}})
    def login(request: LoginRequest, response: Response) -> LoginResponse:
        try:
            token = authenticator.login(request.iin, request.password)
        except LoginRefusedError as exc:
            raise HTTPException(401, str(exc)) from exc
        set_session_cookie(response, token)  # for the cabinet's HTML pages (mocks.portal.sessions)
        return LoginResponse(token=token)

    @app.post("/api/auth/logout", status_code=204)
    def logout(
        citizen: CurrentCitizen, response: Response, authorization: Annotated[str | None, Header()] = None
    ) -> None:
        authenticator.logout(bearer_token(authorization) or "")
        clear_session_cookie(response)

    @app.get("/api/me", response_model=CitizenOut)
    def me(citizen: CurrentCitizen) -> CitizenOut:
        return CitizenOut(iin=citizen.iin, fullName=citizen.full_name)

    @app.post(
        f"{JOB_SEEKER_PATH}/address-check",
        status_code=201,
        response_model=AddressCheckOut,
        responses={401: {"model": ErrorOut}, 422: {"model": ErrorOut}, 503: {"model": ErrorOut}},
    )
    def prepare_job_seeker_application(citizen: CurrentCitizen, form: JobSeekerRegistrationRequest) -> AddressCheckOut:
        """JS-11, step 1: check the form and show the registered address the person registry holds."""
        try:
            view = confirmation.prepare(citizen.iin, form.model_dump(mode="json", exclude_none=True))
        except FormRejectedError as exc:
            raise HTTPException(422, str(exc)) from exc
        except NoRegisteredAddressError as exc:
            raise HTTPException(422, str(exc)) from exc
        except RegistryUnreachableError as exc:
            raise HTTPException(503, str(exc)) from exc
        path = f"{JOB_SEEKER_PATH}/{view.application_id}"
        return AddressCheckOut(
            applicationId=view.application_id,
            status=view.status_label,  # type: ignore[arg-type]
            registeredAddress=view.registered_address or "",
            centre=employment.organisation,
            question=view.notice or "",
            confirmUrl=f"{path}/confirm",
            cancelUrl=f"{path}/cancel",
        )

    @app.post(
        f"{JOB_SEEKER_PATH}/{{application_id}}/confirm",
        status_code=202,
        response_model=SubmissionAccepted,
        responses={
            401: {"model": ErrorOut},
            403: {"model": ErrorOut},
            404: {"model": ErrorOut},
            409: {"model": ErrorOut},
            413: {"model": ErrorOut},
            422: {"model": ErrorOut},
        },
    )
    def confirm_job_seeker_application(citizen: CurrentCitizen, application_id: str) -> SubmissionAccepted:
        """JS-11, step 2: the applicant agrees; the form is signed with their key and sent (JS-10)."""
        try:
            view = confirmation.confirm(citizen.iin, application_id)
        except ApplicationNotFoundError as exc:
            raise HTTPException(404, str(exc)) from exc
        except NotAwaitingConfirmationError as exc:
            raise HTTPException(409, str(exc)) from exc
        except FormTooLargeError as exc:
            raise HTTPException(413, str(exc)) from exc
        except FormRejectedError as exc:
            raise HTTPException(422, str(exc)) from exc
        except NoSigningKeyError as exc:
            raise HTTPException(403, str(exc)) from exc
        return SubmissionAccepted(
            applicationId=view.application_id, status=view.status_label, submittedAt=view.submitted_at.isoformat()
        )

    @app.post(
        f"{JOB_SEEKER_PATH}/{{application_id}}/cancel",
        response_model=CabinetApplication,
        responses={401: {"model": ErrorOut}, 404: {"model": ErrorOut}, 409: {"model": ErrorOut}},
    )
    def cancel_job_seeker_application(citizen: CurrentCitizen, application_id: str) -> CabinetApplication:
        """JS-11, step 2 declined: the application stops and is not sent."""
        try:
            return _cabinet_entry(confirmation.cancel(citizen.iin, application_id))
        except ApplicationNotFoundError as exc:
            raise HTTPException(404, str(exc)) from exc
        except NotAwaitingConfirmationError as exc:
            raise HTTPException(409, str(exc)) from exc

    @app.post(
        "/api/certificates",
        status_code=202,
        response_model=SubmissionAccepted,
        responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 422: {"model": ErrorOut}},
    )
    def apply_for_certificate(citizen: CurrentCitizen, request: CertificateRequest) -> SubmissionAccepted:
        """CE-1: the Annex 7 application, signed with the applicant's key, sent to the employment centre."""
        try:
            view = certificates.apply(
                citizen.iin,
                citizen.full_name,
                consent_to_personal_data=request.consentToPersonalData,
                warned_of_liability=request.warnedOfLiability,
                phone=request.phone,
                email=request.email,
            )
        except FormRejectedError as exc:
            raise HTTPException(422, str(exc)) from exc
        except NoSigningKeyError as exc:
            raise HTTPException(403, str(exc)) from exc
        return SubmissionAccepted(
            applicationId=view.application_id, status=view.status_label, submittedAt=view.submitted_at.isoformat()
        )

    @app.get("/api/cabinet/applications", response_model=list[CabinetApplication])
    def cabinet_applications(citizen: CurrentCitizen) -> list[CabinetApplication]:
        documents = result_documents(citizen.iin)
        return [_cabinet_entry(view, documents) for view in applications.cabinet(citizen.iin)]

    @app.get(
        "/api/cabinet/applications/{application_id}",
        response_model=CabinetApplication,
        responses={404: {"model": ErrorOut}},
    )
    def cabinet_entry(citizen: CurrentCitizen, application_id: str) -> CabinetApplication:
        try:
            view = applications.cabinet_entry(citizen.iin, application_id)
        except ApplicationNotFoundError as exc:
            raise HTTPException(404, str(exc)) from exc
        return _cabinet_entry(view, result_documents(citizen.iin))

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
        message = outbox.find(SERVICE_TOPICS.get(row.service, DELIVERY_TOPIC), application_id)
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


def _registry(context: SystemContext) -> PersonLookup:
    """The person registry through the gateway (GBDFL_UniversalServiceSync), as the portal (JS-11)."""
    return PersonRegistryClient(context.sync_client(), context.identity.sender_id, context.now)
