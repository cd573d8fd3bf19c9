"""Composition root of the local employment authority: ``create_app(settings)``.

- ``/bip-sync/``: the SyncChannel provider of ``MIO_UnemployedRegistration``, ``MIO_Deregistration`` and
  ``MIO_Complaint`` (through the gateway only; every answer signed with the authority's certificate);
- ``GET /health``, ``/admin/clock`` (every system's), ``/admin/outbox`` (its decisions and stage reports on
  their way), and its own admin API (:mod:`mocks.local_authority.entrypoints.admin`);
- one background worker for the life of the app, started in the lifespan and stopped on shutdown: the outbox
  worker (decisions to the centre over ``ENBEK_AuthorityDecision``, stage reports to the monitoring IS), whose
  duty before each pass is the decision worker (mode ``auto``); what it had not done when the process was
  killed, it does after the restart (decisions and messages are in the store before anything is sent).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool

from adapters.storage import OutboxWorker
from adapters.xml import CompiledSchema
from contracts.local_authority import SCHEMA
from ecosystem.app import create_system_app
from ecosystem.catalogue import official, system
from ecosystem.context import system_context
from ecosystem.outbox_admin import outbox_router
from ecosystem.settings import Settings
from kernel.working_calendar import WorkingCalendar
from mocks.local_authority.adapters.decision_worker import DecisionWorker
from mocks.local_authority.adapters.delivery import (
    DECISION_TOPIC,
    STAGE_REPORT_TOPIC,
    GatewayStageReporter,
    decision_delivery,
    stage_report_delivery,
)
from mocks.local_authority.adapters.signing import HeadSignedDecisions
from mocks.local_authority.adapters.state_systems import GatewayStateSystems
from mocks.local_authority.adapters.storage import AuthorityStore
from mocks.local_authority.domain.models import DecisionMode
from mocks.local_authority.entrypoints.admin import admin_router
from mocks.local_authority.entrypoints.intake import Intake
from mocks.local_authority.service_layer.services import AuthorityServices
from wsdl import contract_path

SYSTEM = "local_authority"
HEAD = "local-authority-head"


def create_app(settings: Settings) -> FastAPI:
    context = system_context(settings, SYSTEM)
    head = official(HEAD)
    configured = settings.local_authority
    store = AuthorityStore.at(settings.database_for(SYSTEM), context.now)
    services = AuthorityServices(
        store=store,
        state_systems=GatewayStateSystems(context.sync_client(), context.identity.sender_id, context.now),
        signer=HeadSignedDecisions(head, context.layout.load_credential(context.layout.official(head.role))),
        calendar=WorkingCalendar(),
        now=context.now,
        decision_delay=configured.decision_delay,
        configured_mode=DecisionMode(configured.mode),
    )
    decisions = DecisionWorker(services, store)
    outbox_worker = OutboxWorker(
        store.outbox,
        {
            DECISION_TOPIC: decision_delivery(context.sync_client, store.mark_delivered, context.now),
            STAGE_REPORT_TOPIC: stage_report_delivery(
                GatewayStageReporter(context.rest_client(), context.identity.organisation)
            ),
        },
        name="local-authority-outbox",
        poll_seconds=configured.poll_seconds,
        duties=[decisions.run_once],
        concurrency=settings.outbox_concurrency,
        lease=settings.outbox_lease,
    )
    store.on_queued(outbox_worker.wake)
    decisions.woken_by(outbox_worker.wake)
    intake = Intake(
        services=services,
        trust=context.trust,
        now=context.now,
        max_bytes=settings.max_message_bytes,
        schema=CompiledSchema.load(contract_path(SCHEMA), companions=[contract_path("xsd/xmldsig-core-schema.xsd")]),
        centre_bin=system("employment").bin,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        outbox_worker.start()
        try:
            yield
        finally:
            await run_in_threadpool(outbox_worker.stop)
            store.dispose()

    app = create_system_app(
        context,
        title="local employment authority",
        databases={SYSTEM: store.engine},
        outboxes={SYSTEM: store.outbox},
        description=(
            "MIO_UnemployedRegistration, MIO_Deregistration and MIO_Complaint at /bip-sync/ (through the gateway); "
            "decisions signed by the head back to the centre (ENBEK_AuthorityDecision); admin /admin/cases, "
            "/admin/mode, /admin/complaints"
        ),
        lifespan=lifespan,
    )
    app.mount("/bip-sync", context.sync_provider("LocalAuthority", intake))
    app.include_router(outbox_router(store.outbox, outbox_worker))
    app.include_router(admin_router(services, decisions))
    return app
