"""The whole chain over real sockets: portal -> gateway -> employment centre -> person registry / social
fund -> monitoring, every message signed, every hop journalled."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import httpx
import pytest
from lxml import etree

from adapters.pki import PkiLayout
from adapters.shep import Payload, RequestInfo, build_request
from adapters.shep.async_envelope import wrap
from adapters.shep.envelope import parse_fault
from adapters.signatures import sign_document, sign_envelope, verify_document, verify_envelope
from adapters.xml import parse_xml, to_bytes
from contracts.async_channel import (
    PUSH_DATE_PROPERTY,
    PUSH_ID_PROPERTY,
    AsyncMessage,
    AsyncMessageInfo,
    MessageData,
    MessageType,
    write_send_message,
)
from ecosystem.catalogue import official
from egov_sim.launcher import Ecosystem
from mocks.population import (
    PERSONA_CONTRACT_NEXT_MONTH,
    PERSONA_DISMISSED,
    PERSONA_EMPLOYED,
    PERSONA_JOB_SEEKER,
    PERSONA_MINOR,
    PERSONA_STUDENT,
    build_population,
    find_person,
    unknown_iin,
)
from scenarios.driver import ScenarioDriver

DOCS = "urn:kz:egov-sim:labour-market:documents:v1"
DIRECTOR = official("employment-director")


def _person(iin: str):  # type: ignore[no-untyped-def]
    person = find_person(build_population(), iin)
    assert person is not None
    return person


def _document(xml: str | None) -> etree._Element:
    assert xml, "the cabinet holds no result document"
    return parse_xml(xml)


def test_job_seeker_is_registered_end_to_end(tester: ScenarioDriver, ecosystem: Ecosystem) -> None:
    outcome = tester.register_job_seeker("registration", _person(PERSONA_JOB_SEEKER))
    assert outcome.status == "Done", outcome.error
    document = _document(outcome.document_xml)
    assert document.tag == f"{{{DOCS}}}jobSeekerRegistrationNotice"
    assert document.findtext("person/iin") == PERSONA_JOB_SEEKER
    trust = PkiLayout(ecosystem.settings.data_dir).trust_store()
    signed = verify_document(document, trust, ecosystem.now())
    assert signed.signer.iin == DIRECTOR.iin and signed.signer.bin == DIRECTOR.bin

    # The portal used the AsyncChannel: REQUEST accepted, PUSHed to the centre, NOTIFICATION and RESPONSE back.
    assert outcome.correlation_id and outcome.correlation_id != outcome.application_id
    services = [(h["event"], h["service_id"]) for h in outcome.hops]
    for service in ("ENBEK_JobSeekerRegistrationAsync", "GBDFL_UniversalServiceSync", "GFSS_ContributionsQuery"):
        assert ("received", service) in services and ("delivered", service) in services, services
    assert all(h["correlation_id"] == outcome.correlation_id for h in outcome.hops)
    # Each message of the chain, in the journal's order: received and stored by the gateway (the sender's
    # receipt), PUSHed, delivered. The NOTIFICATION and the RESPONSE travel independently, so their entries
    # may interleave; each message's own entries may not.
    portal, centre = "EGOV_PORTAL", "ENBEK_LABOUR_MARKET"
    messages: dict[str, list[dict[str, Any]]] = {}
    for hop in outcome.hops:
        if hop["service_id"] == "ENBEK_JobSeekerRegistrationAsync":
            messages.setdefault(hop["message_id"], []).append(hop)
    chain = {
        (entries[0]["detail"] or "").split(": ")[-1].split(" ")[0]: [
            (h["event"], h["sender_id"], h["receiver_id"]) for h in entries
        ]
        for entries in messages.values()
    }
    expected = {
        kind: [
            ("received", sender, receiver),
            ("stored", sender, receiver),
            ("pushed", sender, receiver),
            ("delivered", sender, receiver),
        ]
        for sender, receiver, kind in (
            (portal, centre, "REQUEST"),
            (centre, portal, "NOTIFICATION"),
            (centre, portal, "RESPONSE"),
        )
    }
    assert chain == expected, chain
    # the cabinet showed the registered address the person registry holds and the applicant agreed (JS-11),
    # then "request accepted", then the centre's NOTIFICATION
    assert len(outcome.notices) == 4, outcome.notices
    assert "registered address as: г. Астана" in outcome.notices[0] and "You agreed" in outcome.notices[1]
    assert "request was accepted" in outcome.notices[2]
    assert "accepted by the employment centre" in outcome.notices[3]
    # the address came from the person registry through the gateway, on the application's own id
    asked = tester.hops(outcome.application_id)
    assert [(h["event"], h["service_id"]) for h in asked][:2] == [
        ("received", "GBDFL_UniversalServiceSync"),
        ("delivered", "GBDFL_UniversalServiceSync"),
    ]
    assert asked[0]["sender_id"] == portal
    assert outcome.applicant_signature and PERSONA_JOB_SEEKER in outcome.applicant_signature

    stages = [s["newStatus"] for s in outcome.stages]
    assert stages == ["ACCEPTED", "DATA_REQUESTED", "DECISION_MADE", "RESULT_ISSUED"]
    # Received Monday 23 Nov 2026 10:00 (working hours, T-2): one working day (JS-6) ends Tuesday 18:30.
    deadline = dt.datetime.fromisoformat(outcome.stages[0]["deadline"])
    assert deadline == dt.datetime.fromisoformat("2026-11-24T18:30:00+05:00")
    assert {s["deadline"] for s in outcome.stages} == {outcome.stages[0]["deadline"]}
    assert document.findtext("registeredOn") == "2026-11-23"

    card = httpx.get(tester.url("employment", f"/admin/job-seekers/{PERSONA_JOB_SEEKER}")).json()
    assert card["iin"] == PERSONA_JOB_SEEKER


@pytest.mark.parametrize(
    ("iin", "rule_id", "kind"),
    [
        (PERSONA_MINOR, "JS-1", "jobSeekerApplicationNotAccepted"),  # standard item 9: not accepted
        (PERSONA_EMPLOYED, "000 §5 action 3", "jobSeekerRegistrationRefusal"),  # Rules Annex 2
    ],
    ids=["under-16-not-accepted", "currently-employed"],
)
def test_refusals_cite_their_rule(tester: ScenarioDriver, iin: str, rule_id: str, kind: str) -> None:
    outcome = tester.register_job_seeker("refusal", _person(iin))
    assert outcome.status == "Done", outcome.error
    document = _document(outcome.document_xml)
    assert document.tag == f"{{{DOCS}}}{kind}"
    assert rule_id in [r.text for r in document.findall("reasons/reason/ruleId")]
    assert [s["newStatus"] for s in outcome.stages][-1] == "REFUSED"
    assert outcome.stages[-1]["ruleId"] == rule_id
    if kind == "jobSeekerApplicationNotAccepted":  # nothing was accepted, so nothing else was reported
        assert [s["newStatus"] for s in outcome.stages] == ["REFUSED"]
    missing = httpx.get(tester.url("employment", f"/admin/job-seekers/{iin}"))
    assert missing.status_code == 404


@pytest.mark.parametrize(
    "iin", [PERSONA_DISMISSED, PERSONA_CONTRACT_NEXT_MONTH], ids=["dismissed-yesterday", "contract-next-month"]
)
def test_no_labour_contract_in_force_on_the_decision_day_is_registered(tester: ScenarioDriver, iin: str) -> None:
    """Rules No. 259 §4, regulation 000 §5 action 3: only a contract in force on the decision day refuses."""
    outcome = tester.register_job_seeker("no-contract-in-force", _person(iin))
    assert outcome.status == "Done", outcome.error
    assert _document(outcome.document_xml).tag == f"{{{DOCS}}}jobSeekerRegistrationNotice"


def _raw_request(ecosystem: Ecosystem) -> etree._Element:
    payload = etree.fromstring(
        '<m:request xmlns:m="http://message.persistence.interactive.nat"><messageId>x</messageId>'
        "<messageDate>2026-11-23T10:00:00+05:00</messageDate><senderCode>EGOV_PORTAL</senderCode>"
        f"<iin>{PERSONA_JOB_SEEKER}</iin></m:request>"
    )
    info = RequestInfo(
        message_id=f"raw-{uuid.uuid4()}",
        service_id="GBDFL_UniversalServiceSync",
        sender_id="EGOV_PORTAL",
        message_date=ecosystem.now(),
        correlation_id="raw-case",
    )
    return build_request(info, Payload(element=payload))


def _post(ecosystem: Ecosystem, body: bytes) -> tuple[int, str]:
    answer = httpx.post(ecosystem.settings.gateway_sync_url, content=body, headers={"Content-Type": "text/xml"})
    reply = parse_xml(answer.content)
    trust = PkiLayout(ecosystem.settings.data_dir).trust_store()
    verified = verify_envelope(reply, trust, ecosystem.now())  # faults are signed by the gateway too
    fault = parse_fault(verified.signed_body)
    assert fault is not None
    return answer.status_code, fault.code


def test_unsigned_tampered_and_malformed_requests_get_fault_codes(ecosystem: Ecosystem) -> None:
    layout = PkiLayout(ecosystem.settings.data_dir)
    portal = layout.load_credential(layout.system("portal"))
    assert _post(ecosystem, to_bytes(_raw_request(ecosystem))) == (500, "SCE007")
    signed = to_bytes(sign_envelope(_raw_request(ecosystem), portal))
    tampered = signed.replace(PERSONA_JOB_SEEKER.encode(), unknown_iin(build_population()).encode())
    assert _post(ecosystem, tampered) == (500, "SCE006")
    assert _post(ecosystem, b"<not-soap/>") == (500, "SCE001")
    billion_laughs = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><l>&b;</l>'
    assert _post(ecosystem, billion_laughs) == (500, "SCE001")
    journal = httpx.get(
        ecosystem.settings.base_url("gateway") + "/admin/journal", params={"correlationId": "raw-case"}
    ).json()
    assert [e["code"] for e in journal if e["event"] == "rejected"] == ["SCE006", "SCE007"]  # newest first
    chain = httpx.get(ecosystem.settings.base_url("gateway") + "/admin/journal/verify").json()
    assert chain["intact"] is True and chain["entries"] > 0


def test_unknown_service_and_wrong_sender_certificate(ecosystem: Ecosystem) -> None:
    layout = PkiLayout(ecosystem.settings.data_dir)
    request = _raw_request(ecosystem)
    request.find(".//serviceId").text = "NO_SUCH_SERVICE"
    portal = layout.load_credential(layout.system("portal"))
    assert _post(ecosystem, to_bytes(sign_envelope(request, portal))) == (500, "SCE004")
    fund = layout.load_credential(layout.system("social_fund"))
    assert _post(ecosystem, to_bytes(sign_envelope(_raw_request(ecosystem), fund)))[1] == "SCE002"


def test_state_corporation_lookup_of_unknown_person(tester: ScenarioDriver) -> None:
    operator = official("state-corp-operator").iin
    missing = tester.operator_lookup(operator, unknown_iin(build_population()))
    assert missing.status_code == 404
    assert "cannot be obtained" in missing.json()["message"]
    found = tester.operator_lookup(operator, PERSONA_JOB_SEEKER)
    assert found.status_code == 200 and found.json()["found"] is True


def _form_message(ecosystem: Ecosystem, form_text: str) -> bytes:
    layout = PkiLayout(ecosystem.settings.data_dir)
    info = RequestInfo(
        message_id=f"form-{uuid.uuid4()}",
        service_id="ENBEK_JobSeekerRegistration",
        sender_id="EGOV_PORTAL",
        message_date=ecosystem.now(),
        correlation_id="forged-case",
    )
    return to_bytes(
        sign_envelope(build_request(info, Payload(text=form_text)), layout.load_credential(layout.system("portal")))
    )


def _form(iin: str) -> etree._Element:
    person = _person(iin)
    return etree.fromstring(
        f'<js:jobSeekerRegistrationForm xmlns:js="urn:kz:egov-sim:labour-market:job-seeker:v1">'
        f"<applicationId>forged-case</applicationId><submittedAt>2026-11-23T10:00:00+05:00</submittedAt>"
        f"<applicant><iin>{iin}</iin><surname>{person.surname}</surname><name>{person.name}</name>"
        f"<birthDate>{person.birth_date.isoformat()}</birthDate></applicant>"
        f"<consentToPersonalData>true</consentToPersonalData></js:jobSeekerRegistrationForm>"
    )


def test_business_signature_refusals_reach_the_sender_through_the_gateway(ecosystem: Ecosystem) -> None:
    """SP-5: a form signed by someone other than the applicant is SCE016; an unsigned one SCE017;
    the employment centre decides nothing in either case."""
    layout = PkiLayout(ecosystem.settings.data_dir)
    somebody_else = layout.load_credential(layout.person(PERSONA_EMPLOYED))
    forged = etree.tostring(sign_document(_form(PERSONA_STUDENT), somebody_else), encoding="unicode")
    assert _post(ecosystem, _form_message(ecosystem, forged)) == (500, "SCE016")
    unsigned = etree.tostring(_form(PERSONA_STUDENT), encoding="unicode")
    assert _post(ecosystem, _form_message(ecosystem, unsigned)) == (500, "SCE017")
    own = etree.tostring(
        sign_document(_form(PERSONA_STUDENT), layout.load_credential(layout.person(PERSONA_STUDENT))),
        encoding="unicode",
    )
    surname = _person(PERSONA_STUDENT).surname
    tampered = own.replace(f"<surname>{surname}</surname>", f"<surname>{surname}-Forged</surname>")
    assert tampered != own
    assert _post(ecosystem, _form_message(ecosystem, tampered)) == (500, "SCE016")
    missing = httpx.get(ecosystem.settings.base_url("employment") + "/admin/applications/forged-case")
    assert missing.status_code == 404


def test_a_provider_refuses_a_message_that_bypassed_the_gateway(ecosystem: Ecosystem) -> None:
    """Providers accept only the gateway's signature: the portal cannot call the registry directly."""
    layout = PkiLayout(ecosystem.settings.data_dir)
    direct = to_bytes(sign_envelope(_raw_request(ecosystem), layout.load_credential(layout.system("portal"))))
    answer = httpx.post(ecosystem.settings.base_url("person_registry") + "/bip-sync/", content=direct)
    reply = verify_envelope(parse_xml(answer.content), layout.trust_store(), ecosystem.now())
    assert reply.signer.bin == "010440010002"  # the registry signs its refusal
    fault = parse_fault(reply.signed_body)
    assert answer.status_code == 500 and fault is not None and fault.code == "SCE003"


