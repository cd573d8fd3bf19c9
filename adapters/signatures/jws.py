"""Detached JWS (RFC 7515 Appendix F) for REST calls between systems (``docs/protocol.md`` §2, the REST channel).

The protected header carries the signer's certificate in ``x5c``; the signature covers the exact body bytes.
Sent in the ``X-Signature`` header as ``<header>..<signature>``.

- :func:`sign_detached` / :func:`verify_detached`: the body alone (the gateway's answers and refusals).
- :func:`sign_request` / :func:`verify_request`: a request. Its protected header also binds the method
  (``htm``), the path (``path``), the signing time (``iat``, seconds since the epoch) and the values of the
  request's identifying headers (``hdr``, lower-case names), so none of them can be changed under the
  signature; the receiver checks the time window and accepts each message id once.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from adapters.pki import (
    CertificateRejected,
    CertificateSubject,
    Credential,
    TrustStore,
    certificate_from_base64,
    certificate_to_base64,
    subject_of,
)
from adapters.signatures.errors import NotSigned, SignatureInvalid, check_certificate

REQUEST_MEMBERS = ("iat", "htm", "path", "hdr")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class JwsSignature:
    signer: CertificateSubject


@dataclass(frozen=True)
class RequestSignature:
    """A verified request signature: who signed, and when (``iat``)."""

    signer: CertificateSubject
    signed_at: datetime


def _sign(header: dict[str, Any], body: bytes, credential: Credential) -> str:
    protected = _b64url(json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    key = credential.key
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("detached JWS here is RS256 and needs an RSA key")
    signature = key.sign(f"{protected}.{_b64url(body)}".encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{protected}..{_b64url(signature)}"


def sign_detached(body: bytes, credential: Credential) -> str:
    return _sign({"alg": "RS256", "x5c": [certificate_to_base64(credential.certificate)]}, body, credential)


def sign_request(
    body: bytes,
    credential: Credential,
    *,
    method: str,
    path: str,
    headers: Mapping[str, str],
    at: datetime,
) -> str:
    """The ``X-Signature`` of a request: ``body`` and ``method``, ``path``, ``headers`` (name -> value; an
    absent header is signed as ``""``) and the time ``at``."""
    header = {
        "alg": "RS256",
        "x5c": [certificate_to_base64(credential.certificate)],
        "iat": int(at.timestamp()),
        "htm": method.upper(),
        "path": path,
        "hdr": {name.lower(): value for name, value in sorted(headers.items())},
    }
    return _sign(header, body, credential)


def _open(token: str | None, body: bytes) -> tuple[dict[str, Any], x509.Certificate]:
    """The protected header and the certificate of a detached JWS whose signature matches ``body``."""
    if not token:
        raise NotSigned("the request has no X-Signature (detached JWS)")
    parts = token.split(".")
    if len(parts) != 3 or parts[1] != "":
        raise SignatureInvalid("X-Signature is not a detached compact JWS (header..signature)")
    try:
        header = json.loads(_unb64url(parts[0]))
        signature = _unb64url(parts[2])
        certificate = certificate_from_base64(header["x5c"][0])
    except (ValueError, KeyError, IndexError, TypeError, CertificateRejected) as exc:
        raise SignatureInvalid(f"X-Signature cannot be read: {exc}") from exc
    if header.get("alg") != "RS256":
        raise SignatureInvalid(f"unsupported JWS algorithm {header.get('alg')!r}")
    public_key = certificate.public_key()
    if not isinstance(public_key, rsa.RSAPublicKey):
        raise SignatureInvalid("the JWS certificate does not hold an RSA key")
    try:
        public_key.verify(signature, f"{parts[0]}.{_b64url(body)}".encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as exc:
        raise SignatureInvalid("the JWS signature does not match the body") from exc
    return header, certificate


def verify_detached(token: str | None, body: bytes, trust: TrustStore, at: datetime) -> JwsSignature:
    _, certificate = _open(token, body)
    check_certificate(trust, certificate, at)
    return JwsSignature(signer=subject_of(certificate))


def verify_request(
    token: str | None,
    body: bytes,
    *,
    method: str,
    path: str,
    headers: Mapping[str, str],
    required: Iterable[str],
    trust: TrustStore,
    at: datetime,
) -> RequestSignature:
    """Verify a request's ``X-Signature`` (see :func:`sign_request`): the body, the certificate at ``at``,
    and that the method, the path and every header in ``required`` or in the signed ``hdr`` have the values
    signed (``headers`` by lower-case name; absent means ``""``). The caller checks ``signed_at``."""
    header, certificate = _open(token, body)
    missing = [member for member in REQUEST_MEMBERS if member not in header]
    signed_headers = header.get("hdr")
    if (
        missing
        or not isinstance(header.get("iat"), int)
        or isinstance(header.get("iat"), bool)
        or not isinstance(header.get("htm"), str)
        or not isinstance(header.get("path"), str)
        or not isinstance(signed_headers, dict)
        or not all(isinstance(value, str) for value in signed_headers.values())
    ):
        raise SignatureInvalid(
            "X-Signature does not sign the request: its protected header needs iat (an integer), htm, path and "
            f"hdr (an object of header values){f'; missing {missing}' if missing else ''} (docs/protocol.md §2)"
        )
    if header["htm"] != method.upper() or header["path"] != path:
        raise SignatureInvalid(f"the signature is for {header['htm']} {header['path']}, not {method.upper()} {path}")
    for name in sorted({name.lower() for name in required} | set(signed_headers)):
        if name not in signed_headers:
            raise SignatureInvalid(f"the signature does not cover the header {name} (hdr must name it)")
        actual = headers.get(name, "")
        if signed_headers[name] != actual:
            raise SignatureInvalid(
                f"the header {name} is {actual!r}, but the signature was made over {signed_headers[name]!r}"
            )
    try:
        signed_at = datetime.fromtimestamp(header["iat"], UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise SignatureInvalid(f"the signing time iat {header['iat']} is not a time") from exc
    check_certificate(trust, certificate, at)
    return RequestSignature(signer=subject_of(certificate), signed_at=signed_at)
