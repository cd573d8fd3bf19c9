"""The NCA (mocks/nca/app.py) served over HTTP, with a verifier checking revocation online against it: the tester
API's certificates, hold and release on the shared clock, the protected certificates, OCSP over POST and GET."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from lxml import etree

from adapters.pki import (
    CertificateRejected,
    Credential,
    OnlineRevocationCheck,
    PkiLayout,
    RejectionReason,
    TrustStore,
)
from adapters.signatures import sign_envelope, verify_envelope
from ecosystem.catalogue import SYSTEMS
from ecosystem.settings import Settings
from egov_sim.launcher import free_ports, prepare_data_folder
from tests.integration.conftest import ServedSystems

START = "virtual:2026-03-02T09:00:00+05:00"


@dataclass
class Nca:
    client: httpx.Client
    layout: PkiLayout

    def trust(self) -> TrustStore:
        return self.layout.trust_store(OnlineRevocationCheck())  # asks the URLs the certificates name

    def issue(self, **request: object) -> dict[str, str]:
        answer = self.client.post("/api/certificates", json={"holder": "person", "iin": "900101300123", **request})
        assert answer.status_code == 201, answer.text
        body: dict[str, str] = answer.json()
        return body

    def now(self) -> dt.datetime:
        """The ecosystem's time as the NCA reads it (this process's clock re-reads the shared file at most
        every RELOAD_SECONDS)."""
        return dt.datetime.fromisoformat(self.client.get("/admin/clock").json()["now"])

    def advance(self, period: str) -> None:
        assert self.client.post("/admin/clock", json={"advance": period}).status_code == 200


@pytest.fixture(scope="module")
def nca(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nca]:
    ports = dict(zip([s.name for s in SYSTEMS], free_ports(len(SYSTEMS)), strict=True))
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("egov-nca"),
        ports=ports,
        clock=START,
        revocation={"source": "online"},
        nca={"ocsp_validity": "PT5M", "crl_validity": "PT1H"},
    )
    prepare_data_folder(settings)
    served = ServedSystems(settings)
    served.start("nca")
    try:
        with httpx.Client(base_url=settings.base_url("nca")) as client:
            yield Nca(client, PkiLayout(settings.data_dir))
    finally:
        served.stop()


def _certificate(issued: dict[str, str]) -> x509.Certificate:
    return x509.load_pem_x509_certificate(issued["certificatePem"].encode())


def test_provisioned_certificates_name_the_nca(nca: Nca) -> None:
    gateway = nca.layout.load_credential(nca.layout.system("gateway")).certificate
    access = gateway.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    assert next(str(a.access_location.value) for a in access).endswith("/ocsp")
    purposes = gateway.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.ObjectIdentifier("1.2.398.3.3.4.1.2") in purposes  # a system: organisation
    nca.trust().verify(gateway, nca.now())


def test_hold_takes_effect_within_the_answers_freshness_and_can_be_released(nca: Nca) -> None:
    issued = nca.issue()
    certificate = _certificate(issued)
    trust = nca.trust()
    trust.verify(certificate, nca.now())
    held = nca.client.post(f"/api/certificates/{issued['serial']}/revoke", json={"reason": "certificateHold"})
    assert held.status_code == 200 and held.json()["status"] == "revoked"
    trust.verify(certificate, nca.now())  # the cached "good" is fresh for 5 minutes
    nca.advance("PT5M")
    with pytest.raises(CertificateRejected) as refused:
        trust.verify(certificate, nca.now())
    assert refused.value.reason is RejectionReason.REVOKED
    assert nca.client.delete(f"/api/certificates/{issued['serial']}/hold").json()["status"] == "good"
    nca.advance("PT5M")
    trust.verify(certificate, nca.now())
    final = nca.client.post(f"/api/certificates/{issued['serial']}/revoke", json={"reason": "keyCompromise"})
    assert final.status_code == 200
    assert nca.client.delete(f"/api/certificates/{issued['serial']}/hold").status_code == 409


@pytest.mark.parametrize(
    ("request_", "reason"),
    [
        ({"validity": "expired"}, RejectionReason.EXPIRED),
        ({"validity": "not_yet_valid"}, RejectionReason.NOT_YET_VALID),
        ({"untrusted": True}, RejectionReason.CHAIN_INVALID),
    ],
)
def test_bad_certificates_on_request(nca: Nca, request_: dict[str, object], reason: RejectionReason) -> None:
    with pytest.raises(CertificateRejected) as refused:
        nca.trust().verify(_certificate(nca.issue(**request_)), nca.now())
    assert refused.value.reason is reason


def test_a_system_certificate_with_chosen_period_and_purpose(nca: Nca) -> None:
    issued = nca.client.post(
        "/api/certificates",
        json={
            "holder": "system",
            "bin": "123456789012",
            "name": "SUT_SYSTEM",
            "notBefore": "2026-03-01T00:00:00+05:00",
            "notAfter": "2026-04-01T00:00:00+05:00",
            "purposes": ["1.2.398.3.3.4.1.1"],
        },
    ).json()
    certificate = _certificate(issued)
    assert "OU=BIN123456789012" in issued["subject"] and issued["purposes"][0] == "1.2.398.3.3.4.1.1"
    assert certificate.not_valid_after_utc == dt.datetime(2026, 3, 31, 19, 0, tzinfo=dt.UTC)
    assert serialization.load_pem_private_key(issued["keyPem"].encode(), None).public_key() == certificate.public_key()


def test_the_gateway_and_the_cas_cannot_be_revoked_by_testers(nca: Nca) -> None:
    for base in (nca.layout.system("gateway"), nca.layout.root_ca, nca.layout.issuing_ca):
        serial = x509.load_pem_x509_certificate(base.with_suffix(".pem").read_bytes()).serial_number
        assert nca.client.post(f"/api/certificates/{serial}/revoke", json={}).status_code == 403
    assert nca.client.post("/api/certificates/12345/revoke", json={}).status_code == 404
    bad = nca.client.post("/api/certificates", json={"holder": "person", "iin": "12"})
    assert bad.status_code == 422


def test_ocsp_over_get_and_refusals(nca: Nca) -> None:
    certificate = _certificate(nca.issue())
    issuer = x509.load_pem_x509_certificate(nca.layout.issuing_ca.with_suffix(".pem").read_bytes())
    request = ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, hashes.SHA1()).build()
    encoded = quote(base64.b64encode(request.public_bytes(serialization.Encoding.DER)).decode(), safe="")
    answer = nca.client.get(f"/ocsp/{encoded}")
    assert answer.headers["content-type"] == "application/ocsp-response"
    assert ocsp.load_der_ocsp_response(answer.content).certificate_status is ocsp.OCSPCertStatus.GOOD
    assert nca.client.post("/ocsp", content=b"x", headers={"Content-Type": "text/plain"}).status_code == 415
    crl = x509.load_pem_x509_crl(nca.client.get("/crl/root.crl").content)
    assert crl.next_update_utc == crl.last_update_utc + dt.timedelta(hours=1)


def test_an_ec_certificate_on_request_signs_ecdsa_sha256_and_is_found_by_its_serial(nca: Nca) -> None:
    issued = nca.issue(holder="system", bin="990140000003", name="tester_system", iin=None, keyType="ec")
    certificate = _certificate(issued)
    key = serialization.load_pem_private_key(issued["keyPem"].encode(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1)
    envelope = etree.fromstring(
        '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><x/></soap:Body>'
        "</soap:Envelope>"
    )
    signed = etree.fromstring(etree.tostring(sign_envelope(envelope, Credential(key, certificate))))
    trust = nca.trust()
    assert verify_envelope(signed, trust, nca.now()).signer.bin == "990140000003"
    assert trust.find_issued(certificate.issuer, certificate.serial_number) == certificate
