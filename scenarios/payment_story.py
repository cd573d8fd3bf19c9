"""The job-loss payment in one person's life in the register, driven over HTTP on the shared clock: once registered
as unemployed and holding the certificate, the person applies for the social payment for loss of job through one
of the four paths (regulation 004 §1: the portal SP-4..SP-6, the State Corporation SP-2, SP-3, the district
department SP-1, or the employment centre itself with the person's consent, UN-5); the department's roles act
on the clock (8 working days for the executor); the notification signed by the department's head reaches the
applicant (the cabinet, or the operator); after the removal from the register (DR-2) the fund terminates the
payment from the 1st of the next month (Social Code Art. 119) and the notice reaches the applicant too.

:class:`PaymentStory` is :class:`scenarios.unemployed_story.UnemployedStory` with these steps added between the
certificate and the new labour contract, and the termination after the removal."""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from adapters.signed_documents import DocumentRejected, verify_signed_text
from adapters.xml import parse_xml
from contracts import job_loss_payment as jl
from ecosystem.catalogue import official, system
from kernel.months import add_months
from mocks.population import SyntheticPerson
from scenarios.driver import ScenarioDriver
from scenarios.http_steps import StepTimeout
from scenarios.story_step import Reporter, StoryStep
from scenarios.unemployed_story import MINUTE, UnemployedStory, signer_line

FUND_HEAD = official("fund-department-head")
FUND_BIN = system("social_fund").bin
OPERATOR = official("state-corp-operator")
CLERK_EXECUTOR = "Нурланова Айжан Маратовна"  # the executor the head assigns when the tester acts (SP-1 (2))


class PaymentPath(enum.StrEnum):
    PORTAL = "the portal"  # SP-4..SP-6
    STATE_CORPORATION = "the State Corporation"  # SP-2, SP-3
    DEPARTMENT = "the district department"  # SP-1, the tester acting as each role
    EMPLOYMENT_CENTRE = "the employment centre"  # UN-5, with the person's consent


def tenge(amount: Decimal) -> str:
    """``162 450.00 ₸``: groups of thousands, the tiyn after the point."""
    return f"{amount:,.2f}".replace(",", " ") + " ₸"


def decision_lines(decision: jl.PaymentDecision) -> list[str]:
    """The notification as a reader sees it: the outcome with its grounds, or the amounts and the months."""
    if decision.payment is None:
        return [f"{decision.outcome.value}: {g.rule_id} ({g.article}): {g.text}" for g in decision.grounds]
    paid = decision.payment
    counted = paid.counted_participation_months
    lines = [
        f"assigned from {paid.right_arose}: participation {paid.participation_months} months"
        + (
            f" (counted {counted} after earlier payments, Art. 118 p.5)" if counted != paid.participation_months else ""
        ),
        f"AMI {tenge(paid.average_monthly_income)} × IRC {paid.replacement_coefficient} × PLC "
        f"{paid.participation_coefficient} = {tenge(paid.gross)} gross a month; pension contribution "
        f"{tenge(paid.pension_contribution)} withheld; {tenge(paid.net)} net (Social Code Art. 117, 118)",
    ]
    lines += [f"    {m.start} – {m.end}: {tenge(m.gross)} gross, {tenge(m.net)} net" for m in paid.schedule]
    return lines


def first_of_next_month(day: date) -> date:
    return add_months(day.replace(day=1), 1)


