"""The register's documents as the centre issues them (``employment.service_layer.ports.RegisterDocuments``),
each signed with the EDS of the centre's director (:class:`RegisterDocumentSigner`).

- UN-1 (Rules No. 259 §31): the draft decision the director approves is the ``unemployedRegistrationPackage``
  of ``contracts.local_authority`` (the person's data, why the documents go, the proposed outcome with the
  UN-4 grounds); signed here once, kept with the case, and sent as it is (one source: the authority receives
  exactly what the director signed).
- UN-3 (§33): Annex 4 (registered) or Annex 5 (refused), naming the authority's decision.
- CE-2 / CE-3 (§43): Annex 8 or the reasoned refusal.
- DR-2 (§45): the notification of removal, naming the authority's decision and the Social Code's bar.

Document numbers are unique per document of the centre (the cabinet keeps one document per issuer and
number): ``{case id}-N`` for a notification, ``CE-{application id}`` for a certificate or its refusal.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from contracts import local_authority as la
from contracts import register_documents as rd
from ecosystem.catalogue import LOCAL_AUTHORITY
from employment.adapters.local_authority import authority_person
from employment.adapters.register_documents import RegisterDocumentSigner
from employment.service_layer.mediation import NO_OFFER
from employment.service_layer.ports import (
    CertificateDocument,
    DeregistrationNotice,
    UnemployedDraft,
    UnemployedNotice,
)
from employment.service_layer.register_records import certificate_number

__all__ = ["SignedRegisterDocuments"]

_GROUND = re.compile(r"\((\d)\)")


def _reason(rule_id: str, text: str) -> rd.Reason:
    """A reason of a document, with the number of its ground when the rule id names one (``UN-4 (2)``)."""
    match = _GROUND.search(rule_id)
    return rd.Reason(rule_id, text, int(match.group(1)) if match else None)


def _decision(decision_id: str | None, decided_on: date, signed_by: str | None = None) -> rd.AuthorityDecision:
    """The local authority's decision a document names (its head signed it, §32, §45), with who signed it as
    the centre verified the signature."""
    return rd.AuthorityDecision(LOCAL_AUTHORITY, decided_on, decision_id, signed_by or None)


class SignedRegisterDocuments:
    def __init__(self, signer: RegisterDocumentSigner) -> None:
        self._signer = signer

    def draft_unemployed_decision(self, draft: UnemployedDraft) -> str:
        decision = draft.draft
        proposal = (
            la.DraftDecision(la.Outcome.REGISTERED)
            if decision.proposes_registration
            else la.DraftDecision(la.Outcome.REFUSED, tuple(la.Reason(r.rule_id, r.text) for r in decision.reasons))
        )
        package = la.UnemployedRegistrationPackage(
            case_id=decision.case_id,
            sent_at=draft.approved_at,
            person=authority_person(draft.person),
            job_seeker_registered_on=draft.registered_as_job_seeker_on,
            sending_ground=la.SendingGround.NO_SUITABLE_WORK
            if draft.trigger == NO_OFFER
            else la.SendingGround.OFFER_REFUSED,
            draft=proposal,
        )
        return self._signer.sign_element(la.write_registration_package(package))

    def unemployed_notice(self, notice: UnemployedNotice) -> str:
        person = rd.Person(notice.iin, notice.full_name)
        decision = _decision(notice.decision_id, notice.decided_on, notice.decision_signed_by)
        document: rd.RegisterDocument
        if notice.registered:
            assert notice.registered_on is not None and notice.certificate_valid_until is not None
            document = rd.UnemployedRegistrationNotice(
                document_number=f"{notice.case_id}-N",
                person=person,
                registered_on=notice.registered_on,
                decision=decision,
                payment_documents=notice.payment_documents,
                centre_name="",
                issued_on=notice.issued_on,
                certificate_valid_until=notice.certificate_valid_until,
                director_name="",
                case_id=notice.case_id,
            )
        else:
            document = rd.UnemployedRegistrationRefusal(
                document_number=f"{notice.case_id}-N",
                person=person,
                reasons=tuple(_reason(rule_id, text) for rule_id, text in notice.reasons),
                decision=decision,
                centre_name="",
                issued_on=notice.issued_on,
                director_name="",
                case_id=notice.case_id,
            )
        return self._signer.sign(document)

    def certificate(self, certificate: CertificateDocument) -> str:
        person = rd.Person(certificate.iin, certificate.full_name)
        number = certificate_number(certificate.application_id)
        document: rd.RegisterDocument
        if certificate.valid_until is not None:
            assert certificate.registered_on is not None
            document = rd.UnemployedCertificate(
                document_number=number,
                application_id=certificate.application_id,
                person=person,
                registered_on=certificate.registered_on,
                decision=_decision(certificate.decision_id, certificate.decided_on or certificate.registered_on),
                centre_name="",
                issued_on=certificate.issued_on,
                valid_until=certificate.valid_until,
                director_name="",
            )
        else:
            document = rd.CertificateRefusal(
                document_number=number,
                application_id=certificate.application_id,
                person=person,
                reasons=tuple(_reason(rule_id, text) for rule_id, text in certificate.reasons),
                centre_name="",
                issued_on=certificate.issued_on,
                director_name="",
            )
        return self._signer.sign(document)

    def deregistration_notice(self, notice: DeregistrationNotice) -> str:
        barred = notice.reregistration_barred_until
        document = rd.DeregistrationNotice(
            document_number=f"{notice.request_id}-N",
            person=rd.Person(notice.iin, notice.full_name),
            deregistered_on=notice.deregistered_on,
            reasons=(_reason(notice.rule_id, notice.finding),),
            decision=_decision(notice.decision_id, notice.deregistered_on, notice.decision_signed_by),
            centre_name="",
            issued_on=notice.issued_on,
            director_name="",
            case_id=notice.request_id,
            re_registration_from=barred + timedelta(days=1) if barred is not None else None,
        )
        return self._signer.sign(document)
