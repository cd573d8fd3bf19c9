"""One person's life in the register of the unemployed, driven over HTTP on the shared clock: from a job seeker
whose JS-9 window passes without an offer, through the local authority's decision (UN-1, UN-2), the Annex 4
notification (UN-3), the certificate (CE-1, CE-2), new contributions at the fund (DR-1 (1)), the removal and
its notice (DR-2), to a certificate refused the day after (CE-3).

Every step is reported (:class:`StoryStep`: the clock, what was seen, who signed, what went wrong) as it ends;
the demo prints the steps, the end-to-end tests assert that no step found a problem. The channel the person
applied through is the caller's (the portal, the State Corporation, the centre's office, the rural
assistant): :class:`UnemployedStory` starts from the job-seeker application it made."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from adapters.pki import PkiLayout, TrustStore
from adapters.signed_documents import DocumentRejected, read_signed_register_document, verify_signed_text
from contracts import register_documents as rd
from ecosystem.catalogue import official, system
from mocks.population import SyntheticPerson
from scenarios.driver import ScenarioDriver
from scenarios.http_steps import StepTimeout
from scenarios.story_monitoring import monitoring_step
from scenarios.story_step import Reporter, StoryBroken, StoryStep

DIRECTOR = official("employment-director")
HEAD = official("local-authority-head")
AUTHORITY_BIN = system("local_authority").bin
NEW_EMPLOYER = ("990940000417", "ТОО «Жаңа Жұмыс»")  # the employer of the labour contract the fund records
CERTIFICATE_DAYS = 30  # CE-2 (Rules No. 259 Annex 8): valid 30 calendar days, the day of issue included
MINUTE = timedelta(minutes=1)


def signer_line(subject: Any) -> str:
    return str(subject.describe()) if subject is not None else "nobody"


class UnemployedStory:
    """The common tail of every channel: from job seeker (``job_seeker_application``) to deregistered."""

    def __init__(
        self,
        driver: ScenarioDriver,
        person: SyntheticPerson,
        job_seeker_application: str,
        report: Reporter | None = None,
    ) -> None:
        self.driver = driver
        self.person = person
        self.application_id = job_seeker_application
        self.report = report or (lambda step: None)
        self.steps: list[StoryStep] = []
        self.trust: TrustStore = PkiLayout(driver.settings.data_dir).trust_store()
        self.headers = driver.login(person.iin)
        self.started = driver.now()
        # the monitoring IS's applications of this story, in the order they appear
        self.applications: list[tuple[str, str]] = [
            (job_seeker_application, "RESULT_ISSUED"),
            (f"UN-{job_seeker_application}", "RESULT_ISSUED"),
        ]
        self.registered_on: date | None = None
        self.certificate: rd.UnemployedCertificate | None = None  # the Annex 8 certificate issued (CE-2)
        self.deregistered_on: date | None = None  # the day of removal (DR-2)

    @property
    def problems(self) -> list[str]:
        return [f"{step.title}: {problem}" for step in self.steps for problem in step.problems]

    def record(self, step: StoryStep) -> StoryStep:
        step.at = self.driver.now()
        self.steps.append(step)
        self.report(step)
        return step

    def begin(self, title: str) -> StoryStep:
        return StoryStep(title, self.driver.now())

    def broken(self, step: StoryStep, error: Exception) -> StoryBroken:
        step.problems.append(str(error))
        self.record(step)
        return StoryBroken(f"{step.title}: {error}")

    # --- the tail ----------------------------------------------------------------------------------------------

    def run(self) -> UnemployedStory:
        """Every step after the job-seeker registration, in order (raises :class:`StoryBroken` at a step that
        cannot go on; the problems of the others are in :attr:`problems`)."""
        self.registered()
        self.while_registered()
        self.removed()
        self.record(monitoring_step(self.driver, self.applications))
        return self

    def registered(self) -> None:
        """From the job seeker to the unemployed holding the certificate (JS-9, UN-1..UN-3, CE-1, CE-2)."""
        self.js9_window_passes()
        case_id = self.documents_reach_the_authority()
        self.authority_decides(case_id, "registered", "UN-2: the authority's head signs the registration")
        self.unemployed_notice_in_the_cabinet()
        self.certificate_issued()

    def while_registered(self) -> None:
        """What the person does while registered; the job-loss payment's story adds its application here."""

    def removed(self) -> None:
        """New contributions, the removal and its notice, the certificate refused (DR-1 (1), DR-2, CE-3)."""
        self.new_labour_contract()
        request_id = self.fund_reports_contributions()
        self.authority_decides(request_id, "deregistered", "DR-1 (1): the authority's head signs the removal")
        self.deregistration_notice_in_the_cabinet()
        self.after_removal()
        self.certificate_refused_the_day_after()

    def after_removal(self) -> None:
        """What follows from the removal elsewhere; the job-loss payment's story adds its termination here."""

    def js9_window_passes(self) -> None:
        step = self.begin("JS-9: no suitable vacancy within the offer window")
        case = f"UN-{self.application_id}"
        try:
            record = self.driver.wait_for(
                f"the registration case {case} in the monitoring IS",
                lambda: self._with_stage(self.driver.monitored(case), "JOB_SEEKER"),
            )
        except StepTimeout as exc:
            raise self.broken(step, exc) from exc
        window = datetime.fromisoformat(str(_stage(record, "JOB_SEEKER")["deadline"]))
        step.lines.append(f"registration case {case}: JOB_SEEKER, an offer of suitable work due by {window}")
        self._register_state(step, "JOB_SEEKER")
        now = self.driver.advance_clock_to(window + MINUTE)
        step.lines.append(f"clock moved past the window to {now:%Y-%m-%d %H:%M %A}")
        self.record(step)

    def documents_reach_the_authority(self) -> str:
        step = self.begin("UN-1: the director-signed draft goes to the local authority")
        try:
            listed = self.driver.wait_for(
                "the UN-1 package at the local authority",
                lambda: self.driver.authority_cases(kind="unemployed-registration", iin=self.person.iin),
            )
        except StepTimeout as exc:
            raise self.broken(step, exc) from exc
        case = self.driver.authority_case(listed[0]["caseId"])
        subject = case.get("subject") or {}
        step.lines += [
            f"case {case['caseId']} received {case['receivedAt']}, the head to sign by {case['deadline']} (UN-2)",
            f"draft proposes: {_draft(subject)}; documents signed by {case.get('signedBy')}",
            f"the official decides after {case['decideAfter']} (mode {self.driver.authority_mode()['mode']})",
        ]
        step.expect(DIRECTOR.iin in str(case.get("signedBy")), f"package not signed by the director: {case}")
        step.expect(case["status"] == "pending", f"the case is {case['status']!r} before the clock moved")
        self._register_state(step, "AWAITING_AUTHORITY")
        self.applications.append((str(case["monitoringApplicationId"]), "RESULT_ISSUED"))
        self.record(step)
        return str(case["caseId"])

    def authority_decides(self, case_id: str, outcome: str, title: str) -> dict[str, Any]:
        step = self.begin(title)
        case = self.driver.authority_case(case_id)
        now = self.driver.advance_clock_to(datetime.fromisoformat(str(case["decideAfter"])) + MINUTE)
        step.lines.append(f"clock moved to {now:%Y-%m-%d %H:%M %A}")
        try:
            decided = self.driver.wait_for(
                f"the decision on {case_id} delivered to the centre",
                lambda: _delivered(self.driver.authority_case(case_id)),
            )
        except StepTimeout as exc:
            raise self.broken(step, exc) from exc
        decision = decided["decision"] or {}
        signer = self._decision_signer(step, str(decision.get("document") or ""))
        step.lines += [
            f"decision {decision.get('decisionId')}: {decision.get('outcome')} on {decision.get('decidedOn')}"
            + (f", registered from {decision['registeredOn']}" if decision.get("registeredOn") else ""),
            f"signed by {signer_line(signer)}; delivered to the centre {decided['deliveredAt']}",
        ]
        step.expect(decision.get("outcome") == outcome, f"the authority decided {decision.get('outcome')!r}")
        step.expect(signer is not None and signer.iin == HEAD.iin, "the decision is not signed by the head")
        if decision.get("registeredOn"):
            self.registered_on = date.fromisoformat(str(decision["registeredOn"]))
        self.record(step)
        return decided

    def unemployed_notice_in_the_cabinet(self) -> None:
        step = self.begin("UN-3: the Annex 4 notification in the personal cabinet")
        notice = self._cabinet_document(step, rd.RegisterKind.UNEMPLOYED_REGISTERED)
        if isinstance(notice, rd.UnemployedRegistrationNotice):
            step.lines.append(
                f"{notice.document_number}: registered as unemployed from {notice.registered_on} "
                f"({_decision(notice.decision)}); "
                f"certificate would be valid until {notice.certificate_valid_until}"
            )
            step.lines.append(f"documents for the job-loss payment (UN-5): {'; '.join(notice.payment_documents)}")
            step.expect(notice.registered_on == self.registered_on, "the registration date is not the decision's")
            step.expect(bool(notice.payment_documents), "no documents of the job-loss payment (UN-5)")
        self._register_state(step, "UNEMPLOYED")
        fund = self._fund_status(step, "registered")
        step.lines.append(f"the fund holds: {fund}")
        self.record(step)

    def certificate_issued(self) -> None:
        step = self.begin("CE-1, CE-2: the certificate through the portal (Annex 8)")
        certificate = self._certificate(step, rd.RegisterKind.CERTIFICATE)
        if isinstance(certificate, rd.UnemployedCertificate):
            valid_days = (certificate.valid_until - certificate.issued_on).days + 1
            step.lines.append(
                f"{certificate.document_number} issued {certificate.issued_on}, valid until "
                f"{certificate.valid_until} inclusive ({valid_days} calendar days), registered from "
                f"{certificate.registered_on}"
            )
            step.expect(valid_days == CERTIFICATE_DAYS, f"valid {valid_days} days, not {CERTIFICATE_DAYS}")
            step.expect(certificate.issued_on == self.driver.now().date(), "not issued on the day of the request")
            self.certificate = certificate
        self.record(step)

    def new_labour_contract(self) -> None:
        step = self.begin("a labour contract at the fund; its first month's contributions arrive")
        today = self.driver.now().date()
        start = (today.replace(day=1) + timedelta(days=32)).replace(day=1)  # the first day of the next month
        paid = (start + timedelta(days=32)).replace(day=25)  # the month's contributions: the 25th of the next
        recorded = self.driver.record_employment(self.person.iin, *NEW_EMPLOYER, start)
        step.lines.append(f"contract {recorded['id']} with {NEW_EMPLOYER[1]} from {start}; {start:%B} paid on {paid}")
        now = self.driver.advance_clock_to(datetime.combine(paid + timedelta(days=1), self.started.timetz()))
        step.lines.append(f"clock moved to {now:%Y-%m-%d %H:%M %A}")
        self.record(step)

    def fund_reports_contributions(self) -> str:
        step = self.begin("DR-1 (1): the fund reports contributions after the registration month")
        try:
            reported = self.driver.wait_for(
                "the fund's report of new contributions",
                lambda: (self.driver.fund_unemployed_status(self.person.iin) or {}).get("groundReportId"),
            )
            listed = self.driver.wait_for(
                "the centre's removal request at the local authority",
                lambda: self.driver.authority_cases(kind="deregistration", iin=self.person.iin),
            )
        except StepTimeout as exc:
            raise self.broken(step, exc) from exc
        case = self.driver.authority_case(listed[0]["caseId"])
        subject = case.get("subject") or {}
        step.lines += [
            f"the fund's report {reported} (ENBEK_RegisterEvent) to the centre",
            f"removal request {case['caseId']}: ground {subject.get('ruleId')}, "
            f"facts {subject.get('facts')!r}; signed by {case.get('signedBy')}",
            f"received {case['receivedAt']}, the head to sign by {case['deadline']} (DR-1: 2 working days)",
        ]
        step.expect(DIRECTOR.iin in str(case.get("signedBy")), "the removal request is not signed by the director")
        self._register_state(step, "DEREGISTRATION_PENDING")
        self.applications.append((str(case["caseId"]), "RESULT_ISSUED"))
        self.applications.append((str(case["monitoringApplicationId"]), "RESULT_ISSUED"))
        self.record(step)
        return str(case["caseId"])

    def deregistration_notice_in_the_cabinet(self) -> None:
        step = self.begin("DR-2: the removal notice in the cabinet, the fund told")
        notice = self._cabinet_document(step, rd.RegisterKind.DEREGISTERED)
        if isinstance(notice, rd.DeregistrationNotice):
            grounds = [_ground(reason) for reason in notice.reasons]
            step.lines.append(
                f"{notice.document_number}: removed on {notice.deregistered_on}, grounds {grounds} "
                f"({_decision(notice.decision)})"
            )
            step.expect(grounds == ["DR-1 (1)"], f"the notice gives the grounds {grounds}, not DR-1 (1)")
            self.deregistered_on = notice.deregistered_on
        self._register_state(step, "DEREGISTERED")
        fund = self._fund_status(step, "deregistered")
        step.lines.append(f"the fund holds: {fund}")
        self.record(step)

    def certificate_refused_the_day_after(self) -> None:
        step = self.begin("CE-3: a certificate requested the day after is refused")
        now = self.driver.advance_clock("1d")
        step.lines.append(f"clock moved to {now:%Y-%m-%d %H:%M %A}")
        refusal = self._certificate(step, rd.RegisterKind.CERTIFICATE_REFUSED)
        if isinstance(refusal, rd.CertificateRefusal):
            rules = sorted({reason.rule_id for reason in refusal.reasons})
            step.lines.append(f"{refusal.document_number}: refused, {[r.text for r in refusal.reasons]}")
            step.expect(rules == ["CE-3"], f"the refusal cites {rules}, not exactly CE-3")
        self.record(step)

    # --- helpers -----------------------------------------------------------------------------------------------

    def _with_stage(self, record: dict[str, Any] | None, status: str) -> dict[str, Any] | None:
        return record if record and any(s["newStatus"] == status and s["deadline"] for s in record["stages"]) else None

    def log_in(self) -> None:
        """The person logs into the portal again: a session lasts hours on the shared clock, the story months."""
        self.headers = self.driver.login(self.person.iin)

    def _register_state(self, step: StoryStep, expected: str) -> None:
        """The person's entry in the centre's register is in ``expected`` (waiting a little: workers move it)."""
        try:
            self.driver.wait_for(
                f"the register entry {expected}",
                lambda: self.driver.register_state(self.person.iin) == expected,
                timeout=10.0,
            )
        except StepTimeout:
            step.problems.append(f"the register entry is {self.driver.register_state(self.person.iin)}, not {expected}")
            return
        step.lines.append(f"the centre's register: {expected}")

    def _decision_signer(self, step: StoryStep, text: str) -> Any:
        try:
            return verify_signed_text(text, self.trust, self.driver.now(), signer_bin=AUTHORITY_BIN).signer
        except DocumentRejected as exc:
            step.problems.append(f"the decision's signature does not verify: {exc}")
            return None

    def _cabinet_document(self, step: StoryStep, kind: rd.RegisterKind, seen: set[str] | None = None) -> Any:
        """The newest document of ``kind`` in the cabinet, verified here (signed by the centre's director)."""
        self.log_in()
        try:
            shown = self.driver.wait_for_cabinet_document(self.headers, kind.value, after=seen)
        except StepTimeout as exc:
            raise self.broken(step, exc) from exc
        page = self.driver.cabinet_page(self.headers, shown["documentId"])
        step.expect(self.person.iin in page, "the cabinet's page does not show the person")
        try:
            signed = read_signed_register_document(
                str(shown["documentXml"]), self.trust, self.driver.now(), signer_bin=DIRECTOR.bin
            )
        except DocumentRejected as exc:
            step.problems.append(f"{kind.value} {shown.get('documentNumber')} does not verify: {exc}")
            return None
        step.lines.append(
            f"cabinet: {shown.get('title') or kind.value} {shown.get('documentNumber')}, signed by "
            f"{signer_line(signed.signer)} (verified here and by the portal: {shown.get('signatureVerified')}), "
            f"page {shown.get('htmlUrl')}"
        )
        step.expect(signed.signer.iin == DIRECTOR.iin, "not signed by the centre's director")
        step.expect(signed.document.person.iin == self.person.iin, "addressed to someone else")
        return signed.document

    def _certificate(self, step: StoryStep, expected: rd.RegisterKind) -> Any:
        """Apply for the certificate through the portal and read the answer kept in the cabinet."""
        self.log_in()
        before = {d["documentId"] for d in self.driver.cabinet_documents(self.headers, expected.value)}
        applied = self.driver.request_certificate(self.headers)
        step.lines.append(f"application {applied['applicationId']} (Annex 7, signed by the applicant) sent")
        final = "RESULT_ISSUED" if expected is rd.RegisterKind.CERTIFICATE else "REFUSED"
        self.applications.append((str(applied["applicationId"]), final))
        try:
            entry = self.driver.finished_application(self.headers, str(applied["applicationId"]))
        except StepTimeout as exc:
            raise self.broken(step, exc) from exc
        kind = (entry.get("result") or {}).get("kind")
        step.lines.append(f"cabinet: {entry['status']}, result {kind}")
        step.expect(entry["status"] == "Done", f"the application is {entry['status']!r}: {entry.get('error')}")
        step.expect(kind == expected.value, f"the result is {kind!r}, expected {expected.value!r}")
        return self._cabinet_document(step, expected, before)

    def _fund_status(self, step: StoryStep, status: str) -> dict[str, Any] | None:
        try:
            return self.driver.wait_for(
                f"the fund's status {status!r}",
                lambda: _if((self.driver.fund_unemployed_status(self.person.iin) or {}), status),
            )
        except StepTimeout as exc:
            step.problems.append(str(exc))
            return self.driver.fund_unemployed_status(self.person.iin)


