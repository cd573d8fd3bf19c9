"""SP-7 (regulation 004 §1 (1)): the State Social Insurance Fund asks whether a person is registered as
unemployed on a day (``ENBEK_UnemployedStatusQuery``); the centre answers from the person's register entry
(:func:`employment.domain.rules.unemployed_status.status_on`) with the latest certificate of registration
(Rules No. 259 Annex 8, CE-2) issued for that registration. Reading only: nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from employment.domain.rules.unemployed_status import StatusOnDay, status_on
from employment.service_layer.register_filing import RegisterServices
from employment.service_layer.register_records import CertificateRecord

__all__ = ["StatusAnswer", "StatusQuery", "answer_status_query"]


@dataclass(frozen=True)
class StatusQuery:
    query_id: str
    iin: str
    on: date
    correlation_id: str | None = None


@dataclass(frozen=True)
class StatusAnswer:
    query_id: str
    iin: str
    status: StatusOnDay
    certificate: CertificateRecord | None  # the latest issued for the registration the status speaks of


def answer_status_query(query: StatusQuery, services: RegisterServices) -> StatusAnswer:
    """SP-7: the status on ``query.on`` and the certificate of that registration, if one was issued."""
    with services.uow() as uow:
        entry = uow.register.entry_for_update(query.iin)
        certificates = uow.certificates.of_person(query.iin)
    status = status_on(entry, query.on)
    issued = [
        record
        for record in certificates
        if record.issued and status.registered_on is not None and record.registered_on == status.registered_on
    ]
    return StatusAnswer(query.query_id, query.iin, status, issued[-1] if issued else None)