class PaymentStory(UnemployedStory):
    """The register's story with the job-loss payment applied for through ``path``."""

    def __init__(
        self,
        driver: ScenarioDriver,
        person: SyntheticPerson,
        job_seeker_application: str,
        path: PaymentPath,
        report: Reporter | None = None,
    ) -> None:
        super().__init__(driver, person, job_seeker_application, report)
        self.path = path
        self.payment_application: str | None = None
        self.decision: jl.PaymentDecision | None = None

    def while_registered(self) -> None:
        self.payment_application = self.apply_for_the_payment()
        self.payment_decided(self.payment_application)

    def after_removal(self) -> None:
        if self.payment_application is not None and self.decision is not None and self.decision.payment:
            self.payment_terminated(self.payment_application)

    # --- the application --------------------------------------------------------------------------------------

    def apply_for_the_payment(self) -> str:
        step = self.begin(f"the job-loss payment applied for through {self.path.value}")
        today = self.driver.now().date()
        if self.path is PaymentPath.PORTAL:
            application_id = self._on_the_portal(step, today)
        elif self.path is PaymentPath.STATE_CORPORATION:
            application_id = self._at_the_state_corporation(step, today)
        elif self.path is PaymentPath.EMPLOYMENT_CENTRE:
            application_id = self._by_the_centre(step, today)
        else:
            application_id = self._at_the_department(step, today)
        try:
            found = self.driver.wait_for(
                f"application {application_id} registered at the fund",
                lambda: self.driver.fund_application(application_id),
            )
        except StepTimeout as exc:
            raise self.broken(step, exc) from exc
        step.lines.append(
            f"the fund registered it as {found['registrationNumber']} ({found['channel']}), the result due by "
            f"{found['deadline']} (SP-1: 20 min + 10 min + 8 working days + 10 min + 20 min)"
        )
        step.expect(found["status"] == "in-progress", f"the application is {found['status']} at once: {found}")
        self.record(step)
        return application_id

    def _on_the_portal(self, step: StoryStep, today: date) -> str:
        self.log_in()
        applied = self.driver.apply_for_payment_on_portal(self.headers, opened_on=today)
        application_id = str(applied["applicationId"])
        step.lines.append(
            f"portal application {application_id}: the form, three electronic copies, the applicant's EDS "
            "(SP-5: valid, not revoked at the NCA, the IIN of the certificate is the applicant's)"
        )
        try:
            shown = self.driver.wait_for(
                "the fund's receipt in the cabinet",
                lambda: _if_registered(self.driver.portal_payment(self.headers, application_id)),
            )
        except StepTimeout as exc:
            raise self.broken(step, exc) from exc
        step.lines.append(f"cabinet: {shown['status']}, No. {shown['registrationNumber']}, due {shown['deadline']}")
        self.applications.append((application_id, "RESULT_ISSUED"))
        return application_id

    def _at_the_state_corporation(self, step: StoryStep, today: date) -> str:
        operator = self.driver.operator_login(OPERATOR.iin)
        looked_up = self.driver.operator_lookup(OPERATOR.iin, self.person.iin)
        person = looked_up.json().get("person") or {}
        certificate = self.certificate
        if certificate is None:
            raise self.broken(step, AssertionError("no certificate of registration as unemployed to attach"))
        body = {
            "applicantIin": self.person.iin,
            "identityDocument": {
                "number": person.get("documentNumber"),
                "issuedOn": person.get("documentIssuedOn"),
                "validUntil": person.get("documentValidUntil"),
            },
            "unemployedCertificate": {
                "number": certificate.document_number,
                "issuedOn": certificate.issued_on.isoformat(),
                "validUntil": certificate.valid_until.isoformat(),
            },
            "bankAccountDocument": {"number": "BA-2026-0003", "issuedOn": today.isoformat()},
            "iban": "KZ86125KZT5004100100",
            "applicantConsent": True,
        }
        case = self.driver.operator_payment_case(operator, body)
        step.lines.append(
            f"operator {OPERATOR.surname}: SP-2 lookup found {person.get('surname')} {person.get('name')}; case "
            f"{case['caseId']} {case['status']}, signed with the operator's EDS, registration No. "
            f"{case.get('registrationNumber')}"
        )
        step.expect(case["status"] == "REGISTERED", f"the case is {case['status']}: {case}")
        self.applications.append((str(case["caseId"]), "RESULT_ISSUED"))
        return str(case["caseId"])

    def _by_the_centre(self, step: StoryStep, today: date) -> str:
        consented = self.driver.give_payment_consent(self.person.iin, opened_on=today)
        step.lines.append(
            f"UN-5: the person consents at the centre; case {consented['caseId']} ({consented['status']})"
        )
        try:
            payment = self.driver.wait_for(
                "the centre's application registered by the fund",
                lambda: _receipt(self.driver.register_entry(self.person.iin)),
            )
        except StepTimeout as exc:
            raise self.broken(step, exc) from exc
        application_id = str(payment["application_id"])
        step.lines.append(
            f"the centre's specialist signed and sent {application_id}; the fund's receipt No. "
            f"{payment['registration_number']} is on the case"
        )
        self.applications.append((application_id, "RESULT_ISSUED"))
        return application_id

    def _at_the_department(self, step: StoryStep, today: date) -> str:
        mode = self.driver.fund_mode("manual")
        application_id = f"DEP-{self.person.iin}-{today:%Y%m%d}"
        certificate = self.certificate
        card = self.person.document  # the clerk copies the identity document the person brought
        documents = [
            {
                "kind": "identity-document",
                "number": card.number,
                "issuedOn": card.issued_on.isoformat(),
                "validUntil": card.valid_until.isoformat(),
                "holderIin": self.person.iin,
            }
        ]
        if certificate is not None:
            documents.append(
                {
                    "kind": "unemployed-certificate",
                    "number": certificate.document_number,
                    "issuedOn": certificate.issued_on.isoformat(),
                    "validUntil": certificate.valid_until.isoformat(),
                    "holderIin": self.person.iin,
                }
            )
        documents.append(
            {
                "kind": "bank-account",
                "number": "BA-2026-0004",
                "issuedOn": today.isoformat(),
                "holderIin": self.person.iin,
            }
        )
        registered = self.driver.register_paper_application(
            {
                "applicationId": application_id,
                "iin": self.person.iin,
                "surname": self.person.surname,
                "name": self.person.name,
                "patronymic": self.person.patronymic,
                "birthDate": self.person.birth_date.isoformat(),
                "sex": "male" if self.person.sex == "M" else "female",
                "documents": documents,
                "bankAccount": "KZ86125KZT5004100100",
                "consent": True,
            }
        )
        step.lines.append(
            f"fund mode {mode['mode']}: the tester acts as each role; the clerk registered the paper application "
            f"{application_id} (SP-1 (1)), the head to assign an executor by {registered['step']['deadline']}"
        )
        self.applications.append((application_id, "RESULT_ISSUED"))
        return application_id

    # --- the decision -----------------------------------------------------------------------------------------

    def payment_decided(self, application_id: str) -> None:
        step = self.begin("SP-1: the department examines, the head signs, the clerk issues the notification")
        if self.path is PaymentPath.DEPARTMENT:
            self._act_as_each_role(step, application_id)
        else:
            found = self.driver.fund_application(application_id) or {}
            now = self.driver.advance_clock_to(datetime.fromisoformat(str(found["deadline"])) + MINUTE)
            step.lines.append(f"clock moved past the deadline to {now:%Y-%m-%d %H:%M %A}; the roles act in mode auto")
        try:
            issued = self.driver.wait_for(
                f"the notification of {application_id} issued",
                lambda: _if_issued(self.driver.fund_application(application_id)),
            )
        except StepTimeout as exc:
            raise self.broken(step, exc) from exc
        decision = self._verified_decision(step, str(issued.get("signedDecision") or ""))
        if decision is not None:
            self.decision = decision
            step.lines.append(
                f"notification {decision.decision_id} of {decision.decided_on}, stage "
                f"{issued['stage']} at {issued['stageAt']} (deadline {issued['deadline']})"
            )
            step.lines += decision_lines(decision)
            step.expect(decision.outcome is jl.Outcome.ASSIGNED, f"not assigned: {decision_lines(decision)}")
            step.expect(
                datetime.fromisoformat(str(issued["stageAt"])) <= datetime.fromisoformat(str(issued["deadline"])),
                "issued after the deadline of the service",
            )
            if decision.payment is not None:
                step.expect(
                    decision.payment.right_arose == self.registered_on,
                    f"the right arose {decision.payment.right_arose}, not on the registration day (PE-1)",
                )
        self._result_reaches_the_applicant(step, application_id)
        self.record(step)

    def _act_as_each_role(self, step: StoryStep, application_id: str) -> None:
        acted = self.driver.department_acts(application_id, "assign", {"executor": CLERK_EXECUTOR})
        examination = acted["step"]
        step.lines.append(f"the head assigned {CLERK_EXECUTOR}; the executor examines by {examination['deadline']}")
        due = datetime.fromisoformat(str(examination["deadline"]))
        now = self.driver.advance_clock_to(due - timedelta(hours=1))
        step.lines.append(f"clock moved 8 working days on to {now:%Y-%m-%d %H:%M %A}; the executor drafts")
        drafted = self.driver.department_acts(application_id, "examine")
        step.lines.append(
            f"drafted: {(drafted.get('decision') or {}).get('outcome')}; the head signs, "
            f"the clerk registers and hands it over"
        )
        self.driver.department_acts(application_id, "sign")
        self.driver.department_acts(application_id, "hand-over")
        self.driver.fund_mode("auto")

    def _verified_decision(self, step: StoryStep, signed: str) -> jl.PaymentDecision | None:
        try:
            verified = verify_signed_text(signed, self.trust, self.driver.now(), signer_bin=FUND_BIN)
        except DocumentRejected as exc:
            step.problems.append(f"the notification does not verify: {exc}")
            return None
        step.lines.append(f"signed by {signer_line(verified.signer)} (verified here)")
        step.expect(verified.signer.iin == FUND_HEAD.iin, "not signed by the department's head")
        return jl.read_decision(verified.signed)

    def _result_reaches_the_applicant(self, step: StoryStep, application_id: str) -> None:
        if self.path is PaymentPath.STATE_CORPORATION:
            operator = self.driver.operator_login(OPERATOR.iin)
            case = self.driver.refresh_payment_case(operator, application_id)
            shown = case.get("decision") or {}
            step.lines.append(
                f"the operator's refresh (GFSS_JobLossPaymentResult): {case['status']}, "
                f"{shown.get('outcomeText') or shown.get('outcome')}"
            )
            step.expect(case["status"] == "DECIDED", f"the operator's case is {case['status']}")
            return
        self.log_in()
        try:
            shown = self.driver.wait_for_cabinet_document(self.headers, jl.DECISION_DOCUMENT_KIND)
        except StepTimeout as exc:
            step.problems.append(str(exc))
            return
        page = self.driver.cabinet_page(self.headers, shown["documentId"])
        step.lines.append(
            f"cabinet: {shown.get('title') or shown.get('kind')} {shown.get('documentNumber')}, "
            f"page {shown.get('htmlUrl')}"
        )
        if self.decision is not None and self.decision.payment is not None:
            gross = tenge(self.decision.payment.gross).removesuffix(" ₸").replace(".", ",")
            shown_text = page.replace("\u00a0", " ")  # the page groups thousands with no-break spaces
            step.expect(gross in shown_text, f"the cabinet's page does not show the gross amount {gross}")

    # --- the termination --------------------------------------------------------------------------------------

    def payment_terminated(self, application_id: str) -> None:
        step = self.begin("Social Code Art. 119: the payment terminated from the 1st of the month after the removal")
        try:
            found = self.driver.wait_for(
                "the fund's notice of termination",
                lambda: _if_noticed(self.driver.fund_application(application_id)),
            )
        except StepTimeout as exc:
            raise self.broken(step, exc) from exc
        # the monitoring IS now shows the payment's last stage: terminated (its application stays finished)
        self.applications = [(a, "PAYMENT_TERMINATED" if a == application_id else f) for a, f in self.applications]
        notice_json = found["notices"][-1]
        notice = jl.read_notice(parse_xml(str(notice_json["signed"])))
        step.lines.append(
            f"notice {notice.notice_id}: {notice.kind.value} from {notice.effective_from}, "
            f"{notice.ground.rule_id} ({notice.ground.article}): {notice.ground.text}"
        )
        step.lines += [f"    {m.start} – {m.end}: {tenge(m.gross)} gross, {tenge(m.net)} net" for m in notice.schedule]
        if self.deregistered_on is not None:
            expected = first_of_next_month(self.deregistered_on)
            step.expect(notice.effective_from == expected, f"terminated from {notice.effective_from}, not {expected}")
        step.expect(all(m.end < notice.effective_from for m in notice.schedule), "a month is paid after the stop")
        if self.path is not PaymentPath.STATE_CORPORATION:
            self.log_in()
            try:
                shown = self.driver.wait_for_cabinet_document(self.headers, jl.NOTICE_DOCUMENT_KIND)
                step.lines.append(f"cabinet: {shown.get('title') or shown.get('kind')} {shown.get('documentNumber')}")
            except StepTimeout as exc:
                step.problems.append(str(exc))
        self.record(step)


def _if_registered(shown: dict[str, Any]) -> dict[str, Any] | None:
    return shown if shown.get("registrationNumber") else None


def _receipt(entry: dict[str, Any] | None) -> dict[str, Any] | None:
    """The UN-5 consent on the person's registration case, once the fund's receipt is on it."""
    payment = ((entry or {}).get("case") or {}).get("payment")
    return payment if payment and payment.get("registration_number") else None


def _if_issued(found: dict[str, Any] | None) -> dict[str, Any] | None:
    return found if found and found.get("status") in ("issued", "refused") and found.get("signedDecision") else None


def _if_noticed(found: dict[str, Any] | None) -> dict[str, Any] | None:
    return found if found and found.get("notices") else None
