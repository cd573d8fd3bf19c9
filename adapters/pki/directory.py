"""The certificates the test NCA's issuing CA has issued, found by serial number in the data folder.

A WS-Security signature may name its certificate by issuer and serial number only (``ds:X509IssuerSerial``,
``docs/signing.md``); the receiver then looks it up among the certificates the NCA issued. The NCA writes each
one into the test PKI (``systems/``, ``persons/``, ``officials/``, and ``issued/`` for those ordered through its
tester API), so every system reads them where it reads its own credential. A serial not found is read again
from disk (issued by another process since).
"""

from __future__ import annotations

import threading
from pathlib import Path

from cryptography import x509

FOLDERS = ("systems", "persons", "officials", "issued")


class CertificateDirectory:
    """The issuing CA's certificates under ``<pki root>`` by serial number (read lazily, on first lookup)."""

    def __init__(self, pki_root: Path, issuing_ca_pem: Path) -> None:
        self._root = pki_root
        self._issuing_ca_pem = issuing_ca_pem
        self._lock = threading.Lock()
        self._by_serial: dict[int, Path] = {}
        self._issuer: x509.Name | None = None

    @property
    def issuer(self) -> x509.Name:
        """The issuing CA's subject: the issuer of every certificate of the directory."""
        if self._issuer is None:
            self._issuer = x509.load_pem_x509_certificate(self._issuing_ca_pem.read_bytes()).subject
        return self._issuer

    def _scan(self) -> None:
        found: dict[int, Path] = {}
        for folder in FOLDERS:
            for path in sorted((self._root / folder).glob("*.pem")):
                certificate = x509.load_pem_x509_certificate(path.read_bytes())
                if certificate.issuer == self.issuer:
                    found[certificate.serial_number] = path
        self._by_serial = found

    def _remember(self, serial: int, path: Path) -> None:
        with self._lock:
            self._by_serial[serial] = path

    def path_of(self, serial: int) -> Path | None:
        with self._lock:
            if serial not in self._by_serial:
                self._scan()
            return self._by_serial.get(serial)

    def certificate(self, serial: int) -> x509.Certificate | None:
        path = self.path_of(serial)
        return None if path is None else x509.load_pem_x509_certificate(path.read_bytes())

    def find(self, issuer: x509.Name, serial: int) -> x509.Certificate | None:
        """The certificate ``issuer`` issued with ``serial``, when the issuer is the NCA's issuing CA."""
        if issuer != self.issuer:
            return None
        return self.certificate(serial)
