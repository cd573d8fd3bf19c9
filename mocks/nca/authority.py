"""Issue the test PKI with ``cryptography``: a root CA, an issuing CA, and end-entity certificates.

Subjects follow the national certifying centre's layout: a person's IIN in ``SERIALNUMBER`` as ``IIN`` + 12 digits, an
organisation's BIN in ``OU`` as ``BIN`` + 12 digits, ``CN`` surname and name, ``SURNAME``,
``GIVENNAME`` (patronymic), ``O``, ``C=KZ``; the national certifying centre's key-purpose OIDs go into the extended
key usage (not the certificate policies: the EKU is what a verifier matches a key's purpose against).

Every certificate a CA issues with :class:`RevocationUrls` names where its revocation is published: the
NCA's OCSP responder in the Authority Information Access (``id-ad-ocsp``) and the issuer's CRL in the CRL
distribution points (docs/pki.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from adapters.pki import Credential
from adapters.pki import KeyPurpose as KeyPurpose  # the NCA's key purposes, named where they are checked
from adapters.pki.credentials import SigningKey


@dataclass(frozen=True)
class PersonName:
    surname: str
    given_name: str
    patronymic: str | None = None


KEY_SIZE = 2048
OCSP_PATH = "/ocsp"
ROOT_CRL_PATH = "/crl/root.crl"
ISSUING_CRL_PATH = "/crl/issuing.crl"


@dataclass(frozen=True)
class RevocationUrls:
    """Where a CA's issues are checked: the OCSP responder and the CA's own CRL (named in each certificate)."""

    ocsp: str
    crl: str

    @classmethod
    def of_nca(cls, nca_url: str, crl_path: str) -> RevocationUrls:
        base = nca_url.rstrip("/")
        return cls(ocsp=f"{base}{OCSP_PATH}", crl=f"{base}{crl_path}")

    def extensions(self) -> list[x509.ExtensionType]:
        return [
            x509.AuthorityInformationAccess(
                [x509.AccessDescription(AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(self.ocsp))]
            ),
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        full_name=[x509.UniformResourceIdentifier(self.crl)],
                        relative_name=None,
                        reasons=None,
                        crl_issuer=None,
                    )
                ]
            ),
        ]


KeyType = Literal["rsa", "ec"]
"""RSA (``KEY_SIZE`` bits, the default) or EC on NIST P-256 (ECDSA-SHA256 signatures, ``docs/signing.md``)."""


def _new_key(key_type: KeyType = "rsa") -> SigningKey:
    if key_type == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def _name(attributes: list[tuple[x509.ObjectIdentifier, str]]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes if value])


class CertificateAuthority:
    """A CA that can issue certificates. Built by :func:`create_root` or loaded from files."""

    def __init__(self, credential: Credential, urls: RevocationUrls | None = None) -> None:
        self.credential = credential
        self.urls = urls

    def _builder(
        self,
        subject: x509.Name,
        public_key: rsa.RSAPublicKey | ec.EllipticCurvePublicKey,
        not_before: dt.datetime,
        not_after: dt.datetime,
    ) -> x509.CertificateBuilder:
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.credential.certificate.subject)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.credential.certificate.public_key()),  # type: ignore[arg-type]
                critical=False,
            )
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        )
        for extension in self.urls.extensions() if self.urls else []:
            builder = builder.add_extension(extension, critical=False)
        return builder

    def _sign(self, builder: x509.CertificateBuilder) -> x509.Certificate:
        return builder.sign(self.credential.key, hashes.SHA256())  # type: ignore[arg-type]

    def issue_ca(self, common_name: str, now: dt.datetime, days: int = 3650) -> CertificateAuthority:
        key = _new_key()
        subject = _name(
            [
                (NameOID.COMMON_NAME, common_name),
                (NameOID.ORGANIZATION_NAME, "egov-sim test NCA"),
                (NameOID.COUNTRY_NAME, "KZ"),
            ]
        )
        builder = (
            self._builder(subject, key.public_key(), now - dt.timedelta(days=1), now + dt.timedelta(days=days - 1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_ca_key_usage(), critical=True)
        )
        return CertificateAuthority(Credential(key=key, certificate=self._sign(builder)))

    def issue_system(
        self, system_name: str, bin_: str, organisation: str, now: dt.datetime, days: int = 730
    ) -> Credential:
        """A transport certificate of an information system (BIN in OU), key purpose organisation."""
        subject = system_subject(system_name, bin_, organisation)
        return self.issue(subject, now, now + dt.timedelta(days=days), (KeyPurpose.ORGANISATION,))

    def issue_person(
        self,
        iin: str,
        name: PersonName,
        now: dt.datetime,
        days: int = 365,
        organisation: str | None = None,
        bin_: str | None = None,
        purposes: tuple[KeyPurpose, ...] = (KeyPurpose.INDIVIDUAL,),
        not_before: dt.datetime | None = None,
    ) -> Credential:
        """A person's signing certificate (IIN in SERIALNUMBER); an official's also names the organisation."""
        start = not_before or now - dt.timedelta(days=1)
        subject = person_subject(iin, name, organisation, bin_)
        return self.issue(subject, start, start + dt.timedelta(days=days), purposes)

    def issue(
        self,
        subject: x509.Name,
        not_before: dt.datetime,
        not_after: dt.datetime,
        purposes: tuple[KeyPurpose, ...],
        key_type: KeyType = "rsa",
    ) -> Credential:
        """An end-entity signing certificate of ``subject`` with a new key of ``key_type``, the ``purposes`` in
        its EKU."""
        key = _new_key(key_type)
        usages = [x509.ObjectIdentifier(p.value) for p in purposes] + [ExtendedKeyUsageOID.CLIENT_AUTH]
        builder = (
            self._builder(subject, key.public_key(), not_before, not_after)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_signing_key_usage(), critical=True)
            .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        )
        return Credential(key=key, certificate=self._sign(builder))

    def crl(
        self,
        revoked: list[tuple[int, dt.datetime]],
        now: dt.datetime,
        valid_for: dt.timedelta,
        reasons: dict[int, x509.ReasonFlags] | None = None,
    ) -> x509.CertificateRevocationList:
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.credential.certificate.subject)
            .last_update(now)
            .next_update(now + valid_for)
        )
        for serial, when in revoked:
            entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when)
            reason = (reasons or {}).get(serial)
            if reason is not None and reason is not x509.ReasonFlags.unspecified:
                entry = entry.add_extension(x509.CRLReason(reason), critical=False)
            builder = builder.add_revoked_certificate(entry.build())
        return builder.sign(self.credential.key, hashes.SHA256())  # type: ignore[arg-type]


def system_subject(system_name: str, bin_: str, organisation: str) -> x509.Name:
    """An information system's subject: CN its name, O, OU ``BIN`` + 12 digits, C=KZ."""
    return _name(
        [
            (NameOID.COMMON_NAME, system_name),
            (NameOID.ORGANIZATION_NAME, organisation),
            (NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{bin_}"),
            (NameOID.COUNTRY_NAME, "KZ"),
        ]
    )


def person_subject(iin: str, name: PersonName, organisation: str | None = None, bin_: str | None = None) -> x509.Name:
    """A person's subject: CN surname and name, SURNAME, SERIALNUMBER ``IIN`` + 12 digits, C=KZ, GIVENNAME the
    patronymic; an official's also O and OU ``BIN`` + 12 digits."""
    return _name(
        [
            (NameOID.COMMON_NAME, f"{name.surname} {name.given_name}".upper()),
            (NameOID.SURNAME, name.surname.upper()),
            (NameOID.SERIAL_NUMBER, f"IIN{iin}"),
            (NameOID.COUNTRY_NAME, "KZ"),
            (NameOID.ORGANIZATION_NAME, organisation or ""),
            (NameOID.ORGANIZATIONAL_UNIT_NAME, f"BIN{bin_}" if bin_ else ""),
            (NameOID.GIVEN_NAME, (name.patronymic or "").upper()),
        ]
    )


def create_root(now: dt.datetime, days: int = 7300, common_name: str = "egov-sim test root CA") -> CertificateAuthority:
    key = _new_key()
    subject = _name(
        [
            (NameOID.COMMON_NAME, common_name),
            (NameOID.ORGANIZATION_NAME, "egov-sim test NCA"),
            (NameOID.COUNTRY_NAME, "KZ"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
        .add_extension(_ca_key_usage(), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return CertificateAuthority(Credential(key=key, certificate=certificate))


def _ca_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=False,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=True,
        encipher_only=False,
        decipher_only=False,
    )


def _signing_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
