"""The REST channel ``/bip-rest/{serviceId}``: JSON bodies signed with a detached JWS.

Headers: ``X-Sender-Id``, ``X-Message-Id``, ``X-Correlation-Id`` (optional) and ``X-Signature``. The
gateway verifies, authorises and journals exactly as on the SyncChannel, forwards the body re-signed
with its own certificate (adding ``X-Session-Id``), and returns the provider's answer.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from adapters.shep.faults import ErrorCode, transport_signature_code
from adapters.shep.incidents import log_incident
from adapters.signatures import SignatureError
from adapters.signatures.jws import sign_detached, verify_detached
from gateway.channels.context import ChannelContext
from gateway.channels.sync import ChannelAnswer, new_session_id
from gateway.errors import GatewayError, internal_error
from gateway.freshness import replay_error
from gateway.journal import DuplicateMessage, JournalRecord

HTTP_STATUS = {
    ErrorCode.MALFORMED: 400,
    ErrorCode.NOT_SIGNED: 401,
    ErrorCode.TRANSPORT_SIGNATURE_INVALID: 401,
    ErrorCode.TRANSPORT_SIGNATURE_NOT_CURRENT: 401,
    ErrorCode.UNKNOWN_SENDER: 403,
    ErrorCode.ACCESS_DENIED: 403,
    ErrorCode.UNKNOWN_SERVICE: 404,
    ErrorCode.REPLAY_OR_STALE: 409,
    ErrorCode.PROVIDER_UNAVAILABLE: 502,
}

log = logging.getLogger(__name__)


class RestChannel:
    def __init__(self, context: ChannelContext) -> None:
        self._ctx = context

    def handle(self, service_id: str, body: bytes, headers: dict[str, str]) -> ChannelAnswer:
        session_id = new_session_id()
        record: dict[str, Any] = {
            "message_id": headers.get("x-message-id"),
            "correlation_id": headers.get("x-correlation-id"),
            "sender_id": headers.get("x-sender-id"),
            "service_id": service_id,
            "session_id": session_id,
            "times": {"requestIn": self._ctx.now().isoformat()},
        }
        try:
            try:
                return self._process(service_id, body, headers, session_id, record)
            except GatewayError:
                raise
            except Exception as exc:  # answered as a signed SCE909 and journalled below, never a bare HTTP 500
                raise internal_error("REST channel", record["message_id"], exc) from exc
        except GatewayError as error:
            self._journal_refusal(error, body, record)
            return self._refusal(error, session_id)

    def _journal_refusal(self, error: GatewayError, body: bytes, record: dict[str, Any]) -> None:
        """Journal a refusal; a journal that fails is logged, and the sender still gets its signed refusal."""
        try:
            self._ctx.journal.append(
                JournalRecord(
                    at=self._ctx.now(),
                    channel="rest",
                    event="rejected",
                    code=error.code.value,
                    detail=error.message,
                    body_sha256=hashlib.sha256(body).hexdigest(),
                    **(record | {"times": record["times"] | {"responseOut": self._ctx.now().isoformat()}}),
                )
            )
        except Exception as exc:
            log_incident(log, f"journalling the refusal {error.code.value} of message {record['message_id']}", exc)

    def _refusal(self, error: GatewayError, session_id: str) -> ChannelAnswer:
        """The JSON refusal, signed by the gateway with a detached JWS in ``X-Signature``."""
        payload = {
            "errorCode": error.code.value,
            "errorMessage": error.message,
            "errorDate": self._ctx.now().isoformat(),
            "sessionId": session_id,
        }
        content = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        signature = {"X-Signature": sign_detached(content, self._ctx.credential)}
        return ChannelAnswer(HTTP_STATUS.get(error.code, 500), content, signature)

    def _accept(self, record: JournalRecord) -> None:
        try:
            self._ctx.journal.accept(record)
        except DuplicateMessage as exc:
            raise replay_error(exc) from exc

    def _process(
        self,
        service_id: str,
        body: bytes,
        headers: dict[str, str],
        session_id: str,
        record: dict[str, Any],
    ) -> ChannelAnswer:
        if len(body) > self._ctx.max_bytes:
            raise GatewayError(
                ErrorCode.MALFORMED, f"body of {len(body)} bytes exceeds the limit of {self._ctx.max_bytes}"
            )
        try:
            signature = verify_detached(headers.get("x-signature"), body, self._ctx.trust, self._ctx.now())
        except SignatureError as exc:
            raise GatewayError(transport_signature_code(exc), str(exc)) from exc
        if not record["message_id"]:
            raise GatewayError(ErrorCode.MALFORMED, "X-Message-Id is required")
        try:
            json.loads(body)
        except ValueError as exc:
            raise GatewayError(ErrorCode.MALFORMED, f"the body is not JSON: {exc}") from exc
        _, service = self._ctx.registry.authorise(record["sender_id"] or "", signature.signer.bin, service_id)
        if service.channel != "rest":
            raise GatewayError(ErrorCode.UNKNOWN_SERVICE, f"{service_id} is a SOAP service; use /bip-sync/")
        provider = self._ctx.registry.provider_of(service)
        check = f"gateway verified the JWS of {signature.signer.describe()}"
        digest = hashlib.sha256(body).hexdigest()
        record = record | {"receiver_id": provider.sender_id}
        self._accept(
            JournalRecord(
                at=self._ctx.now(),
                channel="rest",
                event="received",
                verified=[check],
                body_sha256=digest,
                body=body,
                headers=dict(headers),  # the journal masks credentials (Authorization, tokens)
                **record,
            )
        )
        forward_headers = {
            "Content-Type": "application/json",
            "X-Signature": sign_detached(body, self._ctx.credential),
            "X-Sender-Id": record["sender_id"] or "",
            "X-Message-Id": record["message_id"] or "",
            "X-Correlation-Id": record["correlation_id"] or "",
            "X-Session-Id": session_id,
        }
        request_out = self._ctx.now().isoformat()
        answer = self._ctx.link.post(
            self._ctx.provider_url(service), body, forward_headers, provider_id=provider.sender_id
        )
        times = record["times"] | {"requestOut": request_out, "responseIn": self._ctx.now().isoformat()}
        self._ctx.journal.append(
            JournalRecord(
                at=self._ctx.now(),
                channel="rest",
                event="delivered" if answer.is_success else "provider-fault",
                code=str(answer.status_code),
                detail=answer.text[:250],
                verified=[],  # the provider's HTTP answer carries no signature to verify
                body_sha256=hashlib.sha256(answer.content).hexdigest(),
                body=answer.content,
                **(
                    record
                    | {"sender_id": provider.sender_id, "receiver_id": record["sender_id"]}
                    | {"times": times | {"responseOut": self._ctx.now().isoformat()}}
                ),
            )
        )
        return ChannelAnswer(answer.status_code, answer.content)
