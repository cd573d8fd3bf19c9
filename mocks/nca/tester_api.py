"""The NCA's tester API: certificates on request, for every bad-certificate case (docs/pki.md).

- ``POST /api/certificates``: issue a certificate for a person (IIN) or a system (BIN), valid, expired or not yet
  valid (or an explicit ``notBefore``/``notAfter``), with the key purposes asked for (default: individual for a
  person, organisation for a system), from the issuing CA or from a self-made CA in no trust store
  (``untrusted``), with an RSA key or an EC P-256 one (``keyType``); answers the PEM certificate and its PEM key.
- ``GET /api/certificates/{serial}``: what the NCA says of a serial (``good``, ``revoked`` with time and reason,
  ``unknown``).
- ``POST /api/certificates/{serial}/revoke`` ``{"reason": ...}``: revoke (``certificateHold`` can be undone).
- ``DELETE /api/certificates/{serial}/hold``: release a hold (off the CRL, OCSP ``good`` again); 409 otherwise.

The CA certificates and the gateway's own certificate cannot be revoked here (403). Like ``/admin``, these
routes need the admin token when one is set.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Literal

from cryptography import x509
from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field, model_validator

from adapters.pki import Credential, PkiLayout, revocation_sources
from kernel.clock import almaty
from mocks.nca.authority import KeyPurpose, KeyType, PersonName, person_subject, system_subject
from mocks.nca.issued import IssuedCertificates, untrusted_ca
from mocks.nca.provisioning import NotOnHold, issuing_authority, release_hold, revocations, revoke

PREFIX = "/api/certificates"
_TWELVE_DIGITS = re.compile(r"^\d{12}$")


class IssueRequest(BaseModel):
    holder: Literal["person", "system"]
    iin: str | None = Field(default=None, description="a person's IIN (12 digits)")
    bin: str | None = Field(default=None, description="a system's BIN, or an official's organisation (12 digits)")
    name: str | None = Field(default=None, max_length=128, description="a system's name / a person's 'Surname Name'")
    organisation: str | None = Field(default=None, max_length=128)
    validity: Literal["valid", "expired", "not_yet_valid"] = "valid"
    notBefore: dt.datetime | None = None
    notAfter: dt.datetime | None = None
    purposes: list[KeyPurpose] | None = Field(default=None, max_length=5)
    untrusted: bool = False
    keyType: KeyType = Field(default="rsa", description="rsa (2048 bits) or ec (P-256, for ECDSA-SHA256)")

    @model_validator(mode="after")
    def _consistent(self) -> IssueRequest:
        for label, value in (("iin", self.iin), ("bin", self.bin)):
            if value is not None and not _TWELVE_DIGITS.match(value):
                raise ValueError(f"{label} must be 12 digits")
        if self.holder == "person" and self.iin is None:
            raise ValueError("a person's certificate needs an iin")
        if self.holder == "system" and (self.bin is None or not self.name):
            raise ValueError("a system's certificate needs a bin and a name")
        if (self.notBefore is None) != (self.notAfter is None):
            raise ValueError("give both notBefore and notAfter, or neither (then validity says)")
        if self.notBefore is not None and self.notAfter is not None:
            if self.notBefore.tzinfo is None or self.notAfter.tzinfo is None:
                raise ValueError("notBefore and notAfter need a time zone (e.g. +05:00)")
            if self.notBefore >= self.notAfter:
                raise ValueError("notBefore must be before notAfter")
        return self


class IssuedView(BaseModel):
    serial: str
    subject: str
    issuer: str
    trusted: bool
    notBefore: str
    notAfter: str
    purposes: list[str]
    ocsp: list[str]
    crl: list[str]
    certificatePem: str
    keyPem: str


class RevokeRequest(BaseModel):
    reason: Literal[
        "unspecified",
        "keyCompromise",
        "affiliationChanged",
        "superseded",
        "cessationOfOperation",
        "certificateHold",
    ] = "unspecified"


class StatusView(BaseModel):
    serial: str
    status: Literal["good", "revoked", "unknown"]
    revokedAt: str | None = None
    reason: str | None = None


def _period(request: IssueRequest, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    if request.notBefore is not None and request.notAfter is not None:
        return request.notBefore, request.notAfter
    if request.validity == "expired":
        return now - dt.timedelta(days=400), now - dt.timedelta(days=35)
    if request.validity == "not_yet_valid":
        return now + dt.timedelta(days=30), now + dt.timedelta(days=395)
    return now - dt.timedelta(days=1), now + dt.timedelta(days=365)


def _subject(request: IssueRequest) -> x509.Name:
    if request.holder == "system":
        return system_subject(request.name or "", request.bin or "", request.organisation or request.name or "")
    surname, _, given = (request.name or "Тестов Тест").partition(" ")
    return person_subject(request.iin or "", PersonName(surname, given or "Тест"), request.organisation, request.bin)


def _view(credential: Credential, trusted: bool) -> IssuedView:
    certificate = credential.certificate
    sources = revocation_sources(certificate)
    purposes = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    return IssuedView(
        serial=str(certificate.serial_number),
        subject=certificate.subject.rfc4514_string(),
        issuer=certificate.issuer.rfc4514_string(),
        trusted=trusted,
        notBefore=certificate.not_valid_before_utc.astimezone(almaty()).isoformat(),
        notAfter=certificate.not_valid_after_utc.astimezone(almaty()).isoformat(),
        purposes=[oid.dotted_string for oid in purposes],
        ocsp=list(sources.ocsp),
        crl=list(sources.crl),
        certificatePem=credential.certificate_pem().decode("ascii"),
        keyPem=credential.key_pem().decode("ascii"),
    )


def _serial(text: str) -> int:
    if not text.isdigit() or len(text) > 50:
        raise HTTPException(422, f"{text!r} is not a serial number (decimal digits)")
    return int(text)


def tester_router(
    layout: PkiLayout, issued: IssuedCertificates, nca_url: str, now: Callable[[], dt.datetime]
) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["tester API"])
    protected = {
        x509.load_pem_x509_certificate(base.with_suffix(".pem").read_bytes()).serial_number: label
        for base, label in (
            (layout.root_ca, "the root CA's certificate"),
            (layout.issuing_ca, "the issuing CA's certificate"),
            (layout.system("gateway"), "the gateway's own certificate"),
        )
    }

    @router.post("", status_code=201)
    def issue(request: IssueRequest) -> IssuedView:
        start, end = _period(request, now())
        default = (KeyPurpose.INDIVIDUAL,) if request.holder == "person" else (KeyPurpose.ORGANISATION,)
        purposes = tuple(request.purposes) if request.purposes else default
        authority = untrusted_ca(layout, now()) if request.untrusted else issuing_authority(layout, nca_url)
        credential = authority.issue(_subject(request), start, end, purposes, request.keyType)
        if not request.untrusted:
            issued.record(credential)
        return _view(credential, trusted=not request.untrusted)

    @router.get("/{serial}")
    def status(serial: str) -> StatusView:
        number = _serial(serial)
        entry = revocations(layout).get(number)
        if entry is not None:
            at = entry.at.astimezone(almaty()).isoformat()
            return StatusView(serial=serial, status="revoked", revokedAt=at, reason=entry.reason.value)
        return StatusView(serial=serial, status="good" if issued.path_of(number) else "unknown")

    @router.post("/{serial}/revoke")
    def revoke_certificate(serial: str, request: RevokeRequest) -> StatusView:
        number = _serial(serial)
        if number in protected:
            raise HTTPException(403, f"{protected[number]} cannot be revoked through the tester API")
        certificate = issued.certificate(number)
        if certificate is None:
            raise HTTPException(404, f"the NCA's issuing CA has issued no certificate with serial {serial}")
        entry = revoke(layout, certificate, now(), x509.ReasonFlags(request.reason))
        at = entry.at.astimezone(almaty()).isoformat()
        return StatusView(serial=serial, status="revoked", revokedAt=at, reason=entry.reason.value)

    @router.delete("/{serial}/hold")
    def release(serial: str) -> StatusView:
        number = _serial(serial)
        try:
            release_hold(layout, number, now())
        except NotOnHold as exc:
            raise HTTPException(409, str(exc)) from exc
        return StatusView(serial=serial, status="good" if issued.path_of(number) else "unknown")

    return router
