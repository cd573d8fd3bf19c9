"""Dated legal parameters: exactly one value in force on every day of each range, each with a source."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kernel.parameters import (
    Band,
    BandScale,
    DatedValue,
    Parameter,
    ParameterNotInForce,
    UnknownParameter,
    all_parameters,
    decimal_on,
    int_on,
    parameter,
    scale_on,
)

LAST_DAY_CHECKED = date(2035, 12, 31)


@pytest.mark.parametrize("item", all_parameters(), ids=lambda item: item.name)
def test_every_day_of_the_range_has_exactly_one_value_with_a_source(item: Parameter[object]) -> None:
    assert item.gaps_and_overlaps() == []
    last = item.end or LAST_DAY_CHECKED
    day = item.start
    while day <= last:
        in_force = [entry for entry in item.values if entry.covers(day) and _not_replaced(item, entry, day)]
        assert len(in_force) == 1, (item.name, day, in_force)
        assert in_force[0].source.strip()
        assert item.entry_on(day) is in_force[0]
        day += timedelta(days=1)
    with pytest.raises(ParameterNotInForce, match=item.name):
        item.on(item.start - timedelta(days=1))


def _not_replaced(item: Parameter[object], entry: DatedValue[object], day: date) -> bool:
    later = [other for other in item.values if other.since > entry.since]
    return not later or day < later[0].since


def test_the_check_finds_a_gap_an_overlap_and_a_missing_source() -> None:
    broken = Parameter(
        "broken",
        "a table with mistakes",
        "tenge",
        (
            DatedValue(date(2024, 1, 1), 1, "law A", date(2024, 6, 29)),
            DatedValue(date(2024, 7, 1), 2, " ", date(2024, 12, 31)),
            DatedValue(date(2024, 12, 1), 3, "law C"),
        ),
    )
    problems = broken.gaps_and_overlaps()
    assert any("gap" in p and "2024-06-29" in p for p in problems)
    assert any("overlap" in p and "2024-12-01" in p for p in problems)
    assert any("no source" in p for p in problems)


def test_a_closed_range_ends() -> None:
    closed = Parameter("closed", "ends", "x", (DatedValue(date(2024, 1, 1), 1, "law", date(2024, 12, 31)),))
    assert closed.on(date(2024, 12, 31)) == 1
    with pytest.raises(ParameterNotInForce, match="2025-01-01"):
        closed.on(date(2025, 1, 1))


def test_the_value_in_force_on_the_day_applies() -> None:
    assert decimal_on("minimum_wage", date(2023, 12, 31)) == Decimal(70_000)
    assert decimal_on("minimum_wage", date(2026, 11, 23)) == Decimal(85_000)
    assert decimal_on("social_contribution.rate", date(2024, 12, 31)) == Decimal("0.035")
    assert decimal_on("social_contribution.rate", date(2025, 1, 1)) == Decimal("0.05")
    assert decimal_on("pension_age.women", date(2027, 12, 31)) == Decimal(61)
    assert decimal_on("pension_age.women", date(2028, 1, 1)) == Decimal("61.5")
    assert decimal_on("pension_age.women", date(2031, 1, 1)) == Decimal(63)
    assert decimal_on("pension_age.men", date(2026, 1, 1)) == Decimal(63)
    assert int_on("job_seeker.minimum_age", date(2026, 11, 23)) == 16
    assert int_on("job_seeker_registration.term_working_days", date(2026, 11, 23)) == 1
    assert parameter("minimum_wage").entry_on(date(2026, 1, 1)).source.startswith("Law on the republican budget")


@pytest.mark.parametrize(
    ("months", "coefficient", "duration"),
    [
        (5, None, None),
        (6, "0.70", 1),
        (11, "0.70", 1),
        (12, "0.75", 2),
        (24, "0.85", 3),
        (36, "0.90", 4),
        (48, "0.95", 5),
        (60, "1.00", 6),
        (71, "1.00", 6),
        (72, "1.02", 6),
        (84, "1.04", 6),
        (300, "1.30", 6),
    ],
)
def test_job_loss_scales(months: int, coefficient: str | None, duration: int | None) -> None:
    day = date(2026, 11, 23)
    found = scale_on("job_loss.participation_coefficient", day).at(months)
    assert found == (Decimal(coefficient) if coefficient else None)
    length = scale_on("job_loss.duration_months", day).at(months)
    assert length == (Decimal(duration) if duration else None)


def test_bands_must_increase() -> None:
    with pytest.raises(ValueError, match="increasing"):
        BandScale((Band(12, Decimal(1)), Band(6, Decimal(2))))


def test_unknown_names_and_wrong_types_say_so() -> None:
    with pytest.raises(UnknownParameter, match="minimum_wage"):
        parameter("minimum_wages")
    with pytest.raises(TypeError, match="BandScale"):
        int_on("job_loss.duration_months", date(2026, 1, 1))
