"""The token references, Timestamp and algorithms the transport signature accepts (docs/signing.md): what
the common SOAP stacks send, each read by adapters/signatures/tokens.py, and what is refused and why."""

from __future__ import annotations

import datetime as dt

import pytest
import xmlsec
from lxml import etree
from zeep.wsse.signature import MemorySignature

from adapters.pki import Credential, PkiLayout, TrustStore, certificate_to_base64
from adapters.shep import Payload, RequestInfo, build_request
from adapters.signatures import SignatureInvalid, sign_envelope, verify_envelope
from adapters.signatures.algorithms import SHA1_REFUSED
from adapters.signatures.errors import MessageExpired
from adapters.signatures.tokens import BASE64_BINARY, DS_NS, WSSE_NS, WSU_NS, X509V3
from adapters.xml import parse_xml, to_bytes
from ecosystem.settings import Settings
from mocks.nca.authority import KeyPurpose, system_subject
from mocks.nca.provisioning import issuing_authority

EMPLOYMENT_BIN = "000340010007"
ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"


@pytest.fixture(scope="module")
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


@pytest.fixture(scope="module")
def trust(layout: PkiLayout) -> TrustStore:
    return layout.trust_store()


@pytest.fixture(scope="module")
def employment(layout: PkiLayout) -> Credential:
    return layout.load_credential(layout.system("employment"))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _request() -> etree._Element:
    info = RequestInfo("m-1", "GBDFL_UniversalServiceSync", "ENBEK_LABOUR_MARKET", _now())
    payload = etree.fromstring(
        '<m:request xmlns:m="http://message.persistence.interactive.nat"><iin>1</iin></m:request>'
    )
    return build_request(info, Payload(element=payload))


def _reparsed(envelope: etree._Element) -> etree._Element:
    return parse_xml(to_bytes(envelope))


def _with_key_info(
    credential: Credential, *children: etree._Element, tokens: tuple[etree._Element, ...] = ()
) -> etree._Element:
    """Our signature with its ds:KeyInfo (which the signature does not cover) replaced by ``children``."""
    envelope = _reparsed(sign_envelope(_request(), credential))
    key_info = envelope.find(f".//{{{DS_NS}}}KeyInfo")
    assert key_info is not None
    for child in list(key_info):
        key_info.remove(child)
    key_info.extend(children)
    security = envelope.find(f".//{{{WSSE_NS}}}Security")
    assert security is not None
    for index, token in enumerate(tokens):
        security.insert(index, token)
    return _reparsed(envelope)


