"""X.509 certificates of the national certifying centre: subjects and chain checks.

Checks run in the order of ``docs/protocol.md`` §4: validity period, chain to a trusted root,
revocation. The outcomes are the ones seen in the field (:class:`RejectionReason`).
"""

from __future__ import annotations

import base64
import binascii
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtensionOID, NameOID

from adapters.pki.errors import PkiError


class RejectionReason(str, Enum):
    EXPIRED = "expired"
    NOT_YET_VALID = "not yet valid"
    CHAIN_INVALID = "chain invalid"
    REVOKED = "revoked"
    CORRUPTED = "corrupted"
    UNKNOWN = "unknown"  # the revocation status cannot be known: the NCA does not know it, or cannot be asked


class CertificateRejected(PkiError):
    """A certificate failed a check; ``reason`` says which."""

    def __init__(self, reason: RejectionReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason

    @property
    def not_current(self) -> bool:
        """Expired, not yet valid or revoked: the signature is "not current" (SCE005 / SCE015)."""
        return self.reason in (
            RejectionReason.EXPIRED,
            RejectionReason.NOT_YET_VALID,
            RejectionReason.REVOKED,
        )


@dataclass(frozen=True)
class CertificateSubject:
    """What the subject of a certificate says: IIN in SERIALNUMBER, BIN in OU."""

    common_name: str
    iin: str | None
    bin: str | None
    organisation: str | None
    serial_number: int
    # The key-purpose OIDs of the extended key usage (dotted strings); :mod:`adapters.pki.purposes` names them.
    purposes: frozenset[str] = frozenset()

    def describe(self) -> str:
        ids = ", ".join(
            part for part in (f"IIN {self.iin}" if self.iin else "", f"BIN {self.bin}" if self.bin else "") if part
        )
        return f"{self.common_name} ({ids})" if ids else self.common_name


def _attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else None


def _prefixed(value: str | None, prefix: str) -> str | None:
    if value and value.startswith(prefix) and len(value) == len(prefix) + 12:
        return value[len(prefix) :]
    return None


def subject_of(certificate: x509.Certificate) -> CertificateSubject:
    subject = certificate.subject
    return CertificateSubject(
        common_name=_attribute(subject, NameOID.COMMON_NAME) or "",
        iin=_prefixed(_attribute(subject, NameOID.SERIAL_NUMBER), "IIN"),
        bin=_prefixed(_attribute(subject, NameOID.ORGANIZATIONAL_UNIT_NAME), "BIN"),
        organisation=_attribute(subject, NameOID.ORGANIZATION_NAME),
        serial_number=certificate.serial_number,
        purposes=extended_key_usages(certificate),
    )


def extended_key_usages(certificate: x509.Certificate) -> frozenset[str]:
    """The OIDs of the certificate's extended key usage (empty when it has none)."""
    try:
        usage = certificate.extensions.get_extension_for_oid(ExtensionOID.EXTENDED_KEY_USAGE).value
    except x509.ExtensionNotFound:
        return frozenset()
    return frozenset(oid.dotted_string for oid in usage)  # type: ignore[attr-defined]


def certificate_from_base64(text: str) -> x509.Certificate:
    """Load a base64 DER certificate (as carried in KeyIdentifier or X509Certificate)."""
    try:
        der = base64.b64decode("".join(text.split()), validate=True)
        return x509.load_der_x509_certificate(der)
    except (binascii.Error, ValueError) as exc:
        raise CertificateRejected(RejectionReason.CORRUPTED, f"the certificate cannot be read: {exc}") from exc


def certificate_to_base64(certificate: x509.Certificate) -> str:
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode("ascii")


RevocationCheck = Callable[[x509.Certificate, x509.Certificate, datetime], None]
"""Raises :class:`CertificateRejected` (REVOKED) if the certificate is revoked by its issuer."""

CHAIN_CACHE_SIZE = 1024
"""How many certificates' chains a trust store remembers (least recently used first out)."""

IssuedLookup = Callable[[x509.Name, int], x509.Certificate | None]
"""The certificate an issuer issued with a serial number, if known (``ds:X509IssuerSerial``)."""


class TrustStore:
    """Trusted roots and known intermediate CAs of the test national certifying centre.

    The chain of a certificate (which known CA issued it, its signature checked, up to a root) depends only on
    the certificate and the CAs this store holds, so it is found once per certificate (by its SHA-256
    fingerprint, :data:`CHAIN_CACHE_SIZE` kept) and remembered; a certificate that does not chain is never
    remembered. The validity periods and the revocation of every link are judged again on each
    :meth:`verify`, at its time: revocation by the ``revocation_check``, which keeps each answer only while it
    is fresh (:mod:`adapters.pki.revocation`).
    """

    def __init__(
        self,
        roots: Iterable[x509.Certificate],
        intermediates: Iterable[x509.Certificate] = (),
        revocation_check: RevocationCheck | None = None,
        issued: IssuedLookup | None = None,
    ) -> None:
        self._roots = list(roots)
        self._intermediates = list(intermediates)
        self._revocation_check = revocation_check
        self._chains: OrderedDict[bytes, tuple[x509.Certificate, ...]] = OrderedDict()
        self._chains_lock = threading.Lock()
        self._issued = issued

    def find_issued(self, issuer: x509.Name, serial: int) -> x509.Certificate | None:
        """The certificate ``issuer`` issued with ``serial`` among those the store knows (None: unknown, or the
        store knows none). Found is not trusted: :meth:`verify` it."""
        return None if self._issued is None else self._issued(issuer, serial)

    @property
    def roots(self) -> list[x509.Certificate]:
        return list(self._roots)

    @property
    def revocation_check(self) -> RevocationCheck | None:
        """How this store checks revocation (an :class:`adapters.pki.OnlineRevocationCheck`, or the data folder's
        CRL file), so that a readiness check can ask the same source."""
        return self._revocation_check

    def chain_of(self, certificate: x509.Certificate, at: datetime) -> list[x509.Certificate]:
        """The chain of ``certificate`` leaf-first, each link's period checked at ``at`` (revocation is not)."""
        return list(self._chain(certificate, at))

    def _issuer_of(self, certificate: x509.Certificate) -> x509.Certificate | None:
        for candidate in (*self._intermediates, *self._roots):
            if candidate.subject == certificate.issuer:
                try:
                    certificate.verify_directly_issued_by(candidate)
                except (ValueError, TypeError, InvalidSignature):
                    continue
                return candidate
        return None

    def verify(self, certificate: x509.Certificate, at: datetime) -> list[x509.Certificate]:
        """Check validity, chain and revocation at ``at``; return the chain leaf-first."""
        chain = self._chain(certificate, at)
        for position, current in enumerate(chain):  # in the order a chain is walked: period, then revocation
            self._check_period(current, at)
            if self._revocation_check is not None and position + 1 < len(chain):
                self._revocation_check(current, chain[position + 1], at)
        return list(chain)

    def _chain(self, certificate: x509.Certificate, at: datetime) -> tuple[x509.Certificate, ...]:
        """The chain leaf-first, from the cache or built now (each link's period checked as it is met, so a
        chain that cannot be built reports the first expired link, as before)."""
        fingerprint = certificate.fingerprint(hashes.SHA256())
        with self._chains_lock:
            known = self._chains.get(fingerprint)
            if known is not None:
                self._chains.move_to_end(fingerprint)
                return known
        chain = [certificate]
        current = certificate
        for _ in range(5):
            self._check_period(current, at)
            if any(current == root for root in self._roots):
                break
            issuer = self._issuer_of(current)
            if issuer is None:
                raise CertificateRejected(
                    RejectionReason.CHAIN_INVALID,
                    f"certificate of {subject_of(certificate).describe()} does not chain to a trusted root",
                )
            chain.append(issuer)
            current = issuer
        else:
            raise CertificateRejected(RejectionReason.CHAIN_INVALID, "certificate chain is too long")
        built = tuple(chain)
        with self._chains_lock:
            self._chains[fingerprint] = built
            while len(self._chains) > CHAIN_CACHE_SIZE:
                self._chains.popitem(last=False)
        return built

    @staticmethod
    def _check_period(certificate: x509.Certificate, at: datetime) -> None:
        if at < certificate.not_valid_before_utc:
            raise CertificateRejected(
                RejectionReason.NOT_YET_VALID,
                f"certificate of {subject_of(certificate).describe()} is valid only from "
                f"{certificate.not_valid_before_utc}",
            )
        if at > certificate.not_valid_after_utc:
            raise CertificateRejected(
                RejectionReason.EXPIRED,
                f"certificate of {subject_of(certificate).describe()} expired on {certificate.not_valid_after_utc}",
            )
