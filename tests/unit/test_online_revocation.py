"""The online revocation check (adapters/pki/revocation.py) against the NCA's OCSP responder and CRLs
(mocks/nca/ocsp_responder.py), over an in-memory HTTP transport: answers, signatures, the cache, fallbacks."""

from __future__ import annotations

import datetime as dt
import logging

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from adapters.pki import CertificateRejected, OnlineRevocationCheck, RejectionReason, TrustStore, revocation_sources
from mocks.nca import ocsp_responder
from mocks.nca.authority import (
    ISSUING_CRL_PATH,
    ROOT_CRL_PATH,
    CertificateAuthority,
    KeyPurpose,
    PersonName,
    RevocationUrls,
    create_root,
)
from mocks.nca.ocsp_responder import GOOD, UNKNOWN, CertificateStatus, ResponderCa

NCA = "http://nca.test:8090"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
OCSP_VALIDITY = dt.timedelta(minutes=5)
CRL_VALIDITY = dt.timedelta(hours=1)


class FakeNca:
    """The NCA's OCSP responder and CRLs behind an httpx transport, on a clock the test moves."""

    def __init__(self) -> None:
        self.now = START
        root = create_root(START - dt.timedelta(days=10))
        self.root = CertificateAuthority(root.credential, RevocationUrls.of_nca(NCA, ROOT_CRL_PATH))
        issuing = self.root.issue_ca("test issuing CA", START - dt.timedelta(days=5))
        self.issuing = CertificateAuthority(issuing.credential, RevocationUrls.of_nca(NCA, ISSUING_CRL_PATH))
        self.person = self.issuing.issue_person("900101300123", PersonName("Тестов", "Тест"), START)
        self.revoked: dict[int, tuple[dt.datetime, x509.ReasonFlags]] = {}
        self.requests: list[str] = []
        self.ocsp_down = False
        self.crl_down = False
        self.crl_age = dt.timedelta(0)  # serve a CRL made this long ago

    def _issuing_status(self, serial: int) -> CertificateStatus:
        if serial in self.revoked:
            at, reason = self.revoked[serial]
            return CertificateStatus(ocsp.OCSPCertStatus.REVOKED, at, reason)
        return GOOD if serial == self.person.certificate.serial_number else UNKNOWN

    def _root_status(self, serial: int) -> CertificateStatus:
        return GOOD if serial == self.issuing.credential.certificate.serial_number else UNKNOWN

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(f"{request.method} {request.url.path}")
        if request.url.path == "/ocsp":
            if self.ocsp_down:
                return httpx.Response(503)
            authorities = [
                ResponderCa(self.issuing.credential, self._issuing_status),
                ResponderCa(self.root.credential, self._root_status),
            ]
            return httpx.Response(
                200, content=ocsp_responder.answer(request.content, authorities, self.now, OCSP_VALIDITY)
            )
        if self.crl_down:
            raise httpx.ConnectError("connection refused", request=request)
        made = self.now - self.crl_age
        if request.url.path == ISSUING_CRL_PATH:
            entries = [(serial, at) for serial, (at, _) in self.revoked.items()]
            crl = self.issuing.crl(entries, made, CRL_VALIDITY)
        else:
            crl = self.root.crl([], made, CRL_VALIDITY)
        return httpx.Response(200, content=crl.public_bytes(serialization.Encoding.DER))

    def check(self, soft_fail: bool = False) -> OnlineRevocationCheck:
        return OnlineRevocationCheck(httpx.Client(transport=httpx.MockTransport(self.handle)), soft_fail=soft_fail)

    def trust(self, check: OnlineRevocationCheck) -> TrustStore:
        return TrustStore([self.root.credential.certificate], [self.issuing.credential.certificate], check)


@pytest.fixture
def nca() -> FakeNca:
    return FakeNca()


def test_certificates_name_the_ocsp_responder_and_their_issuers_crl(nca: FakeNca) -> None:
    person = revocation_sources(nca.person.certificate)
    assert person.ocsp == (f"{NCA}/ocsp",) and person.crl == (f"{NCA}{ISSUING_CRL_PATH}",)
    ca = revocation_sources(nca.issuing.credential.certificate)
    assert ca.crl == (f"{NCA}{ROOT_CRL_PATH}",)  # the root's direct issues: the root CRL
    purposes = nca.person.certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.ObjectIdentifier(KeyPurpose.INDIVIDUAL.value) in purposes


