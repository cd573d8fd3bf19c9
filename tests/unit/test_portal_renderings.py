"""The cabinet's HTML of every kind of document: laid out with its annex's Kazakh and Russian labels, its signer
and whether the signature verifies now; every value another system wrote is escaped; served to its citizen
only, by the bearer token or the session cookie set at login, with a policy that runs no script."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from pathlib import Path

import pytest

from adapters.pki import PkiLayout
from adapters.signed_documents import sign_register_document, sign_to_text
from contracts import job_loss_payment as jl
from contracts import register_documents as rd
from contracts import result_documents as results
from ecosystem.catalogue import official, system
from ecosystem.settings import Settings
from employment.adapters.register_documents import RegisterDocumentSigner
from kernel.clock import FixedClock, almaty
from mocks.portal.app import create_app
from mocks.portal.auth import DEMO_PASSWORD
from mocks.portal.cabinet import document_row
from mocks.portal.document_kinds import KINDS, DocumentVerifier
from mocks.portal.renderings import DocumentRenderer, kk_date, ru_date
from mocks.portal.sessions import SESSION_COOKIE
from mocks.portal.storage import CabinetDocumentRow
from tests.contracts.register_samples import PERSON, samples
from tests.portal_fakes import AppClient, FakeAddressRegistry, gateway_signed, post_soap
from tests.portal_fakes import cabinet_envelope as envelope
from tests.social_fund import examples

NOW = dt.datetime(2026, 12, 11, 12, 0, tzinfo=almaty())
DIRECTOR = official("employment-director")
CENTRE_BIN = system("employment").bin
FUND_HEAD = official("fund-department-head")
FUND_BIN = system("social_fund").bin
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


@pytest.fixture(scope="module")
def signer(layout: PkiLayout) -> RegisterDocumentSigner:
    return RegisterDocumentSigner(DIRECTOR, layout.load_credential(layout.official(DIRECTOR.role)))


def verifier(layout: PkiLayout, at: dt.datetime = NOW) -> DocumentVerifier:
    return DocumentVerifier(layout.trust_store(), FixedClock(at).now, max_bytes=1_048_576)


def result_document(kind: results.ResultKind, name: str = PERSON.full_name) -> results.ResultDocument:
    return results.ResultDocument(
        kind=kind,
        document_number=f"JS-{kind.value}-1",
        application_id="EGOV-JS-2026-1",
        person_iin=PERSON.iin,
        person_full_name=name,
        centre_name=DIRECTOR.organisation,
        issued_on=dt.date(2026, 11, 23),
        director_name="Серикбаев Ерлан Муратович",
        registered_on=dt.date(2026, 11, 23) if kind is results.ResultKind.REGISTERED else None,
        reasons=() if kind is results.ResultKind.REGISTERED else (results.Reason("JS-3", "the data are not reliable"),),
    )


def signed_texts(layout: PkiLayout, signer: RegisterDocumentSigner) -> dict[str, str]:
    """A signed document of every kind the cabinet keeps, by kind."""
    director = layout.load_credential(layout.official(DIRECTOR.role))
    texts = {
        kind.value: sign_register_document(document, layout.load_credential(layout.person(PERSON.iin)))
        if kind is rd.RegisterKind.CERTIFICATE_APPLICATION
        else signer.sign(document)
        for kind, document in samples().items()
    }
    for kind in results.ResultKind:
        texts[kind.value] = sign_to_text(results.write_result_document(result_document(kind)), director)
    head = layout.load_credential(layout.official(FUND_HEAD.role))
    decision = dataclasses.replace(examples.assigned(), applicant_iin=PERSON.iin, applicant_name=PERSON.full_name)
    notice = dataclasses.replace(examples.notice(), applicant_iin=PERSON.iin)
    texts[jl.DECISION_DOCUMENT_KIND] = sign_to_text(jl.write_decision(decision), head)
    texts[jl.NOTICE_DOCUMENT_KIND] = sign_to_text(jl.write_notice(notice), head)
    return texts


def kept(text: str, layout: PkiLayout, *, applicant: bool = False) -> CabinetDocumentRow:
    verified = (
        verifier(layout).verify(text, applicant_iin=PERSON.iin)
        if applicant
        else verifier(layout).verify(text, issuer_bin=FUND_BIN if "job-loss-payment" in text else CENTRE_BIN)
    )
    return document_row(verified, iin=PERSON.iin, source="delivery", received_at=NOW)


# What each page must say: the annex's Kazakh words, their Russian counterparts, and the document's values.
EXPECTED = {
    "registered": ["жұмыс іздеп жүрген адам ретінде", "в качестве лица, ищущего работу", "2026 жылғы «23» қараша"],
    "refused": ["Бас тартудың себебі", "Причина отказа", "the data are not reliable", "(JS-3)"],
    "not-accepted": ["Өтініш қабылданбады", "Заявление не принято", "the data are not reliable"],
    "unemployed-registered": [
        "Заңының 14-бабына сәйкес",
        "статьёй 14 Закона",
        "қоса алғанға дейін",
        "«25» декабря 2026 года",
        "өтініш / заявление",
        "MIO-2026-000017",
    ],
    "unemployed-refused": ["Бас тартудың себебі", "работает по трудовому договору", "(UN-4 (2))"],
    "certificate-application": [
        "Жұмыссыз ретінде тіркелгендігі туралы анықтама беруді сұраймын",
        "Прошу выдать справку",
        "☑",
        "+77010000000",
        "zhanar@example.kz",
    ],
    "certificate": ["Заңының 14-бабына сәйкес", "«26» декабря 2026 года", "қоса алғанға дейін", "CE-2026-000019"],
    "certificate-refused": ["дәлелді жауап", "Мотивированный ответ", "(CE-3)"],
    "deregistered": ["есептен шығарылды", "снят(а) с учёта", "(DR-1 (1))", "«10» декабря 2026 года"],
    "job-loss-payment-decision": [
        "Социальная выплата на случай потери работы назначена",
        "300\u00a0000,00 ₸",
        "121\u00a0500,00 ₸",
        "12\u00a0150,00 ₸",
        "109\u00a0350,00 ₸",
        "0.45",
        "0.90",
        "25.02.2027 — 24.03.2027",
        "GFSS-2026-000001",
    ],
    "job-loss-payment-notice": [
        "прекращается",
        "«01» февраля 2027 года",
        "removed from the register on 2027-01-26 <span",
        "(DR-2; Social Code Art. 119 p.2)",
        "25.01.2027 — 24.02.2027",
    ],
}


def test_every_kind_has_a_page_and_an_expectation() -> None:
    assert set(EXPECTED) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_renders_with_its_annex_labels_its_values_and_its_verified_signer(
    kind: str, layout: PkiLayout, signer: RegisterDocumentSigner
) -> None:
    text = signed_texts(layout, signer)[kind]
    row = kept(text, layout, applicant=kind == "certificate-application")

    page = DocumentRenderer(verifier(layout), max_bytes=1_048_576).render(row)

    assert KINDS[kind].title_kk in page and KINDS[kind].title_ru in page
    for words in EXPECTED[kind]:
        assert words in page, f"{kind}: {words!r} missing"
    assert PERSON.iin in page
    if kind != "job-loss-payment-notice":  # the notice names the recipient by IIN only (job-loss-payment.xsd)
        assert "Сулейменова Жанар Ерлановна" in page
    assert "подпись подтверждена" in page and "не подтверждена" not in page
    expected_signer = {"certificate-application": PERSON.iin}.get(kind, DIRECTOR.iin)
    if kind.startswith("job-loss-payment"):
        expected_signer = FUND_HEAD.iin
    assert f"ЖСН / ИИН: {expected_signer}" in page
    assert row.document_number in page


def test_a_signature_that_no_longer_verifies_is_shown_as_such(
    layout: PkiLayout, signer: RegisterDocumentSigner
) -> None:
    row = kept(signed_texts(layout, signer)["certificate"], layout)
    later = DocumentRenderer(verifier(layout, NOW.replace(year=2060)), max_bytes=1_048_576)

    page = later.render(row)

    assert "подпись не подтверждена" in page and "SCE015" in page
    assert DIRECTOR.iin in page  # the signer recorded when the document was kept


def test_a_document_changed_where_it_is_kept_is_shown_unverified(
    layout: PkiLayout, signer: RegisterDocumentSigner
) -> None:
    row = kept(signed_texts(layout, signer)["certificate"], layout)
    row.document = row.document.replace("2026-12-26", "2027-12-26")

    page = DocumentRenderer(verifier(layout), max_bytes=1_048_576).render(row)

    assert "подпись не подтверждена" in page and "SCE016" in page


@pytest.mark.parametrize("kind", [rd.RegisterKind.DEREGISTERED, rd.RegisterKind.UNEMPLOYED_REFUSED])
def test_hostile_names_and_reasons_are_escaped(
    kind: rd.RegisterKind, layout: PkiLayout, signer: RegisterDocumentSigner
) -> None:
    document = samples()[kind]
    hostile = dataclasses.replace(
        document,
        person=rd.Person(PERSON.iin, HOSTILE),
        reasons=(rd.Reason("DR-1", HOSTILE, 1),),
        decision=rd.AuthorityDecision(HOSTILE, dt.date(2026, 11, 25), decision_number=HOSTILE),
    )
    row = kept(signer.sign(hostile), layout)

    page = DocumentRenderer(verifier(layout), max_bytes=1_048_576).render(row)

    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in page


def test_a_hostile_name_in_an_existing_result_is_escaped(layout: PkiLayout) -> None:
    director = layout.load_credential(layout.official(DIRECTOR.role))
    document = result_document(results.ResultKind.REGISTERED, name=HOSTILE)
    row = kept(sign_to_text(results.write_result_document(document), director), layout)

    page = DocumentRenderer(verifier(layout), max_bytes=1_048_576).render(row)

    assert "<script" not in page and "&lt;script&gt;" in page


def test_dates_as_the_forms_write_them() -> None:
    assert kk_date(dt.date(2026, 3, 1)) == "2026 жылғы «01» наурыз"
    assert ru_date(dt.date(2026, 3, 1)) == "«01» марта 2026 года"


# ---- served by the portal -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def portal(pki_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> AppClient:
    folder: Path = tmp_path_factory.mktemp("portal-pages")
    settings = pki_settings.model_copy(update={"database_url": f"sqlite:///{folder}/{{system}}.sqlite"})
    return AppClient(create_app(settings, person_registry=lambda: FakeAddressRegistry()))


def delivered(portal: AppClient, layout: PkiLayout, signer: RegisterDocumentSigner) -> str:
    """Deliver a deregistration notice through the portal's SOAP endpoint; its cabinet document id."""
    document = dataclasses.replace(samples()[rd.RegisterKind.DEREGISTERED], document_number=f"DR-{uuid.uuid4()}")
    answer = post_soap(
        portal, gateway_signed(layout, "ENBEK_LABOUR_MARKET", envelope(signer.signed_delivery(document)))
    )
    assert answer.status_code == 200, answer.text
    login = portal.post("/api/auth/login", json={"iin": PERSON.iin, "password": DEMO_PASSWORD})
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    listing = portal.get("/api/cabinet/documents", headers=headers).json()
    return str(next(item["documentId"] for item in listing if item["documentNumber"] == document.document_number))


