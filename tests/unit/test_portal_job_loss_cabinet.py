"""SP-6 in the cabinet: the fund's notification (decision) and notice (Art. 119), signed by the department's
authorised person, are kept only from GFSS and only when the signer carries the fund's BIN; the decision
becomes the result of the portal application it names; both render as HTML. Through the portal app in process:
login, prefill, the form (SP-5 against a fake NCA), the fund's delivery at /bip-sync/, the JSON view."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import re
from collections.abc import Iterator

import pytest

from adapters.pki import PkiLayout
from adapters.shep import parse_fault
from adapters.signatures import verify_envelope
from adapters.xml import parse_xml
from contracts import job_loss_payment as jl
from ecosystem.catalogue import official, system
from ecosystem.settings import Settings
from mocks.population import PERSONA_JOB_SEEKER, build_population, find_person
from mocks.portal.app import create_app
from mocks.portal.auth import DEMO_PASSWORD
from tests.portal_fakes import AppClient, FakeAddressRegistry, cabinet_envelope, gateway_signed, post_soap
from tests.portal_job_loss_fakes import FakeNca, decision_for, fund_delivery, notice_for
from tests.social_fund.examples import IBAN

FUND = system("social_fund")
HEAD = official("fund-department-head")
PATH = "/api/services/job-loss-payment"
FORM = {
    "bankAccount": IBAN,
    "unemployedCertificate": {"number": "CERT000017", "issuedOn": "2026-11-20", "validUntil": "2026-12-24"},
    "bankAccountDocument": {"number": "BA-7781", "issuedOn": "2026-11-20"},
    "copies": [{"document": "bank-account", "fileName": "a.pdf", "contentBase64": base64.b64encode(b"%PDF").decode()}],
    "consentToPersonalData": True,
}


@pytest.fixture(scope="module")
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


@pytest.fixture
def nca(layout: PkiLayout) -> FakeNca:
    return FakeNca(layout)


@pytest.fixture
def portal(pki_settings: Settings, nca: FakeNca, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppClient]:
    folder = tmp_path_factory.mktemp("portal-job-loss")
    settings = pki_settings.model_copy(update={"database_url": f"sqlite:///{folder}/{{system}}.sqlite"})
    http = nca.client()
    client = AppClient(create_app(settings, person_registry=lambda: FakeAddressRegistry(), nca=http))
    token = client.post("/api/auth/login", json={"iin": PERSONA_JOB_SEEKER, "password": DEMO_PASSWORD}).json()
    client.headers = {"Authorization": f"Bearer {token['token']}"}
    yield client
    http.close()


def deliver(portal: AppClient, layout: PkiLayout, document: jl.PaymentDecision | jl.PaymentNotice, *,
            signer: str = HEAD.role, sender: str = FUND.sender_id) -> tuple[int, bytes]:  # fmt: skip
    delivery = fund_delivery(document, layout.load_credential(layout.official(signer)))
    response = post_soap(portal, gateway_signed(layout, sender, cabinet_envelope(delivery)))
    return response.status_code, response.content


def test_the_form_goes_out_and_the_funds_decision_comes_back_into_the_cabinet(
    portal: AppClient, layout: PkiLayout
) -> None:
    prefill = portal.get(f"{PATH}/prefill").json()
    assert prefill["iin"] == PERSONA_JOB_SEEKER and prefill["identityDocument"]["number"]

    accepted = portal.post(PATH, json=FORM)
    assert accepted.status_code == 202, accepted.text
    application_id = accepted.json()["applicationId"]
    view = portal.get(f"{PATH}/{application_id}").json()
    assert view["status"] == "In progress" and view["decision"] is None
    assert [d["kind"] for d in view["documents"]] == ["identity-document", "unemployed-certificate", "bank-account"]

    decision = decision_for(application_id, PERSONA_JOB_SEEKER)
    status, _ = deliver(portal, layout, decision)
    assert status == 200
    status, _ = deliver(portal, layout, notice_for(decision))
    assert status == 200

    view = portal.get(f"{PATH}/{application_id}").json()
    assert view["status"] == "Done" and view["decision"]["outcome"] == "assigned"
    assert (view["decision"]["payment"]["gross"], view["decision"]["payment"]["net"]) == ("121500.00", "109350.00")
    assert [n["kind"] for n in view["notices"]] == ["terminated"]
    [entry] = [a for a in portal.get("/api/cabinet/applications").json() if a["applicationId"] == application_id]
    assert entry["serviceTitle"] == "Social payment for loss of job" and entry["result"]["kind"] == "assigned"

    page = portal.get(view["decision"]["htmlUrl"]).text
    assert "121\u00a0500,00 ₸" in page and "109\u00a0350,00 ₸" in page and "25.02.2027" in page
    notice_page = portal.get(view["notices"][0]["htmlUrl"]).text
    assert "прекращается" in notice_page and "Art. 119 p.2" in notice_page and "DR-2" in notice_page


def test_a_refusal_shows_its_ground_with_rule_and_article(portal: AppClient, layout: PkiLayout) -> None:
    application_id = portal.post(PATH, json=FORM).json()["applicationId"]
    refused = decision_for(application_id, PERSONA_JOB_SEEKER, jl.Outcome.REFUSED_TO_ASSIGN)

    assert deliver(portal, layout, refused)[0] == 200

    view = portal.get(f"{PATH}/{application_id}").json()
    assert view["status"] == "Done" and view["decision"]["outcome"] == "refused-to-assign"
    assert view["decision"]["grounds"][0]["ruleId"] == "PE-4 (7)"
    page = portal.get(view["decision"]["htmlUrl"]).text
    assert "Отказано в назначении" in page and "Social Code Art. 115 p.1 sub.7" in page


@pytest.mark.parametrize(
    ("signer", "sender", "code"),
    [
        ("employment-director", FUND.sender_id, "SCE016"),  # signed, but not by the fund's official
        (HEAD.role, system("employment").sender_id, "SCE003"),  # the centre cannot deliver the fund's
    ],
    ids=["signer-without-the-funds-bin", "sent-by-the-centre"],
)
def test_a_decision_not_from_the_fund_is_refused_and_changes_nothing(
    portal: AppClient, layout: PkiLayout, signer: str, sender: str, code: str
) -> None:
    application_id = portal.post(PATH, json=FORM).json()["applicationId"]

    status, body = deliver(
        portal, layout, decision_for(application_id, PERSONA_JOB_SEEKER), signer=signer, sender=sender
    )

    assert status == 500
    fault = parse_fault(verify_envelope(parse_xml(body), layout.trust_store(), dt.datetime.now(dt.UTC)).signed_body)
    assert fault is not None and fault.code == code
    assert portal.get(f"{PATH}/{application_id}").json()["status"] == "In progress"
    assert portal.get("/api/cabinet/documents").json() == []


def test_the_api_answers_each_sp5_refusal_with_the_check_it_failed(
    portal: AppClient, layout: PkiLayout, nca: FakeNca
) -> None:
    other = build_population()[1].iin
    mismatch = portal.post(PATH, json=FORM | {"applicantIin": other})
    assert (mismatch.status_code, mismatch.json()["check"]) == (422, "iin")

    own = layout.load_credential(layout.person(PERSONA_JOB_SEEKER)).certificate
    nca.revoked.append(own.serial_number)
    revoked = portal.post(PATH, json=FORM)
    assert (revoked.status_code, revoked.json()["check"], revoked.json()["rule"]) == (422, "revocation", "SP-5")

    nca.down = True
    down = portal.post(PATH, json=FORM)
    assert down.status_code == 503 and re.search("nothing was sent", down.json()["detail"])
    assert portal.get("/api/cabinet/applications").json() == []


def _page_of(portal: AppClient, number: str) -> str:
    [document] = [d for d in portal.get("/api/cabinet/documents").json() if d["documentNumber"] == number]
    return str(portal.get(document["htmlUrl"]).text)


def test_a_notice_names_the_applicant_through_the_decision_it_names(portal: AppClient, layout: PkiLayout) -> None:
    applicant = find_person(build_population(), PERSONA_JOB_SEEKER)
    assert applicant is not None
    application_id = portal.post(PATH, json=FORM).json()["applicationId"]
    own = decision_for(application_id, PERSONA_JOB_SEEKER)
    elsewhere = decision_for("GK-JLP-000001", PERSONA_JOB_SEEKER)  # made at the State Corporation
    orphan = notice_for(dataclasses.replace(own, decision_id="D-NOT-IN-THE-CABINET"))
    for document in (own, notice_for(own), elsewhere, notice_for(elsewhere), orphan):
        assert deliver(portal, layout, document)[0] == 200

    # the portal holds the application: the name from the applicant's own signed form
    page = _page_of(portal, notice_for(own).notice_id)
    assert applicant.full_name in page and own.applicant_name not in page and PERSONA_JOB_SEEKER in page
    # the application was made elsewhere: the name as the fund's decision writes it
    page = _page_of(portal, notice_for(elsewhere).notice_id)
    assert elsewhere.applicant_name in page and applicant.full_name not in page
    # no decision kept that the notice names: its IIN alone
    page = _page_of(portal, orphan.notice_id)
    assert PERSONA_JOB_SEEKER in page and applicant.full_name not in page and own.applicant_name not in page


def test_a_tester_sees_each_sp5_refusal_in_the_portals_journal(portal: AppClient, nca: FakeNca) -> None:
    other = build_population()[1].iin
    assert portal.post(PATH, json=FORM | {"certificateIin": other}).status_code == 422
    nca.down = True
    assert portal.post(PATH, json=FORM).status_code == 503

    journal = portal.get("/admin/job-loss-payment/refusals", params={"iin": PERSONA_JOB_SEEKER}).json()

    assert [(r["rule"], r["check"], r["outcome"]) for r in journal] == [
        ("SP-5", "revocation", "NOT_CHECKED"),
        ("SP-5", "iin", "REFUSED"),
    ]
    assert other in journal[1]["certificate"] and "is not the IIN of the request" in journal[1]["detail"]
    assert portal.get("/admin/job-loss-payment/refusals", params={"limit": 1}).json() == journal[:1]
    assert portal.get("/admin/job-loss-payment/refusals", params={"iin": "1"}).status_code == 422
    assert portal.get("/api/cabinet/applications").json() == []
