"""CE-1, CE-4 on the portal: the Annex 7 application is written from the session, signed by the applicant and
sent as ENBEK_UnemployedCertificate through the outbox; the centre's answer — the certificate (Annex 8) or the
reasoned refusal (CE-3), signed by its director — is verified and kept in the cabinet. The centre here is a
test double that really verifies the applicant's signature and really signs its answer (tests/portal_fakes.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from adapters.pki import Credential, PkiLayout, subject_of
from adapters.shep import ErrorCode, GatewayFault
from adapters.shep.envelope import ErrorInfo
from adapters.shep.sync_client import GatewayUnreachable
from adapters.signed_documents import read_signed_register_document
from adapters.storage import Outbox, OutboxState, OutboxWorker, RetryPolicy
from contracts import register_documents as rd
from ecosystem.catalogue import official, system
from ecosystem.settings import Settings
from employment.adapters.register_documents import RegisterDocumentSigner
from kernel.clock import FixedClock, almaty
from mocks.population import PERSONA_EMPLOYED, PERSONA_JOB_SEEKER
from mocks.portal.app import create_app
from mocks.portal.applications import FormRejectedError, JobSeekerApplications, NoSigningKeyError
from mocks.portal.auth import DEMO_PASSWORD
from mocks.portal.certificates import CertificateApplications, CertificateDelivery
from mocks.portal.document_kinds import CERTIFICATE_RESULTS, DocumentVerifier
from mocks.portal.outcomes import NOTICE_RETRYING, NOTICE_UNREACHABLE
from mocks.portal.storage import CERTIFICATE_TOPIC, ApplicationStatus, CitizenRow, PortalStore
from mocks.portal.submission import ResultKeeper
from tests.portal_fakes import AppClient, FakeAddressRegistry, FakeCertificateCentre

START = dt.datetime(2026, 11, 27, 10, 15, tzinfo=almaty())
POLICY = RetryPolicy(base=dt.timedelta(seconds=2), cap=dt.timedelta(minutes=1), jitter=0.0, max_attempts=3)
CENTRE = system("employment")
DIRECTOR = official("employment-director")
NAME = "Сулейменова Жанар Ерлановна"


@dataclass
class Portal:
    clock: FixedClock
    store: PortalStore
    outbox: Outbox
    worker: OutboxWorker
    certificates: CertificateApplications
    applications: JobSeekerApplications
    centre: FakeCertificateCentre

    def apply(self, iin: str = PERSONA_JOB_SEEKER) -> str:
        view = self.certificates.apply(
            iin, NAME, consent_to_personal_data=True, warned_of_liability=True, phone="+77010000000"
        )
        return view.application_id

    def run_due(self) -> None:
        self.worker.run_once()
        self.clock.advance(POLICY.cap + dt.timedelta(seconds=1))


@pytest.fixture
def portal(pki_settings: Settings, tmp_path: Path) -> Iterator[Portal]:
    layout = PkiLayout(pki_settings.data_dir)
    clock = FixedClock(START)
    store = PortalStore.at(f"sqlite:///{tmp_path / 'portal.sqlite'}")
    store.add_citizens([CitizenRow(iin=PERSONA_JOB_SEEKER, full_name=NAME, password_hash="-")])
    outbox = Outbox(store.engine, clock.now, POLICY)
    signer = RegisterDocumentSigner(DIRECTOR, layout.load_credential(layout.official(DIRECTOR.role)))
    gateway = subject_of(layout.load_credential(layout.system("gateway")).certificate)
    centre = FakeCertificateCentre(signer, layout.trust_store(), clock.now, gateway)
    verifier = DocumentVerifier(layout.trust_store(), clock.now, max_bytes=1_048_576)
    keeper = ResultKeeper(
        store, layout.trust_store(), CENTRE.bin, clock.now, kinds=CERTIFICATE_RESULTS, verifier=verifier
    )
    worker = OutboxWorker(outbox, {CERTIFICATE_TOPIC: CertificateDelivery(store, keeper, lambda: centre)}, name="test")

    def citizen_key(iin: str) -> Credential:
        return layout.load_credential(layout.person(iin))

    certificates = CertificateApplications(
        store, outbox, citizen_key, clock.now, centre_name=CENTRE.organisation, on_submitted=worker.wake
    )
    applications = JobSeekerApplications(store, outbox, citizen_key, clock.now)
    yield Portal(clock, store, outbox, worker, certificates, applications, centre)


def test_the_application_is_annex_7_signed_by_the_applicant_and_kept_in_the_cabinet(
    portal: Portal, pki_settings: Settings
) -> None:
    application_id = portal.apply()

    row = portal.store.application(application_id)
    assert row is not None and row.status == ApplicationStatus.IN_PROGRESS.value and row.signed_form
    layout = PkiLayout(pki_settings.data_dir)
    verified = read_signed_register_document(
        row.signed_form, layout.trust_store(), START, signer_iin=PERSONA_JOB_SEEKER
    )
    application = verified.document
    assert isinstance(application, rd.CertificateApplication)
    assert application == rd.CertificateApplication(
        application_id=application_id,
        submitted_at=START,
        centre_name=CENTRE.organisation,
        applicant=rd.Person(PERSONA_JOB_SEEKER, NAME),
        consent_to_personal_data=True,
        warned_of_liability=True,
        phone="+77010000000",
    )
    [copy] = portal.store.cabinet_documents_of(PERSONA_JOB_SEEKER)
    assert (copy.kind, copy.document_number, copy.issuer_id, copy.document) == (
        "certificate-application",
        application_id,
        PERSONA_JOB_SEEKER,
        row.signed_form,
    )
    message = portal.outbox.find(CERTIFICATE_TOPIC, application_id)
    assert message is not None and message.state is OutboxState.PENDING


def test_a_registered_unemployed_gets_the_certificate_in_the_cabinet(portal: Portal) -> None:
    portal.centre.unemployed[PERSONA_JOB_SEEKER] = dt.date(2026, 11, 25)
    application_id = portal.apply()

    portal.run_due()

    shown = portal.applications.cabinet_entry(PERSONA_JOB_SEEKER, application_id)
    assert shown.status is ApplicationStatus.DONE and shown.result is not None
    assert shown.result.kind == "certificate" and shown.result.signed_by.iin == DIRECTOR.iin
    assert [received.application_id for received in portal.centre.received] == [application_id]
    kinds = {row.kind: row for row in portal.store.cabinet_documents_of(PERSONA_JOB_SEEKER)}
    assert set(kinds) == {"certificate-application", "certificate"}
    certificate = kinds["certificate"]
    assert certificate.application_id == application_id and certificate.issuer_id == CENTRE.bin
    assert certificate.issued_on == "2026-11-27" and "<validUntil>2026-12-26</validUntil>" in certificate.document


def test_someone_not_registered_as_unemployed_gets_the_reasoned_refusal(portal: Portal) -> None:
    application_id = portal.apply()

    portal.run_due()

    shown = portal.applications.cabinet_entry(PERSONA_JOB_SEEKER, application_id)
    assert shown.status is ApplicationStatus.DONE and shown.result is not None
    assert shown.result.kind == "certificate-refused" and "<ruleId>CE-3</ruleId>" in shown.result.document_xml
    assert {row.kind for row in portal.store.cabinet_documents_of(PERSONA_JOB_SEEKER)} == {
        "certificate-application",
        "certificate-refused",
    }


def test_a_transient_failure_is_retried_until_the_answer_comes(portal: Portal) -> None:
    portal.centre.unemployed[PERSONA_JOB_SEEKER] = dt.date(2026, 11, 25)
    portal.centre.faults = [GatewayUnreachable("gateway did not answer"), GatewayFault(ErrorInfo("SCE010", "x", START))]
    application_id = portal.apply()

    portal.run_due()
    assert portal.applications.cabinet_entry(PERSONA_JOB_SEEKER, application_id).notice == NOTICE_RETRYING
    portal.run_due()
    portal.run_due()

    shown = portal.applications.cabinet_entry(PERSONA_JOB_SEEKER, application_id)
    assert shown.status is ApplicationStatus.DONE and shown.result is not None and shown.result.kind == "certificate"


def test_the_applicants_own_eds_error_rejects_the_application(portal: Portal) -> None:
    portal.centre.faults = [GatewayFault(ErrorInfo(ErrorCode.BUSINESS_SIGNATURE_NOT_CURRENT.value, "expired", START))]
    application_id = portal.apply()

    portal.run_due()

    shown = portal.applications.cabinet_entry(PERSONA_JOB_SEEKER, application_id)
    assert shown.status is ApplicationStatus.REJECTED and shown.error is not None and shown.error.code == "SCE015"


@pytest.mark.parametrize(
    "spoil",
    [
        lambda centre, layout: setattr(centre, "answer_for", PERSONA_EMPLOYED),  # an answer about someone else
        lambda centre, layout: setattr(  # an answer signed by another organisation's official
            centre,
            "signer",
            RegisterDocumentSigner(
                official("state-corp-operator"), layout.load_credential(layout.official("state-corp-operator"))
            ),
        ),
    ],
    ids=["for-another-person", "signed-by-another-organisation"],
)
def test_an_answer_that_cannot_be_trusted_is_held_not_kept(
    portal: Portal, pki_settings: Settings, spoil: Callable[[FakeCertificateCentre, PkiLayout], None]
) -> None:
    portal.centre.unemployed[PERSONA_JOB_SEEKER] = dt.date(2026, 11, 25)
    spoil(portal.centre, PkiLayout(pki_settings.data_dir))
    application_id = portal.apply()

    portal.run_due()

    shown = portal.applications.cabinet_entry(PERSONA_JOB_SEEKER, application_id)
    assert shown.status is ApplicationStatus.IN_PROGRESS and shown.result is None and shown.notice == NOTICE_UNREACHABLE
    message = portal.outbox.find(CERTIFICATE_TOPIC, application_id)
    assert message is not None and message.state is OutboxState.DEAD
    assert {row.kind for row in portal.store.cabinet_documents_of(PERSONA_JOB_SEEKER)} == {"certificate-application"}


def test_the_form_needs_consent_and_the_acknowledgement_of_liability(portal: Portal) -> None:
    for consent, warned, words in ((False, True, "consentToPersonalData"), (True, False, "warnedOfLiability")):
        with pytest.raises(FormRejectedError, match=words):
            portal.certificates.apply(
                PERSONA_JOB_SEEKER, NAME, consent_to_personal_data=consent, warned_of_liability=warned
            )
    assert portal.store.applications_of(PERSONA_JOB_SEEKER) == []


def test_a_citizen_without_an_eds_cannot_apply(portal: Portal) -> None:
    with pytest.raises(NoSigningKeyError, match="CE-1"):
        portal.certificates.apply("990101300011", "Nobody", consent_to_personal_data=True, warned_of_liability=True)


# ---- the HTTP route --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(pki_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> AppClient:
    folder = tmp_path_factory.mktemp("portal-certificates")
    settings = pki_settings.model_copy(update={"database_url": f"sqlite:///{folder}/{{system}}.sqlite"})
    running = AppClient(create_app(settings, person_registry=lambda: FakeAddressRegistry()))
    token = running.post("/api/auth/login", json={"iin": PERSONA_JOB_SEEKER, "password": DEMO_PASSWORD}).json()["token"]
    running.headers["Authorization"] = f"Bearer {token}"
    return running


def test_the_route_accepts_the_application_and_the_cabinet_shows_it(client: AppClient) -> None:
    answer = client.post(
        "/api/certificates", json={"consentToPersonalData": True, "warnedOfLiability": True, "email": "a@b.kz"}
    )

    assert answer.status_code == 202, answer.text
    accepted = answer.json()
    assert accepted["status"] == "In progress" and accepted["submittedAt"].endswith("+05:00")
    entry = client.get(f"/api/cabinet/applications/{accepted['applicationId']}").json()
    assert entry["service"] == "unemployed-certificate"
    assert entry["serviceTitle"] == "Certificate of registration as unemployed"
    documents = client.get("/api/cabinet/documents").json()
    assert [d["kind"] for d in documents if d["applicationId"] == accepted["applicationId"]] == [
        "certificate-application"
    ]
    admin = client.get(f"/admin/applications/{accepted['applicationId']}").json()
    assert admin["delivery"]["topic"] == CERTIFICATE_TOPIC


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"consentToPersonalData": False, "warnedOfLiability": True}, "consentToPersonalData"),
        ({"consentToPersonalData": True, "warnedOfLiability": "yes"}, "warnedOfLiability"),
        ({"consentToPersonalData": True}, "warnedOfLiability"),
        ({"consentToPersonalData": True, "warnedOfLiability": True, "iin": "850902305172"}, "iin"),
        ({"consentToPersonalData": True, "warnedOfLiability": True, "email": "not-an-email"}, "email"),
    ],
)
def test_the_route_is_strict(client: AppClient, body: dict[str, object], where: str) -> None:
    answer = client.post("/api/certificates", json=body)
    assert answer.status_code == 422 and where in answer.text
