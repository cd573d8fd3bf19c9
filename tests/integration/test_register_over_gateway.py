"""The employment centre's register wired to the real systems behind the real gateway, on a shared clock:

a job seeker registered through the portal's service; the JS-9 period closes when the clock passes it and the
centre sends the director-signed UN-1 package (MIO_UnemployedRegistration); the local authority (mode auto)
decides when the clock reaches its decision time and sends the head-signed decision (ENBEK_AuthorityDecision);
the centre records it, delivers Annex 4 into the portal's cabinet (EGOV_CabinetDocument) and tells the fund
(GFSS_UnemployedStatus); the certificate (ENBEK_UnemployedCertificate); the fund's DR-1 (1) report
(ENBEK_RegisterEvent) once contributions arrive after the registration month, the authority's removal, the
DR-2 notice in the cabinet and the fund told ``deregistered``.

This module moves the clock, so it runs on an ecosystem of its own (its own data folder, ports and clock).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from lxml import etree

from adapters.pki import PkiLayout
from adapters.shep import ErrorCode, GatewayFault, Payload
from adapters.signatures import sign_document
from adapters.signed_documents import read_signed_register_document, sign_register_document
from contracts import local_authority as la
from contracts import register_documents as rd
from ecosystem.catalogue import SYSTEMS, official, system
from ecosystem.clock import EcosystemClock
from ecosystem.context import SystemContext, system_context
from ecosystem.settings import Settings
from egov_sim.launcher import free_ports, prepare_data_folder
from mocks.population import PERSONA_JOB_SEEKER, PERSONA_STUDENT
from mocks.portal.auth import DEMO_PASSWORD
from tests.integration.conftest import ServedSystems

# Monday 23 November 2026, 10:00 in Astana: the JS-9 period of a registration today ends on Tuesday at closing.
START = "virtual:2026-11-23T10:00:00+05:00"
SERVED = ("gateway", "person_registry", "social_fund", "monitoring", "local_authority", "portal", "employment")
IIN = PERSONA_JOB_SEEKER


@dataclass
class World:
    settings: Settings
    portal: SystemContext
    authority: SystemContext
    clock: EcosystemClock
    layout: PkiLayout

    def url(self, name: str, path: str) -> str:
        return f"{self.settings.base_url(name)}{path}"

    def entry(self, iin: str = IIN) -> dict[str, Any]:
        answer = httpx.get(self.url("employment", f"/admin/register/people/{iin}"), timeout=10)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def advance(self, delta: dt.timedelta) -> None:
        """Move the shared clock and wait until every system reads the new time."""
        self.clock.advance(delta)
        anchor = self.clock.describe()["anchor"]
        _wait(
            lambda: all(
                httpx.get(self.url(name, "/admin/clock"), timeout=5).json()["anchor"] == anchor for name in SERVED
            ),
            timeout=10,
        )

    def credential(self, iin: str) -> Any:
        return self.layout.load_credential(self.layout.person(iin))

    def _portal_headers(self, iin: str) -> dict[str, str]:
        token = httpx.post(self.url("portal", "/api/auth/login"), json={"iin": iin, "password": DEMO_PASSWORD})
        return {"Authorization": f"Bearer {token.json()['token']}"}

    def cabinet(self, iin: str = IIN) -> list[dict[str, Any]]:
        headers = self._portal_headers(iin)
        return list(httpx.get(self.url("portal", "/api/cabinet/documents"), headers=headers, timeout=10).json())

    def cabinet_document(self, kind: str, iin: str = IIN) -> rd.RegisterDocument:
        """The register document of ``kind`` in the cabinet, read from the signed XML the portal keeps."""
        [listed] = [document for document in self.cabinet(iin) if document["kind"] == kind]
        path = f"/api/cabinet/documents/{listed['documentId']}"
        detail = httpx.get(self.url("portal", path), headers=self._portal_headers(iin), timeout=10).json()
        return rd.read_register_document(etree.fromstring(detail["documentXml"].encode("utf-8")))


def _wait(check: Callable[[], Any], timeout: float = 60.0, describe: Callable[[], Any] | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {describe() if describe else check}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    ports = dict(zip([s.name for s in SYSTEMS], free_ports(len(SYSTEMS)), strict=True))
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("egov-register"),
        ports=ports,
        clock=START,
        local_authority={"poll_seconds": 0.1},
    )
    prepare_data_folder(settings)
    served = ServedSystems(settings)
    with system_context(settings, "portal") as portal, system_context(settings, "local_authority") as authority:
        try:
            served.start(*SERVED)
            yield World(
                settings, portal, authority, EcosystemClock.join(settings.data_dir, START), PkiLayout(settings.data_dir)
            )
        finally:
            served.stop()


def _form(iin: str, application_id: str, now: dt.datetime) -> etree._Element:
    return etree.fromstring(
        f'<js:jobSeekerRegistrationForm xmlns:js="urn:kz:egov-sim:labour-market:job-seeker:v1">'
        f"<applicationId>{application_id}</applicationId><submittedAt>{now.isoformat()}</submittedAt>"
        f"<applicant><iin>{iin}</iin><surname>Сулейменова</surname><name>Жанар</name>"
        f"<birthDate>1992-03-14</birthDate></applicant>"
        f"<consentToPersonalData>true</consentToPersonalData></js:jobSeekerRegistrationForm>"
    )


def _register_job_seeker(world: World) -> None:
    form = etree.tostring(
        sign_document(_form(IIN, "APP-R1", world.clock.now()), world.credential(IIN)), encoding="unicode"
    )
    world.portal.sync_client().send("ENBEK_JobSeekerRegistration", Payload(text=form), correlation_id="APP-R1")
    assert world.entry()["entry"]["state"] == "JOB_SEEKER"


def _certificate(world: World, iin: str, application_id: str, signer: str | None = None) -> rd.RegisterDocument:
    application = rd.CertificateApplication(
        application_id=application_id,
        submitted_at=world.clock.now(),
        centre_name="centre",
        applicant=rd.Person(iin, "Сулейменова Жанар Ерлановна"),
        consent_to_personal_data=True,
        warned_of_liability=True,
    )
    text = sign_register_document(application, world.credential(signer or iin))
    reply = world.portal.sync_client().send(rd.CERTIFICATE_SERVICE_ID, Payload(text=text))
    director = official("employment-director")
    verified = read_signed_register_document(
        reply.payload.text or "", world.portal.trust, world.clock.now(), signer_bin=director.bin
    )
    return verified.document


def _state(world: World, state: str) -> dict[str, Any]:
    found = _wait(lambda: (seen := world.entry())["entry"]["state"] == state and seen, describe=lambda: world.entry())
    return dict(found)


def test_the_register_runs_through_every_system(world: World) -> None:
    _register_job_seeker(world)
    # nothing happens before the JS-9 period ends (Tuesday 18:30)
    world.advance(dt.timedelta(days=1))
    time.sleep(1.5)
    assert world.entry()["entry"]["state"] == "JOB_SEEKER"

    # Wednesday 10:00: the period ended without an offer; the director-signed draft goes to the authority
    world.advance(dt.timedelta(days=1))
    seen = _state(world, "AWAITING_AUTHORITY")
    assert [t["rule_id"] for t in seen["history"]] == ["JS-6", "UN-1"]
    case = _wait(lambda: (c := world.entry()["case"])["authority_case_id"] and c)
    authority = httpx.get(world.url("local_authority", "/admin/cases/UN-APP-R1"), timeout=10).json()
    assert authority["documents"] == case["draft_document"]  # one source: what the director signed is sent

    # the official decides 2 hours later on the clock, and the head-signed decision comes back
    world.advance(dt.timedelta(hours=2, minutes=1))
    seen = _state(world, "UNEMPLOYED")
    assert seen["entry"]["unemployed_since"] == "2026-11-25"
    assert [t["rule_id"] for t in seen["history"]] == ["JS-6", "UN-1", "UN-2"]
    _wait(lambda: world.entry()["case"]["notified_at"], describe=world.entry)
    annex4 = world.cabinet_document("unemployed-registered")
    assert isinstance(annex4, rd.UnemployedRegistrationNotice)
    head = official("local-authority-head")
    # the notice names the authority's decision and who signed it, as the centre verified the signature
    assert annex4.decision.signed_by is not None and head.iin in annex4.decision.signed_by
    assert annex4.registered_on == dt.date(2026, 11, 25)
    fund = httpx.get(world.url("social_fund", f"/admin/unemployed/{IIN}"), timeout=10).json()
    assert (fund["status"], fund["registeredOn"]) == ("registered", "2026-11-25")

    # CE-1..CE-3: the certificate for the registered person, the refusal for another, SCE016 for a forgery
    certificate = _certificate(world, IIN, "CERT-R1")
    assert isinstance(certificate, rd.UnemployedCertificate)
    assert (certificate.registered_on, certificate.valid_until) == (dt.date(2026, 11, 25), dt.date(2026, 12, 24))
    assert _certificate(world, IIN, "CERT-R1") == certificate  # the same application answers the same document
    refusal = _certificate(world, PERSONA_STUDENT, "CERT-R2")
    assert isinstance(refusal, rd.CertificateRefusal) and refusal.reasons[0].rule_id == "CE-3"
    with pytest.raises(GatewayFault) as forged:
        _certificate(world, IIN, "CERT-R3", signer=PERSONA_STUDENT)
    assert forged.value.code == ErrorCode.BUSINESS_SIGNATURE_INVALID.value

    # DR-1 (1): a labour contract from December; its contributions arrive on 25 January, the fund reports
    contract = {
        "iin": IIN,
        "employerBin": "990340001234",
        "employerName": "ТОО «Ромашка»",
        "start": "2026-12-01",
        "monthlyIncome": 400000,
    }
    assert httpx.post(world.url("social_fund", "/admin/employment"), json=contract).status_code == 201
    world.advance(dt.datetime(2027, 1, 26, 10, 0, tzinfo=world.clock.now().tzinfo) - world.clock.now())
    seen = _state(world, "DEREGISTRATION_PENDING")
    assert seen["history"][-1]["rule_id"] == "DR-1 (1)"
    _wait(lambda: httpx.get(world.url("local_authority", "/admin/cases"), params={"kind": "deregistration"}).json())
    world.advance(dt.timedelta(hours=2, minutes=1))
    seen = _state(world, "DEREGISTERED")
    assert seen["entry"]["deregistration_ground"] == "DR-1 (1)"
    _wait(lambda: "deregistered" in {d["kind"] for d in world.cabinet()}, describe=world.cabinet)
    notice = world.cabinet_document("deregistered")
    assert isinstance(notice, rd.DeregistrationNotice)
    assert notice.decision.signed_by is not None and head.iin in notice.decision.signed_by
    _wait(lambda: httpx.get(world.url("social_fund", f"/admin/unemployed/{IIN}")).json()["status"] == "deregistered")


def test_hostile_authority_decisions_change_nothing(world: World) -> None:
    """ENBEK_AuthorityDecision: unsigned SCE017, signed by another organisation SCE016, a case the centre
    never sent SCE001; nothing is recorded."""
    decision = la.AuthorityDecision(
        decision_id="D-X",
        case_id="UN-NEVER-SENT",
        kind=la.CaseKind.UNEMPLOYED_REGISTRATION,
        outcome=la.Outcome.REGISTERED,
        person_iin=PERSONA_STUDENT,
        person_full_name="Someone",
        reasons=(),
        decided_on=dt.date(2026, 11, 23),
        registered_on=dt.date(2026, 11, 23),
        authority_name="authority",
        signer_name="head",
        signer_position="head",
    )
    element = la.write_decision(decision)
    layout = world.layout
    cases = [
        (etree.tostring(element, encoding="unicode"), ErrorCode.BUSINESS_DATA_NOT_SIGNED),
        (
            etree.tostring(
                sign_document(element, layout.load_credential(layout.official("employment-director"))),
                encoding="unicode",
            ),
            ErrorCode.BUSINESS_SIGNATURE_INVALID,
        ),
        (
            etree.tostring(
                sign_document(
                    la.write_decision(decision), layout.load_credential(layout.official("local-authority-head"))
                ),
                encoding="unicode",
            ),
            ErrorCode.MALFORMED,
        ),
    ]
    for text, code in cases:
        with pytest.raises(GatewayFault) as refused:
            world.authority.sync_client().send(la.DECISION_SERVICE, Payload(text=text))
        assert refused.value.code == code.value, refused.value
    missing = httpx.get(world.url("employment", f"/admin/register/people/{PERSONA_STUDENT}"))
    assert missing.status_code == 404
    assert system("local_authority").bin == official("local-authority-head").bin
