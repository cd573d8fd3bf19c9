"""The fund's regional workstation (``GFSS_JobLossPayment``, ``GFSS_JobLossPaymentResult``) on its own, without the
gateway in front of it, with real signatures of the test PKI: each channel's business signature (SP-5, SP-6 the
applicant; SP-2 the State Corporation's operator; UN-5 the centre's specialist) is accepted and answered with its
receipt; every other document is refused with its SCE code and the fund stores nothing, queues nothing.

The applicant (IIN 900512450123, tests/social_fund/conftest.py) is not one of the synthetic population: the test
NCA issues her a certificate here, as the NCA would for any citizen."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import SignatureConstructionMethod, XMLSigner, XMLVerifier
from signxml.verifier import VerifyResult

from adapters.pki import Credential, PkiLayout
from adapters.shep.envelope import Payload, RequestInfo
from adapters.shep.faults import ErrorCode
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from adapters.signatures import sign_document, verify_document
from adapters.signatures.algorithms import DIGEST_ALGORITHM, EXCLUSIVE_C14N, SIGNATURE_METHOD
from adapters.signatures.business import DS_NS
from adapters.xml import parse_xml
from contracts import job_loss_payment as contract
from contracts.job_loss_payment_model import (
    ApplicationReceipt,
    ApplicationStatus,
    Channel,
    Outcome,
    PaymentApplication,
    Stage,
    StatusQuery,
)
from ecosystem.catalogue import official, system
from ecosystem.settings import Settings
from kernel.clock import FixedClock
from mocks.nca.authority import CertificateAuthority, PersonName
from mocks.nca.provisioning import revoke
from mocks.population import PERSONA_STUDENT
from mocks.social_fund.adapters.signing import HeadSigner
from mocks.social_fund.adapters.storage import FundStore
from mocks.social_fund.entrypoints.job_loss_intake import JobLossIntake
from mocks.social_fund.service_layer.services import FundServices
from tests.social_fund.conftest import IIN, application

SENDERS = {
    Channel.PORTAL: "EGOV_PORTAL",
    Channel.STATE_CORPORATION: "GK_IIS",
    Channel.EMPLOYMENT_CENTRE: "ENBEK_LABOUR_MARKET",
    Channel.DEPARTMENT: "EGOV_PORTAL",
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)  # signatures are checked against the certificates' real validity


@pytest.fixture(scope="module")
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


def _citizen_credential(layout: PkiLayout) -> Credential:
    issuing = CertificateAuthority(layout.load_credential(layout.issuing_ca))
    return issuing.issue_person(IIN, PersonName("Ахметова", "Айгерим", "Серикқызы"), _now() - dt.timedelta(days=1))


@pytest.fixture(scope="module")
def applicant(layout: PkiLayout) -> Credential:
    """The applicant's own certificate, issued by the test NCA."""
    return _citizen_credential(layout)


@pytest.fixture
def signer(layout: PkiLayout) -> HeadSigner:  # type: ignore[override]
    """The department head's real EDS (the conftest's services sign with it)."""
    head = official("fund-department-head")
    return HeadSigner(head, layout.load_credential(layout.official(head.role)))


@pytest.fixture
def intake(services: FundServices, layout: PkiLayout) -> JobLossIntake:
    return JobLossIntake(
        services, layout.trust_store(), _now, 1_048_576, system("state_corp").bin, system("employment").bin
    )


def _value(application_id: str = "APP-1", channel: Channel = Channel.PORTAL, **applicant: Any) -> PaymentApplication:
    return application(application_id, channel, **applicant).application


def _message(service_id: str, payload: Payload, sender: str = "EGOV_PORTAL") -> InboundMessage:
    info = RequestInfo(str(uuid.uuid4()), service_id, sender, _now(), correlation_id="corr-1")
    return InboundMessage(info=info, payload=payload, transport=None)  # type: ignore[arg-type]


