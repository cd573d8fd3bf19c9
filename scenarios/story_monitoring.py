"""The last step of a story: what the monitoring IS received of each of the story's applications, every stage
with its rule and deadline (T-5: each transition travels with the deadline of the step it waits for), and
that none of them is in the overdue report on the shared clock. A provider whose procedure has steps with terms of
their own (regulation 004 §5) names with each stage before the result the deadline of the next step
(``stepDeadline``): then every such stage must carry one, and none of the story's applications may be late on its
step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from scenarios.driver import ScenarioDriver
from scenarios.http_steps import StepTimeout
from scenarios.story_step import StoryStep

FINAL = ("RESULT_ISSUED", "REFUSED")


def _short(moment: object) -> str:
    if not moment:
        return "-"
    return f"{datetime.fromisoformat(str(moment)):%Y-%m-%d %H:%M}"


def stage_line(stage: dict[str, Any]) -> str:
    rule = f" [{stage['ruleId']}]" if stage.get("ruleId") else ""
    line = f"{stage['newStatus']}{rule} at {_short(stage['stageAt'])}, deadline {_short(stage.get('deadline'))}"
    return f"{line}, next step by {_short(stage['stepDeadline'])}" if stage.get("stepDeadline") else line


def stages_without_step_deadline(stages: list[dict[str, Any]]) -> list[str]:
    """The stages before the first final one that name no step deadline, when any stage names one."""
    if not any(stage.get("stepDeadline") for stage in stages):
        return []
    before = []
    for stage in stages:
        if stage["newStatus"] in FINAL:
            break
        before.append(stage)
    return [stage["newStatus"] for stage in before if not stage.get("stepDeadline")]


def monitoring_step(driver: ScenarioDriver, applications: list[tuple[str, str]]) -> StoryStep:
    """``applications``: (application id, the final stage expected) in the order the story made them."""
    step = StoryStep("T-5: the stages the monitoring IS received", driver.now())
    for application_id, final in applications:
        try:
            record = driver.wait_for(
                f"{application_id} reaching {final} in the monitoring IS",
                _reaching(driver, application_id, final),
                timeout=20.0,
            )
        except StepTimeout as exc:
            step.problems.append(str(exc))
            record = driver.monitored(application_id) or {"serviceType": "?", "stages": []}
        executor = record.get("executorOrg") or record.get("registerOrg") or ""
        step.lines.append(f"{application_id} ({record['serviceType']}, {executor}):")
        step.lines += [f"    {stage_line(stage)}" for stage in record["stages"]]
        undated = [s["newStatus"] for s in record["stages"] if s["newStatus"] not in FINAL and not s.get("deadline")]
        step.expect(not undated, f"{application_id}: stages without a deadline {undated}")
        unstepped = stages_without_step_deadline(record["stages"])
        step.expect(not unstepped, f"{application_id}: stages without the deadline of their next step {unstepped}")
    report = driver.overdue()
    ours = {application_id for application_id, _ in applications}
    overdue = {a["applicationId"] for a in report["applications"]}
    late = sorted(overdue & ours)
    step.lines.append(f"overdue report now: {len(overdue)} application(s) in all, of this story: {late or 'none'}")
    step.expect(not late, f"overdue: {late}")
    late_on_step = sorted({a["applicationId"] for a in report.get("lateOnStep", [])} & ours)
    step.expect(not late_on_step, f"late on their step: {late_on_step}")
    return step


def _reaching(driver: ScenarioDriver, application_id: str, final: str) -> Callable[[], dict[str, Any] | None]:
    return lambda: _reached(driver.monitored(application_id), final)


def _reached(record: dict[str, Any] | None, final: str) -> dict[str, Any] | None:
    return record if record and record.get("currentState") == final else None
