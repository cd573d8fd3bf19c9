"""What the centre's own API does with every request before a handler sees it: read the body within a limit,
parse it hardened, check it against its schema, verify the signature; or refuse with an error code.

Documents (a form, a receipt) are XML signed enveloped with the sender's EDS (docs/protocol.md §5); a read
(``GET``) is signed as a detached JWS in ``X-Signature`` over the empty body, binding the method and the path
(docs/protocol.md §2), dated within the allowed clock skew. A refusal is a :class:`Refusal`: the HTTP status, the
gateway's error code for the same fault (SCE001 malformed, SCE015/016/017 the EDS, SCE003 not allowed, SCE010
a state system did not answer), plain words, and the rule id when a rule refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request

from adapters.pki import TrustStore
from adapters.shep.faults import ErrorCode, business_signature_code
from adapters.signatures import BusinessSignature, SignatureError, verify_document
from adapters.signatures.jws import RequestSignature, verify_request
from adapters.xml import CompiledSchema, XmlRejected, parse_xml
from wsdl import contract_path

SIGNATURE_SCHEMA = "xsd/xmldsig-core-schema.xsd"


@dataclass
class Refusal(Exception):
    """A request the centre does not carry out; nothing was changed."""

    status: int
    code: str
    message: str
    rule_id: str | None = None

    def body(self) -> dict[str, str]:
        body = {"errorCode": self.code, "errorMessage": self.message}
        if self.rule_id:
            body["ruleId"] = self.rule_id
        return body


def load_schema(name: str) -> CompiledSchema:
    """A payload schema of ``wsdl/`` with the XML Signature schema beside it (a signed document validates)."""
    return CompiledSchema.load(contract_path(name), companions=[contract_path(SIGNATURE_SCHEMA)], name=name)


@dataclass(frozen=True)
class SignedRequests:
    trust: TrustStore
    now: Callable[[], datetime]
    max_bytes: int
    max_clock_skew: timedelta

    async def body(self, request: Request) -> bytes:
        """The body, read chunk by chunk and refused (413) as soon as it passes the limit."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise self._too_large(int(declared))
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_bytes:
                raise self._too_large(size)
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, size: int) -> Refusal:
        return Refusal(
            413, ErrorCode.MALFORMED.value, f"the body of {size} bytes is over the limit of {self.max_bytes} bytes"
        )

    def document(self, body: bytes, schema: CompiledSchema) -> BusinessSignature:
        """Parse ``body`` hardened, check it against ``schema`` and verify its enveloped signature."""
        try:
            element = parse_xml(body, max_bytes=self.max_bytes)
        except XmlRejected as exc:
            raise Refusal(400, ErrorCode.MALFORMED.value, str(exc)) from exc
        check = schema.check(element)
        if check.error is not None:
            raise Refusal(400, ErrorCode.MALFORMED.value, f"the document does not match {schema.name}: {check.error}")
        try:
            return verify_document(element, self.trust, self.now())
        except SignatureError as exc:
            raise Refusal(401, business_signature_code(exc).value, str(exc)) from exc

    def reader(self, request: Request) -> RequestSignature:
        """Verify the ``X-Signature`` of a read: the empty body, ``GET`` and the path, signed within the clock
        skew of now (an old signature cannot be replayed for long)."""
        now = self.now()
        try:
            verified = verify_request(
                request.headers.get("x-signature"),
                b"",
                method=request.method,
                path=request.url.path,
                headers={},
                required=(),
                trust=self.trust,
                at=now,
            )
        except SignatureError as exc:
            raise Refusal(401, business_signature_code(exc).value, str(exc)) from exc
        if abs(verified.signed_at - now) > self.max_clock_skew:
            raise Refusal(
                401,
                ErrorCode.REPLAY_OR_STALE.value,
                f"the request was signed at {verified.signed_at.isoformat()}, more than "
                f"{int(self.max_clock_skew.total_seconds())} s from now ({now.isoformat()}): sign it again",
            )
        return verified
