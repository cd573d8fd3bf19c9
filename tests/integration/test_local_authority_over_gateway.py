"""The local employment authority behind the real gateway: the centre's director-signed documents go in
(MIO_UnemployedRegistration, MIO_Deregistration), complaints come from the portal (MIO_Complaint), the
official decides after the shared clock moves (or a tester does, in manual mode), the head-signed decision
goes back to the centre (ENBEK_AuthorityDecision) and every stage reaches the monitoring IS with its deadline.

The centre's side of ENBEK_AuthorityDecision is a test double: a real SyncChannel provider on the employment
centre's port, with the centre's certificate, that verifies the head's signature and acknowledges. This module
moves the clock, so it runs on an ecosystem of its own (its own data folder, ports and clock).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from lxml import etree

from adapters.pki import PkiLayout
from adapters.shep import ErrorCode, GatewayFault, Payload
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from adapters.signatures import verify_document
from contracts import local_authority as la
from ecosystem.app import create_system_app
from ecosystem.catalogue import SYSTEMS, official, system
from ecosystem.clock import EcosystemClock
from ecosystem.context import SystemContext, system_context
from ecosystem.settings import Settings
from egov_sim.launcher import free_ports, prepare_data_folder
from kernel.clock import almaty
from mocks.population import PERSONA_EMPLOYED, PERSONA_JOB_SEEKER, PERSONA_STUDENT
from tests.integration.conftest import ServedSystems
from tests.local_authority import examples

# Monday 10:00 in Astana, flowing: a step a system takes in the instant the clock moves (before every other
# system read the new time) is refused as stale and tried again a few real seconds later, as in a real run.
START = "virtual:2026-11-23T10:00:00+05:00"
SERVED = ("gateway", "person_registry", "social_fund", "monitoring", "local_authority", "employment")


@dataclass
class CentreDouble:
    """The employment centre's endpoint of ENBEK_AuthorityDecision: verifies, records, acknowledges."""

    context: SystemContext
    failures: dict[str, int] = field(default_factory=dict)  # case id -> deliveries still to refuse
    decisions: list[tuple[la.AuthorityDecision, str, str | None]] = field(default_factory=list)

    def handle(self, message: InboundMessage) -> Payload:
        assert message.info.service_id == la.DECISION_SERVICE
        element = etree.fromstring((message.payload.text or "").encode("utf-8"))
        verified = verify_document(element, self.context.trust, self.context.now())
        decision = la.read_decision(verified.document)
        if self.failures.get(decision.case_id):
            self.failures[decision.case_id] -= 1
            raise ProviderError(ErrorCode.PROVIDER_UNAVAILABLE, "the centre is restarting (test double)")
        self.decisions.append((decision, verified.signer.describe(), message.info.correlation_id))
        head = official("local-authority-head")
        assert (verified.signer.iin, verified.signer.bin) == (head.iin, head.bin)
        acknowledgement = la.DecisionAcknowledgement(decision.decision_id, decision.case_id, self.context.now())
        return Payload(element=la.write_acknowledgement(acknowledgement))

    def of_case(self, case_id: str) -> list[la.AuthorityDecision]:
        return [decision for decision, _, _ in self.decisions if decision.case_id == case_id]


