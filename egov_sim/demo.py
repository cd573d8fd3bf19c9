"""``egov-sim demo``: start everything, run one registration and two refusals, print every hop; then the
story of one person from the portal application to unemployed, the certificate and the removal
(egov_sim/story_demo.py), the clock advancing between the steps."""

from __future__ import annotations

from typing import Any

from lxml import etree
from rich.console import Console

from adapters.xml import XmlRejected, parse_xml
from contracts import PayloadError, gbdfl
from contracts import job_seeker_form as jobs
from contracts.result_documents import ResultKind, read_result_document
from ecosystem.catalogue import official
from ecosystem.settings import Settings
from egov_sim.launcher import Ecosystem
from egov_sim.story_demo import run_refusal, run_story, story_person
from mocks.population import (
    PERSONA_EMPLOYED,
    PERSONA_JOB_SEEKER,
    PERSONA_MINOR,
    build_population,
    find_person,
    unknown_iin,
)
from scenarios.driver import CaseOutcome, ScenarioDriver

EXPECTED = (
    ("Registration of a job seeker", PERSONA_JOB_SEEKER, ResultKind.REGISTERED, None),
    (
        "Not accepted: applicant under 16 without a representative's application",
        PERSONA_MINOR,
        ResultKind.NOT_ACCEPTED,
        "JS-1",
    ),
    ("Refusal: applicant currently employed", PERSONA_EMPLOYED, ResultKind.REFUSED, "000 §5 action 3"),
)
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
EXPECTED_STAGES = {
    ResultKind.REGISTERED: "RESULT_ISSUED",
    ResultKind.REFUSED: "REFUSED",
    ResultKind.NOT_ACCEPTED: "REFUSED",
}


def print_hops(console: Console, outcome: CaseOutcome) -> None:
    """One line a hop, from the gateway's journal: from → to, serviceId, event, result, verified signatures."""
    console.print(
        f"[bold]hops of correlationId {outcome.correlation_id}[/bold] (application {outcome.application_id}; "
        "gateway journal)"
    )
    for number, hop in enumerate(outcome.hops, start=1):
        arrow = f"{hop.get('sender_id')} → {hop.get('receiver_id')}"
        result = hop.get("code") or ""
        what = _async_step(hop)
        console.print(
            f"  {number:>2}. {arrow:<38} {hop.get('service_id'):<32} {what or hop.get('event'):<28} {result}",
            highlight=False,
        )
        for check in hop.get("verified") or []:
            console.print(f"        ✔ {check}", highlight=False)
    if outcome.applicant_signature:
        console.print(f"  ✔ {outcome.applicant_signature}", highlight=False)
    if outcome.signed_by:
        who = outcome.signed_by
        console.print(
            f"  ✔ portal verified the result signature of {who.get('commonName')} "
            f"(IIN {who.get('iin')}, BIN {who.get('bin')})",
            highlight=False,
        )
    console.print(
        "  monitoring IS stages: "
        + ", ".join(f"{s.get('newStatus')} (deadline {s.get('deadline')})" for s in outcome.stages),
        highlight=False,
    )


def _async_step(hop: dict[str, Any]) -> str | None:
    """An AsyncChannel hop in words: "sendMessage REQUEST accepted", "PUSH delivered"…"""
    if hop.get("channel") != "async":
        return None
    detail = str(hop.get("detail") or "")
    if hop.get("event") == "received":
        kind = next((t for t in ("REQUEST", "RESPONSE", "NOTIFICATION", "UPDATE") if t in detail), "")
        return f"sendMessage {kind} accepted"
    if hop.get("event") == "delivered":
        return "PUSH delivered"
    return f"{hop.get('event')}"


def print_outcome(console: Console, outcome: CaseOutcome) -> None:
    """The hops, the portal's notice of a delivery that is late or could not be made, and the document."""
    print_hops(console, outcome)
    for notice in outcome.notices:
        console.print(f"  cabinet notice: {notice}", highlight=False, markup=False)
    if outcome.notice:
        state = f" (delivery {outcome.delivery_state})" if outcome.delivery_state else ""
        console.print(f"portal notice{state}: {outcome.notice}", style="yellow", highlight=False, markup=False)
    if outcome.document_xml:
        console.print(for_display(outcome.document_xml), highlight=False, markup=False)


