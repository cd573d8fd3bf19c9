"""SP-4 (regulation 004 §9 (1)-(5)): the job-loss payment form, checked and turned into the ``paymentApplication``.

What the applicant gives (:class:`mocks.portal.job_loss_schemas.JobLossApplicationRequest`): the IBAN of the
account the payment goes to, the documents (the identity document, the certificate of registration as
unemployed — Rules No. 259 Annex 8 —, the document of the bank account), their electronic copies and the
consent to the collection and processing of personal data (Social Code Art. 115 p.1 sub.5: without it the
fund refuses to accept, PE-4 (5); the portal does not send it at all). What the portal fills in: the
applicant's surname, name, patronymic, birth date and sex as the portal knows the person (the synthetic
population the person registry also serves), their identity document when not given, and the certificate
from the personal cabinet (the newest Annex 8 valid today) when not given.

Every input may be hostile: an IBAN that is not a Kazakh IBAN with a right check (ISO 13616 mod 97), a copy
that is not strict base64, empty, or larger than ``max_copy_bytes`` (413), two copies of one document, a copy
of a document the application does not have, dates the wrong way round — each refused with what to correct,
and nothing stored. The copies are not kept: the signed application carries the SHA-256 of each (hex).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from adapters.xml import XmlRejected, parse_xml
from contracts import job_loss_payment as jl
from contracts import register_documents as register
from contracts.errors import PayloadError
from mocks.population import SyntheticPerson
from mocks.portal.applications import FormRejectedError, FormTooLargeError
from mocks.portal.job_loss_schemas import CopyIn, DocumentIn, JobLossApplicationRequest
from mocks.portal.storage import CabinetDocumentRow

MAX_COPY_BYTES = 131_072  # one scan, decoded; the JSON body is capped as a whole before (max_request_body_bytes)
IBAN_LENGTH_KZ = 20
SEX_OF_GENDER = {"1": jl.Sex.MALE, "2": jl.Sex.FEMALE}  # the registry's gender codes (docs/contracts.md)


def iban_problem(value: str) -> str | None:
    """Why ``value`` is not a Kazakh IBAN (``KZ``, 2 check digits, 16 letters or digits; mod 97 = 1), or None."""
    if len(value) != IBAN_LENGTH_KZ or not value.startswith("KZ") or not value.isascii() or not value.isalnum():
        return f"bankAccount {value!r} is not a Kazakh IBAN: KZ, 2 check digits and 16 letters or digits"
    if not value[2:4].isdigit() or value != value.upper():
        return f"bankAccount {value!r} is not a Kazakh IBAN: KZ, 2 check digits and 16 capital letters or digits"
    rearranged = value[4:] + value[:4]
    if int("".join(str(int(char, 36)) for char in rearranged)) % 97 != 1:
        return f"bankAccount {value!r} has a wrong check (ISO 13616 mod 97): check the account number"
    return None


def copy_digest(copy: CopyIn, max_bytes: int = MAX_COPY_BYTES) -> str:
    """The SHA-256 (hex) of an uploaded copy, or :class:`FormRejectedError` / :class:`FormTooLargeError`."""
    text = "".join(copy.contentBase64.split())
    if len(text) > 4 * ((max_bytes + 2) // 3):
        raise FormTooLargeError(f"the copy {copy.fileName!r} is larger than {max_bytes} bytes; send a smaller scan")
    try:
        content = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise FormRejectedError(f"the copy {copy.fileName!r} is not base64: {exc}") from exc
    if not content:
        raise FormRejectedError(f"the copy {copy.fileName!r} is empty")
    if len(content) > max_bytes:
        raise FormTooLargeError(f"the copy {copy.fileName!r} is larger than {max_bytes} bytes; send a smaller scan")
    return hashlib.sha256(content).hexdigest()


def identity_document_of(person: SyntheticPerson) -> DocumentIn:
    """The person's identity document as the registry holds it."""
    document = person.document
    return DocumentIn(number=document.number, issuedOn=document.issued_on, validUntil=document.valid_until)


