"""Result documents of job-seeker registration, signed with the EDS of the centre's director (JS-10).

Rules Annex 3 (notification of registration), Annex 2 (notification of refusal to register) and the
reasoned refusal to accept the application (standard item 9), written by :mod:`contracts.result_documents`.
"""

from __future__ import annotations

from datetime import date

from lxml import etree

from adapters.pki import Credential
from adapters.signatures import sign_document
from contracts.result_documents import Reason as DocumentReason
from contracts.result_documents import ResultDocument, ResultKind, write_result_document
from ecosystem.catalogue import OfficialIdentity
from employment.domain.models import AcceptanceDecision, Applicant, Reason, RegistrationDecision

# Document numbers by kind: the centre's own numbering.
_NUMBER_PREFIX = {ResultKind.REGISTERED: "JS-N", ResultKind.REFUSED: "JS-R", ResultKind.NOT_ACCEPTED: "JS-NA"}


class SignedResultDocuments:
    def __init__(self, director: OfficialIdentity, credential: Credential) -> None:
        self._director = director
        self._credential = credential

    def issue(self, application_id: str, applicant: Applicant, decision: RegistrationDecision) -> str:
        if decision.registered:
            return self._signed(
                ResultKind.REGISTERED, application_id, applicant, decision.decided_on, registered_on=decision.decided_on
            )
        return self._signed(ResultKind.REFUSED, application_id, applicant, decision.decided_on, decision.reasons)

    def issue_not_accepted(self, application_id: str, applicant: Applicant, refusal: AcceptanceDecision) -> str:
        """The reasoned refusal to accept the application (standard item 9; regulation 000 §5 condition 1)."""
        return self._signed(ResultKind.NOT_ACCEPTED, application_id, applicant, refusal.checked_on, refusal.reasons)

    def _signed(
        self,
        kind: ResultKind,
        application_id: str,
        applicant: Applicant,
        issued_on: date,
        reasons: tuple[Reason, ...] = (),
        registered_on: date | None = None,
    ) -> str:
        director = self._director
        document = ResultDocument(
            kind=kind,
            document_number=f"{_NUMBER_PREFIX[kind]}-{application_id}",
            application_id=application_id,
            person_iin=applicant.iin,
            person_full_name=applicant.full_name,
            centre_name=director.organisation,
            issued_on=issued_on,
            director_name=" ".join((director.surname, director.given_name, director.patronymic)),
            registered_on=registered_on,
            reasons=tuple(DocumentReason(reason.rule_id, reason.text) for reason in reasons),
        )
        return etree.tostring(sign_document(write_result_document(document), self._credential), encoding="unicode")
