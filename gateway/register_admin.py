"""The admin API of the gateway's live register (docs/admin-apis.md, docs/gateway.md "The register")::

GET    /admin/register                                   the register now, with its version
PUT    /admin/register/participants/{senderId}           add or change a participant (201 added, 200 changed)
DELETE /admin/register/participants/{senderId}           remove it and its rights (409 while it provides a service)
PUT    /admin/register/services/{serviceId}              add or change a service (201 added, 200 changed)
DELETE /admin/register/services/{serviceId}              remove a service
PUT    /admin/register/services/{serviceId}/allowed/{senderId}   grant the sender the right to call the service
DELETE /admin/register/services/{serviceId}/allowed/{senderId}   revoke it
GET    /admin/register/changes                           the register's journal entries, newest first
POST   /admin/register/seed                              apply gateway/services.yaml again (others kept)

Every change takes effect on this gateway's next request and on the others' within their refresh time, and
is journalled with who made it (``X-Admin-User``, else the client's address), before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, HTTPException, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from gateway.journal import MAX_PAGE, Journal
from gateway.live_register import LiveRegister
from gateway.payload_schemas import GatewaySchemas
from gateway.register_changes import (
    RegisterRefusal,
    apply_seed,
    grant,
    put_participant,
    put_service,
    remove_participant,
    remove_service,
    revoke,
)
from gateway.register_store import CHANGED, RegisterStore
from gateway.registry import Participant, Service, ServiceRegistry

__all__ = ["RegisterAdmin", "register_admin_router"]

ID = r"^[A-Za-z0-9_.-]+$"
PATH = r"^/[A-Za-z0-9/_.~-]*$"
SenderId = Annotated[str, Path(pattern=ID, max_length=64, description="the participant's sender id")]
ServiceId = Annotated[str, Path(pattern=ID, max_length=128, description="the serviceId")]
Actor = Annotated[
    str | None, Header(alias="X-Admin-User", max_length=128, description="who makes the change, for the journal")
]


class ParticipantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    system: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64, description="the system's name")
    bin: str = Field(pattern=r"^[0-9]{12}$", description="the BIN its transport certificate carries")
    asyncClient: str | None = Field(
        default=None, pattern=PATH, max_length=256, description="its IAsyncChannelClient path: PUSH; none: PULL"
    )
    baseUrl: str | None = Field(
        default=None,
        pattern=r"^https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9/_.~-]*)?$",
        max_length=512,
        description="where the gateway reaches it; none: the ecosystem's address (or peer) of the system",
    )
    allowSha1Signatures: bool = Field(
        default=False, description="its transport signatures may still be RSA-SHA1 (refused with SCE006 otherwise)"
    )


class ServiceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(default="", max_length=2000)
    channel: Literal["soap", "rest", "async"]
    provider: str = Field(pattern=ID, max_length=64)
    path: str = Field(pattern=PATH, max_length=256, description="appended to the provider's base URL")
    payloadSchema: str | None = Field(default=None, max_length=128, description="xsd/<file>.xsd of the contracts")
    allowed: list[Annotated[str, Field(pattern=ID, max_length=64)]] = Field(default_factory=list, max_length=1000)


class RegisterAdmin:
    """The changes behind the routes: each applied in the store, journalled, then in effect here."""

    def __init__(
        self,
        store: RegisterStore,
        live: LiveRegister,
        schemas: GatewaySchemas,
        now: Callable[[], datetime],
        has_address: Callable[[str], bool],
        seed: Callable[[], tuple[ServiceRegistry, str]],
    ) -> None:
        self.store, self.live, self.schemas = store, live, schemas
        self._now, self._has_address, self._seed = now, has_address, seed

    def apply(
        self, actor: str, action: str, transform: Callable[[ServiceRegistry], ServiceRegistry], **kw: Any
    ) -> dict[str, Any]:
        try:
            snapshot, entry = self.store.change(actor, action, self._now(), transform, **kw)
        except RegisterRefusal as exc:
            raise HTTPException(exc.status, str(exc)) from exc
        self.live.adopt(snapshot)
        return {"version": snapshot.version, "journalSeq": entry["seq"] if entry else None, "changed": bool(entry)}

    def participant(self, sender_id: str, body: ParticipantIn) -> Participant:
        if body.baseUrl is None and not self._has_address(body.system):
            raise HTTPException(
                422, f"{body.system} is not a system of the ecosystem and has no peer address: give its baseUrl"
            )
        return Participant(
            sender_id,
            body.system,
            body.bin,
            async_delivery="push" if body.asyncClient else "pull",
            async_path=body.asyncClient,
            base_url=body.baseUrl.rstrip("/") if body.baseUrl else None,
            allow_sha1_signatures=body.allowSha1Signatures,
        )

    def service(self, service_id: str, body: ServiceIn) -> Service:
        if body.payloadSchema is not None:
            try:
                self.schemas.ensure(body.payloadSchema)
            except ValueError as exc:
                raise HTTPException(422, str(exc)) from exc
        return Service(
            service_id=service_id,
            description=body.description,
            channel=body.channel,
            provider=body.provider,
            path=body.path,
            allowed=frozenset(body.allowed),
            payload_schema=body.payloadSchema,
        )

    def reseed(self, actor: str) -> dict[str, Any]:
        seed, digest = self._seed()
        return self.apply(
            actor, "gateway/services.yaml applied again", partial(apply_seed, seed=seed), seed_digest=digest
        )


def _actor(request: Request, given: str | None) -> str:
    if given and given.strip():
        return given.strip()
    client = request.client.host if request.client else "unknown"
    return f"admin API client {client}"


def register_admin_router(admin: RegisterAdmin, journal: Journal) -> APIRouter:
    router = APIRouter(prefix="/admin/register", tags=["register"])

    @router.get("")
    def register() -> dict[str, Any]:
        return {"version": admin.live.version} | admin.live.current().as_json()

    @router.put("/participants/{sender_id}")
    def put_participant_route(
        sender_id: SenderId, body: ParticipantIn, request: Request, response: Response, actor: Actor = None
    ) -> dict[str, Any]:
        new = admin.participant(sender_id, body)
        existed = admin.live.current().participant(sender_id) is not None
        outcome = admin.apply(
            _actor(request, actor),
            f"participant {sender_id} {'changed' if existed else 'added'}",
            partial(put_participant, participant=new),
        )
        response.status_code = 200 if existed else 201
        return outcome | {"participant": new.as_json()}

    @router.delete("/participants/{sender_id}")
    def delete_participant(sender_id: SenderId, request: Request, actor: Actor = None) -> dict[str, Any]:
        return admin.apply(
            _actor(request, actor), f"participant {sender_id} removed", partial(remove_participant, sender_id=sender_id)
        )

    @router.put("/services/{service_id}")
    def put_service_route(
        service_id: ServiceId, body: ServiceIn, request: Request, response: Response, actor: Actor = None
    ) -> dict[str, Any]:
        new = admin.service(service_id, body)
        existed = admin.live.current().service(service_id) is not None
        outcome = admin.apply(
            _actor(request, actor),
            f"service {service_id} {'changed' if existed else 'added'}",
            partial(put_service, service=new),
        )
        response.status_code = 200 if existed else 201
        return outcome | {"service": new.as_json()}

    @router.delete("/services/{service_id}")
    def delete_service(service_id: ServiceId, request: Request, actor: Actor = None) -> dict[str, Any]:
        return admin.apply(
            _actor(request, actor), f"service {service_id} removed", partial(remove_service, service_id=service_id)
        )

    @router.put("/services/{service_id}/allowed/{sender_id}")
    def grant_right(
        service_id: ServiceId, sender_id: SenderId, request: Request, actor: Actor = None
    ) -> dict[str, Any]:
        return admin.apply(
            _actor(request, actor),
            f"{sender_id} may call {service_id}",
            partial(grant, service_id=service_id, sender_id=sender_id),
        )

    @router.delete("/services/{service_id}/allowed/{sender_id}")
    def revoke_right(
        service_id: ServiceId, sender_id: SenderId, request: Request, actor: Actor = None
    ) -> dict[str, Any]:
        return admin.apply(
            _actor(request, actor),
            f"{sender_id} may no longer call {service_id}",
            partial(revoke, service_id=service_id, sender_id=sender_id),
        )

    @router.get("/changes")
    def changes(
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
        before: Annotated[int | None, Query(ge=1, description="the last seq of the page before")] = None,
    ) -> list[dict[str, Any]]:
        """The register's changes, newest first (the seed's entry is ``GET /admin/journal?event=register-seeded``)."""
        return journal.entries(event=CHANGED, limit=limit, before=before)

    @router.post("/seed")
    def seed(request: Request, actor: Actor = None) -> dict[str, Any]:
        return admin.reseed(_actor(request, actor))

    return router
