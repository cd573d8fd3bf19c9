"""Detached JWS (RFC 7515 Appendix F) for REST calls between systems (``docs/protocol.md`` §2, the REST channel).

The header carries the signer's certificate in ``x5c``; the signature covers the exact body bytes.
Sent in the ``X-Signature`` header as ``<header>..<signature>``.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime

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


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class JwsSignature:
    signer: CertificateSubject


def sign_detached(body: bytes, credential: Credential) -> str:
    header = {"alg": "RS256", "x5c": [certificate_to_base64(credential.certificate)]}
    protected = _b64url(json.dumps(header, separators=(",", ":")).encode())
    key = credential.key
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TypeError("detached JWS here is RS256 and needs an RSA key")
    signature = key.sign(f"{protected}.{_b64url(body)}".encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{protected}..{_b64url(signature)}"


def verify_detached(token: str | None, body: bytes, trust: TrustStore, at: datetime) -> JwsSignature:
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
    check_certificate(trust, certificate, at)
    return JwsSignature(signer=subject_of(certificate))
