"""The job-loss payment application at the State Corporation (SP-2, SP-3; regulation 004 §7-8) with a real store
and the real test PKI; the person registry and the fund behind the gateway are stubs answering the contract
(contracts/job_loss_payment.py). Hostile and failing paths: entries not well formed, the person unknown in the
registry (SP-2 stop), the gateway or the fund not answering (FAILED, sent again), a decision signed by another
organisation or for another application (not shown)."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, HTTPException

from adapters.person_registry import PersonRegistryUnavailable, RegistryPerson
from adapters.pki import CertificateSubject, Credential, PkiLayout
from adapters.shep import GatewayFault
from adapters.shep.envelope import ErrorInfo, Payload, ResponseInfo
from adapters.shep.gateway_link import GatewayUnreachable
from adapters.shep.sync_client import SyncReply
from adapters.signatures import verify_document
from adapters.signed_documents import sign_to_text
from adapters.xml import parse_xml
from contracts import job_loss_payment as jl
from ecosystem.catalogue import official, system
from ecosystem.settings import Settings
from kernel.clock import FixedClock
from mocks.state_corp.operators import DEMO_PASSWORD, NotAuthenticatedError, OperationNotAllowedError, OperatorDesk
from mocks.state_corp.payment_cases import (
    CaseNotRefreshable,
    OperatorPaymentApplications,
    PaymentStatus,
    RefreshFailed,
)
from mocks.state_corp.payment_entry import EnteredDocument, EnteredRepresentative, PaymentEntry
from mocks.state_corp.payment_results import FundVerifier
from mocks.state_corp.payment_routes import add_payment_routes
from mocks.state_corp.registration import CaseNotResendable
from mocks.state_corp.storage import PaymentCaseRow, StateCorpStore
from tests.social_fund import examples

APPLICANT = examples.APPLICANT.iin
UNKNOWN = "900101300007"
OPERATOR = official("state-corp-operator").iin
TRAINEE = "980730353012"
NOW = examples.MONDAY  # Monday 23 November 2026, 10:00 +05:00
REGISTERED_AT = NOW + dt.timedelta(minutes=2)
DEADLINE = dt.datetime(2026, 12, 3, 11, 0, tzinfo=NOW.tzinfo)


def _person(iin: str = APPLICANT) -> RegistryPerson:
    return RegistryPerson(
        iin,
        "Жумабаев",
        "Ержан",
        None,
        dt.date(1990, 6, 18),
        "1",
        "398",
        "Астана",
        "002",
        "049876543",
        dt.date(2031, 2, 28),
    )


def _entry(**changes: Any) -> PaymentEntry:
    entry = PaymentEntry(
        applicant_iin=APPLICANT,
        identity_document=EnteredDocument("049876543", dt.date(2021, 3, 1), dt.date(2031, 2, 28)),
        unemployed_certificate=EnteredDocument("CERT-2026-000017", dt.date(2026, 11, 20), dt.date(2026, 12, 19)),
        bank_account_document=EnteredDocument("BA-7781", dt.date(2026, 11, 20)),
        iban=examples.IBAN,
        consent=True,
    )
    return dataclasses.replace(entry, **changes)


class Registry:
    def __init__(self) -> None:
        self.people = {APPLICANT: _person()}
        self.asked: list[tuple[str, str | None]] = []
        self.down = False

    def find_by_iin(self, iin: str, correlation_id: str | None = None) -> RegistryPerson | None:
        self.asked.append((iin, correlation_id))
        if self.down:
            raise PersonRegistryUnavailable("SCE010: the registry does not answer")
        return self.people.get(iin)


class Fund:
    """The fund behind the gateway as the contract has it: ``GFSS_JobLossPayment`` answers the receipt,
    ``GFSS_JobLossPaymentResult`` the status with ``signed_decision`` / ``signed_notices`` once a test sets them;
    ``faults`` (a gateway code, or None for no connection) are raised first."""

    def __init__(self, now: FixedClock) -> None:
        self.now = now
        self.faults: list[str | None] = []
        self.sent: list[tuple[str, Payload, str | None]] = []
        self.stage = jl.Stage.REGISTERED
        self.signed_decision: str | None = None
        self.signed_notices: tuple[str, ...] = ()

    def send(self, service_id: str, payload: Payload, *, correlation_id: str | None = None) -> SyncReply:
        self.sent.append((service_id, payload, correlation_id))
        if self.faults:
            code = self.faults.pop(0)
            if code is None:
                raise GatewayUnreachable("connection refused")
            raise GatewayFault(ErrorInfo(code, "the fund says no", self.now.now()))
        if service_id == jl.APPLICATION_SERVICE:
            assert payload.text is not None
            application = jl.read_application(parse_xml(payload.text))
            answer = jl.write_receipt(
                jl.ApplicationReceipt(application.application_id, "GFSS-2026-000042", REGISTERED_AT, DEADLINE)
            )
        else:
            assert service_id == jl.RESULT_SERVICE and payload.element is not None
            query = jl.read_status_query(payload.element)
            answer = jl.write_status(
                jl.ApplicationStatus(
                    query.application_id,
                    True,
                    self.stage,
                    self.now.now(),
                    DEADLINE,
                    self.signed_decision,
                    self.signed_notices,
                )
            )
        info = ResponseInfo("reply-1", self.now.now(), correlation_id)
        gateway = CertificateSubject("gateway", None, system("gateway").bin, None, 1)
        return SyncReply(info, Payload(element=answer), gateway, "reply-1")

    def applications(self) -> list[str]:
        return [payload.text or "" for service, payload, _ in self.sent if service == jl.APPLICATION_SERVICE]


class Desk:
    def __init__(self, store: StateCorpStore, layout: PkiLayout, clock: FixedClock) -> None:
        self.store = store
        self.layout = layout
        self.clock = clock
        self.operators = OperatorDesk(store, clock.now)
        self.operators.seed()
        self.registry = Registry()
        self.fund = Fund(clock)
        self.service = OperatorPaymentApplications(
            store,
            registry=lambda: self.registry,
            sender=lambda: self.fund,
            credential_of=self.credential,
            verifier=FundVerifier(layout.trust_store(), system("social_fund").bin),
            now=clock.now,
        )

    def credential(self, role: str) -> Credential:
        return self.layout.load_credential(self.layout.official(role))

    def token(self, iin: str = OPERATOR) -> str:
        return self.operators.login(iin, DEMO_PASSWORD)[0]

    def operator(self, iin: str = OPERATOR) -> Any:
        return self.operators.operator_for(f"Bearer {self.token(iin)}")

    def decide(self, decision: jl.PaymentDecision, signer: str = "fund-department-head") -> str:
        """The fund issues ``decision`` signed by the official ``signer``; the status answers it from now on."""
        self.fund.stage = jl.Stage.RESULT_ISSUED
        self.fund.signed_decision = sign_to_text(jl.write_decision(decision), self.credential(signer))
        return self.fund.signed_decision

    def registered(self) -> PaymentCaseRow:
        case = self.service.apply(self.operator(), _entry())
        assert case.status == PaymentStatus.REGISTERED.value
        return case


@pytest.fixture
def desk(pki_settings: Settings, tmp_path: Path) -> Iterator[Desk]:
    store = StateCorpStore.at(f"sqlite:///{tmp_path / 'state_corp.sqlite'}")
    yield Desk(store, PkiLayout(pki_settings.data_dir), FixedClock(NOW))
    store.dispose()


def _steps(desk: Desk, case_id: str) -> list[str]:
    return [step.step for step in desk.store.steps(case_id)]


# ---- SP-2: the application ---------------------------------------------------------------------------------


def test_the_operator_sends_the_signed_application_and_keeps_the_funds_receipt(desk: Desk) -> None:
    case = desk.service.apply(desk.operator(), _entry())
    assert case.status == PaymentStatus.REGISTERED.value
    assert case.registration_number == "GFSS-2026-000042"
    assert case.registered_at == REGISTERED_AT and case.deadline == DEADLINE and case.stage == "REGISTERED"
    assert desk.registry.asked == [(APPLICANT, case.case_id)]  # SP-2 on the case's correlation id
    ((service_id, payload, correlation),) = desk.fund.sent
    assert service_id == "GFSS_JobLossPayment" and correlation == case.case_id
    assert payload.text == case.signed_application
    verified = verify_document(parse_xml(payload.text or ""), desk.layout.trust_store(), NOW)
    assert verified.signer.iin == OPERATOR  # the operator's EDS (004 §7 process 5)
    application = jl.read_application(verified.document)
    assert application.application_id == case.case_id and application.channel is jl.Channel.STATE_CORPORATION
    assert application.applicant == jl.Applicant(
        APPLICANT, "Жумабаев", "Ержан", None, dt.date(1990, 6, 18), jl.Sex.MALE
    )  # as the registry holds the person
    assert [d.kind for d in application.documents] == [
        jl.DocumentKind.IDENTITY_DOCUMENT,
        jl.DocumentKind.UNEMPLOYED_CERTIFICATE,
        jl.DocumentKind.BANK_ACCOUNT,
    ]
    assert application.documents[1].valid_until == dt.date(2026, 12, 19)
    assert application.bank_account == examples.IBAN and application.consent and application.representative is None
    assert _steps(desk, case.case_id) == ["REQUEST_ENTERED", "REGISTRY_ANSWERED", "SIGNED", "SENT", "REGISTERED"]


def test_a_representative_applies_with_the_power_of_attorney(desk: Desk) -> None:
    power = EnteredDocument("POA-2026-118", dt.date(2026, 11, 2), dt.date(2027, 11, 1))
    entry = _entry(representative=EnteredRepresentative("880115300126", "Абенова Сауле", power))
    case = desk.service.apply(desk.operator(), entry)
    assert case.status == PaymentStatus.REGISTERED.value
    application = jl.read_application(parse_xml(desk.fund.applications()[0]))
    assert application.representative == jl.Representative("880115300126", "Абенова Сауле", "POA-2026-118")
    assert application.documents[-1] == jl.AttachedDocument(
        jl.DocumentKind.POWER_OF_ATTORNEY, "POA-2026-118", dt.date(2026, 11, 2), dt.date(2027, 11, 1), "880115300126"
    )
    assert "represented by Абенова Сауле" in desk.store.steps(case.case_id)[0].detail


def test_the_person_unknown_in_the_registry_stops_the_case_before_anything_is_sent(desk: Desk) -> None:
    case = desk.service.apply(desk.operator(), _entry(applicant_iin=UNKNOWN))
    assert case.status == PaymentStatus.STOPPED.value
    assert case.error_message == f"Data cannot be obtained: the person registry has no data for IIN {UNKNOWN} (SP-2)"
    assert desk.fund.sent == [] and case.signed_application is None
    assert _steps(desk, case.case_id) == ["REQUEST_ENTERED", "STOPPED"]
    with pytest.raises(CaseNotRefreshable):
        desk.service.refresh(desk.operator(), case.case_id)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"iban": "KZ86125KZT500410010"}, "not a Kazakh IBAN"),
        ({"iban": "DE86125KZT5004100100"}, "not a Kazakh IBAN"),
        ({"applicant_iin": "900618330774"}, "not a valid IIN"),
        (
            {"unemployed_certificate": EnteredDocument("C-1", dt.date(2026, 11, 24), dt.date(2026, 12, 24))},
            "after today",
        ),
        (
            {"identity_document": EnteredDocument("049876543", dt.date(2021, 3, 1), dt.date(2020, 1, 1))},
            "before its issuedOn",
        ),
        ({"unemployed_certificate": EnteredDocument("C-1", dt.date(2026, 11, 20))}, "validUntil is required"),
        ({"bank_account_document": EnteredDocument("BA 7781 <x>", dt.date(2026, 11, 20))}, "not a document number"),
        (
            {"representative": EnteredRepresentative(APPLICANT, "Сам", EnteredDocument("P-1", dt.date(2026, 1, 1)))},
            "is the applicant",
        ),
        (
            {"representative": EnteredRepresentative("880115300126", "x" * 501, EnteredDocument("P-1", NOW.date()))},
            "1-500 characters",
        ),
    ],
)
def test_an_entry_not_well_formed_is_refused_and_nothing_is_stored_asked_or_sent(
    desk: Desk, changes: dict[str, Any], words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        desk.service.apply(desk.operator(), _entry(**changes))
    assert desk.store.payment_cases_of([OPERATOR]) == [] and desk.registry.asked == [] and desk.fund.sent == []


def test_an_operator_not_allowed_to_apply_is_refused_before_any_case(desk: Desk) -> None:
    with pytest.raises(OperationNotAllowedError, match="not allowed"):
        desk.service.apply(desk.operator(TRAINEE), _entry())
    assert desk.store.payment_cases_of([TRAINEE]) == [] and desk.registry.asked == []


def test_the_fund_not_answering_leaves_the_case_failed_and_a_resend_registers_it(desk: Desk) -> None:
    desk.fund.faults = ["SCE010"]
    operator = desk.operator()
    case = desk.service.apply(operator, _entry())
    assert case.status == PaymentStatus.FAILED.value and case.error_code == "SCE010"
    resent = desk.service.resend(operator, case.case_id)
    assert resent.status == PaymentStatus.REGISTERED.value and resent.error_code is None
    first, second = desk.fund.applications()
    assert first == second  # the same signed application, the same application id
    with pytest.raises(CaseNotResendable):
        desk.service.resend(operator, case.case_id)


def test_the_registry_not_answering_fails_the_case_and_a_resend_asks_it_again(desk: Desk) -> None:
    desk.registry.down = True
    operator = desk.operator()
    case = desk.service.apply(operator, _entry())
    assert case.status == PaymentStatus.FAILED.value and case.signed_application is None and desk.fund.sent == []
    desk.registry.down = False
    resent = desk.service.resend(operator, case.case_id)
    assert resent.status == PaymentStatus.REGISTERED.value
    assert desk.registry.asked == [(APPLICANT, case.case_id)] * 2


def test_the_gateway_refusing_the_application_rejects_it_for_good(desk: Desk) -> None:
    desk.fund.faults = ["SCE016"]
    operator = desk.operator()
    case = desk.service.apply(operator, _entry())
    assert case.status == PaymentStatus.REJECTED.value and case.error_code == "SCE016"
    with pytest.raises(CaseNotResendable):
        desk.service.resend(operator, case.case_id)


# ---- SP-3: the result through the operator -----------------------------------------------------------------


def test_a_refresh_before_the_decision_shows_the_stage_and_the_deadline(desk: Desk) -> None:
    case = desk.registered()
    desk.fund.stage = jl.Stage.EXECUTOR_ASSIGNED
    desk.clock.set(NOW + dt.timedelta(minutes=40))
    refreshed = desk.service.refresh(desk.operator(), case.case_id)
    assert refreshed.status == PaymentStatus.REGISTERED.value and refreshed.stage == "EXECUTOR_ASSIGNED"
    assert refreshed.deadline == DEADLINE and refreshed.checked_at == desk.clock.now() and refreshed.decision is None
    service_id, payload, correlation = desk.fund.sent[-1]
    assert service_id == "GFSS_JobLossPaymentResult" and correlation == case.case_id
    assert payload.element is not None and jl.read_status_query(payload.element).application_id == case.case_id
    assert _steps(desk, case.case_id)[-1] == "STAGE"


def test_a_refresh_shows_the_assignment_signed_by_the_funds_department(desk: Desk) -> None:
    case = desk.registered()
    text = desk.decide(dataclasses.replace(examples.assigned(), application_id=case.case_id))
    desk.clock.set(dt.datetime(2026, 12, 4, 12, 0, tzinfo=NOW.tzinfo))
    refreshed = desk.service.refresh(desk.operator(), case.case_id)
    assert refreshed.status == PaymentStatus.DECIDED.value and refreshed.stage == "RESULT_ISSUED"
    assert refreshed.decision_document == text  # the signed text, kept as received
    decision = refreshed.decision
    assert decision is not None and decision["outcome"] == "assigned" and decision["grounds"] == []
    assert decision["signedBy"]["bin"] == "980740010004" == system("social_fund").bin
    assert decision["signedBy"]["iin"] == official("fund-department-head").iin
    payment = decision["payment"]
    assert payment["grossMonthly"] == {"amount": "121500.00", "display": "121 500.00 ₸"}
    assert payment["netMonthly"] == {"amount": "109350.00", "display": "109 350.00 ₸"}
    assert payment["pensionContribution"]["amount"] == "12150.00" and payment["months"] == 4
    assert [(m["start"], m["end"], m["net"]["amount"]) for m in payment["schedule"]] == [
        (m.start.isoformat(), m.end.isoformat(), f"{m.net:.2f}") for m in examples.SCHEDULE
    ]
    assert sum(Decimal(m["net"]["amount"]) for m in payment["schedule"]) == Decimal("437400.00")
    steps = _steps(desk, case.case_id)
    assert steps[-2:] == ["STAGE", "RESULT_RECEIVED"]
    again = desk.service.refresh(desk.operator(), case.case_id)
    assert again.decision == decision and _steps(desk, case.case_id) == steps  # nothing new, nothing journalled


def test_a_refusal_shows_its_grounds_with_rule_ids_and_articles(desk: Desk) -> None:
    case = desk.registered()
    refusal = examples.refused(jl.Outcome.REFUSED_TO_ASSIGN)
    ground = jl.Ground("PE-5 (1)", "Social Code Art. 115 p.2 sub.1", "the certificate CERT-2026-000017 is false")
    desk.decide(dataclasses.replace(refusal, application_id=case.case_id, grounds=(ground,)))
    decision = desk.service.refresh(desk.operator(), case.case_id).decision
    assert decision is not None and decision["outcome"] == "refused-to-assign" and decision["payment"] is None
    assert "PE-5" in decision["outcomeText"] and "Art. 115 p.2" in decision["outcomeText"]
    assert decision["grounds"] == [
        {"ruleId": "PE-5 (1)", "article": "Social Code Art. 115 p.2 sub.1", "text": ground.text}
    ]


def test_a_decision_signed_by_another_organisation_is_not_shown(desk: Desk) -> None:
    case = desk.registered()
    desk.decide(dataclasses.replace(examples.assigned(), application_id=case.case_id), signer="employment-director")
    with pytest.raises(RefreshFailed, match="BIN 980740010004") as failed:
        desk.service.refresh(desk.operator(), case.case_id)
    assert not failed.value.unreachable
    kept = desk.store.payment_case(case.case_id)
    assert kept is not None and kept.decision is None and kept.decision_document is None
    assert kept.status == PaymentStatus.REGISTERED.value and kept.error_code == "SCE016"
    assert _steps(desk, case.case_id)[-1] == "RESULT_UNAVAILABLE"


def test_a_decision_for_another_application_is_not_shown(desk: Desk) -> None:
    case = desk.registered()
    desk.decide(examples.assigned())  # JLP-2026-0001, not this case
    with pytest.raises(RefreshFailed, match="not for"):
        desk.service.refresh(desk.operator(), case.case_id)
    kept = desk.store.payment_case(case.case_id)
    assert kept is not None and kept.decision is None


def test_a_termination_notice_is_verified_and_kept_with_the_decision(desk: Desk) -> None:
    case = desk.registered()
    desk.decide(dataclasses.replace(examples.assigned(), application_id=case.case_id))
    desk.service.refresh(desk.operator(), case.case_id)
    notice = sign_to_text(jl.write_notice(examples.notice()), desk.credential("fund-department-head"))
    desk.fund.signed_notices = (notice,)
    refreshed = desk.service.refresh(desk.operator(), case.case_id)
    ((kept,),) = [refreshed.notices]
    assert kept["kind"] == "terminated" and kept["effectiveFrom"] == "2027-02-01" and kept["document"] == notice
    assert kept["ground"]["article"] == "Social Code Art. 119 p.2" and len(kept["schedule"]) == 3
    assert _steps(desk, case.case_id)[-1] == "NOTICE_RECEIVED"


def test_the_fund_not_answering_a_refresh_changes_nothing(desk: Desk) -> None:
    case = desk.registered()
    desk.fund.faults = [None]
    with pytest.raises(RefreshFailed) as failed:
        desk.service.refresh(desk.operator(), case.case_id)
    assert failed.value.unreachable
    kept = desk.store.payment_case(case.case_id)
    assert kept is not None and kept.status == PaymentStatus.REGISTERED.value and kept.stage == "REGISTERED"


# ---- over HTTP -------------------------------------------------------------------------------------------------


def _app(desk: Desk) -> FastAPI:
    app = FastAPI()

    def operator_of(authorization: str | None) -> Any:
        try:
            return desk.operators.operator_for(authorization)
        except NotAuthenticatedError as exc:
            raise HTTPException(401, str(exc)) from exc

    add_payment_routes(app, desk.store, desk.service, operator_of)
    return app


def _call(app: FastAPI, method: str, path: str, **options: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://state-corp.test") as client:
            return await client.request(method, path, **options)

    return asyncio.run(go())


def _body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "applicantIin": APPLICANT,
        "identityDocument": {"number": "049876543", "issuedOn": "2021-03-01", "validUntil": "2031-02-28"},
        "unemployedCertificate": {"number": "CERT-2026-000017", "issuedOn": "2026-11-20", "validUntil": "2026-12-19"},
        "bankAccountDocument": {"number": "BA-7781", "issuedOn": "2026-11-20"},
        "iban": examples.IBAN,
        "applicantConsent": True,
    }
    return body | changes


def test_the_routes_answer_each_outcome_with_its_code(desk: Desk) -> None:
    app = _app(desk)
    auth = {"Authorization": f"Bearer {desk.token()}"}
    assert _call(app, "POST", "/api/operator/payment-cases", json=_body()).status_code == 401
    trainee = {"Authorization": f"Bearer {desk.token(TRAINEE)}"}
    assert _call(app, "POST", "/api/operator/payment-cases", json=_body(), headers=trainee).status_code == 403
    for hostile in (
        _body(iban="KZ86 125K ZT50 0410 0100"),
        _body(extra="x"),
        _body(applicantConsent=None),
        _body(identityDocument={"number": "1", "issuedOn": "2021-02-30"}),
        _body(applicantIin="9006183307731"),
    ):
        assert _call(app, "POST", "/api/operator/payment-cases", json=hostile, headers=auth).status_code == 422
    assert desk.store.payment_cases_of([OPERATOR]) == []

    stopped = _call(app, "POST", "/api/operator/payment-cases", json=_body(applicantIin=UNKNOWN), headers=auth)
    assert stopped.status_code == 404 and stopped.json()["status"] == "STOPPED"
    assert "Data cannot be obtained" in stopped.json()["errorMessage"]

    desk.fund.faults = [None]
    failed = _call(app, "POST", "/api/operator/payment-cases", json=_body(), headers=auth)
    assert failed.status_code == 503 and failed.json()["status"] == "FAILED"
    case_id = failed.json()["caseId"]
    resent = _call(app, "POST", f"/api/operator/payment-cases/{case_id}/resend", headers=auth)
    assert resent.status_code == 200 and resent.json()["registrationNumber"] == "GFSS-2026-000042"
    assert _call(app, "POST", f"/api/operator/payment-cases/{case_id}/resend", headers=auth).status_code == 409

    desk.fund.faults = ["SCE010"]
    down = _call(app, "POST", f"/api/operator/payment-cases/{case_id}/refresh", headers=auth)
    assert down.status_code == 503 and down.json()["status"] == "REGISTERED"
    desk.decide(dataclasses.replace(examples.assigned(), application_id=case_id))
    shown = _call(app, "POST", f"/api/operator/payment-cases/{case_id}/refresh", headers=auth).json()
    assert shown["status"] == "DECIDED" and shown["decision"]["payment"]["netMonthly"]["display"] == "109 350.00 ₸"
    assert _call(app, "GET", f"/api/operator/payment-cases/{case_id}", headers=auth).json() == shown
    listed = _call(app, "GET", "/api/operator/payment-cases", headers=auth).json()
    assert sorted(item["caseId"] for item in listed) == sorted([case_id, stopped.json()["caseId"]])
    assert _call(app, "GET", "/api/operator/payment-cases/GK-JLP-none", headers=auth).status_code == 404


def test_the_workstation_serves_the_payment_routes_behind_the_login(pki_settings: Settings) -> None:
    from mocks.state_corp.app import create_app

    app = create_app(pki_settings)
    paths = app.openapi()["paths"]
    assert {"/api/operator/payment-cases", "/api/operator/payment-cases/{case_id}/refresh"} <= set(paths)
    assert "PaymentApplicationRequest" in app.openapi()["components"]["schemas"]
    assert _call(app, "POST", "/api/operator/payment-cases", json=_body()).status_code == 401
    assert _call(app, "GET", "/api/operator/payment-cases", headers={"Authorization": "Bearer x"}).status_code == 401
