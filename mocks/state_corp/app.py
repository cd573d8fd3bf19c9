"""Composition root and HTTP entrypoints of the State Corporation system: ``create_app(settings)``.

- ``POST /api/operator/person-lookup``: SP-2, the operator asks the person registry through the gateway;
  200 found, 404 "data cannot be obtained" (the request stops), 422 wrong IIN, 502 registry unreachable;
- ``GET /health``.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from adapters.person_registry import PersonRegistryClient
from ecosystem.app import create_system_app
from ecosystem.context import system_context
from ecosystem.settings import Settings
from mocks.state_corp.schemas import LookupFailed, PersonFound, PersonLookupRequest, PersonNotFound
from mocks.state_corp.service import (
    InvalidIinError,
    PersonLookupService,
    RegistryLookup,
    RegistryUnavailableError,
)


def create_app(settings: Settings) -> FastAPI:
    context = system_context(settings, "state_corp")

    def registry() -> RegistryLookup:
        sender_code = context.identity.sender_id  # GK_IIS
        client: RegistryLookup = PersonRegistryClient(context.sync_client(), sender_code, context.now)
        return client

    service = PersonLookupService(registry)
    app = create_system_app(
        context,
        title="State Corporation system",
        description="Operator workstation: person lookup in the person registry through the gateway (SP-2).",
    )

    @app.post(
        "/api/operator/person-lookup",
        response_model=PersonFound,
        responses={
            404: {"model": PersonNotFound},
            422: {"model": LookupFailed},
            502: {"model": LookupFailed},
        },
    )
    def person_lookup(request: PersonLookupRequest) -> PersonFound | JSONResponse:
        try:
            outcome = service.lookup(request.operatorIin.strip(), request.applicantIin.strip())
        except InvalidIinError as exc:
            return JSONResponse(LookupFailed(detail=str(exc)).model_dump(), status_code=422)
        except RegistryUnavailableError as exc:
            failed = LookupFailed(detail=str(exc), correlationId=exc.correlation_id)
            return JSONResponse(failed.model_dump(), status_code=502)
        if outcome.person is None:
            message = outcome.not_found_message(request.applicantIin.strip())
            missing = PersonNotFound(message=message, correlationId=outcome.correlation_id)
            return JSONResponse(missing.model_dump(), status_code=404)
        return PersonFound(person=outcome.person, correlationId=outcome.correlation_id)


    return app
