"""The transport signature made and checked directly: lxml's exclusive c14n and ``cryptography``, in place.

signxml copies the whole document (``tostring``/``fromstring``) for the signature, for every reference and for
every c14n transform; on a SyncChannel message that is most of the cost of a signature (``docs/gateway.md``,
"Performance"). What this project signs, and what the common SOAP stacks send, has one fixed shape
(``docs/protocol.md``, ``docs/signing.md``): exclusive c14n (without comments) of ``SignedInfo``, RSA-SHA256 or
ECDSA-SHA256 (RSA-SHA1 when allowed), references by ``#id`` each with the one exclusive c14n transform and a
SHA-256 (SHA-1 when allowed) digest. For exactly that shape the signature is checked here on the message's
own tree; any other shape (inclusive namespace prefixes, a reference without transforms, comments or processing
instructions in the signature, other attributes or elements) raises :class:`OutsideProfile` and the caller
hands the signature to signxml, the reference implementation, which accepts or refuses it as before.

This module checks the cryptography only. Which elements the references must name (the Body, the Timestamp,
each id unique), the transforms allowed, the algorithms the sender may use and the certificate itself are
checked by :func:`adapters.signatures.transport.verify_envelope` before it comes here, as for signxml.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from lxml import etree

from adapters.pki.credentials import SigningKey
from adapters.signatures.algorithms import EXCLUSIVE_C14N
from adapters.signatures.errors import SignatureError, SignatureInvalid

DS_NS = "http://www.w3.org/2000/09/xmldsig#"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
ECDSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"

_SIGNATURE_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    RSA_SHA256: hashes.SHA256,
    ECDSA_SHA256: hashes.SHA256,
    RSA_SHA1: hashes.SHA1,
}
_LEGACY = frozenset({RSA_SHA1, SHA1})


class OutsideProfile(SignatureError):
    """The signature is not of the one shape checked here; signxml decides on it (never raised to callers of the
    package: :func:`adapters.signatures.transport.verify_envelope` catches it)."""


def _ds(name: str) -> str:
    return f"{{{DS_NS}}}{name}"


def exclusive_c14n(element: etree._Element) -> bytes:
    """Exclusive XML canonicalisation 1.0 without comments of ``element`` where it stands in its document."""
    return bytes(etree.tostring(element, method="c14n", exclusive=True, with_comments=False))


def _children(element: etree._Element, *names: str, repeat_last: bool = False) -> list[etree._Element]:
    """The element children of ``element`` when they are exactly ``names`` in order (the last one or more times
    with ``repeat_last``), with no attributes but those the profile names; else :class:`OutsideProfile`."""
    children = list(element)
    wanted = [_ds(name) for name in names]
    if repeat_last and len(children) >= len(wanted):
        wanted += [wanted[-1]] * (len(children) - len(wanted))
    if [child.tag for child in children] != wanted:
        raise OutsideProfile(f"{etree.QName(element).localname} holds other elements")
    return children


def _only_attributes(element: etree._Element, *names: str) -> None:
    if any(name not in names for name in element.attrib):
        raise OutsideProfile(f"{etree.QName(element).localname} has other attributes")


def _algorithm(element: etree._Element) -> str:
    _only_attributes(element, "Algorithm")
    if len(element) or (element.text or "").strip():
        raise OutsideProfile(f"{etree.QName(element).localname} has content")
    return element.get("Algorithm") or ""


def _no_mixed_content(signature: etree._Element, signed_info: etree._Element) -> None:
    """Text only in ``DigestValue`` and ``SignatureValue``; elsewhere only whitespace between elements."""
    holding_text = (_ds("DigestValue"), _ds("SignatureValue"))
    for node in (signature, *signed_info.iter()):
        if node.tag not in holding_text and (node.text or "").strip():
            raise OutsideProfile(f"text in {etree.QName(node).localname}")
    for node in (*signature, *signed_info.iter()):
        if (node.tail or "").strip():
            raise OutsideProfile(f"text after {etree.QName(node).localname}")


def _base64(text: str | None, what: str) -> bytes:
    """Strict base64 (whitespace allowed); anything else is left to signxml's own reading and schema check."""
    try:
        return base64.b64decode("".join((text or "").split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise OutsideProfile(f"{what} is not strict base64") from exc


def verify_signature(
    signature: etree._Element,
    targets: Mapping[str, etree._Element],
    public_key: object,
    *,
    allow_sha1: bool,
) -> None:
    """Check that ``signature`` (a ``ds:Signature``) is a valid signature by ``public_key`` over ``targets``
    (each reference URI, ``#id``, and the element it must name), each digest over the element's exclusive c14n.

    Raises :class:`OutsideProfile` (any other shape: signxml decides) or :class:`SignatureInvalid`.
    """
    if any(not isinstance(node.tag, str) for node in signature.iter()):
        raise OutsideProfile("comments or processing instructions in the signature")
    _only_attributes(signature, "Id")
    signed_info, signature_value, _ = _children(signature, "SignedInfo", "SignatureValue", "KeyInfo")
    _no_mixed_content(signature, signed_info)
    _only_attributes(signed_info, "Id")
    _only_attributes(signature_value, "Id")
    c14n_method, signature_method, *references = _children(
        signed_info, "CanonicalizationMethod", "SignatureMethod", "Reference", repeat_last=True
    )
    if _algorithm(c14n_method) != EXCLUSIVE_C14N:
        raise OutsideProfile("SignedInfo is not canonicalised with exclusive c14n")
    method = _algorithm(signature_method)
    digests: list[tuple[str, str, bytes]] = []
    for reference in references:
        _only_attributes(reference, "URI")
        transforms, digest_method, digest_value = _children(reference, "Transforms", "DigestMethod", "DigestValue")
        _only_attributes(transforms)
        _only_attributes(digest_value)
        (transform,) = _children(transforms, "Transform")
        if _algorithm(transform) != EXCLUSIVE_C14N:
            raise OutsideProfile("a reference is not transformed by exclusive c14n alone")
        digests.append(
            (reference.get("URI") or "", _algorithm(digest_method), _base64(digest_value.text, "DigestValue"))
        )
    if method not in _SIGNATURE_HASHES or any(digest not in (SHA256, SHA1) for _, digest, _ in digests):
        raise OutsideProfile("an algorithm this profile does not know")
    if not allow_sha1 and (method in _LEGACY or any(digest in _LEGACY for _, digest, _ in digests)):
        raise OutsideProfile("SHA-1 not allowed")
    if sorted(uri for uri, _, _ in digests) != sorted(targets):
        raise OutsideProfile("the references do not name the expected elements")
    raw_signature = _base64(signature_value.text, "SignatureValue")
    _check_signature(public_key, method, raw_signature, exclusive_c14n(signed_info))
    for index, (uri, digest, value) in enumerate(digests):
        computed = (hashlib.sha256 if digest == SHA256 else hashlib.sha1)(exclusive_c14n(targets[uri])).digest()
        if computed != value:
            raise SignatureInvalid(
                f"transport signature does not verify: Digest mismatch for reference {index} ({uri})"
            )


def _check_signature(public_key: object, method: str, raw: bytes, signed_info: bytes) -> None:
    algorithm = _SIGNATURE_HASHES[method]()
    try:
        if method == ECDSA_SHA256:
            if not isinstance(public_key, ec.EllipticCurvePublicKey):
                raise SignatureInvalid("transport signature does not verify: ECDSA signature, but the key is not EC")
            size = (public_key.key_size + 7) // 8
            if len(raw) != 2 * size:
                raise SignatureInvalid(
                    f"transport signature does not verify: Expected {2 * size} byte SignatureValue, got {len(raw)}"
                )
            der = encode_dss_signature(int.from_bytes(raw[:size], "big"), int.from_bytes(raw[size:], "big"))
            public_key.verify(der, signed_info, ec.ECDSA(algorithm))
        else:
            if not isinstance(public_key, rsa.RSAPublicKey):
                raise SignatureInvalid("transport signature does not verify: RSA signature, but the key is not RSA")
            public_key.verify(raw, signed_info, PKCS1v15(), algorithm)
    except InvalidSignature as exc:
        raise SignatureInvalid("transport signature does not verify: Signature verification failed") from exc


def sign_references(targets: Sequence[tuple[str, etree._Element]], key: SigningKey) -> etree._Element:
    """A ``ds:Signature`` by ``key`` over ``targets`` (each reference URI, ``#id``, and the element it names,
    in its document): exclusive c14n, RSA-SHA256 (ECDSA-SHA256 for an EC key), SHA-256 digests. The caller
    appends its ``ds:KeyInfo`` and puts it in place; the shape is the one :func:`verify_signature` checks."""
    method = ECDSA_SHA256 if isinstance(key, ec.EllipticCurvePrivateKey) else RSA_SHA256
    signature = etree.Element(_ds("Signature"), nsmap={"ds": DS_NS})
    signed_info = etree.SubElement(signature, _ds("SignedInfo"))
    etree.SubElement(signed_info, _ds("CanonicalizationMethod"), Algorithm=EXCLUSIVE_C14N)
    etree.SubElement(signed_info, _ds("SignatureMethod"), Algorithm=method)
    for uri, target in targets:
        reference = etree.SubElement(signed_info, _ds("Reference"), URI=uri)
        transforms = etree.SubElement(reference, _ds("Transforms"))
        etree.SubElement(transforms, _ds("Transform"), Algorithm=EXCLUSIVE_C14N)
        etree.SubElement(reference, _ds("DigestMethod"), Algorithm=SHA256)
        digest = hashlib.sha256(exclusive_c14n(target)).digest()
        etree.SubElement(reference, _ds("DigestValue")).text = base64.b64encode(digest).decode("ascii")
    signed = exclusive_c14n(signed_info)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        r, s = decode_dss_signature(key.sign(signed, ec.ECDSA(hashes.SHA256())))
        size = (key.key_size + 7) // 8
        value = r.to_bytes(size, "big") + s.to_bytes(size, "big")
    else:
        value = key.sign(signed, PKCS1v15(), hashes.SHA256())
    etree.SubElement(signature, _ds("SignatureValue")).text = base64.b64encode(value).decode("ascii")
    return signature
