"""Composition root of the test national certifying centre over HTTP: ``create_app(settings)``.

The NCA publishes its CA certificates and its CRL, and (as a test tool) shows and
revokes the certificates it issued. On start it issues whatever of the test PKI is missing
(:func:`mocks.nca.provisioning.ensure_test_pki`). A revocation publishes a new CRL file, which every
system's trust store re-reads (``PkiLayout.trust_store()``), so the gateway refuses the certificate at
once (SCE005, docs/protocol.md §3).

- ``GET /health``
- ``GET /ca/root.pem``, ``GET /ca/issuing.pem``: the CA certificates (PEM)
- ``GET /crl/issuing.crl``: the issuing CA's CRL (PEM)
- ``GET /admin/certificates/{kind}/{name}``: subject, serial and validity of one issued certificate
- ``POST /admin/revoke`` ``{"kind": ..., "name": ...}``: revoke it; answers the revoked serial
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

from cryptography import x509
from fastapi import FastAPI, HTTPException
from fastapi.responses import Response
from pydantic import BaseModel

from adapters.pki import PkiLayout, subject_of
from ecosystem.app import create_system_app
from ecosystem.context import system_context
from ecosystem.settings import Settings
from kernel.clock import almaty
from mocks.nca.provisioning import ensure_test_pki, revoke, revoked_serials

SYSTEM = "nca"
PEM_CERTIFICATE = "application/x-pem-file"
PEM_CRL = "application/pkix-crl"
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
    ensure_test_pki(layout, population_seed=settings.population_seed)
    context = system_context(settings, SYSTEM)

    app = create_system_app(
        context,
        title="national certifying centre (test PKI)",
        description="CA certificates, CRL, and a test admin API to look up and revoke certificates",
    )

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
    def issuing_crl() -> Response:
        return pem(layout.crl, PEM_CRL)

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