def _signed(value: PaymentApplication, credential: Credential) -> str:
    return etree.tostring(sign_document(contract.write_application(value), credential), encoding="unicode")


def _by_official(layout: PkiLayout, role: str, value: PaymentApplication) -> str:
    return _signed(value, layout.load_credential(layout.official(role)))


def _send(intake: JobLossIntake, text: str | None, channel: Channel = Channel.PORTAL) -> ApplicationReceipt:
    answer = intake(_message(contract.APPLICATION_SERVICE, Payload(text=text), SENDERS[channel]))
    assert answer.element is not None
    return contract.read_receipt(answer.element)


def _status(intake: JobLossIntake, application_id: str) -> ApplicationStatus:
    query = Payload(element=contract.write_status_query(StatusQuery(application_id)))
    answer = intake(_message(contract.RESULT_SERVICE, query, "GK_IIS"))
    assert answer.element is not None
    return contract.read_status(answer.element)


def _nothing_stored(store: FundStore) -> bool:
    return store.applications() == [] and store.outbox.messages() == []


# ---- accepted: each channel's own signature ---------------------------------------------------------------------


def test_a_portal_application_signed_by_the_applicant_is_registered_once(
    intake: JobLossIntake, store: FundStore, applicant: Credential, clock: FixedClock
) -> None:
    text = _signed(_value(), applicant)
    first = _send(intake, text)
    assert first.application_id == "APP-1" and not first.already_registered
    assert first.registration_number.startswith("GFSS-20260312-")
    assert first.registered_at == clock.now()
    assert first.deadline == dt.datetime(2026, 3, 30, 9, 30, tzinfo=clock.now().tzinfo)  # SP-1: 8 working days on
    again = _send(intake, _signed(_value(), applicant))
    assert again == dataclasses.replace(first, already_registered=True)
    (stored,) = store.applications()
    assert stored.document == text and f"IIN {IIN}" in stored.signed_by and stored.sender_id == "EGOV_PORTAL"
    assert stored.correlation_id == "corr-1"


@pytest.mark.parametrize(
    ("channel", "role"),
    [
        (Channel.STATE_CORPORATION, "state-corp-operator"),  # SP-2, SP-3
        (Channel.EMPLOYMENT_CENTRE, "employment-worker"),  # UN-5
    ],
)
def test_an_application_signed_by_the_channels_official_is_registered(
    intake: JobLossIntake, store: FundStore, layout: PkiLayout, channel: Channel, role: str
) -> None:
    receipt = _send(intake, _by_official(layout, role, _value(channel=channel)), channel)
    assert not receipt.already_registered
    (stored,) = store.applications()
    assert stored.application.channel is channel and f"IIN {official(role).iin}" in stored.signed_by


# ---- refused: nothing stored --------------------------------------------------------------------------------------


def _tampered(layout: PkiLayout, applicant: Credential) -> str:
    text = _signed(_value(), applicant)
    assert text.count("KZ86125KZT5004100100") == 1
    return text.replace("KZ86125KZT5004100100", "KZ11998KZT0000000001")  # the bank account the money goes to


def _wrapped(layout: PkiLayout, applicant: Credential) -> str:
    """Signature wrapping: the applicant's genuine signature over her own application, carried inside a
    ``ds:Object`` of a signature appended to another root (the same person, another bank account). Exclusive c14n
    keeps that signature valid where it is moved to; a verifier that checks the signed element but reads the root
    would pay into the attacker's account."""
    genuine = contract.write_application(_value())
    signature = XMLSigner(
        method=SignatureConstructionMethod.enveloping,
        signature_algorithm=SIGNATURE_METHOD,
        digest_algorithm=DIGEST_ALGORITHM,
        c14n_algorithm=EXCLUSIVE_C14N,
    ).sign(genuine, key=applicant.key, cert=[applicant.certificate])
    forged = contract.write_application(dataclasses.replace(_value(), bank_account="KZ11998KZT0000000001"))
    forged.append(signature)
    text = etree.tostring(forged, encoding="unicode")
    # the signature verifies where it now is (so only the intake's own rule can refuse it) ...
    found = XMLVerifier().verify(etree.fromstring(text.encode("utf-8")), x509_cert=applicant.certificate)
    assert isinstance(found, VerifyResult) and found.signed_xml is not None
    # ... and what it signed is the genuine application, not the root
    assert found.signed_xml.tag == f"{{{DS_NS}}}Object" and "KZ11998" not in etree.tostring(found.signed_xml).decode()
    return text


