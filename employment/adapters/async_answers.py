"""The centre's answers on the AsyncChannel (``ENBEK_JobSeekerRegistrationAsync``), through its own outbox.

When an application came as an AsyncChannel REQUEST, the unit of work that stores its decision also queues
(topic ``registration-answer``, in the same transaction, so a crash after the decision still sends them):

- a NOTIFICATION "accepted by the employment centre" when the application was accepted for consideration
  (the ACCEPTED stage of the stage reports, JS-8; the portal shows it in the cabinet), then
- the RESPONSE: the signed result document, on the REQUEST's correlationId.

The ordering key (``answer/<application id>``) keeps that order; keys make a repeated queueing a no-op. The
worker sends each with the centre's :class:`adapters.shep.async_client.AsyncChannelClient`: a fault a retry
may cure (SCE008, SCE010, SCE909, no answer) is retried with backoff, any other is a dead letter.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from adapters.shep import GatewayFault, Payload
from adapters.shep.async_client import AsyncChannelClient
from adapters.shep.faults import ErrorCode
from adapters.storage import DeliveryRefused, Outbox
from adapters.storage.worker import Delivery
from contracts.application_notice import ApplicationNotice, NoticeStatus, write_notice
from contracts.async_channel import MessageType
from employment.domain.models import StageReport
from employment.service_layer.ports import StoredApplication

ANSWER_TOPIC = "registration-answer"
ASYNC_SERVICE_ID = "ENBEK_JobSeekerRegistrationAsync"
RETRYABLE = {ErrorCode.REPLAY_OR_STALE.value, ErrorCode.PROVIDER_UNAVAILABLE.value, ErrorCode.INTERNAL.value}


def accepted_text(deadline: datetime) -> str:
    return (
        "Your application was accepted by the employment centre; the decision is due by "
        f"{deadline:%d.%m.%Y %H:%M} (Rules No. 259 §12)."
    )


def queue_answers(
    outbox: Outbox, connection: Connection, stored: StoredApplication, accepted: StageReport | None
) -> None:
    """Queue the status NOTIFICATION (if the application was accepted) and the RESPONSE of one decision."""
    correlation_id = stored.correlation_id
    if not correlation_id:
        return  # no chain to answer on
    order = f"answer/{stored.application_id}"
    if accepted is not None:
        notice = {
            "kind": MessageType.NOTIFICATION.value,
            "applicationId": stored.application_id,
            "correlationId": correlation_id,
            "status": NoticeStatus.ACCEPTED.value,
            "at": accepted.at.isoformat(),
            "deadline": accepted.deadline.isoformat(),
        }
        outbox.put(connection, ANSWER_TOPIC, notice, key=f"{correlation_id}/accepted", ordering_key=order)
    response = {
        "kind": MessageType.RESPONSE.value,
        "applicationId": stored.application_id,
        "correlationId": correlation_id,
    }
    outbox.put(connection, ANSWER_TOPIC, response, key=f"{correlation_id}/response", ordering_key=order)


def queue_response(outbox: Outbox, application_id: str, correlation_id: str) -> bool:
    """Queue the RESPONSE of a chain in a transaction of its own; False when it was queued already (with
    the decision, in the normal case)."""
    payload = {"kind": MessageType.RESPONSE.value, "applicationId": application_id, "correlationId": correlation_id}
    return outbox.enqueue(
        ANSWER_TOPIC, payload, key=f"{correlation_id}/response", ordering_key=f"answer/{application_id}"
    )


def answer_delivery(
    client: Callable[[], AsyncChannelClient], application: Callable[[str], StoredApplication | None]
) -> Delivery:
    """The outbox delivery function of topic ``registration-answer``."""

    def deliver(payload: dict[str, Any]) -> None:
        try:
            kind = MessageType(payload["kind"])
            application_id, correlation_id = str(payload["applicationId"]), str(payload["correlationId"])
        except (KeyError, ValueError) as exc:
            raise DeliveryRefused(f"the queued answer cannot be read ({exc!r}): written by another version?") from exc
        if kind is MessageType.NOTIFICATION:
            deadline = datetime.fromisoformat(payload["deadline"])
            notice = ApplicationNotice(
                application_id,
                NoticeStatus(payload["status"]),
                accepted_text(deadline),
                datetime.fromisoformat(payload["at"]),
                deadline,
            )
            data = Payload(text=write_notice(notice))
        else:
            stored = application(application_id)
            if stored is None:
                raise DeliveryRefused(f"application {application_id} has no stored decision to answer with")
            data = Payload(text=stored.document)  # the decision as stored: repeated chains get the same

        try:
            client().send(ASYNC_SERVICE_ID, data, message_type=kind, correlation_id=correlation_id)
        except GatewayFault as exc:
            if exc.code in RETRYABLE:
                raise
            raise DeliveryRefused(f"the gateway refused the {kind.value} of {application_id}: {exc}") from exc

    return deliver
