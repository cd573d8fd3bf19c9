"""Fakes of the fund's ports for its service-layer tests: the centre's register (SP-7), the population data, the
contributions received, and a signer that writes the documents unsigned (the tests read them back)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from lxml import etree

from contracts import job_loss_payment as contract
from contracts.job_loss_payment_model import Issuer, PaymentDecision, PaymentNotice
from mocks.social_fund.domain.documents import Person
from mocks.social_fund.domain.models import ReceivedContribution
from mocks.social_fund.service_layer.ports import Registration, StateSystemUnavailable


@dataclass
class FakeRegister:
    """SP-7 answers by IIN; ``down`` makes the centre not answer."""

    registered_on: dict[str, dt.date] = field(default_factory=dict)
    down: bool = False
    asked: list[tuple[str, dt.date]] = field(default_factory=list)

    def status(self, iin: str, on: dt.date, correlation_id: str | None) -> Registration:
        self.asked.append((iin, on))
        if self.down:
            raise StateSystemUnavailable("the employment centre", "SCE010 no answer")
        day = self.registered_on.get(iin)
        return Registration(day is not None and day <= on, day)


@dataclass
class FakePopulation:
    people: dict[str, Person] = field(default_factory=dict)

    def person(self, iin: str) -> Person | None:
        return self.people.get(iin)


@dataclass
class FakeContributions:
    by_iin: dict[str, tuple[ReceivedContribution, ...]] = field(default_factory=dict)

    def received(self, iin: str) -> tuple[ReceivedContribution, ...]:
        return self.by_iin.get(iin, ())


class FakeSigner:
    """Writes the documents as the real signer does, without the signature; counts what it signed."""

    def __init__(self) -> None:
        self.signed: list[str] = []

    @property
    def issuer(self) -> Issuer:
        return Issuer("980740010004", "Филиал фонда", "Касымова Жанар Толеуовна", "head of department")

    def sign_decision(self, decision: PaymentDecision) -> str:
        self.signed.append(decision.decision_id)
        return etree.tostring(contract.write_decision(decision), encoding="unicode")

    def sign_notice(self, notice: PaymentNotice) -> str:
        self.signed.append(notice.notice_id)
        return etree.tostring(contract.write_notice(notice), encoding="unicode")
