"""The tester's steps around the job-loss payment, each one HTTP call of a system's documented API: the portal's
form (docs/channels.md#the-portal), the State Corporation's payment cases (docs/channels.md#the-state-corporation),
the centre's UN-5 consent (docs/register.md) and the fund's district department (docs/social-fund.md)."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

from scenarios.http_steps import HttpSteps

DEMO_IBAN = "KZ86125KZT5004100100"  # the account the payment goes to in the scenarios (a valid KZ IBAN)
SCAN = b"%PDF-1.4\n% a scanned copy of the document, as the applicant attached it\n"


class PaymentSteps(HttpSteps):
    # --- the portal (SP-4..SP-6) -------------------------------------------------------------------------------

    def apply_for_payment_on_portal(
        self, headers: dict[str, str], *, iban: str = DEMO_IBAN, opened_on: date, **changes: Any
    ) -> dict[str, Any]:
        """``POST :8081/api/services/job-loss-payment``: the form with the bank account, an electronic copy of
        each document and the consent; the portal fills in the identity document and the cabinet's certificate,
        checks the certificate the applicant signs with (SP-5) and sends it (202 ``{applicationId, ...}``)."""
        copy = base64.b64encode(SCAN).decode()
        body: dict[str, Any] = {
            "bankAccount": iban,
            "bankAccountDocument": {"number": "BA-2026-0001", "issuedOn": opened_on.isoformat()},
            "copies": [
                {"document": kind, "fileName": f"{kind}.pdf", "contentBase64": copy}
                for kind in ("identity-document", "unemployed-certificate", "bank-account")
            ],
            "consentToPersonalData": True,
        } | changes
        answer = self.http.post(self.url("portal", "/api/services/job-loss-payment"), json=body, headers=headers)
        return dict(answer.raise_for_status().json())

    def portal_payment(self, headers: dict[str, str], application_id: str) -> dict[str, Any]:
        """``GET :8081/api/services/job-loss-payment/{id}``: the application, the fund's receipt and the result."""
        path = f"/api/services/job-loss-payment/{application_id}"
        return dict(self.http.get(self.url("portal", path), headers=headers).raise_for_status().json())

    # --- the State Corporation (SP-2, SP-3) ------------------------------------------------------------------

    def operator_payment_case(self, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        """``POST :8084/api/operator/payment-cases``: the operator's entry, the SP-2 lookup, the signed application
        (201 ``REGISTERED`` with the fund's receipt; 404 ``STOPPED``: data cannot be obtained)."""
        answer = self.http.post(self.url("state_corp", "/api/operator/payment-cases"), json=body, headers=headers)
        if answer.status_code not in (201, 404):
            answer.raise_for_status()
        return dict(answer.json())

    def refresh_payment_case(self, headers: dict[str, str], case_id: str) -> dict[str, Any]:
        """``POST :8084/api/operator/payment-cases/{id}/refresh``: the fund asked where the application stands
        (``GFSS_JobLossPaymentResult``); the signed result is verified and kept on the case."""
        path = f"/api/operator/payment-cases/{case_id}/refresh"
        return dict(self.http.post(self.url("state_corp", path), headers=headers).raise_for_status().json())

    # --- the employment centre (UN-5) ---------------------------------------------------------------------------

    def give_payment_consent(self, iin: str, *, iban: str = DEMO_IBAN, opened_on: date) -> dict[str, Any]:
        """``POST :8082/admin/register/people/{iin}/job-loss-payment-consent``: the person consents that the centre
        send the payment application with this account (sent with the registration as unemployed, or at once)."""
        body = {
            "consent": True,
            "iban": iban,
            "bankAgreementNumber": "BA-2026-0002",
            "bankAccountOpenedOn": opened_on.isoformat(),
        }
        path = f"/admin/register/people/{iin}/job-loss-payment-consent"
        return dict(self.http.post(self.url("employment", path), json=body).raise_for_status().json())

    # --- the fund's district department (SP-1) and its payments ---------------------------------------------

    def fund_mode(self, mode: str | None = None) -> dict[str, Any]:
        """``GET`` or ``POST :8085/admin/mode``: ``auto`` (each role acts when its step falls due) or ``manual``."""
        if mode is None:
            return dict(self.get_json("social_fund", "/admin/mode"))
        answer = self.http.post(self.url("social_fund", "/admin/mode"), json={"mode": mode})
        return dict(answer.raise_for_status().json())

    def register_paper_application(self, body: dict[str, Any]) -> dict[str, Any]:
        """``POST :8085/admin/department/applications``: the clerk registers a paper application (SP-1 (1))."""
        answer = self.http.post(self.url("social_fund", "/admin/department/applications"), json=body)
        return dict(answer.raise_for_status().json())

    def fund_application(self, application_id: str) -> dict[str, Any] | None:
        """``GET :8085/admin/department/applications/{id}``: the step, its deadline, the decision and notices."""
        answer = self.http.get(self.url("social_fund", f"/admin/department/applications/{application_id}"))
        return None if answer.status_code == 404 else dict(answer.raise_for_status().json())

    def fund_applications(self, iin: str) -> list[dict[str, Any]]:
        """The department's applications of one person (``GET /admin/department/applications``), newest first."""
        listed = self.get_json("social_fund", "/admin/department/applications", limit=1000)
        rows = listed.get("applications", listed) if isinstance(listed, dict) else listed
        return [dict(row) for row in rows if row.get("iin") == iin]

    def department_acts(self, application_id: str, action: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """``POST :8085/admin/department/applications/{id}/{action}``: the tester as the role of the step:
        ``assign`` (the head), ``examine`` or ``refuse`` (the executor), ``sign`` (the head), ``hand-over``."""
        path = f"/admin/department/applications/{application_id}/{action}"
        return dict(self.http.post(self.url("social_fund", path), json=body).raise_for_status().json())
