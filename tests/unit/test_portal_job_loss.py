"""SP-4..SP-6 on the portal: the job-loss payment form refuses hostile input; SP-5 refuses, before anything is
stored or sent, a certificate that is expired, revoked (the NCA's CRL over HTTP, a fake NCA in process) or whose
IIN is not the request's, and answers "cannot check" when the NCA is down; the signed application goes through
the outbox as GFSS_JobLossPayment and the fund's receipt (registration number, deadline) is recorded."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from adapters.pki import Credential, PkiLayout, subject_of
from adapters.shep import ErrorCode, GatewayFault
from adapters.shep.envelope import ErrorInfo
from adapters.signed_documents import verify_signed_text
from adapters.storage import Outbox, OutboxState, OutboxWorker, RetryPolicy
from contracts import job_loss_payment as jl
from ecosystem.catalogue import system
from ecosystem.settings import Settings
from kernel.clock import FixedClock, almaty
from mocks.nca.authority import CertificateAuthority
from mocks.population import PERSONA_JOB_SEEKER, build_population, find_person
from mocks.portal.applications import FormRejectedError, FormTooLargeError
from mocks.portal.document_kinds import JOB_LOSS_RESULTS, DocumentVerifier
from mocks.portal.job_loss import JobLossApplications, JobLossDelivery, NotOwnApplicationError
from mocks.portal.job_loss_form import FormFacts, copy_digest, iban_problem
from mocks.portal.job_loss_schemas import CopyIn, DocumentIn, JobLossApplicationRequest
from mocks.portal.job_loss_store import JobLossStore
from mocks.portal.signing_check import (
    Check,
    NcaRevocationList,
    NcaUnavailableError,
    SigningCertificateCheck,
    SigningCertificateRefused,
)
from mocks.portal.storage import JOB_LOSS_TOPIC, ApplicationStatus, CitizenRow, PortalStore
from mocks.portal.submission import ResultKeeper
from tests.portal_job_loss_fakes import FakeFundWorkstation, FakeNca
from tests.social_fund.examples import IBAN

START = dt.datetime(2026, 11, 27, 10, 15, tzinfo=almaty())
POLICY = RetryPolicy(base=dt.timedelta(seconds=2), cap=dt.timedelta(minutes=1), jitter=0.0, max_attempts=3)
PEOPLE = build_population()
APPLICANT = find_person(PEOPLE, PERSONA_JOB_SEEKER)
OTHER = PEOPLE[1]
CERTIFICATE = DocumentIn(number="CERT000017", issuedOn=dt.date(2026, 11, 25), validUntil=dt.date(2026, 12, 24))
SCAN = b"%PDF-1.4 scan of the identity card"


def form(**changes: Any) -> JobLossApplicationRequest:
    values: dict[str, Any] = {
        "bankAccount": IBAN,
        "unemployedCertificate": CERTIFICATE.model_dump(),
        "bankAccountDocument": {"number": "BA-7781", "issuedOn": "2026-11-20"},
        "copies": [
            {"document": "identity-document", "fileName": "id.pdf", "contentBase64": base64.b64encode(SCAN).decode()}
        ],
        "consentToPersonalData": True,
    }
    return JobLossApplicationRequest.model_validate(values | changes)


@dataclasses.dataclass
class Portal:
    clock: FixedClock
    layout: PkiLayout
    store: PortalStore
    outbox: Outbox
    worker: OutboxWorker
    receipts: JobLossStore
    nca: FakeNca
    fund: FakeFundWorkstation
    applications: JobLossApplications

    def nothing_stored(self) -> bool:
        return not self.store.applications_of(PERSONA_JOB_SEEKER) and not self.fund.received


@pytest.fixture
def portal(pki_settings: Settings, tmp_path: Path) -> Iterator[Portal]:
    assert APPLICANT is not None
    layout = PkiLayout(pki_settings.data_dir)
    clock = FixedClock(START)
    store = PortalStore.at(f"sqlite:///{tmp_path / 'portal.sqlite'}")
    store.add_citizens([CitizenRow(iin=APPLICANT.iin, full_name=APPLICANT.full_name, password_hash="-")])
    outbox = Outbox(store.engine, clock.now, POLICY)
    receipts = JobLossStore(store.engine)
    gateway = subject_of(layout.load_credential(layout.system("gateway")).certificate)
    fund = FakeFundWorkstation(layout.trust_store(), clock.now, gateway)
    verifier = DocumentVerifier(layout.trust_store(), clock.now, max_bytes=1_048_576)
    keeper = ResultKeeper(
        store, layout.trust_store(), system("social_fund").bin, clock.now, kinds=JOB_LOSS_RESULTS, verifier=verifier
    )
    delivery = JobLossDelivery(store, receipts, keeper, lambda: fund, clock.now, max_bytes=1_048_576)
    worker = OutboxWorker(outbox, {JOB_LOSS_TOPIC: delivery}, name="test")
    nca = FakeNca(layout)
    http = nca.client()
    check = SigningCertificateCheck(layout, NcaRevocationList("http://nca", lambda: http), clock.now)
    people = {person.iin: person for person in PEOPLE}
    facts = FormFacts(person=people.get, cabinet_certificate=lambda iin, today: None)

    def citizen_key(iin: str) -> Credential:
        return layout.load_credential(layout.person(iin))

    applications = JobLossApplications(
        store, outbox, citizen_key, check, facts, clock.now, journal=receipts, on_submitted=worker.wake
    )
    yield Portal(clock, layout, store, outbox, worker, receipts, nca, fund, applications)
    http.close()


# ---- SP-5: the certificate checks, each refusal ------------------------------------------------------


def test_a_revoked_certificate_is_refused_and_nothing_is_stored(portal: Portal) -> None:
    own = portal.layout.load_credential(portal.layout.person(PERSONA_JOB_SEEKER)).certificate
    portal.nca.revoked.append(own.serial_number)

    with pytest.raises(SigningCertificateRefused, match="revoked") as refused:
        portal.applications.apply(PERSONA_JOB_SEEKER, form())

    assert refused.value.check is Check.REVOCATION and portal.nca.asked == 1
    assert portal.nothing_stored()


def test_an_expired_certificate_is_refused_on_the_ecosystems_clock(portal: Portal) -> None:
    own = portal.layout.load_credential(portal.layout.person(PERSONA_JOB_SEEKER)).certificate
    portal.clock.set(own.not_valid_after_utc + dt.timedelta(days=1))

    with pytest.raises(SigningCertificateRefused, match="expired") as refused:
        portal.applications.apply(PERSONA_JOB_SEEKER, form())

    assert refused.value.check is Check.VALIDITY and portal.nothing_stored()


@pytest.mark.parametrize(
    "changes", [{"applicantIin": OTHER.iin}, {"certificateIin": OTHER.iin}], ids=["form-names-other", "other-key"]
)
def test_a_certificate_whose_iin_is_not_the_requests_is_refused(portal: Portal, changes: dict[str, str]) -> None:
    with pytest.raises(SigningCertificateRefused, match="is not the IIN of the request") as refused:
        portal.applications.apply(PERSONA_JOB_SEEKER, form(**changes))

    assert refused.value.check is Check.IIN and portal.nothing_stored()


def test_applying_for_someone_else_with_their_key_is_refused(portal: Portal) -> None:
    with pytest.raises(NotOwnApplicationError, match="in your own name"):
        portal.applications.apply(PERSONA_JOB_SEEKER, form(applicantIin=OTHER.iin, certificateIin=OTHER.iin))
    assert portal.nothing_stored()


@pytest.mark.parametrize(
    "trouble", [{"down": True}, {"status": 500}, {"body": b"not a CRL"}], ids=["down", "http-500", "garbage"]
)
def test_when_the_nca_cannot_be_asked_nothing_is_sent_unchecked(portal: Portal, trouble: dict[str, Any]) -> None:
    for name, value in trouble.items():
        setattr(portal.nca, name, value)

    with pytest.raises(NcaUnavailableError):
        portal.applications.apply(PERSONA_JOB_SEEKER, form())
    assert portal.nothing_stored()


def test_an_answer_that_is_not_a_crl_is_not_believed(portal: Portal) -> None:
    root = portal.layout.root_ca.with_suffix(".pem")
    portal.nca.body = root.read_bytes()  # a PEM, but no CRL
    with pytest.raises(NcaUnavailableError, match="not a CRL"):
        portal.applications.apply(PERSONA_JOB_SEEKER, form())


def test_a_crl_not_signed_by_the_issuing_ca_is_not_believed(portal: Portal) -> None:
    own = portal.layout.load_credential(portal.layout.person(PERSONA_JOB_SEEKER)).certificate
    root = CertificateAuthority(portal.layout.load_credential(portal.layout.root_ca))
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    # a list that does not even name the applicant, but from the root, not the CA that issued their certificate
    portal.nca.body = root.crl([(own.serial_number + 1, at)], at, dt.timedelta(days=7)).public_bytes(Encoding.PEM)

    with pytest.raises(NcaUnavailableError, match="not signed by the issuing CA"):
        portal.applications.apply(PERSONA_JOB_SEEKER, form())
    assert portal.nothing_stored()


def test_an_answer_over_the_crl_limit_is_not_read_whole(portal: Portal) -> None:
    portal.nca.body = b"-----BEGIN X509 CRL-----\n" + b"A" * 5000
    http = portal.nca.client()
    crl = NcaRevocationList("http://nca", lambda: http, max_bytes=4096)
    issuing = portal.layout.load_credential(portal.layout.issuing_ca).certificate

    with pytest.raises(NcaUnavailableError, match="over 4096 bytes"):
        crl.current(issuing)
    http.close()


def test_a_certificate_not_yet_valid_on_the_ecosystems_clock_is_refused(portal: Portal) -> None:
    own = portal.layout.load_credential(portal.layout.person(PERSONA_JOB_SEEKER)).certificate
    before = own.not_valid_before_utc - dt.timedelta(days=1)
    portal.clock.set(before)
    issued = {"number": "X-1", "issuedOn": (before - dt.timedelta(days=30)).date().isoformat()}

    with pytest.raises(SigningCertificateRefused, match="valid only from") as refused:
        portal.applications.apply(PERSONA_JOB_SEEKER, form(unemployedCertificate=issued, bankAccountDocument=issued))

    assert refused.value.check is Check.VALIDITY and portal.nothing_stored()


def test_each_sp5_refusal_is_journalled_and_logged_with_its_check(
    portal: Portal, caplog: pytest.LogCaptureFixture
) -> None:
    own = portal.layout.load_credential(portal.layout.person(PERSONA_JOB_SEEKER)).certificate
    caplog.set_level("WARNING", logger="mocks.portal.job_loss")
    with pytest.raises(SigningCertificateRefused):
        portal.applications.apply(PERSONA_JOB_SEEKER, form(applicantIin=OTHER.iin))
    portal.nca.revoked.append(own.serial_number)
    with pytest.raises(SigningCertificateRefused):
        portal.applications.apply(PERSONA_JOB_SEEKER, form())
    portal.nca.down = True
    with pytest.raises(NcaUnavailableError):
        portal.applications.apply(PERSONA_JOB_SEEKER, form())

    down, revoked, mismatch = portal.applications.refusals(PERSONA_JOB_SEEKER)
    assert [(r.check, r.outcome) for r in (mismatch, revoked, down)] == [
        ("iin", "REFUSED"),
        ("revocation", "REFUSED"),
        ("revocation", "NOT_CHECKED"),
    ]
    assert (mismatch.citizen_iin, mismatch.applicant_iin, mismatch.rule) == (PERSONA_JOB_SEEKER, OTHER.iin, "SP-5")
    assert f"serial {own.serial_number:x}" in revoked.certificate and "revoked" in revoked.detail
    assert revoked.at == START and "could not be fetched" in down.detail
    assert portal.applications.refusals(OTHER.iin) == []
    lines = [r.getMessage() for r in caplog.records if r.name == "mocks.portal.job_loss"]
    assert [line.split(":")[0] for line in lines] == [
        "SP-5 REFUSED (check iin)",
        "SP-5 REFUSED (check revocation)",
        "SP-5 NOT_CHECKED (check revocation)",
    ]
    assert all(PERSONA_JOB_SEEKER in line and "nothing stored or sent" in line for line in lines)
    assert portal.nothing_stored()


# ---- SP-4: the form --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("KZ86125KZT5004100101", "wrong check"),
        ("KZ86125KZT500410010", "not a Kazakh IBAN"),
        ("DE89370400440532013000", "not a Kazakh IBAN"),
        ("KZ86125kzt5004100100", "capital"),
        ("KZ86125KZT50041001０0", "not a Kazakh IBAN"),
    ],
)
def test_a_wrong_iban_is_refused(value: str, problem: str) -> None:
    assert problem in (iban_problem(value) or "")


def test_the_example_iban_is_right() -> None:
    assert iban_problem(IBAN) is None


def _copy(content: str) -> CopyIn:
    return CopyIn(document="identity-document", fileName="id.pdf", contentBase64=content)


def test_a_copy_is_kept_as_its_sha256_only() -> None:
    assert copy_digest(_copy(base64.b64encode(SCAN).decode())) == hashlib.sha256(SCAN).hexdigest()


@pytest.mark.parametrize(
    ("content", "error", "match"),
    [
        ("not base64!", FormRejectedError, "not base64"),
        ("====", FormRejectedError, "not base64|empty"),
        (base64.b64encode(b"x" * 2000).decode(), FormTooLargeError, "larger than 1000 bytes"),
    ],
)
def test_a_hostile_copy_is_refused(content: str, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        copy_digest(_copy(content), max_bytes=1000)


@pytest.mark.parametrize(
    ("changes", "match"),
    [
        ({"consentToPersonalData": False}, "consentToPersonalData must be true"),
        ({"bankAccount": "KZ00000000000000000X"}, "bankAccount"),
        ({"unemployedCertificate": None}, "unemployedCertificate is needed"),
        (
            {"bankAccountDocument": {"number": "B", "issuedOn": "2026-11-20", "validUntil": "2026-01-01"}},
            "is before issuedOn",
        ),
        ({"copies": [form().copies[0].model_dump()] * 2}, "two copies of identity-document"),
        ({"bankAccountDocument": {"number": "\x01", "issuedOn": "2026-11-20"}}, "does not match"),
        ({"bankAccountDocument": {"number": "B", "issuedOn": "2026-11-28"}}, "is after today"),
    ],
)
def test_a_form_that_cannot_be_accepted_is_refused_and_nothing_stored(
    portal: Portal, changes: dict[str, Any], match: str
) -> None:
    with pytest.raises(FormRejectedError, match=match):
        portal.applications.apply(PERSONA_JOB_SEEKER, form(**changes))
    assert portal.nothing_stored() and portal.nca.asked == 0


# ---- SP-6: signed, sent through the outbox, the receipt recorded --------------------------------------


def test_the_signed_application_goes_to_the_fund_and_its_receipt_is_recorded(portal: Portal) -> None:
    view = portal.applications.apply(PERSONA_JOB_SEEKER, form())
    row = portal.store.application(view.application_id)
    assert row is not None and row.status == ApplicationStatus.IN_PROGRESS.value

    verified = verify_signed_text(row.signed_form or "", portal.layout.trust_store(), START)
    application = jl.read_application(verified.signed)
    assert verified.signer.iin == PERSONA_JOB_SEEKER and application.channel is jl.Channel.PORTAL
    assert (application.applicant.iin, application.bank_account, application.consent) == (
        PERSONA_JOB_SEEKER,
        IBAN,
        True,
    )
    identity = next(d for d in application.documents if d.kind is jl.DocumentKind.IDENTITY_DOCUMENT)
    assert APPLICANT is not None and identity.number == APPLICANT.document.number  # filled in by the portal
    assert identity.copy_sha256 == hashlib.sha256(SCAN).hexdigest()

    portal.worker.run_once()

    assert [a.application_id for a in portal.fund.received] == [view.application_id]
    receipt = portal.receipts.receipt(view.application_id)
    assert receipt is not None and receipt.registration_number == "GFSS-2026-000001"
    assert receipt.deadline == START + dt.timedelta(days=12)
    [event] = portal.store.events_of(view.application_id)
    assert "GFSS-2026-000001" in event.text and "decision is due by 09.12.2026 10:15" in event.text
    assert portal.outbox.find(JOB_LOSS_TOPIC, view.application_id).state is OutboxState.DELIVERED  # type: ignore[union-attr]
    portal.worker.run_once()
    assert len(portal.fund.received) == 1


def test_a_receipt_for_another_application_is_held_for_a_person(portal: Portal) -> None:
    portal.fund.answer_for = "EGOV-JLP-2026-SOMEONEELSE"
    view = portal.applications.apply(PERSONA_JOB_SEEKER, form())

    portal.worker.run_once()

    assert portal.receipts.receipt(view.application_id) is None
    assert portal.outbox.find(JOB_LOSS_TOPIC, view.application_id).state is OutboxState.DEAD  # type: ignore[union-attr]


def test_an_unreachable_fund_is_retried_and_a_refused_signature_rejects(portal: Portal) -> None:
    at = START
    portal.fund.faults = [
        GatewayFault(ErrorInfo(ErrorCode.PROVIDER_UNAVAILABLE.value, "down", at)),
        GatewayFault(ErrorInfo(ErrorCode.BUSINESS_SIGNATURE_INVALID.value, "bad", at)),
    ]
    view = portal.applications.apply(PERSONA_JOB_SEEKER, form())

    portal.worker.run_once()
    portal.clock.advance(POLICY.cap + dt.timedelta(seconds=1))
    assert portal.store.application(view.application_id).status == ApplicationStatus.IN_PROGRESS.value  # type: ignore[union-attr]
    portal.worker.run_once()

    row = portal.store.application(view.application_id)
    assert row is not None and (row.status, row.error_code) == (ApplicationStatus.REJECTED.value, "SCE016")
