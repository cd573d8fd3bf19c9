"""The authority's admin API (a tester as the head, or watching the official decide), under ``/admin``, so the
admin token guards it (ecosystem/admin_guard.py)::

    GET  /admin/mode                          {"mode": "auto"|"manual", "decisionDelay": "PT2H", "configured": ...}
    POST /admin/mode {"mode": "manual"}       switch; kept in the store (a restart keeps it)
    GET  /admin/cases?status=pending&kind=    cases, newest first
    GET  /admin/cases/{caseId}                one case: what arrived, its deadline, the decision and its delivery
    POST /admin/cases/{caseId}/approve        the head signs what the centre sent (409 once decided)
    POST /admin/cases/{caseId}/reject {"ruleId": "UN-4 (2)", "text": "..."}   the head refuses on a ground
    POST /admin/decisions/run                 decide now what is due (mode auto), and say what happened
    GET  /admin/complaints?status=registered  complaints with their deadlines
    GET  /admin/complaints/{complaintId}
    POST /admin/complaints/{complaintId}/answer {"text": "...", "upheld": false}
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from mocks.local_authority.adapters.decision_worker import DecisionWorker
from mocks.local_authority.adapters.records import subject_json
from mocks.local_authority.domain.models import (
    Case,
    CaseKind,
    CaseStatus,
    Complaint,
    ComplaintStatus,
    Decision,
    DecisionMode,
)
from mocks.local_authority.service_layer.ports import InvalidGround, NotPending, UnknownCase
from mocks.local_authority.service_layer.services import AuthorityServices


class ModeChange(BaseModel):
    mode: DecisionMode


class Rejection(BaseModel):
    ruleId: str | None = Field(
        default=None, max_length=16, description="UN-4 (n) for registration; the case's DR-1 (n) for deregistration"
    )
    text: str = Field(min_length=1, max_length=4000, description="the ground in words")


class ComplaintAnswer(BaseModel):
    text: str = Field(min_length=1, max_length=8000)
    upheld: bool = Field(description="whether the complaint is satisfied")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _duration(delay: timedelta) -> str:
    """ISO 8601: P1DT2H30M, PT2H, PT0S."""
    seconds = int(delay.total_seconds())
    days, seconds = divmod(seconds, 86_400)
    hours, seconds = divmod(seconds, 3_600)
    minutes, seconds = divmod(seconds, 60)
    time = "".join(f"{value}{unit}" for value, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if value)
    return f"P{f'{days}D' if days else ''}{f'T{time}' if time else ''}" if days or time else "PT0S"


def decision_json(decision: Decision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    return {
        "decisionId": decision.decision_id,
        "outcome": decision.outcome.value,
        "reasons": [{"ruleId": reason.rule_id, "text": reason.text} for reason in decision.reasons],
        "decidedAt": decision.decided_at.isoformat(),
        "decidedOn": decision.decided_on.isoformat(),
        "registeredOn": decision.registered_on.isoformat() if decision.registered_on else None,
        "decidedBy": decision.decided_by.value,
        "document": decision.document,
    }


def case_json(case: Case, *, full: bool = False) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "caseId": case.case_id,
        "kind": case.kind.value,
        "status": case.status.value,
        "iin": case.iin,
        "fullName": case.full_name,
        "receivedAt": case.received_at.isoformat(),
        "deadline": case.deadline.isoformat(),
        "decideAfter": case.decide_after.isoformat(),
        "correlationId": case.correlation_id,
        "monitoringApplicationId": case.application_id,
        "outcome": case.decision.outcome.value if case.decision else None,
        "decidedAt": _iso(case.decision.decided_at) if case.decision else None,
        "deliveredAt": _iso(case.delivered_at),
        "attempts": case.attempts,
        "lastError": case.last_error,
    }
    if full:
        shown |= {
            "senderId": case.sender_id,
            "signedBy": case.signed_by,
            "subject": subject_json(case.subject),
            "decision": decision_json(case.decision),
            "documents": case.document,
        }
    return shown


def complaint_json(complaint: Complaint) -> dict[str, Any]:
    return {
        "complaintId": complaint.complaint_id,
        "status": complaint.status.value,
        "addressee": complaint.addressee.value,
        "complainantIin": complaint.complainant_iin,
        "complainantName": complaint.complainant_name,
        "subject": complaint.subject,
        "text": complaint.text,
        "contestedApplicationId": complaint.contested_application_id,
        "receivedAt": complaint.received_at.isoformat(),
        "deadline": complaint.deadline.isoformat(),
        "monitoringApplicationId": complaint.application_id,
        "signedBy": complaint.signed_by,
        "answer": complaint.answer,
        "upheld": complaint.upheld,
        "answeredAt": _iso(complaint.answered_at),
    }


def _translate(call: Callable[[], Any]) -> Any:
    """Service-layer refusals as HTTP answers: 404 unknown, 409 decided already, 422 a ground not allowed."""
    try:
        return call()
    except UnknownCase as exc:
        raise HTTPException(404, str(exc)) from exc
    except NotPending as exc:
        raise HTTPException(409, str(exc)) from exc
    except InvalidGround as exc:
        raise HTTPException(422, str(exc)) from exc


def admin_router(services: AuthorityServices, worker: DecisionWorker) -> APIRouter:
    router = APIRouter(prefix="/admin", tags=["local authority"])
    store = services.store

    def mode_json() -> dict[str, Any]:
        return {
            "mode": services.mode().value,
            "configured": services.configured_mode.value,
            "decisionDelay": _duration(services.decision_delay),
        }

    @router.get("/mode")
    def mode() -> dict[str, Any]:
        return mode_json()

    @router.post("/mode")
    def change_mode(change: ModeChange) -> dict[str, Any]:
        services.set_mode(change.mode)
        worker.wake()
        return mode_json()

    @router.get("/cases")
    def cases(
        status: CaseStatus | None = None,
        kind: CaseKind | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        return [case_json(case) for case in store.cases(status, kind, limit)]

    @router.get("/cases/{case_id}")
    def case(case_id: str) -> dict[str, Any]:
        found = store.case(case_id)
        if found is None:
            raise HTTPException(404, f"no case {case_id}")
        return case_json(found, full=True)

    @router.post("/cases/{case_id}/approve")
    def approve(case_id: str) -> dict[str, Any]:
        decision = _translate(lambda: services.approve(case_id))
        return {"caseId": case_id, "decision": decision_json(decision)}

    @router.post("/cases/{case_id}/reject")
    def reject(case_id: str, rejection: Rejection) -> dict[str, Any]:
        decision = _translate(lambda: services.reject(case_id, rejection.ruleId, rejection.text))
        return {"caseId": case_id, "decision": decision_json(decision)}

    @router.post("/decisions/run")
    def run() -> dict[str, Any]:
        return worker.run_once().as_json() | {"mode": services.mode().value}

    @router.get("/complaints")
    def complaints(
        status: ComplaintStatus | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100
    ) -> list[dict[str, Any]]:
        return [complaint_json(complaint) for complaint in store.complaints(status, limit)]

    @router.get("/complaints/{complaint_id}")
    def complaint(complaint_id: str) -> dict[str, Any]:
        found = store.complaint(complaint_id)
        if found is None:
            raise HTTPException(404, f"no complaint {complaint_id}")
        return complaint_json(found)

    @router.post("/complaints/{complaint_id}/answer")
    def answer(complaint_id: str, body: ComplaintAnswer) -> dict[str, Any]:
        answered = _translate(lambda: services.answer_complaint(complaint_id, body.text, body.upheld))
        return complaint_json(answered)

    return router
