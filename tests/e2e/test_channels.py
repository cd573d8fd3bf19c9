"""Each registration channel but the portal, end to end over real sockets on the shared virtual clock: the State
Corporation's operator (JS-12, SP-2), the centre's office (``000 §5 action 1``), the rural assistant (JS-13).
Each goes from the request to a registered job seeker, with the result signed by the centre's director back to
the operator or worker, the channel on the stored application and on every stage in the monitoring IS."""

from __future__ import annotations

import time
from typing import Any

import httpx
from lxml import etree

from adapters.pki import Credential, PkiLayout
from adapters.signatures import sign_document, verify_document
from adapters.signatures.jws import sign_request
from adapters.xml import parse_xml
from contracts.job_seeker_form import SIGNED_APPLICATION, Intake, JobSeekerForm, PaperCard, write_form
from contracts.registration_channels import DocumentsReceipt, write_documents_receipt
from contracts.result_documents import ResultKind, read_result_document
from ecosystem.catalogue import official, system
from egov_sim.launcher import Ecosystem
from employment.domain.calendar import WorkingCalendar
from mocks.population import (
    PERSONA_CONTRACT_NEXT_MONTH,
    PERSONA_DISMISSED,
    PERSONA_STUDENT,
    build_population,
    find_person,
    unknown_iin,
)
from scenarios.driver import ScenarioDriver

DIRECTOR = official("employment-director")
OPERATOR = official("state-corp-operator")
XML = {"Content-Type": "application/xml"}


def _stages(tester: ScenarioDriver, application_id: str, count: int, wait: float = 15.0) -> dict[str, Any]:
    """The monitoring IS's record of the application once it holds ``count`` stages."""
    deadline = time.monotonic() + wait
    while True:
        answer = tester.http.get(tester.url("monitoring", f"/api/applications/{application_id}"))
        if answer.status_code == 200 and len(answer.json()["stages"]) >= count:
            record: dict[str, Any] = answer.json()
            return record
        assert time.monotonic() < deadline, f"the monitoring IS holds {answer.text}"
        time.sleep(0.2)


def _verified_result(ecosystem: Ecosystem, text: str) -> Any:
    trust = PkiLayout(ecosystem.settings.data_dir).trust_store()
    signed = verify_document(parse_xml(text), trust, ecosystem.now())
    assert signed.signer.iin == DIRECTOR.iin and signed.signer.bin == DIRECTOR.bin
    return read_result_document(signed.document)


def _credential(ecosystem: Ecosystem, role: str) -> Credential:
    layout = PkiLayout(ecosystem.settings.data_dir)
    return layout.load_credential(layout.official(role))


def _signed_form(
    ecosystem: Ecosystem, iin: str, application_id: str, channel: str, role: str, card: PaperCard | None = None
) -> bytes:
    person = find_person(build_population(), iin)
    assert person is not None
    fields = {
        "iin": iin,
        "surname": person.surname,
        "name": person.name,
        "patronymic": person.patronymic,
        "birthDate": person.birth_date.isoformat(),
        "mobilePhone": "+77010000002",
        "consentToPersonalData": True,
        "wantedWork": {"profession": "оператор"},
    }
    intake = Intake(channel, office="office", applicant_consent=SIGNED_APPLICATION, paper_card=card)
    form = write_form(JobSeekerForm(application_id, ecosystem.now(), fields, intake))
    return etree.tostring(sign_document(form, _credential(ecosystem, role)), encoding="utf-8")


def test_the_state_corporation_operator_registers_a_job_seeker(tester: ScenarioDriver, ecosystem: Ecosystem) -> None:
    answer = tester.operator_registration(OPERATOR.iin, PERSONA_DISMISSED, {"wantedWork": {"profession": "электрик"}})
    assert answer.status_code == 201, answer.text
    case = answer.json()
    assert case["status"] == "DONE" and case["resultKind"] == "registered", case
    result = _verified_result(ecosystem, case["resultDocument"])
    assert result.kind is ResultKind.REGISTERED and result.application_id == case["caseId"]
    assert case["registeredOn"] == result.registered_on.isoformat() and case["signedBy"]["iin"] == DIRECTOR.iin
    assert [step["step"] for step in case["steps"]] == [
        "REQUEST_ENTERED",
        "REGISTRY_ANSWERED",
        "SIGNED",
        "SENT",
        "RESULT_RECEIVED",
    ]
    # The operator reads the case again in their own session.
    headers = tester.operator_login(OPERATOR.iin)
    again = tester.http.get(tester.url("state_corp", f"/api/operator/cases/{case['caseId']}"), headers=headers)
    assert again.status_code == 200 and again.json()["resultDocument"] == case["resultDocument"]

    stored = tester.http.get(tester.url("employment", f"/admin/applications/{case['caseId']}")).json()
    assert stored["channel"] == "STATE_CORPORATION" and OPERATOR.iin in stored["applicant_signature"]
    record = _stages(tester, case["caseId"], 4)
    assert record["channel"] == "STATE_CORPORATION" and record["registerOrg"] == system("state_corp").organisation
    assert [s["newStatus"] for s in record["stages"]][-1] == "RESULT_ISSUED"
    assert {s["channel"] for s in record["stages"]} == {"STATE_CORPORATION"}
    # One case, one correlationId: the operator's lookup, the registration, and the centre's own queries.
    hops = tester.hops(case["caseId"])
    received = {(h["sender_id"], h["service_id"]) for h in hops if h["event"] == "received"}
    assert {
        ("GK_IIS", "GBDFL_UniversalServiceSync"),
        ("GK_IIS", "ENBEK_JobSeekerRegistration"),
        ("ENBEK_LABOUR_MARKET", "GBDFL_UniversalServiceSync"),
    } <= received, received


