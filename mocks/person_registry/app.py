"""Composition root of the person registry mock: ``create_app(settings)``.

- ``/bip-sync/``: the SyncChannel provider of ``GBDFL_UniversalServiceSync`` (docs/gateway.md; payloads in
  docs/contracts.md), accepting only gateway-signed requests and signing its answers;
- ``GET /health``;
- ``GET /api/edge-cases``: the edge-case catalogue (docs/personas.md), each entry with its person and
  whether it holds on the reference date and on the clock's date;
- ``GET /admin/persons`` (paged, filtered) and ``GET /admin/persons/{iin}``: what the registry holds.

The people are the shared population file (:mod:`mocks.population_store`), written on first start with
``settings.population_seed`` and ``settings.population_size``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Response

from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from contracts.gbdfl import RegistryRequestError
from ecosystem.app import create_system_app
from ecosystem.context import system_context
from ecosystem.settings import Settings
from kernel.clock import almaty
from mocks.person_registry.service import PersonRegistryService
from mocks.person_registry.views import edge_case_catalogue, listed_person, whole_person
from mocks.population_model import STATUSES
from mocks.population_store import PersonQuery, PopulationStore

SYSTEM = "person_registry"
MAX_PAGE = 1000


def create_app(settings: Settings) -> FastAPI:
    context = system_context(settings, SYSTEM)
    people = PopulationStore.open(settings.data_dir, seed=settings.population_seed, size=settings.population_size)
    service = PersonRegistryService(
        people,
        sender_code=context.identity.sender_id,
        now=context.now,
        max_bytes=settings.max_message_bytes,
    )

    def today() -> date:
        return context.now().astimezone(almaty()).date()

    def handler(message: InboundMessage) -> Payload:
        try:
            return service.handle(message.payload)
        except RegistryRequestError as exc:
            raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc

    app = create_system_app(
        context,
        title="person registry (GBD FL)",
        description="GBDFL_UniversalServiceSync at /bip-sync/ (via the gateway); the edge-case catalogue at "
        "/api/edge-cases; admin API /admin/persons",
    )
    app.mount("/bip-sync", context.sync_provider("PersonRegistry", handler))

    @app.get("/api/edge-cases")
    def edge_cases() -> dict[str, Any]:
        """The edge-case catalogue: who exercises which rule, and whether it holds today (docs/personas.md)."""
        return edge_case_catalogue(people.index(), today())

    @app.get("/admin/persons")
    def persons(
        response: Response,
        status: Annotated[str | None, Query(description=f"one of {', '.join(STATUSES)}, on the clock's date")] = None,
        surname: str | None = None,
        birth_date: Annotated[date | None, Query(alias="birthDate")] = None,
        document_number: Annotated[str | None, Query(alias="documentNumber")] = None,
        persona: str | None = None,
        offset: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    ) -> list[dict[str, Any]]:
        """The people, in the order of the population file, filtered; ``X-Total-Count`` counts all that match."""
        if status is not None and status not in STATUSES:
            raise HTTPException(422, f"status must be one of {', '.join(STATUSES)}, got {status!r}")
        day = today()
        query = PersonQuery(surname=surname, birth_date=birth_date, document_number=document_number)
        found = people.search(query)
        if persona is not None:
            found = [person for person in found if person.persona == persona]
        if status is not None:
            found = [person for person in found if status in person.statuses_on(day)]
        response.headers["X-Total-Count"] = str(len(found))
        return [listed_person(person, day) for person in found[offset : offset + limit]]

    @app.get("/admin/persons/{iin}")
    def person(iin: str) -> dict[str, Any]:
        found = people.find(iin)
        if found is None:
            raise HTTPException(404, f"the registry holds no person with IIN {iin}")
        return whole_person(found, today())

    return app
