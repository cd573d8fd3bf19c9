"""What the test NCA has issued, by serial number, and the self-made CA nobody trusts (docs/pki.md).

The issuing CA's certificates are the files of the test PKI (``systems/``, ``persons/``, ``officials/``) and the
ones testers ordered through ``POST /api/certificates`` (``issued/<serial>.pem``, the certificate only: the key
went to the tester). The untrusted CA (``untrusted/root-ca``) is a separate self-signed CA, in no trust store,
that issues certificates which look like the NCA's but chain to nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from adapters.pki import CertificateDirectory, Credential, PkiLayout
from mocks.nca.authority import CertificateAuthority, create_root

UNTRUSTED_CA_NAME = "egov-sim UNTRUSTED test CA (not the NCA)"


def issued_folder(layout: PkiLayout) -> Path:
    return layout.root / "issued"


def untrusted_ca(layout: PkiLayout, now: dt.datetime) -> CertificateAuthority:
    """The untrusted CA, made on first use and kept in the data folder."""
    base = layout.root / "untrusted" / "root-ca"
    if not (base.with_suffix(".pem").is_file() and base.with_suffix(".key").is_file()):
        layout.save_credential(base, create_root(now - dt.timedelta(days=1), common_name=UNTRUSTED_CA_NAME).credential)
    return CertificateAuthority(layout.load_credential(base))


class IssuedCertificates(CertificateDirectory):
    """The issuing CA's certificates by serial number (:class:`adapters.pki.CertificateDirectory`), and the
    ones issued to testers kept beside them."""

    def __init__(self, layout: PkiLayout) -> None:
        super().__init__(layout.root, layout.issuing_ca.with_suffix(".pem"))
        self._layout = layout

    def record(self, credential: Credential) -> None:
        """Keep a certificate issued to a tester (not its key)."""
        folder = issued_folder(self._layout)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{credential.certificate.serial_number}.pem"
        path.write_bytes(credential.certificate_pem())
        self._remember(credential.certificate.serial_number, path)