def _revoked(layout: PkiLayout, _applicant: Credential) -> str:
    credential = _citizen_credential(layout)
    revoke(layout, credential.certificate)  # published in the test NCA's CRL
    return _signed(_value(), credential)


def _unsigned(_layout: PkiLayout, _applicant: Credential) -> str:
    return etree.tostring(contract.write_application(_value()), encoding="unicode")


def _not_before_tomorrow(layout: PkiLayout, _applicant: Credential) -> str:
    issuing = CertificateAuthority(layout.load_credential(layout.issuing_ca))
    tomorrow = _now() + dt.timedelta(days=1)
    credential = issuing.issue_person(IIN, PersonName("Ахметова", "Айгерим"), tomorrow, not_before=tomorrow)
    return _signed(_value(), credential)


def _certificate_swapped(layout: PkiLayout, applicant: Credential) -> str:
    """Signed by another citizen, then the applicant's certificate put in its KeyInfo."""
    document = etree.fromstring(_by_person(layout, PERSONA_STUDENT, _value()).encode("utf-8"))
    (certificate,) = document.iter(f"{{{DS_NS}}}X509Certificate")
    certificate.text = base64.b64encode(applicant.certificate.public_bytes(serialization.Encoding.DER)).decode()
    return etree.tostring(document, encoding="unicode")


def _by_person(layout: PkiLayout, iin: str, value: PaymentApplication) -> str:
    return _signed(value, layout.load_credential(layout.person(iin)))


