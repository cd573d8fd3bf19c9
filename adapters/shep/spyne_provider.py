"""A spyne application implementing ISyncChannel.SendMessage for one provider system.

The spyne method only translates: it reads the ``request`` element, hands ``(RequestInfo, Payload)`` to
the provider's handler, and wraps the handler's payload into ``response``. A handler signals a business
fault by raising :class:`ProviderError`, which becomes a SOAP fault whose detail is
``SendMessageFault1_SendMessageFault``; any other exception is a bug or a broken dependency: it is logged with
an incident number and answered as an SCE909 fault whose message names only that number (the exception's text
may hold internal addresses). The application's namespace is the one of the wrapper elements,
``http://bip.bee.kz/SyncChannel/v10/Types``, so spyne dispatches ``{Types}SendMessage`` and answers
``{Types}SendMessageResponse`` (``docs/protocol.md``).

spyne ends every call (``MethodContext.close``) with a full ``gc.collect()`` whenever the last one is more than
``spyne.const.MIN_GC_INTERVAL`` (one second) ago, "to have file descriptors returned in a timely manner". Our
providers hand spyne no files (the signature middleware owns the request and answer bodies), and under load that
forced collection was a fifth of a registry's time (issue 9): building an application turns it off
(:func:`stop_forced_collections`); Python's own generational collector still runs as usual.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree
from spyne import AnyXml, Application, Fault, ServiceBase, const, rpc
from spyne.protocol.soap import Soap11
from spyne.server.wsgi import WsgiApplication

from adapters.shep.envelope import (
    TYPES_NS,
    EnvelopeError,
    ErrorInfo,
    Payload,
    RequestInfo,
    ResponseInfo,
    build_response_element,
    error_element,
    parse_request_element,
)
from adapters.shep.errors import ShepError
from adapters.shep.faults import ErrorCode
from adapters.shep.incidents import incident_message, log_incident
from adapters.shep.provider import TRANSPORT_KEY
from adapters.signatures import TransportSignature

LOG = logging.getLogger(__name__)


class ProviderError(ShepError):
    """A provider refuses to process a message; becomes a SOAP fault with this code."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class InboundMessage:
    info: RequestInfo
    payload: Payload
    transport: TransportSignature


Handler = Callable[[InboundMessage], Payload]


def internal_error_message(provider: str, service_id: str, exc: BaseException) -> str:
    """Log an unexpected error under a new incident number; the plain message to answer with."""
    incident = log_incident(LOG, f"in the {provider} provider serving {service_id}", exc)
    return incident_message(f"{provider} provider", incident)


def stop_forced_collections() -> None:
    """Stop spyne forcing a full garbage collection at the end of a call (see the module docstring)."""
    const.MIN_GC_INTERVAL = float("inf")


def sync_channel_application(name: str, handler: Handler, now: Callable[[], dt.datetime]) -> WsgiApplication:
    """Build the spyne WSGI application of a provider whose business logic is ``handler``."""
    stop_forced_collections()

    def fault(code: ErrorCode, message: str) -> Fault:
        detail = error_element(ErrorInfo(code.value, message, now()))
        return Fault(
            faultcode="Client" if code.is_client_error else "Server",
            faultstring=f"{code.value}: {message}",
            detail=detail,
        )

    class SyncChannelService(ServiceBase):  # type: ignore[misc]
        @rpc(
            AnyXml,
            _returns=AnyXml,
            _body_style="bare",
            _in_message_name="SendMessage",
            _out_message_name="SendMessageResponse",
        )
        def SendMessage(ctx: Any, request: etree._Element) -> etree._Element:  # noqa: N805 - spyne passes ctx
            try:
                info, payload = parse_request_element(request)
            except EnvelopeError as exc:
                raise fault(ErrorCode.MALFORMED, str(exc)) from exc
            transport = ctx.transport.req_env[TRANSPORT_KEY]
            try:
                answer = handler(InboundMessage(info=info, payload=payload, transport=transport))
            except ProviderError as exc:
                raise fault(exc.code, str(exc)) from exc
            except Exception as exc:
                raise fault(ErrorCode.INTERNAL, internal_error_message(name, info.service_id, exc)) from exc
            reply = ResponseInfo(
                message_id=str(uuid.uuid4()),
                correlation_id=info.correlation_id,
                response_date=now(),
                session_id=info.session_id,
            )
            return build_response_element(reply, answer)

    SyncChannelService.__name__ = f"{name}SyncChannel"
    application = Application(
        [SyncChannelService], tns=TYPES_NS, name=name, in_protocol=Soap11(validator=None), out_protocol=Soap11()
    )
    return WsgiApplication(application)
