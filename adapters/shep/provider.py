"""The receiving side of SyncChannel for a provider system, as WSGI middleware around a spyne app.

Inbound: size limit, hardened parse, every header marked ``soap:mustUnderstand`` understood (else a signed
``soap:MustUnderstand`` fault, :mod:`adapters.shep.headers`), transport signature verified and required to be
the gateway's,
``messageDate`` within the allowed clock skew and each ``(sender, messageId)`` once (the shared
:class:`adapters.shep.replay_guard.ReplayGuard`: a captured request replayed later is refused with SCE008);
the spyne application then sees an envelope rebuilt from the verified Body only, so it reads exactly
what the signature covers. Outbound: every response (faults included) is signed with the provider's
own certificate. ``GET ?wsdl`` serves the contract from ``wsdl/`` rather than spyne's generated one.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

from lxml import etree

from adapters.pki import Credential, TrustStore, system_signer_problem
from adapters.shep.envelope import SOAP_NS, EnvelopeError, ErrorInfo, build_fault, parse_request
from adapters.shep.faults import ErrorCode, transport_signature_code
from adapters.shep.headers import HeaderError, must_understand_fault_code, require_understood
from adapters.shep.incidents import incident_message, log_incident
from adapters.shep.replay_guard import ReplayGuard, ReplayRefused
from adapters.signatures import SignatureError, sign_envelope, verify_envelope
from adapters.xml import XmlRejected, parse_xml, to_bytes
from wsdl import contract_path

LOG = logging.getLogger(__name__)
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
TRANSPORT_KEY = "egov_sim.transport_signature"


class SignedSoapEndpoint:
    """Wrap ``app`` so that it only ever sees gateway-signed requests and only ever answers signed."""

    def __init__(
        self,
        app: WsgiApp,
        *,
        credential: Credential,
        trust: TrustStore,
        gateway_bin: str,
        now: Callable[[], dt.datetime],
        max_bytes: int,
        public_url: str,
        replay_guard: ReplayGuard,
    ) -> None:
        self._app = app
        self._replay_guard = replay_guard
        self._credential = credential
        self._trust = trust
        self._gateway_bin = gateway_bin
        self._now = now
        self._max_bytes = max_bytes
        self._public_url = public_url

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            return self._serve(environ, start_response)
        except Exception as exc:  # anything unforeseen (reading the body, a certificate check): a signed fault
            incident = log_incident(LOG, "in a SyncChannel provider endpoint", exc)
            return self._fault(start_response, ErrorCode.INTERNAL, incident_message("provider", incident))

    def _serve(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method == "GET":
            return self._contract(environ.get("PATH_INFO", ""), start_response)
        if method != "POST":
            start_response("405 Method Not Allowed", [("Content-Type", "text/plain")])
            return [b"POST a SOAP 1.1 SendMessage, or GET ?wsdl"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > self._max_bytes:
            return self._fault(start_response, ErrorCode.MALFORMED, f"message of {length} bytes exceeds the limit")
        raw = environ["wsgi.input"].read(length) if length else environ["wsgi.input"].read(self._max_bytes + 1)
        try:
            envelope = parse_xml(raw, max_bytes=self._max_bytes)
            require_understood(envelope)
            verified = verify_envelope(envelope, self._trust, self._now())
        except XmlRejected as exc:
            return self._fault(start_response, ErrorCode.MALFORMED, str(exc))
        except HeaderError as exc:
            return self._fault(start_response, ErrorCode.MALFORMED, str(exc), must_understand_fault_code(exc))
        except SignatureError as exc:
            return self._fault(start_response, transport_signature_code(exc), str(exc))
        not_gateway = system_signer_problem(verified.signer, self._gateway_bin)
        if not_gateway is not None:
            return self._fault(
                start_response,
                ErrorCode.ACCESS_DENIED,
                f"providers accept messages from the gateway only: {not_gateway}",
            )
        try:
            info, _ = parse_request(verified.signed_body)
        except EnvelopeError as exc:
            return self._fault(start_response, ErrorCode.MALFORMED, str(exc))
        try:
            self._replay_guard.admit(info.sender_id, info.message_id, info.message_date)
        except ReplayRefused as exc:
            return self._fault(start_response, exc.code, str(exc))
        clean = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap={"soap": SOAP_NS})
        clean.append(verified.signed_body)
        body = to_bytes(clean)
        inner = dict(environ)
        inner["wsgi.input"] = _BytesInput(body)
        inner["CONTENT_LENGTH"] = str(len(body))
        inner[TRANSPORT_KEY] = verified
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            captured["status"] = status
            return lambda _data: None

        try:
            chunks = b"".join(self._app(inner, capture))
        except Exception as exc:  # the application itself broke: still a signed fault, never a bare 500
            incident = log_incident(LOG, "in a SyncChannel provider application", exc)
            return self._fault(start_response, ErrorCode.INTERNAL, incident_message("provider", incident))
        try:
            answer = parse_xml(chunks, max_bytes=16 * self._max_bytes)
        except XmlRejected as exc:
            incident = log_incident(LOG, "reading a SyncChannel provider's answer (not SOAP)", exc)
            return self._fault(start_response, ErrorCode.INTERNAL, incident_message("provider", incident))
        signed = to_bytes(sign_envelope(answer, self._credential))
        start_response(captured.get("status", "200 OK"), [("Content-Type", "text/xml; charset=utf-8")])
        return [signed]

    def _fault(
        self, start_response: Callable[..., Any], code: ErrorCode, message: str, fault_code: str | None = None
    ) -> Iterable[bytes]:
        error = ErrorInfo(code=code.value, message=message, date=self._now())
        fault = build_fault(error, client_error=code.is_client_error, fault_code=fault_code)
        envelope = sign_envelope(fault, self._credential)
        start_response("500 Internal Server Error", [("Content-Type", "text/xml; charset=utf-8")])
        return [to_bytes(envelope)]

    def _contract(self, path: str, start_response: Callable[..., Any]) -> Iterable[bytes]:
        """``GET ?wsdl`` gives the SyncChannel contract; ``GET xsd/NAME.xsd`` the schemas it imports."""
        name = path.rsplit("/", 1)[-1]
        try:
            if name.endswith(".xsd"):
                text = contract_path(f"xsd/{name}").read_text(encoding="utf-8")
            else:
                text = contract_path("SyncChannel.wsdl").read_text(encoding="utf-8")
                text = text.replace("http://127.0.0.1:8080/bip-sync/", self._public_url)
        except FileNotFoundError:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [f"no contract {name}".encode()]
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
        return [text.encode("utf-8")]


class _BytesInput:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = len(self._data) - self._pos
        chunk = self._data[self._pos : self._pos + size]
        self._pos += len(chunk)
        return chunk

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)

    def __iter__(self) -> Any:
        return iter([self.read()])
