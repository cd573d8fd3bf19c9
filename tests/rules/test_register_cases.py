"""The register's legal cases, one YAML file per area (register.yaml, certificate.yaml, deregistration.yaml),
run through the employment centre's real handlers with fakes around them (tests/register_world.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.register_world import check, run_steps, world_for

HERE = Path(__file__).parent
AREAS = ("register.yaml", "certificate.yaml", "deregistration.yaml")


def _cases() -> list[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    found = []
    for area in AREAS:
        data = yaml.safe_load((HERE / area).read_text(encoding="utf-8"))
        flows = data.get("flows", {})
        for case in data["cases"]:
            steps = [*flows.get(case.get("flow", ""), []), *case.get("steps", [])]
            if "flow" in case:
                assert case["flow"] in flows, f"{area}: unknown flow {case['flow']!r}"
            found.append((f"{area[:-5]}: {case['name']}", case, steps))
    return found


CASES = _cases()


@pytest.mark.parametrize(("name", "case", "steps"), CASES, ids=[c[0] for c in CASES])
def test_case(name: str, case: dict[str, Any], steps: list[dict[str, Any]]) -> None:
    assert case.get("rule"), f"{name} names no rule"
    assert case.get("expect"), f"{name} expects nothing"
    world = run_steps(world_for(case), steps)
    check(world, case["expect"])


def test_case_names_are_unique() -> None:
    names = [name for name, _, _ in CASES]
    assert len(names) == len(set(names))