def _ground(reason: rd.Reason) -> str:
    """``DR-1 (1)``: the rule with the number of its ground (written ``DR-1`` + ground 1, or whole)."""
    if reason.ground is None or reason.rule_id.endswith(f"({reason.ground})"):
        return reason.rule_id
    return f"{reason.rule_id} ({reason.ground})"


def _decision(decision: rd.AuthorityDecision) -> str:
    number = f" No. {decision.decision_number}" if decision.decision_number else ""
    signed = f", signed by {decision.signed_by}" if decision.signed_by else ""
    return f"the authority's decision{number} of {decision.decided_on}{signed}"


def _if(fund: dict[str, Any], status: str) -> dict[str, Any] | None:
    return fund if fund.get("status") == status else None


def _stage(record: dict[str, Any], status: str) -> dict[str, Any]:
    return next(s for s in record["stages"] if s["newStatus"] == status and s["deadline"])


def _delivered(case: dict[str, Any]) -> dict[str, Any] | None:
    return case if case.get("status") == "decided" and case.get("deliveredAt") else None


def _draft(subject: dict[str, Any]) -> str:
    """The centre's draft as the authority's admin API shows it: the outcome, the grounds, why it was sent."""
    reasons = [reason.get("ruleId") for reason in subject.get("proposedReasons") or []]
    return f"{subject.get('proposedOutcome')}{f' on {reasons}' if reasons else ''} ({subject.get('sendingGround')})"
