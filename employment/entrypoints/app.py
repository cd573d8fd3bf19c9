"""Composition root of the employment centre service: ``create_app(settings)``.

The centre serves job-seeker registration over the SyncChannel (``/bip-sync``) and the AsyncChannel (its
IAsyncChannelClient at ``/bip-async-client/``: REQUESTs PUSHed by the gateway, answered later through the
outbox). The outbox worker (stage reports and AsyncChannel answers) runs for the life of the app (started
in its lifespan, stopped on shutdown), so
reports queued with a decision reach the monitoring IS even if no other application ever arrives, and
reports left undelivered by a crash are delivered after the restart.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.concurrency import run_in_threadpool

from adapters.person_registry import PersonRegistryClient
from adapters.social_fund import SocialFundClient
from adapters.storage import OutboxWorker
from ecosystem.app import create_system_app
from ecosystem.async_client import mount_async_client
from ecosystem.catalogue import official
from ecosystem.context import system_context
from ecosystem.outbox_admin import outbox_router
from ecosystem.settings import Settings
from employment.adapters.async_answers import ANSWER_TOPIC, answer_delivery, queue_response
from employment.adapters.cabinet import GatewayCabinet
from employment.adapters.channel_journal import ChannelJournal
from employment.adapters.documents import SignedResultDocuments
from employment.adapters.fund_notifier import GatewayFundNotifier
from employment.adapters.job_loss_payment import GatewayJobLossPaymentFund
from employment.adapters.local_authority import GatewayLocalAuthority
from employment.adapters.pre_registrations import SqlPreRegistrations
from employment.adapters.register_document_issuer import SignedRegisterDocuments
from employment.adapters.register_documents import RegisterDocumentSigner
from employment.adapters.staff import REGISTER_ORGS, staff_register
from employment.adapters.stage_outbox import stage_report_worker
from employment.adapters.state_systems import (
    GatewayContributions,
    GatewayPersonRegistry,
    GatewayStageReporter,
)
from employment.adapters.storage import EmploymentStore
from employment.domain.calendar import WorkingCalendar
from employment.entrypoints.async_requests import async_requests
from employment.entrypoints.channels_api import ChannelsContext, channels_router
from employment.entrypoints.dispatch import InboundContext, ServiceDispatcher
from employment.entrypoints.register_api import register_router
from employment.entrypoints.services import ROUTES
from employment.entrypoints.signed_requests import SignedRequests
from employment.service_layer.handlers import EmploymentServices
from employment.service_layer.register import advance_register
from employment.service_layer.register_filing import RegisterServices


def create_app(settings: Settings) -> FastAPI:
    context = system_context(settings, "employment")
    director = official("employment-director")
    store = EmploymentStore.at(settings.database_for("employment"), context.now)
    sync = context.sync_client()
    reporter = GatewayStageReporter(
        context.rest_client(),
        register_org=context.identity.organisation,
        executor_org=context.identity.organisation,
        register_orgs=REGISTER_ORGS,
    )
    registry = GatewayPersonRegistry(PersonRegistryClient(sync, context.identity.sender_id, context.now))
    contributions = GatewayContributions(SocialFundClient(sync, context.now))
    director_credential = context.layout.load_credential(context.layout.official(director.role))
    # UN-5: the centre's specialist signs the job-loss payment applications sent with the person's consent
    specialist_credential = context.layout.load_credential(context.layout.official(official("employment-worker").role))
    calendar = WorkingCalendar()
    signer = RegisterDocumentSigner(director, director_credential)
    # The register of the unemployed (docs/register.md): its ports through the gateway.
    register = RegisterServices(
        uow=store.unit_of_work,
        registry=registry,
        contributions=contributions,
        documents=SignedRegisterDocuments(signer),
        authority=GatewayLocalAuthority(sync, registry, director_credential, context.now),
        cabinet=GatewayCabinet(sync, signer.issuer),
        fund=GatewayFundNotifier(sync),
        calendar=calendar,
        now=context.now,
        payments=GatewayJobLossPaymentFund(sync, specialist_credential),
    )
    # The register's time-driven step (JS-9 windows closing, UN-1 packages, LM-5, the dispatches to the
    # authority, the cabinet and the fund) is a duty of the outbox worker: it runs before each pass, on the
    # shared clock, so moving the clock moves the register; the stage reports it queues go in the same pass.
    worker = stage_report_worker(
        store.outbox,
        reporter,
        other_topics={ANSWER_TOPIC: answer_delivery(context.async_client, store.application)},
        duties=[lambda: advance_register(register)],
        concurrency=settings.outbox_concurrency,
        lease=settings.outbox_lease,
    )
    store.on_stage_reports_queued(worker.wake)
    services = EmploymentServices(
        uow=store.unit_of_work,
        registry=registry,
        contributions=contributions,
        documents=SignedResultDocuments(director, director_credential),
        calendar=calendar,
        now=context.now,
        signers=staff_register(),
        register=register,
    )
    inbound = InboundContext(context.trust, context.now, settings.max_message_bytes)
    dispatcher = ServiceDispatcher(ROUTES, services, inbound)
    # The same routes over the AsyncChannel; their decisions also queue the answers (status, result).
    answering = ServiceDispatcher(ROUTES, replace(services, uow=store.answering_unit_of_work), inbound)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        worker.start()
        try:
            yield
        finally:
            await run_in_threadpool(worker.stop)
            store.dispose()

    app = create_system_app(
        context,
        title="employment centre service (Labour Market system)",
        lifespan=lifespan,
        databases={"employment": store.engine},
        outboxes={"employment": store.outbox},
    )
    app.mount("/bip-sync", context.sync_provider("LabourMarket", dispatcher))
    app.include_router(outbox_router(store.outbox, worker))
    # The office and the rural assistant enter registrations through the centre's own API (docs/channels.md).
    channels = ChannelsContext(
        services=services,
        pre_registrations=SqlPreRegistrations(store.engine, store.outbox, worker.wake),
        journal=ChannelJournal(store.engine, context.now),
        requests=SignedRequests(
            context.trust, context.now, settings.max_message_bytes, timedelta(seconds=settings.max_clock_skew_seconds)
        ),
    )
    app.include_router(channels_router(channels))
    app.include_router(register_router(store, register))
    mount_async_client(
        app,
        context,
        async_requests(answering, lambda application_id, chain: _queue_response(store, application_id, chain, worker)),
    )

    @app.get("/admin/applications/{application_id}")
    def application(application_id: str) -> dict[str, Any]:
        stored = store.application(application_id)
        if stored is None:
            raise HTTPException(404, f"no application {application_id}")
        return _with_offsets(stored.__dict__)

    @app.get("/admin/job-seekers/{iin}")
    def job_seeker(iin: str) -> dict[str, Any]:
        card = store.job_seeker(iin)
        if card is None:
            raise HTTPException(404, f"IIN {iin} is not registered as a job seeker")
        return _with_offsets(card)

    return app


def _queue_response(store: EmploymentStore, application_id: str, correlation_id: str, worker: OutboxWorker) -> None:
    if queue_response(store.outbox, application_id, correlation_id):
        worker.wake()


def _with_offsets(values: dict[str, Any]) -> dict[str, Any]:
    """Dates and instants as ISO 8601 text; an instant keeps its own offset (+05:00 in Astana), where the
    JSON encoder would turn a UTC value into ``Z``."""
    return {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in values.items()}
