"""The State Corporation's operator workstation (JS-12, SP-2; regulation 004 §7-8) with a real store and the real
test PKI; the person registry and the gateway are fakes. Hostile and failing paths: a wrong password, no token,
an operator not allowed to register, no consent, unknown fields, the person unknown in the registry (SP-2
stop), the centre refusing or not answering, an answer not signed by the centre."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from lxml import etree

from adapters.person_registry import RegistryPerson
from adapters.pki import CertificateSubject, Credential, PkiLayout
from adapters.shep import GatewayFault
from adapters.shep.envelope import ErrorInfo, Payload, ResponseInfo
from adapters.shep.sync_client import SyncReply
from adapters.signatures import sign_document, verify_document
from adapters.xml import parse_xml
from contracts.job_seeker_form import read_form
from contracts.result_documents import ResultDocument, ResultKind, write_result_document
from ecosystem.catalogue import official, system
from ecosystem.settings import Settings
from kernel.clock import FixedClock, almaty
from mocks.state_corp.operators import (
    DEMO_PASSWORD,
    LoginRefusedError,
    NotAuthenticatedError,
    OperationNotAllowedError,
    OperatorDesk,
)
from mocks.state_corp.registration import CaseNotResendable, CaseStatus, OperatorRegistrations, RegistrationRefused
from mocks.state_corp.storage import StateCorpStore

APPLICANT = "900618330773"
OPERATOR = official("state-corp-operator").iin
TRAINEE = "980730353012"
SATURDAY = dt.datetime(2026, 11, 21, 11, 0, tzinfo=almaty())


def _person(iin: str = APPLICANT) -> RegistryPerson:
    return RegistryPerson(
        iin,
        "Абенов",
        "Ерлан",
        "Маратович",
        dt.date(1990, 6, 18),
        "1",
        "398",
        "Караганда",
        "002",
        "041234567",
        dt.date(2031, 1, 1),
    )


class Registry:
    def __init__(self, people: dict[str, RegistryPerson]) -> None:
        self.people = people
        self.asked: list[tuple[str, str | None]] = []

    def find_by_iin(self, iin: str, correlation_id: str | None = None) -> RegistryPerson | None:
        self.asked.append((iin, correlation_id))
        return self.people.get(iin)


class Gateway:
    """ENBEK_JobSeekerRegistration as the centre answers it: the director-signed notice of registration, or a
    fault queued in ``faults``; ``signer`` signs the answer (the director unless a test forges it)."""

    def __init__(self, signer: Credential, now: FixedClock) -> None:
        self.signer = signer
        self.now = now
        self.faults: list[str] = []
        self.sent: list[tuple[str, str, str | None]] = []

    def send(self, service_id: str, payload: Payload, *, correlation_id: str | None = None) -> SyncReply:
        assert payload.text is not None
        self.sent.append((service_id, payload.text, correlation_id))
        if self.faults:
            raise GatewayFault(ErrorInfo(self.faults.pop(0), "the centre says no", self.now.now()))
        form = read_form(parse_xml(payload.text))
        director = official("employment-director")
        document = write_result_document(
            ResultDocument(
                ResultKind.REGISTERED,
                "N-1",
                form.form.application_id,
                form.applicant.iin,
                "Абенов Ерлан",
                director.organisation,
                SATURDAY.date(),
                "Серикбаев Ерлан Муратович",
                registered_on=SATURDAY.date(),
            )
        )
        text = etree.tostring(sign_document(document, self.signer), encoding="unicode")
        info = ResponseInfo("reply-1", self.now.now(), correlation_id)
        gateway = CertificateSubject("gateway", None, system("gateway").bin, None, 1)
        return SyncReply(info, Payload(text=text), gateway, "reply-1")


class Desk:
    def __init__(self, store: StateCorpStore, layout: PkiLayout, clock: FixedClock) -> None:
        self.store = store
        self.layout = layout
        self.clock = clock
        self.operators = OperatorDesk(store, clock.now)
        self.operators.seed()
        self.registry = Registry({APPLICANT: _person()})
        self.gateway = Gateway(layout.load_credential(layout.official("employment-director")), clock)
        self.service = OperatorRegistrations(
            store,
            registry=lambda: self.registry,
            sender=lambda: self.gateway,
            credential_of=lambda role: layout.load_credential(layout.official(role)),
            trust=layout.trust_store(),
            centre_bin=system("employment").bin,
            now=clock.now,
        )

    def operator(self, iin: str = OPERATOR) -> Any:
        token, _, _ = self.operators.login(iin, DEMO_PASSWORD)
        return self.operators.operator_for(f"Bearer {token}")


@pytest.fixture
def desk(pki_settings: Settings, tmp_path: Path) -> Iterator[Desk]:
    store = StateCorpStore.at(f"sqlite:///{tmp_path / 'state_corp.sqlite'}")
    yield Desk(store, PkiLayout(pki_settings.data_dir), FixedClock(SATURDAY))
    store.dispose()


def test_login_refuses_a_wrong_password_and_an_unknown_operator_alike(desk: Desk) -> None:
    with pytest.raises(LoginRefusedError) as wrong:
        desk.operators.login(OPERATOR, "guess")
    with pytest.raises(LoginRefusedError) as unknown:
        desk.operators.login("900101300007", DEMO_PASSWORD)
    assert str(wrong.value) == str(unknown.value)
    with pytest.raises(NotAuthenticatedError):
        desk.operators.operator_for("Bearer made-up")
    with pytest.raises(NotAuthenticatedError):
        desk.operators.operator_for(None)


def test_a_session_expires(desk: Desk) -> None:
    token, _, expires = desk.operators.login(OPERATOR, DEMO_PASSWORD)
    desk.clock.set(expires)
    with pytest.raises(NotAuthenticatedError, match="expired"):
        desk.operators.operator_for(f"Bearer {token}")


def test_the_operator_registers_and_gets_the_directors_signed_result(desk: Desk) -> None:
    case = desk.service.register(
        desk.operator(), APPLICANT, True, {"mobilePhone": "+77010000001", "wantedWork": {"profession": "сварщик"}}
    )
    assert case.status == CaseStatus.DONE.value and case.result_kind == "registered"
    assert (
        case.registered_on == "2026-11-21"
        and case.signed_by
        and case.signed_by["iin"] == official("employment-director").iin
    )
    assert desk.registry.asked == [(APPLICANT, case.case_id)]  # SP-2, on the case's correlation id
    ((service_id, text, correlation),) = desk.gateway.sent
    assert service_id == "ENBEK_JobSeekerRegistration" and correlation == case.case_id
    verified = verify_document(parse_xml(text), desk.layout.trust_store(), SATURDAY)
    assert verified.signer.iin == OPERATOR  # the operator's EDS (004 §7 process 5)
    read = read_form(verified.document)
    assert read.channel == "STATE_CORPORATION" and read.form.intake is not None
    assert read.form.intake.applicant_consent == "SIGNED_APPLICATION" and read.consent_to_personal_data
    assert read.applicant.surname == "Абенов"  # the identity as the registry holds it
    assert read.form.fields["wantedWork"] == {"profession": "сварщик"}
    steps = [step.step for step in desk.store.steps(case.case_id)]
    assert steps == ["REQUEST_ENTERED", "REGISTRY_ANSWERED", "SIGNED", "SENT", "RESULT_RECEIVED"]


def test_the_person_unknown_in_the_registry_stops_the_case_before_anything_is_sent(desk: Desk) -> None:
    case = desk.service.register(desk.operator(), "900101300007", True, {})
    assert case.status == CaseStatus.STOPPED.value and "cannot be obtained" in (case.error_message or "")
    assert desk.gateway.sent == [] and case.signed_form is None
    assert [step.step for step in desk.store.steps(case.case_id)] == ["REQUEST_ENTERED", "STOPPED"]


def test_an_operator_not_allowed_to_register_is_refused_before_any_case(desk: Desk) -> None:
    with pytest.raises(OperationNotAllowedError, match="not allowed"):
        desk.service.register(desk.operator(TRAINEE), APPLICANT, True, {})
    assert desk.store.cases_of(TRAINEE) == [] and desk.registry.asked == []


@pytest.mark.parametrize(
    ("iin", "consent", "fields", "words"),
    [
        (APPLICANT, False, {}, "standard item 9"),
        (APPLICANT, True, {"surname": "Forged"}, "unknown fields"),
        (APPLICANT, True, {"wantedWork": {"salaryMin": "a lot"}}, "do not match"),
        ("900618330774", True, {}, "not a valid IIN"),
    ],
)
def test_a_request_the_state_corporation_does_not_accept_changes_nothing(
    desk: Desk, iin: str, consent: bool, fields: dict[str, Any], words: str
) -> None:
    with pytest.raises((RegistrationRefused, ValueError), match=words):
        desk.service.register(desk.operator(), iin, consent, fields)
    assert desk.store.cases_of(OPERATOR) == [] and desk.gateway.sent == [] and desk.registry.asked == []


def test_no_answer_leaves_the_case_failed_and_a_resend_completes_it(desk: Desk) -> None:
    desk.gateway.faults = ["SCE010"]
    operator = desk.operator()
    case = desk.service.register(operator, APPLICANT, True, {})
    assert case.status == CaseStatus.FAILED.value and case.error_code == "SCE010"
    resent = desk.service.resend(operator, case.case_id)
    assert resent.status == CaseStatus.DONE.value and resent.error_code is None
    assert desk.gateway.sent[0][1] == desk.gateway.sent[1][1]  # the same signed request, the same application id
    with pytest.raises(CaseNotResendable):
        desk.service.resend(operator, case.case_id)


def test_the_centre_refusing_the_operators_signature_rejects_the_case_for_good(desk: Desk) -> None:
    desk.gateway.faults = ["SCE016"]
    operator = desk.operator()
    case = desk.service.register(operator, APPLICANT, True, {})
    assert case.status == CaseStatus.REJECTED.value and case.error_code == "SCE016"
    with pytest.raises(CaseNotResendable):
        desk.service.resend(operator, case.case_id)


def test_an_answer_not_signed_by_the_centre_is_not_kept(desk: Desk) -> None:
    desk.gateway.signer = desk.layout.load_credential(desk.layout.person(APPLICANT))
    case = desk.service.register(desk.operator(), APPLICANT, True, {})
    assert case.status == CaseStatus.REJECTED.value and case.result_document is None
    assert "cannot be trusted" in (case.error_message or "")


# ---- over HTTP -------------------------------------------------------------------------------------------------


def _call(app: FastAPI, method: str, path: str, **options: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://state-corp.test") as client:
            return await client.request(method, path, **options)

    return asyncio.run(go())


def test_the_workstation_needs_a_login_and_refuses_the_trainee(pki_settings: Settings) -> None:
    from mocks.state_corp.app import create_app

    app = create_app(pki_settings)
    body = {"applicantIin": APPLICANT, "applicantConsent": True}
    assert _call(app, "POST", "/api/operator/registrations", json=body).status_code == 401
    assert _call(app, "POST", "/api/operator/person-lookup", json={"applicantIin": APPLICANT}).status_code == 401
    refused = _call(app, "POST", "/api/operator/login", json={"iin": OPERATOR, "password": "guess"})
    assert refused.status_code == 401
    login = _call(app, "POST", "/api/operator/login", json={"iin": TRAINEE, "password": DEMO_PASSWORD}).json()
    assert login["operator"]["canSign"] is False
    headers = {"Authorization": f"Bearer {login['token']}"}
    answer = _call(app, "POST", "/api/operator/registrations", json=body, headers=headers)
    assert answer.status_code == 403 and "not allowed" in answer.json()["detail"]
    other = _call(
        app,
        "POST",
        "/api/operator/person-lookup",
        json={"applicantIin": APPLICANT, "operatorIin": OPERATOR},
        headers=headers,
    )
    assert other.status_code == 403  # cannot look up in another operator's name
    assert _call(app, "GET", "/api/operator/cases/GK-none", headers=headers).status_code == 404
