"""The terms of complaints (AP-1), case by case from complaints.yaml. (The channels' terms, JS-12 and JS-13,
are cases of registration_channels.yaml.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from employment.domain.calendar import WorkingCalendar
from employment.domain.rules.complaints import ComplaintAddressee, complaint_deadline
from tests.register_world import instant

HERE = Path(__file__).parent
COMPLAINTS = yaml.safe_load((HERE / "complaints.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


@pytest.mark.parametrize("case", COMPLAINTS, ids=[c["name"] for c in COMPLAINTS])
def test_complaint_case(case: dict[str, Any], calendar: WorkingCalendar) -> None:
    assert case["rule"] == "AP-1"
    addressee = ComplaintAddressee(case["addressee"])
    assert complaint_deadline(addressee, instant(case["registered_at"]), calendar) == instant(case["deadline"])
