"""The terms of the State Corporation and rural channels (JS-12, JS-13) and of complaints (AP-1), case by case
from channels.yaml and complaints.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from employment.domain.calendar import WorkingCalendar
from employment.domain.rules.channels import (
    rural_centre_registers_by,
    rural_documents_due,
    state_corporation_deadline,
    state_corporation_receipt,
)
from employment.domain.rules.complaints import ComplaintAddressee, complaint_deadline
from tests.register_world import instant

HERE = Path(__file__).parent
CHANNELS = yaml.safe_load((HERE / "channels.yaml").read_text(encoding="utf-8"))
COMPLAINTS = yaml.safe_load((HERE / "complaints.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


@pytest.mark.parametrize("case", CHANNELS, ids=[c["name"] for c in CHANNELS])
def test_channel_case(case: dict[str, Any], calendar: WorkingCalendar) -> None:
    kind = case["kind"]
    if kind == "state-corporation":
        assert case["rule"] == "JS-12"
        assert state_corporation_receipt(instant(case["made_at"]), calendar) == instant(case["received"])
        assert state_corporation_deadline(instant(case["made_at"]), calendar) == instant(case["deadline"])
    elif kind == "rural-documents":
        assert case["rule"] == "JS-13"
        assert rural_documents_due(case["confirmed_on"], calendar) == instant(case["deadline"])
    elif kind == "rural-registration":
        assert case["rule"] == "JS-13"
        assert rural_centre_registers_by(instant(case["received_at"]), calendar) == instant(case["deadline"])
    else:
        pytest.fail(f"unknown kind {kind!r}")


@pytest.mark.parametrize("case", COMPLAINTS, ids=[c["name"] for c in COMPLAINTS])
def test_complaint_case(case: dict[str, Any], calendar: WorkingCalendar) -> None:
    assert case["rule"] == "AP-1"
    addressee = ComplaintAddressee(case["addressee"])
    assert complaint_deadline(addressee, instant(case["registered_at"]), calendar) == instant(case["deadline"])
