"""The last step of a story: what the monitoring IS received of each of the story's applications, every stage
with its rule and deadline (T-5: each transition travels with the deadline of the step it waits for), and
that none of them is in the overdue report on the shared clock."""

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
    return f"{stage['newStatus']}{rule} at {_short(stage['stageAt'])}, deadline {_short(stage.get('deadline'))}"


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
    overdue = {a["applicationId"] for a in driver.overdue()["applications"]}
    late = sorted(overdue & {application_id for application_id, _ in applications})
    step.lines.append(f"overdue report now: {len(overdue)} application(s) in all, of this story: {late or 'none'}")
    step.expect(not late, f"overdue: {late}")
    return step


def _reaching(driver: ScenarioDriver, application_id: str, final: str) -> Callable[[], dict[str, Any] | None]:
    return lambda: _reached(driver.monitored(application_id), final)


def _reached(record: dict[str, Any] | None, final: str) -> dict[str, Any] | None:
    return record if record and record.get("currentState") == final else None
