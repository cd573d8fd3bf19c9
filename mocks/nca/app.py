"""Composition root of the test national certifying centre over HTTP: ``create_app(settings)``.

The NCA publishes its CA certificates and its CRL, and (as a test tool) shows and
revokes the certificates it issued. On start it issues whatever of the test PKI is missing
(:func:`mocks.nca.provisioning.ensure_test_pki`). A revocation publishes a new CRL file, which every
system's trust store re-reads (``PkiLayout.trust_store()``), so the gateway refuses the certificate at
once (SCE005, docs/protocol.md §3).

- ``GET /health``
- ``GET /ca/root.pem``, ``GET /ca/issuing.pem``: the CA certificates (PEM)
- ``GET /crl/issuing.crl``: the issuing CA's CRL (PEM), ``GET /crl/root.crl``: the root's CRL (its direct
  issues); each made on request at the NCA's time, valid for ``settings.nca.crl_validity`` (its nextUpdate)
- ``POST /ocsp`` (``application/ocsp-request``) and ``GET /ocsp/{base64 request}``: the OCSP responder
  (:mod:`mocks.nca.ocsp_responder`), answers valid for ``settings.nca.ocsp_validity``
- ``/api/certificates``: the tester API (:mod:`mocks.nca.tester_api`)
- ``GET /admin/certificates/{kind}/{name}``: subject, serial and validity of one issued certificate
- ``POST /admin/revoke`` ``{"kind": ..., "name": ...}``: revoke it; answers the revoked serial

Every certificate names the OCSP responder and its CRL at ``settings.base_url("nca")`` (docs/pki.md).
"""

from __future__ import annotations

import base64
import binascii
import re
from enum import StrEnum
from pathlib import Path
from urllib.parse import unquote

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.ocsp import OCSPCertStatus
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel

from adapters.pki import PkiLayout, subject_of
from ecosystem.app import create_system_app
from ecosystem.context import system_context
from ecosystem.settings import Settings
from kernel.clock import almaty
from mocks.nca import ocsp_responder
from mocks.nca.authority import CertificateAuthority
from mocks.nca.issued import IssuedCertificates
from mocks.nca.ocsp_responder import GOOD, UNKNOWN, CertificateStatus, ResponderCa
from mocks.nca.provisioning import (
    ensure_test_pki,
    issuing_crl,
    revocations,
    revoke,
    revoked_serials,
    root_authority,
)
from mocks.nca.tester_api import PREFIX as TESTER_API
from mocks.nca.tester_api import tester_router

SYSTEM = "nca"
PEM_CERTIFICATE = "application/x-pem-file"
PEM_CRL = "application/pkix-crl"
OCSP_RESPONSE = "application/ocsp-response"
MAX_OCSP_REQUEST_BYTES = 16_384  # one CertID is about 100 bytes
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


class CertificateKind(StrEnum):
    SYSTEMS = "systems"
    PERSONS = "persons"
    OFFICIALS = "officials"


class RevocationRequest(BaseModel):
    kind: CertificateKind
    name: str


class CertificateView(BaseModel):
    kind: CertificateKind
    name: str
    subject: str
    commonName: str
    iin: str | None
    bin: str | None
    serial: str
    notBefore: str
    notAfter: str
    revoked: bool


class RevocationView(BaseModel):
    kind: CertificateKind
    name: str
    serial: str
    revokedAt: str


def certificate_base(layout: PkiLayout, kind: CertificateKind, name: str) -> Path:
    """Where a certificate of ``kind`` named ``name`` lives (a system name, an IIN or an official's role)."""
    if not _SAFE_NAME.match(name) or name.startswith("."):
        raise HTTPException(422, f"{name!r} is not a certificate name (letters, digits, '-', '_', '.')")
    if kind is CertificateKind.SYSTEMS:
        return layout.system(name)
    if kind is CertificateKind.PERSONS:
        return layout.person(name)
    return layout.official(name)


def load_certificate(layout: PkiLayout, kind: CertificateKind, name: str) -> x509.Certificate:
    path = certificate_base(layout, kind, name).with_suffix(".pem")
    if not path.is_file():
        raise HTTPException(404, f"the NCA has issued no certificate for {kind.value}/{name}")
    return x509.load_pem_x509_certificate(path.read_bytes())