Build = Callable[[PkiLayout, Credential], str]
REFUSED: list[tuple[str, Channel, Build, ErrorCode, str]] = [
    (
        "portal, signed by another citizen (SP-5: IIN mismatch)",
        Channel.PORTAL,
        lambda pki, _a: _by_person(pki, PERSONA_STUDENT, _value()),
        ErrorCode.BUSINESS_SIGNATURE_INVALID,
        "SP-5, SP-6",
    ),
    (
        "portal, signed by the State Corporation's operator",
        Channel.PORTAL,
        lambda pki, _a: _by_official(pki, "state-corp-operator", _value()),
        ErrorCode.BUSINESS_SIGNATURE_INVALID,
        "SP-5, SP-6",
    ),
    (
        "State Corporation, signed by the citizen",
        Channel.STATE_CORPORATION,
        lambda _p, a: _signed(_value(channel=Channel.STATE_CORPORATION), a),
        ErrorCode.BUSINESS_SIGNATURE_INVALID,
        "(SP-2)",
    ),
    (
        "State Corporation, signed by the centre's specialist",
        Channel.STATE_CORPORATION,
        lambda pki, _a: _by_official(pki, "employment-worker", _value(channel=Channel.STATE_CORPORATION)),
        ErrorCode.BUSINESS_SIGNATURE_INVALID,
        "(SP-2)",
    ),
    (
        "employment centre, signed by the head of another organisation",
        Channel.EMPLOYMENT_CENTRE,
        lambda pki, _a: _by_official(pki, "local-authority-head", _value(channel=Channel.EMPLOYMENT_CENTRE)),
        ErrorCode.BUSINESS_SIGNATURE_INVALID,
        "(UN-5)",
    ),
    (
        "employment centre, signed by the citizen",
        Channel.EMPLOYMENT_CENTRE,
        lambda _p, a: _signed(_value(channel=Channel.EMPLOYMENT_CENTRE), a),
        ErrorCode.BUSINESS_SIGNATURE_INVALID,
        "(UN-5)",
    ),
    (
        "department channel (the clerk's API, not the gateway)",
        Channel.DEPARTMENT,
        lambda _p, a: _signed(_value(channel=Channel.DEPARTMENT), a),
        ErrorCode.MALFORMED,
        "registered by the clerk",
    ),
    ("unsigned", Channel.PORTAL, _unsigned, ErrorCode.BUSINESS_DATA_NOT_SIGNED, "is not signed"),
    (
        "signature wrapping (the signed element is not the root read)",
        Channel.PORTAL,
        _wrapped,
        ErrorCode.BUSINESS_SIGNATURE_INVALID,
        'Reference URI=""',
    ),
    (
        "bank account changed after signing",
        Channel.PORTAL,
        _tampered,
        ErrorCode.BUSINESS_SIGNATURE_INVALID,
        "Digest mismatch",
    ),
    (
        "another citizen's signature under the applicant's certificate",
        Channel.PORTAL,
        _certificate_swapped,
        ErrorCode.BUSINESS_SIGNATURE_INVALID,
        "does not verify",
    ),
    (
        "certificate revoked at the test NCA",
        Channel.PORTAL,
        _revoked,
        ErrorCode.BUSINESS_SIGNATURE_NOT_CURRENT,
        "was revoked",
    ),
    (
        "certificate not yet valid",
        Channel.PORTAL,
        _not_before_tomorrow,
        ErrorCode.BUSINESS_SIGNATURE_NOT_CURRENT,
        "valid only from",
    ),
    (
        "an IIN with a wrong check digit",
        Channel.PORTAL,
        lambda pki, _a: _by_official(
            pki, "state-corp-operator", _value(channel=Channel.STATE_CORPORATION, iin=IIN[:11] + "4")
        ),
        ErrorCode.MALFORMED,
        "check digit",
    ),
    (
        "a receipt instead of an application",
        Channel.PORTAL,
        lambda _p, a: etree.tostring(
            sign_document(contract.write_receipt(ApplicationReceipt("APP-1", "GFSS-1", _now(), _now())), a),
            encoding="unicode",
        ),
        ErrorCode.MALFORMED,
        "does not match xsd/job-loss-payment.xsd",
    ),
    ("not XML", Channel.PORTAL, lambda _p, _a: "<paymentApplication", ErrorCode.MALFORMED, "not well-formed"),
    (
        "an entity expansion",
        Channel.PORTAL,
        lambda _p, _a: '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;&a;</x>',
        ErrorCode.MALFORMED,
        "DOCTYPE",
    ),
    (
        "too large",
        Channel.PORTAL,
        lambda _p, _a: "<x>" + "a" * 1_100_000 + "</x>",
        ErrorCode.MALFORMED,
        "exceeds the limit",
    ),
]


@pytest.mark.parametrize(("name", "channel", "build", "code", "reason"), REFUSED, ids=[case[0] for case in REFUSED])
def test_a_refused_application_gets_its_code_and_nothing_is_stored(
    intake: JobLossIntake,
    store: FundStore,
    layout: PkiLayout,
    applicant: Credential,
    name: str,
    channel: Channel,
    build: Build,
    code: ErrorCode,
    reason: str,
) -> None:
    with pytest.raises(ProviderError) as refused:
        _send(intake, build(layout, applicant), channel)
    assert refused.value.code is code and reason in str(refused.value), str(refused.value)
    assert _nothing_stored(store)
    assert _status(intake, "APP-1") == ApplicationStatus("APP-1", found=False)


@pytest.mark.parametrize(
    "payload",
    [Payload(), Payload(element=contract.write_application(_value()))],
    ids=["no payload", "an element, not signed text"],
)
def test_an_application_not_carried_as_signed_text_is_refused(
    intake: JobLossIntake, store: FundStore, payload: Payload
) -> None:
    with pytest.raises(ProviderError) as refused:
        intake(_message(contract.APPLICATION_SERVICE, payload))
    assert refused.value.code is ErrorCode.BUSINESS_DATA_NOT_SIGNED
    assert _nothing_stored(store)