@dataclass
class World:
    settings: Settings
    centre: SystemContext
    portal: SystemContext
    double: CentreDouble
    clock: EcosystemClock
    layout: PkiLayout

    def url(self, name: str, path: str) -> str:
        return f"{self.settings.base_url(name)}{path}"

    def admin(self, method: str, path: str, **options: Any) -> httpx.Response:
        return httpx.request(method, self.url("local_authority", path), timeout=10, **options)

    def signed_by(self, role_or_iin: str, element: etree._Element, *, person: bool = False) -> str:
        base = self.layout.person(role_or_iin) if person else self.layout.official(role_or_iin)
        return examples.signed_text(element, self.layout.load_credential(base))

    def send(
        self,
        service_id: str,
        payload: Payload,
        *,
        sender: SystemContext | None = None,
        correlation_id: str | None = None,
    ) -> la.Receipt:
        reply = (sender or self.centre).sync_client().send(service_id, payload, correlation_id=correlation_id)
        return la.read_receipt(reply.payload.document())

    def advance(self, delta: dt.timedelta) -> None:
        """Move the shared clock, and wait until every system reads the new time (as ``egov-sim clock`` does)."""
        self.clock.advance(delta)
        anchor = self.clock.describe()["anchor"]

        def every_system_moved() -> bool:
            return all(
                httpx.get(self.url(name, "/admin/clock"), timeout=5).json()["anchor"] == anchor for name in SERVED
            )

        _wait(every_system_moved, timeout=10)

    def until_decision_time(self, case_id: str) -> None:
        """Move the shared clock to the moment the official decides the case (mode auto)."""
        due = dt.datetime.fromisoformat(_case(self, case_id)["decideAfter"])
        self.advance(max(due - self.clock.now(), dt.timedelta(0)) + dt.timedelta(minutes=1))


def _serve(app: FastAPI, port: int) -> tuple[uvicorn.Server, threading.Thread]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, name="uvicorn-centre-double", daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    ports = dict(zip([s.name for s in SYSTEMS], free_ports(len(SYSTEMS)), strict=True))
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("egov-local-authority"),
        ports=ports,
        clock=START,
        local_authority={"poll_seconds": 0.1},
    )
    prepare_data_folder(settings)
    served = ServedSystems(settings)
    with system_context(settings, "employment") as centre, system_context(settings, "portal") as portal:
        double = CentreDouble(system_context(settings, "employment"))
        app = create_system_app(double.context, title="employment centre (test double of ENBEK_AuthorityDecision)")
        app.mount("/bip-sync", double.context.sync_provider("LabourMarket", double.handle))
        server, thread = _serve(app, settings.ports["employment"])
        try:
            served.start("gateway", "person_registry", "social_fund", "monitoring", "local_authority")
            _wait(lambda: _answers(f"{settings.base_url('employment')}/health"))
            yield World(
                settings,
                centre,
                portal,
                double,
                EcosystemClock.join(settings.data_dir, START),
                PkiLayout(settings.data_dir),
            )
        finally:
            served.stop()
            server.should_exit = True
            thread.join(timeout=10)
            double.context.close()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _package(world: World, case_id: str, person: la.Person = examples.JOB_SEEKER, **draft: Any) -> Payload:
    package = examples.package(case_id, person, la.DraftDecision(**draft) if draft else None, sent_at=world.clock.now())
    return Payload(text=world.signed_by("employment-director", la.write_registration_package(package)))


def _wait(check: Callable[[], Any], timeout: float = 60.0, describe: Callable[[], Any] | None = None) -> Any:
    """``check()`` once it is truthy; on time out, fail with ``describe()`` (what was seen last)."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {describe() if describe else check}")
        time.sleep(0.1)


def _case(world: World, case_id: str) -> dict[str, Any]:
    answer = world.admin("GET", f"/admin/cases/{case_id}")
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _seen(world: World, case_id: str) -> dict[str, Any]:
    """What the authority shows of a case and of its outbox, for a failure's message."""
    outbox = world.admin("GET", "/admin/outbox").json()
    return {
        "case": _case(world, case_id),
        "outbox": outbox["counts"],
        "clock": world.clock.now().isoformat(),
        "messages": [m for m in outbox["messages"] if case_id in str(m["payload"])],
    }


def _decided(world: World, case_id: str) -> dict[str, Any]:
    found = _wait(
        lambda: (seen := _case(world, case_id))["status"] == "decided" and seen, describe=lambda: _seen(world, case_id)
    )
    return dict(found)


def _delivered(world: World, case_id: str) -> dict[str, Any]:
    found = _wait(
        lambda: (seen := _case(world, case_id))["deliveredAt"] and seen, describe=lambda: _seen(world, case_id)
    )
    return dict(found)