def test_a_response_delivered_twice_is_processed_once_by_the_portal(
    tester: ScenarioDriver, ecosystem: Ecosystem
) -> None:
    """The gateway may PUSH one message twice (it crashed after the portal took it): the portal's inbox
    acknowledges the repeat without processing it again."""
    outcome = tester.register_job_seeker("repeat", _person(PERSONA_JOB_SEEKER))
    assert outcome.status == "Done" and outcome.document_xml
    settings = ecosystem.settings
    portal = settings.base_url("portal")
    admin = settings.admin_headers()
    before = httpx.get(f"{portal}/admin/async/inbox", headers=admin).json()
    response = next(
        e
        for e in before["entries"]
        if e["correlationId"] == outcome.correlation_id
        and e["senderId"] == "ENBEK_LABOUR_MARKET"
        and e["messageId"]
        not in {ev["messageId"] for ev in tester.portal_application(outcome.application_id)["events"]}
    )
    layout = PkiLayout(settings.data_dir)
    info = AsyncMessageInfo(
        service_id="ENBEK_JobSeekerRegistrationAsync",
        message_type=MessageType.RESPONSE,
        message_date=ecosystem.now(),
        sender_id="ENBEK_LABOUR_MARKET",
        message_id=response["messageId"],
        correlation_id=outcome.correlation_id,
        session_id=str(uuid.uuid4()),
        # a new PUSH of the same message, stamped as the gateway stamps every attempt
        properties={
            PUSH_DATE_PROPERTY: ecosystem.now().isoformat(timespec="milliseconds"),
            PUSH_ID_PROPERTY: str(uuid.uuid4()),
        },
    )
    wrapper = write_send_message(AsyncMessage(info, MessageData(text=outcome.document_xml)), client=True)
    envelope = sign_envelope(wrap(wrapper), layout.load_credential(layout.system("gateway")))
    answer = httpx.post(f"{portal}/bip-async-client/", content=to_bytes(envelope), headers={"Content-Type": "text/xml"})
    assert answer.status_code == 200, answer.text

    after = httpx.get(f"{portal}/admin/async/inbox", headers=admin).json()
    assert after["processed"] == before["processed"] and after["repeats"] == before["repeats"] + 1
    again = tester.portal_application(outcome.application_id)
    assert again["status"] == "DONE"
