"""Certificates and trust: what every system needs to sign and to check signatures."""

from adapters.pki.certificates import (
    CertificateRejected,
    CertificateSubject,
    RejectionReason,
    TrustStore,
    certificate_from_base64,
    certificate_to_base64,
    subject_of,
)
from adapters.pki.credentials import Credential, PkiLayout

__all__ = [
    "CertificateRejected",
    "CertificateSubject",
    "Credential",
    "PkiLayout",
    "RejectionReason",
    "TrustStore",
    "certificate_from_base64",
    "certificate_to_base64",
    "subject_of",
]
