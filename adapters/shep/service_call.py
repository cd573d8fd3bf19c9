"""One request/answer exchange with a provider through the gateway, as the clients of each system use it.

Send a payload element, translate a fault or a lost connection into :class:`ServiceCallError` (keeping
the SCE code), and read the answer's document whether it came as an element or as escaped XML text.
"""

from __future__ import annotations

from typing import Protocol

from lxml import etree

from adapters.shep.envelope import Payload
from adapters.shep.errors import ShepError
from adapters.shep.faults import GatewayFault
from adapters.shep.sync_client import GatewayUnreachable, SyncReply
from adapters.xml import XmlRejected


class SyncSender(Protocol):
    """What a client needs of :class:`adapters.shep.sync_client.SyncChannelClient`."""

    def send(self, service_id: str, payload: Payload, *, correlation_id: str | None = None) -> SyncReply: ...


class ServiceCallError(ShepError):
    """No usable answer: a fault from the gateway or the provider (``code``), or no connection."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class ServiceAnswerError(ServiceCallError):
    """The provider answered, but not with a readable XML document."""


def call_service(
    sender: SyncSender, service_id: str, request: etree._Element, correlation_id: str | None
) -> etree._Element:
    try:
        reply = sender.send(service_id, Payload(element=request), correlation_id=correlation_id)
    except GatewayFault as exc:
        raise ServiceCallError(f"{service_id} fault {exc}", code=exc.code) from exc
    except GatewayUnreachable as exc:
        raise ServiceCallError(f"{service_id}: {exc}") from exc
    try:
        return reply.payload.document()
    except XmlRejected as exc:
        raise ServiceAnswerError(f"the {service_id} answer is not XML: {exc}") from exc
