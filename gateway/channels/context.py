"""What both gateway channels need: the register, the journal, the gateway's credential and trust, the
clock, where providers live, the HTTP link to them, and the size and shape limits of a message."""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from adapters.pki import Credential, TrustStore, soft_fail_warnings
from adapters.shep.envelope import SOAP_NS
from adapters.shep.faults import ErrorCode, transport_signature_code
from adapters.shep.headers import HeaderError, must_understand_fault_code, require_understood
from adapters.signatures import SignatureError, TransportSignature, verify_envelope
from adapters.signatures.algorithms import SHA1_REFUSED
from adapters.xml import XmlLimits, XmlRejected, parse_xml
from gateway.delivery import ProviderLink
from gateway.errors import GatewayError
from gateway.journal import Journal, JournalRecord
from gateway.metrics import GatewayMetrics
from gateway.registry import Participant, Register, Service


@dataclass(frozen=True)
class ChannelContext:
    registry: Register
    journal: Journal
    credential: Credential
    trust: TrustStore
    now: Callable[[], datetime]
    provider_url: Callable[[Service], str]
    link: ProviderLink
    max_bytes: int
    max_clock_skew: timedelta = timedelta(minutes=5)
    xml_limits: XmlLimits = field(default_factory=XmlLimits)
    metrics: GatewayMetrics | None = None

    def step(self, channel: str, step: str) -> AbstractContextManager[None]:
        """Times a pipeline step into ``egov_gateway_step_seconds`` (nothing without metrics)."""
        return nullcontext() if self.metrics is None else self.metrics.step(channel, step)

    def answered(self, channel: str, trace: MutableMapping[str, str | None], code: str, *, fault: bool) -> None:
        """Counts an answered message by the serviceId and sender its trace holds, and its result code."""
        if self.metrics is not None:
            self.metrics.answered(channel, trace.get("service_id"), trace.get("sender_id"), code, fault=fault)

    @contextmanager
    def revocation_warnings(self, channel: str, trace: MutableMapping[str, str | None]) -> Iterator[None]:
        """Journal, as a ``revocation-soft-fail`` entry of the message ``trace`` holds, each certificate accepted
        inside the block without its revocation checked (``EGOV_SIM_REVOCATION__SOFT_FAIL``, docs/pki.md)."""
        with soft_fail_warnings() as warnings:
            yield
        for warning in warnings:
            self.journal.append(
                JournalRecord(
                    at=self.now(),
                    channel=channel,
                    event="revocation-soft-fail",
                    message_id=trace.get("message_id"),
                    correlation_id=trace.get("correlation_id"),
                    session_id=trace.get("session_id"),
                    service_id=trace.get("service_id"),
                    sender_id=trace.get("sender_id"),
                    detail=warning,
                )
            )

    def verified_envelope(
        self,
        raw: bytes,
        trace: MutableMapping[str, str | None],
        peek: Sequence[tuple[str, str]],
        channel: str = "sync",
    ) -> TransportSignature:
        """The first checks of every SOAP channel, in order: the hardened parse within the size and shape
        limits; best-effort ids (``peek``: trace key, path) for the journal of a message refused later, never
        trusted; one SOAP 1.1 Envelope with one Body; every header marked mustUnderstand understood (else a
        soap:MustUnderstand fault); the transport signature (chain, validity, revocation, a signed Timestamp)."""
        try:
            with self.step(channel, "parse"):
                envelope = parse_xml(raw, max_bytes=self.max_bytes, limits=self.xml_limits)
        except XmlRejected as exc:
            raise GatewayError(ErrorCode.MALFORMED, str(exc)) from exc
        for name, path in peek:
            node = envelope.find(path)
            if node is not None and node.text:
                trace[name] = node.text.strip()[:128]
        if envelope.tag != f"{{{SOAP_NS}}}Envelope" or len(envelope.findall(f"{{{SOAP_NS}}}Body")) != 1:
            raise GatewayError(ErrorCode.MALFORMED, "the message is not a SOAP 1.1 Envelope with one Body")
        try:
            require_understood(envelope)
        except HeaderError as exc:
            raise GatewayError(ErrorCode.MALFORMED, str(exc), fault_code=must_understand_fault_code(exc)) from exc
        try:
            with self.step(channel, "verify"):
                # RSA-SHA1 verifies here; whether the sender may use it is known once it is identified.
                return verify_envelope(envelope, self.trust, self.now(), allow_sha1=True)
        except SignatureError as exc:
            raise GatewayError(transport_signature_code(exc), str(exc)) from exc

    @staticmethod
    def require_algorithm(sender: Participant, verified: TransportSignature) -> None:
        """Refuse (SCE006) an RSA-SHA1 signature of a sender the register does not allow it
        (``allowSha1Signatures``, docs/signing.md)."""
        if verified.sha1 and not sender.allow_sha1_signatures:
            raise GatewayError(ErrorCode.TRANSPORT_SIGNATURE_INVALID, f"{sender.sender_id}: {SHA1_REFUSED}")