def cabinet_certificate(rows: Sequence[CabinetDocumentRow], today: date, max_bytes: int) -> DocumentIn | None:
    """The newest certificate of registration as unemployed (Annex 8) in the cabinet still valid ``today``."""
    found: list[register.UnemployedCertificate] = []
    for row in rows:
        if row.kind != register.RegisterKind.CERTIFICATE.value:
            continue
        try:
            document = register.read_register_document(parse_xml(row.document, max_bytes=max_bytes))
        except (XmlRejected, PayloadError):
            continue  # a kept document that cannot be read is not offered
        if isinstance(document, register.UnemployedCertificate) and document.valid_until >= today:
            found.append(document)
    if not found:
        return None
    newest = max(found, key=lambda certificate: certificate.issued_on)
    return DocumentIn(number=newest.document_number, issuedOn=newest.issued_on, validUntil=newest.valid_until)


@dataclass(frozen=True)
class FormFacts:
    """What the portal knows when it builds the application: the person, and the cabinet's certificate."""

    person: Callable[[str], SyntheticPerson | None]
    cabinet_certificate: Callable[[str, date], DocumentIn | None]


def applicant_of(person: SyntheticPerson) -> jl.Applicant:
    sex = SEX_OF_GENDER.get(person.gender)
    if sex is None:
        raise FormRejectedError(f"the portal does not know the sex of {person.iin}; apply at the department")
    return jl.Applicant(person.iin, person.surname, person.name, person.patronymic, person.birth_date, sex)


def _attached(kind: jl.DocumentKind, given: DocumentIn, holder: str, digest: str | None) -> jl.AttachedDocument:
    if given.validUntil is not None and given.validUntil < given.issuedOn:
        raise FormRejectedError(f"{kind.value}: validUntil {given.validUntil} is before issuedOn {given.issuedOn}")
    return jl.AttachedDocument(kind, given.number.strip(), given.issuedOn, given.validUntil, holder, digest)


def build_application(
    application_id: str,
    submitted_at: datetime,
    request_iin: str,
    form: JobLossApplicationRequest,
    facts: FormFacts,
    *,
    max_copy_bytes: int = MAX_COPY_BYTES,
) -> jl.PaymentApplication:
    """The unsigned ``paymentApplication`` (channel PORTAL) of ``request_iin``, or :class:`FormRejectedError`."""
    if form.consentToPersonalData is not True:
        raise FormRejectedError(
            "consentToPersonalData must be true: the application is accepted only with the consent to collect and "
            "process personal data (Social Code Art. 115 p.1 sub.5)"
        )
    problem = iban_problem(form.bankAccount)
    if problem:
        raise FormRejectedError(problem)
    person = facts.person(request_iin)
    if person is None:
        raise FormRejectedError(f"the portal knows no person with IIN {request_iin}")
    today = submitted_at.date()
    certificate = form.unemployedCertificate or facts.cabinet_certificate(request_iin, today)
    if certificate is None:
        raise FormRejectedError(
            "unemployedCertificate is needed: give the number and term of your certificate of registration as "
            "unemployed, or get it first on the portal (POST /api/certificates)"
        )
    given = {
        jl.DocumentKind.IDENTITY_DOCUMENT: form.identityDocument or identity_document_of(person),
        jl.DocumentKind.UNEMPLOYED_CERTIFICATE: certificate,
        jl.DocumentKind.BANK_ACCOUNT: form.bankAccountDocument,
    }
    digests: dict[jl.DocumentKind, str] = {}
    for copy in form.copies:
        kind = jl.DocumentKind(copy.document)
        if kind in digests:
            raise FormRejectedError(f"two copies of {kind.value}: attach one copy of each document")
        digests[kind] = copy_digest(copy, max_copy_bytes)
    documents = tuple(_attached(kind, document, request_iin, digests.get(kind)) for kind, document in given.items())
    application = jl.PaymentApplication(
        application_id=application_id,
        submitted_at=submitted_at,
        channel=jl.Channel.PORTAL,
        applicant=applicant_of(person),
        documents=documents,
        bank_account=form.bankAccount,
        consent=True,
    )
    try:
        jl.check_against_schema(jl.write_application(application))
    except (jl.JobLossPaymentPayloadError, ValueError) as exc:
        raise FormRejectedError(f"the application does not match {jl.SCHEMA}: {exc}") from exc
    return application
