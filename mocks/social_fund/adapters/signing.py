"""The notifications and notices signed with the EDS of the department's authorised person (the official
``fund-department-head``, regulation 004 §5 (4)): ``paymentDecision`` and ``paymentNotice`` of
:mod:`contracts.job_loss_payment`, an enveloped XML-DSig as the last child, serialised as sent."""

from __future__ import annotations

from lxml import etree

from adapters.pki import Credential
from adapters.signatures import sign_document
from contracts import job_loss_payment as contract
from contracts.job_loss_payment_model import Issuer, PaymentDecision, PaymentNotice
from ecosystem.catalogue import OfficialIdentity


class HeadSigner:
    def __init__(self, head: OfficialIdentity, credential: Credential) -> None:
        self._credential = credential
        self._issuer = Issuer(
            bin=head.bin,
            name=head.organisation,
            signer_name=" ".join(part for part in (head.surname, head.given_name, head.patronymic) if part),
            signer_position=head.title,
        )

    @property
    def issuer(self) -> Issuer:
        return self._issuer

    def sign_decision(self, decision: PaymentDecision) -> str:
        return etree.tostring(sign_document(contract.write_decision(decision), self._credential), encoding="unicode")

    def sign_notice(self, notice: PaymentNotice) -> str:
        return etree.tostring(sign_document(contract.write_notice(notice), self._credential), encoding="unicode")
