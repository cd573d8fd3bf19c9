"""Algorithms the simulation signs with and accepts (``docs/protocol.md`` §4, ``docs/signing.md``).

Accepted: RSA-SHA256 and ECDSA-SHA256 (NIST P-256) signatures with SHA-256 digests. RSA-SHA1 (with SHA-1
digests) is refused unless the verifier is told the sender may still use it (the gateway's register,
``allowSha1Signatures`` of a participant). A system signs with RSA-SHA256, or ECDSA-SHA256 when its key is EC.
"""

from __future__ import annotations

from datetime import datetime

from cryptography.hazmat.primitives.asymmetric import ec
from lxml import etree
from signxml import DigestAlgorithm, SignatureMethod
from signxml.verifier import SignatureConfiguration

from adapters.pki.credentials import SigningKey

EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
INCLUSIVE_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
SIGNATURE_METHOD = SignatureMethod.RSA_SHA256
DIGEST_ALGORITHM = DigestAlgorithm.SHA256
DS_NS = "http://www.w3.org/2000/09/xmldsig#"

ACCEPTED_SIGNATURE_METHODS = frozenset({SignatureMethod.RSA_SHA256, SignatureMethod.ECDSA_SHA256})
ACCEPTED_DIGESTS = frozenset({DigestAlgorithm.SHA256})
LEGACY_SIGNATURE_METHODS = frozenset({SignatureMethod.RSA_SHA1})
LEGACY_DIGESTS = frozenset({DigestAlgorithm.SHA1})

SHA1_REFUSED = (
    "RSA-SHA1 and SHA-1 digests are refused: sign with RSA-SHA256 (http://www.w3.org/2001/04/xmldsig-more#rsa-sha256) "
    "or ECDSA-SHA256 and SHA-256 digests (http://www.w3.org/2001/04/xmlenc#sha256); a participant that must still "
    "send RSA-SHA1 is allowed by the register's setting allowSha1Signatures"
)


def signature_method_for(key: SigningKey) -> SignatureMethod:
    """ECDSA-SHA256 for an EC key, RSA-SHA256 otherwise."""
    return SignatureMethod.ECDSA_SHA256 if isinstance(key, ec.EllipticCurvePrivateKey) else SIGNATURE_METHOD


def uses_sha1(signature: etree._Element) -> bool:
    """Whether ``signature``'s SignedInfo names RSA-SHA1 or a SHA-1 digest (read before verifying)."""
    methods = signature.findall(f"{{{DS_NS}}}SignedInfo/{{{DS_NS}}}SignatureMethod")
    digests = signature.findall(f"{{{DS_NS}}}SignedInfo/{{{DS_NS}}}Reference/{{{DS_NS}}}DigestMethod")
    legacy = {method.value for method in LEGACY_SIGNATURE_METHODS} | {digest.value for digest in LEGACY_DIGESTS}
    return any(element.get("Algorithm") in legacy for element in (*methods, *digests))


def expectations(
    location: str, at: datetime, *, references: int = 1, legacy_sha1: bool = False
) -> SignatureConfiguration:
    """What a verified signature must look like: ``references`` references, accepted algorithms (RSA-SHA1 and
    SHA-1 digests too when ``legacy_sha1``), at ``location``."""
    return SignatureConfiguration(
        location=location,
        expect_references=references,
        signature_methods=ACCEPTED_SIGNATURE_METHODS | (LEGACY_SIGNATURE_METHODS if legacy_sha1 else frozenset()),
        digest_algorithms=ACCEPTED_DIGESTS | (LEGACY_DIGESTS if legacy_sha1 else frozenset()),
        verification_time=at,
    )
