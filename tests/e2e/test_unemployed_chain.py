"""The register of the unemployed and the job-loss payment end to end over real sockets, one test per channel
the person applies through (the portal, the State Corporation's operator, the centre's office, the rural
assistant), each with a person of its own: registered as a job seeker, no suitable vacancy within the JS-9
window, the documents to the local authority (UN-1), its head's decision a day later on the clock (UN-2), the
Annex 4 notification (UN-3), the certificate through the portal (CE-1, CE-2); then the job-loss payment applied
for through one of its four paths (the portal SP-4..SP-6, the State Corporation SP-2, SP-3, the employment centre
with the person's consent UN-5, the district department SP-1 with the tester acting as each role), the
department's 8 working days on the clock and the notification signed by its head; a labour contract whose
contributions reach the fund (DR-1 (1)), the removal (DR-2), the payment terminated from the 1st of the next
month (Social Code Art. 119) and a certificate refused the day after (CE-3). The tail is the demo's
(``scenarios/payment_story.py``), which checks every outcome and the monitoring IS's stages.

These tests move the clock by months, so they run on an ecosystem of their own (the session's shared one keeps
its clock); they run in order on it, each starting on the next working morning after the one before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

import httpx
import pytest
from lxml import etree

from adapters.pki import Credential, PkiLayout
from adapters.signatures import sign_document
from contracts.job_seeker_form import SIGNED_APPLICATION, Intake, JobSeekerForm, PaperCard, write_form
from contracts.registration_channels import DocumentsReceipt, write_documents_receipt
from ecosystem.catalogue import SYSTEMS, official
from ecosystem.settings import Settings
from egov_sim.launcher import Ecosystem, free_ports
from employment.domain.calendar import WorkingCalendar
from mocks.population import PERSONA_JOB_SEEKER, SyntheticPerson, build_population, find_person
from scenarios.driver import ScenarioDriver
from scenarios.payment_story import PaymentPath, PaymentStory
from tests.e2e.conftest import SIMULATED_START

OPERATOR = official("state-corp-operator")
XML = {"Content-Type": "application/xml"}
CALENDAR = WorkingCalendar()
# People of the first 40 (they log into the portal and sign the certificate's application) to whom no ground
# of UN-4 applies for a year from the reference date: aged 16 to 60, living, not working, not studying.
AT_THE_STATE_CORPORATION = "780725314151"  # Искаков Тимур Ержанович, his contract ended 2026-07-31
AT_THE_OFFICE = "800423411920"  # Байжанова Жанна Муратовна, her contract ended 2026-07-31
WITH_THE_RURAL_ASSISTANT = "870311486361"  # Касымова Мадина Ерланқызы, her contract ended 2026-09-30


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ecosystem]:
    ports = dict(zip([s.name for s in SYSTEMS], free_ports(len(SYSTEMS)), strict=True))
    settings = Settings(data_dir=tmp_path_factory.mktemp("egov-unemployed"), ports=ports, clock=SIMULATED_START)
    with Ecosystem(settings) as running:
        running.start(timeout=120)
        yield running


@pytest.fixture
def driver(chain: Ecosystem) -> Iterator[ScenarioDriver]:
    tester = ScenarioDriver(chain.settings)
    # each test starts on a working morning, after whatever the one before did to the clock
    today = tester.now().date()
    morning = datetime.combine(today, time(10, 0), tester.now().tzinfo)
    start = morning if CALENDAR.is_working_day(today) and tester.now() < morning else None
    if start is None:
        start = datetime.combine(CALENDAR.next_working_day(today), time(10, 0), tester.now().tzinfo)
    tester.advance_clock_to(start)
    yield tester
    tester.close()


def _person(iin: str) -> SyntheticPerson:
    person = find_person(build_population(), iin)
    assert person is not None
    return person


def _credential(ecosystem: Ecosystem, role: str) -> Credential:
    layout = PkiLayout(ecosystem.settings.data_dir)
    return layout.load_credential(layout.official(role))


def _signed_form(ecosystem: Ecosystem, person: SyntheticPerson, application_id: str, channel: str, role: str,
                 card: PaperCard | None = None) -> bytes:
    fields = {
        "iin": person.iin, "surname": person.surname, "name": person.name, "patronymic": person.patronymic,
        "birthDate": person.birth_date.isoformat(), "mobilePhone": "+77010000003", "consentToPersonalData": True,
        "wantedWork": {"profession": "бухгалтер"},
    }
    intake = Intake(channel, office="office", applicant_consent=SIGNED_APPLICATION, paper_card=card)
    form = write_form(JobSeekerForm(application_id, ecosystem.now(), fields, intake))
    return etree.tostring(sign_document(form, _credential(ecosystem, role)), encoding="utf-8")


def _the_tail(
    driver: ScenarioDriver, person: SyntheticPerson, application_id: str, applied_on: date, path: PaymentPath
) -> None:
    """From the job seeker to the refused certificate; every outcome the story checks must hold."""
    story = PaymentStory(driver, person, application_id, path)
    story.run()
    assert story.problems == [], "\n".join(story.problems)
    assert story.registered_on is not None and story.registered_on > applied_on, story.registered_on
    titles = [step.title.split(":")[0] for step in story.steps]
    assert titles == ["JS-9", "UN-1", "UN-2", "UN-3", "CE-1, CE-2", f"the job-loss payment applied for through "
                      f"{path.value}", "SP-1", "a labour contract at the fund; its first month's contributions "
                      "arrive", "DR-1 (1)", "DR-1 (1)", "DR-2", "Social Code Art. 119", "CE-3", "T-5"], titles
    assert story.decision is not None and story.decision.payment is not None, story.decision


def test_through_the_portal(driver: ScenarioDriver) -> None:
    person = _person(PERSONA_JOB_SEEKER)
    applied_on = driver.now().date()
    outcome = driver.register_job_seeker("the portal", person)
    assert outcome.registered_address and outcome.result_kind == "registered", outcome
    _the_tail(driver, person, outcome.application_id, applied_on, PaymentPath.PORTAL)


def test_through_the_state_corporation(driver: ScenarioDriver) -> None:
    person = _person(AT_THE_STATE_CORPORATION)
    applied_on = driver.now().date()
    answer = driver.operator_registration(OPERATOR.iin, person.iin, {"wantedWork": {"profession": "водитель"}})
    assert answer.status_code == 201, answer.text
    case = answer.json()
    assert case["status"] == "DONE" and case["resultKind"] == "registered", case
    _the_tail(driver, person, str(case["caseId"]), applied_on, PaymentPath.STATE_CORPORATION)


def test_at_the_centres_office(driver: ScenarioDriver, chain: Ecosystem) -> None:
    person = _person(AT_THE_OFFICE)
    applied_on = driver.now().date()
    body = _signed_form(chain, person, "OFFICE-UN-1", "OFFICE", "employment-worker")
    answer = httpx.post(driver.url("employment", "/api/office/registrations"), content=body, headers=XML)
    assert answer.status_code == 200, answer.text
    _the_tail(driver, person, "OFFICE-UN-1", applied_on, PaymentPath.EMPLOYMENT_CENTRE)


def test_with_the_rural_assistant(driver: ScenarioDriver, chain: Ecosystem) -> None:
    person = _person(WITH_THE_RURAL_ASSISTANT)
    card_day = CALENDAR.previous_working_day(driver.now().date())  # the paper card, the system unreachable
    body = _signed_form(chain, person, "RURAL-UN-1", "RURAL_ASSISTANT", "rural-assistant", PaperCard(card_day, "П-7"))
    answer = httpx.post(driver.url("employment", "/api/assistant/pre-registrations"), content=body, headers=XML)
    assert answer.status_code == 201 and answer.json()["state"] == "PRE_REGISTERED", answer.text
    receipt = write_documents_receipt(DocumentsReceipt("RURAL-UN-1", chain.now()))
    signed = etree.tostring(sign_document(receipt, _credential(chain, "employment-worker")), encoding="utf-8")
    path = "/api/office/pre-registrations/RURAL-UN-1/receipt"
    decided = httpx.post(driver.url("employment", path), content=signed, headers=XML)
    assert decided.status_code == 200 and decided.json()["state"] == "REGISTERED", decided.text
    _the_tail(driver, person, "RURAL-UN-1", date.fromisoformat(decided.json()["registeredOn"]), PaymentPath.DEPARTMENT)
