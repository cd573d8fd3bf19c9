"""The admin API of the AsyncChannel's deliveries (docs/admin-apis.md)::

GET  /admin/async/messages                 counts by state and the messages, newest first (?state=&limit=&offset=)
GET  /admin/async/messages/{id}            one message and its delivery state
GET  /admin/async/dead-letters             messages whose delivery stopped or was refused, not yet re-driven
POST /admin/async/messages/{id}/redrive    put a dead letter back on delivery
POST /admin/async/run                      deliver what is due now, and say what happened
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from adapters.storage import OutboxWorker
from contracts.async_channel import MessageState
from gateway.async_delivery import PUSH_TOPIC, AsyncDeliveries

__all__ = ["async_admin_router"]


def async_admin_router(deliveries: AsyncDeliveries, worker: OutboxWorker) -> APIRouter:
    router = APIRouter(prefix="/admin/async", tags=["async"])
    store = deliveries.store

    @router.get("/messages")
    def messages(
        state: MessageState | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        return {"counts": store.counts(), "messages": [m.as_json() for m in store.messages(state, limit, offset)]}

    @router.get("/messages/{message_id}")
    def message(message_id: str) -> dict[str, Any]:
        found = store.get(message_id)
        if found is None:
            raise HTTPException(404, f"no async message {message_id!r}")
        job = deliveries.outbox.find(PUSH_TOPIC, f"{message_id}#{found.pushes}") if found.pushes else None
        return found.as_json() | {"push": job.as_json() if job is not None else None}

    @router.get("/dead-letters")
    def dead_letters() -> list[dict[str, Any]]:
        return [letter.as_json() for letter in deliveries.dead_letters()]

    @router.post("/messages/{message_id}/redrive")
    def redrive(message_id: str) -> dict[str, Any]:
        try:
            return deliveries.redrive(message_id).as_json()
        except LookupError as exc:
            raise HTTPException(404, str(exc)) from exc

    @router.post("/run")
    def run() -> dict[str, Any]:
        return worker.run_once().as_json() | {"counts": store.counts()}

    return router
