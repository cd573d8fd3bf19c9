"""Which certificate signed a WS-Security message: the token references of ``ds:KeyInfo`` (``docs/signing.md``).

Accepted, as the common SOAP stacks send them (WS-Security X.509 Token Profile 1.0/1.1):

- ``wsse:SecurityTokenReference/wsse:KeyIdentifier`` with the whole base64 certificate (``ValueType`` X509v3):
  what this project and the real gateway send;
- ``wsse:SecurityTokenReference/wsse:Reference URI="#id"`` to a ``wsse:BinarySecurityToken`` (X509v3,
  Base64Binary) in the same ``wsse:Security`` header (WSS4J, .NET WCF, zeep's ``BinarySignature``);
- ``ds:X509Data`` directly in ``ds:KeyInfo`` or inside the ``wsse:SecurityTokenReference`` (zeep's
  ``Signature``): its ``ds:X509Certificate``, or only ``ds:X509IssuerSerial``, then looked up among the
  certificates the NCA issued (:meth:`adapters.pki.TrustStore.find_issued`).

Anything else (a thumbprint, a subject key identifier, a reference outside the message) is refused with a
message naming what was found. The certificate found is only a candidate: the caller checks its chain and
that it verifies the signature.
"""

from __future__ import annotations

from cryptography import x509
from lxml import etree

from adapters.pki import CertificateRejected, TrustStore, certificate_from_base64
from adapters.signatures.errors import SignatureInvalid

WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
X509V3 = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
BASE64_BINARY = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
# ValueTypes that name an X.509 certificate itself (1.0 profile; X509 and X509v1 are seen from older stacks).
_CERTIFICATE_VALUE_TYPES = frozenset(
    {X509V3, "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509"}
)


def with_id(root: etree._Element, value: str) -> list[etree._Element]:
    """Every element of ``root``'s document with an attribute named Id, ID or id (any namespace) of ``value``:
    a reference is followed only when this is exactly one element (no signature wrapping)."""
    found: list[etree._Element] = root.xpath(  # type: ignore[assignment]
        "//*[@*[local-name()='Id' or local-name()='ID' or local-name()='id'] = $id]", id=value
    )
    return found


def _decode(text: str | None, where: str) -> x509.Certificate:
    if not (text or "").strip():
        raise SignatureInvalid(f"{where} is empty")
    try:
        return certificate_from_base64("".join((text or "").split()))
    except CertificateRejected as exc:
        raise SignatureInvalid(f"{where} does not hold a certificate: {exc}") from exc


def _check_value_type(element: etree._Element, where: str) -> None:
    value_type = element.get("ValueType")
    if value_type is not None and value_type not in _CERTIFICATE_VALUE_TYPES:
        raise SignatureInvalid(
            f"{where} has ValueType {value_type}; accepted is the certificate itself ({X509V3}), "
            "by KeyIdentifier, by Reference to a BinarySecurityToken, or ds:X509Data"
        )
    encoding = element.get("EncodingType")
    if encoding is not None and encoding != BASE64_BINARY:
        raise SignatureInvalid(f"{where} has EncodingType {encoding}; only {BASE64_BINARY} is accepted")


def _issuer_name(text: str) -> x509.Name:
    try:
        return x509.Name.from_rfc4514_string(text.strip())
    except ValueError as exc:
        raise SignatureInvalid(f"ds:X509IssuerName {text!r} is not an RFC 4514 distinguished name: {exc}") from exc


