"""The local employment authority as its own process behind the real gateway: the centre's documents get a
receipt, the case survives a kill of the authority (a repeat after the restart gets the same receipt), the
head's decision is stored with its delivery queued, and both stages reach the monitoring IS."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
from lxml import etree

from adapters.pki import PkiLayout
from adapters.shep import Payload
from adapters.signatures import sign_document
from contracts import local_authority as la
from ecosystem.context import system_context
from egov_sim.launcher import Ecosystem
from tests.local_authority import examples


def _wait(read: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def test_a_case_survives_a_crash_and_its_decision_goes_out(ecosystem: Ecosystem) -> None:
    settings = ecosystem.settings
    authority = settings.base_url("local_authority")
    layout = PkiLayout(settings.data_dir)
    case_id = f"UN-{uuid.uuid4().hex[:12]}"
    with system_context(settings, "employment") as centre:
        package = examples.package(case_id, sent_at=centre.now())
        signed = sign_document(
            la.write_registration_package(package), layout.load_credential(layout.official("employment-director"))
        )
        payload = Payload(text=etree.tostring(signed, encoding="unicode"))

        def send() -> la.Receipt:
            reply = centre.sync_client().send(la.UNEMPLOYED_REGISTRATION_SERVICE, payload, correlation_id=case_id)
            return la.read_receipt(reply.payload.document())

        receipt = send()
        ecosystem.kill("local_authority")  # no shutdown hook runs
        ecosystem.restart("local_authority")
        assert send() == receipt
    case = httpx.get(f"{authority}/admin/cases/{case_id}").json()
    assert case["status"] == "pending" and case["deadline"] == receipt.deadline.isoformat()

    assert httpx.post(f"{authority}/admin/mode", json={"mode": "manual"}).json()["mode"] == "manual"
    try:
        approved = httpx.post(f"{authority}/admin/cases/{case_id}/approve").json()
        assert approved["decision"]["outcome"] == "registered"
    finally:
        httpx.post(f"{authority}/admin/mode", json={"mode": "auto"})
    queued = httpx.get(f"{authority}/admin/outbox", params={"topic": "authority-decision"}).json()["messages"]
    assert [m["payload"]["decisionId"] for m in queued if m["payload"]["caseId"] == case_id] == [
        approved["decision"]["decisionId"]
    ]

    # past the lease of a delivery the kill may have cut short (the stage report of the receipt)
    httpx.post(f"{settings.base_url('gateway')}/admin/clock", json={"advance": "3m"})

    def monitored() -> dict[str, Any] | None:
        answer = httpx.get(f"{settings.base_url('monitoring')}/api/applications/MIO-{case_id}")
        return answer.json() if answer.status_code == 200 and len(answer.json()["stages"]) == 2 else None

    record = _wait(monitored)
    assert record is not None, "the monitoring IS did not get both stages"
    assert [stage["newStatus"] for stage in record["stages"]] == ["ACCEPTED", "RESULT_ISSUED"]
    assert record["shepCorrelationId"] == case_id
