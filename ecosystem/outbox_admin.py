"""The admin API of a system's outbox, the same in every system that has one::

GET  /admin/outbox                   counts by state, and the messages (newest first; ?state=&topic=&limit=&offset=)
GET  /admin/outbox/dead-letters      the messages that will not be retried without a person
POST /admin/outbox/run               deliver what is due now, and say what happened
POST /admin/outbox/{id}/revive       put a dead letter back in the queue
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query

from adapters.storage import Outbox, OutboxError, OutboxState, OutboxWorker

__all__ = ["outbox_router"]


def outbox_router(outbox: Outbox, worker: OutboxWorker) -> APIRouter:
    router = APIRouter(prefix="/admin/outbox", tags=["outbox"])

    @router.get("")
    def listing(
        state: OutboxState | None = None,
        topic: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        return {
            "counts": outbox.counts(),
            "messages": [m.as_json() for m in outbox.messages(state, topic, limit, offset)],
        }

    @router.get("/dead-letters")
    def dead_letters(
        limit: Annotated[int, Query(ge=1, le=1000)] = 100, offset: Annotated[int, Query(ge=0)] = 0
    ) -> list[dict[str, Any]]:
        return [m.as_json() for m in outbox.messages(OutboxState.DEAD, None, limit, offset)]

    @router.post("/run")
    def run() -> dict[str, Any]:
        return worker.run_once().as_json() | {"counts": outbox.counts()}

    @router.post("/{message_id}/revive")
    def revive(message_id: int) -> dict[str, Any]:
        try:
            message = outbox.revive(message_id)
        except OutboxError as exc:
            raise HTTPException(404, str(exc)) from exc
        worker.wake()
        return message.as_json()

    return router