def _monitoring(world: World, application_id: str, stages: int) -> dict[str, Any]:
    def ready() -> dict[str, Any] | None:
        answer = httpx.get(world.url("monitoring", f"/api/applications/{application_id}"), timeout=5)
        return answer.json() if answer.status_code == 200 and len(answer.json()["stages"]) >= stages else None

    return dict(_wait(ready))


def _fault(call: Callable[[], Any]) -> GatewayFault:
    with pytest.raises(GatewayFault) as refused:
        call()
    return refused.value


def test_the_centre_gets_a_receipt_and_a_repeat_gets_the_same_one(world: World) -> None:
    case_id = f"UN-{uuid.uuid4().hex[:12]}"
    first = world.send(la.UNEMPLOYED_REGISTRATION_SERVICE, _package(world, case_id), correlation_id=case_id)
    assert (first.kind, first.case_id, first.rule_id) == (la.ReceiptKind.UNEMPLOYED_REGISTRATION, case_id, "UN-2")
    assert first.deadline - first.received_at > dt.timedelta(hours=8)  # closing on the next working day
    assert first.deadline.astimezone(almaty()).time() == dt.time(18, 30)
    again = world.send(la.UNEMPLOYED_REGISTRATION_SERVICE, _package(world, case_id), correlation_id=case_id)
    assert again == first
    listed = world.admin("GET", "/admin/cases", params={"status": "pending"}).json()
    assert [case["caseId"] for case in listed].count(case_id) == 1


def test_the_official_decides_when_the_clock_moves_and_the_centre_gets_the_signed_decision(world: World) -> None:
    case_id = f"UN-{uuid.uuid4().hex[:12]}"
    receipt = world.send(la.UNEMPLOYED_REGISTRATION_SERVICE, _package(world, case_id), correlation_id=case_id)
    time.sleep(0.5)
    case = _case(world, case_id)
    assert case["status"] == "pending"  # not before its time
    assert dt.datetime.fromisoformat(case["decideAfter"]) == receipt.received_at + dt.timedelta(hours=2)
    world.until_decision_time(case_id)
    case = _delivered(world, case_id)
    assert case["decision"]["outcome"] == "registered" and case["decision"]["decidedBy"] == "auto"
    (decision,) = world.double.of_case(case_id)
    assert decision.outcome is la.Outcome.REGISTERED and decision.registered_on == decision.decided_on
    assert decision.signer_position == official("local-authority-head").title
    ((_, signer, correlation_id),) = [entry for entry in world.double.decisions if entry[0].case_id == case_id]
    assert correlation_id == case_id and "IIN 740927405173" in signer
    record = _monitoring(world, f"MIO-{case_id}", 2)
    assert [stage["newStatus"] for stage in record["stages"]] == ["ACCEPTED", "RESULT_ISSUED"]
    assert record["serviceType"] == "UNEMPLOYED_REGISTRATION" and record["isPositive"] is True
    assert dt.datetime.fromisoformat(record["deadline"]) == receipt.deadline
    assert record["registerOrg"] == system("local_authority").organisation
    journal = httpx.get(world.url("gateway", "/admin/journal"), params={"correlationId": case_id}).json()
    assert {
        "MIO_UnemployedRegistration",
        "GBDFL_UniversalServiceSync",
        "GFSS_ContributionsQuery",
        "ENBEK_AuthorityDecision",
    } <= {entry["service_id"] for entry in journal}


