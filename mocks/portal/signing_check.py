"""SP-5 (regulation 004 §9 (6)-(7)): before the portal sends a signed application, it checks the EDS certificate the
applicant chose, and refuses the request if the certificate

1. is not valid on the ecosystem's clock (its validity period: expired, or not yet valid),
2. is revoked — asked of the national certifying centre: its CRL (``GET /crl/issuing.crl`` of the NCA at
   ``settings.base_url("nca")``), fetched over HTTP, its signature checked with the issuing CA's key, or
3. carries an IIN (``SERIALNUMBER=IIN…``) other than the IIN of the request's applicant.

A failed check raises :class:`SigningCertificateRefused` naming the check (``validity``, ``revocation``,
``iin``); the portal then stores and sends nothing. If the NCA cannot be asked (no answer, an HTTP error, an
answer that is not a CRL signed by the issuing CA), :class:`NcaUnavailableError`: the
portal refuses rather than send an unchecked certificate (the 503 of the API).

The CRL is asked for at every check, so a certificate revoked a moment ago (``POST /admin/revoke`` of the NCA)
is refused at once; only the work on its bytes is cached: the same CRL (by its SHA-256) is parsed and its
signature verified once.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import httpx
from cryptography import x509

from adapters.pki import CertificateRejected, PkiLayout, RejectionReason, TrustStore, subject_of

CRL_PATH = "/crl/issuing.crl"


class Check(StrEnum):
    """The checks of SP-5, in the order they are made."""

    VALIDITY = "validity"  # the validity period on the ecosystem's clock
    REVOCATION = "revocation"  # not revoked (the NCA's CRL)
    IIN = "iin"  # the certificate's IIN is the request's


class SigningCertificateRefused(Exception):
    """SP-5: the chosen certificate failed ``check``; the message says what to do."""

    def __init__(self, check: Check, message: str) -> None:
        super().__init__(message)
        self.check = check


class NcaUnavailableError(Exception):
    """The NCA could not be asked whether the certificate is revoked: nothing is sent unchecked."""


class NcaRevocationList:
    """The issuing CA's CRL, asked of the NCA over HTTP at every call (see the module docstring).

    Usable as the revocation check of :class:`adapters.pki.TrustStore`: ``(certificate, issuer, at)`` raises
    :class:`CertificateRejected` (REVOKED) for a revoked certificate; certificates of other issuers (the
    issuing CA itself, under the root, whose list the NCA does not publish) are not looked up."""

    def __init__(self, nca_url: str, http: Callable[[], httpx.Client], *, timeout: float = 5.0) -> None:
        self._url = f"{nca_url.rstrip('/')}{CRL_PATH}"
        self._http = http
        self._timeout = timeout
        self._lock = threading.Lock()
        self._parsed: tuple[str, x509.CertificateRevocationList] | None = None

    @property
    def url(self) -> str:
        return self._url

    def _fetch(self) -> bytes:
        try:
            response = self._http().get(self._url, timeout=self._timeout)
        except httpx.HTTPError as exc:
            raise NcaUnavailableError(f"the NCA's CRL at {self._url} could not be fetched: {exc}") from exc
        if response.status_code != 200:
            raise NcaUnavailableError(f"the NCA answered HTTP {response.status_code} for its CRL at {self._url}")
        return response.content

    def current(self, issuer: x509.Certificate) -> x509.CertificateRevocationList:
        """The NCA's CRL now, checked: signed by ``issuer``. Its nextUpdate is not judged: the test NCA publishes
        a new list only on a revocation, and the ecosystem's clock may run weeks ahead (as the gateway's check,
        :class:`adapters.pki.credentials.CrlRevocationCheck`, the list the NCA serves now is the current one)."""
        content = self._fetch()
        digest = hashlib.sha256(content).hexdigest()
        with self._lock:
            cached = self._parsed
        if cached is not None and cached[0] == digest:
            crl = cached[1]
        else:
            try:
                crl = x509.load_pem_x509_crl(content)
            except ValueError as exc:
                raise NcaUnavailableError(f"the NCA's answer at {self._url} is not a CRL: {exc}") from exc
            if crl.issuer != issuer.subject or not crl.is_signature_valid(issuer.public_key()):  # type: ignore[arg-type]
                raise NcaUnavailableError(f"the CRL at {self._url} is not signed by the issuing CA")
            with self._lock:
                self._parsed = (digest, crl)
        return crl

    def __call__(self, certificate: x509.Certificate, issuer: x509.Certificate, at: datetime) -> None:
        if issuer.subject == issuer.issuer:  # a CA under the root: the NCA publishes no root CRL
            return
        revoked = self.current(issuer).get_revoked_certificate_by_serial_number(certificate.serial_number)
        if revoked is not None:
            raise CertificateRejected(
                RejectionReason.REVOKED,
                f"certificate of {subject_of(certificate).describe()} was revoked on {revoked.revocation_date_utc}",
            )


@dataclass(frozen=True)
class CheckedCertificate:
    """A certificate that passed SP-5 at ``at``."""

    certificate: x509.Certificate
    iin: str
    at: datetime


class SigningCertificateCheck:
    """SP-5: the three checks of the chosen certificate, on the ecosystem's clock, before anything is sent."""

    def __init__(self, layout: PkiLayout, revocation: NcaRevocationList, now: Callable[[], datetime]) -> None:
        # the NCA's root and issuing CA, with the NCA's CRL over HTTP (not the CRL file of the data folder)
        root, issuing = (
            x509.load_pem_x509_certificate(base.with_suffix(".pem").read_bytes())
            for base in (layout.root_ca, layout.issuing_ca)
        )
        self._trust = TrustStore([root], [issuing], revocation_check=revocation)
        self._now = now

    def check(self, certificate: x509.Certificate, request_iin: str) -> CheckedCertificate:
        """Raise :class:`SigningCertificateRefused` or :class:`NcaUnavailableError`; else the checked certificate."""
        at = self._now()
        subject = subject_of(certificate)
        try:
            self._trust.verify(certificate, at)
        except CertificateRejected as exc:
            raise _refusal(exc, subject.describe()) from exc
        if subject.iin != request_iin:
            raise SigningCertificateRefused(
                Check.IIN,
                f"SP-5: the IIN in the EDS certificate ({subject.iin or 'none'}) is not the IIN of the request "
                f"({request_iin}); sign the application with the applicant's own certificate",
            )
        return CheckedCertificate(certificate, request_iin, at)


def _refusal(error: CertificateRejected, who: str) -> SigningCertificateRefused:
    if error.reason is RejectionReason.REVOKED:
        return SigningCertificateRefused(
            Check.REVOCATION,
            f"SP-5: the EDS certificate of {who} is revoked (the NCA's list of revoked certificates says so); "
            "get a new certificate from the NCA and sign again",
        )
    if error.reason in (RejectionReason.EXPIRED, RejectionReason.NOT_YET_VALID):
        return SigningCertificateRefused(
            Check.VALIDITY, f"SP-5: the EDS certificate is not valid now: {error}; sign with a valid certificate"
        )
    return SigningCertificateRefused(
        Check.VALIDITY, f"SP-5: the EDS certificate is not one the NCA issued ({error.reason.value}): {error}"
    )
