"""The IAsyncChannelClient endpoint of a PUSH participant (``wsdl/AsyncChannelClient.wsdl``).

Inbound: size limit, hardened parse, transport signature verified and required to be the gateway's; then

- ``sendMessage``: the message goes through the :class:`Inbox` — a messageId seen before is answered as
  received again without running the handler (effectively-once processing of an at-least-once delivery);
- ``changeMassageStatusNotification``: the status change of a message this participant sent is handed to
  ``on_status`` (if given) and acknowledged.

Every answer, faults included, is signed with the participant's own certificate. A handler refuses a message
for good with :class:`ProviderError` (the gateway records it NOT_DELIVERED); any other exception is answered
SCE909 under an incident number, and the gateway tries again later.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from adapters.pki import Credential, TrustStore
from adapters.shep.async_envelope import async_fault, body_wrapper, wrap
from adapters.shep.envelope import SOAP_NS, EnvelopeError, ErrorInfo
from adapters.shep.faults import ErrorCode, transport_signature_code
from adapters.shep.inbox import Inbox, InboxBusy
from adapters.shep.incidents import incident_message, log_incident
from adapters.shep.spyne_provider import ProviderError
from adapters.signatures import SignatureError, TransportSignature, sign_envelope, verify_envelope
from adapters.xml import XmlRejected, parse_xml, to_bytes
from contracts.async_channel import (
    AsyncContractError,
    AsyncMessage,
    SendReceipt,
    StatusChange,
    StatusChangeReceipt,
    operation_of,
    read_send_message,
    read_status_change,
    write_send_receipt,
    write_status_change_receipt,
)

LOG = logging.getLogger(__name__)

AsyncHandler = Callable[[AsyncMessage, TransportSignature], None]
StatusHandler = Callable[[StatusChange], None]


@dataclass(frozen=True)
class EndpointAnswer:
    status: int
    body: bytes


class AsyncClientEndpoint:
    def __init__(
        self,
        *,
        name: str,
        handler: AsyncHandler,
        inbox: Inbox,
        credential: Credential,
        trust: TrustStore,
        gateway_bin: str,
        now: Callable[[], dt.datetime],
        max_bytes: int,
        on_status: StatusHandler | None = None,
    ) -> None:
        self._name = name
        self._handler = handler
        self._inbox = inbox
        self._credential = credential
        self._trust = trust
        self._gateway_bin = gateway_bin
        self._now = now
        self._max_bytes = max_bytes
        self._on_status = on_status

    def handle(self, raw: bytes) -> EndpointAnswer:
        operation = "sendMessage"
        try:
            try:
                envelope = parse_xml(raw, max_bytes=self._max_bytes)
            except XmlRejected as exc:
                return self._fault(operation, ErrorCode.MALFORMED, str(exc))
            if envelope.tag != f"{{{SOAP_NS}}}Envelope":
                return self._fault(operation, ErrorCode.MALFORMED, "the message is not a SOAP 1.1 Envelope")
            try:
                verified = verify_envelope(envelope, self._trust, self._now())
            except SignatureError as exc:
                return self._fault(operation, transport_signature_code(exc), str(exc))
            if verified.signer.bin != self._gateway_bin:
                return self._fault(
                    operation,
                    ErrorCode.ACCESS_DENIED,
                    f"IAsyncChannelClient accepts messages from the gateway only, not {verified.signer.describe()}",
                )
            try:
                wrapper = body_wrapper(verified.signed_body)
                operation, client_port = operation_of(wrapper)
                if not client_port:
                    raise AsyncContractError(
                        f"{operation} belongs to the gateway's IAsyncChannel, not to this endpoint"
                    )
                if operation == "changeMassageStatusNotification":
                    return self._status_change(read_status_change(wrapper))
                return self._message(read_send_message(wrapper, client=True), verified)
            except (EnvelopeError, AsyncContractError) as exc:
                return self._fault(operation, ErrorCode.MALFORMED, str(exc))
        except ProviderError as exc:
            return self._fault(operation, exc.code, str(exc))
        except InboxBusy as exc:
            return self._fault(operation, ErrorCode.INTERNAL, str(exc))
        except Exception as exc:  # a signed SCE909 naming an incident, never a bare 500: the gateway retries
            incident = log_incident(LOG, f"in the {self._name} IAsyncChannelClient ({operation})", exc)
            return self._fault(operation, ErrorCode.INTERNAL, incident_message(f"{self._name} receiver", incident))

    def _message(self, message: AsyncMessage, transport: TransportSignature) -> EndpointAnswer:
        info = message.info
        if not info.message_id or not info.correlation_id:
            raise AsyncContractError("a message from the gateway carries its messageId and correlationId")
        self._inbox.process_once(
            info.message_id,
            info.service_id,
            lambda: self._handler(message, transport),
            correlation_id=info.correlation_id,
            sender_id=info.sender_id,
        )
        receipt = SendReceipt(info.message_id, info.correlation_id, self._now(), info.session_id)
        return self._answer(write_send_receipt(receipt, client=True))

    def _status_change(self, change: StatusChange) -> EndpointAnswer:
        if self._on_status is not None:
            self._on_status(change)
        else:
            LOG.info("message %s is now %s (%s)", change.message_id, change.state.value, change.status_code)
        return self._answer(write_status_change_receipt(StatusChangeReceipt(self._now(), change.session_id)))

    def _answer(self, wrapper: etree._Element) -> EndpointAnswer:
        return EndpointAnswer(200, to_bytes(sign_envelope(wrap(wrapper), self._credential)))

    def _fault(self, operation: str, code: ErrorCode, message: str) -> EndpointAnswer:
        error = ErrorInfo(code=code.value, message=message, date=self._now())
        envelope = async_fault(operation, error, client=True, client_error=code.is_client_error)
        return EndpointAnswer(500, to_bytes(sign_envelope(envelope, self._credential)))
