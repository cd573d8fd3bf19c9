"""The decision signed with the EDS of the authority's head (Rules No. 259 §32, §45): the ``authorityDecision``
of :mod:`contracts.local_authority`, an enveloped XML-DSig as its last child, serialised as sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from lxml import etree

from adapters.pki import Credential
from adapters.signatures import sign_document
from contracts import local_authority as contract
from ecosystem.catalogue import OfficialIdentity
from mocks.local_authority.domain.models import Case, Outcome, Reason


class HeadSignedDecisions:
    def __init__(self, head: OfficialIdentity, credential: Credential) -> None:
        self._head = head
        self._credential = credential

    def sign(
        self,
        case: Case,
        decision_id: str,
        outcome: Outcome,
        reasons: Sequence[Reason],
        decided_on: date,
        registered_on: date | None,
    ) -> str:
        head = self._head
        decision = contract.AuthorityDecision(
            decision_id=decision_id,
            case_id=case.case_id,
            kind=contract.CaseKind(case.kind.value),
            outcome=contract.Outcome(outcome.value),
            person_iin=case.iin,
            person_full_name=case.full_name,
            reasons=tuple(contract.Reason(reason.rule_id, reason.text) for reason in reasons),
            decided_on=decided_on,
            registered_on=registered_on,
            authority_name=head.organisation,
            signer_name=" ".join((head.surname, head.given_name, head.patronymic)),
            signer_position=head.title,
        )
        signed = sign_document(contract.write_decision(decision), self._credential)
        return etree.tostring(signed, encoding="unicode")
