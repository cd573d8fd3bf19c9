"""Composition root of the egov portal: ``create_app(settings)`` builds the services and mounts their routes.

The work is in :mod:`mocks.portal.auth` (SP-4), :mod:`mocks.portal.applications` (JS-10, JS-1),
:mod:`mocks.portal.address_confirmation` (JS-11), :mod:`mocks.portal.certificates` (CE-1),
:mod:`mocks.portal.job_loss` (SP-4..SP-6), :mod:`mocks.portal.submission` (delivery through the shared outbox,
faults handled as :mod:`mocks.portal.outcomes` says) and :mod:`mocks.portal.cabinet` (the documents kept in the
personal cabinet, CE-4; ``EGOV_CabinetDocument`` at ``/bip-sync/``), rendered by :mod:`mocks.portal.renderings`.
The routes, which only translate, are routers by concept: :mod:`mocks.portal.auth_routes` (login),
:mod:`mocks.portal.employment_routes` (the employment centre's services: JS-11/JS-10, CE-1),
:mod:`mocks.portal.job_loss_routes` (the job-loss payment), :mod:`mocks.portal.application_routes` (the
cabinet's applications, and ``GET /admin/applications/{id}``: an application with the technical wording of
its fault), :mod:`mocks.portal.cabinet_routes` (the cabinet's documents) and :mod:`mocks.portal.complaints`.
The outbox worker runs for the app's lifetime (FastAPI lifespan); the shared admin routes (``/admin/outbox``…,
:mod:`ecosystem.outbox_admin`) show, run and revive it. Request bodies are capped (``max_request_body_bytes``,
413) before they are read whole.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from adapters.person_registry import PersonRegistryClient
from adapters.pki import Credential, CredentialCache
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
from mocks.portal.address_confirmation import AddressConfirmation, PersonLookup
from mocks.portal.application_routes import application_router
from mocks.portal.applications import JobSeekerApplications
from mocks.portal.async_results import registration_answers, request_status
from mocks.portal.auth import Authenticator
from mocks.portal.auth_routes import auth_router
from mocks.portal.body_limit import BodyLimit
from mocks.portal.cabinet import CabinetDocuments, Issuers, cabinet_handler
from mocks.portal.cabinet_routes import cabinet_router
from mocks.portal.certificates import CertificateApplications, CertificateDelivery
from mocks.portal.complaints import complaints_router
from mocks.portal.document_kinds import CERTIFICATE_RESULTS, JOB_LOSS_RESULTS, DocumentVerifier
from mocks.portal.employment_routes import employment_router
from mocks.portal.job_loss import JobLossApplications, JobLossDelivery, JobLossResults
from mocks.portal.job_loss_form import FormFacts, cabinet_certificate
from mocks.portal.job_loss_routes import JobLossView, job_loss_router
from mocks.portal.job_loss_store import JobLossStore
from mocks.portal.renderings import DocumentRenderer
from mocks.portal.signing_check import NcaRevocationList, SigningCertificateCheck
from mocks.portal.storage import CERTIFICATE_TOPIC, DELIVERY_TOPIC, JOB_LOSS_TOPIC, PortalStore
from mocks.portal.submission import EnvelopeSize, JobSeekerDelivery, ResultKeeper

# Who may put documents into cabinets through EGOV_CabinetDocument (gateway/services.yaml says the same):
# the employment centre, the local employment authority and the social insurance fund (its notifications
# only, SP-6), by the BIN their officials sign with.
CABINET_ISSUERS = ("ENBEK_LABOUR_MARKET", "MIO_EMPLOYMENT", "GFSS")


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
    population = build_population(settings.population_seed)
    authenticator.seed(population)  # the people with a password and a key
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
    job_loss_store = JobLossStore(store.engine)
    fund_keeper = ResultKeeper(
        store, context.trust, system("social_fund").bin, context.now, kinds=JOB_LOSS_RESULTS, verifier=verifier
    )
    job_loss_delivery = JobLossDelivery(
        store,
        job_loss_store,
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
        concurrency=settings.outbox_concurrency,
        lease=settings.outbox_lease,
    )

    citizen_keys = CredentialCache()

    def citizen_key(iin: str) -> Credential:
        """The stand-in for the citizen's own signing tool (JS-10): their test key from the NCA (kept loaded)."""
        return citizen_keys.load(context.layout.person(iin))

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
    job_loss_results = JobLossResults(store, context.now, max_bytes=settings.max_message_bytes)
    cabinet = CabinetDocuments(
        store,
        verifier,
        _issuers(),
        context.now,
        max_bytes=settings.max_message_bytes,
        limits=limits,
        on_kept=job_loss_results.link,
    )
    people = {person.iin: person for person in population}
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
        store, outbox, citizen_key, signing_check, facts, context.now, journal=job_loss_store, on_submitted=worker.wake
    )
    renderer = DocumentRenderer(
        verifier, max_bytes=settings.max_message_bytes, notice_applicant=job_loss_results.applicant_name
    )

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
        databases={"portal": store.engine},
        outboxes={"portal": outbox},
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
            JobLossView(job_loss_store, cabinet, settings.max_message_bytes),
            context.now,
        )
    )
    app.mount("/bip-sync", context.sync_provider("Portal", cabinet_handler(cabinet)))
    mount_async_client(app, context, registration_answers(store, keeper), on_status=request_status(store, keeper))
    app.include_router(auth_router(authenticator))
    app.include_router(employment_router(confirmation, certificates, centre_name=employment.organisation))
    app.include_router(application_router(store, applications, cabinet, outbox))

    return app


def _registry(context: SystemContext) -> PersonLookup:
    """The person registry through the gateway (GBDFL_UniversalServiceSync), as the portal (JS-11)."""
    return PersonRegistryClient(context.sync_client(), context.identity.sender_id, context.now)
