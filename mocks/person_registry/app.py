"""Composition root of the person registry mock: ``create_app(settings)``.

- ``/bip-sync/``: the SyncChannel provider of ``GBDFL_UniversalServiceSync`` (docs/gateway.md; payloads in
  docs/contracts.md), accepting only gateway-signed requests and signing its answers;
- ``GET /health``;
- ``GET /admin/persons`` and ``GET /admin/persons/{iin}``: what the registry holds.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException

from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from contracts.gbdfl import RegistryRequestError
from ecosystem.app import create_system_app
from ecosystem.context import system_context
from ecosystem.settings import Settings
from mocks.person_registry.repository import PersonRepository, person_to_json
from mocks.person_registry.service import PersonRegistryService

SYSTEM = "person_registry"


def create_app(settings: Settings) -> FastAPI:
    context = system_context(settings, SYSTEM)
    repository = PersonRepository.open(settings.data_dir)
    service = PersonRegistryService(
        repository,
        sender_code=context.identity.sender_id,
        now=context.now,
        max_bytes=settings.max_message_bytes,
    )

    def handler(message: InboundMessage) -> Payload:
        try:
            return service.handle(message.payload)
        except RegistryRequestError as exc:
            raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc

    app = create_system_app(
        context,
        title="person registry (GBD FL)",
        description="GBDFL_UniversalServiceSync at /bip-sync/ (via the gateway); admin API /admin/persons",
    )
    app.mount("/bip-sync", context.sync_provider("PersonRegistry", handler))


    @app.get("/admin/persons")
    def persons() -> list[dict[str, str | None]]:
        return [
            {"iin": person.iin, "fullName": person.full_name, "persona": person.persona} for person in repository.all()
        ]

    @app.get("/admin/persons/{iin}")
    def person(iin: str) -> dict[str, Any]:
        found = repository.find(iin)
        if found is None:
            raise HTTPException(404, f"the registry holds no person with IIN {iin}")
        return person_to_json(found)

    return app
