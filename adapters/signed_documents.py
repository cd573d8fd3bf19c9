"""Signed business documents as they travel between systems: signed and serialised by the issuer, and on
arrival parsed hardened, verified, attributed to their signer, checked against their schema and read.

The signature is the enveloped XML-DSig of ``docs/protocol.md`` §5 (:mod:`adapters.signatures.business`);
documents travel as text, so the receiver verifies the bytes that were signed. Who must have signed is the
caller's to say: an organisation (the signer's certificate carries its BIN: the employment centre's director,
the local authority's head) or a person (the certificate carries their IIN: an applicant).

- :func:`sign_to_text` signs any document element; :func:`sign_register_document` writes and signs a document
  of :mod:`contracts.register_documents` (Rules Annexes 4, 5, 7, 8, the certificate refusal, the
  deregistration notice);
- :func:`verify_signed_text` checks a signed document of any schema and returns what the signature covers;
  :func:`read_signed_register_document` does so for a register document and reads it.

Every refusal is a :class:`DocumentRejected` with the gateway's error code it amounts to: SCE001 not XML we
read, not the schema, not the expected kind; SCE017 not signed; SCE016 a signature that does not verify or
was made by someone else; SCE015 a certificate expired, not yet valid or revoked.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from lxml import etree

from adapters.pki import CertificateSubject, Credential, TrustStore
from adapters.shep.faults import ErrorCode, business_signature_code
from adapters.signatures import SignatureError, sign_document, verify_document
from adapters.xml import CompiledSchema, XmlLimits, XmlRejected, parse_xml
from adapters.xml.parser import DEFAULT_MAX_BYTES
from contracts.register_documents import SCHEMA as REGISTER_SCHEMA
from contracts.register_documents import (
    RegisterDocument,
    RegisterDocumentError,
    read_register_document,
    write_register_document,
)
from wsdl import contract_path

__all__ = [
    "DocumentRejected",
    "SignedRegisterDocument",
    "VerifiedText",
    "compiled_schema",
    "read_signed_register_document",
    "sign_register_document",
    "sign_to_text",
    "verify_signed_text",
]

SIGNATURE_SCHEMA = "xsd/xmldsig-core-schema.xsd"


class DocumentRejected(Exception):
    """A signed document cannot be accepted; ``code`` is the gateway error code it amounts to."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class VerifiedText:
    """A verified document: its text as received, who signed it, and the element the signature covers."""

    text: str
    signer: CertificateSubject
    signed: etree._Element


@dataclass(frozen=True)
class SignedRegisterDocument:
    """A register document that verified: the document read, its signer, and its text as received."""

    document: RegisterDocument
    signer: CertificateSubject
    text: str


_LOCK = threading.Lock()


@cache
def _compile(name: str) -> CompiledSchema:
    return CompiledSchema.load(contract_path(name), companions=[contract_path(SIGNATURE_SCHEMA)], name=name)


def compiled_schema(name: str) -> CompiledSchema:
    """Schema ``name`` of ``wsdl/`` compiled with the XML-DSig schema beside it, on first use, once per process
    (a compiled schema is read-only: threads share it)."""
    with _LOCK:
        return _compile(name)


def sign_to_text(document: etree._Element, credential: Credential) -> str:
    """``document`` signed (enveloped, its last child) and serialised exactly as it will travel."""
    return etree.tostring(sign_document(document, credential), encoding="unicode")


def sign_register_document(document: RegisterDocument, credential: Credential) -> str:
    """Write ``document`` (raises ``ValueError`` for what its schema cannot say), sign it with ``credential``
    (the centre's director, or the applicant for Annex 7) and serialise it for the wire."""
    return sign_to_text(write_register_document(document), credential)


def _signer_matches(signer: CertificateSubject, signer_bin: str | None, signer_iin: str | None) -> str | None:
    """Why ``signer`` is not who must have signed (None when it is)."""
    if signer_bin is not None and signer.bin != signer_bin:
        return f"the document is signed by {signer.describe()}, not by an official of the organisation BIN {signer_bin}"
    if signer_iin is not None and signer.iin != signer_iin:
        return f"the document is signed by {signer.describe()}, not by the person IIN {signer_iin}"
    return None


def verify_signed_text(
    text: str,
    trust: TrustStore,
    at: datetime,
    *,
    signer_bin: str | None = None,
    signer_iin: str | None = None,
    schema: CompiledSchema | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    limits: XmlLimits | None = None,
) -> VerifiedText:
    """Parse ``text`` (bounded), verify its enveloped signature at ``at`` against ``trust``, require the signer
    (by BIN and/or IIN when given) and, with ``schema``, validate what the signature covers."""
    try:
        element = parse_xml(text, max_bytes=max_bytes, limits=limits)
    except XmlRejected as exc:
        raise DocumentRejected(ErrorCode.MALFORMED, f"the signed document is not acceptable XML: {exc}") from exc
    try:
        verified = verify_document(element, trust, at)
    except SignatureError as exc:
        raise DocumentRejected(business_signature_code(exc), str(exc)) from exc
    wrong = _signer_matches(verified.signer, signer_bin, signer_iin)
    if wrong is not None:
        raise DocumentRejected(ErrorCode.BUSINESS_SIGNATURE_INVALID, wrong)
    if schema is not None:
        check = schema.check(verified.document)
        if check.error is not None:
            raise DocumentRejected(ErrorCode.MALFORMED, f"the document does not match {schema.name}: {check.error}")
    return VerifiedText(text=text, signer=verified.signer, signed=verified.document)


def read_signed_register_document(
    text: str,
    trust: TrustStore,
    at: datetime,
    *,
    signer_bin: str | None = None,
    signer_iin: str | None = None,
    schema: CompiledSchema | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> SignedRegisterDocument:
    """Verify a signed register document as :func:`verify_signed_text` does (against
    ``register-documents.xsd`` unless another compiled copy is given) and read it."""
    verified = verify_signed_text(
        text,
        trust,
        at,
        signer_bin=signer_bin,
        signer_iin=signer_iin,
        schema=schema or compiled_schema(REGISTER_SCHEMA),
        max_bytes=max_bytes,
    )
    try:
        document = read_register_document(verified.signed)
    except RegisterDocumentError as exc:
        raise DocumentRejected(ErrorCode.MALFORMED, str(exc)) from exc
    return SignedRegisterDocument(document=document, signer=verified.signer, text=text)
