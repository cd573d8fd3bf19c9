"""The REST channel ``/bip-rest/{serviceId}``: JSON bodies signed with a detached JWS (``docs/protocol.md`` §2).

Headers: ``X-Sender-Id``, ``X-Message-Id``, ``X-Correlation-Id`` (optional) and ``X-Signature``, whose
protected header binds the method, the path, those three headers and the signing time to the body. The
gateway checks the id headers (visible ASCII), verifies the signature and what it binds, authorises,
refuses a signing time outside the allowed clock skew or a ``(sender, messageId)`` accepted before (SCE008),
journals, forwards the body signed by itself the same way (adding ``X-Session-Id``), and returns the
provider's answer. A sender's certificate accepted without its revocation checked (``EGOV_SIM_REVOCATION__
SOFT_FAIL``) is journalled as a ``revocation-soft-fail`` entry of the message (docs/pki.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any
from urllib.parse import urlsplit

from adapters.shep.faults import ErrorCode, transport_signature_code
from adapters.shep.incidents import log_incident
from adapters.shep.rest_headers import (
    CORRELATION_ID,
    MAX_ID_LENGTH,
    MESSAGE_ID,
    SENDER_ID,
    SENDER_SIGNED,
    SESSION_ID,
    SIGNATURE,
    header_problem,
)
from adapters.signatures import SignatureError
from adapters.signatures.jws import sign_detached, sign_request, verify_request
from gateway.channels.context import ChannelContext
from gateway.channels.sync import ChannelAnswer, new_session_id
from gateway.errors import GatewayError, internal_error
from gateway.freshness import replay_error, require_fresh
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

    def handle(self, service_id: str, body: bytes, headers: dict[str, str], path: str | None = None) -> ChannelAnswer:
        """``headers`` by lower-case name; ``path`` the request's (default ``/bip-rest/{service_id}``)."""
        session_id = new_session_id()
        record: dict[str, Any] = {  # as sent, cut to what the journal holds; trusted only once checked
            "message_id": _cut(headers.get(MESSAGE_ID)),
            "correlation_id": _cut(headers.get(CORRELATION_ID)),
            "sender_id": _cut(headers.get(SENDER_ID)),
            "service_id": _cut(service_id),
            "session_id": session_id,
            "times": {"requestIn": self._ctx.now().isoformat()},
        }
        with self._ctx.revocation_warnings("rest", record):  # a soft-failed revocation check, journalled
            try:
                try:
                    answer = self._process(
                        service_id, path or f"/bip-rest/{service_id}", body, headers, session_id, record
                    )
                except GatewayError:
                    raise
                except Exception as exc:  # answered as a signed SCE909 and journalled below, never a bare HTTP 500
                    raise internal_error("REST channel", record["message_id"], exc) from exc
            except GatewayError as error:
                self._journal_refusal(error, body, record)
                self._ctx.answered("rest", record, error.code.value, fault=True)
                return self._refusal(error, session_id)
            self._ctx.answered("rest", record, str(answer.status), fault=not 200 <= answer.status < 300)
            return answer

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
            with self._ctx.step("rest", "journal"):
                self._ctx.journal.accept(record)
        except DuplicateMessage as exc:
            raise replay_error(exc) from exc

    def _process(
        self,
        service_id: str,
        path: str,
        body: bytes,
        headers: dict[str, str],
        session_id: str,
        record: dict[str, Any],
    ) -> ChannelAnswer:
        if len(body) > self._ctx.max_bytes:
            raise GatewayError(
                ErrorCode.MALFORMED, f"body of {len(body)} bytes exceeds the limit of {self._ctx.max_bytes}"
            )
        problem = header_problem(headers, SENDER_SIGNED)
        if problem:
            raise GatewayError(ErrorCode.MALFORMED, problem)
        try:
            with self._ctx.step("rest", "verify"):
                signature = verify_request(
                    headers.get(SIGNATURE),
                    body,
                    method="POST",
                    path=path,
                    headers=headers,
                    required=SENDER_SIGNED,
                    trust=self._ctx.trust,
                    at=self._ctx.now(),
                )
        except SignatureError as exc:
            raise GatewayError(transport_signature_code(exc), str(exc)) from exc
        try:
            with self._ctx.step("rest", "parse"):
                json.loads(body)
        except ValueError as exc:
            raise GatewayError(ErrorCode.MALFORMED, f"the body is not JSON: {exc}") from exc
        with self._ctx.step("rest", "authorise"):
            _, service = self._ctx.registry.authorise(record["sender_id"] or "", signature.signer, service_id)
        if service.channel != "rest":
            raise GatewayError(ErrorCode.UNKNOWN_SERVICE, f"{service_id} is a SOAP service; use /bip-sync/")
        provider = self._ctx.registry.provider_of(service)
        with self._ctx.step("rest", "validate"):
            require_fresh(signature.signed_at, self._ctx.now(), self._ctx.max_clock_skew)
        check = f"gateway verified the JWS of {signature.signer.describe()} over the body, the id headers and the time"
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
        ids = {
            SENDER_ID: record["sender_id"] or "",
            MESSAGE_ID: record["message_id"] or "",
            CORRELATION_ID: record["correlation_id"] or "",
            SESSION_ID: session_id,
        }
        url = self._ctx.provider_url(service)
        with self._ctx.step("rest", "sign"):
            signed = sign_request(
                body, self._ctx.credential, method="POST", path=urlsplit(url).path, headers=ids, at=self._ctx.now()
            )
        forward_headers = {
            "Content-Type": "application/json",
            "X-Signature": signed,
            "X-Sender-Id": ids[SENDER_ID],
            "X-Message-Id": ids[MESSAGE_ID],
            "X-Correlation-Id": ids[CORRELATION_ID],
            "X-Session-Id": session_id,
        }
        request_out = self._ctx.now().isoformat()
        with self._ctx.step("rest", "forward"):
            answer = self._ctx.link.post(url, body, forward_headers, provider_id=provider.sender_id)
        times = record["times"] | {"requestOut": request_out, "responseIn": self._ctx.now().isoformat()}
        with self._ctx.step("rest", "journal"):
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


def _cut(value: str | None) -> str | None:
    """A header value as the journal may hold it (its id columns are 128 characters long)."""
    return value[:MAX_ID_LENGTH] if value else value
