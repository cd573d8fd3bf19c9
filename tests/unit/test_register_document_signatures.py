"""Signing and verifying the register documents: each signed by the right official (the centre's director;
the applicant for Annex 7), verified, attributed to the signer's organisation or person, checked against the
schema and read back; every other outcome refused with the gateway code it amounts to."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from lxml import etree

from adapters.pki import Credential, PkiLayout, TrustStore
from adapters.shep import ErrorCode
from adapters.signed_documents import (
    DocumentRejected,
    read_signed_register_document,
    sign_register_document,
    sign_to_text,
)
from contracts import register_documents as rd
from ecosystem.catalogue import official, system
from ecosystem.settings import Settings
from employment.adapters.register_documents import RegisterDocumentSigner
from kernel.clock import almaty
from tests.contracts.register_samples import PERSON, samples

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=almaty())
CENTRE_BIN = system("employment").bin
DIRECTOR = official("employment-director")
SAMPLES = samples()
CENTRE_KINDS = [kind for kind in rd.RegisterKind if kind is not rd.RegisterKind.CERTIFICATE_APPLICATION]


@pytest.fixture(scope="module")
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


@pytest.fixture(scope="module")
def trust(layout: PkiLayout) -> TrustStore:
    return layout.trust_store()


@pytest.fixture(scope="module")
def signer(layout: PkiLayout) -> RegisterDocumentSigner:
    return RegisterDocumentSigner(DIRECTOR, layout.load_credential(layout.official(DIRECTOR.role)))


@pytest.fixture(scope="module")
def citizen(layout: PkiLayout) -> Credential:
    return layout.load_credential(layout.person(PERSON.iin))


@pytest.mark.parametrize("kind", CENTRE_KINDS)
def test_the_director_signs_each_centre_document_and_it_verifies_as_the_centres(
    kind: rd.RegisterKind, signer: RegisterDocumentSigner, trust: TrustStore
) -> None:
    text = signer.sign(SAMPLES[kind])

    verified = read_signed_register_document(text, trust, NOW, signer_bin=CENTRE_BIN)

    expected = dataclasses.replace(SAMPLES[kind], centre_name=signer.centre_name, director_name=signer.director_name)
    assert verified.document == expected
    assert verified.signer.iin == DIRECTOR.iin and verified.signer.bin == CENTRE_BIN
    assert verified.text == text
    assert signer.director_name == "Серикбаев Ерлан Муратович" and signer.centre_name == DIRECTOR.organisation


def test_the_applicant_signs_the_certificate_application(citizen: Credential, trust: TrustStore) -> None:
    application = SAMPLES[rd.RegisterKind.CERTIFICATE_APPLICATION]
    text = sign_register_document(application, citizen)

    verified = read_signed_register_document(text, trust, NOW, signer_iin=PERSON.iin)

    assert verified.document == application and verified.signer.iin == PERSON.iin and verified.signer.bin is None


def test_the_centre_does_not_sign_an_application(signer: RegisterDocumentSigner) -> None:
    with pytest.raises(ValueError, match="signed by the applicant"):
        signer.sign(SAMPLES[rd.RegisterKind.CERTIFICATE_APPLICATION])


def test_a_signer_with_another_officials_key_is_refused(layout: PkiLayout) -> None:
    operator = official("state-corp-operator")
    with pytest.raises(ValueError, match="not to director"):
        RegisterDocumentSigner(DIRECTOR, layout.load_credential(layout.official(operator.role)))


def test_the_delivery_envelope_names_the_centre_and_the_addressee(signer: RegisterDocumentSigner) -> None:
    delivery = signer.signed_delivery(SAMPLES[rd.RegisterKind.DEREGISTERED])
    assert (delivery.recipient_iin, delivery.document_kind, delivery.document_number) == (
        PERSON.iin,
        "deregistered",
        "DR-N-2026-000021",
    )
    assert delivery.issuer.bin == CENTRE_BIN and delivery.signed_document.startswith("<lmr:unemployedDeregistration")


# ---- refusals ------------------------------------------------------------------------------------


def test_a_document_signed_by_another_organisation_is_refused(
    layout: PkiLayout, trust: TrustStore, citizen: Credential
) -> None:
    operator = layout.load_credential(layout.official("state-corp-operator"))
    for credential in (operator, citizen):
        text = sign_register_document(SAMPLES[rd.RegisterKind.CERTIFICATE], credential)
        with pytest.raises(DocumentRejected, match="not by an official of the organisation") as refused:
            read_signed_register_document(text, trust, NOW, signer_bin=CENTRE_BIN)
        assert refused.value.code is ErrorCode.BUSINESS_SIGNATURE_INVALID


def test_an_application_signed_by_someone_else_is_refused(trust: TrustStore, layout: PkiLayout) -> None:
    other = layout.load_credential(layout.person("850902305172"))
    text = sign_register_document(SAMPLES[rd.RegisterKind.CERTIFICATE_APPLICATION], other)
    with pytest.raises(DocumentRejected, match=f"not by the person IIN {PERSON.iin}") as refused:
        read_signed_register_document(text, trust, NOW, signer_iin=PERSON.iin)
    assert refused.value.code is ErrorCode.BUSINESS_SIGNATURE_INVALID


def test_an_unsigned_document_is_refused(trust: TrustStore) -> None:
    text = etree.tostring(rd.write_register_document(SAMPLES[rd.RegisterKind.CERTIFICATE]), encoding="unicode")
    with pytest.raises(DocumentRejected) as refused:
        read_signed_register_document(text, trust, NOW, signer_bin=CENTRE_BIN)
    assert refused.value.code is ErrorCode.BUSINESS_DATA_NOT_SIGNED


def test_a_document_changed_after_signing_is_refused(signer: RegisterDocumentSigner, trust: TrustStore) -> None:
    text = signer.sign(SAMPLES[rd.RegisterKind.CERTIFICATE]).replace("2026-12-26", "2027-12-26")
    with pytest.raises(DocumentRejected) as refused:
        read_signed_register_document(text, trust, NOW, signer_bin=CENTRE_BIN)
    assert refused.value.code is ErrorCode.BUSINESS_SIGNATURE_INVALID


def test_a_signature_checked_after_the_certificate_expired_is_not_current(
    signer: RegisterDocumentSigner, trust: TrustStore
) -> None:
    text = signer.sign(SAMPLES[rd.RegisterKind.CERTIFICATE])
    with pytest.raises(DocumentRejected) as refused:
        read_signed_register_document(text, trust, NOW.replace(year=2060), signer_bin=CENTRE_BIN)
    assert refused.value.code is ErrorCode.BUSINESS_SIGNATURE_NOT_CURRENT


@pytest.mark.parametrize("text", ["", "not xml", "<a><b></a>", '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'])
def test_malformed_text_is_refused_as_malformed(text: str, trust: TrustStore) -> None:
    with pytest.raises(DocumentRejected) as refused:
        read_signed_register_document(text, trust, NOW, signer_bin=CENTRE_BIN)
    assert refused.value.code is ErrorCode.MALFORMED


def test_an_oversized_document_is_refused_before_it_is_read(signer: RegisterDocumentSigner, trust: TrustStore) -> None:
    text = signer.sign(SAMPLES[rd.RegisterKind.CERTIFICATE])
    with pytest.raises(DocumentRejected, match="exceeds the limit") as refused:
        read_signed_register_document(text, trust, NOW, signer_bin=CENTRE_BIN, max_bytes=len(text.encode()) - 1)
    assert refused.value.code is ErrorCode.MALFORMED


def test_a_signed_document_that_breaks_the_schema_is_refused(layout: PkiLayout, trust: TrustStore) -> None:
    element = rd.write_register_document(SAMPLES[rd.RegisterKind.CERTIFICATE])
    valid_until = element.find("validUntil")
    assert valid_until is not None
    element.remove(valid_until)  # a correctly signed document the schema refuses
    text = sign_to_text(element, layout.load_credential(layout.official(DIRECTOR.role)))
    with pytest.raises(DocumentRejected, match=r"register-documents\.xsd") as refused:
        read_signed_register_document(text, trust, NOW, signer_bin=CENTRE_BIN)
    assert refused.value.code is ErrorCode.MALFORMED
