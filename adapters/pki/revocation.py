"""Revocation checked online, the way the national certifying centre's clients check it (docs/pki.md).

For each certificate of a chain but the root (the root's direct issues included), with its issuer
(the ``RevocationCheck`` of :class:`adapters.pki.TrustStore`):

1. **OCSP first**, when the certificate names a responder (Authority Information Access, ``id-ad-ocsp``): a
   signed answer of its issuer (or of a responder certificate its issuer delegated, EKU OCSP signing) about
   exactly this certificate, fresh on the verifier's clock. ``good`` accepts, ``revoked`` refuses (time and
   reason in the message), ``unknown`` refuses (the NCA did not issue it).
2. **The CRL as fallback**, when no responder is named or the responder cannot be used (unreachable, an HTTP
   error, not a successful answer, a bad signature, stale): the list at the certificate's CRL distribution
   point, signed by its issuer, its ``nextUpdate`` still ahead.
3. **Neither**: fail closed (``CertificateRejected``, reason UNKNOWN) — or, with ``soft_fail``, accept and log a
   warning (logger ``egov_sim.pki.revocation``).

Every answer is cached while it is fresh: an OCSP answer by (responder, issuer, serial) until its
``nextUpdate``, a CRL by (URL, issuer) until its ``nextUpdate``, judged on the clock the verification runs on.
So the steady state makes no network call per message, and a revocation takes effect at the latest when the
cached answer expires. A certificate that names neither a responder nor a distribution point is refused: its
revocation cannot be checked at all.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import httpx
from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

from adapters.pki.certificates import CertificateRejected, RejectionReason, subject_of
from adapters.pki.errors import RevocationSourceUnusable

LOG = logging.getLogger("egov_sim.pki.revocation")
OCSP_REQUEST = "application/ocsp-request"
MAX_ANSWER_BYTES = 4 * 1_048_576  # a test NCA's answers are a few KiB; more is not read
CLOCK_SKEW = timedelta(minutes=5)  # an answer made this far after the verifier's "now" is still taken

_SOFT_FAILS: ContextVar[list[str] | None] = ContextVar("revocation_soft_fails", default=None)


@contextmanager
def soft_fail_warnings() -> Iterator[list[str]]:
    """Collect the soft-fail warnings of the revocation checks made inside the block (one message's), so the
    caller can journal them for that message (docs/pki.md, soft-fail)."""
    warnings: list[str] = []
    token = _SOFT_FAILS.set(warnings)
    try:
        yield warnings
    finally:
        _SOFT_FAILS.reset(token)


@dataclass(frozen=True)
class RevocationSources:
    """Where a certificate says its revocation is published."""

    ocsp: tuple[str, ...]
    crl: tuple[str, ...]


def revocation_sources(certificate: x509.Certificate) -> RevocationSources:
    """The OCSP responders (AIA ``id-ad-ocsp``) and CRL distribution points (HTTP URLs) ``certificate`` names."""
    ocsp_urls: list[str] = []
    crl_urls: list[str] = []
    try:
        access = certificate.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
        ocsp_urls = [
            str(item.access_location.value)
            for item in access
            if item.access_method == AuthorityInformationAccessOID.OCSP
            and isinstance(item.access_location, x509.UniformResourceIdentifier)
        ]
    except x509.ExtensionNotFound:
        pass
    try:
        points = certificate.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
        crl_urls = [
            str(name.value)
            for point in points
            for name in point.full_name or []
            if isinstance(name, x509.UniformResourceIdentifier)
        ]
    except x509.ExtensionNotFound:
        pass
    http = ("http://", "https://")
    return RevocationSources(
        tuple(u for u in ocsp_urls if u.startswith(http)), tuple(u for u in crl_urls if u.startswith(http))
    )


@dataclass(frozen=True)
class _OcspAnswer:
    status: ocsp.OCSPCertStatus
    revoked_at: datetime | None
    reason: x509.ReasonFlags | None
    next_update: datetime | None


@lru_cache(maxsize=1024)
def _sources_of(certificate: x509.Certificate) -> RevocationSources:
    """:func:`revocation_sources`, read once per certificate (a certificate's extensions never change)."""
    return revocation_sources(certificate)


@lru_cache(maxsize=64)
def _key_id(issuer: x509.Certificate) -> bytes:
    return issuer.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _verify_signature(
    public_key: object, signature: bytes, data: bytes, algorithm: hashes.HashAlgorithm | None
) -> None:
    if algorithm is None:
        raise RevocationSourceUnusable("the answer's signature algorithm is not one this verifier knows")
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), algorithm)
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(algorithm))
        else:
            raise RevocationSourceUnusable(f"a {type(public_key).__name__} cannot sign an answer here")
    except InvalidSignature as exc:
        raise RevocationSourceUnusable("the answer's signature does not verify") from exc


