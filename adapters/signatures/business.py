"""Enveloped business-data signature (``docs/protocol.md`` §5; SP-5 of ``docs/rules.md``).

The citizen, operator or official signs a whole document: ``Reference URI=""``, the enveloped-signature
transform, inclusive c14n, the certificate in ``KeyInfo/X509Data/X509Certificate``. Signed documents
travel between systems as serialised text, so verification sees exactly the bytes that were signed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from lxml import etree
from signxml import InvalidInput, SignatureConstructionMethod, XMLSigner, XMLVerifier
from signxml.exceptions import InvalidCertificate, InvalidDigest
from signxml.exceptions import InvalidSignature as SignxmlInvalidSignature

from adapters.pki import (
    CertificateRejected,
    CertificateSubject,
    Credential,
    TrustStore,
    certificate_from_base64,
    subject_of,
)
from adapters.signatures.algorithms import DIGEST_ALGORITHM, INCLUSIVE_C14N, SIGNATURE_METHOD, expectations
from adapters.signatures.errors import NotSigned, SignatureInvalid, check_certificate
from adapters.signatures.transforms import BUSINESS_TRANSFORMS, refuse_unknown_transforms

DS_NS = "http://www.w3.org/2000/09/xmldsig#"


@dataclass(frozen=True)
class BusinessSignature:
    """A verified document: who signed it, and the document as signed (without the signature)."""

    certificate: x509.Certificate
    signer: CertificateSubject
    document: etree._Element


def sign_document(document: etree._Element, credential: Credential) -> etree._Element:
    """Return a signed copy of ``document`` (the signature is appended as its last child)."""
    signer = XMLSigner(
        method=SignatureConstructionMethod.enveloped,
        signature_algorithm=SIGNATURE_METHOD,
        digest_algorithm=DIGEST_ALGORITHM,
        c14n_algorithm=INCLUSIVE_C14N,
    )
    signed: etree._Element = signer.sign(document, key=credential.key, cert=[credential.certificate])
    return signed


def verify_document(document: etree._Element, trust: TrustStore, at: datetime) -> BusinessSignature:
    """Verify the enveloped signature of ``document`` (a root element parsed from the bytes as sent)."""
    signature = document.find(f"{{{DS_NS}}}Signature")
    if signature is None:
        raise NotSigned(f"the document {etree.QName(document).localname} is not signed")
    cert_element = signature.find(f"{{{DS_NS}}}KeyInfo/{{{DS_NS}}}X509Data/{{{DS_NS}}}X509Certificate")
    if cert_element is None or not (cert_element.text or "").strip():
        raise SignatureInvalid("the signature carries no X509Certificate")
    try:
        certificate = certificate_from_base64(cert_element.text or "")
    except CertificateRejected as exc:
        raise SignatureInvalid(str(exc)) from exc
    refuse_unknown_transforms(signature, BUSINESS_TRANSFORMS, "business-data")
    check_certificate(trust, certificate, at)
    try:
        result = XMLVerifier().verify(document, x509_cert=certificate, expect_config=expectations("./", at))
    except (InvalidInput, InvalidDigest, SignxmlInvalidSignature, InvalidCertificate, ValueError) as exc:
        raise SignatureInvalid(f"document signature does not verify: {exc}") from exc
    except etree.DocumentInvalid as exc:  # signxml's check of the XML-DSig schema (a SignatureValue not base64)
        raise SignatureInvalid(f"the ds:Signature does not follow the XML-DSig schema: {exc}") from exc
    references = signature.findall(f"{{{DS_NS}}}SignedInfo/{{{DS_NS}}}Reference")
    if [ref.get("URI") for ref in references] != [""]:
        raise SignatureInvalid('the signature must cover the whole document (Reference URI="")')
    signed = result.signed_xml  # type: ignore[union-attr]
    if signed is None:
        raise SignatureInvalid("the verified document is empty")
    return BusinessSignature(certificate=certificate, signer=subject_of(certificate), document=signed)
