"""The portal's cabinet documents on SQLite and on PostgreSQL: one row per issuer and number however many
deliveries arrive at once, and an application's result kept in the transaction that finishes it."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest

from adapters.storage import Outbox
from kernel.clock import almaty
from mocks.portal.storage import (
    ApplicationRow,
    ApplicationStatus,
    CabinetDocumentRow,
    PortalStore,
)

NOW = datetime(2026, 12, 11, 12, 0, tzinfo=almaty())
IIN = "920314403019"
CENTRE_BIN = "000340010007"


@pytest.fixture
def store(database_url: str) -> Iterator[PortalStore]:
    created = PortalStore.at(database_url)
    yield created
    created.engine.dispose()


def document(number: str, text: str = "<doc/>", *, application_id: str | None = None) -> CabinetDocumentRow:
    return CabinetDocumentRow(
        id=f"DOC-{uuid.uuid4().hex[:20].upper()}",
        iin=IIN,
        kind="deregistered",
        document_number=number,
        issuer_id=CENTRE_BIN,
        issuer_name="centre",
        issued_on="2026-12-11",
        application_id=application_id,
        source="delivery" if application_id is None else "application",
        sender_id="ENBEK_LABOUR_MARKET",
        document=text,
        signer_common_name="DIRECTOR",
        signer_iin="880115300126",
        signer_bin=CENTRE_BIN,
        received_at=NOW,
    )


def test_deliveries_of_one_document_at_once_keep_one_row(store: PortalStore) -> None:
    outcomes: list[tuple[str, bool]] = []
    start = threading.Barrier(4)

    def deliver() -> None:
        start.wait()
        kept, first = store.keep_document(document("DR-N-1"))
        outcomes.append((kept.id, first))

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    [row] = store.cabinet_documents_of(IIN)
    assert sorted(first for _, first in outcomes) == [False, False, False, True]
    assert {kept_id for kept_id, _ in outcomes} == {row.id}


def test_the_same_number_of_another_issuer_is_another_document(store: PortalStore) -> None:
    store.keep_document(document("N-1"))
    other = document("N-1")
    other.issuer_id = "000440010008"
    _, first = store.keep_document(other)
    assert first and len(store.cabinet_documents_of(IIN)) == 2


def test_a_result_is_kept_once_with_the_outcome_of_its_application(store: PortalStore) -> None:
    outbox = Outbox(store.engine, lambda: NOW)
    application = ApplicationRow(
        id="EGOV-CE-2026-1",
        iin=IIN,
        service="unemployed-certificate",
        status=ApplicationStatus.IN_PROGRESS.value,
        submitted_at=NOW,
        signed_form="<application/>",
    )
    store.add_application(application, outbox)
    values = {"status": ApplicationStatus.DONE.value, "finished_at": NOW}

    assert store.finish_application(application.id, document=document("CE-1", application_id=application.id), **values)
    assert not store.finish_application(
        application.id, document=document("CE-1", application_id=application.id), **values
    )

    [kept] = store.cabinet_documents_of_application(application.id)
    assert kept.document_number == "CE-1" and kept.source == "application"
    finished = store.application(application.id)
    assert finished is not None and finished.status == ApplicationStatus.DONE.value
