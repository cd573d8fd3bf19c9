"""The synchronous channel ``/bip-sync/``: ISyncChannel.SendMessage as described in ``docs/protocol.md``.

Pipeline for one ``SendMessage``: size limit -> hardened parse (attribute, element and depth limits) ->
verify the transport signature (chain, validity, CRL) -> read the envelope -> sender registered, signing
with its own certificate, allowed to call serviceId -> envelope schema -> payload schema (both stop at
the first violation; nothing is validated for a sender that may not call the service) -> journal -> set
sessionId, re-sign with
the gateway's certificate, forward to the provider -> verify the provider's signed answer -> journal ->
answer the sender (re-signed by the gateway). Every refusal is a signed SOAP fault with ``ErrorInfo``,
journalled, and changes nothing else.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import uuid
from dataclasses import dataclass, field

from adapters.pki import system_signer_problem
from adapters.shep.envelope import (
    EnvelopeError,
    ErrorInfo,
    Payload,
    RequestInfo,
    ResponseInfo,
    build_fault,
    build_request,
    build_response,
    parse_fault,
    parse_request,
    parse_response,
)
from adapters.shep.faults import ErrorCode
from adapters.shep.incidents import log_incident
from adapters.signatures import SignatureError, TransportSignature, sign_envelope, verify_envelope
from adapters.xml import XmlRejected, parse_xml, to_bytes
from gateway.channels.context import ChannelContext
from gateway.errors import GatewayError, internal_error
from gateway.freshness import replay_error, require_fresh
from gateway.journal import DuplicateMessage, JournalRecord, exchange_times
from gateway.metaservices import META_SERVICES, Metaservices
from gateway.payload_schemas import GatewaySchemas
from gateway.registry import Service

log = logging.getLogger(__name__)
# Best-effort ids of a request for the journal, read before anything is verified (never trusted).
PEEK = (
    ("message_id", ".//requestInfo/messageId"),
    ("service_id", ".//requestInfo/serviceId"),
    ("sender_id", ".//requestInfo/sender/senderId"),
    ("correlation_id", ".//requestInfo/correlationId"),
)


@dataclass(frozen=True)
class ChannelAnswer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def new_session_id() -> str:
    return "{" + str(uuid.uuid4()) + "}"


class SyncChannel:
    def __init__(
        self, context: ChannelContext, schemas: GatewaySchemas | None = None, meta: Metaservices | None = None
    ) -> None:
        """``schemas`` are compiled here, now, unless given (never on the first message); ``meta`` answers
        the metaservices (:mod:`gateway.metaservices`), refused as unknown services without it."""
        self._ctx = context
        self._schemas = schemas or GatewaySchemas.build(context.registry)
        self._meta = meta

    def handle(self, raw: bytes) -> ChannelAnswer:
        trace: dict[str, str | None] = {"request_in": self._ctx.now().isoformat()}
        digest = hashlib.sha256(raw).hexdigest()
        with self._ctx.revocation_warnings("sync", trace):
            try:
                try:
                    answer = self._process(raw, digest, trace)
                except GatewayError:
                    raise
                except Exception as exc:  # answered as SCE909 and journalled below, never a bare HTTP 500
                    raise internal_error("SyncChannel", trace.get("message_id"), exc) from exc
            except GatewayError as error:
                self._journal_refusal(error, digest, trace)
                self._ctx.answered("sync", trace, error.code.value, fault=True)
                return self._fault(error, trace.get("session_id"))
            self._ctx.answered(
                "sync", trace, trace.get("result_code") or str(answer.status), fault=answer.status != 200
            )
            return answer

    def _journal_refusal(self, error: GatewayError, digest: str, trace: dict[str, str | None]) -> None:
        """Journal a refusal; a journal that fails is logged, and the sender still gets its signed fault."""
        try:
            now = self._ctx.now()
            self._ctx.journal.append(
                JournalRecord(
                    at=now,
                    channel="sync",
                    event="rejected",
                    code=error.code.value,
                    detail=error.message,
                    body_sha256=digest,
                    message_id=trace.get("message_id"),
                    correlation_id=trace.get("correlation_id"),
                    session_id=trace.get("session_id"),
                    service_id=trace.get("service_id"),
                    sender_id=trace.get("sender_id"),
                    receiver_id=trace.get("receiver_id"),
                    times=exchange_times(trace | {"response_out": now.isoformat()}),
                )
            )
        except Exception as exc:
            log_incident(log, f"journalling the refusal {error.code.value} of message {trace.get('message_id')}", exc)

    def _process(self, raw: bytes, digest: str, trace: dict[str, str | None]) -> ChannelAnswer:
        verified = self._ctx.verified_envelope(raw, trace, PEEK)
        try:
            info, payload = parse_request(verified.signed_body)
        except EnvelopeError as exc:
            raise GatewayError(ErrorCode.MALFORMED, str(exc)) from exc
        session_id = new_session_id()
        trace.update(
            message_id=info.message_id,
            correlation_id=info.correlation_id,
            service_id=info.service_id,
            sender_id=info.sender_id,
            session_id=session_id,
        )
        if self._meta is not None and info.service_id in META_SERVICES:
            return self._metaservice(self._meta, verified, info, payload, digest, raw, trace)
        with self._ctx.step("sync", "authorise"):
            sender, service = self._ctx.registry.authorise(info.sender_id, verified.signer, info.service_id)
            self._ctx.require_algorithm(sender, verified)
        provider = self._ctx.registry.provider_of(service)
        trace["receiver_id"] = provider.sender_id
        if service.channel != "soap":
            raise GatewayError(ErrorCode.UNKNOWN_SERVICE, f"{service.service_id} is a REST service; use /bip-rest/")
        with self._ctx.step("sync", "validate"):
            self._schemas.validate_envelope_body(verified.signed_body)
            if service.payload_schema:
                limits = self._ctx.xml_limits
                self._schemas.validate_payload(payload, service.payload_schema, self._ctx.max_bytes, limits)
            require_fresh(info.message_date, self._ctx.now(), self._ctx.max_clock_skew)
        sender_check = f"gateway verified the transport signature of {verified.signer.describe()}"
        self._accept(
            JournalRecord(
                at=self._ctx.now(),
                channel="sync",
                event="received",
                message_id=info.message_id,
                correlation_id=info.correlation_id,
                session_id=session_id,
                service_id=info.service_id,
                sender_id=info.sender_id,
                receiver_id=provider.sender_id,
                verified=[sender_check],
                body_sha256=digest,
                body=raw,
                times=exchange_times(trace),
            )
        )
        forwarded = dataclasses.replace(info, session_id=session_id, password=None)
        with self._ctx.step("sync", "sign"):
            outbound = sign_envelope(build_request(forwarded, payload), self._ctx.credential)
        trace["request_out"] = self._ctx.now().isoformat()
        with self._ctx.step("sync", "forward"):
            answer = self._ctx.link.post(
                self._ctx.provider_url(service),
                to_bytes(outbound),
                {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
                provider_id=provider.sender_id,
            )
        trace["response_in"] = self._ctx.now().isoformat()
        return self._relay(answer.content, info, service, provider.bin, provider.sender_id, session_id, trace)

    def _metaservice(
        self,
        meta: Metaservices,
        verified: TransportSignature,
        info: RequestInfo,
        payload: Payload,
        digest: str,
        raw: bytes,
        trace: dict[str, str | None],
    ) -> ChannelAnswer:
        """A metaservice, answered by the gateway itself after the checks every message passes: the sender
        registered and signing with its own certificate (it is the caller the answer is about), the envelope
        schema, the date window, each (sender, messageId) once; journalled like an exchange with a provider."""
        with self._ctx.step("sync", "authorise"):
            self._ctx.require_algorithm(self._ctx.registry.identify(info.sender_id, verified.signer), verified)
        trace["receiver_id"] = meta.gateway_id
        with self._ctx.step("sync", "validate"):
            self._schemas.validate_envelope_body(verified.signed_body)
            require_fresh(info.message_date, self._ctx.now(), self._ctx.max_clock_skew)
            try:
                request = None if payload.is_empty else payload.document(self._ctx.max_bytes, self._ctx.xml_limits)
            except XmlRejected as exc:
                raise GatewayError(ErrorCode.MALFORMED, f"the {info.service_id} request is unreadable: {exc}") from exc
        check = f"gateway verified the transport signature of {verified.signer.describe()}"
        record = JournalRecord(
            at=self._ctx.now(),
            channel="sync",
            event="received",
            message_id=info.message_id,
            correlation_id=info.correlation_id,
            session_id=trace["session_id"],
            service_id=info.service_id,
            sender_id=info.sender_id,
            receiver_id=meta.gateway_id,
            verified=[check],
            body_sha256=digest,
            body=raw,
            times=exchange_times(trace),
        )
        self._accept(record)
        answer = meta.answer(info.service_id, info.sender_id, request)
        response_info = ResponseInfo(
            message_id=str(uuid.uuid4()),
            response_date=self._ctx.now(),
            correlation_id=info.correlation_id,
            status_message=f"{info.service_id} answered by the gateway",
            session_id=trace["session_id"],
        )
        with self._ctx.step("sync", "sign"):
            body = to_bytes(sign_envelope(build_response(response_info, Payload(element=answer)), self._ctx.credential))
        now = self._ctx.now()
        with self._ctx.step("sync", "journal"):
            self._ctx.journal.append(
                dataclasses.replace(
                    record,
                    at=now,
                    event="delivered",
                    sender_id=meta.gateway_id,
                    receiver_id=info.sender_id,
                    code=response_info.status_code,
                    detail=response_info.status_message,
                    verified=[],
                    body_sha256=hashlib.sha256(body).hexdigest(),
                    body=body,
                    times=exchange_times(trace | {"response_out": now.isoformat()}),
                )
            )
        trace["result_code"] = response_info.status_code
        return ChannelAnswer(200, body)

    def _relay(
        self,
        content: bytes,
        info: RequestInfo,
        service: Service,
        provider_bin: str,
        provider_id: str,
        session_id: str,
        trace: dict[str, str | None],
    ) -> ChannelAnswer:
        try:
            with self._ctx.step("sync", "parse"):
                reply = parse_xml(content, max_bytes=16 * self._ctx.max_bytes)
            with self._ctx.step("sync", "verify"):
                verified = verify_envelope(reply, self._ctx.trust, self._ctx.now())
        except (XmlRejected, SignatureError) as exc:
            raise GatewayError(ErrorCode.INTERNAL, f"provider {provider_id} answered unacceptably: {exc}") from exc
        wrong_signer = system_signer_problem(verified.signer, provider_bin)
        if wrong_signer is not None:
            raise GatewayError(ErrorCode.INTERNAL, f"provider {provider_id} answered unacceptably: {wrong_signer}")
        provider_check = f"gateway verified the answer signature of {verified.signer.describe()}"

        def answer_record(event: str, code: str, detail: str, body: bytes) -> JournalRecord:
            now = self._ctx.now()
            return JournalRecord(
                at=now,
                channel="sync",
                event=event,
                message_id=info.message_id,
                correlation_id=info.correlation_id,
                session_id=session_id,
                service_id=service.service_id,
                sender_id=provider_id,
                receiver_id=info.sender_id,
                code=code,
                detail=detail,
                verified=[provider_check],
                body_sha256=hashlib.sha256(body).hexdigest(),
                body=body,
                times=exchange_times(trace | {"response_out": now.isoformat()}),
            )

        try:
            fault = parse_fault(verified.signed_body)
        except EnvelopeError as exc:
            raise GatewayError(ErrorCode.INTERNAL, f"provider {provider_id} sent an unreadable fault: {exc}") from exc
        if fault is not None:
            relayed = dataclasses.replace(fault, session_id=session_id)
            with self._ctx.step("sync", "sign"):
                fault_body = to_bytes(sign_envelope(build_fault(relayed, client_error=True), self._ctx.credential))
            with self._ctx.step("sync", "journal"):
                self._ctx.journal.append(answer_record("provider-fault", fault.code, fault.message, fault_body))
            trace["result_code"] = fault.code
            return ChannelAnswer(500, fault_body)
        try:
            response_info, payload = parse_response(verified.signed_body)
        except EnvelopeError as exc:
            raise GatewayError(ErrorCode.INTERNAL, f"provider {provider_id} answer is not a response: {exc}") from exc
        response_info = dataclasses.replace(
            response_info,
            session_id=session_id,
            correlation_id=response_info.correlation_id or info.correlation_id,
        )
        with self._ctx.step("sync", "sign"):
            body = to_bytes(sign_envelope(build_response(response_info, payload), self._ctx.credential))
        with self._ctx.step("sync", "journal"):
            self._ctx.journal.append(
                answer_record("delivered", response_info.status_code, response_info.status_message, body)
            )
        trace["result_code"] = response_info.status_code
        return ChannelAnswer(200, body)

    def _accept(self, record: JournalRecord) -> None:
        try:
            with self._ctx.step("sync", "journal"):
                self._ctx.journal.accept(record)
        except DuplicateMessage as exc:
            raise replay_error(exc) from exc

    def _fault(self, error: GatewayError, session_id: str | None) -> ChannelAnswer:
        info = ErrorInfo(
            code=error.code.value,
            message=error.message,
            date=self._ctx.now(),
            sub_error=error.sub_error,
            session_id=session_id,
        )
        fault = build_fault(info, client_error=error.code.is_client_error, fault_code=error.fault_code)
        envelope = sign_envelope(fault, self._ctx.credential)
        return ChannelAnswer(500, to_bytes(envelope))