def _ask(nca: FakeNca, serial_of: x509.Certificate, issuer: CertificateAuthority) -> ocsp.OCSPResponse:
    request = ocsp.OCSPRequestBuilder().add_certificate(serial_of, issuer.credential.certificate, hashes.SHA256())
    der = request.build().public_bytes(serialization.Encoding.DER)
    authorities = [ResponderCa(nca.issuing.credential, nca._issuing_status)]
    return ocsp.load_der_ocsp_response(ocsp_responder.answer(der, authorities, nca.now, OCSP_VALIDITY))


def test_the_responder_answers_good_revoked_unknown_signed_by_the_issuer(nca: FakeNca) -> None:
    good = _ask(nca, nca.person.certificate, nca.issuing)
    assert good.certificate_status is ocsp.OCSPCertStatus.GOOD
    assert good.this_update_utc == START and good.next_update_utc == START + OCSP_VALIDITY
    assert (
        good.responder_key_hash
        == x509.SubjectKeyIdentifier.from_public_key(
            nca.issuing.credential.certificate.public_key()  # type: ignore[arg-type]
        ).digest
    )
    nca.revoked[nca.person.certificate.serial_number] = (START, x509.ReasonFlags.key_compromise)
    revoked = _ask(nca, nca.person.certificate, nca.issuing)
    assert revoked.certificate_status is ocsp.OCSPCertStatus.REVOKED
    assert revoked.revocation_time_utc == START and revoked.revocation_reason is x509.ReasonFlags.key_compromise
    stranger = nca.issuing.issue_person("900101300124", PersonName("Чужой", "Тест"), START)
    assert _ask(nca, stranger.certificate, nca.issuing).certificate_status is ocsp.OCSPCertStatus.UNKNOWN
    other_ca = create_root(START)
    foreign = other_ca.issue_person("900101300125", PersonName("Чужой", "Тест"), START)
    assert _ask(nca, foreign.certificate, other_ca).response_status is ocsp.OCSPResponseStatus.UNAUTHORIZED
    malformed = ocsp_responder.answer(b"not DER", [], START, OCSP_VALIDITY)
    assert ocsp.load_der_ocsp_response(malformed).response_status is ocsp.OCSPResponseStatus.MALFORMED_REQUEST


def test_the_whole_chain_is_checked_and_answers_are_cached_while_fresh(nca: FakeNca) -> None:
    trust = nca.trust(nca.check())
    trust.verify(nca.person.certificate, START)
    assert nca.requests == ["POST /ocsp", "POST /ocsp"]  # the person's, then the issuing CA's (root's issue)
    for _ in range(20):
        trust.verify(nca.person.certificate, START + dt.timedelta(minutes=1))
    assert len(nca.requests) == 2  # the steady state asks nobody


def test_a_revocation_takes_effect_when_the_cached_answer_expires(nca: FakeNca) -> None:
    trust = nca.trust(nca.check())
    trust.verify(nca.person.certificate, START)
    nca.now = START + dt.timedelta(minutes=1)
    nca.revoked[nca.person.certificate.serial_number] = (nca.now, x509.ReasonFlags.certificate_hold)
    trust.verify(nca.person.certificate, START + dt.timedelta(minutes=4))  # the cached "good" is still fresh
    nca.now = START + OCSP_VALIDITY
    with pytest.raises(CertificateRejected) as refused:
        trust.verify(nca.person.certificate, nca.now)
    assert refused.value.reason is RejectionReason.REVOKED and "certificateHold" in str(refused.value)


def test_the_crl_is_the_fallback_and_is_cached_until_its_next_update(nca: FakeNca) -> None:
    nca.ocsp_down = True
    trust = nca.trust(nca.check())
    trust.verify(nca.person.certificate, START)
    crl_fetches = [r for r in nca.requests if r.startswith("GET")]
    assert crl_fetches == [f"GET {ISSUING_CRL_PATH}", f"GET {ROOT_CRL_PATH}"]
    nca.revoked[nca.person.certificate.serial_number] = (START, x509.ReasonFlags.unspecified)
    trust.verify(nca.person.certificate, START + dt.timedelta(minutes=59))  # the cached CRL, still fresh
    assert len([r for r in nca.requests if r.startswith("GET")]) == 2
    nca.now = START + CRL_VALIDITY
    with pytest.raises(CertificateRejected) as refused:
        trust.verify(nca.person.certificate, nca.now)
    assert refused.value.reason is RejectionReason.REVOKED


def test_an_expired_crl_or_an_unreachable_nca_fails_closed(nca: FakeNca) -> None:
    nca.ocsp_down = True
    nca.crl_age = CRL_VALIDITY + dt.timedelta(minutes=1)  # the list served is past its nextUpdate
    with pytest.raises(CertificateRejected) as stale:
        nca.trust(nca.check()).verify(nca.person.certificate, START)
    assert stale.value.reason is RejectionReason.UNKNOWN and "expired" in str(stale.value)
    nca.crl_down = True
    with pytest.raises(CertificateRejected) as down:
        nca.trust(nca.check()).verify(nca.person.certificate, START)
    assert down.value.reason is RejectionReason.UNKNOWN and "cannot be reached" in str(down.value)


