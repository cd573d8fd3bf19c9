"""Errors of signature verification (see the tree in :mod:`adapters.signatures`)."""

from __future__ import annotations

from datetime import datetime

from cryptography import x509

from adapters.pki import CertificateRejected, TrustStore


class SignatureError(Exception):
    """A signature could not be accepted."""


class NotSigned(SignatureError):
    """The message or document carries no signature."""


class SignatureInvalid(SignatureError):
    """The signature is malformed, does not match the content, or its certificate is untrusted."""


class MessageExpired(SignatureError):
    """The signed ``wsu:Timestamp`` has expired or was created in the future (a stale or replayed message)."""


class SignatureNotCurrent(SignatureError):
    """The signing certificate is expired, not yet valid, or revoked."""


def check_certificate(trust: TrustStore, certificate: x509.Certificate, at: datetime) -> None:
    """Validity, chain and revocation of a signer's certificate, as signature errors."""
    try:
        trust.verify(certificate, at)
    except CertificateRejected as exc:
        if exc.not_current:
            raise SignatureNotCurrent(str(exc)) from exc
        raise SignatureInvalid(str(exc)) from exc
