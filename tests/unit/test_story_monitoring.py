"""The stories' monitoring check: a procedure with steps of their own (regulation 004 §5) names the deadline of the
next step with every stage before the result."""

from __future__ import annotations

from typing import Any

from scenarios.story_monitoring import stage_line, stages_without_step_deadline

AT = "2026-03-12T10:00:00+05:00"


def _stage(status: str, step_deadline: str | None) -> dict[str, Any]:
    return {"newStatus": status, "stageAt": AT, "deadline": AT, "stepDeadline": step_deadline, "ruleId": "SP-1"}


def test_every_stage_before_the_result_names_its_next_step_once_any_does() -> None:
    fund = [_stage("REGISTERED", AT), _stage("EXECUTOR_ASSIGNED", AT), _stage("RESULT_ISSUED", None)]
    assert stages_without_step_deadline(fund) == []
    assert stages_without_step_deadline([*fund, _stage("PAYMENT_TERMINATED", None)]) == []  # after the result
    assert stages_without_step_deadline([fund[0], _stage("DRAFTED", None), fund[2]]) == ["DRAFTED"]
    centre = [_stage("ACCEPTED", None), _stage("DECISION_MADE", None)]  # a procedure without such steps
    assert stages_without_step_deadline(centre) == []


def test_the_line_shows_the_next_step_only_when_named() -> None:
    assert stage_line(_stage("REGISTERED", "2026-03-12T10:10:00+05:00")).endswith("next step by 2026-03-12 10:10")
    assert "next step" not in stage_line(_stage("RESULT_ISSUED", None))
