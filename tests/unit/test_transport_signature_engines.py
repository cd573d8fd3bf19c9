"""The direct transport-signature engine (adapters/signatures/direct.py) against signxml, the reference.

Every message here — signed by either engine, by zeep's python-xmlsec (with a signed wsu:Timestamp, RSA-SHA1,
ECDSA), then left alone or tampered with one way — is verified with ``engine="direct"`` and
``engine="signxml"``: both give the same verdict (accepted with the same signed Body, or refused with the same
error class), and the verdict is the one expected (no case passes by refusing everything, or accepting it).
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
from collections.abc import Callable

import pytest
import xmlsec
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from lxml import etree
from zeep.wsse.signature import MemorySignature

import adapters.signatures.transport as transport
from adapters.pki import Credential, PkiLayout, TrustStore
from adapters.shep import Payload, RequestInfo, build_request
from adapters.signatures import SignatureError, sign_envelope, verify_envelope
from adapters.signatures.direct import exclusive_c14n
from adapters.signatures.tokens import DS_NS, WSSE_NS, WSU_NS
from adapters.xml import parse_xml, to_bytes
from ecosystem.settings import Settings
from mocks.nca.authority import KeyPurpose, system_subject
from mocks.nca.provisioning import issuing_authority

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
XSLT = "http://www.w3.org/TR/1999/REC-xslt-19991116"
INCLUSIVE_C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(scope="module")
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


@pytest.fixture(scope="module")
def trust(layout: PkiLayout) -> TrustStore:
    return layout.trust_store()


@pytest.fixture(scope="module")
def credentials(layout: PkiLayout) -> dict[str, Credential]:
    subject = system_subject("employment", "000340010007", "employment centre")
    ec_key = issuing_authority(layout, None).issue(
        subject, NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=30), (KeyPurpose.ORGANISATION,), "ec"
    )
    return {"rsa": layout.load_credential(layout.system("employment")), "ec": ec_key}


def _request() -> etree._Element:
    info = RequestInfo("m-1", "GBDFL_UniversalServiceSync", "ENBEK_LABOUR_MARKET", NOW)
    payload = etree.fromstring(
        '<m:request xmlns:m="http://message.persistence.interactive.nat" xmlns:xsi="http://www.w3.org/2001/'
        'XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema"><iin xsi:type="xs:string">1</iin>'
        "<note>a &amp; b</note></m:request>"
    )
    return build_request(info, Payload(element=payload))


def _zeep(credential: Credential, method: object, digest: object) -> etree._Element:
    envelope = _request()
    header = envelope.find(f"{{{SOAP_NS}}}Header")
    if header is None:
        header = etree.Element(f"{{{SOAP_NS}}}Header")
        envelope.insert(0, header)
    security = etree.SubElement(header, f"{{{WSSE_NS}}}Security", nsmap={"wsse": WSSE_NS, "wsu": WSU_NS})
    timestamp = etree.SubElement(security, f"{{{WSU_NS}}}Timestamp")
    etree.SubElement(timestamp, f"{{{WSU_NS}}}Created").text = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
    expires = NOW + dt.timedelta(minutes=5)
    etree.SubElement(timestamp, f"{{{WSU_NS}}}Expires").text = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    pem_key, pem_certificate = credential.key_pem(), credential.certificate_pem()
    MemorySignature(pem_key, pem_certificate, signature_method=method, digest_method=digest).apply(envelope, {})
    return envelope


SIGNERS: dict[str, Callable[[dict[str, Credential]], etree._Element]] = {
    "direct RSA": lambda c: sign_envelope(_request(), c["rsa"], engine="direct"),
    "signxml RSA": lambda c: sign_envelope(_request(), c["rsa"], engine="signxml"),
    "direct ECDSA": lambda c: sign_envelope(_request(), c["ec"], engine="direct"),
    "signxml ECDSA": lambda c: sign_envelope(_request(), c["ec"], engine="signxml"),
    "zeep RSA-SHA256 + Timestamp": lambda c: _zeep(c["rsa"], xmlsec.Transform.RSA_SHA256, xmlsec.Transform.SHA256),
    "zeep ECDSA + Timestamp": lambda c: _zeep(c["ec"], xmlsec.Transform.ECDSA_SHA256, xmlsec.Transform.SHA256),
    "zeep RSA-SHA1 + Timestamp": lambda c: _zeep(c["rsa"], None, None),
}


def _ds(envelope: etree._Element, path: str) -> etree._Element:
    found = envelope.find(f".//{{{DS_NS}}}Signature/" + path.replace("ds:", f"{{{DS_NS}}}"))
    assert found is not None, path
    return found


def _body(envelope: etree._Element) -> etree._Element:
    body = envelope.find(f"{{{SOAP_NS}}}Body")
    assert body is not None
    return body


def _resign(envelope: etree._Element, credential: Credential) -> None:
    """Sign the (altered) SignedInfo again, so that only the references decide."""
    signed_info = exclusive_c14n(_ds(envelope, "ds:SignedInfo"))
    key = credential.key
    if isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(key.sign(signed_info, ec.ECDSA(hashes.SHA256())))
        value = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    else:
        sha1 = _ds(envelope, "ds:SignedInfo/ds:SignatureMethod").get("Algorithm", "").endswith("sha1")
        value = key.sign(signed_info, PKCS1v15(), hashes.SHA1() if sha1 else hashes.SHA256())
    _ds(envelope, "ds:SignatureValue").text = base64.b64encode(value).decode()


def _flip(text: str | None) -> str:
    value = text or ""
    return ("B" if value[0] != "B" else "C") + value[1:]


def _tamper_body(envelope: etree._Element, _: Credential) -> None:
    iin = envelope.find(".//iin")
    assert iin is not None
    iin.text = "2"


def _tamper_digest(envelope: etree._Element, _: Credential) -> None:
    value = _ds(envelope, "ds:SignedInfo/ds:Reference/ds:DigestValue")
    value.text = _flip(value.text)


def _tamper_digest_resigned(envelope: etree._Element, credential: Credential) -> None:
    _tamper_digest(envelope, credential)
    _resign(envelope, credential)


def _tamper_signature_value(envelope: etree._Element, _: Credential) -> None:
    value = _ds(envelope, "ds:SignatureValue")
    value.text = _flip(value.text)


def _garbage_signature_value(envelope: etree._Element, _: Credential) -> None:
    _ds(envelope, "ds:SignatureValue").text = "A"


def _junk_in_signature_value(envelope: etree._Element, _: Credential) -> None:
    value = _ds(envelope, "ds:SignatureValue")
    text = value.text or ""
    value.text = text[:8] + "!" + text[8:]


def _other_signature_method(envelope: etree._Element, _: Credential) -> None:
    method = _ds(envelope, "ds:SignedInfo/ds:SignatureMethod")
    rsa = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    method.set(
        "Algorithm", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" if method.get("Algorithm") == rsa else rsa
    )


def _inclusive_signed_info(envelope: etree._Element, credential: Credential) -> None:
    _ds(envelope, "ds:SignedInfo/ds:CanonicalizationMethod").set("Algorithm", INCLUSIVE_C14N)
    _resign(envelope, credential)


def _sha512_digest_resigned(envelope: etree._Element, credential: Credential) -> None:
    _ds(envelope, "ds:SignedInfo/ds:Reference/ds:DigestMethod").set(
        "Algorithm", "http://www.w3.org/2001/04/xmlenc#sha512"
    )
    _resign(envelope, credential)


def _comment_in_digest_value(envelope: etree._Element, _: Credential) -> None:
    """Comments are not canonicalised: still valid, with the digest read across the comment."""
    value = _ds(envelope, "ds:SignedInfo/ds:Reference/ds:DigestValue")
    text = value.text or ""
    value.text = text[:5]
    comment = etree.Comment("x")
    comment.tail = text[5:]
    value.append(comment)


def _comment_in_body(envelope: etree._Element, _: Credential) -> None:
    iin = envelope.find(".//iin")
    assert iin is not None
    iin.addprevious(etree.Comment("not signed, still valid"))


def _object_in_signature(envelope: etree._Element, _: Credential) -> None:
    etree.SubElement(_ds(envelope, "ds:SignatureValue").getparent(), f"{{{DS_NS}}}Object").text = "x"


def _whitespace_in_signed_info(envelope: etree._Element, _: Credential) -> None:
    _ds(envelope, "ds:SignedInfo/ds:SignatureMethod").tail = "\n  "


def _no_transforms_resigned(envelope: etree._Element, credential: Credential) -> None:
    for transforms in _ds(envelope, "ds:SignedInfo").iter(f"{{{DS_NS}}}Transforms"):
        transforms.getparent().remove(transforms)
    _resign(envelope, credential)


def _transform(algorithm: str, *, before: bool = False) -> Callable[[etree._Element, Credential], None]:
    def alter(envelope: etree._Element, credential: Credential) -> None:
        transforms = _ds(envelope, "ds:SignedInfo/ds:Reference/ds:Transforms")
        added = etree.Element(f"{{{DS_NS}}}Transform", Algorithm=algorithm)
        if before:
            transforms.insert(0, added)
        else:
            transforms[0].set("Algorithm", algorithm)
        _resign(envelope, credential)

    return alter


def _prefix_list(prefixes: str) -> Callable[[etree._Element, Credential], None]:
    def alter(envelope: etree._Element, credential: Credential) -> None:
        transform = _ds(envelope, "ds:SignedInfo/ds:Reference/ds:Transforms/ds:Transform")
        ec_ns = "http://www.w3.org/2001/10/xml-exc-c14n#"
        etree.SubElement(transform, f"{{{ec_ns}}}InclusiveNamespaces", PrefixList=prefixes, nsmap={"ec": ec_ns})
        _resign(envelope, credential)

    return alter


def _wrong_reference_resigned(envelope: etree._Element, credential: Credential) -> None:
    header = envelope.find(f"{{{SOAP_NS}}}Header")
    assert header is not None
    decoy = etree.SubElement(header, "decoy")
    decoy.set(f"{{{WSU_NS}}}Id", "decoy-1")
    body_uri = "#" + (_body(envelope).get(f"{{{WSU_NS}}}Id") or "")
    for reference in _ds(envelope, "ds:SignedInfo").iter(f"{{{DS_NS}}}Reference"):
        if reference.get("URI") == body_uri:
            reference.set("URI", "#decoy-1")
    _resign(envelope, credential)


def _wrapped_body(envelope: etree._Element, _: Credential) -> None:
    """The signed Body moved into the header, a forged one (same id) in its place."""
    original = _body(envelope)
    forged = copy.deepcopy(original)
    iin = forged.find(".//iin")
    assert iin is not None
    iin.text = "2"
    header = envelope.find(f"{{{SOAP_NS}}}Header")
    assert header is not None
    etree.SubElement(header, "wrapper").append(original)
    envelope.append(forged)


def _duplicated_id(envelope: etree._Element, _: Credential) -> None:
    header = envelope.find(f"{{{SOAP_NS}}}Header")
    assert header is not None
    etree.SubElement(header, "copy").set("Id", _body(envelope).get(f"{{{WSU_NS}}}Id") or "")


def _tamper_timestamp(envelope: etree._Element, _: Credential) -> None:
    expires = envelope.find(f".//{{{WSU_NS}}}Expires")
    if expires is not None:
        expires.text = (NOW + dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    else:
        _tamper_body(envelope, _)


ACCEPTED, REFUSED = "accepted", "refused"
MUTATIONS: dict[str, tuple[Callable[[etree._Element, Credential], None] | None, str]] = {
    "untouched": (None, ACCEPTED),
    "comment in the Body": (_comment_in_body, ACCEPTED),
    "comment inside a DigestValue": (_comment_in_digest_value, ACCEPTED),
    "ds:Object in the Signature": (_object_in_signature, ACCEPTED),
    "tampered Body": (_tamper_body, REFUSED),
    "tampered Timestamp": (_tamper_timestamp, REFUSED),
    "tampered DigestValue": (_tamper_digest, REFUSED),
    "tampered DigestValue, SignedInfo signed again": (_tamper_digest_resigned, REFUSED),
    "tampered SignatureValue": (_tamper_signature_value, REFUSED),
    "SignatureValue not a signature": (_garbage_signature_value, REFUSED),
    # signxml skips it (its schema check is lenient there); the direct engine hands such a value to signxml.
    "a character outside base64 in the SignatureValue": (_junk_in_signature_value, ACCEPTED),
    "other SignatureMethod": (_other_signature_method, REFUSED),
    "whitespace added to SignedInfo": (_whitespace_in_signed_info, REFUSED),
    "SignedInfo by inclusive c14n, signed again": (_inclusive_signed_info, REFUSED),
    "SHA-512 digest, signed again": (_sha512_digest_resigned, REFUSED),
    "reference without transforms, signed again": (_no_transforms_resigned, REFUSED),
    "inclusive c14n transform, signed again": (_transform(INCLUSIVE_C14N), REFUSED),
    "enveloped-signature transform added, signed again": (_transform(ENVELOPED, before=True), REFUSED),
    "XSLT transform added, signed again": (_transform(XSLT, before=True), REFUSED),
    # soap is visibly used by the Body already: the digest is unchanged; xs is declared inside, now rendered.
    "InclusiveNamespaces soap, signed again": (_prefix_list("soap"), ACCEPTED),
    "InclusiveNamespaces xs, signed again": (_prefix_list("xs"), REFUSED),
    "reference to another element, signed again": (_wrong_reference_resigned, REFUSED),
    "wrapped Body": (_wrapped_body, REFUSED),
    "Body id duplicated": (_duplicated_id, REFUSED),
}


def _verdict(raw: bytes, trust: TrustStore, engine: transport.Engine) -> tuple[str, str]:
    try:
        verified = verify_envelope(parse_xml(raw), trust, NOW, allow_sha1=True, engine=engine)
    except SignatureError as exc:
        return REFUSED, type(exc).__name__
    return ACCEPTED, exclusive_c14n(verified.signed_body).decode()


@pytest.mark.parametrize("signer", list(SIGNERS))
@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_the_direct_engine_agrees_with_signxml(
    signer: str, mutation: str, trust: TrustStore, credentials: dict[str, Credential]
) -> None:
    envelope = parse_xml(to_bytes(SIGNERS[signer](credentials)))
    alter, expected = MUTATIONS[mutation]
    if alter is not None:
        alter(envelope, credentials["ec" if "ECDSA" in signer else "rsa"])
    raw = to_bytes(envelope)
    direct, reference = _verdict(raw, trust, "direct"), _verdict(raw, trust, "signxml")
    assert direct == reference
    assert direct[0] == expected, direct


def test_the_usual_shape_never_goes_to_signxml(
    trust: TrustStore, credentials: dict[str, Credential], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What this project and zeep sign is checked by the direct engine itself (signxml would fail here)."""

    def no_signxml(*_: object, **__: object) -> None:
        raise AssertionError("handed to signxml")

    monkeypatch.setattr(transport, "_verify_with_signxml", no_signxml)
    for signer in SIGNERS.values():
        raw = to_bytes(signer(credentials))
        assert verify_envelope(parse_xml(raw), trust, NOW, allow_sha1=True).signer.bin == "000340010007"
