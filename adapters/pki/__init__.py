"""Certificates and trust: what every system needs to sign and to check signatures.

Exceptions::

    PkiError                      (this package's root)
    ├── CertificateRejected       a certificate failed a check; ``reason`` is a RejectionReason
    │                             (expired, not yet valid, chain invalid, revoked, corrupted, unknown)
    ├── CredentialMissing         no key/certificate on disk, or no test PKI; also a FileNotFoundError
    ├── CredentialUnusable        a key this project cannot sign with; also a ValueError
    └── RevocationSourceUnusable  an OCSP responder or CRL gave no usable answer (the check tries the next)
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
from adapters.pki.credentials import Credential, CredentialCache, PkiLayout
from adapters.pki.directory import CertificateDirectory
from adapters.pki.errors import CredentialMissing, CredentialUnusable, PkiError, RevocationSourceUnusable
from adapters.pki.purposes import KeyPurpose, describe_purposes, system_signer_problem
from adapters.pki.revocation import OnlineRevocationCheck, revocation_sources, soft_fail_warnings

__all__ = [
    "CertificateDirectory",
    "CertificateRejected",
    "CertificateSubject",
    "Credential",
    "CredentialCache",
    "CredentialMissing",
    "CredentialUnusable",
    "IssuedLookup",
    "KeyPurpose",
    "OnlineRevocationCheck",
    "PkiError",
    "PkiLayout",
    "RejectionReason",
    "RevocationCheck",
    "RevocationSourceUnusable",
    "TrustStore",
    "certificate_from_base64",
    "certificate_to_base64",
    "describe_purposes",
    "revocation_sources",
    "soft_fail_warnings",
    "subject_of",
    "system_signer_problem",
]
