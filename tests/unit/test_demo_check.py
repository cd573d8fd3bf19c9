"""The demo reads the rule a refusal cites from the result document through its contract."""

from __future__ import annotations

from datetime import date

from lxml import etree

from contracts.result_documents import Reason, ResultDocument, ResultKind, write_result_document
from egov_sim.demo import cited_rules


def refusal(rule_id: str) -> str:
    document = ResultDocument(
        kind=ResultKind.REFUSED,
        document_number="JS-R-1",
        application_id="EGOV-JS-2026-1",
        person_iin="850902305172",
        person_full_name="Кузнецов Дмитрий Сергеевич",
        centre_name="Employment Centre",
        issued_on=date(2026, 11, 23),
        director_name="Жумабаев Нурлан Ерикович",
        reasons=(Reason(rule_id, "a labour contract is in force on the day of the decision"),),
    )
    return etree.tostring(write_result_document(document), encoding="unicode")


def test_the_cited_rule_is_read_from_the_reasons() -> None:
    assert cited_rules(refusal("000 §5 action 3")) == {"000 §5 action 3"}


def test_a_document_that_cannot_be_read_cites_nothing() -> None:
    assert cited_rules(None) == set()
    assert cited_rules("<not-a-result/>") == set()
    assert cited_rules("not xml") == set()
