"""A system's or person's signing credential, and where the test PKI keeps its files."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from adapters.pki.certificates import CertificateRejected, RejectionReason, RevocationCheck, TrustStore, subject_of
from adapters.pki.directory import CertificateDirectory
from adapters.pki.errors import CredentialMissing, CredentialUnusable

SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class Credential:
    """A private key and its certificate."""

    key: SigningKey
    certificate: x509.Certificate

    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def certificate_pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


class PkiLayout:
    """Files of the test PKI under ``<data_dir>/pki`` (written by the NCA mock, read by every system)."""

    def __init__(self, data_dir: Path) -> None:
        self.root = Path(data_dir) / "pki"

    @property
    def root_ca(self) -> Path:
        return self.root / "ca" / "root-ca"

    @property
    def issuing_ca(self) -> Path:
        return self.root / "ca" / "issuing-ca"

    @property
    def crl(self) -> Path:
        return self.root / "ca" / "issuing-ca.crl"

    def system(self, name: str) -> Path:
        return self.root / "systems" / name

    def person(self, iin: str) -> Path:
        return self.root / "persons" / iin

    def official(self, role: str) -> Path:
        return self.root / "officials" / role

    def is_initialised(self) -> bool:
        return self.root_ca.with_suffix(".pem").is_file() and self.issuing_ca.with_suffix(".pem").is_file()

    @staticmethod
    def load_credential(base: Path) -> Credential:
        """Load ``<base>.key`` and ``<base>.pem``; the key must be the one the certificate certifies.

        The keys are those the test NCA wrote into the data folder, so OpenSSL's consistency check of an RSA
        key (its primes tested again: about 36 ms of CPU for 2 048 bits, the GIL held) is skipped; the key
        is instead matched to its certificate's public key, which a damaged or swapped key file fails."""
        key_file, cert_file = base.with_suffix(".key"), base.with_suffix(".pem")
        if not key_file.is_file() or not cert_file.is_file():
            raise CredentialMissing(
                f"no credential at {base} (.key/.pem); run `egov-sim pki init` or start the NCA first"
            )
        key = serialization.load_pem_private_key(
            key_file.read_bytes(), password=None, unsafe_skip_rsa_key_validation=True
        )
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise CredentialUnusable(f"{key_file} holds a {type(key).__name__}; signing needs an RSA or EC key")
        certificate = x509.load_pem_x509_certificate(cert_file.read_bytes())
        if key.public_key() != certificate.public_key():
            raise CredentialUnusable(f"{key_file} is not the key that {cert_file} certifies")
        return Credential(key=key, certificate=certificate)

    @staticmethod
    def save_credential(base: Path, credential: Credential) -> None:
        base.parent.mkdir(parents=True, exist_ok=True)
        key_file = base.with_suffix(".key")
        key_file.write_bytes(credential.key_pem())
        key_file.chmod(0o600)
        base.with_suffix(".pem").write_bytes(credential.certificate_pem())

    def trust_store(self, revocation: RevocationCheck | None = None) -> TrustStore:
        """Trust the test root CA, knowing the issuing CA as the intermediate; revocation by ``revocation``
        (e.g. :class:`adapters.pki.revocation.OnlineRevocationCheck`), by default the CRL file the NCA
        publishes into the data folder. Certificates named by issuer and serial are looked up among those the NCA
        issued (:class:`adapters.pki.directory.CertificateDirectory`)."""
        if not self.is_initialised():
            raise CredentialMissing(f"the test PKI is not initialised under {self.root}; run `egov-sim pki init`")
        root = x509.load_pem_x509_certificate(self.root_ca.with_suffix(".pem").read_bytes())
        issuing = x509.load_pem_x509_certificate(self.issuing_ca.with_suffix(".pem").read_bytes())
        directory = CertificateDirectory(self.root, self.issuing_ca.with_suffix(".pem"))
        return TrustStore(
            [root], [issuing], revocation_check=revocation or CrlRevocationCheck(self.crl), issued=directory.find
        )


class CredentialCache:
    """Credentials loaded once and kept, the ``size`` most recently used (parsing a PEM key costs tens of
    milliseconds). A credential whose files changed on disk (a certificate issued again) is loaded again."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._loaded: OrderedDict[Path, tuple[tuple[int, int], Credential]] = OrderedDict()
        self._lock = threading.Lock()

    def load(self, base: Path) -> Credential:
        """:meth:`PkiLayout.load_credential` of ``base``, from the cache while its files are unchanged."""
        try:
            stamp = (base.with_suffix(".key").stat().st_mtime_ns, base.with_suffix(".pem").stat().st_mtime_ns)
        except FileNotFoundError:
            return PkiLayout.load_credential(base)  # raises CredentialMissing, saying what to do
        with self._lock:
            known = self._loaded.get(base)
            if known is not None and known[0] == stamp:
                self._loaded.move_to_end(base)
                return known[1]
        credential = PkiLayout.load_credential(base)
        with self._lock:
            self._loaded[base] = (stamp, credential)
            self._loaded.move_to_end(base)
            while len(self._loaded) > self._size:
                self._loaded.popitem(last=False)
        return credential


class CrlRevocationCheck:
    """Revocation by the issuing CA's CRL file (re-read when it changes on disk)."""

    def __init__(self, crl_file: Path) -> None:
        self._file = crl_file
        self._cached: tuple[float, x509.CertificateRevocationList] | None = None
        self._signed_by: tuple[x509.CertificateRevocationList, x509.Certificate] | None = None

    def _crl(self) -> x509.CertificateRevocationList | None:
        try:
            mtime = self._file.stat().st_mtime
        except FileNotFoundError:
            return None
        if self._cached is None or self._cached[0] != mtime:
            self._cached = (mtime, x509.load_pem_x509_crl(self._file.read_bytes()))
        return self._cached[1]

    def _signature_valid(self, crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
        """Whether ``issuer`` signed ``crl``; a good signature is remembered for this CRL and issuer."""
        if self._signed_by is not None and self._signed_by[0] is crl and self._signed_by[1] == issuer:
            return True
        valid = crl.is_signature_valid(issuer.public_key())  # type: ignore[arg-type]
        if valid:
            self._signed_by = (crl, issuer)
        return valid

    def __call__(self, certificate: x509.Certificate, issuer: x509.Certificate, at: object) -> None:
        crl = self._crl()
        if crl is None or crl.issuer != issuer.subject:
            return
        if not self._signature_valid(crl, issuer):
            raise CertificateRejected(
                RejectionReason.CHAIN_INVALID, f"the CRL at {self._file} is not signed by its issuer"
            )
        revoked = crl.get_revoked_certificate_by_serial_number(certificate.serial_number)
        if revoked is not None:
            raise CertificateRejected(
                RejectionReason.REVOKED,
                f"certificate of {subject_of(certificate).describe()} was revoked on {revoked.revocation_date_utc}",
            )
