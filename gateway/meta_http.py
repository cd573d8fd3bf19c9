"""The gateway's metaservices over plain HTTP (JSON, open like ``/health``), the same answers as over SOAP
(:mod:`gateway.metaservices`)::

GET /meta/clients                           the participants: sender id and system
GET /meta/services                          every service of the register (X-Road's listMethods)
GET /meta/services?sender=ID                the services sender ID may call (allowedMethods); 404 for an
                                            unknown sender
GET /meta/services/{serviceId}              one service: provider, channel, description, WSDL and schemas
GET /meta/services/{serviceId}/wsdl         the WSDL of its channel, with this gateway's address (getWsdl)
GET /meta/services/{serviceId}/xsd          its payload schema; the schemas it includes are at /bip-sync/xsd/
GET /meta/health                            the gateway's readiness, as /health/ready (503 when not ready)
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse, Response

from gateway.errors import GatewayError
from gateway.metaservices import Metaservices
from gateway.registry import Service
from wsdl import contract_path

__all__ = ["meta_router"]


def meta_router(meta: Metaservices, channel_urls: dict[str, str]) -> APIRouter:
    """``channel_urls``: the WSDL file name -> this gateway's public address of that channel."""
    router = APIRouter(prefix="/meta", tags=["metaservices"])

    def found(service_id: str) -> Service:
        try:
            return meta.service(service_id)
        except GatewayError as exc:
            raise HTTPException(404, exc.message) from exc

    @router.get("/clients")
    def clients() -> list[dict[str, str]]:
        return [{"senderId": p.sender_id, "system": p.system} for p in meta.registry.participants()]

    @router.get("/services")
    def services(
        sender: Annotated[str | None, Query(description="only the services this sender id may call")] = None,
    ) -> list[dict[str, object]]:
        if sender is None:
            return [meta.describe(s) for s in meta.registry.services()]
        if meta.registry.participant(sender) is None:
            raise HTTPException(404, f"sender {sender[:80]!r} is not registered at the gateway")
        return [meta.describe(s) for s in meta.allowed(sender)]

    @router.get("/services/{service_id}")
    def service(service_id: str) -> dict[str, object]:
        return meta.describe(found(service_id))

    @router.get("/services/{service_id}/wsdl")
    def wsdl(service_id: str) -> Response:
        try:
            name = meta.wsdl_name(found(service_id))
        except GatewayError as exc:
            raise HTTPException(404, exc.message) from exc
        text = contract_path(name).read_text(encoding="utf-8")
        for default, public in _addresses(name, channel_urls):
            text = text.replace(default, public)
        return Response(text, media_type="text/xml; charset=utf-8")

    @router.get("/services/{service_id}/xsd")
    def xsd(service_id: str) -> Response:
        schemas = meta.schemas_of(found(service_id))
        if not schemas:
            raise HTTPException(404, f"{service_id} has no payload schema")
        return Response(contract_path(schemas[0]).read_text(encoding="utf-8"), media_type="text/xml; charset=utf-8")

    @router.get("/health", responses={503: {"description": "not ready, with the reasons"}})
    def health() -> JSONResponse:
        if meta.health is None:
            raise HTTPException(503, "the gateway's health is not known yet")
        verdict = meta.health()
        return JSONResponse(verdict.as_json(), status_code=200 if verdict.ready else 503)

    return router


DEFAULT_ADDRESSES = {
    "SyncChannel.wsdl": "http://127.0.0.1:8080/bip-sync/",
    "AsyncChannel.wsdl": "http://127.0.0.1:8080/bip-async/",
}


def _addresses(name: str, channel_urls: dict[str, str]) -> list[tuple[str, str]]:
    default = DEFAULT_ADDRESSES.get(name)
    public = channel_urls.get(name)
    return [(default, public)] if default and public else []
