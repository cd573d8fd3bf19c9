"""UN-5 (Rules No. 259 §35; 004 §1 (2)): with the person's consent the centre sends the job-loss payment application
to the fund itself, through its outbox, once the person is registered as unemployed; the fund's receipt is kept.
The adapter writes the contract's signed paymentApplication (channel EMPLOYMENT_CENTRE)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

import pytest
from lxml import etree

from adapters.pki import PkiLayout
from adapters.shep.envelope import Payload
from adapters.signatures.business import verify_document
from contracts import job_loss_payment as jl
from ecosystem.catalogue import official
from ecosystem.settings import Settings
from employment.adapters.job_loss_payment import GatewayJobLossPaymentFund
from employment.domain.errors import ConflictingDecision, InvalidPaymentConsent, NotInRegister
from employment.domain.models import Sex
from employment.service_layer.payment_consent import GivePaymentConsent, give_payment_consent
from employment.service_layer.ports import AttachedPaper, JobLossPaymentApplication
from employment.service_layer.register import advance_register
from employment.service_layer.register_records import DispatchKind
from kernel.clock import FixedClock
from tests.employment.test_unemployed_status_query import DEREGISTERED, REGISTERED
from tests.register_world import IIN, World, instant, run_steps

IBAN = "KZ86125KZT5004100100"


def _world(steps: list[dict[str, Any]]) -> World:
    world = World(FixedClock(instant("2026-11-23T09:00")))
    world.set_person({"sex": "female"})
    person = world.registry.people[IIN]
    world.registry.people[IIN] = replace(person, document_number="049876543", document_issued_on=dt.date(2021, 3, 1))
    return run_steps(world, steps)


def _consent(world: World, **changes: Any) -> GivePaymentConsent:
    given = GivePaymentConsent(IIN, True, IBAN, "BA-7781", dt.date(2026, 11, 20), world.clock.now(), "the person")
    return replace(given, **changes)


def test_a_consent_given_before_the_decision_sends_the_application_with_the_registration() -> None:
    world = _world(REGISTERED[:2])
    case = give_payment_consent(_consent(world), world.services)
    assert case.payment is not None and case.payment.application_id == "JLP-UN-APP-1"
    assert not any(d.kind is DispatchKind.PAYMENT_APPLICATION for d in world.db.dispatches.values())
    run_steps(world, REGISTERED[2:])
    sent = world.payments.received["JLP-UN-APP-1"]
    assert (sent.iin, sent.surname, sent.sex, sent.iban) == (IIN, "Сулейменова", Sex.FEMALE, IBAN)
    assert sent.identity_document == AttachedPaper("049876543", dt.date(2021, 3, 1), dt.date(2031, 1, 1))
    assert sent.bank_agreement == AttachedPaper("BA-7781", dt.date(2026, 11, 20), None)
    assert sent.unemployed_certificate is None  # none issued yet
    kept = world.db.cases["UN-APP-1"].payment
    assert kept is not None and kept.registration_number == "GFSS-2026-000001" and kept.deadline is not None
    assert list(world.fund.told)  # the status notice went too (SP-7 reads the register anyway)


def test_a_consent_after_the_registration_is_sent_at_once_with_the_certificate() -> None:
    world = _world([*REGISTERED, {"certificate": {"id": "CERT-1", "at": "2026-11-26T10:00"}}])
    world.clock.set(instant("2026-11-27T10:00"))
    give_payment_consent(_consent(world), world.services)
    advance_register(world.services)
    sent = world.payments.received["JLP-UN-APP-1"]
    certificate = world.certificates[0]
    assert sent.unemployed_certificate == AttachedPaper("CE-CERT-1", certificate.issued_on, certificate.valid_until)
    assert sent.submitted_at == instant("2026-11-27T10:00")
    # the same consent again changes nothing; another account once sent is refused
    assert give_payment_consent(_consent(world), world.services).payment == world.db.cases["UN-APP-1"].payment
    with pytest.raises(ConflictingDecision):
        give_payment_consent(_consent(world, iban="KZ75125KZT2069100100"), world.services)
    advance_register(world.services)
    assert world.payments.sends == 1


def test_a_fund_that_does_not_answer_gets_the_same_application_at_the_next_step() -> None:
    world = _world(REGISTERED)
    world.payments.down = True
    give_payment_consent(_consent(world), world.services)
    advance_register(world.services)
    assert world.db.cases["UN-APP-1"].payment.registration_number is None  # type: ignore[union-attr]
    world.payments.down = False
    advance_register(world.services)
    assert world.payments.sends == 2 and list(world.payments.received) == ["JLP-UN-APP-1"]
    assert world.db.cases["UN-APP-1"].payment.registration_number == "GFSS-2026-000001"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"consent": False}, InvalidPaymentConsent),
        ({"iban": "KZ87125KZT5004100100"}, InvalidPaymentConsent),  # wrong check digits
        ({"iban": "DE89370400440532013000"}, InvalidPaymentConsent),
        ({"bank_agreement_number": "<x>"}, InvalidPaymentConsent),
        ({"iin": "880115300126"}, NotInRegister),
    ],
)
def test_a_consent_that_cannot_be_used_stores_nothing(changes: dict[str, Any], error: type[Exception]) -> None:
    world = _world(REGISTERED)
    with pytest.raises(error):
        give_payment_consent(_consent(world, **changes), world.services)
    assert world.db.cases["UN-APP-1"].payment is None


def test_a_removed_person_or_one_without_an_identity_document_is_refused() -> None:
    world = _world([*REGISTERED, *DEREGISTERED])
    with pytest.raises(NotInRegister):
        give_payment_consent(_consent(world), world.services)
    world = _world(REGISTERED)
    world.registry.people[IIN] = replace(world.registry.people[IIN], document_number=None)
    with pytest.raises(InvalidPaymentConsent, match="identity document"):
        give_payment_consent(_consent(world), world.services)
    assert world.db.cases["UN-APP-1"].payment is None


# ---- the adapter against the contract ---------------------------------------------------------------------


@dataclass
class _Reply:
    payload: Payload


class _FundWorkstation:
    """The fund's regional workstation as far as the adapter sees it: verifies the signed text, reads it."""

    def __init__(self, layout: PkiLayout) -> None:
        self.trust = layout.trust_store()
        self.read: list[tuple[str, jl.PaymentApplication, str | None]] = []

    def send(self, service_id: str, payload: Payload, *, correlation_id: str | None = None) -> _Reply:
        assert payload.text is not None
        verified = verify_document(etree.fromstring(payload.text.encode()), self.trust, dt.datetime.now(dt.UTC))
        application = jl.read_application(verified.document)
        self.read.append((service_id, application, verified.signer.iin))
        at = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)
        receipt = jl.ApplicationReceipt(application.application_id, "GFSS-2026-000042", at, at + dt.timedelta(days=9))
        return _Reply(Payload(element=jl.write_receipt(receipt)))


