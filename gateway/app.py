"""Composition root of the gateway: ``create_app(settings)``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from functools import partial
from typing import Annotated

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from adapters.storage import Outbox, OutboxWorker, RetryPolicy
from adapters.xml import XmlLimits
from ecosystem.app import create_system_app
from ecosystem.context import system_context
from ecosystem.health import assess, system_checks
from ecosystem.metrics import SystemMetrics
from ecosystem.settings import Settings
from gateway.async_admin import async_admin_router
from gateway.async_delivery import EXPIRY_TOPIC, PUSH_TOPIC, STATUS_TOPIC, AsyncDeliveries
from gateway.async_store import AsyncStore
from gateway.channels.async_channel import AsyncChannel
from gateway.channels.context import ChannelContext
from gateway.channels.rest import RestChannel
from gateway.channels.sync import SyncChannel
from gateway.delivery import ProviderLink
from gateway.journal import MAX_PAGE, Journal
from gateway.live_register import LiveRegister
from gateway.meta_http import meta_router
from gateway.metaservices import META_SERVICES, Metaservices
from gateway.metrics import GatewayMetrics
from gateway.payload_schemas import GatewaySchemas
from gateway.register_admin import RegisterAdmin, register_admin_router
from gateway.register_store import RegisterStore, read_seed
from gateway.registry import Participant, Service, ServiceRegistry
from wsdl import contract_path, contracts_dir

log = logging.getLogger(__name__)


def create_app(settings: Settings) -> FastAPI:
    context = system_context(settings, "gateway")
    journal = Journal.at(settings.database_for("gateway"))
    registry = _live_register(settings, journal, context.now)
    link = ProviderLink(timeout=settings.http_timeout_seconds)
    meta = Metaservices(registry, gateway_id=context.identity.sender_id)
    metrics = SystemMetrics(context.identity.name)
    gateway_metrics = GatewayMetrics(
        metrics.registry,
        known_service=lambda service_id: service_id in META_SERVICES or registry.has_service(service_id),
        known_sender=lambda sender_id: registry.participant(sender_id) is not None,
    )

    def base_url(participant: Participant) -> str:
        return participant.base_url or settings.base_url(participant.system)

    def provider_url(service: Service) -> str:
        return base_url(registry.provider_of(service)) + service.path

    channels = ChannelContext(
        registry=registry,
        journal=journal,
        credential=context.credential,
        trust=context.trust,
        now=context.now,
        provider_url=provider_url,
        link=link,
        max_bytes=settings.max_message_bytes,
        max_clock_skew=timedelta(seconds=settings.max_clock_skew_seconds),
        xml_limits=XmlLimits(
            max_attributes=settings.max_xml_attributes,
            max_elements=settings.max_xml_elements,
            max_depth=settings.max_xml_depth,
        ),
        metrics=gateway_metrics,
    )
    schemas = GatewaySchemas.build(registry)  # every schema compiled now, before any message
    sync = SyncChannel(channels, schemas, meta)
    published_schemas = {path.name for path in (contracts_dir() / "xsd").glob("*.xsd")}
    rest = RestChannel(channels)
    # the async store and outbox on the journal's engine: a message and its journal entries in one transaction
    async_engine = journal.engine
    async_outbox = Outbox(
        async_engine,
        context.now,
        RetryPolicy(
            base=timedelta(seconds=settings.async_retry_base_seconds),
            cap=timedelta(seconds=settings.async_retry_cap_seconds),
            max_attempts=settings.async_max_attempts,
        ),
    )

    def participant_url(participant: Participant) -> str:
        return base_url(participant) + (participant.async_path or "/bip-async-client/")

    deliveries = AsyncDeliveries(
        store=AsyncStore(async_engine),
        outbox=async_outbox,
        registry=registry,
        journal=journal,
        credential=context.credential,
        trust=context.trust,
        now=context.now,
        participant_url=participant_url,
        max_age=timedelta(seconds=settings.async_max_age_seconds),
        timeout=settings.http_timeout_seconds,
        max_bytes=settings.max_message_bytes,
    )
    async_worker = OutboxWorker(
        async_outbox,
        {PUSH_TOPIC: deliveries.push, STATUS_TOPIC: deliveries.notify_status, EXPIRY_TOPIC: deliveries.expire},
        name="gateway-async",
        poll_seconds=0.2,
        on_dead=deliveries.dead,
        concurrency=settings.outbox_concurrency,
        lease=settings.outbox_lease,
    )
    deliveries.wake = async_worker.wake
    async_channel = AsyncChannel(channels, deliveries, schemas)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        for entry in await run_in_threadpool(journal.mark_interrupted, context.now()):
            log.warning("message %s of %s was interrupted by a gateway stop", entry["message_id"], entry["sender_id"])
        async_worker.start()
        try:
            yield
        finally:
            async_worker.stop()
            deliveries.close()
            link.close()
            journal.dispose()

    databases = {"gateway": async_engine}  # the journal and the async store share this database
    meta.health = lambda: assess(system_checks(context, databases))
    app = create_system_app(
        context,
        lifespan=lifespan,
        databases=databases,
        outboxes={"gateway-async": async_outbox},
        metrics=metrics,
        title="e-government gateway (ShEP)",
        description=(
            "SyncChannel at /bip-sync/, AsyncChannel at /bip-async/, REST channel at /bip-rest/{serviceId}, "
            "journal at /admin/journal, async deliveries at /admin/async"
        ),
    )
    app.include_router(async_admin_router(deliveries, async_worker))
    app.include_router(
        meta_router(
            meta, {"SyncChannel.wsdl": settings.gateway_sync_url, "AsyncChannel.wsdl": settings.gateway_async_url}
        )
    )
    register_admin = RegisterAdmin(
        registry.store,
        registry,
        schemas,
        context.now,
        has_address=lambda system: system in settings.ports or system in settings.peers,
        seed=partial(read_seed, ServiceRegistry.default_file()),
    )
    app.include_router(register_admin_router(register_admin, journal))

    @app.post("/bip-async/", include_in_schema=False)
    async def async_message(request: Request) -> Response:
        raw = await _read_limited(request, settings.max_message_bytes)
        answer = await run_in_threadpool(async_channel.handle, raw)
        return Response(answer.body, status_code=answer.status, media_type="text/xml; charset=utf-8")

    @app.get("/bip-async/", include_in_schema=False)
    def async_contract() -> Response:
        text = contract_path("AsyncChannel.wsdl").read_text(encoding="utf-8")
        text = text.replace("http://127.0.0.1:8080/bip-async/", settings.gateway_async_url)
        return Response(text, media_type="text/xml; charset=utf-8")

    def published_schema(name: str) -> Response:
        if name not in published_schemas:  # a name, never a path: nothing outside wsdl/xsd/ is served
            raise HTTPException(404, f"no schema {name[:80]!r}; the schemas are {', '.join(sorted(published_schemas))}")
        return Response(contract_path(f"xsd/{name}").read_text(encoding="utf-8"), media_type="text/xml")

    @app.get("/bip-async/xsd/{name}", include_in_schema=False)
    def async_schema(name: str) -> Response:
        return published_schema(name)

    @app.post("/bip-sync/", include_in_schema=False)
    async def send_message(request: Request) -> Response:
        raw = await _read_limited(request, settings.max_message_bytes)
        answer = await run_in_threadpool(sync.handle, raw)
        return Response(answer.body, status_code=answer.status, media_type="text/xml; charset=utf-8")

    @app.get("/bip-sync/", include_in_schema=False)
    def sync_contract(request: Request) -> Response:
        text = contract_path("SyncChannel.wsdl").read_text(encoding="utf-8")
        text = text.replace("http://127.0.0.1:8080/bip-sync/", settings.gateway_sync_url)
        return Response(text, media_type="text/xml; charset=utf-8")

    @app.get("/bip-sync/xsd/{name}", include_in_schema=False)
    def sync_schema(name: str) -> Response:
        return published_schema(name)

    @app.post("/bip-rest/{service_id}")
    async def rest_message(service_id: str, request: Request) -> Response:
        raw = await _read_limited(request, settings.max_message_bytes)
        headers = {key.lower(): value for key, value in request.headers.items()}
        answer = await run_in_threadpool(rest.handle, service_id, raw, headers, request.url.path)
        return Response(answer.body, status_code=answer.status, headers=answer.headers, media_type="application/json")

    @app.get("/admin/journal")
    def journal_entries(
        correlation_id: Annotated[str | None, Query(alias="correlationId")] = None,
        message_id: Annotated[str | None, Query(alias="messageId")] = None,
        service_id: Annotated[str | None, Query(alias="serviceId")] = None,
        sender: Annotated[str | None, Query(description="the entry's sender id (a provider, for an answer)")] = None,
        code: Annotated[str | None, Query(description="result code: SCE..., a status code, an HTTP status")] = None,
        event: Annotated[
            str | None, Query(description="received, delivered, rejected, ..., register-changed, register-seeded")
        ] = None,
        since: Annotated[datetime | None, Query(alias="from", description="ISO 8601 with offset, inclusive")] = None,
        until: Annotated[datetime | None, Query(alias="to", description="ISO 8601 with offset, inclusive")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="entries in this page")] = 500,
        before: Annotated[
            int | None, Query(ge=1, description="only entries older than this seq: the last seq of the page before")
        ] = None,
    ) -> list[dict[str, object]]:
        """Journal entries newest first; page on with ``before=<seq of the last entry received>``."""
        for name, instant in (("from", since), ("to", until)):
            if instant is not None and instant.utcoffset() is None:
                raise HTTPException(422, f"'{name}' needs an offset, e.g. 2026-11-23T10:00:00+05:00")
        return journal.entries(
            correlation_id=correlation_id,
            message_id=message_id,
            service_id=service_id,
            sender_id=sender,
            code=code,
            since=since,
            until=until,
            limit=limit,
            before=before,
            event=event,
        )

    @app.get("/admin/journal/verify")
    def journal_verify() -> dict[str, object]:
        """The whole hash chain recomputed: ``intact``, ``entries`` checked, and when broken the ``problem`` and
        the first ``broken`` entry (edited, removed or reordered)."""
        return journal.verify().as_json()

    @app.get("/admin/services")
    def services() -> list[dict[str, object]]:
        """The services of the live register and who may call them (the whole register: /admin/register)."""
        return [
            {
                "serviceId": s.service_id,
                "description": s.description,
                "channel": s.channel,
                "provider": s.provider,
                "allowed": sorted(s.allowed),
            }
            for s in registry.services()
        ]

    return app


def _live_register(settings: Settings, journal: Journal, now: Callable[[], datetime]) -> LiveRegister:
    """The register in the gateway's database, seeded from ``gateway/services.yaml`` when never written."""
    store = RegisterStore(journal)
    seed, digest = read_seed(ServiceRegistry.default_file())
    if store.seed_if_empty(seed, digest, now()):
        log.info("the register was seeded from %s", ServiceRegistry.default_file())
    elif store.seed_digest() != digest:
        log.warning(
            "gateway/services.yaml changed since it seeded this database's register, which keeps its own state: "
            "POST /admin/register/seed applies the file again"
        )
    return LiveRegister(store, max_age=settings.register_refresh_seconds)


async def _read_limited(request: Request, max_bytes: int) -> bytes:
    """Read at most ``max_bytes + 1`` bytes, so an oversized body is refused without reading it all."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        chunks.append(chunk)
        if size > max_bytes:
            break
    return b"".join(chunks)
