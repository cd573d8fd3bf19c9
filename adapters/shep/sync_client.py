"""A participant's client of the gateway's SyncChannel (outbound pipeline: build, sign, send;
inbound: hardened parse, verify the gateway's signature, fault check)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from lxml import etree

from adapters.pki import CertificateSubject
from adapters.shep.envelope import (
    EnvelopeError,
    ErrorInfo,
    Payload,
    RequestInfo,
    ResponseInfo,
    build_request,
    parse_fault,
    parse_response,
)
from adapters.shep.faults import GatewayFault
from adapters.shep.gateway_link import GatewayClient, GatewayUnreachable


@dataclass(frozen=True)
class SyncReply:
    info: ResponseInfo
    payload: Payload
    signed_by: CertificateSubject
    message_id: str


def new_message_id() -> str:
    return str(uuid.uuid4())


class SyncChannelClient(GatewayClient):
    """Send ``SendMessage`` through the gateway as one information system."""

    def send(
        self,
        service_id: str,
        payload: Payload,
        *,
        correlation_id: str | None = None,
        properties: dict[str, str] | None = None,
    ) -> SyncReply:
        """Send one message and return the verified reply; raise :class:`GatewayFault` on a fault."""
        message_id = new_message_id()
        info = RequestInfo(
            message_id=message_id,
            service_id=service_id,
            sender_id=self._sender_id,
            password=self._password,
            message_date=self._now(),
            correlation_id=correlation_id,
            properties=properties or {},
        )
        verified = self._link.exchange(build_request(info, payload), unsigned_fault=_unsigned_fault)
        fault = parse_fault(verified.signed_body)
        if fault is not None:
            raise GatewayFault(fault)
        try:
            info_back, answer = parse_response(verified.signed_body)
        except EnvelopeError as exc:
            raise GatewayUnreachable(f"gateway reply is not a SendMessageResponse: {exc}") from exc
        return SyncReply(info=info_back, payload=answer, signed_by=verified.signer, message_id=message_id)


def _unsigned_fault(reply: etree._Element) -> ErrorInfo | None:
    try:
        return parse_fault(reply)
    except EnvelopeError:
        return None
