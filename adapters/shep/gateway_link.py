"""One information system's signed SOAP link to one endpoint of the gateway, shared by the SyncChannel and
AsyncChannel clients: sign the envelope, post it, parse the answer within the size limit, and verify that the
gateway signed it. What the verified Body means (a response, a receipt, a fault) is each client's business."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import httpx
from lxml import etree

from adapters.pki import Credential, TrustStore, system_signer_problem
from adapters.shep.envelope import ErrorInfo
from adapters.shep.errors import ShepError
from adapters.shep.faults import ErrorCode, GatewayFault
from adapters.signatures import SignatureError, TransportSignature, sign_envelope, verify_envelope
from adapters.xml import XmlRejected, parse_xml, to_bytes

__all__ = ["GatewayClient", "GatewayLink", "GatewayUnreachable"]

SOAP_HEADERS = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'}


class GatewayUnreachable(ShepError):
    """The gateway could not be reached or answered with something that is not SOAP."""


class GatewayLink:
    def __init__(
        self,
        *,
        url: str,
        credential: Credential,
        trust: TrustStore,
        gateway_bin: str,
        now: Callable[[], datetime],
        timeout: float,
        transport: httpx.BaseTransport | None,
        max_bytes: int,
    ) -> None:
        self.url = url
        self._credential = credential
        self._trust = trust
        self._gateway_bin = gateway_bin
        self._now = now
        self._max_bytes = max_bytes
        # One client for the life of this link: keep-alive connections, and the CA bundle loaded once.
        self._http = httpx.Client(timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def exchange(
        self,
        envelope: etree._Element,
        *,
        unsigned_fault: Callable[[etree._Element], ErrorInfo | None] | None = None,
    ) -> TransportSignature:
        """Sign and send ``envelope``; the gateway's verified answer. ``unsigned_fault`` reads a fault from an
        answer whose signature does not verify (a gateway that could not sign still says why)."""
        try:
            signed = to_bytes(sign_envelope(envelope, self._credential))
            answer = self._http.post(self.url, content=signed, headers=SOAP_HEADERS)
        except httpx.HTTPError as exc:
            raise GatewayUnreachable(f"gateway at {self.url} did not answer: {exc}") from exc
        try:
            reply = parse_xml(answer.content, max_bytes=self._max_bytes)
        except XmlRejected as exc:
            raise GatewayUnreachable(f"gateway answered HTTP {answer.status_code} without SOAP: {exc}") from exc
        try:
            verified = verify_envelope(reply, self._trust, self._now())
        except SignatureError as exc:
            fault = unsigned_fault(reply) if unsigned_fault is not None else None
            if fault is not None:
                raise GatewayFault(fault) from exc
            raise self.fault(ErrorCode.TRANSPORT_SIGNATURE_INVALID, f"reply signature rejected: {exc}") from exc
        not_gateway = system_signer_problem(verified.signer, self._gateway_bin)
        if not_gateway is not None:
            raise self.fault(ErrorCode.TRANSPORT_SIGNATURE_INVALID, f"the reply is not the gateway's: {not_gateway}")
        return verified

    def fault(self, code: ErrorCode, message: str) -> GatewayFault:
        return GatewayFault(ErrorInfo(code.value, message, self._now()))


class GatewayClient:
    """What a participant's client of one gateway channel holds: its sender id and password, the clock, and
    the signed link. The SyncChannel and AsyncChannel clients differ only in what they send and read."""

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
        self._sender_id = sender_id
        self._password = password
        self._now = now
        self._link = GatewayLink(
            url=gateway_url,
            credential=credential,
            trust=trust,
            gateway_bin=gateway_bin,
            now=now,
            timeout=timeout,
            transport=transport,
            max_bytes=max_bytes,
        )

    def close(self) -> None:
        self._link.close()
