"""The job-loss payment (PE-1..PE-6), case by case from job_loss_payment.yaml."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from kernel.months import add_months
from mocks.social_fund.domain.decision import decide
from mocks.social_fund.domain.models import Assignment, Claim, ReceivedContribution, Refusal, RefusalGround

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "job_loss_payment.yaml").read_text(encoding="utf-8")
)
PE_IDS = {f"PE-{n}" for n in range(1, 7)}


def _month(text: str) -> dt.date:
    return dt.date.fromisoformat(f"{text}-01")


def _received(runs: list[dict[str, str]]) -> tuple[ReceivedContribution, ...]:
    items: list[ReceivedContribution] = []
    for run in runs:
        month, last = _month(run["from"]), _month(run["to"])
        while month <= last:
            items.append(ReceivedContribution(month, run.get("payer", "990140000001"), Decimal(run["amount"])))
            month = add_months(month, 1)
    return tuple(items)


def _claim(case: dict[str, Any]) -> Claim:
    return Claim(
        male=case.get("male", True),
        birth_date=case.get("birth_date", dt.date(1985, 6, 15)),
        right_arose=case.get("right_arose", dt.date(2026, 3, 10)),
        applied_on=case.get("applied_on", dt.date(2026, 3, 12)),
        registered_unemployed=case.get("registered_unemployed", True),
        payment_assigned_or_pending=case.get("payment_assigned_or_pending", False),
        months_paid_before=case.get("months_paid_before", 0),
        contributions=_received(case["received"]),
    )


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    assert case["rule"] in PE_IDS and case["article"].startswith("Social Code Art.")
    expect = case["expect"]
    decision = decide(_claim(case))
    if "refused" in expect:
        assert decision == Refusal(tuple(RefusalGround(ground) for ground in expect["refused"]))
        return
    assert isinstance(decision, Assignment), decision
    amount = decision.amount
    assert decision.participation == expect["participation"]
    assert decision.counted_participation == expect.get("counted", expect["participation"])
    if "ami" in expect:
        assert amount.average_monthly_income == Decimal(expect["ami"])
    if "coefficient" in expect:
        assert amount.participation_coefficient == Decimal(expect["coefficient"])
    assert str(amount.gross) == expect["gross"] and str(amount.net) == expect["net"]
    assert amount.gross == amount.net + amount.pension_contribution
    assert len(decision.schedule) == expect["months"]
    assert all(month.gross == amount.gross and month.net == amount.net for month in decision.schedule)
    assert decision.schedule[0].start == _claim(case).right_arose
    if "last_day" in expect:
        assert decision.schedule[-1].end == expect["last_day"]
    assert decision.pension_age_day == expect.get("pension_age_day")


def test_every_pe_rule_decided_here_has_a_case() -> None:
    assert {case["rule"] for case in CASES} == {"PE-2", "PE-3", "PE-4", "PE-6"}
    refused = {ground for case in CASES for ground in case["expect"].get("refused", [])}
    assert refused == {ground.value for ground in RefusalGround}
