"""``egov-sim demo``: start everything, run one registration and two refusals, print every hop."""

from __future__ import annotations

from rich.console import Console
from rich.syntax import Syntax
from rich.table import Table

from egov_sim.launcher import Ecosystem
from egov_sim.scenarios import CaseOutcome, ScenarioDriver
from egov_sim.settings import Settings
from egov_sim.systems import official
from mocks.population import (
    PERSONA_EMPLOYED,
    PERSONA_JOB_SEEKER,
    PERSONA_MINOR,
    build_population,
    find_person,
    unknown_iin,
)

EXPECTED = (
    ("Registration of a job seeker", PERSONA_JOB_SEEKER, "registered", None),
    ("Refusal: applicant under 16", PERSONA_MINOR, "refused", "JS-1"),
    ("Refusal: applicant currently employed", PERSONA_EMPLOYED, "refused", "000 §5 action 3"),
)
KINDS = {"jobSeekerRegistrationNotice": "registered", "jobSeekerRegistrationRefusal": "refused"}
EXPECTED_STAGES = {"registered": "RESULT_ISSUED", "refused": "REFUSED"}


def print_hops(console: Console, outcome: CaseOutcome) -> None:
    table = Table(title=f"hops of correlationId {outcome.application_id}", show_lines=False)
    for column in ("#", "from → to", "serviceId", "event", "result", "signatures verified"):
        table.add_column(column, overflow="fold")
    for number, hop in enumerate(outcome.hops, start=1):
        table.add_row(
            str(number),
            f"{hop.get('sender_id')} → {hop.get('receiver_id')}",
            str(hop.get("service_id")),
            str(hop.get("event")),
            str(hop.get("code") or ""),
            "\n".join(hop.get("verified") or []),
        )
    console.print(table)
    if outcome.applicant_signature:
        console.print(f"  • {outcome.applicant_signature}")
    if outcome.signed_by:
        who = outcome.signed_by
        console.print(
            f"  • portal verified the result signature of {who.get('commonName')} "
            f"(IIN {who.get('iin')}, BIN {who.get('bin')})"
        )
    console.print(
        "  • monitoring IS stages: "
        + ", ".join(f"{s.get('newStatus')} (deadline {s.get('deadline')})" for s in outcome.stages)
    )


def check(outcome: CaseOutcome, expected_kind: str, rule_id: str | None) -> list[str]:
    problems = []
    if outcome.status != "Done":
        problems.append(f"cabinet status is {outcome.status!r}, expected 'Done' (error: {outcome.error})")
    if KINDS.get(outcome.result_kind or "") != expected_kind:
        problems.append(f"result is {outcome.result_kind!r}, expected {expected_kind}")
    if rule_id and (outcome.document_xml is None or f"<ruleId>{rule_id}</ruleId>" not in outcome.document_xml):
        problems.append(f"refusal does not cite rule {rule_id}")
    if not outcome.signed_by or outcome.signed_by.get("iin") != official("employment-director").iin:
        problems.append("result is not signed by the employment centre director")
    stages = [s.get("newStatus") for s in outcome.stages]
    if not stages or stages[-1] != EXPECTED_STAGES[expected_kind]:
        problems.append(f"monitoring stages {stages} do not end in {EXPECTED_STAGES[expected_kind]}")
    if not any(
        h.get("event") == "delivered" and h.get("service_id") == "GBDFL_UniversalServiceSync" for h in outcome.hops
    ):
        problems.append("no person-registry hop in the journal")
    return problems


def run_demo(settings: Settings, console: Console) -> bool:
    population = build_population()
    failures: list[str] = []
    with Ecosystem(settings) as ecosystem:
        console.print("[bold]starting every system on loopback...[/bold]")
        ecosystem.start()
        tester = ScenarioDriver(settings)
        try:
            for title, iin, expected_kind, rule_id in EXPECTED:
                person = find_person(population, iin)
                assert person is not None
                console.rule(f"{title}: {person.full_name}, IIN {iin}")
                outcome = tester.register_job_seeker(title, person)
                print_hops(console, outcome)
                if outcome.document_xml:
                    console.print(Syntax(outcome.document_xml, "xml", word_wrap=True))
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
        finally:
            tester.close()
    console.rule("result")
    if failures:
        for failure in failures:
            console.print(f"[red]✗ {failure}[/red]")
        return False
    console.print("[green]✓ every outcome is as expected[/green]")
    return True
