"""WS-Security transport signature over the SOAP Body (``docs/protocol.md`` §4, ``docs/signing.md``).

The signature this project makes lives in ``soap:Header/wsse:Security`` (``mustUnderstand="1"``), references
the Body by ``wsu:Id`` (the ``wsu`` prefix declared on the Body itself), uses exclusive c14n, and carries the
whole sender certificate in ``wsse:SecurityTokenReference/wsse:KeyIdentifier``. It verifies what the common
SOAP stacks send too: the other token references (:mod:`adapters.signatures.tokens`), a signed
``wsu:Timestamp`` beside the Body (:mod:`adapters.signatures.timestamp`), ECDSA-SHA256, and RSA-SHA1 when
allowed (:mod:`adapters.signatures.algorithms`).

Verification never trusts what the signature does not cover: the references must point at the Body that
is the direct child of the Envelope (and the Timestamp of the header), each id unique in the message (no
signature wrapping), and the Body handed back to the caller is the one signxml verified.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from cryptography import x509
from lxml import etree
from signxml import InvalidInput, SignatureConstructionMethod, VerifyResult, XMLSigner, XMLVerifier
from signxml.exceptions import InvalidCertificate, InvalidDigest
from signxml.exceptions import InvalidSignature as SignxmlInvalidSignature

from adapters.pki import CertificateSubject, Credential, TrustStore, certificate_to_base64, subject_of
from adapters.signatures.algorithms import (
    DIGEST_ALGORITHM,
    EXCLUSIVE_C14N,
    SHA1_REFUSED,
    expectations,
    signature_method_for,
    uses_sha1,
)
from adapters.signatures.direct import OutsideProfile, exclusive_c14n, sign_references, verify_signature
from adapters.signatures.errors import NotSigned, SignatureInvalid, check_certificate
from adapters.signatures.timestamp import TIMESTAMP, check_timestamp
from adapters.signatures.tokens import BASE64_BINARY, DS_NS, WSSE_NS, WSU_NS, X509V3, signing_certificate, with_id
from adapters.signatures.transforms import TRANSPORT_TRANSFORMS, refuse_unknown_transforms
from adapters.xml import parse_xml

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"

_WSU_ID = f"{{{WSU_NS}}}Id"
# How the signature value and digests are made and checked (see verify_envelope); the checks around them are
# the same for both.
Engine = Literal["direct", "signxml"]
_SIGNATURE_LOCATION = f"./{{{SOAP_NS}}}Header/{{{WSSE_NS}}}Security/"


@dataclass(frozen=True)
class TransportSignature:
    """The outcome of a successful verification."""

    certificate: x509.Certificate
    signer: CertificateSubject
    signed_body: etree._Element
    # Signed with RSA-SHA1 or SHA-1 digests (accepted only when the verifier was told to: ``allow_sha1``).
    sha1: bool = False


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


def sign_envelope(envelope: etree._Element, credential: Credential, *, engine: Engine = "direct") -> etree._Element:
    """Sign ``envelope`` in place (replacing any earlier wsse:Security) and return it; ``engine`` ``signxml``
    makes the same signature with signxml (the reference implementation, kept for the tests)."""
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
    if engine == "direct":
        signature = sign_references([(f"#{body_id}", body)], credential.key)
        signature.append(key_info)
    else:
        signer = XMLSigner(
            method=SignatureConstructionMethod.detached,
            signature_algorithm=signature_method_for(credential.key),
            digest_algorithm=DIGEST_ALGORITHM,
            c14n_algorithm=EXCLUSIVE_C14N,
        )
        signature = signer.sign(envelope, key=credential.key, reference_uri=[f"#{body_id}"], key_info=key_info)
    security.append(signature)
    return envelope


def _signed_ids(
    envelope: etree._Element, signature: etree._Element, body_id: str, timestamp: etree._Element | None
) -> int:
    """Check the signature references exactly the Body (and the header's wsu:Timestamp, when there is one),
    each by an id unique in the message; the number of references."""
    expected = [f"#{body_id}"]
    if timestamp is not None:
        timestamp_id = timestamp.get(_WSU_ID)
        if not timestamp_id:
            raise SignatureInvalid("the wsu:Timestamp has no wsu:Id, so the signature cannot cover it")
        expected.append(f"#{timestamp_id}")
    references = signature.findall(f"{{{DS_NS}}}SignedInfo/{{{DS_NS}}}Reference")
    uris = [ref.get("URI") for ref in references]
    if sorted(uris, key=str) != sorted(expected):
        if timestamp is not None and f"#{body_id}" in uris:
            raise SignatureInvalid("the signature must cover the wsu:Timestamp of the wsse:Security header too")
        raise SignatureInvalid(
            "the signature must reference exactly the SOAP Body (and the wsu:Timestamp, when the header has one)"
        )
    for uri in expected:
        if len(with_id(envelope, uri[1:])) != 1:
            raise SignatureInvalid(f"the id {uri[1:]} is not unique in the message (possible signature wrapping)")
    return len(expected)


def verify_envelope(
    envelope: etree._Element, trust: TrustStore, at: datetime, *, allow_sha1: bool = False, engine: Engine = "direct"
) -> TransportSignature:
    """Verify the transport signature of ``envelope`` at time ``at``.

    The certificate is found by any token reference of :mod:`adapters.signatures.tokens`; a signed
    ``wsu:Timestamp`` is checked at ``at`` (:mod:`adapters.signatures.timestamp`). RSA-SHA1 is refused unless
    ``allow_sha1`` (the caller then checks the sender may use it: :attr:`TransportSignature.sha1`).
    Raises :class:`NotSigned` (no wsse:Security / Signature), :class:`SignatureNotCurrent` (certificate
    expired, not yet valid or revoked), :class:`MessageExpired` (the Timestamp) or :class:`SignatureInvalid`
    (anything else).

    ``engine`` ``direct`` checks the digests and the signature value on the message's own tree
    (:mod:`adapters.signatures.direct`) when the signature has the usual shape and hands any other shape to
    signxml; ``signxml`` always uses signxml (the reference implementation the tests compare with). Every other
    check is the same for both.
    """
    body = _body(envelope)
    securities = envelope.findall(f"{{{SOAP_NS}}}Header/{{{WSSE_NS}}}Security")
    if not securities:
        raise NotSigned("the message has no wsse:Security header")
    if len(securities) > 1:
        raise SignatureInvalid("the message has more than one wsse:Security header")
    security = securities[0]
    signatures = security.findall(f"{{{DS_NS}}}Signature")
    if not signatures:
        raise NotSigned("the wsse:Security header holds no ds:Signature")
    if len(signatures) > 1:
        raise SignatureInvalid("the wsse:Security header holds more than one ds:Signature")
    signature = signatures[0]
    body_id = body.get(_WSU_ID)
    if not body_id:
        raise SignatureInvalid("the Body has no wsu:Id, so the signature cannot cover it")
    timestamps = security.findall(TIMESTAMP)
    if len(timestamps) > 1:
        raise SignatureInvalid("the wsse:Security header holds more than one wsu:Timestamp")
    timestamp = timestamps[0] if timestamps else None
    references = _signed_ids(envelope, signature, body_id, timestamp)
    refuse_unknown_transforms(signature, TRANSPORT_TRANSFORMS, "transport")
    sha1 = uses_sha1(signature)
    if sha1 and not allow_sha1:
        raise SignatureInvalid(SHA1_REFUSED)
    certificate = signing_certificate(signature, security, trust)
    check_certificate(trust, certificate, at)
    targets = {f"#{body_id}": body}
    if timestamp is not None:
        targets[f"#{timestamp.get(_WSU_ID)}"] = timestamp
    try:
        if engine != "direct":
            raise OutsideProfile("signxml asked for")
        verify_signature(signature, targets, certificate.public_key(), allow_sha1=sha1)
        signed_timestamp = None if timestamp is None else parse_xml(exclusive_c14n(timestamp))
    except OutsideProfile:
        signed_timestamp = _verify_with_signxml(envelope, certificate, at, body, references, sha1=sha1)
    if timestamp is not None:
        if signed_timestamp is None:
            raise SignatureInvalid("the signature does not cover the wsu:Timestamp")
        check_timestamp(signed_timestamp, at)
    return TransportSignature(certificate=certificate, signer=subject_of(certificate), signed_body=body, sha1=sha1)


def _verify_with_signxml(
    envelope: etree._Element,
    certificate: x509.Certificate,
    at: datetime,
    body: etree._Element,
    references: int,
    *,
    sha1: bool,
) -> etree._Element | None:
    """signxml's verification of the transport signature; the signed wsu:Timestamp as signxml read it."""
    expected = expectations(_SIGNATURE_LOCATION, at, references=references, legacy_sha1=sha1)
    try:
        outcome = XMLVerifier().verify(envelope, x509_cert=certificate, expect_config=expected)
    except (InvalidInput, InvalidDigest, SignxmlInvalidSignature, InvalidCertificate, ValueError) as exc:
        raise SignatureInvalid(f"transport signature does not verify: {exc}") from exc
    except etree.DocumentInvalid as exc:  # signxml's check of the XML-DSig schema (a SignatureValue not base64)
        raise SignatureInvalid(f"transport signature does not verify: the ds:Signature is not XML-DSig: {exc}") from exc
    signed = {result.signed_xml.tag: result.signed_xml for result in _results(outcome) if result.signed_xml is not None}
    signed_body = signed.get(f"{{{SOAP_NS}}}Body")
    if signed_body is None or len(signed) != references:
        raise SignatureInvalid("the signed elements are not the SOAP Body (and the wsu:Timestamp)")
    # Hand back the Body node itself, in its context: exclusive c14n drops namespace declarations used only
    # inside attribute values (xsi:type="xs:string"). It must canonicalise to exactly the bytes verified.
    if exclusive_c14n(body) != exclusive_c14n(signed_body):
        raise SignatureInvalid("the SOAP Body differs from the content the signature covers")
    return signed.get(TIMESTAMP)


def _results(outcome: VerifyResult | list[VerifyResult]) -> list[VerifyResult]:
    return outcome if isinstance(outcome, list) else [outcome]
