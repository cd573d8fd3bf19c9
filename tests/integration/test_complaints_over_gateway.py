"""AP-1 through the portal and the real gateway: a citizen's complaint, signed with their key, is registered by
the local employment authority (MIO_Complaint) with the term of its consideration as its deadline: 5 working
days at the authority, 15 at the quality-assessment body (Rules No. 259 §46-47)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

import httpx
import pytest

from ecosystem.settings import Settings
from kernel.working_calendar import WorkingCalendar
from mocks.population import PERSONA_DISMISSED
from mocks.portal.auth import DEMO_PASSWORD

if TYPE_CHECKING:
    from tests.integration.conftest import ServedSystems


@pytest.fixture(scope="module")
def settings(served: ServedSystems) -> Settings:
    served.start("gateway", "person_registry", "portal", "local_authority", "monitoring", "nca")
    return served.settings


@pytest.fixture(scope="module")
def headers(settings: Settings) -> dict[str, str]:
    login = httpx.post(
        f"{settings.base_url('portal')}/api/auth/login", json={"iin": PERSONA_DISMISSED, "password": DEMO_PASSWORD}
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['token']}"}


def complain(settings: Settings, headers: dict[str, str], addressee: str, complaint_id: str) -> httpx.Response:
    return httpx.post(
        f"{settings.base_url('portal')}/api/complaints",
        headers=headers,
        json={
            "addressee": addressee,
            "subject": "Срок оказания услуги",
            "text": "Уведомление о регистрации не поступило в срок.",
            "complaintId": complaint_id,
        },
        timeout=30,
    )


@pytest.mark.parametrize(("addressee", "working_days"), [("local-authority", 5), ("quality-assessment", 15)])
def test_a_complaint_is_registered_with_its_term(
    settings: Settings, headers: dict[str, str], addressee: str, working_days: int
) -> None:
    complaint_id = f"AP-{uuid.uuid4().hex[:12]}"
    answer = complain(settings, headers, addressee, complaint_id)
    assert answer.status_code == 201, answer.text
    receipt = answer.json()
    assert (receipt["complaintId"], receipt["ruleId"], receipt["addressee"]) == (complaint_id, "AP-1", addressee)
    registered = datetime.fromisoformat(receipt["registeredAt"])
    deadline = datetime.fromisoformat(receipt["deadline"])
    calendar = WorkingCalendar()
    assert deadline == calendar.deadline(registered, working_days)

    again = complain(settings, headers, addressee, complaint_id)
    assert again.status_code == 201 and again.json()["deadline"] == receipt["deadline"]  # registered once


def test_a_complaint_without_login_is_refused(settings: Settings) -> None:
    answer = httpx.post(
        f"{settings.base_url('portal')}/api/complaints",
        json={"addressee": "local-authority", "subject": "x", "text": "y"},
    )
    assert answer.status_code == 401
