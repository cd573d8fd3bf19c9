"""Composition root of the employment centre service: ``create_app(settings)``."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException

from adapters.person_registry import PersonRegistryClient
from adapters.social_fund import SocialFundClient
from ecosystem.app import create_system_app
from ecosystem.catalogue import official
from ecosystem.context import system_context
from ecosystem.settings import Settings
from employment.adapters.documents import SignedResultDocuments
from employment.adapters.state_systems import (
    GatewayContributions,
    GatewayPersonRegistry,
    GatewayStageReporter,
)
from employment.adapters.storage import SqlEmploymentStore
from employment.domain.calendar import WorkingCalendar
from employment.entrypoints.soap_adapter import registration_handler
from employment.service_layer.handlers import EmploymentServices, flush_stage_reports


def create_app(settings: Settings) -> FastAPI:
    context = system_context(settings, "employment")
    director = official("employment-director")
    store = SqlEmploymentStore.at(settings.database_for("employment"))
    sync = context.sync_client()
    services = EmploymentServices(
        store=store,
        registry=GatewayPersonRegistry(PersonRegistryClient(sync, context.identity.sender_id, context.now)),
        contributions=GatewayContributions(SocialFundClient(sync, context.now)),
        documents=SignedResultDocuments(
            director, context.layout.load_credential(context.layout.official(director.role))
        ),
        reporter=GatewayStageReporter(
            context.rest_client(),
            register_org=context.identity.organisation,
            executor_org=context.identity.organisation,
        ),
        calendar=WorkingCalendar(),
        now=context.now,
    )
    handler = registration_handler(services, context.trust, context.now, settings.max_message_bytes)
    app = create_system_app(context, title="employment centre service (Labour Market system)")
    app.mount("/bip-sync", context.sync_provider("LabourMarket", handler))

    @app.get("/admin/applications/{application_id}")
    def application(application_id: str) -> dict[str, object]:
        stored = store.application(application_id)
        if stored is None:
            raise HTTPException(404, f"no application {application_id}")
        return stored.__dict__

    @app.get("/admin/job-seekers/{iin}")
    def job_seeker(iin: str) -> dict[str, object]:
        card = store.job_seeker(iin)
        if card is None:
            raise HTTPException(404, f"IIN {iin} is not registered as a job seeker")
        return card

    @app.get("/admin/stage-outbox")
    def outbox() -> dict[str, int]:
        return store.outbox_status()

    @app.post("/admin/stage-outbox/flush")
    def flush() -> dict[str, int]:
        return {"sent": flush_stage_reports(services)} | store.outbox_status()

    return app
