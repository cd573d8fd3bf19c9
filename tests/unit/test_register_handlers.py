"""The register's handlers with fakes: the local authority's decisions (idempotent, refused when they do not
fit), the dispatches (retried, set aside when refused for good), the JS-9 step in a run of workers."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from employment.domain.errors import ConflictingDecision, NotInRegister
from employment.domain.models import Reason
from employment.domain.register import RegisterState
from employment.service_layer.register import (
    AuthorityDecision,
    DecisionKind,
    advance_register,
    record_authority_decision,
)
from tests.register_world import World, instant, run_steps, world_for

APPLIED = [{"apply": {"id": "APP-1", "at": "2026-11-23T10:00"}}, {"advance": "2026-11-24T18:30"}]


def _world() -> World:
    return run_steps(world_for({"person": {"sex": "female"}}), APPLIED)


def _decision(
    world: World, decision_id: str = "MIO-1", kind: DecisionKind = DecisionKind.REGISTERED
) -> AuthorityDecision:
    on = dt.date(2026, 11, 25)
    reasons = (Reason("UN-4 (3)", "pension age"),) if kind is DecisionKind.REFUSED else ()
    return AuthorityDecision(
        decision_id, kind, "UN-APP-1", world.iin, on, on, reasons, "<d/>", "head", world.clock.now()
    )


def test_the_same_decision_twice_is_recorded_once() -> None:
    world = _world()
    first = record_authority_decision(_decision(world), world.services)
    again = record_authority_decision(_decision(world), world.services)
    assert first == again and first.state is RegisterState.UNEMPLOYED
    assert [t.rule_id for t in world.db.transitions] == ["JS-6", "UN-1", "UN-2"]
    assert len(world.documents.issued) == 2  # the draft and one Annex 4: the copy is answered from the store
    assert world.db.cases["UN-APP-1"].notification_document == first.notification_document


def test_a_different_decision_on_a_decided_case_is_refused() -> None:
    world = _world()
    record_authority_decision(_decision(world), world.services)
    with pytest.raises(ConflictingDecision, match="MIO-1"):
        record_authority_decision(_decision(world, "MIO-2", DecisionKind.REFUSED), world.services)
    assert world.entry.state is RegisterState.UNEMPLOYED


def test_a_decision_on_a_case_never_sent_or_of_another_person_is_refused() -> None:
    world = run_steps(world_for({}), APPLIED[:1])
    with pytest.raises(NotInRegister, match="not awaiting"):
        record_authority_decision(_decision(world), world.services)
    with pytest.raises(NotInRegister, match="no case"):
        record_authority_decision(replace(_decision(world), iin="031231500126"), world.services)
    assert world.entry.state is RegisterState.JOB_SEEKER


def test_a_refusal_without_a_ground_is_not_recorded() -> None:
    world = _world()
    with pytest.raises(ConflictingDecision, match="names no ground"):
        record_authority_decision(replace(_decision(world, kind=DecisionKind.REFUSED), reasons=()), world.services)
    assert world.entry.state is RegisterState.AWAITING_AUTHORITY


def test_a_message_refused_for_good_is_set_aside_and_not_sent_again() -> None:
    world = world_for({})
    world.authority.refuse = True
    run_steps(world, APPLIED)
    (dispatch,) = world.db.dispatches.values()
    assert dispatch.set_aside and dispatch.attempts == 1 and "refused" in (dispatch.last_error or "")
    world.authority.refuse = False
    world.clock.set(instant("2026-11-25T10:00"))
    assert advance_register(world.services).dispatched == 0 and world.authority.sends == 1


def test_an_unreachable_system_is_tried_again_at_the_next_step() -> None:
    world = world_for({})
    world.authority.down = True
    run_steps(world, APPLIED)
    assert world.authority.sends == 1 and world.authority.packages == {}
    world.authority.down = False
    world.clock.set(instant("2026-11-25T09:00"))
    summary = advance_register(world.services)
    assert summary.dispatched == 1 and summary.dispatch_failures == 0
    (dispatch,) = world.db.dispatches.values()
    assert dispatch.done_at == instant("2026-11-25T09:00") and dispatch.attempts == 1
    assert world.db.cases["UN-APP-1"].authority_case_id == "MIO-UN-APP-1"


def test_a_second_step_at_the_same_moment_does_nothing_again() -> None:
    world = _world()
    summary = advance_register(world.services)
    assert summary == type(summary)(0, 0, 0, 0, 0, 0, 0)
    assert [t.rule_id for t in world.db.transitions] == ["JS-6", "UN-1"] and len(world.authority.packages) == 1