def test_the_official_refuses_an_employed_person_on_the_funds_contract(world: World) -> None:
    case_id = f"UN-{uuid.uuid4().hex[:12]}"
    world.send(la.UNEMPLOYED_REGISTRATION_SERVICE, _package(world, case_id, examples.EMPLOYED), correlation_id=case_id)
    world.until_decision_time(case_id)
    case = _delivered(world, case_id)
    assert case["decision"]["outcome"] == "refused"
    assert [reason["ruleId"] for reason in case["decision"]["reasons"]] == ["UN-4 (2)"]
    (decision,) = world.double.of_case(case_id)
    assert [reason.rule_id for reason in decision.reasons] == ["UN-4 (2)"]
    record = _monitoring(world, f"MIO-{case_id}", 2)
    assert (record["currentState"], record["isPositive"]) == ("REFUSED", False)
    assert record["stages"][-1]["ruleId"] == "UN-4 (2)"


def test_in_manual_mode_the_tester_approves_and_rejects(world: World) -> None:
    assert world.admin("POST", "/admin/mode", json={"mode": "manual"}).json()["mode"] == "manual"
    try:
        approved, rejected = f"UN-{uuid.uuid4().hex[:12]}", f"UN-{uuid.uuid4().hex[:12]}"
        for case_id in (approved, rejected):
            world.send(la.UNEMPLOYED_REGISTRATION_SERVICE, _package(world, case_id), correlation_id=case_id)
        world.until_decision_time(approved)
        assert world.admin("POST", "/admin/decisions/run").json() == {"decided": [], "putOff": [], "mode": "manual"}
        assert _case(world, approved)["status"] == "pending"
        pending = [case["caseId"] for case in world.admin("GET", "/admin/cases", params={"status": "pending"}).json()]
        assert {approved, rejected} <= set(pending)

        answer = world.admin("POST", f"/admin/cases/{approved}/approve")
        assert answer.status_code == 200 and answer.json()["decision"]["decidedBy"] == "manual"
        assert world.admin("POST", f"/admin/cases/{approved}/approve").status_code == 409
        bad = world.admin("POST", f"/admin/cases/{rejected}/reject", json={"ruleId": "JS-3", "text": "x"})
        assert bad.status_code == 422
        answer = world.admin(
            "POST",
            f"/admin/cases/{rejected}/reject",
            json={"ruleId": "UN-4 (4)", "text": "the certificate of income presented is forged"},
        )
        assert answer.status_code == 200
        assert world.admin("POST", "/admin/cases/no-such-case/approve").status_code == 404
        assert _delivered(world, approved)["decision"]["outcome"] == "registered"
        refused = _delivered(world, rejected)["decision"]
        assert refused["reasons"] == [{"ruleId": "UN-4 (4)", "text": "the certificate of income presented is forged"}]
        assert world.double.of_case(rejected)[0].outcome is la.Outcome.REFUSED
    finally:
        world.admin("POST", "/admin/mode", json={"mode": "auto"})


def test_a_removal_is_decided_and_sent_back(world: World) -> None:
    case_id = f"DR-{uuid.uuid4().hex[:12]}"
    request = dataclasses.replace(examples.deregistration(case_id), sent_at=world.clock.now())
    payload = Payload(text=world.signed_by("employment-director", la.write_deregistration_request(request)))
    receipt = world.send(la.DEREGISTRATION_SERVICE, payload, correlation_id=case_id)
    assert (receipt.kind, receipt.rule_id) == (la.ReceiptKind.DEREGISTRATION, "DR-1")
    world.until_decision_time(case_id)
    case = _delivered(world, case_id)
    assert case["decision"]["outcome"] == "deregistered"
    (decision,) = world.double.of_case(case_id)
    assert decision.kind is la.CaseKind.DEREGISTRATION and decision.reasons[0].rule_id == "DR-1 (7)"
    record = _monitoring(world, f"MIO-{case_id}", 2)
    assert record["serviceType"] == "UNEMPLOYED_DEREGISTRATION"


