"""What the test NCA has issued, by serial number, and the self-made CA nobody trusts (docs/pki.md).

The issuing CA's certificates are the files of the test PKI (``systems/``, ``persons/``, ``officials/``) and the
ones testers ordered through ``POST /api/certificates`` (``issued/<serial>.pem``, the certificate only: the key
went to the tester). The untrusted CA (``untrusted/root-ca``) is a separate self-signed CA, in no trust store,
that issues certificates which look like the NCA's but chain to nothing.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from cryptography import x509

from adapters.pki import Credential, PkiLayout
from mocks.nca.authority import CertificateAuthority, create_root

UNTRUSTED_CA_NAME = "egov-sim UNTRUSTED test CA (not the NCA)"
_FOLDERS = ("systems", "persons", "officials", "issued")


def issued_folder(layout: PkiLayout) -> Path:
    return layout.root / "issued"


def untrusted_ca(layout: PkiLayout, now: dt.datetime) -> CertificateAuthority:
    """The untrusted CA, made on first use and kept in the data folder."""
    base = layout.root / "untrusted" / "root-ca"
    if not (base.with_suffix(".pem").is_file() and base.with_suffix(".key").is_file()):
        layout.save_credential(base, create_root(now - dt.timedelta(days=1), common_name=UNTRUSTED_CA_NAME).credential)
    return CertificateAuthority(layout.load_credential(base))


class IssuedCertificates:
    """The issuing CA's certificates by serial number, read from the data folder (again when a serial is
    missing: a certificate issued by another process since)."""

    def __init__(self, layout: PkiLayout) -> None:
        self._layout = layout
        self._lock = threading.Lock()
        self._by_serial: dict[int, Path] = {}
        self._issuer = x509.load_pem_x509_certificate(layout.issuing_ca.with_suffix(".pem").read_bytes()).subject

    def _scan(self) -> None:
        found: dict[int, Path] = {}
        for folder in _FOLDERS:
            for path in sorted((self._layout.root / folder).glob("*.pem")):
                certificate = x509.load_pem_x509_certificate(path.read_bytes())
                if certificate.issuer == self._issuer:
                    found[certificate.serial_number] = path
        self._by_serial = found

    def path_of(self, serial: int) -> Path | None:
        with self._lock:
            if serial not in self._by_serial:
                self._scan()
            return self._by_serial.get(serial)

    def certificate(self, serial: int) -> x509.Certificate | None:
        path = self.path_of(serial)
        return None if path is None else x509.load_pem_x509_certificate(path.read_bytes())

    def record(self, credential: Credential) -> None:
        """Keep a certificate issued to a tester (not its key)."""
        folder = issued_folder(self._layout)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{credential.certificate.serial_number}.pem"
        path.write_bytes(credential.certificate_pem())
        with self._lock:
            self._by_serial[credential.certificate.serial_number] = path
