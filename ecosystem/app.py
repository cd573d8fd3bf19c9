"""What every system's web application shares: ``create_system_app(context, ...)``.

- ``GET /health``: which system answers (name, sender id, BIN), so a launcher can tell that the process on
  a port is the system it expects and not some other program;
- ``GET /health/live`` and ``GET /health/ready`` (:mod:`ecosystem.health`): the process is up; the system's
  databases answer, its certificate and the NCA's CRL can be relied on (503 with the reasons when not);
- ``GET /metrics`` (:mod:`ecosystem.metrics`): Prometheus metrics of this system alone (all its worker processes),
  HTTP requests by route, method and status with their latency, and the depth, retries and dead letters of each outbox;
- ``GET /admin/clock``: the ecosystem's time as this system reads it;
- ``POST /admin/clock`` ``{"set": "<ISO 8601>"}`` or ``{"advance": "3d" | "PT2H"}``: move it for every system;
- every ``/admin/*`` route (these and each system's own) needs the admin token when ``EGOV_SIM_ADMIN_TOKEN`` is
  set (:mod:`ecosystem.admin_guard`); ``/health*`` and ``/metrics`` stay open;
- any unexpected error in a route is answered ``500`` with JSON ``{"errorCode": "SCE909", "errorMessage",
  "incident"}`` in plain words, the exception and its traceback only in the log under that incident number.

Each system's composition root calls this first, then adds its own routes.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, model_validator
from sqlalchemy.engine import Engine

from adapters.shep.faults import ErrorCode
from adapters.shep.incidents import incident_message, log_incident
from adapters.storage import Outbox
from ecosystem.admin_guard import AdminTokenGuard
from ecosystem.clock import EcosystemClock, parse_duration
from ecosystem.context import SystemContext
from ecosystem.health import ReadinessCheck, assess, system_checks
from ecosystem.metrics import CONTENT_TYPE_LATEST, HttpMetricsMiddleware, SystemMetrics

__all__ = ["ClockChange", "create_system_app"]

LOG = logging.getLogger(__name__)


class ClockChange(BaseModel):
    """Exactly one of ``set`` (an ISO 8601 instant with its offset) or ``advance`` (a duration)."""

    set: datetime | None = Field(default=None, description="jump to this instant (ISO 8601 with offset)")
    advance: str | None = Field(default=None, description="move forward by 3d, 2h, 90m, P1D, PT2H, ...")

    @model_validator(mode="after")
    def _one_of(self) -> ClockChange:
        if (self.set is None) == (self.advance is None):
            raise ValueError("give exactly one of 'set' (ISO 8601 instant) or 'advance' (duration such as 3d or P1D)")
        return self


Lifespan = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def create_system_app(
    context: SystemContext,
    *,
    title: str,
    description: str = "",
    lifespan: Lifespan | None = None,
    databases: Mapping[str, Engine] | None = None,
    outboxes: Mapping[str, Outbox] | None = None,
    checks: Sequence[ReadinessCheck] = (),
    metrics: SystemMetrics | None = None,
    guarded: tuple[str, ...] = (),
    **fastapi_options: Any,
) -> FastAPI:
    """A FastAPI application with the routes every system shares; the system adds its own. On shutdown,
    after the system's own ``lifespan`` ends, the context's HTTP clients are closed.

    ``databases`` (by name) are checked by ``/health/ready``; ``outboxes`` (by name) are exported by
    ``/metrics``; ``checks`` are the system's own readiness checks; ``metrics`` the system's registry when it
    adds metrics of its own (a new one otherwise); ``guarded``: path prefixes besides ``/admin`` that need the
    admin token."""

    @asynccontextmanager
    async def system_lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            if lifespan is None:
                yield
            else:
                async with lifespan(app):
                    yield
        finally:
            app.state.metrics.close()
            context.close()

    app = FastAPI(
        title=f"egov-sim {title}",
        version="0.2.0",
        description=description,
        lifespan=system_lifespan,
        **fastapi_options,
    )
    app.state.context = context
    metrics = metrics or SystemMetrics(context.identity.name)
    app.state.metrics = metrics
    for name, outbox in (outboxes or {}).items():
        metrics.watch_outbox(name, outbox)
    readiness = system_checks(context, databases, checks)
    if context.settings.admin_token:
        app.add_middleware(
            AdminTokenGuard, token=context.settings.admin_token, system=context.identity.name, also=guarded
        )
    app.add_middleware(HttpMetricsMiddleware, metrics=metrics)  # outermost: refusals of the guard counted too
    identity = context.identity

    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        incident = log_incident(LOG, f"in {identity.name} serving {request.method} {request.url.path}", exc)
        body = {
            "errorCode": ErrorCode.INTERNAL.value,
            "errorMessage": incident_message(identity.name, incident, "request"),
            "incident": incident,
        }
        return JSONResponse(body, status_code=500)

    app.add_exception_handler(Exception, unexpected_error)

    @app.get("/health", tags=["ecosystem"])
    def health() -> dict[str, str]:
        return {
            "system": identity.name,
            "senderId": identity.sender_id,
            "bin": identity.bin,
            "status": "up",
        }

    @app.get("/health/live", tags=["ecosystem"])
    def live() -> dict[str, str]:
        """The process is up and serving."""
        return {"system": identity.name, "status": "live"}

    @app.get("/health/ready", tags=["ecosystem"], responses={503: {"description": "not ready, with the reasons"}})
    def ready() -> JSONResponse:
        """The databases answer, the certificate and the NCA's CRL can be relied on (503 and why, when not)."""
        verdict = assess(readiness)
        return JSONResponse({"system": identity.name} | verdict.as_json(), status_code=200 if verdict.ready else 503)

    @app.get("/metrics", tags=["ecosystem"], response_class=Response)
    def prometheus_metrics() -> Response:
        """Prometheus text exposition of this system's metrics."""
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/admin/clock", tags=["ecosystem"])
    def clock_show() -> dict[str, object]:
        return _describe(context)

    @app.post("/admin/clock", tags=["ecosystem"])
    def clock_change(change: ClockChange) -> dict[str, object]:
        clock = context.clock
        if not isinstance(clock, EcosystemClock):
            raise HTTPException(409, f"{identity.name} runs on a private clock ({clock!r}) that cannot be moved")
        try:
            if change.set is not None:
                clock.set(change.set)
            else:
                clock.advance(parse_duration(change.advance or ""))
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc
        return _describe(context)

    return app


def _describe(context: SystemContext) -> dict[str, object]:
    clock = context.clock
    described: dict[str, object] = (
        clock.describe() if isinstance(clock, EcosystemClock) else {"now": clock.now().isoformat(), "kind": "private"}
    )
    return {"system": context.identity.name} | described