def test_soft_fail_accepts_with_a_warning(nca: FakeNca, caplog: pytest.LogCaptureFixture) -> None:
    nca.ocsp_down = nca.crl_down = True
    with caplog.at_level(logging.WARNING, logger="egov_sim.pki.revocation"):
        nca.trust(nca.check(soft_fail=True)).verify(nca.person.certificate, START)
    assert "soft-fail" in caplog.text


def test_an_answer_not_signed_by_the_issuer_is_not_taken(nca: FakeNca) -> None:
    impostor = create_root(START)

    def forged(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/ocsp":
            asked = ocsp.load_der_ocsp_request(request.content)
            forged = (  # "good" for the NCA's CertID, but signed by the impostor
                ocsp.OCSPResponseBuilder()
                .add_response_by_hash(
                    asked.issuer_name_hash,
                    asked.issuer_key_hash,
                    asked.serial_number,
                    asked.hash_algorithm,
                    ocsp.OCSPCertStatus.GOOD,
                    START,
                    START + OCSP_VALIDITY,
                    None,
                    None,
                )
                .responder_id(ocsp.OCSPResponderEncoding.HASH, impostor.credential.certificate)
                .sign(impostor.credential.key, hashes.SHA256())  # type: ignore[arg-type]
            )
            return httpx.Response(200, content=forged.public_bytes(serialization.Encoding.DER))
        raise httpx.ConnectError("down", request=request)

    check = OnlineRevocationCheck(httpx.Client(transport=httpx.MockTransport(forged)))
    with pytest.raises(CertificateRejected) as refused:
        nca.trust(check).verify(nca.person.certificate, START)
    assert refused.value.reason is RejectionReason.UNKNOWN


def test_a_certificate_that_names_no_revocation_source_is_refused(nca: FakeNca) -> None:
    bare = CertificateAuthority(nca.issuing.credential).issue_person("900101300126", PersonName("Без", "Адреса"), START)
    with pytest.raises(CertificateRejected) as refused:
        nca.trust(nca.check()).verify(bare.certificate, START)
    assert refused.value.reason is RejectionReason.UNKNOWN and "names neither" in str(refused.value)


class CountingTrustStore(TrustStore):
    """A trust store that counts how often it looks for a certificate's issuer (a signature check each)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.issuer_lookups = 0

    def _issuer_of(self, certificate: x509.Certificate) -> x509.Certificate | None:
        self.issuer_lookups += 1
        return super()._issuer_of(certificate)


def test_the_chain_is_built_once_per_certificate_and_its_periods_and_revocation_judged_each_time(
    nca: FakeNca,
) -> None:
    trust = CountingTrustStore([nca.root.credential.certificate], [nca.issuing.credential.certificate], nca.check())
    chain = trust.verify(nca.person.certificate, START)
    assert [c.subject for c in chain] == [
        nca.person.certificate.subject,
        nca.issuing.credential.certificate.subject,
        nca.root.credential.certificate.subject,
    ]
    for minutes in range(1, 4):
        assert trust.verify(nca.person.certificate, START + dt.timedelta(minutes=minutes)) == chain
    assert trust.issuer_lookups == 2  # the person's issuer and the issuing CA's, once
    expired_at = nca.person.certificate.not_valid_after_utc + dt.timedelta(seconds=1)
    with pytest.raises(CertificateRejected) as expired:
        trust.verify(nca.person.certificate, expired_at)
    assert expired.value.reason is RejectionReason.EXPIRED
    nca.now = START + OCSP_VALIDITY
    nca.revoked[nca.person.certificate.serial_number] = (nca.now, x509.ReasonFlags.key_compromise)
    with pytest.raises(CertificateRejected) as revoked:
        trust.verify(nca.person.certificate, nca.now)
    assert revoked.value.reason is RejectionReason.REVOKED
    assert trust.issuer_lookups == 2


def test_a_certificate_that_does_not_chain_is_never_remembered(nca: FakeNca) -> None:
    trust = CountingTrustStore([nca.root.credential.certificate], [nca.issuing.credential.certificate], nca.check())
    foreign = create_root(START).issue_person("900101300125", PersonName("Чужой", "Тест"), START)
    for _ in range(2):
        with pytest.raises(CertificateRejected) as refused:
            trust.verify(foreign.certificate, START)
        assert refused.value.reason is RejectionReason.CHAIN_INVALID
    assert trust.issuer_lookups == 2