def test_the_adapter_sends_the_signed_application_of_the_contract(pki_settings: Settings) -> None:
    layout = PkiLayout(pki_settings.data_dir)
    workstation = _FundWorkstation(layout)
    specialist = layout.load_credential(layout.official("employment-worker"))
    fund = GatewayJobLossPaymentFund(workstation, specialist)  # type: ignore[arg-type]
    application = JobLossPaymentApplication(
        application_id="JLP-UN-APP-1",
        submitted_at=instant("2026-11-27T10:00"),
        iin=IIN,
        surname="Сулейменова",
        name="Жанар",
        patronymic=None,
        birth_date=dt.date(1992, 3, 14),
        sex=Sex.FEMALE,
        identity_document=AttachedPaper("049876543", dt.date(2021, 3, 1), dt.date(2031, 1, 1)),
        unemployed_certificate=AttachedPaper("CE-CERT-1", dt.date(2026, 11, 26), dt.date(2026, 12, 25)),
        bank_agreement=AttachedPaper("BA-7781", dt.date(2026, 11, 20), None),
        iban=IBAN,
        correlation_id="c-1",
    )
    receipt = fund.apply(application)
    assert (receipt.application_id, receipt.registration_number) == ("JLP-UN-APP-1", "GFSS-2026-000042")
    ((service_id, read, signer_iin),) = workstation.read
    assert service_id == jl.APPLICATION_SERVICE and signer_iin == official("employment-worker").iin
    assert read.channel is jl.Channel.EMPLOYMENT_CENTRE and read.consent is True and read.bank_account == IBAN
    assert [d.kind for d in read.documents] == [
        jl.DocumentKind.IDENTITY_DOCUMENT,
        jl.DocumentKind.UNEMPLOYED_CERTIFICATE,
        jl.DocumentKind.BANK_ACCOUNT,
    ]
    assert read.applicant.sex is jl.Sex.FEMALE and read.submitted_at == application.submitted_at