def create_app(settings: Settings) -> FastAPI:
    layout = PkiLayout(settings.data_dir)
    nca_url = settings.base_url(SYSTEM)
    ensure_test_pki(layout, population_seed=settings.population_seed, nca_url=nca_url)
    context = system_context(settings, SYSTEM)
    issued = IssuedCertificates(layout)
    root = layout.load_credential(layout.root_ca)
    issuing = layout.load_credential(layout.issuing_ca)

    app = create_system_app(
        context,
        title="national certifying centre (test PKI)",
        description="CA certificates, CRLs, OCSP, certificates on request for testers, and a test admin API",
        guarded=(TESTER_API,),
    )
    app.include_router(tester_router(layout, issued, nca_url, context.now))

    def issuing_status(serial: int) -> CertificateStatus:
        entry = revocations(layout).get(serial)
        if entry is not None:
            return CertificateStatus(OCSPCertStatus.REVOKED, entry.at, entry.reason)
        return GOOD if issued.path_of(serial) is not None else UNKNOWN

    def root_status(serial: int) -> CertificateStatus:
        return GOOD if serial == issuing.certificate.serial_number else UNKNOWN

    responder = [ResponderCa(issuing, issuing_status), ResponderCa(root, root_status)]

    def ocsp_answer(request_der: bytes) -> Response:
        content = ocsp_responder.answer(request_der, responder, context.now(), settings.nca.ocsp_validity)
        return Response(content, media_type=OCSP_RESPONSE)

    def pem(path: Path, media_type: str) -> Response:
        if not path.is_file():
            raise HTTPException(404, f"{path.name} has not been published yet")
        return Response(path.read_bytes(), media_type=media_type)

    @app.get("/ca/root.pem")
    def root_certificate() -> Response:
        return pem(layout.root_ca.with_suffix(".pem"), PEM_CERTIFICATE)

    @app.get("/ca/issuing.pem")
    def issuing_certificate() -> Response:
        return pem(layout.issuing_ca.with_suffix(".pem"), PEM_CERTIFICATE)

    @app.get("/crl/issuing.crl")
    def issuing_list() -> Response:
        now = context.now()
        entries = list(revocations(layout).values())
        crl = issuing_crl(CertificateAuthority(issuing), entries, now, settings.nca.crl_validity)
        return Response(crl.public_bytes(serialization.Encoding.PEM), media_type=PEM_CRL)

    @app.get("/crl/root.crl")
    def root_list() -> Response:
        crl = root_authority(layout, nca_url).crl([], context.now(), settings.nca.crl_validity)
        return Response(crl.public_bytes(serialization.Encoding.PEM), media_type=PEM_CRL)

    @app.post("/ocsp")
    async def ocsp_post(request: Request) -> Response:
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/ocsp-request":
            raise HTTPException(415, "an OCSP request is sent as application/ocsp-request")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_OCSP_REQUEST_BYTES:
                raise HTTPException(413, f"an OCSP request is at most {MAX_OCSP_REQUEST_BYTES} bytes")
        return ocsp_answer(bytes(body))

    @app.get("/ocsp/{encoded:path}")
    def ocsp_get(encoded: str) -> Response:
        text = unquote(encoded)
        if len(text) > 2 * MAX_OCSP_REQUEST_BYTES:
            raise HTTPException(414, "the OCSP request in the URL is too long")
        try:
            request_der = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            try:
                request_der = base64.urlsafe_b64decode(text)
            except (binascii.Error, ValueError) as exc:
                raise HTTPException(400, "the OCSP request in the URL is not base64") from exc
        return ocsp_answer(request_der)

    @app.get("/admin/certificates/{kind}/{name}")
    def certificate(kind: CertificateKind, name: str) -> CertificateView:
        found = load_certificate(layout, kind, name)
        subject = subject_of(found)
        revoked = {serial for serial, _ in revoked_serials(layout)}
        return CertificateView(
            kind=kind,
            name=name,
            subject=found.subject.rfc4514_string(),
            commonName=subject.common_name,
            iin=subject.iin,
            bin=subject.bin,
            serial=str(found.serial_number),
            notBefore=found.not_valid_before_utc.astimezone(almaty()).isoformat(),
            notAfter=found.not_valid_after_utc.astimezone(almaty()).isoformat(),
            revoked=found.serial_number in revoked,
        )

    @app.post("/admin/revoke")
    def revoke_certificate(request: RevocationRequest) -> RevocationView:
        found = load_certificate(layout, request.kind, request.name)
        at = context.now()
        revoke(layout, found, at)
        return RevocationView(
            kind=request.kind,
            name=request.name,
            serial=str(found.serial_number),
            revokedAt=at.astimezone(almaty()).isoformat(),
        )

    return app
