"""The register's state machine (employment/domain/register.py): the transitions the law allows, each by its
rule, and nothing else."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from employment.domain.errors import IllegalTransition
from employment.domain.register import TRANSITIONS, RegisterEntry, RegisterState, move, open_entry
from kernel.clock import almaty

AT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=almaty())
S = RegisterState


def _entry(state: RegisterState) -> RegisterEntry:
    return RegisterEntry("920314403019", state, "UN-APP-1", dt.date(2026, 11, 23))


def test_the_table_is_the_documented_machine() -> None:
    assert {(t.source, t.target, t.rule_id) for t in TRANSITIONS} == {
        (None, S.JOB_SEEKER, "JS-6"),
        (S.REFUSED_UNEMPLOYED, S.JOB_SEEKER, "JS-7"),
        (S.DEREGISTERED, S.JOB_SEEKER, "JS-7"),
        (S.JOB_SEEKER, S.OFFERED, "JS-9"),
        (S.OFFERED, S.JOB_SEEKER, "LM-5"),
        (S.JOB_SEEKER, S.AWAITING_AUTHORITY, "UN-1"),
        (S.AWAITING_AUTHORITY, S.UNEMPLOYED, "UN-2"),
        (S.AWAITING_AUTHORITY, S.REFUSED_UNEMPLOYED, "UN-2"),
        (S.UNEMPLOYED, S.DEREGISTRATION_PENDING, "DR-1"),
        (S.DEREGISTRATION_PENDING, S.DEREGISTERED, "DR-2"),
        (S.DEREGISTRATION_PENDING, S.UNEMPLOYED, "DR-1"),
    }


@pytest.mark.parametrize("transition", [t for t in TRANSITIONS if t.source is not None], ids=lambda t: t.meaning)
def test_each_allowed_transition_moves_and_records_its_rule(transition: object) -> None:
    from employment.domain.register import Transition

    assert isinstance(transition, Transition) and transition.source is not None
    moved, record = move(_entry(transition.source), transition.target, at=AT, rule_id=transition.rule_id, reason="r")
    assert moved.state is transition.target
    assert (record.source, record.target, record.rule_id, record.at, record.application_id) == (
        transition.source,
        transition.target,
        transition.rule_id,
        AT,
        "UN-APP-1",
    )


ALLOWED = {(t.source, t.target) for t in TRANSITIONS}
FORBIDDEN = [(a, b) for a, b in itertools.product(S, S) if (a, b) not in ALLOWED]


@pytest.mark.parametrize(("source", "target"), FORBIDDEN, ids=[f"{a.value}->{b.value}" for a, b in FORBIDDEN])
def test_every_other_change_of_state_is_illegal(source: RegisterState, target: RegisterState) -> None:
    for rule_id in {t.rule_id for t in TRANSITIONS}:
        with pytest.raises(IllegalTransition, match=f"from {source.value} to {target.value}"):
            move(_entry(source), target, at=AT, rule_id=rule_id, reason="r")


def test_an_allowed_change_by_the_wrong_rule_is_illegal() -> None:
    with pytest.raises(IllegalTransition, match="allowed by: UN-2"):
        move(_entry(S.AWAITING_AUTHORITY), S.UNEMPLOYED, at=AT, rule_id="UN-1", reason="r")


def test_a_ground_of_a_rule_names_the_rule_and_the_entry_keeps_one_person() -> None:
    moved, record = move(
        _entry(S.UNEMPLOYED),
        S.DEREGISTRATION_PENDING,
        at=AT,
        rule_id="DR-1 (4)",
        reason="r",
        application_id="centre/C-1",
    )
    assert record.rule_id == "DR-1 (4)" and record.application_id == "centre/C-1" and moved.case_id == "UN-APP-1"
    assert moved.iin == "920314403019"


def test_the_entry_opens_only_as_a_job_seeker() -> None:
    entry, record = open_entry("920314403019", "UN-APP-1", dt.date(2026, 11, 23), AT, "short-term")
    assert entry.state is S.JOB_SEEKER and record.source is None and record.rule_id == "JS-6"


def test_registered_as_unemployed_until_removed() -> None:
    assert {s for s in S if s.registered_as_unemployed} == {S.UNEMPLOYED, S.DEREGISTRATION_PENDING}
