"""Certificates and trust: what every system needs to sign and to check signatures.

Exceptions::

    PkiError                      (this package's root)
    ├── CertificateRejected       a certificate failed a check; ``reason`` is a RejectionReason
    │                             (expired, not yet valid, chain invalid, revoked, corrupted, unknown)
    ├── CredentialMissing         no key/certificate on disk, or no test PKI; also a FileNotFoundError
    └── CredentialUnusable        a key this project cannot sign with; also a ValueError
"""

from adapters.pki.certificates import (
    CertificateRejected,
    CertificateSubject,
    IssuedLookup,
    RejectionReason,
    RevocationCheck,
    TrustStore,
    certificate_from_base64,
    certificate_to_base64,
    subject_of,
)
from adapters.pki.credentials import Credential, PkiLayout
from adapters.pki.directory import CertificateDirectory
from adapters.pki.errors import CredentialMissing, CredentialUnusable, PkiError
from adapters.pki.revocation import OnlineRevocationCheck, revocation_sources

__all__ = [
    "CertificateDirectory",
    "CertificateRejected",
    "CertificateSubject",
    "Credential",
    "CredentialMissing",
    "CredentialUnusable",
    "IssuedLookup",
    "OnlineRevocationCheck",
    "PkiError",
    "PkiLayout",
    "RejectionReason",
    "RevocationCheck",
    "TrustStore",
    "certificate_from_base64",
    "certificate_to_base64",
    "revocation_sources",
    "subject_of",
]