def _from_x509_data(data: etree._Element, trust: TrustStore) -> x509.Certificate:
    certificates = data.findall(f"{{{DS_NS}}}X509Certificate")
    issuer_serial = data.find(f"{{{DS_NS}}}X509IssuerSerial")
    serial: int | None = None
    issuer: x509.Name | None = None
    if issuer_serial is not None:
        serial_text = (issuer_serial.findtext(f"{{{DS_NS}}}X509SerialNumber") or "").strip()
        if not serial_text.isdigit() or len(serial_text) > 60:
            raise SignatureInvalid(f"ds:X509SerialNumber {serial_text[:64]!r} is not a serial number (decimal digits)")
        serial = int(serial_text)
        issuer = _issuer_name(issuer_serial.findtext(f"{{{DS_NS}}}X509IssuerName") or "")
    if len(certificates) > 1:
        raise SignatureInvalid("ds:X509Data holds more than one ds:X509Certificate; send the signer's only")
    if certificates:
        certificate = _decode(certificates[0].text, "ds:X509Certificate")
        if serial is not None and (certificate.serial_number != serial or certificate.issuer != issuer):
            raise SignatureInvalid("ds:X509IssuerSerial does not name the ds:X509Certificate beside it")
        return certificate
    if serial is None or issuer is None:
        raise SignatureInvalid("ds:X509Data holds neither ds:X509Certificate nor ds:X509IssuerSerial")
    found = trust.find_issued(issuer, serial)
    if found is None:
        raise SignatureInvalid(
            f"no certificate with serial {serial} issued by {issuer.rfc4514_string()} is known to the NCA "
            "(ds:X509IssuerSerial); send the certificate itself"
        )
    return found


def _binary_token(security: etree._Element, uri: str | None) -> x509.Certificate:
    if not uri or not uri.startswith("#") or len(uri) < 2:
        raise SignatureInvalid(
            f"wsse:Reference URI {uri!r} must point into the message (#id of a wsse:BinarySecurityToken)"
        )
    token_id = uri[1:]
    same_id = with_id(security.getroottree().getroot(), token_id)
    if len(same_id) != 1:
        raise SignatureInvalid(f"the id {token_id!r} of the wsse:Reference is not unique in the message")
    token = same_id[0]
    if token.tag != f"{{{WSSE_NS}}}BinarySecurityToken" or token.getparent() is not security:
        raise SignatureInvalid(f"{uri} must be a wsse:BinarySecurityToken of the wsse:Security header")
    _check_value_type(token, "wsse:BinarySecurityToken")
    return _decode(token.text, "wsse:BinarySecurityToken")


def signing_certificate(signature: etree._Element, security: etree._Element, trust: TrustStore) -> x509.Certificate:
    """The certificate ``signature`` (a ``ds:Signature`` in ``security``) names in its ``ds:KeyInfo``."""
    key_info = signature.find(f"{{{DS_NS}}}KeyInfo")
    if key_info is None:
        raise SignatureInvalid("the signature has no ds:KeyInfo naming the sender's certificate")
    children = [child for child in key_info if isinstance(child.tag, str)]
    if len(children) != 1:
        raise SignatureInvalid(f"ds:KeyInfo must hold one token reference, found {len(children)} elements")
    reference = children[0]
    if reference.tag == f"{{{DS_NS}}}X509Data":
        return _from_x509_data(reference, trust)
    if reference.tag != f"{{{WSSE_NS}}}SecurityTokenReference":
        raise SignatureInvalid(
            f"ds:KeyInfo holds {etree.QName(reference).localname}; accepted are wsse:SecurityTokenReference "
            "(KeyIdentifier, Reference to a BinarySecurityToken, X509Data) and ds:X509Data"
        )
    inner = [child for child in reference if isinstance(child.tag, str)]
    if len(inner) != 1:
        raise SignatureInvalid(f"wsse:SecurityTokenReference must hold one reference, found {len(inner)} elements")
    token = inner[0]
    if token.tag == f"{{{WSSE_NS}}}KeyIdentifier":
        _check_value_type(token, "wsse:KeyIdentifier")
        return _decode(token.text, "wsse:KeyIdentifier")
    if token.tag == f"{{{WSSE_NS}}}Reference":
        _check_value_type(token, "wsse:Reference")
        return _binary_token(security, token.get("URI"))
    if token.tag == f"{{{DS_NS}}}X509Data":
        return _from_x509_data(token, trust)
    raise SignatureInvalid(
        f"wsse:SecurityTokenReference holds {etree.QName(token).localname}; accepted are wsse:KeyIdentifier, "
        "wsse:Reference to a wsse:BinarySecurityToken, and ds:X509Data"
    )
