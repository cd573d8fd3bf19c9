"""Mount a system's IAsyncChannelClient endpoint (the gateway PUSHes its AsyncChannel messages there)::

    POST /bip-async-client/        sendMessage and changeMassageStatusNotification from the gateway
    GET  /bip-async-client/        the IAsyncChannelClient contract (wsdl/AsyncChannelClient.wsdl)
    GET  /admin/async/inbox        what the inbox processed: counts (processed, deliveries, repeats) and entries

The path must match ``async_client`` of the participant in the gateway's register (gateway/services.yaml).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from adapters.shep.async_provider import AsyncClientEndpoint, AsyncHandler, StatusHandler
from adapters.shep.inbox import Inbox
from adapters.storage import create_store_engine
from adapters.xml import XmlLimits
from ecosystem.context import SystemContext
from wsdl import contract_path

ASYNC_CLIENT_PATH = "/bip-async-client/"


def mount_async_client(
    app: FastAPI, context: SystemContext, handler: AsyncHandler, *, on_status: StatusHandler | None = None
) -> Inbox:
    """Add the endpoint and its inbox (a table in the system's own database) to ``app``; return the inbox."""
    settings = context.settings
    engine = create_store_engine(settings.database_for(context.identity.name))
    inbox = Inbox(engine, context.now)
    endpoint = AsyncClientEndpoint(
        name=context.identity.name,
        handler=handler,
        inbox=inbox,
        credential=context.credential,
        trust=context.trust,
        gateway_bin=context.gateway_bin,
        now=context.now,
        max_bytes=settings.max_message_bytes,
        replay_guard=context.replay_guard(),  # the system's one guard: window, and each push once
        limits=XmlLimits(
            max_attributes=settings.max_xml_attributes,
            max_elements=settings.max_xml_elements,
            max_depth=settings.max_xml_depth,
        ),
        on_status=on_status,
    )
    public_url = settings.base_url(context.identity.name) + ASYNC_CLIENT_PATH

    @app.post(ASYNC_CLIENT_PATH, include_in_schema=False)
    async def receive(request: Request) -> Response:
        raw = b""
        async for chunk in request.stream():
            raw += chunk
            if len(raw) > settings.max_message_bytes:
                break
        answer = await run_in_threadpool(endpoint.handle, raw)
        return Response(answer.body, status_code=answer.status, media_type="text/xml; charset=utf-8")

    @app.get(ASYNC_CLIENT_PATH, include_in_schema=False)
    def contract() -> Response:
        text = contract_path("AsyncChannelClient.wsdl").read_text(encoding="utf-8")
        text = text.replace("http://127.0.0.1:8086/bip-async-client/", public_url)
        return Response(text, media_type="text/xml; charset=utf-8")

    @app.get("/admin/async/inbox", tags=["async"])
    def inbox_listing(limit: Annotated[int, Query(ge=1, le=10000)] = 1000) -> dict[str, Any]:
        return inbox.summary() | {"entries": [entry.as_json() for entry in inbox.entries(limit)]}

    return inbox
