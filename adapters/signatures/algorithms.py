"""Algorithms the simulation signs with and accepts (``docs/protocol.md`` §4): RSA-SHA256, SHA-256 digests."""

from __future__ import annotations

from datetime import datetime

from signxml import DigestAlgorithm, SignatureMethod
from signxml.verifier import SignatureConfiguration

EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
INCLUSIVE_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
SIGNATURE_METHOD = SignatureMethod.RSA_SHA256
DIGEST_ALGORITHM = DigestAlgorithm.SHA256

ACCEPTED_SIGNATURE_METHODS = frozenset({SignatureMethod.RSA_SHA256, SignatureMethod.ECDSA_SHA256})
ACCEPTED_DIGESTS = frozenset({DigestAlgorithm.SHA256})


def expectations(location: str, at: datetime) -> SignatureConfiguration:
    """What a verified signature must look like: one reference, accepted algorithms, at ``location``."""
    return SignatureConfiguration(
        location=location,
        expect_references=1,
        signature_methods=ACCEPTED_SIGNATURE_METHODS,
        digest_algorithms=ACCEPTED_DIGESTS,
        verification_time=at,
    )
