"""JS-5, case by case from job_seeker_category.yaml: the exact points and the category."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from employment.domain.rules.job_seeker_category import JobSeekerCategory, categorise
from tests.register_world import profile_from

CASES = yaml.safe_load((Path(__file__).parent / "job_seeker_category.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    assert case["rule"] == "JS-5"
    assessment = categorise(profile_from(case["card"]), case["birth_date"], case["registered_on"])
    assert (assessment.points, assessment.category) == (case["points"], JobSeekerCategory(case["category"])), (
        assessment.factors
    )


def test_each_factor_names_its_points() -> None:
    case = next(c for c in CASES if c["category"] == "long-term")
    factors = categorise(profile_from(case["card"]), case["birth_date"], case["registered_on"]).factors
    assert factors == (
        "age 55, 50 or more (+2)",
        "unemployed for 12 months (+3)",
        "a criminal record (+1)",
        "no job-search skills (+1)",
        "no computer skills (+1)",
        "low motivation (+1)",
    )
