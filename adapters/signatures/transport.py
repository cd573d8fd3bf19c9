"""WS-Security transport signature over the SOAP Body (``docs/protocol.md``, transport signature).

The signature lives in ``soap:Header/wsse:Security`` (``mustUnderstand="1"``), references the Body by
``wsu:Id`` (the ``wsu`` prefix declared on the Body itself), uses exclusive c14n, and carries the whole
sender certificate in ``wsse:SecurityTokenReference/wsse:KeyIdentifier``.

Verification never trusts what the signature does not cover: the reference must point at the Body that
is the direct child of the Envelope, its id must be unique in the message (no signature wrapping), and
the Body handed back to the caller is the one signxml verified.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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
    certificate_to_base64,
    subject_of,
)
from adapters.signatures.algorithms import DIGEST_ALGORITHM, EXCLUSIVE_C14N, SIGNATURE_METHOD, expectations
from adapters.signatures.errors import NotSigned, SignatureInvalid, check_certificate
from adapters.signatures.transforms import TRANSPORT_TRANSFORMS, refuse_unknown_transforms

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
BASE64_BINARY = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"

_WSU_ID = f"{{{WSU_NS}}}Id"
_SIGNATURE_LOCATION = f"./{{{SOAP_NS}}}Header/{{{WSSE_NS}}}Security/"


@dataclass(frozen=True)
class TransportSignature:
    """The outcome of a successful verification."""

    certificate: x509.Certificate
    signer: CertificateSubject
    signed_body: etree._Element


def _body(envelope: etree._Element) -> etree._Element:
    if envelope.tag != f"{{{SOAP_NS}}}Envelope":
        raise SignatureInvalid("the message is not a SOAP 1.1 Envelope")
    bodies = envelope.findall(f"{{{SOAP_NS}}}Body")
    if len(bodies) != 1:
        raise SignatureInvalid(f"the Envelope must have exactly one Body, found {len(bodies)}")
    return bodies[0]


def _body_declaring_wsu(envelope: etree._Element) -> etree._Element:
    """The Body, replaced if need be by an equal one that declares ``xmlns:wsu`` (so it reads ``wsu:Id``)."""
    body = _body(envelope)
    if body.nsmap.get("wsu") == WSU_NS:
        return body
    nsmap: dict[str | None, str] = {prefix: uri for prefix, uri in body.nsmap.items() if uri != WSU_NS}
    nsmap["wsu"] = WSU_NS
    # lxml takes None as the default namespace's prefix, which its type stubs do not allow for.
    declaring = etree.Element(body.tag, attrib=dict(body.attrib), nsmap=nsmap)  # type: ignore[arg-type,misc]
    declaring.text, declaring.tail = body.text, body.tail
    declaring.extend(list(body))
    envelope.replace(body, declaring)
    return declaring


def sign_envelope(envelope: etree._Element, credential: Credential) -> etree._Element:
    """Sign ``envelope`` in place (replacing any earlier wsse:Security) and return it."""
    body = _body_declaring_wsu(envelope)
    body_id = f"id-{uuid.uuid4()}"
    body.set(_WSU_ID, body_id)
    header = envelope.find(f"{{{SOAP_NS}}}Header")
    if header is None:
        header = etree.Element(f"{{{SOAP_NS}}}Header")
        envelope.insert(0, header)
    for old in header.findall(f"{{{WSSE_NS}}}Security"):
        header.remove(old)
    security = etree.SubElement(
        header, f"{{{WSSE_NS}}}Security", {f"{{{SOAP_NS}}}mustUnderstand": "1"}, nsmap={"wsse": WSSE_NS}
    )
    key_info = etree.Element(f"{{{DS_NS}}}KeyInfo", nsmap={"ds": DS_NS})
    token = etree.SubElement(key_info, f"{{{WSSE_NS}}}SecurityTokenReference", nsmap={"wsse": WSSE_NS})
    identifier = etree.SubElement(token, f"{{{WSSE_NS}}}KeyIdentifier", ValueType=X509V3, EncodingType=BASE64_BINARY)
    identifier.text = certificate_to_base64(credential.certificate)
    signer = XMLSigner(
        method=SignatureConstructionMethod.detached,
        signature_algorithm=SIGNATURE_METHOD,
        digest_algorithm=DIGEST_ALGORITHM,
        c14n_algorithm=EXCLUSIVE_C14N,
    )
    signature = signer.sign(envelope, key=credential.key, reference_uri=[f"#{body_id}"], key_info=key_info)
    security.append(signature)
    return envelope


def verify_envelope(envelope: etree._Element, trust: TrustStore, at: datetime) -> TransportSignature:
    """Verify the transport signature of ``envelope`` at time ``at``.

    Raises :class:`NotSigned` (no wsse:Security / Signature), :class:`SignatureNotCurrent` (certificate
    expired, not yet valid or revoked) or :class:`SignatureInvalid` (anything else).
    """
    body = _body(envelope)
    security = envelope.find(f"{{{SOAP_NS}}}Header/{{{WSSE_NS}}}Security")
    if security is None:
        raise NotSigned("the message has no wsse:Security header")
    signatures = security.findall(f"{{{DS_NS}}}Signature")
    if not signatures:
        raise NotSigned("the wsse:Security header holds no ds:Signature")
    if len(signatures) > 1:
        raise SignatureInvalid("the wsse:Security header holds more than one ds:Signature")
    body_id = body.get(_WSU_ID)
    if not body_id:
        raise SignatureInvalid("the Body has no wsu:Id, so the signature cannot cover it")
    references = signatures[0].findall(f"{{{DS_NS}}}SignedInfo/{{{DS_NS}}}Reference")
    if [ref.get("URI") for ref in references] != [f"#{body_id}"]:
        raise SignatureInvalid("the signature must reference exactly the SOAP Body")
    refuse_unknown_transforms(signatures[0], TRANSPORT_TRANSFORMS, "transport")
    same_id: list[Any] = envelope.xpath(  # type: ignore[assignment]
        "//*[@*[local-name()='Id' or local-name()='ID' or local-name()='id'] = $id]", id=body_id
    )
    if len(same_id) != 1:
        raise SignatureInvalid("the Body's id is not unique in the message (possible signature wrapping)")
    key_identifier = security.find(f".//{{{WSSE_NS}}}KeyIdentifier")
    if key_identifier is None or not (key_identifier.text or "").strip():
        raise SignatureInvalid("no sender certificate in wsse:KeyIdentifier")
    try:
        certificate = certificate_from_base64(key_identifier.text or "")
    except CertificateRejected as exc:
        raise SignatureInvalid(str(exc)) from exc
    check_certificate(trust, certificate, at)
    try:
        result = XMLVerifier().verify(
            envelope, x509_cert=certificate, expect_config=expectations(_SIGNATURE_LOCATION, at)
        )
    except (InvalidInput, InvalidDigest, SignxmlInvalidSignature, InvalidCertificate, ValueError) as exc:
        raise SignatureInvalid(f"transport signature does not verify: {exc}") from exc
    signed = result.signed_xml  # type: ignore[union-attr]
    if signed is None or signed.tag != f"{{{SOAP_NS}}}Body":
        raise SignatureInvalid("the signed element is not the SOAP Body")
    # Hand back the Body node itself, in its context: exclusive c14n drops namespace declarations used only
    # inside attribute values (xsi:type="xs:string"). It must canonicalise to exactly the bytes verified.
    if _exclusive_c14n(body) != _exclusive_c14n(signed):
        raise SignatureInvalid("the SOAP Body differs from the content the signature covers")
    return TransportSignature(certificate=certificate, signer=subject_of(certificate), signed_body=body)


def _exclusive_c14n(element: etree._Element) -> bytes:
    return bytes(etree.tostring(element, method="c14n", exclusive=True))