@pytest.mark.parametrize(
    ("channel", "sender"),
    [
        (Channel.PORTAL, "GK_IIS"),
        (Channel.STATE_CORPORATION, "EGOV_PORTAL"),
        (Channel.EMPLOYMENT_CENTRE, "EGOV_PORTAL"),
    ],
)
def test_an_application_sent_by_another_system_than_its_channel_is_refused(
    intake: JobLossIntake, store: FundStore, layout: PkiLayout, applicant: Credential, channel: Channel, sender: str
) -> None:
    """Signed as its channel wants, but relayed by another system: refused (SCE003), nothing stored."""
    signer = {
        Channel.PORTAL: applicant,
        Channel.STATE_CORPORATION: layout.load_credential(layout.official("state-corp-operator")),
        Channel.EMPLOYMENT_CENTRE: layout.load_credential(layout.official("employment-worker")),
    }[channel]
    payload = Payload(text=_signed(_value(channel=channel), signer))
    with pytest.raises(ProviderError) as refused:
        intake(_message(contract.APPLICATION_SERVICE, payload, sender))
    assert refused.value.code is ErrorCode.ACCESS_DENIED and f"channel {channel.value}" in str(refused.value)
    assert _nothing_stored(store)


def test_an_id_reused_for_another_person_is_refused(
    intake: JobLossIntake, store: FundStore, layout: PkiLayout, applicant: Credential
) -> None:
    _send(intake, _signed(_value(), applicant))
    other = _value(channel=Channel.STATE_CORPORATION, iin=PERSONA_STUDENT)
    with pytest.raises(ProviderError) as refused:
        _send(intake, _by_official(layout, "state-corp-operator", other), Channel.STATE_CORPORATION)
    assert refused.value.code is ErrorCode.MALFORMED and "another person" in str(refused.value)
    (stored,) = store.applications()
    assert stored.iin == IIN


# ---- GFSS_JobLossPaymentResult ------------------------------------------------------------------------------------


def test_the_status_of_an_unknown_application_is_not_found(intake: JobLossIntake) -> None:
    assert _status(intake, "JLP-NOBODY") == ApplicationStatus("JLP-NOBODY", found=False)


def test_the_status_of_an_issued_application_carries_the_head_signed_decision(
    intake: JobLossIntake, services: FundServices, layout: PkiLayout, clock: FixedClock
) -> None:
    _send(
        intake,
        _by_official(layout, "state-corp-operator", _value(channel=Channel.STATE_CORPORATION)),
        Channel.STATE_CORPORATION,
    )
    pending = _status(intake, "APP-1")
    assert pending.found and pending.stage is Stage.REGISTERED and pending.signed_decision is None
    while (found := services.store.get("APP-1")) is not None and found.step is not None:  # mode auto, role by role
        assert found.act_at is not None
        clock.set(max(clock.now(), found.act_at))
        services.act_automatically("APP-1")
    issued = _status(intake, "APP-1")
    assert issued.stage is Stage.RESULT_ISSUED and issued.deadline == pending.deadline
    assert issued.signed_decision is not None
    verified = verify_document(parse_xml(issued.signed_decision), layout.trust_store(), _now())
    head = official("fund-department-head")
    assert (verified.signer.iin, verified.signer.bin) == (head.iin, head.bin)
    decision = contract.read_decision(verified.document)
    assert decision.application_id == "APP-1" and decision.outcome is Outcome.ASSIGNED


def test_a_status_query_that_is_not_one_is_refused(intake: JobLossIntake, layout: PkiLayout) -> None:
    with pytest.raises(ProviderError) as refused:
        intake(_message(contract.RESULT_SERVICE, Payload(element=contract.write_application(_value())), "GK_IIS"))
    assert refused.value.code is ErrorCode.MALFORMED
