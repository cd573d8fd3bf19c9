"""The test NCA's OCSP responder (RFC 6960), built with ``cryptography``'s OCSP builders (docs/pki.md).

A request names certificates by CertID (hash of the issuer's name and key, serial number). The responder
answers for the CAs it runs, each answer signed by the CA that issued the certificate asked about:

- the issuing CA's issues: ``revoked`` (time and reason) when on its revocation list, ``good`` when the NCA
  issued the serial, else ``unknown``;
- the root's direct issues (the issuing CA): ``good`` (a CA cannot be revoked here), else ``unknown``;
- any other issuer: the whole answer is ``unauthorized``; a request that cannot be read: ``malformedRequest``.

Every answer is made now (``thisUpdate``) and valid for the NCA's ``ocsp_validity`` (``nextUpdate``): a verifier
caches it that long. No nonce is echoed: answers are meant to be cached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509 import ocsp

from adapters.pki import Credential

StatusOf = Callable[[int], "CertificateStatus"]
"""The status of a serial number among one CA's issues."""


@dataclass(frozen=True)
class CertificateStatus:
    status: ocsp.OCSPCertStatus
    revoked_at: dt.datetime | None = None
    reason: x509.ReasonFlags | None = None


GOOD = CertificateStatus(ocsp.OCSPCertStatus.GOOD)
UNKNOWN = CertificateStatus(ocsp.OCSPCertStatus.UNKNOWN)


@dataclass(frozen=True)
class ResponderCa:
    """A CA the responder answers for, and how to look up its issues."""

    credential: Credential
    status_of: StatusOf


def _key_bits(certificate: x509.Certificate) -> bytes:
    """The subjectPublicKey BIT STRING's content, which a CertID's issuerKeyHash hashes."""
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)
    if isinstance(key, ec.EllipticCurvePublicKey):
        return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    raise ValueError(f"a {type(key).__name__} CA key is not supported")


def _digest(algorithm: hashes.HashAlgorithm, data: bytes) -> bytes:
    digest = hashes.Hash(algorithm)
    digest.update(data)
    return digest.finalize()


def _is_issuer(ca: x509.Certificate, request: ocsp.OCSPRequest) -> bool:
    algorithm = request.hash_algorithm
    return request.issuer_name_hash == _digest(algorithm, ca.subject.public_bytes()) and (
        request.issuer_key_hash == _digest(algorithm, _key_bits(ca))
    )


def answer(request_der: bytes, authorities: list[ResponderCa], now: dt.datetime, valid_for: dt.timedelta) -> bytes:
    """The DER OCSP response to the DER ``request_der``, made at ``now``."""
    try:
        request = ocsp.load_der_ocsp_request(request_der)
        algorithm = request.hash_algorithm
    except (ValueError, NotImplementedError):  # not one request, or a hash this library does not know
        return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    ca = next((ca for ca in authorities if _is_issuer(ca.credential.certificate, request)), None)
    if ca is None:
        return _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    found = ca.status_of(request.serial_number)
    reason = found.reason if found.reason is not x509.ReasonFlags.unspecified else None
    builder = (
        ocsp.OCSPResponseBuilder()
        .add_response_by_hash(
            issuer_name_hash=request.issuer_name_hash,
            issuer_key_hash=request.issuer_key_hash,
            serial_number=request.serial_number,
            algorithm=algorithm,
            cert_status=found.status,
            this_update=now,
            next_update=now + valid_for,
            revocation_time=found.revoked_at,
            revocation_reason=reason,
        )
        .responder_id(ocsp.OCSPResponderEncoding.HASH, ca.credential.certificate)
    )
    response = builder.sign(ca.credential.key, hashes.SHA256())  # type: ignore[arg-type]
    return response.public_bytes(serialization.Encoding.DER)


def _unsuccessful(status: ocsp.OCSPResponseStatus) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(serialization.Encoding.DER)