def _element(tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.Element(tag, attributes)
    element.text = text
    return element


def _str(*children: etree._Element) -> etree._Element:
    reference = _element(f"{{{WSSE_NS}}}SecurityTokenReference")
    reference.extend(children)
    return reference


def _binary_token(credential: Credential, token_id: str = "X509-1") -> etree._Element:
    token = _element(f"{{{WSSE_NS}}}BinarySecurityToken", certificate_to_base64(credential.certificate))
    token.set("ValueType", X509V3)
    token.set("EncodingType", BASE64_BINARY)
    token.set(f"{{{WSU_NS}}}Id", token_id)
    return token


def _x509_data(credential: Credential, *, certificate: bool = True, serial: int | None = None) -> etree._Element:
    data = _element(f"{{{DS_NS}}}X509Data")
    if serial is not None:
        issuer_serial = etree.SubElement(data, f"{{{DS_NS}}}X509IssuerSerial")
        etree.SubElement(
            issuer_serial, f"{{{DS_NS}}}X509IssuerName"
        ).text = credential.certificate.issuer.rfc4514_string()
        etree.SubElement(issuer_serial, f"{{{DS_NS}}}X509SerialNumber").text = str(serial)
    if certificate:
        etree.SubElement(data, f"{{{DS_NS}}}X509Certificate").text = certificate_to_base64(credential.certificate)
    return data


def test_key_identifier_as_the_gateway_sends_it(trust: TrustStore, employment: Credential) -> None:
    verified = verify_envelope(_reparsed(sign_envelope(_request(), employment)), trust, _now())
    assert verified.signer.bin == EMPLOYMENT_BIN and not verified.sha1


def test_binary_security_token_by_reference(trust: TrustStore, employment: Credential) -> None:
    reference = _element(f"{{{WSSE_NS}}}Reference", URI="#X509-1", ValueType=X509V3)
    envelope = _with_key_info(employment, _str(reference), tokens=(_binary_token(employment),))
    assert verify_envelope(envelope, trust, _now()).signer.bin == EMPLOYMENT_BIN


@pytest.mark.parametrize("inside_reference", [True, False])
def test_x509_certificate_in_x509_data(trust: TrustStore, employment: Credential, inside_reference: bool) -> None:
    data = _x509_data(employment)
    envelope = _with_key_info(employment, _str(data) if inside_reference else data)
    assert verify_envelope(envelope, trust, _now()).signer.bin == EMPLOYMENT_BIN


def test_issuer_and_serial_are_looked_up_among_the_certificates_the_nca_issued(
    trust: TrustStore, employment: Credential
) -> None:
    data = _x509_data(employment, certificate=False, serial=employment.certificate.serial_number)
    assert verify_envelope(_with_key_info(employment, _str(data)), trust, _now()).signer.bin == EMPLOYMENT_BIN


def test_an_unknown_serial_is_refused(trust: TrustStore, employment: Credential) -> None:
    data = _x509_data(employment, certificate=False, serial=12345)
    with pytest.raises(SignatureInvalid, match="no certificate with serial 12345"):
        verify_envelope(_with_key_info(employment, _str(data)), trust, _now())


def test_a_serial_that_does_not_name_the_certificate_beside_it_is_refused(
    trust: TrustStore, employment: Credential
) -> None:
    data = _x509_data(employment, serial=employment.certificate.serial_number + 1)
    with pytest.raises(SignatureInvalid, match="does not name the ds:X509Certificate"):
        verify_envelope(_with_key_info(employment, data), trust, _now())


def test_a_token_of_another_system_does_not_verify(
    layout: PkiLayout, trust: TrustStore, employment: Credential
) -> None:
    portal = layout.load_credential(layout.system("portal"))
    reference = _element(f"{{{WSSE_NS}}}Reference", URI="#X509-1", ValueType=X509V3)
    envelope = _with_key_info(employment, _str(reference), tokens=(_binary_token(portal),))
    with pytest.raises(SignatureInvalid, match="does not verify"):
        verify_envelope(envelope, trust, _now())


@pytest.mark.parametrize(
    ("reference", "reason"),
    [
        (_element(f"{{{WSSE_NS}}}Reference", URI="http://elsewhere.test/cert"), "must point into the message"),
        (_element(f"{{{WSSE_NS}}}Reference", URI="#nothing-here"), "not unique"),
        (
            _element(
                f"{{{WSSE_NS}}}KeyIdentifier",
                "3q2+7w==",
                ValueType="http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#ThumbprintSHA1",
            ),
            "ThumbprintSHA1",
        ),
    ],
)
def test_references_that_name_no_certificate_of_the_message_are_refused(
    trust: TrustStore, employment: Credential, reference: etree._Element, reason: str
) -> None:
    with pytest.raises(SignatureInvalid, match=reason):
        verify_envelope(_with_key_info(employment, _str(reference)), trust, _now())


def test_a_reference_to_a_token_outside_the_security_header_is_refused(
    trust: TrustStore, employment: Credential
) -> None:
    reference = _element(f"{{{WSSE_NS}}}Reference", URI="#X509-1", ValueType=X509V3)
    envelope = _with_key_info(employment, _str(reference))
    header = envelope.find("{http://schemas.xmlsoap.org/soap/envelope/}Header")
    assert header is not None
    header.append(_binary_token(employment))
    with pytest.raises(SignatureInvalid, match="BinarySecurityToken of the wsse:Security header"):
        verify_envelope(_reparsed(envelope), trust, _now())


# -- Timestamp and algorithms, signed by zeep's MemorySignature (python-xmlsec) ---------------------------------


def _with_timestamp(created: dt.datetime, expires: dt.datetime) -> etree._Element:
    envelope = _request()
    header = envelope.find("{http://schemas.xmlsoap.org/soap/envelope/}Header")
    if header is None:
        header = etree.Element("{http://schemas.xmlsoap.org/soap/envelope/}Header")
        envelope.insert(0, header)
    security = etree.SubElement(header, f"{{{WSSE_NS}}}Security", nsmap={"wsse": WSSE_NS, "wsu": WSU_NS})
    timestamp = etree.SubElement(security, f"{{{WSU_NS}}}Timestamp")
    etree.SubElement(timestamp, f"{{{WSU_NS}}}Created").text = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    etree.SubElement(timestamp, f"{{{WSU_NS}}}Expires").text = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
    return envelope


def _zeep_signed(envelope: etree._Element, credential: Credential, method: object, digest: object) -> etree._Element:
    MemorySignature(
        credential.key_pem(), credential.certificate_pem(), signature_method=method, digest_method=digest
    ).apply(envelope, {})
    return _reparsed(envelope)


def _sha256_signed(envelope: etree._Element, credential: Credential) -> etree._Element:
    return _zeep_signed(envelope, credential, xmlsec.Transform.RSA_SHA256, xmlsec.Transform.SHA256)


def test_a_signed_timestamp_is_accepted_until_it_expires(trust: TrustStore, employment: Credential) -> None:
    now = _now()
    envelope = _sha256_signed(_with_timestamp(now, now + dt.timedelta(minutes=5)), employment)
    assert verify_envelope(envelope, trust, now).signer.bin == EMPLOYMENT_BIN
    with pytest.raises(MessageExpired, match="expired at"):
        verify_envelope(envelope, trust, now + dt.timedelta(minutes=5, seconds=1))


def test_a_timestamp_created_in_the_future_is_refused(trust: TrustStore, employment: Credential) -> None:
    now = _now()
    envelope = _sha256_signed(_with_timestamp(now + dt.timedelta(minutes=3), now + dt.timedelta(minutes=8)), employment)
    with pytest.raises(MessageExpired, match="ahead of the receiver's time"):
        verify_envelope(envelope, trust, now)
    assert verify_envelope(envelope, trust, now + dt.timedelta(minutes=2, seconds=30)).signer.bin == EMPLOYMENT_BIN


def test_an_unsigned_timestamp_is_refused(trust: TrustStore, employment: Credential) -> None:
    now = _now()
    envelope = _reparsed(sign_envelope(_request(), employment))
    signed_alone = _with_timestamp(now, now + dt.timedelta(minutes=5)).find(f".//{{{WSU_NS}}}Timestamp")
    assert signed_alone is not None
    signed_alone.set(f"{{{WSU_NS}}}Id", "TS-1")
    security = envelope.find(f".//{{{WSSE_NS}}}Security")
    assert security is not None
    security.append(signed_alone)
    with pytest.raises(SignatureInvalid, match="must cover the wsu:Timestamp"):
        verify_envelope(_reparsed(envelope), trust, now)


def test_rsa_sha1_is_refused_unless_allowed(trust: TrustStore, employment: Credential) -> None:
    now = _now()
    envelope = _zeep_signed(
        _with_timestamp(now, now + dt.timedelta(minutes=5)), employment, None, None
    )  # zeep's default
    assert envelope.find(f".//{{{DS_NS}}}SignatureMethod").get("Algorithm").endswith("rsa-sha1")  # type: ignore[union-attr]
    with pytest.raises(SignatureInvalid) as refused:
        verify_envelope(envelope, trust, now)
    assert str(refused.value) == SHA1_REFUSED
    assert verify_envelope(envelope, trust, now, allow_sha1=True).sha1


@pytest.fixture(scope="module")
def ec_employment(layout: PkiLayout) -> Credential:
    now = _now()
    subject = system_subject("employment", EMPLOYMENT_BIN, "employment centre")
    return issuing_authority(layout, None).issue(
        subject, now - dt.timedelta(days=1), now + dt.timedelta(days=30), (KeyPurpose.ORGANISATION,), "ec"
    )


def test_ecdsa_sha256_is_signed_and_verified(trust: TrustStore, ec_employment: Credential) -> None:
    ours = _reparsed(sign_envelope(_request(), ec_employment))
    assert ours.find(f".//{{{DS_NS}}}SignatureMethod").get("Algorithm") == ECDSA_SHA256  # type: ignore[union-attr]
    assert verify_envelope(ours, trust, _now()).signer.bin == EMPLOYMENT_BIN
    now = _now()
    theirs = _zeep_signed(
        _with_timestamp(now, now + dt.timedelta(minutes=5)),
        ec_employment,
        xmlsec.Transform.ECDSA_SHA256,
        xmlsec.Transform.SHA256,
    )
    assert verify_envelope(theirs, trust, now).signer.bin == EMPLOYMENT_BIN