def for_display(document_xml: str) -> str:
    """The signed document indented, with the base64 of the signature shortened (display only)."""
    root = etree.fromstring(document_xml.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False))
    for element in root.iter(f"{{{DS_NS}}}SignatureValue", f"{{{DS_NS}}}X509Certificate", f"{{{DS_NS}}}DigestValue"):
        text = (element.text or "").strip()
        element.text = f"{text[:24]}…({len(text)} chars)" if len(text) > 40 else text
    etree.indent(root)
    return etree.tostring(root, encoding="unicode")


def cited_rules(document_xml: str | None) -> set[str]:
    """The rule ids of the reasons a result document gives (none if it cannot be read)."""
    if not document_xml:
        return set()
    try:
        return {reason.rule_id for reason in read_result_document(parse_xml(document_xml)).reasons}
    except (XmlRejected, PayloadError):
        return set()


def check(outcome: CaseOutcome, expected_kind: ResultKind, rule_id: str | None) -> list[str]:
    problems = []
    if outcome.status != "Done":
        why = f"notice: {outcome.notice}" if outcome.notice else f"error: {outcome.error}"
        problems.append(f"cabinet status is {outcome.status!r}, expected 'Done' ({why})")
    if outcome.result_kind != expected_kind:
        problems.append(f"result is {outcome.result_kind!r}, expected {expected_kind}")
    if rule_id and rule_id not in cited_rules(outcome.document_xml):
        problems.append(f"refusal does not cite rule {rule_id}")
    if not outcome.signed_by or outcome.signed_by.get("iin") != official("employment-director").iin:
        problems.append("result is not signed by the employment centre director")
    stages = [s.get("newStatus") for s in outcome.stages]
    if not stages or stages[-1] != EXPECTED_STAGES[expected_kind]:
        problems.append(f"monitoring stages {stages} do not end in {EXPECTED_STAGES[expected_kind]}")
    if not any(h.get("event") == "delivered" and h.get("service_id") == gbdfl.SERVICE_ID for h in outcome.hops):
        problems.append("no person-registry hop in the journal")
    if settings_channel(outcome) == "async":
        pushed = {(h.get("service_id"), h.get("receiver_id")) for h in outcome.hops if h.get("event") == "delivered"}
        for receiver in ("ENBEK_LABOUR_MARKET", "EGOV_PORTAL"):
            if (jobs.ASYNC_SERVICE_ID, receiver) not in pushed:
                problems.append(f"no AsyncChannel PUSH of {jobs.ASYNC_SERVICE_ID} to {receiver} in the journal")
    return problems


def settings_channel(outcome: CaseOutcome) -> str:
    """How the case travelled: "async" when the portal recorded an AsyncChannel chain for it."""
    return "async" if outcome.correlation_id and outcome.correlation_id != outcome.application_id else "sync"


def run_demo(settings: Settings, console: Console) -> bool:
    population = build_population()
    failures: list[str] = []
    with Ecosystem(settings) as ecosystem:
        console.print("[bold]starting every system on loopback[/bold]")
        ecosystem.start()
        console.print(ecosystem.clock_summary(), highlight=False, soft_wrap=True)
        tester = ScenarioDriver(settings)
        try:
            for title, iin, expected_kind, rule_id in EXPECTED:
                person = find_person(population, iin)
                assert person is not None
                console.rule(f"{title}: {person.full_name}, IIN {iin}")
                outcome = tester.register_job_seeker(title, person)
                print_outcome(console, outcome)
                problems = check(outcome, expected_kind, rule_id)
                console.print("[green]as expected[/green]" if not problems else f"[red]{problems}[/red]")
                failures += [f"{title}: {p}" for p in problems]
            console.rule("State Corporation operator: person lookup (SP-2)")
            operator = official("state-corp-operator").iin
            missing = unknown_iin(population)
            answer = tester.operator_lookup(operator, missing)
            console.print(f"IIN {missing}: HTTP {answer.status_code} {answer.json()}")
            if answer.status_code != 404:
                failures.append(f"SP-2: unknown IIN gave HTTP {answer.status_code}, expected 404")
            failures += run_story(console, tester, story_person(population))
            refused = find_person(population, PERSONA_EMPLOYED)
            assert refused is not None
            failures += run_refusal(console, tester, refused)
        finally:
            tester.close()
    console.rule("result")
    if failures:
        for failure in failures:
            console.print(f"[red]✗ {failure}[/red]")
        return False
    console.print("[green]✓ every outcome is as expected[/green]")
    return True