def test_the_page_is_served_by_the_session_cookie_set_at_login(
    portal: AppClient, layout: PkiLayout, signer: RegisterDocumentSigner
) -> None:
    document_id = delivered(portal, layout, signer)
    login = portal.post("/api/auth/login", json={"iin": PERSON.iin, "password": DEMO_PASSWORD})
    cookie = login.cookies.get(SESSION_COOKIE)
    set_cookie = login.headers["set-cookie"]
    assert cookie and "HttpOnly" in set_cookie and "SameSite=strict" in set_cookie and "Path=/cabinet" in set_cookie

    page = portal.get(f"/cabinet/documents/{document_id}.html", headers={"Cookie": f"{SESSION_COOKIE}={cookie}"})

    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "Уведомление о снятии безработного с учёта" in page.text and "подпись подтверждена" in page.text
    assert "script-src" not in page.headers["content-security-policy"]
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert page.headers["x-content-type-options"] == "nosniff"
    index = portal.get("/cabinet/documents", headers={"Cookie": f"{SESSION_COOKIE}={cookie}"})
    assert index.status_code == 200 and f"/cabinet/documents/{document_id}.html" in index.text


def test_the_page_takes_the_bearer_token_too_but_the_api_takes_no_cookie(
    portal: AppClient, layout: PkiLayout, signer: RegisterDocumentSigner
) -> None:
    document_id = delivered(portal, layout, signer)
    login = portal.post("/api/auth/login", json={"iin": PERSON.iin, "password": DEMO_PASSWORD})
    token = login.json()["token"]

    assert (
        portal.get(f"/cabinet/documents/{document_id}.html", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )
    cookie_only = {"Cookie": f"{SESSION_COOKIE}={token}"}
    assert portal.get("/api/cabinet/documents", headers=cookie_only).status_code == 401
    assert (
        portal.post(
            "/api/certificates", json={"consentToPersonalData": True, "warnedOfLiability": True}, headers=cookie_only
        ).status_code
        == 401
    )


def test_the_page_is_not_served_to_anyone_else(
    portal: AppClient, layout: PkiLayout, signer: RegisterDocumentSigner
) -> None:
    document_id = delivered(portal, layout, signer)
    other = portal.post("/api/auth/login", json={"iin": "850902305172", "password": DEMO_PASSWORD}).json()["token"]

    assert portal.get(f"/cabinet/documents/{document_id}.html").status_code == 401
    assert (
        portal.get(f"/cabinet/documents/{document_id}.html", headers={"Cookie": f"{SESSION_COOKIE}=forged"}).status_code
        == 401
    )
    foreign = portal.get(f"/cabinet/documents/{document_id}.html", headers={"Authorization": f"Bearer {other}"})
    assert foreign.status_code == 404


def test_logout_clears_the_cookie(portal: AppClient) -> None:
    token = portal.post("/api/auth/login", json={"iin": PERSON.iin, "password": DEMO_PASSWORD}).json()["token"]
    answer = portal.post("/api/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 204 and f'{SESSION_COOKIE}=""' in answer.headers["set-cookie"]
    assert portal.get("/cabinet/documents", headers={"Cookie": f"{SESSION_COOKIE}={token}"}).status_code == 401
