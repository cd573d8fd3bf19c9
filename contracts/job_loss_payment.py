"""The job-loss payment's payloads: the application, its receipt, the decision, notices and the status query.

Schema ``wsdl/xsd/job-loss-payment.xsd``; namespace ``urn:kz:egov-sim:gfss:job-loss-payment:v1`` on the root
elements, children unqualified (regulation 004; Social Code Arts. 113-119; rule ids of docs/rules.md):

- ``paymentApplication`` (:class:`PaymentApplication`), service ``GFSS_JobLossPayment``: portal, State
  Corporation or employment centre to the fund's regional workstation, signed (enveloped ``ds:Signature``);
  answered by ``applicationReceipt`` (:class:`ApplicationReceipt`).
- ``paymentDecision`` (:class:`PaymentDecision`) and ``paymentNotice`` (:class:`PaymentNotice`): signed by the
  department's authorised person; they reach the cabinet (``EGOV_CabinetDocument``) or the status answer.
- ``applicationStatusQuery`` / ``applicationStatus`` (:class:`StatusQuery`, :class:`ApplicationStatus`), service
  ``GFSS_JobLossPaymentResult``.

The values are in :mod:`contracts.job_loss_payment_model` and re-exported here. Writers take the dataclass and
return the unsigned root element; readers take a root element (a ``ds:Signature`` child is not looked at) and
raise :class:`JobLossPaymentPayloadError`. What the schema cannot say is checked here: offsets on instants, money
to the tiyn, a decision that is assigned exactly when it states a payment, the schedule inside the payment.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from contracts.job_loss_payment_model import (
    Applicant,
    ApplicationReceipt,
    ApplicationStatus,
    AssignedPayment,
    AttachedDocument,
    Channel,
    DocumentKind,
    Ground,
    Issuer,
    JobLossPaymentPayloadError,
    NoticeKind,
    Outcome,
    PaymentApplication,
    PaymentDecision,
    PaymentNotice,
    Representative,
    ScheduledMonth,
    Sex,
    Stage,
    StatusQuery,
)
from contracts.schemas import schema_errors
from contracts.xml_fields import Fields, instant
from contracts.xml_text import add_text

SCHEMA = "xsd/job-loss-payment.xsd"
JOB_LOSS_NS = "urn:kz:egov-sim:gfss:job-loss-payment:v1"
APPLICATION_SERVICE = "GFSS_JobLossPayment"
RESULT_SERVICE = "GFSS_JobLossPaymentResult"
SERVICE_TYPE = "JOB_LOSS_PAYMENT"  # the service code in the monitoring IS
DECISION_DOCUMENT_KIND = "job-loss-payment-decision"  # kinds of the documents delivered to the cabinet
NOTICE_DOCUMENT_KIND = "job-loss-payment-notice"

APPLICATION_TAG = f"{{{JOB_LOSS_NS}}}paymentApplication"
RECEIPT_TAG = f"{{{JOB_LOSS_NS}}}applicationReceipt"
DECISION_TAG = f"{{{JOB_LOSS_NS}}}paymentDecision"
NOTICE_TAG = f"{{{JOB_LOSS_NS}}}paymentNotice"
QUERY_TAG = f"{{{JOB_LOSS_NS}}}applicationStatusQuery"
STATUS_TAG = f"{{{JOB_LOSS_NS}}}applicationStatus"
_TIYN = Decimal("0.01")

__all__ = [
    "APPLICATION_SERVICE",
    "APPLICATION_TAG",
    "DECISION_DOCUMENT_KIND",
    "DECISION_TAG",
    "JOB_LOSS_NS",
    "NOTICE_DOCUMENT_KIND",
    "NOTICE_TAG",
    "QUERY_TAG",
    "RECEIPT_TAG",
    "RESULT_SERVICE",
    "SCHEMA",
    "SERVICE_TYPE",
    "STATUS_TAG",
    "Applicant",
    "ApplicationReceipt",
    "ApplicationStatus",
    "AssignedPayment",
    "AttachedDocument",
    "Channel",
    "DocumentKind",
    "Ground",
    "Issuer",
    "JobLossPaymentPayloadError",
    "NoticeKind",
    "Outcome",
    "PaymentApplication",
    "PaymentDecision",
    "PaymentNotice",
    "Representative",
    "ScheduledMonth",
    "Sex",
    "Stage",
    "StatusQuery",
    "check_against_schema",
    "check_decision",
    "read_application",
    "read_decision",
    "read_notice",
    "read_receipt",
    "read_status",
    "read_status_query",
    "write_application",
    "write_decision",
    "write_notice",
    "write_receipt",
    "write_status",
    "write_status_query",
]

_F = Fields(JobLossPaymentPayloadError)


def check_against_schema(element: etree._Element) -> None:
    """Raise :class:`JobLossPaymentPayloadError` with every reason the element does not follow the XSD."""
    errors = schema_errors(element, SCHEMA)
    if errors:
        raise JobLossPaymentPayloadError("; ".join(errors[:5]))


def check_decision(decision: PaymentDecision) -> None:
    """A decision states a payment exactly when assigned, and grounds exactly when refused (Art. 115)."""
    assigned = decision.outcome is Outcome.ASSIGNED
    if assigned != (decision.payment is not None):
        raise JobLossPaymentPayloadError("a decision states the payment exactly when the outcome is assigned")
    if assigned == bool(decision.grounds):
        raise JobLossPaymentPayloadError("a refusal states its grounds, and an assignment states none")


# ---- writing -------------------------------------------------------------------------------------


def _root(tag: str) -> etree._Element:
    return etree.Element(tag, nsmap={"jl": JOB_LOSS_NS})


def _money(value: Decimal) -> str:
    if value != value.quantize(_TIYN):
        raise ValueError(f"{value} is not an amount to the tiyn")
    return f"{value:.2f}"


def _add_ground(parent: etree._Element, tag: str, ground: Ground) -> None:
    holder = etree.SubElement(parent, tag)
    add_text(holder, "ruleId", ground.rule_id)
    add_text(holder, "article", ground.article)
    add_text(holder, "text", ground.text)


def _add_issuer(parent: etree._Element, issuer: Issuer) -> None:
    holder = etree.SubElement(parent, "issuer")
    add_text(holder, "bin", issuer.bin)
    add_text(holder, "name", issuer.name)
    add_text(holder, "signerName", issuer.signer_name)
    add_text(holder, "signerPosition", issuer.signer_position)


def _add_schedule(parent: etree._Element, schedule: tuple[ScheduledMonth, ...]) -> None:
    holder = etree.SubElement(parent, "schedule")
    for month in schedule:
        item = etree.SubElement(holder, "month")
        add_text(item, "start", month.start.isoformat())
        add_text(item, "end", month.end.isoformat())
        add_text(item, "gross", _money(month.gross))
        add_text(item, "net", _money(month.net))


def write_application(application: PaymentApplication) -> etree._Element:
    """``paymentApplication``, unsigned (the applicant, operator or specialist signs it: ``sign_document``)."""
    root = _root(APPLICATION_TAG)
    add_text(root, "applicationId", application.application_id)
    add_text(root, "submittedAt", instant(application.submitted_at))
    add_text(root, "channel", application.channel.value)
    person = etree.SubElement(root, "applicant")
    applicant = application.applicant
    add_text(person, "iin", applicant.iin)
    add_text(person, "surname", applicant.surname)
    add_text(person, "name", applicant.name)
    add_text(person, "patronymic", applicant.patronymic)
    add_text(person, "birthDate", applicant.birth_date.isoformat())
    add_text(person, "sex", applicant.sex.value)
    if application.representative is not None:
        holder = etree.SubElement(root, "representative")
        add_text(holder, "iin", application.representative.iin)
        add_text(holder, "fullName", application.representative.full_name)
        add_text(holder, "powerOfAttorneyNumber", application.representative.power_of_attorney_number)
    documents = etree.SubElement(root, "documents")
    for document in application.documents:
        item = etree.SubElement(documents, "document")
        add_text(item, "kind", document.kind.value)
        add_text(item, "number", document.number)
        add_text(item, "issuedOn", document.issued_on.isoformat())
        add_text(item, "validUntil", document.valid_until.isoformat() if document.valid_until else None)
        add_text(item, "holderIin", document.holder_iin)
        add_text(item, "copySha256", document.copy_sha256)
    add_text(root, "bankAccount", application.bank_account)
    add_text(root, "consent", "true" if application.consent else "false")
    return root


def write_receipt(receipt: ApplicationReceipt) -> etree._Element:
    root = _root(RECEIPT_TAG)
    add_text(root, "applicationId", receipt.application_id)
    add_text(root, "registrationNumber", receipt.registration_number)
    add_text(root, "registeredAt", instant(receipt.registered_at))
    add_text(root, "deadline", instant(receipt.deadline))
    add_text(root, "alreadyRegistered", "true" if receipt.already_registered else "false")
    return root


def write_decision(decision: PaymentDecision) -> etree._Element:
    """``paymentDecision``, unsigned (the department's authorised person signs it)."""
    check_decision(decision)
    root = _root(DECISION_TAG)
    add_text(root, "decisionId", decision.decision_id)
    add_text(root, "applicationId", decision.application_id)
    add_text(root, "registrationNumber", decision.registration_number)
    add_text(root, "decidedOn", decision.decided_on.isoformat())
    add_text(root, "outcome", decision.outcome.value)
    add_text(root, "applicantIin", decision.applicant_iin)
    add_text(root, "applicantName", decision.applicant_name)
    _add_issuer(root, decision.issuer)
    if decision.grounds:
        holder = etree.SubElement(root, "grounds")
        for ground in decision.grounds:
            _add_ground(holder, "ground", ground)
    payment = decision.payment
    if payment is not None:
        holder = etree.SubElement(root, "payment")
        add_text(holder, "rightArose", payment.right_arose.isoformat())
        add_text(holder, "participationMonths", str(payment.participation_months))
        add_text(holder, "countedParticipationMonths", str(payment.counted_participation_months))
        add_text(holder, "averageMonthlyIncome", str(payment.average_monthly_income))
        add_text(holder, "replacementCoefficient", str(payment.replacement_coefficient))
        add_text(holder, "participationCoefficient", str(payment.participation_coefficient))
        add_text(holder, "gross", _money(payment.gross))
        add_text(holder, "pensionContribution", _money(payment.pension_contribution))
        add_text(holder, "net", _money(payment.net))
        _add_schedule(holder, payment.schedule)
        add_text(holder, "pensionAgeDay", payment.pension_age_day.isoformat() if payment.pension_age_day else None)
    return root


def write_notice(notice: PaymentNotice) -> etree._Element:
    """``paymentNotice``, unsigned (the department's authorised person signs it)."""
    root = _root(NOTICE_TAG)
    add_text(root, "noticeId", notice.notice_id)
    add_text(root, "decisionId", notice.decision_id)
    add_text(root, "applicantIin", notice.applicant_iin)
    add_text(root, "kind", notice.kind.value)
    _add_ground(root, "ground", notice.ground)
    add_text(root, "effectiveFrom", notice.effective_from.isoformat())
    add_text(root, "issuedOn", notice.issued_on.isoformat())
    _add_issuer(root, notice.issuer)
    _add_schedule(root, notice.schedule)
    return root


def write_status_query(query: StatusQuery) -> etree._Element:
    root = _root(QUERY_TAG)
    add_text(root, "applicationId", query.application_id)
    return root


def write_status(status: ApplicationStatus) -> etree._Element:
    root = _root(STATUS_TAG)
    add_text(root, "applicationId", status.application_id)
    add_text(root, "found", "true" if status.found else "false")
    add_text(root, "stage", status.stage.value if status.stage else None)
    add_text(root, "stageAt", instant(status.stage_at) if status.stage_at else None)
    add_text(root, "deadline", instant(status.deadline) if status.deadline else None)
    add_text(root, "signedDecision", status.signed_decision)
    if status.signed_notices:
        holder = etree.SubElement(root, "signedNotices")
        for text in status.signed_notices:
            add_text(holder, "signedNotice", text)
    return root


# ---- reading -------------------------------------------------------------------------------------


def _ground(element: etree._Element) -> Ground:
    return Ground(_F.text(element, "ruleId"), _F.text(element, "article"), _F.text(element, "text"))


def _issuer(parent: etree._Element) -> Issuer:
    holder = _F.child(parent, "issuer")
    return Issuer(
        bin=_F.text(holder, "bin"),
        name=_F.text(holder, "name"),
        signer_name=_F.text(holder, "signerName"),
        signer_position=_F.text(holder, "signerPosition"),
    )


def _money_of(parent: etree._Element, path: str) -> Decimal:
    value = _F.decimal(parent, path)
    if value < 0 or value != value.quantize(_TIYN):
        raise JobLossPaymentPayloadError(f"{path} is not an amount to the tiyn: {value}")
    return value


def _schedule(parent: etree._Element) -> tuple[ScheduledMonth, ...]:
    holder = _F.child(parent, "schedule")
    months = tuple(
        ScheduledMonth(_F.date(item, "start"), _F.date(item, "end"), _money_of(item, "gross"), _money_of(item, "net"))
        for item in holder.findall("month")
    )
    for month in months:
        if month.end < month.start:
            raise JobLossPaymentPayloadError(f"a scheduled month ends ({month.end}) before it starts ({month.start})")
    return months


def read_application(element: etree._Element) -> PaymentApplication:
    _F.expect(element, APPLICATION_TAG)
    person = _F.child(element, "applicant")
    representative = element.find("representative")
    return PaymentApplication(
        application_id=_F.text(element, "applicationId"),
        submitted_at=_F.moment(element, "submittedAt"),
        channel=_F.choice(Channel, element, "channel"),
        applicant=Applicant(
            iin=_F.text(person, "iin"),
            surname=_F.text(person, "surname"),
            name=_F.text(person, "name"),
            patronymic=_F.optional(person, "patronymic"),
            birth_date=_F.date(person, "birthDate"),
            sex=_F.choice(Sex, person, "sex"),
        ),
        documents=tuple(
            AttachedDocument(
                kind=_F.choice(DocumentKind, item, "kind"),
                number=_F.text(item, "number"),
                issued_on=_F.date(item, "issuedOn"),
                valid_until=_F.optional_date(item, "validUntil"),
                holder_iin=_F.text(item, "holderIin"),
                copy_sha256=_F.optional(item, "copySha256"),
            )
            for item in element.findall("documents/document")
        ),
        bank_account=_F.text(element, "bankAccount"),
        consent=_F.boolean(element, "consent"),
        representative=None
        if representative is None
        else Representative(
            _F.text(representative, "iin"),
            _F.text(representative, "fullName"),
            _F.text(representative, "powerOfAttorneyNumber"),
        ),
    )


def read_receipt(element: etree._Element) -> ApplicationReceipt:
    _F.expect(element, RECEIPT_TAG)
    return ApplicationReceipt(
        application_id=_F.text(element, "applicationId"),
        registration_number=_F.text(element, "registrationNumber"),
        registered_at=_F.moment(element, "registeredAt"),
        deadline=_F.moment(element, "deadline"),
        already_registered=_F.boolean(element, "alreadyRegistered"),
    )


def read_decision(element: etree._Element) -> PaymentDecision:
    _F.expect(element, DECISION_TAG)
    holder = element.find("payment")
    payment = None
    if holder is not None:
        payment = AssignedPayment(
            right_arose=_F.date(holder, "rightArose"),
            participation_months=_F.integer(holder, "participationMonths"),
            counted_participation_months=_F.integer(holder, "countedParticipationMonths"),
            average_monthly_income=_F.decimal(holder, "averageMonthlyIncome"),
            replacement_coefficient=_F.decimal(holder, "replacementCoefficient"),
            participation_coefficient=_F.decimal(holder, "participationCoefficient"),
            gross=_money_of(holder, "gross"),
            pension_contribution=_money_of(holder, "pensionContribution"),
            net=_money_of(holder, "net"),
            schedule=_schedule(holder),
            pension_age_day=_F.optional_date(holder, "pensionAgeDay"),
        )
    decision = PaymentDecision(
        decision_id=_F.text(element, "decisionId"),
        application_id=_F.text(element, "applicationId"),
        registration_number=_F.text(element, "registrationNumber"),
        decided_on=_F.date(element, "decidedOn"),
        outcome=_F.choice(Outcome, element, "outcome"),
        applicant_iin=_F.text(element, "applicantIin"),
        applicant_name=_F.text(element, "applicantName"),
        issuer=_issuer(element),
        grounds=tuple(_ground(item) for item in element.findall("grounds/ground")),
        payment=payment,
    )
    check_decision(decision)
    return decision


def read_notice(element: etree._Element) -> PaymentNotice:
    _F.expect(element, NOTICE_TAG)
    return PaymentNotice(
        notice_id=_F.text(element, "noticeId"),
        decision_id=_F.text(element, "decisionId"),
        applicant_iin=_F.text(element, "applicantIin"),
        kind=_F.choice(NoticeKind, element, "kind"),
        ground=_ground(_F.child(element, "ground")),
        effective_from=_F.date(element, "effectiveFrom"),
        issued_on=_F.date(element, "issuedOn"),
        issuer=_issuer(element),
        schedule=_schedule(element),
    )


def read_status_query(element: etree._Element) -> StatusQuery:
    _F.expect(element, QUERY_TAG)
    return StatusQuery(_F.text(element, "applicationId"))


def read_status(element: etree._Element) -> ApplicationStatus:
    _F.expect(element, STATUS_TAG)
    stage = _F.optional(element, "stage")
    return ApplicationStatus(
        application_id=_F.text(element, "applicationId"),
        found=_F.boolean(element, "found"),
        stage=_F.choice(Stage, element, "stage") if stage else None,
        stage_at=_F.optional_moment(element, "stageAt"),
        deadline=_F.optional_moment(element, "deadline"),
        signed_decision=_F.optional(element, "signedDecision"),
        signed_notices=tuple(item.text for item in element.findall("signedNotices/signedNotice") if item.text),
    )
