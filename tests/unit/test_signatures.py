"""Sign/verify round trips of both XML-DSig layers, and the messages that must be refused."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from lxml import etree

from adapters.pki import TrustStore
from adapters.shep import Payload, RequestInfo, build_request, parse_request
from adapters.signatures import (
    NotSigned,
    SignatureInvalid,
    SignatureNotCurrent,
    sign_document,
    sign_envelope,
    verify_document,
    verify_envelope,
)
from adapters.signatures.transport import DS_NS, SOAP_NS, WSSE_NS
from adapters.xml import XmlRejected, parse_xml, to_bytes
from mocks.nca.authority import CertificateAuthority, PersonName, create_root

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def pki() -> dict[str, object]:
    root = create_root(NOW - dt.timedelta(days=30))
    issuing = root.issue_ca("issuing", NOW - dt.timedelta(days=30))
    stranger_root = create_root(NOW - dt.timedelta(days=30))
    return {
        "trust": TrustStore([root.credential.certificate], [issuing.credential.certificate]),
        "portal": issuing.issue_system("portal", "061140010003", "portal", NOW - dt.timedelta(days=1)),
        "expired": issuing.issue_system("old", "061140010003", "portal", NOW - dt.timedelta(days=40), days=10),
        "stranger": CertificateAuthority(stranger_root.credential).issue_system("x", "061140010003", "x", NOW),
        "citizen": issuing.issue_person("920314403019", PersonName("Сейткали", "Айгерим"), NOW - dt.timedelta(days=1)),
    }


def _message(iin: str = "920314403019") -> etree._Element:
    payload = etree.fromstring(
        f'<m:request xmlns:m="http://message.persistence.interactive.nat"><iin>{iin}</iin></m:request>'
    )
    info = RequestInfo(
        message_id="m-1",
        service_id="GBDFL_UniversalServiceSync",
        sender_id="EGOV_PORTAL",
        message_date=NOW,
        correlation_id="c-1",
    )
    return build_request(info, Payload(element=payload))


def test_transport_round_trip_reads_the_signed_body(pki: dict) -> None:
    raw = to_bytes(sign_envelope(_message(), pki["portal"]))
    verified = verify_envelope(parse_xml(raw), pki["trust"], NOW)
    assert verified.signer.bin == "061140010003"
    info, payload = parse_request(verified.signed_body)
    assert info.correlation_id == "c-1"
    assert payload.element is not None and payload.element.findtext("iin") == "920314403019"


def test_ws_security_header_has_the_gateway_shape(pki: dict) -> None:
    """wsse:Security with mustUnderstand="1" over a Body that carries its own xmlns:wsu and a wsu:Id."""
    raw = to_bytes(sign_envelope(_message(), pki["portal"]))
    wsu = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
    assert f'<soap:Body xmlns:wsu="{wsu}" wsu:Id="id-'.encode() in raw
    envelope = parse_xml(raw)
    security = envelope.find(f"{{{SOAP_NS}}}Header/{{{WSSE_NS}}}Security")
    assert security is not None and security.get(f"{{{SOAP_NS}}}mustUnderstand") == "1"
    (reference,) = security.findall(f".//{{{DS_NS}}}Reference")
    transforms = [t.get("Algorithm") for t in reference.iter(f"{{{DS_NS}}}Transform")]
    assert transforms == ["http://www.w3.org/2001/10/xml-exc-c14n#"]
    identifier = security.find(
        f"{{{DS_NS}}}Signature/{{{DS_NS}}}KeyInfo/{{{WSSE_NS}}}SecurityTokenReference/{{{WSSE_NS}}}KeyIdentifier"
    )
    assert identifier is not None and identifier.get("ValueType", "").endswith("#X509v3")
    assert identifier.get("EncodingType", "").endswith("#Base64Binary")


def test_tampered_body_is_rejected(pki: dict) -> None:
    raw = to_bytes(sign_envelope(_message(), pki["portal"]))
    tampered = raw.replace(b"<iin>920314403019</iin>", b"<iin>850902305172</iin>")
    assert tampered != raw
    with pytest.raises(SignatureInvalid, match="Digest mismatch"):
        verify_envelope(parse_xml(tampered), pki["trust"], NOW)


def test_unsigned_message_is_rejected(pki: dict) -> None:
    with pytest.raises(NotSigned):
        verify_envelope(_message(), pki["trust"], NOW)


def test_certificate_of_another_ca_is_rejected(pki: dict) -> None:
    raw = to_bytes(sign_envelope(_message(), pki["stranger"]))
    with pytest.raises(SignatureInvalid, match="does not chain"):
        verify_envelope(parse_xml(raw), pki["trust"], NOW)


def test_expired_certificate_is_not_current(pki: dict) -> None:
    raw = to_bytes(sign_envelope(_message(), pki["expired"]))
    with pytest.raises(SignatureNotCurrent, match="expired"):
        verify_envelope(parse_xml(raw), pki["trust"], NOW)


def test_signature_wrapping_is_rejected(pki: dict) -> None:
    """Move the signed Body into the header and put a forged Body in its place."""
    signed = parse_xml(to_bytes(sign_envelope(_message(), pki["portal"])))
    original_body = signed.find(f"{{{SOAP_NS}}}Body")
    forged = copy.deepcopy(original_body)
    forged.find(".//iin").text = "850902305172"
    header = signed.find(f"{{{SOAP_NS}}}Header")
    header.append(original_body)
    signed.append(forged)
    with pytest.raises(SignatureInvalid):
        verify_envelope(parse_xml(to_bytes(signed)), pki["trust"], NOW)


def test_business_signature_round_trip_and_tamper(pki: dict) -> None:
    form = etree.fromstring('<f:form xmlns:f="urn:f"><iin>920314403019</iin></f:form>')
    text = etree.tostring(sign_document(form, pki["citizen"]), encoding="unicode")
    verified = verify_document(parse_xml(text), pki["trust"], NOW)
    assert verified.signer.iin == "920314403019"
    with pytest.raises(SignatureInvalid):
        verify_document(parse_xml(text.replace("920314403019</iin>", "850902305172</iin>")), pki["trust"], NOW)
    with pytest.raises(NotSigned):
        verify_document(form, pki["trust"], NOW)


def test_a_business_signature_outside_the_xml_dsig_schema_is_invalid_not_an_internal_error(pki: dict) -> None:
    """A SignatureValue that is not base64 fails signxml's schema check (lxml's DocumentInvalid): it is an invalid
    signature (SCE016 at the receiver), never an unexpected exception."""
    form = etree.fromstring('<f:form xmlns:f="urn:f"><iin>920314403019</iin></f:form>')
    signed = sign_document(form, pki["citizen"])
    value = signed.find(f".//{{{DS_NS}}}SignatureValue")
    assert value is not None
    value.text = "not base64 at all!"
    with pytest.raises(SignatureInvalid):
        verify_document(parse_xml(etree.tostring(signed)), pki["trust"], NOW)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx"><!ENTITY y "&x;&x;">]><a>&y;</a>', "dtd"),
        (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>', "dtd"),
        (b"<a><b></a>", "malformed"),
        (b"<a>" + b"x" * 2000 + b"</a>", "too-large"),
    ],
)
def test_hostile_xml_is_refused(raw: bytes, reason: str) -> None:
    with pytest.raises(XmlRejected) as caught:
        parse_xml(raw, max_bytes=1000)
    assert caught.value.reason == reason