def test_the_state_corporation_stops_for_a_person_unknown_in_the_registry(tester: ScenarioDriver) -> None:
    answer = tester.operator_registration(OPERATOR.iin, unknown_iin(build_population()))
    assert answer.status_code == 404
    case = answer.json()
    assert case["status"] == "STOPPED" and "cannot be obtained" in case["errorMessage"]
    services = {h["service_id"] for h in tester.hops(case["caseId"])}
    assert services == {"GBDFL_UniversalServiceSync"}  # nothing went to the employment centre (SP-2)


def test_a_trainee_operator_cannot_register(tester: ScenarioDriver) -> None:
    answer = tester.operator_registration("980730353012", PERSONA_DISMISSED)
    assert answer.status_code == 403


def test_the_office_registers_a_person_who_came_in(tester: ScenarioDriver, ecosystem: Ecosystem) -> None:
    body = _signed_form(ecosystem, PERSONA_CONTRACT_NEXT_MONTH, "OFFICE-E2E-1", "OFFICE", "employment-worker")
    answer = httpx.post(tester.url("employment", "/api/office/registrations"), content=body, headers=XML)
    assert answer.status_code == 200, answer.text
    result = _verified_result(ecosystem, answer.text)
    assert result.kind is ResultKind.REGISTERED and result.person_iin == PERSONA_CONTRACT_NEXT_MONTH
    stored = tester.http.get(tester.url("employment", "/admin/applications/OFFICE-E2E-1")).json()
    assert stored["channel"] == "OFFICE"
    record = _stages(tester, "OFFICE-E2E-1", 4)
    assert record["channel"] == "OFFICE" and record["currentState"] == "RESULT_ISSUED"
    forged = _signed_form(ecosystem, PERSONA_CONTRACT_NEXT_MONTH, "OFFICE-E2E-2", "OFFICE", "rural-assistant")
    refused = httpx.post(tester.url("employment", "/api/office/registrations"), content=forged, headers=XML)
    assert refused.status_code == 403 and refused.json()["ruleId"] == "000 §5 action 1"


def test_the_rural_assistant_pre_registers_from_a_paper_card_and_the_centre_registers(
    tester: ScenarioDriver, ecosystem: Ecosystem
) -> None:
    calendar = WorkingCalendar()
    now = ecosystem.now()
    card_day = calendar.previous_working_day(now.date())  # filled on paper when the system was unreachable
    body = _signed_form(
        ecosystem, PERSONA_STUDENT, "RURAL-E2E-1", "RURAL_ASSISTANT", "rural-assistant", PaperCard(card_day, "П-3")
    )
    answer = httpx.post(tester.url("employment", "/api/assistant/pre-registrations"), content=body, headers=XML)
    assert answer.status_code == 201, answer.text
    pre = answer.json()
    assert pre["state"] == "PRE_REGISTERED" and pre["cardDay"] == card_day.isoformat() and pre["laterEntry"]
    record = _stages(tester, "RURAL-E2E-1", 1)
    assert record["currentState"] == "PRE_REGISTERED" and record["channel"] == "RURAL_ASSISTANT"
    assert record["deadline"] == pre["documentsDueBy"]

    received_at = ecosystem.now()
    receipt = write_documents_receipt(DocumentsReceipt("RURAL-E2E-1", received_at))
    signed = etree.tostring(sign_document(receipt, _credential(ecosystem, "employment-worker")), encoding="utf-8")
    path = "/api/office/pre-registrations/RURAL-E2E-1/receipt"
    decided = httpx.post(tester.url("employment", path), content=signed, headers=XML)
    assert decided.status_code == 200, decided.text
    expected_day = calendar.effective_receipt(received_at).date().isoformat()
    assert decided.json()["state"] == "REGISTERED" and decided.json()["registeredOn"] == expected_day

    # The assistant reads the date of registration and the signed result to tell the person (§21).
    read = "/api/assistant/pre-registrations/RURAL-E2E-1"
    token = sign_request(
        b"", _credential(ecosystem, "rural-assistant"), method="GET", path=read, headers={}, at=ecosystem.now()
    )
    seen = httpx.get(tester.url("employment", read), headers={"X-Signature": token}).json()
    assert seen["registeredOn"] == expected_day and expected_day in seen["notice"]
    assert _verified_result(ecosystem, seen["resultDocument"]).registered_on.isoformat() == expected_day
    record = _stages(tester, "RURAL-E2E-1", 6)
    assert [s["newStatus"] for s in record["stages"]] == [
        "PRE_REGISTERED",
        "DOCUMENTS_RECEIVED",
        "ACCEPTED",
        "DATA_REQUESTED",
        "DECISION_MADE",
        "RESULT_ISSUED",
    ]
    card = tester.http.get(tester.url("employment", f"/admin/job-seekers/{PERSONA_STUDENT}")).json()
    assert card["iin"] == PERSONA_STUDENT
    journal = tester.http.get(tester.url("employment", "/admin/channel-requests"), params={"subject": "RURAL-E2E-1"})
    assert [entry["route"] for entry in journal.json()][::-1] == [
        "POST /api/assistant/pre-registrations",
        "POST /api/office/pre-registrations/{id}/receipt",
        "GET /api/assistant/pre-registrations/{id}",
    ]
