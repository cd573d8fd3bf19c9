"""The IAsyncChannelClient endpoint of a PUSH participant (``wsdl/AsyncChannelClient.wsdl``).

Inbound: size limit, hardened parse within the XML limits, every header marked ``soap:mustUnderstand``
understood (else a signed ``soap:MustUnderstand`` fault, :mod:`adapters.shep.headers`), transport signature
verified and required to be the gateway's; then

- ``sendMessage``: the push's own date (``gatewayPushDate``, set by the gateway at each attempt and signed
  with the Body; ``messageDate`` is the original sender's and may be days old on a late delivery) must be
  within the clock window, and the push's own id (``gatewayPushId``) is taken once, both by the provider's
  :class:`ReplayGuard`: a captured push replayed later, or replayed at once, is refused (SCE008). The
  guard is keyed by the push, not by messageId, because the gateway legitimately delivers one messageId
  more than once (each time as a new, freshly dated push): the message then goes through the
  :class:`Inbox`, where a messageId seen before is answered as received again without running the handler
  (effectively-once processing of an at-least-once delivery). The handler gets the message without the
  two push properties.
- ``changeMassageStatusNotification``: its ``requestDate`` (set at each attempt) must be within the clock
  window; the change of a message this participant sent is handed to ``on_status`` (if given) and
  acknowledged. A repeated notificationId is a retry of the gateway's, acknowledged again (a state change
  applied twice is the same state).

Every answer, faults included, is signed with the participant's own certificate. A handler refuses a message
for good with :class:`ProviderError` (the gateway records it NOT_DELIVERED); any other exception is answered
SCE909 under an incident number, and the gateway tries again later.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from lxml import etree

from adapters.pki import Credential, TrustStore, system_signer_problem
from adapters.shep.async_envelope import async_fault, body_wrapper, wrap
from adapters.shep.envelope import SOAP_NS, EnvelopeError, ErrorInfo
from adapters.shep.faults import ErrorCode, transport_signature_code
from adapters.shep.headers import HeaderError, must_understand_fault_code, require_understood
from adapters.shep.inbox import Inbox, InboxBusy
from adapters.shep.incidents import incident_message, log_incident
from adapters.shep.replay_guard import ReplayGuard, ReplayRefused
from adapters.shep.spyne_provider import ProviderError
from adapters.signatures import SignatureError, TransportSignature, sign_envelope, verify_envelope
from adapters.xml import XmlLimits, XmlRejected, parse_xml, to_bytes
from contracts.async_channel import (
    PUSH_DATE_PROPERTY,
    PUSH_ID_PROPERTY,
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
        replay_guard: ReplayGuard,
        limits: XmlLimits | None = None,
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
        self._guard = replay_guard
        self._limits = limits

    def handle(self, raw: bytes) -> EndpointAnswer:
        operation = "sendMessage"
        try:
            try:
                envelope = parse_xml(raw, max_bytes=self._max_bytes, limits=self._limits)
            except XmlRejected as exc:
                return self._fault(operation, ErrorCode.MALFORMED, str(exc))
            if envelope.tag != f"{{{SOAP_NS}}}Envelope":
                return self._fault(operation, ErrorCode.MALFORMED, "the message is not a SOAP 1.1 Envelope")
            try:
                require_understood(envelope)
            except HeaderError as exc:
                return self._fault(operation, ErrorCode.MALFORMED, str(exc), must_understand_fault_code(exc))
            try:
                verified = verify_envelope(envelope, self._trust, self._now())
            except SignatureError as exc:
                return self._fault(operation, transport_signature_code(exc), str(exc))
            not_gateway = system_signer_problem(verified.signer, self._gateway_bin)
            if not_gateway is not None:
                return self._fault(
                    operation,
                    ErrorCode.ACCESS_DENIED,
                    f"IAsyncChannelClient accepts messages from the gateway only: {not_gateway}",
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
        except (ProviderError, ReplayRefused) as exc:
            return self._fault(operation, exc.code, str(exc))
        except InboxBusy as exc:
            return self._fault(operation, ErrorCode.INTERNAL, str(exc))
        except Exception as exc:  # a signed SCE909 naming an incident, never a bare 500: the gateway retries
            incident = log_incident(LOG, f"in the {self._name} IAsyncChannelClient ({operation})", exc)
            return self._fault(operation, ErrorCode.INTERNAL, incident_message(f"{self._name} receiver", incident))

    def _message(self, pushed: AsyncMessage, transport: TransportSignature) -> EndpointAnswer:
        info = pushed.info
        if not info.message_id or not info.correlation_id:
            raise AsyncContractError("a message from the gateway carries its messageId and correlationId")
        push_id, push_date = info.properties.get(PUSH_ID_PROPERTY), info.properties.get(PUSH_DATE_PROPERTY)
        if not push_id or not push_date:
            raise AsyncContractError(
                f"a push from the gateway carries its own {PUSH_DATE_PROPERTY} and {PUSH_ID_PROPERTY} properties"
            )
        try:
            pushed_at = dt.datetime.fromisoformat(push_date)
        except ValueError as exc:
            raise AsyncContractError(f"{PUSH_DATE_PROPERTY} is not an ISO 8601 dateTime: {push_date[:40]!r}") from exc
        self._guard.admit("gateway push", push_id, pushed_at)
        own = {k: v for k, v in info.properties.items() if k not in (PUSH_ID_PROPERTY, PUSH_DATE_PROPERTY)}
        message = AsyncMessage(info=replace(info, properties=own), data=pushed.data)
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
        self._guard.check_date("gateway", f"status notification {change.notification_id}", change.request_date)
        if self._on_status is not None:
            self._on_status(change)
        else:
            LOG.info("message %s is now %s (%s)", change.message_id, change.state.value, change.status_code)
        return self._answer(write_status_change_receipt(StatusChangeReceipt(self._now(), change.session_id)))

    def _answer(self, wrapper: etree._Element) -> EndpointAnswer:
        return EndpointAnswer(200, to_bytes(sign_envelope(wrap(wrapper), self._credential)))

    def _fault(self, operation: str, code: ErrorCode, message: str, fault_code: str | None = None) -> EndpointAnswer:
        error = ErrorInfo(code=code.value, message=message, date=self._now())
        envelope = async_fault(operation, error, client=True, client_error=code.is_client_error, fault_code=fault_code)
        return EndpointAnswer(500, to_bytes(sign_envelope(envelope, self._credential)))
