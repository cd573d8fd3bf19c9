"""A job-loss payment refused, driven over HTTP on the shared clock: a person who is not registered as unemployed
applies at the State Corporation with a certificate the centre's register does not back (SP-2); the fund
registers the application, its executor asks the employment centre (SP-7, ``ENBEK_UnemployedStatusQuery``) and
finds no right to the payment; the notification of refusal to accept, PE-4 (4) (Social Code Art. 115 p.1 sub.4),
signed by the department's head, comes back to the operator (SP-3)."""

from __future__ import annotations

from datetime import datetime, timedelta

from adapters.xml import parse_xml
from contracts import job_loss_payment as jl
from mocks.population import SyntheticPerson
from scenarios.driver import ScenarioDriver
from scenarios.http_steps import StepTimeout
from scenarios.payment_story import OPERATOR, decision_lines
from scenarios.story_step import StoryStep
from scenarios.unemployed_story import MINUTE

EXPECTED_GROUND = "PE-4 (4)"


def refused_at_the_state_corporation(driver: ScenarioDriver, person: SyntheticPerson) -> StoryStep:
    """Apply, let the department's 8 working days pass, and read the refusal the operator receives."""
    step = StoryStep(f"{EXPECTED_GROUND}: a payment applied for without the right to it", driver.now())
    today = driver.now().date()
    operator = driver.operator_login(OPERATOR.iin)
    card = person.document
    body = {
        "applicantIin": person.iin,
        "identityDocument": {
            "number": card.number,
            "issuedOn": card.issued_on.isoformat(),
            "validUntil": card.valid_until.isoformat(),
        },
        "unemployedCertificate": {
            "number": "CE-PAPER-0001",
            "issuedOn": today.isoformat(),
            "validUntil": (today + timedelta(days=29)).isoformat(),
        },
        "bankAccountDocument": {"number": "BA-2026-0005", "issuedOn": today.isoformat()},
        "iban": "KZ86125KZT5004100100",
        "applicantConsent": True,
    }
    case = driver.operator_payment_case(operator, body)
    step.lines.append(
        f"operator {OPERATOR.surname}: case {case['caseId']} {case['status']}, registration No. "
        f"{case.get('registrationNumber')}, due {case.get('deadline')}"
    )
    if case["status"] != "REGISTERED":
        step.problems.append(f"the fund did not register the application: {case}")
        return step
    deadline = datetime.fromisoformat(str(case["deadline"]))
    now = driver.advance_clock_to(deadline + MINUTE)
    step.lines.append(f"clock moved past the deadline to {now:%Y-%m-%d %H:%M %A}")
    try:
        driver.wait_for(
            "the refusal issued at the fund",
            lambda: (driver.fund_application(str(case["caseId"])) or {}).get("signedDecision"),
        )
    except StepTimeout as exc:
        step.problems.append(str(exc))
        return step
    refreshed = driver.refresh_payment_case(driver.operator_login(OPERATOR.iin), str(case["caseId"]))
    shown = refreshed.get("decision") or {}
    signed = str(refreshed.get("decisionDocument") or "")
    step.lines.append(f"the operator's refresh: {refreshed['status']}, signed by {shown.get('signedBy')}")
    if signed:
        decision = jl.read_decision(parse_xml(signed))
        step.lines += decision_lines(decision)
        rules = [ground.rule_id for ground in decision.grounds]
        step.expect(decision.outcome is jl.Outcome.REFUSED_TO_ACCEPT, f"the outcome is {decision.outcome.value}")
        step.expect(rules == [EXPECTED_GROUND], f"the grounds are {rules}, not [{EXPECTED_GROUND}]")
        step.expect(decision.decided_on <= deadline.date(), "decided after the deadline")
    else:
        step.problems.append(f"the operator's case holds no signed decision: {refreshed}")
    step.at = driver.now()
    return step
