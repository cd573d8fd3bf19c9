"""A participant's client of the gateway's SyncChannel (outbound pipeline: build, sign, send;
inbound: hardened parse, verify the gateway's signature, fault check)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx
from lxml import etree

from adapters.pki import CertificateSubject, Credential, TrustStore
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
from adapters.shep.errors import ShepError
from adapters.shep.faults import ErrorCode, GatewayFault
from adapters.signatures import SignatureError, sign_envelope, verify_envelope
from adapters.xml import XmlRejected, parse_xml, to_bytes


class GatewayUnreachable(ShepError):
    """The gateway could not be reached or answered with something that is not SOAP."""


@dataclass(frozen=True)
class SyncReply:
    info: ResponseInfo
    payload: Payload
    signed_by: CertificateSubject
    message_id: str


def new_message_id() -> str:
    return str(uuid.uuid4())


class SyncChannelClient:
    """Send ``SendMessage`` through the gateway as one information system."""

    def __init__(
        self,
        *,
        gateway_url: str,
        sender_id: str,
        password: str | None,
        credential: Credential,
        trust: TrustStore,
        gateway_bin: str,
        now: Callable[[], datetime],
        timeout: float = 15.0,
        transport: httpx.BaseTransport | None = None,
        max_bytes: int = 4 * 1_048_576,
    ) -> None:
        self._url = gateway_url
        self._sender_id = sender_id
        self._password = password
        self._credential = credential
        self._trust = trust
        self._gateway_bin = gateway_bin
        self._now = now
        self._max_bytes = max_bytes
        # One client for the life of this object: keep-alive connections, and the CA bundle loaded once.
        self._http = httpx.Client(timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

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
        envelope = sign_envelope(build_request(info, payload), self._credential)
        try:
            answer = self._http.post(
                self._url,
                content=to_bytes(envelope),
                headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
            )
        except httpx.HTTPError as exc:
            raise GatewayUnreachable(f"gateway at {self._url} did not answer: {exc}") from exc
        return self._read_reply(answer, message_id)

    def _read_reply(self, answer: httpx.Response, message_id: str) -> SyncReply:
        try:
            reply = parse_xml(answer.content, max_bytes=self._max_bytes)
        except XmlRejected as exc:
            raise GatewayUnreachable(f"gateway answered HTTP {answer.status_code} without SOAP: {exc}") from exc
        try:
            verified = verify_envelope(reply, self._trust, self._now())
        except SignatureError as exc:
            fault = _unsigned_fault(reply)
            if fault is not None:  # the gateway could not even sign (should not happen); still report it
                raise GatewayFault(fault) from exc
            raise GatewayFault(
                ErrorInfo(
                    ErrorCode.TRANSPORT_SIGNATURE_INVALID.value,
                    f"reply signature rejected: {exc}",
                    self._now(),
                )
            ) from exc
        if verified.signer.bin != self._gateway_bin:
            raise GatewayFault(
                ErrorInfo(
                    ErrorCode.TRANSPORT_SIGNATURE_INVALID.value,
                    f"reply signed by {verified.signer.describe()}, not by the gateway",
                    self._now(),
                )
            )
        fault = parse_fault(verified.signed_body)
        if fault is not None:
            raise GatewayFault(fault)
        try:
            info, payload = parse_response(verified.signed_body)
        except EnvelopeError as exc:
            raise GatewayUnreachable(f"gateway reply is not a SendMessageResponse: {exc}") from exc
        return SyncReply(info=info, payload=payload, signed_by=verified.signer, message_id=message_id)


def _unsigned_fault(reply: etree._Element) -> ErrorInfo | None:
    try:
        return parse_fault(reply)
    except EnvelopeError:
        return None
