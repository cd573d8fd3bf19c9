"""A transform outside a layer's list (XSLT, XPath, XPath Filter 2.0) is refused, not skipped: signxml skips
transforms it does not know, so these signatures, re-signed over their SignedInfo, would otherwise verify
(adapters/signatures/transforms.py)."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from lxml import etree

from adapters.pki import Credential, PkiLayout
from adapters.shep import Payload, RequestInfo, build_request
from adapters.signatures import SignatureInvalid, sign_document, sign_envelope, verify_document, verify_envelope
from adapters.signatures.algorithms import EXCLUSIVE_C14N
from adapters.xml import parse_xml, to_bytes
from ecosystem.settings import Settings
from mocks.population import PERSONA_JOB_SEEKER

DS = "http://www.w3.org/2000/09/xmldsig#"
XSLT = "http://www.w3.org/TR/1999/REC-xslt-19991116"
XPATH = "http://www.w3.org/TR/1999/REC-xpath-19991116"
XPATH_FILTER2 = "http://www.w3.org/2002/06/xmldsig-filter2"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@pytest.fixture
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


def _transform(algorithm: str) -> etree._Element:
    transform = etree.Element(f"{{{DS}}}Transform", Algorithm=algorithm, nsmap={"ds": DS})
    if algorithm == XSLT:
        stylesheet = etree.SubElement(
            transform, "{http://www.w3.org/1999/XSL/Transform}stylesheet", version="1.0", nsmap={"xsl": XSLT}
        )
        etree.SubElement(stylesheet, "{http://www.w3.org/1999/XSL/Transform}template", match="/")
    elif algorithm == XPATH:
        etree.SubElement(transform, f"{{{DS}}}XPath").text = "not(ancestor-or-self::ds:Signature)"
    else:
        filter_ = etree.SubElement(
            transform, f"{{{XPATH_FILTER2}}}XPath", Filter="subtract", nsmap={None: XPATH_FILTER2}
        )
        filter_.text = "//secret"
    return transform


def _with_transform(signed: bytes, algorithm: str, credential: Credential) -> etree._Element:
    """``signed`` with ``algorithm`` first among its reference's transforms, SignedInfo signed again."""
    root = parse_xml(signed)
    signature = next(root.iter(f"{{{DS}}}Signature"))
    signed_info = signature.find(f"{{{DS}}}SignedInfo")
    assert signed_info is not None
    transforms = signed_info.find(f"{{{DS}}}Reference/{{{DS}}}Transforms")
    assert transforms is not None
    transforms.insert(0, _transform(algorithm))
    method = signed_info.find(f"{{{DS}}}CanonicalizationMethod")
    assert method is not None
    canonical = etree.tostring(signed_info, method="c14n", exclusive=method.get("Algorithm") == EXCLUSIVE_C14N)
    key = credential.key
    assert isinstance(key, rsa.RSAPrivateKey)
    value = signature.find(f"{{{DS}}}SignatureValue")
    assert value is not None
    value.text = base64.b64encode(key.sign(canonical, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")
    return parse_xml(to_bytes(root))


@pytest.mark.parametrize("algorithm", [XSLT, XPATH, XPATH_FILTER2])
def test_the_transport_signature_refuses_a_transform_it_does_not_list(layout: PkiLayout, algorithm: str) -> None:
    credential = layout.load_credential(layout.system("employment"))
    info = RequestInfo("m-t", "GBDFL_UniversalServiceSync", "ENBEK_LABOUR_MARKET", _now())
    signed = to_bytes(sign_envelope(build_request(info, Payload(element=etree.fromstring("<q/>"))), credential))
    assert verify_envelope(parse_xml(signed), layout.trust_store(), _now()).signer.bin == "000340010007"

    with pytest.raises(SignatureInvalid) as refused:
        verify_envelope(_with_transform(signed, algorithm, credential), layout.trust_store(), _now())
    assert algorithm in str(refused.value) and "transport signature" in str(refused.value)


@pytest.mark.parametrize("algorithm", [XSLT, XPATH, XPATH_FILTER2])
def test_the_business_signature_refuses_a_transform_it_does_not_list(layout: PkiLayout, algorithm: str) -> None:
    credential = layout.load_credential(layout.person(PERSONA_JOB_SEEKER))
    form = etree.fromstring(f"<form><iin>{PERSONA_JOB_SEEKER}</iin></form>")
    signed = etree.tostring(sign_document(form, credential))
    assert verify_document(parse_xml(signed), layout.trust_store(), _now()).signer.iin == PERSONA_JOB_SEEKER

    with pytest.raises(SignatureInvalid) as refused:
        verify_document(_with_transform(signed, algorithm, credential), layout.trust_store(), _now())
    assert algorithm in str(refused.value) and "business-data signature" in str(refused.value)
