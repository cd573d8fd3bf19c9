"""The tester's steps around the register of the unemployed, each one HTTP call of a system's documented API:
the portal's certificate (CE-1) and the personal cabinet's documents (docs/documents.md), the local
authority's admin API (docs/local-authority.md), the fund's admin API (docs/admin-apis.md), the monitoring IS
(docs/admin-apis.md) and the centre's register (docs/register.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import httpx

from scenarios.http_steps import HttpSteps

FINISHED = ("Done", "Rejected", "Cancelled")  # the portal's statuses of an application that moves no more


class RegisterSteps(HttpSteps):
    # --- the portal: the certificate (CE-1..CE-4) and the cabinet's documents --------------------------------

    def request_certificate(
        self, headers: dict[str, str], *, phone: str | None = "+77010000000", email: str | None = None
    ) -> dict[str, Any]:
        """``POST :8081/api/certificates``: the Annex 7 application, signed with the citizen's key (202
        ``{applicationId, status, submittedAt}``)."""
        body = {"consentToPersonalData": True, "warnedOfLiability": True, "phone": phone, "email": email}
        answer = self.http.post(
            self.url("portal", "/api/certificates"),
            json={key: value for key, value in body.items() if value is not None},
            headers=headers,
        )
        return dict(answer.raise_for_status().json())

    def cabinet_application(self, headers: dict[str, str], application_id: str) -> dict[str, Any]:
        return dict(self.get_cabinet(headers, f"/api/cabinet/applications/{application_id}"))

    def finished_application(
        self, headers: dict[str, str], application_id: str, timeout: float = 30.0
    ) -> dict[str, Any]:
        """The cabinet's entry of an application once it is Done (or Rejected, Cancelled)."""

        def finished() -> dict[str, Any] | None:
            entry = self.cabinet_application(headers, application_id)
            return entry if entry["status"] in FINISHED else None

        return self.wait_for(f"application {application_id} finished in the cabinet", finished, timeout=timeout)

    def cabinet_documents(self, headers: dict[str, str], kind: str | None = None) -> list[dict[str, Any]]:
        """``GET :8081/api/cabinet/documents``, oldest first (only ``kind`` when given)."""
        documents = list(self.get_cabinet(headers, "/api/cabinet/documents"))
        return [d for d in documents if kind is None or d.get("kind") == kind]

    def cabinet_document(self, headers: dict[str, str], document_id: str) -> dict[str, Any]:
        """One document with ``documentXml``, the signed document exactly as received."""
        return dict(self.get_cabinet(headers, f"/api/cabinet/documents/{document_id}"))

    def cabinet_page(self, headers: dict[str, str], document_id: str) -> str:
        """The document laid out as its annex (``/cabinet/documents/{id}.html``)."""
        answer = self.http.get(self.url("portal", f"/cabinet/documents/{document_id}.html"), headers=headers)
        return answer.raise_for_status().text

    def wait_for_cabinet_document(
        self, headers: dict[str, str], kind: str, *, after: set[str] | None = None, timeout: float = 30.0
    ) -> dict[str, Any]:
        """The first document of ``kind`` in the cabinet not among ``after`` (ids), with its ``documentXml``."""
        seen = after or set()

        def arrived() -> dict[str, Any] | None:
            fresh = [d for d in self.cabinet_documents(headers, kind) if d["documentId"] not in seen]
            return self.cabinet_document(headers, fresh[0]["documentId"]) if fresh else None

        return self.wait_for(f"a {kind!r} document in the cabinet", arrived, timeout=timeout)

    def get_cabinet(self, headers: dict[str, str], path: str) -> Any:
        return self.http.get(self.url("portal", path), headers=headers).raise_for_status().json()

    # --- the local employment authority (:8088) ----------------------------------------------------------------

    def authority_mode(self, mode: str | None = None) -> dict[str, Any]:
        """``GET /admin/mode``, or ``POST`` it (``auto`` | ``manual``) when ``mode`` is given."""
        if mode is None:
            return dict(self.get_json("local_authority", "/admin/mode"))
        answer = self.http.post(self.url("local_authority", "/admin/mode"), json={"mode": mode})
        return dict(answer.raise_for_status().json())

    def authority_cases(
        self, *, status: str | None = None, kind: str | None = None, iin: str | None = None, limit: int = 200
    ) -> list[dict[str, Any]]:
        """``GET /admin/cases`` newest first (``status`` pending|decided, ``kind`` unemployed-registration|
        deregistration); only the person's when ``iin`` is given."""
        cases = self.get_json("local_authority", "/admin/cases", status=status, kind=kind, limit=limit)
        return [case for case in cases if iin is None or case.get("iin") == iin]

    def authority_case(self, case_id: str) -> dict[str, Any]:
        """One case with ``subject``, ``signedBy``, ``documents`` and the head's ``decision``."""
        return dict(self.get_json("local_authority", f"/admin/cases/{case_id}"))

    def approve_case(self, case_id: str) -> httpx.Response:
        """Manual mode: the head signs what the centre sent (409 once decided, 404 unknown)."""
        return self.http.post(self.url("local_authority", f"/admin/cases/{case_id}/approve"))

    def reject_case(self, case_id: str, rule_id: str | None, text: str) -> httpx.Response:
        """Manual mode: the head refuses on a ground of UN-4 (or refuses a removal)."""
        body = {"text": text} | ({"ruleId": rule_id} if rule_id else {})
        return self.http.post(self.url("local_authority", f"/admin/cases/{case_id}/reject"), json=body)

    def run_authority_decisions(self) -> dict[str, Any]:
        """``POST /admin/decisions/run``: decide now what is due (mode auto)."""
        return dict(self.http.post(self.url("local_authority", "/admin/decisions/run")).raise_for_status().json())

    # --- the social insurance fund (:8085) ---------------------------------------------------------------------

    def record_employment(
        self,
        iin: str,
        employer_bin: str,
        employer_name: str,
        start: date,
        *,
        end: date | None = None,
        monthly_income: int = 350_000,
    ) -> dict[str, Any]:
        """``POST /admin/employment``: a labour contract reported to the fund; its months bring contributions,
        each paid on the 25th of the next month."""
        body: dict[str, Any] = {
            "iin": iin,
            "employerBin": employer_bin,
            "employerName": employer_name,
            "start": start.isoformat(),
            "monthlyIncome": monthly_income,
        }
        if end is not None:
            body["end"] = end.isoformat()
        return dict(self.http.post(self.url("social_fund", "/admin/employment"), json=body).raise_for_status().json())

    def fund_unemployed_status(self, iin: str) -> dict[str, Any] | None:
        """``GET /admin/unemployed/{iin}``: what the fund holds of the unemployed status (None: nothing)."""
        answer = self.http.get(self.url("social_fund", f"/admin/unemployed/{iin}"))
        return None if answer.status_code == 404 else dict(answer.raise_for_status().json())

    def run_register_watch(self) -> list[str]:
        """``POST /admin/register-watch``: the fund's DR-1 (1) watch now; the report ids queued."""
        answer = self.http.post(self.url("social_fund", "/admin/register-watch")).raise_for_status()
        return [str(report) for report in answer.json().get("queued", [])]

    # --- the monitoring IS (:8086) -------------------------------------------------------------------------------

    def monitored(self, application_id: str) -> dict[str, Any] | None:
        """``GET /api/applications/{id}``: the record with every stage and deadline (None: not reported)."""
        answer = self.http.get(self.url("monitoring", f"/api/applications/{application_id}"))
        return None if answer.status_code == 404 else dict(answer.raise_for_status().json())

    def monitored_applications(
        self,
        *,
        correlation_id: str | None = None,
        service_type: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 500,
    ) -> list[dict[str, Any]]:
        """``GET /api/applications`` (newest first), every page."""
        params: dict[str, Any] = {
            "correlationId": correlation_id,
            "serviceType": service_type,
            "limit": limit,
            "from": since.isoformat() if since else None,
            "to": until.isoformat() if until else None,
        }
        found: list[dict[str, Any]] = []
        while True:
            query = {key: value for key, value in params.items() if value is not None}
            answer = self.http.get(self.url("monitoring", "/api/applications"), params=query).raise_for_status()
            found.extend(answer.json())
            cursor = answer.headers.get("X-Next-Cursor")
            if not cursor:
                return found
            params["cursor"] = cursor

    def overdue(self, *, at: datetime | None = None, service_type: str | None = None) -> dict[str, Any]:
        """``GET /api/overdue``: unfinished applications past their latest deadline on the shared clock."""
        return dict(
            self.get_json("monitoring", "/api/overdue", at=at.isoformat() if at else None, serviceType=service_type)
        )

    # --- the employment centre's register (:8082, /admin/register) ------------------------------------------------

    def register_entry(self, iin: str) -> dict[str, Any] | None:
        """``GET /admin/register/people/{iin}``: the entry (``entry``: state, since when, category, visits),
        its ``history``, the ``offers`` made and the current ``case``; None when the person is not in it."""
        answer = self.http.get(self.url("employment", f"/admin/register/people/{iin}"))
        return None if answer.status_code == 404 else dict(answer.raise_for_status().json())

    def register_state(self, iin: str) -> str | None:
        """The state of the person's entry (JOB_SEEKER, AWAITING_AUTHORITY, UNEMPLOYED…), None without one."""
        entry = self.register_entry(iin)
        return None if entry is None else str((entry.get("entry") or {}).get("state"))

    def add_vacancy(self, vacancy: dict[str, Any]) -> httpx.Response:
        """``POST /admin/register/vacancies`` (``vacancyId, employerBin, employerName, profession, region,
        salary, workSchedule?``): JS-9 offers it to job seekers in their window."""
        return self.http.post(self.url("employment", "/admin/register/vacancies"), json=vacancy)

    def answer_offer(self, offer_id: str, accepted: bool) -> httpx.Response:
        return self.http.post(
            self.url("employment", f"/admin/register/offers/{offer_id}/answer"), json={"accepted": accepted}
        )

    def report_ground(
        self, iin: str, event_id: str, ground: int, facts: dict[str, str], source: str = "centre"
    ) -> httpx.Response:
        """``POST /admin/register/people/{iin}/grounds``: a DR-1 ground (2)-(7) the centre or a court reports
        (the facts each ground reads: docs/register.md)."""
        body = {"eventId": event_id, "ground": ground, "source": source, "facts": facts}
        return self.http.post(self.url("employment", f"/admin/register/people/{iin}/grounds"), json=body)

    def advance_register(self) -> dict[str, Any]:
        """``POST /admin/register/advance``: the register's time-driven step now (its worker runs it anyway)."""
        return dict(self.http.post(self.url("employment", "/admin/register/advance")).raise_for_status().json())
