"""The fund's record of the registered unemployed and its DR-1 (1) watch (mocks/social_fund/adapters/register_store.py,
register_watch.py), on SQLite and PostgreSQL; the report leaves through the outbox to the gateway."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from lxml import etree

from adapters.pki.certificates import CertificateSubject
from adapters.shep.envelope import ErrorInfo, Payload, ResponseInfo
from adapters.shep.faults import GatewayFault
from adapters.shep.outbox_delivery import sync_delivery
from adapters.shep.sync_client import GatewayUnreachable, SyncReply
from adapters.storage import DeliveryRefused
from contracts import unemployment_status as un
from mocks.population_model import Employer, EmploymentSpell
from mocks.social_fund.adapters.contributions import Contribution, contributions_received
from mocks.social_fund.adapters.register_store import GROUND_REPORT_TOPIC, FundRegisterStore
from mocks.social_fund.adapters.register_watch import RegisterWatch

ASTANA = timezone(timedelta(hours=5))
IIN = "920314403019"
EMPLOYER = Employer("123456789012", "ТОО «Пример»")


@pytest.fixture
def store(database_url: str) -> Iterator[FundRegisterStore]:
    fund = FundRegisterStore.at(database_url, lambda: datetime(2027, 1, 25, 12, 0, tzinfo=ASTANA))
    yield fund
    fund.dispose()


def notice(
    notice_id: str, status: un.UnemployedStatus, registered_on: date, effective_on: date
) -> un.UnemployedStatusNotice:
    return un.UnemployedStatusNotice(notice_id, IIN, status, effective_on, registered_on, f"D-{notice_id}")


def test_a_notice_is_recorded_once(store: FundRegisterStore) -> None:
    first = notice("N1", un.UnemployedStatus.REGISTERED, date(2026, 11, 24), date(2026, 11, 24))
    assert store.record_notice(first) is un.ReceiptOutcome.RECORDED
    assert store.record_notice(first) is un.ReceiptOutcome.ALREADY_RECORDED
    entry = store.entry(IIN)
    assert entry is not None and entry.status is un.UnemployedStatus.REGISTERED


def test_a_late_older_notice_does_not_undo_a_later_one(store: FundRegisterStore) -> None:
    store.record_notice(notice("N2", un.UnemployedStatus.REGISTERED, date(2026, 11, 24), date(2026, 11, 24)))
    store.record_notice(notice("N1", un.UnemployedStatus.DEREGISTERED, date(2026, 3, 2), date(2026, 5, 4)))
    entry = store.entry(IIN)
    assert entry is not None
    assert (entry.status, entry.registered_on) == (un.UnemployedStatus.REGISTERED, date(2026, 11, 24))


def received(spells: tuple[EmploymentSpell, ...], today: date) -> list[Contribution]:
    return contributions_received(spells, today)


def test_the_watch_reports_contributions_after_the_registration_once(store: FundRegisterStore) -> None:
    store.record_notice(notice("N1", un.UnemployedStatus.REGISTERED, date(2026, 11, 24), date(2026, 11, 24)))
    store.record_employment(IIN, EMPLOYER, date(2026, 12, 1), None, 300_000)
    today = {"day": date(2027, 1, 24)}
    watch = RegisterWatch(
        store, lambda iin: received(store.recorded_employment(iin), today["day"]), lambda: today["day"]
    )

    assert watch() == []  # December's contribution is paid on 25 January
    today["day"] = date(2027, 1, 25)
    assert watch() == ["GFSS-DR1-920314403019-20261124"]
    assert watch() == []  # reported once per registration

    [message] = store.outbox.messages(topic=GROUND_REPORT_TOPIC)
    report = un.read_report(etree.fromstring(message.payload["document"]))
    assert report.reported_on == date(2027, 1, 25)
    assert [(c.month, c.employer_bin, c.paid_on) for c in report.contributions] == [
        (date(2026, 12, 1), EMPLOYER.bin, date(2027, 1, 25))
    ]
    entry = store.entry(IIN)
    assert entry is not None and entry.ground_report_id == report.report_id


def test_a_deregistered_person_is_not_watched(store: FundRegisterStore) -> None:
    store.record_notice(notice("N1", un.UnemployedStatus.REGISTERED, date(2026, 11, 24), date(2026, 11, 24)))
    store.record_notice(notice("N2", un.UnemployedStatus.DEREGISTERED, date(2026, 11, 24), date(2026, 12, 10)))
    store.record_employment(IIN, EMPLOYER, date(2026, 12, 1), None, 300_000)
    watch = RegisterWatch(
        store, lambda iin: received(store.recorded_employment(iin), date(2027, 2, 1)), lambda: date(2027, 2, 1)
    )
    assert watch() == []


def test_a_new_registration_is_watched_again(store: FundRegisterStore) -> None:
    store.record_notice(notice("N1", un.UnemployedStatus.REGISTERED, date(2026, 11, 24), date(2026, 11, 24)))
    store.record_employment(IIN, EMPLOYER, date(2026, 12, 1), date(2027, 2, 28), 300_000)
    day = date(2027, 1, 25)
    watch = RegisterWatch(store, lambda iin: received(store.recorded_employment(iin), day), lambda: day)
    assert watch() == ["GFSS-DR1-920314403019-20261124"]
    store.record_notice(notice("N2", un.UnemployedStatus.DEREGISTERED, date(2026, 11, 24), date(2027, 1, 27)))
    store.record_notice(notice("N3", un.UnemployedStatus.REGISTERED, date(2027, 3, 10), date(2027, 3, 10)))
    day = date(2027, 5, 1)
    assert watch() == []  # the contract ended in February: nothing after March
    store.record_employment(IIN, EMPLOYER, date(2027, 4, 1), None, 300_000)
    day = date(2027, 5, 25)
    assert watch() == ["GFSS-DR1-920314403019-20270310"]


class FakeSender:
    def __init__(self, outcome: object) -> None:
        self.outcome = outcome
        self.sent: list[tuple[str, etree._Element]] = []

    def send(self, service_id: str, payload: Payload, *, correlation_id: str | None = None) -> SyncReply:
        self.sent.append((service_id, payload.document()))
        if isinstance(self.outcome, Exception):
            raise self.outcome
        assert isinstance(self.outcome, etree._Element)
        return SyncReply(
            ResponseInfo("m", datetime(2027, 1, 25, tzinfo=ASTANA)),
            Payload(element=self.outcome),
            CertificateSubject("ENBEK", None, "000340010007", None, 1),
            "m",
        )


def queued_report(store: FundRegisterStore) -> dict[str, object]:
    store.record_notice(notice("N1", un.UnemployedStatus.REGISTERED, date(2026, 11, 24), date(2026, 11, 24)))
    found = [Contribution(date(2026, 12, 1), EMPLOYER, Decimal("1"), Decimal("1"), date(2027, 1, 25))]
    RegisterWatch(store, lambda iin: found, lambda: date(2027, 1, 25))()
    [message] = store.outbox.messages(topic=GROUND_REPORT_TOPIC)
    return message.payload


def test_the_report_is_delivered_as_register_event(store: FundRegisterStore) -> None:
    receipt = un.write_receipt(
        un.NoticeReceipt(
            "GFSS-DR1-920314403019-20261124", datetime(2027, 1, 25, tzinfo=ASTANA), un.ReceiptOutcome.RECORDED
        )
    )
    sender = FakeSender(receipt)
    sync_delivery(sender, un.EVENT_SERVICE_ID, un.read_receipt)(queued_report(store))
    [(service_id, document)] = sender.sent
    assert service_id == "ENBEK_RegisterEvent"
    assert un.read_report(document).iin == IIN


def test_a_refusal_of_the_message_itself_is_final(store: FundRegisterStore) -> None:
    fault = GatewayFault(ErrorInfo("SCE003", "not allowed", datetime(2027, 1, 25, tzinfo=ASTANA)))
    with pytest.raises(DeliveryRefused):
        sync_delivery(FakeSender(fault), un.EVENT_SERVICE_ID, un.read_receipt)(queued_report(store))


def test_no_connection_is_retried(store: FundRegisterStore) -> None:
    delivery = sync_delivery(FakeSender(GatewayUnreachable("refused")), un.EVENT_SERVICE_ID, un.read_receipt)
    with pytest.raises(Exception) as caught:
        delivery(queued_report(store))
    assert not isinstance(caught.value, DeliveryRefused)
