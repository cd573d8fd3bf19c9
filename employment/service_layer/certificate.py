"""CE-1..CE-4: the certificate of registration as unemployed, on the applicant-signed Annex 7 application
that the portal sends (``ENBEK_UnemployedCertificate``).

One transaction per application: the decision (issued with its last day of validity, or refused on CE-3),
the director-signed document (Annex 8 or the reasoned refusal) and the stage reports (``ACCEPTED``, then
``RESULT_ISSUED`` or ``REFUSED``, with the 1-day term as deadline). The answer goes back to the portal, which
keeps it in the personal cabinet (CE-4, §43). Idempotent by application id: a copy of the same application,
even two at once, answers the stored document. A removal recorded while the certificate was being signed
makes the decision again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from employment.domain.models import Stage, StageReport
from employment.domain.rules.certificate import CERTIFICATE_SERVICE, decide_certificate, require_signed_by_applicant
from employment.domain.rules.register_terms import certificate_due
from employment.service_layer.ports import CertificateDocument
from employment.service_layer.register_filing import ATTEMPTS, RegisterServices, report_stage
from employment.service_layer.register_records import CertificateRecord
from employment.service_layer.register_repositories import RecordAlreadyStored, RegisterEntryChanged

__all__ = ["RequestCertificate", "issue_certificate"]


@dataclass(frozen=True)
class RequestCertificate:
    """The Annex 7 application whose applicant signature the entrypoint verified (CE-1)."""

    application_id: str
    iin: str
    full_name: str
    signer_iin: str | None
    signer_description: str
    received_at: datetime
    correlation_id: str | None = None


def issue_certificate(command: RequestCertificate, services: RegisterServices) -> CertificateRecord:
    """CE-1..CE-4 for one application (free of charge: nothing is asked of the applicant but the signed
    application). Raises :class:`SignerIsNotApplicant` when the application is not signed by the applicant
    (Annex 7; nothing is stored)."""
    require_signed_by_applicant(command.signer_iin, command.iin)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _decide_once(command, services)
        except RegisterEntryChanged:
            if attempt == ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _decide_once(command: RequestCertificate, services: RegisterServices) -> CertificateRecord:
    with services.uow() as uow:
        stored = uow.certificates.get(command.application_id)
        entry = uow.register.entry_for_update(command.iin)
        case = uow.cases.get(entry.case_id) if entry is not None and entry.case_id else None
    if stored is not None:
        return stored
    calendar = services.calendar
    deadline = certificate_due(command.received_at, calendar)
    on = calendar.effective_receipt(command.received_at).date()
    decision = decide_certificate(entry, on, calendar)
    document = services.documents.certificate(
        CertificateDocument(
            application_id=command.application_id,
            iin=command.iin,
            full_name=command.full_name,
            issued_on=decision.issued_on,
            registered_on=decision.registered_on,
            valid_until=decision.valid_until,
            reasons=tuple((r.rule_id, r.text) for r in decision.reasons),
            # Annex 8 names the authority's decision that registered the person
            decision_id=case.decision_id if case is not None and decision.valid_until is not None else None,
            decided_on=case.decided_on if case is not None and decision.valid_until is not None else None,
        )
    )
    record = CertificateRecord(
        application_id=command.application_id,
        iin=command.iin,
        correlation_id=command.correlation_id,
        received_at=command.received_at,
        deadline=deadline,
        issued_on=decision.issued_on,
        registered_on=decision.registered_on,
        valid_until=decision.valid_until,
        reasons=decision.reasons,
        document=document,
        applicant_signature=command.signer_description,
    )
    now = services.now()
    refusal = decision.reasons[0] if decision.reasons else None
    accepted = StageReport(
        command.application_id,
        CERTIFICATE_SERVICE,
        Stage.ACCEPTED,
        now,
        deadline,
        None,
        command.correlation_id,
        None,
        "CE-1",
    )
    final = StageReport(
        command.application_id,
        CERTIFICATE_SERVICE,
        Stage.RESULT_ISSUED if refusal is None else Stage.REFUSED,
        now,
        deadline,
        refusal is None,
        command.correlation_id,
        refusal.text if refusal else None,
        refusal.rule_id if refusal else "CE-2",
    )
    try:
        with services.uow() as uow:
            current = uow.register.entry_for_update(command.iin)
            if (current.version if current else None) != (entry.version if entry else None):
                raise RegisterEntryChanged(command.iin)
            uow.certificates.add(record)
            report_stage(uow, accepted)
            report_stage(uow, final)
    except RecordAlreadyStored:
        with services.uow() as uow:
            winner = uow.certificates.get(command.application_id)
        if winner is None:  # the other copy's transaction cannot have vanished after taking the id
            raise
        return winner
    return record