class OnlineRevocationCheck:
    """OCSP first, the CRL as fallback, each answer cached while fresh (see the module docstring).

    ``client``: the HTTP client to ask with (one of its own, with ``timeout``, when none is given); ``soft_fail``:
    accept, with a logged warning, a certificate whose revocation cannot be checked.
    """

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        soft_fail: bool = False,
        timeout: float = 3.0,
        max_bytes: int = MAX_ANSWER_BYTES,
    ) -> None:
        self._client = client if client is not None else httpx.Client(timeout=timeout, follow_redirects=False)
        self._timeout = timeout
        self._soft_fail = soft_fail
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        self._ocsp: dict[tuple[str, bytes, int], _OcspAnswer] = {}
        self._crls: dict[tuple[str, bytes], x509.CertificateRevocationList] = {}

    def __call__(self, certificate: x509.Certificate, issuer: x509.Certificate, at: datetime) -> None:
        sources = _sources_of(certificate)
        if not sources.ocsp and not sources.crl:
            raise CertificateRejected(
                RejectionReason.UNKNOWN,
                f"certificate of {subject_of(certificate).describe()} names neither an OCSP responder nor a CRL "
                "distribution point: "
                "its revocation cannot be checked",
            )
        problems: list[str] = []
        for url in sources.ocsp:
            try:
                answer = self._ocsp_answer(url, certificate, issuer, at)
            except RevocationSourceUnusable as exc:
                problems.append(f"OCSP {url}: {exc}")
                continue
            _judge_ocsp(answer, certificate)
            return
        for url in sources.crl:
            try:
                crl = self._crl(url, issuer, at)
            except RevocationSourceUnusable as exc:
                problems.append(f"CRL {url}: {exc}")
                continue
            revoked = crl.get_revoked_certificate_by_serial_number(certificate.serial_number)
            if revoked is not None:
                raise CertificateRejected(
                    RejectionReason.REVOKED,
                    f"certificate of {subject_of(certificate).describe()} was revoked on "
                    f"{revoked.revocation_date_utc}{_crl_reason(revoked)} "
                    f"(CRL {url})",
                )
            return
        detail = "; ".join(problems)
        who = subject_of(certificate).describe()
        if self._soft_fail:
            LOG.warning("revocation of the certificate of %s not checked (soft-fail): %s", who, detail)
            collected = _SOFT_FAILS.get()
            if collected is not None:
                collected.append(f"revocation of the certificate of {who} not checked (soft-fail): {detail}")
            return
        raise CertificateRejected(
            RejectionReason.UNKNOWN, f"the revocation of the certificate of {who} cannot be checked: {detail}"
        )

    def freshness_problem(self, certificate: x509.Certificate, issuer: x509.Certificate, at: datetime) -> str | None:
        """Why the NCA's answers about ``certificate`` cannot be relied on at ``at`` (None when they can): each
        OCSP responder and CRL distribution point it names must give a signed answer fresh at ``at`` — the cached
        one while it is fresh, else asked now (and cached). For readiness (``/health/ready``); soft-fail does not
        hide a problem here: it only decides what a verification does with it."""
        sources = _sources_of(certificate)
        who = subject_of(certificate).describe()
        if not sources.ocsp and not sources.crl:
            return f"the certificate of {who} names neither an OCSP responder nor a CRL distribution point"
        problems: list[str] = []
        for url in sources.ocsp:
            try:
                self._ocsp_answer(url, certificate, issuer, at)
            except RevocationSourceUnusable as exc:
                problems.append(f"OCSP {url}: {exc}")
        for url in sources.crl:
            try:
                self._crl(url, issuer, at)
            except RevocationSourceUnusable as exc:
                problems.append(f"CRL {url}: {exc}")
        if problems:
            return f"the NCA's answers about the certificate of {who} cannot be relied on: {'; '.join(problems)}"
        return None

    # OCSP

    def _ocsp_answer(
        self, url: str, certificate: x509.Certificate, issuer: x509.Certificate, at: datetime
    ) -> _OcspAnswer:
        key = (url, _key_id(issuer), certificate.serial_number)
        with self._lock:
            cached = self._ocsp.get(key)
        if cached is not None and cached.next_update is not None and at < cached.next_update:
            return cached
        request = (
            ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, hashes.SHA1()).build()
        )  # RFC 6960's CertID hash
        content = self._fetch(
            "POST", url, request.public_bytes(serialization.Encoding.DER), {"Content-Type": OCSP_REQUEST}
        )
        answer = _read_ocsp(content, request, issuer, at)
        with self._lock:
            if answer.next_update is not None:
                self._ocsp[key] = answer
        return answer

    # CRL

    def _crl(self, url: str, issuer: x509.Certificate, at: datetime) -> x509.CertificateRevocationList:
        key = (url, _key_id(issuer))
        with self._lock:
            cached = self._crls.get(key)
        if cached is not None and cached.next_update_utc is not None and at < cached.next_update_utc:
            return cached
        content = self._fetch("GET", url, None, {})
        try:
            crl = (
                x509.load_pem_x509_crl(content)
                if content.lstrip().startswith(b"-----")
                else x509.load_der_x509_crl(content)
            )
        except ValueError as exc:
            raise RevocationSourceUnusable(f"the answer is not a CRL: {exc}") from exc
        if crl.issuer != issuer.subject or not crl.is_signature_valid(issuer.public_key()):  # type: ignore[arg-type]
            raise RevocationSourceUnusable(f"the CRL is not signed by {issuer.subject.rfc4514_string()}")
        if crl.next_update_utc is None or crl.next_update_utc <= at:
            raise RevocationSourceUnusable(f"the CRL expired (nextUpdate {crl.next_update_utc}, now {at})")
        if crl.last_update_utc > at + CLOCK_SKEW:
            raise RevocationSourceUnusable(f"the CRL is dated in the future ({crl.last_update_utc}, now {at})")
        with self._lock:
            self._crls[key] = crl
        return crl

    def _fetch(self, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> bytes:
        try:
            with self._client.stream(method, url, content=body, headers=headers, timeout=self._timeout) as answer:
                if answer.status_code != 200:
                    raise RevocationSourceUnusable(f"HTTP {answer.status_code}")
                content = bytearray()
                for chunk in answer.iter_bytes():
                    content += chunk
                    if len(content) > self._max_bytes:
                        raise RevocationSourceUnusable(f"the answer is over {self._max_bytes} bytes")
        except httpx.HTTPError as exc:
            raise RevocationSourceUnusable(f"cannot be reached: {exc}") from exc
        return bytes(content)


def _read_ocsp(content: bytes, request: ocsp.OCSPRequest, issuer: x509.Certificate, at: datetime) -> _OcspAnswer:
    try:
        response = ocsp.load_der_ocsp_response(content)
    except ValueError as exc:
        raise RevocationSourceUnusable(f"the answer is not an OCSP response: {exc}") from exc
    if response.response_status is not ocsp.OCSPResponseStatus.SUCCESSFUL:
        raise RevocationSourceUnusable(f"the responder answered {response.response_status.name}")
    signer = _responder_key(response, issuer)
    try:
        algorithm = response.signature_hash_algorithm
    except UnsupportedAlgorithm as exc:
        raise RevocationSourceUnusable(str(exc)) from exc
    _verify_signature(signer, response.signature, response.tbs_response_bytes, algorithm)
    single = next(
        (
            one
            for one in response.responses
            if one.serial_number == request.serial_number
            and one.issuer_key_hash == request.issuer_key_hash
            and one.issuer_name_hash == request.issuer_name_hash
        ),
        None,
    )
    if single is None:
        raise RevocationSourceUnusable("the answer is not about the certificate asked about")
    if single.this_update_utc > at + CLOCK_SKEW:
        raise RevocationSourceUnusable(f"the answer is dated in the future ({single.this_update_utc}, now {at})")
    if single.next_update_utc is not None and single.next_update_utc <= at:
        raise RevocationSourceUnusable(f"the answer is stale (nextUpdate {single.next_update_utc}, now {at})")
    return _OcspAnswer(
        status=single.certificate_status,
        revoked_at=single.revocation_time_utc,
        reason=single.revocation_reason,
        next_update=single.next_update_utc,
    )


def _responder_key(response: ocsp.OCSPResponse, issuer: x509.Certificate) -> object:
    """The key that must have signed ``response``: the issuer's, or a responder certificate's that the issuer
    issued for OCSP signing (RFC 6960 §4.2.2.2)."""
    issuer_key_hash = x509.SubjectKeyIdentifier.from_public_key(issuer.public_key()).digest  # type: ignore[arg-type]
    if response.responder_name == issuer.subject or response.responder_key_hash == issuer_key_hash:
        return issuer.public_key()
    for delegate in response.certificates:
        if delegate.issuer != issuer.subject:
            continue
        try:
            delegate.verify_directly_issued_by(issuer)
            purposes = delegate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except (ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
            continue
        if ExtendedKeyUsageOID.OCSP_SIGNING in purposes:
            return delegate.public_key()
    raise RevocationSourceUnusable("the answer is signed neither by the issuer nor by a responder it delegated")


def _judge_ocsp(answer: _OcspAnswer, certificate: x509.Certificate) -> None:
    if answer.status is ocsp.OCSPCertStatus.GOOD:
        return
    who = subject_of(certificate).describe()
    if answer.status is ocsp.OCSPCertStatus.REVOKED:
        reason = f" ({answer.reason.value})" if answer.reason is not None else ""
        raise CertificateRejected(
            RejectionReason.REVOKED, f"certificate of {who} was revoked on {answer.revoked_at}{reason} (OCSP)"
        )
    raise CertificateRejected(
        RejectionReason.UNKNOWN, f"the NCA's OCSP responder does not know the certificate of {who}"
    )


def _crl_reason(revoked: x509.RevokedCertificate) -> str:
    try:
        return f" ({revoked.extensions.get_extension_for_class(x509.CRLReason).value.reason.value})"
    except x509.ExtensionNotFound:
        return ""