def test_a_decision_the_centre_could_not_take_is_sent_again(world: World) -> None:
    case_id = f"UN-{uuid.uuid4().hex[:12]}"
    world.double.failures[case_id] = 1
    world.send(la.UNEMPLOYED_REGISTRATION_SERVICE, _package(world, case_id), correlation_id=case_id)
    world.until_decision_time(case_id)
    case = _delivered(world, case_id)  # after the retry's backoff (seconds, on the shared clock)
    assert world.double.failures[case_id] == 0
    messages = world.admin("GET", "/admin/outbox", params={"topic": "authority-decision"}).json()["messages"]
    (sent,) = [m for m in messages if m["payload"]["caseId"] == case_id]
    assert (sent["state"], sent["attempts"]) == ("DELIVERED", 2)
    assert [d.decision_id for d in world.double.of_case(case_id)] == [case["decision"]["decisionId"]]


@pytest.mark.parametrize(
    ("addressee", "working_days"), [(la.Addressee.LOCAL_AUTHORITY, 5), (la.Addressee.QUALITY_ASSESSMENT, 15)]
)
def test_a_complaint_from_the_portal_is_registered_with_its_term_and_answered(
    world: World, addressee: la.Addressee, working_days: int
) -> None:
    complaint_id = f"AP-{uuid.uuid4().hex[:12]}"
    complaint = dataclasses.replace(examples.complaint(complaint_id, addressee), submitted_at=world.clock.now())
    signed = world.signed_by(PERSONA_JOB_SEEKER, la.write_complaint(complaint), person=True)
    receipt = world.send(la.COMPLAINT_SERVICE, Payload(text=signed), sender=world.portal, correlation_id=complaint_id)
    assert (receipt.kind, receipt.rule_id) == (la.ReceiptKind.COMPLAINT, "AP-1")
    assert receipt.deadline.astimezone(almaty()).time() == dt.time(18, 30)
    assert (receipt.deadline.date() - receipt.received_at.date()).days >= working_days
    shown = world.admin("GET", f"/admin/complaints/{complaint_id}").json()
    assert shown["status"] == "registered" and "IIN 920314403019" in shown["signedBy"]
    record = _monitoring(world, f"MIO-AP-{complaint_id}", 1)
    assert record["serviceType"] == "COMPLAINT"
    assert dt.datetime.fromisoformat(record["deadline"]) == receipt.deadline
    answer = world.admin(
        "POST", f"/admin/complaints/{complaint_id}/answer", json={"text": "The decision was lawful.", "upheld": False}
    )
    assert answer.status_code == 200 and answer.json()["status"] == "answered"
    assert (
        world.admin(
            "POST", f"/admin/complaints/{complaint_id}/answer", json={"text": "again", "upheld": True}
        ).status_code
        == 409
    )
    assert _monitoring(world, f"MIO-AP-{complaint_id}", 2)["currentState"] == "RESULT_ISSUED"


def test_a_complaint_signed_by_someone_else_is_refused(world: World) -> None:
    complaint = dataclasses.replace(examples.complaint(f"AP-{uuid.uuid4().hex[:12]}"), submitted_at=world.clock.now())
    signed = world.signed_by(PERSONA_STUDENT, la.write_complaint(complaint), person=True)
    fault = _fault(lambda: world.send(la.COMPLAINT_SERVICE, Payload(text=signed), sender=world.portal))
    assert fault.innermost_code == ErrorCode.BUSINESS_SIGNATURE_INVALID.value


# ---- hostile inputs: refused with their code, nothing stored --------------------------------------------


def _cases(world: World) -> list[str]:
    return [case["caseId"] for case in world.admin("GET", "/admin/cases", params={"limit": 1000}).json()]


def _signed_package(
    world: World, case_id: str, *, role: str | None = "employment-director", person: str | None = None
) -> str:
    element = la.write_registration_package(examples.package(case_id, sent_at=world.clock.now()))
    if person is not None:
        return world.signed_by(person, element, person=True)
    assert role is not None
    return world.signed_by(role, element)


