"""Drive a case through the running ecosystem over HTTP, as an integration tester would, and collect
every hop from the gateway's journal and the monitoring IS."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from ecosystem.settings import Settings
from mocks.population import SyntheticPerson
from scenarios.clock_steps import ClockSteps
from scenarios.payment_steps import PaymentSteps
from scenarios.register_steps import RegisterSteps

DEMO_PASSWORD = "egov-demo-2026"
OPERATOR_PASSWORD = "gk-operator-2026"  # every State Corporation operator's demo password
DEAD_LETTER = "DEAD"  # the outbox state of a delivery the portal gave up on (its admin API shows it)


@dataclass
class CaseOutcome:
    title: str
    iin: str
    application_id: str
    status: str
    result_kind: str | None
    document_xml: str | None
    signed_by: dict[str, Any] | None
    error: dict[str, Any] | None
    hops: list[dict[str, Any]] = field(default_factory=list)
    stages: list[dict[str, Any]] = field(default_factory=list)
    applicant_signature: str | None = None
    notice: str | None = None  # the cabinet's notice of a delayed or failed delivery, while "In progress"
    delivery_state: str | None = None  # the portal's outbox state of the delivery (PENDING, DELIVERED, DEAD)
    correlation_id: str | None = None  # the chain in the gateway's journal (the AsyncChannel's, or the application id)
    notices: list[str] = field(default_factory=list)  # what the cabinet was told on the way ("request accepted"…)
    registered_address: str | None = None  # JS-11: the address the portal showed and the applicant agreed to
    centre: str | None = None  # JS-11: the centre chosen by it


class ScenarioDriver(ClockSteps, RegisterSteps, PaymentSteps):
    """The tester's hands: registration through the portal and the State Corporation (here), the clock
    (:class:`ClockSteps`), the certificate, the cabinet, the authority, the fund, the monitoring IS and the
    centre's register (:class:`RegisterSteps`), the job-loss payment (:class:`PaymentSteps`)."""

    def __init__(self, settings: Settings, timeout: float = 30.0) -> None:
        self.settings = settings
        # The admin token (when the ecosystem has one) goes with every call: only /admin/* routes read it.
        # Idle connections are dropped after 2 s, before the systems' servers close theirs (uvicorn: 5 s): a
        # request sent on a connection the server is closing at that moment fails with "connection reset".
        self.http = httpx.Client(
            timeout=timeout, headers=settings.admin_headers(), limits=httpx.Limits(keepalive_expiry=2.0)
        )

    def register_job_seeker(
        self, title: str, person: SyntheticPerson, *, with_representative: bool = False
    ) -> CaseOutcome:
        headers = self.login(person.iin)
        form: dict[str, Any] = {
            "surname": person.surname,
            "name": person.name,
            "patronymic": person.patronymic,
            "birthDate": person.birth_date.isoformat(),
            "mobilePhone": "+77010000000",
            "wantedProfession": "operator",
            "consentToPersonalData": True,
        }
        if with_representative:
            form["legalRepresentative"] = {
                "iin": "880115300126",
                "fullName": "Legal Representative",
                "statement": "I agree to the registration of my child.",
            }
        prepared = self.prepare_job_seeker_application(form, headers)
        application_id = prepared["applicationId"]
        # JS-11: the applicant agrees that the centre is chosen by the registered address shown
        self.http.post(self.url("portal", prepared["confirmUrl"]), headers=headers).raise_for_status()
        cabinet, delivery_state = self._wait_done(application_id, headers)
        result = cabinet.get("result") or {}
        outcome = CaseOutcome(
            title=title,
            iin=person.iin,
            application_id=application_id,
            status=cabinet["status"],
            result_kind=result.get("kind"),
            document_xml=result.get("documentXml"),
            signed_by=result.get("signedBy"),
            error=cabinet.get("error"),
            notice=cabinet.get("notice"),
            delivery_state=delivery_state,
            registered_address=prepared.get("registeredAddress"),
            centre=prepared.get("centre"),
        )
        portal_view = self.portal_application(application_id)
        outcome.correlation_id = str(portal_view.get("correlationId") or application_id)
        outcome.notices = [str(event.get("text")) for event in portal_view.get("events") or []]
        outcome.hops = self.hops(outcome.correlation_id)
        # A delivery that never reached the centre has no stages to wait for.
        outcome.stages = self.stages(application_id, wait=0.0 if outcome.status == "In progress" else 10.0)
        answer = self.http.get(self.url("employment", f"/admin/applications/{application_id}"))
        if answer.status_code == 200:
            outcome.applicant_signature = answer.json().get("applicant_signature")
        return outcome

    def login(self, iin: str) -> dict[str, str]:
        """The authorisation header of a citizen logged into the portal with the demo password."""
        token = (
            self.http.post(self.url("portal", "/api/auth/login"), json={"iin": iin, "password": DEMO_PASSWORD})
            .raise_for_status()
            .json()["token"]
        )
        return {"Authorization": f"Bearer {token}"}

    def prepare_job_seeker_application(self, form: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        """JS-11, first step: the portal checks the form and shows the registered address the person registry
        holds (``registeredAddress``, ``question``) with the URLs to confirm or cancel."""
        answer = self.http.post(
            self.url("portal", "/api/services/job-seeker-registration/address-check"), json=form, headers=headers
        )
        return dict(answer.raise_for_status().json())

    def _wait_done(
        self, application_id: str, headers: dict[str, str], timeout: float = 60.0
    ) -> tuple[dict[str, Any], str | None]:
        """The cabinet entry once the application is finished, or as soon as the cabinet's notice says the
        delivery could not be made (a dead letter: nothing more happens until staff act), or at the timeout;
        with the state of the portal's delivery when a notice was shown."""
        deadline = time.monotonic() + timeout
        while True:
            cabinet = dict(
                self.http.get(self.url("portal", f"/api/cabinet/applications/{application_id}"), headers=headers)
                .raise_for_status()
                .json()
            )
            if cabinet["status"] != "In progress":
                return cabinet, None
            state = self.delivery_state(application_id) if cabinet.get("notice") else None
            if state == DEAD_LETTER or time.monotonic() > deadline:
                return cabinet, state
            self.http.post(self.url("portal", "/admin/outbox/run"))
            time.sleep(0.2)

    def portal_application(self, application_id: str) -> dict[str, Any]:
        """The portal's admin view of an application: its AsyncChannel chain (correlationId) and events."""
        answer = self.http.get(self.url("portal", f"/admin/applications/{application_id}"))
        return dict(answer.json()) if answer.status_code == 200 else {}

    def delivery_state(self, application_id: str) -> str | None:
        """The state of the portal's outbox message of one application (None if the portal does not say)."""
        answer = self.http.get(self.url("portal", f"/admin/applications/{application_id}"))
        if answer.status_code != 200:
            return None
        delivery = answer.json().get("delivery") or {}
        state = delivery.get("state")
        return str(state) if state else None

    def hops(self, correlation_id: str) -> list[dict[str, Any]]:
        """Every journal entry of one case, oldest first (the journal lists newest first, a page at a time)."""
        entries: list[dict[str, Any]] = []
        params: dict[str, str | int] = {"correlationId": correlation_id, "limit": 500}
        while True:
            page = self.http.get(self.url("gateway", "/admin/journal"), params=params).raise_for_status().json()
            entries.extend(page)
            if len(page) < 500:
                return entries[::-1]
            params["before"] = page[-1]["seq"]

    def stages(self, application_id: str, wait: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + wait
        while True:
            answer = self.http.get(self.url("monitoring", f"/api/applications/{application_id}"))
            stages = list(answer.json().get("stages", [])) if answer.status_code == 200 else []
            if len(stages) >= 4 or time.monotonic() > deadline:
                return stages
            time.sleep(0.2)

    def operator_login(self, operator_iin: str, password: str = OPERATOR_PASSWORD) -> dict[str, str]:
        """Log a State Corporation operator in (regulation 004 §7 process 1): the headers of their session."""
        answer = self.http.post(
            self.url("state_corp", "/api/operator/login"), json={"iin": operator_iin, "password": password}
        )
        return {"Authorization": f"Bearer {answer.raise_for_status().json()['token']}"}

    def operator_lookup(self, operator_iin: str, applicant_iin: str) -> httpx.Response:
        return self.http.post(
            self.url("state_corp", "/api/operator/person-lookup"),
            json={"applicantIin": applicant_iin},
            headers=self.operator_login(operator_iin),
        )

    def operator_registration(
        self, operator_iin: str, applicant_iin: str, form: dict[str, Any] | None = None, *, consent: bool = True
    ) -> httpx.Response:
        """JS-12: the operator registers the applicant as a job seeker (the case comes back, with the result)."""
        return self.http.post(
            self.url("state_corp", "/api/operator/registrations"),
            json={"applicantIin": applicant_iin, "applicantConsent": consent, "form": form or {}},
            headers=self.operator_login(operator_iin),
        )

    def close(self) -> None:
        self.http.close()