HOSTILE: list[tuple[str, Callable[[World, str], Payload], str]] = [
    (
        "unsigned text",
        lambda w, c: Payload(
            text=etree.tostring(
                la.write_registration_package(examples.package(c, sent_at=w.clock.now())), encoding="unicode"
            )
        ),
        ErrorCode.BUSINESS_DATA_NOT_SIGNED.value,
    ),
    (
        "an element instead of signed text",
        lambda w, c: Payload(element=la.write_registration_package(examples.package(c, sent_at=w.clock.now()))),
        ErrorCode.BUSINESS_DATA_NOT_SIGNED.value,
    ),
    (
        "signed by the citizen",
        lambda w, c: Payload(text=_signed_package(w, c, person=PERSONA_JOB_SEEKER)),
        ErrorCode.BUSINESS_SIGNATURE_INVALID.value,
    ),
    (
        "signed by an official of another organisation",
        lambda w, c: Payload(text=_signed_package(w, c, role="state-corp-operator")),
        ErrorCode.BUSINESS_SIGNATURE_INVALID.value,
    ),
    (
        "changed after signing",
        lambda w, c: Payload(text=_signed_package(w, c).replace("no-suitable-work", "offer-refused")),
        ErrorCode.BUSINESS_SIGNATURE_INVALID.value,
    ),
    (
        "a deregistration sent as a registration",
        lambda w, c: Payload(
            text=w.signed_by("employment-director", la.write_deregistration_request(examples.deregistration(c)))
        ),
        ErrorCode.MALFORMED.value,
    ),
    ("not XML", lambda w, c: Payload(text="<unemployedRegistrationPackage"), ErrorCode.MALFORMED.value),
    (
        "an IIN with a wrong check digit",
        lambda w, c: Payload(
            text=w.signed_by(
                "employment-director",
                la.write_registration_package(
                    examples.package(
                        c,
                        dataclasses.replace(examples.JOB_SEEKER, iin=PERSONA_JOB_SEEKER[:11] + "0"),
                        sent_at=w.clock.now(),
                    )
                ),
            )
        ),
        ErrorCode.MALFORMED.value,
    ),
    (
        "a draft refusing on a rule outside UN-4",
        lambda w, c: Payload(
            text=w.signed_by(
                "employment-director",
                la.write_registration_package(
                    examples.package(
                        c, draft=la.DraftDecision(la.Outcome.REFUSED, (la.Reason("JS-3", "x"),)), sent_at=w.clock.now()
                    )
                ),
            )
        ),
        ErrorCode.MALFORMED.value,
    ),
    (
        "an entity expansion",
        lambda w, c: Payload(text='<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;&a;</x>'),
        ErrorCode.MALFORMED.value,
    ),
]


@pytest.mark.parametrize(("name", "build", "code"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_documents_are_refused_and_nothing_is_stored(
    world: World, name: str, build: Callable[[World, str], Payload], code: str
) -> None:
    case_id = f"X-{uuid.uuid4().hex[:12]}"
    fault = _fault(lambda: world.send(la.UNEMPLOYED_REGISTRATION_SERVICE, build(world, case_id)))
    assert code in (fault.code, fault.innermost_code), fault
    assert case_id not in _cases(world)


def test_only_the_centre_may_send_documents(world: World) -> None:
    payload = Payload(text=_signed_package(world, f"X-{uuid.uuid4().hex[:12]}"))
    fault = _fault(lambda: world.send(la.UNEMPLOYED_REGISTRATION_SERVICE, payload, sender=world.portal))
    assert fault.code == ErrorCode.ACCESS_DENIED.value


def test_a_case_id_reused_for_another_person_is_refused(world: World) -> None:
    case_id = f"UN-{uuid.uuid4().hex[:12]}"
    world.send(la.UNEMPLOYED_REGISTRATION_SERVICE, _package(world, case_id))
    other = _package(world, case_id, dataclasses.replace(examples.EMPLOYED, iin=PERSONA_EMPLOYED))
    fault = _fault(lambda: world.send(la.UNEMPLOYED_REGISTRATION_SERVICE, other))
    assert fault.innermost_code == ErrorCode.MALFORMED.value and "new case id" in fault.error.message + str(fault)
