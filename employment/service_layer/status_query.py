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
from employment.service_layer.unit_of_work import UnitOfWork

__all__ = ["StatusAnswer", "StatusQuery", "answer_status_query", "registration_certificate"]


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
        status = status_on(uow.register.entry_for_update(query.iin), query.on)
        certificate = registration_certificate(uow, query.iin, status.registered_on)
    return StatusAnswer(query.query_id, query.iin, status, certificate)


def registration_certificate(uow: UnitOfWork, iin: str, registered_on: date | None) -> CertificateRecord | None:
    """The latest certificate of registration (Annex 8) issued for the registration of ``registered_on``."""
    if registered_on is None:
        return None
    issued = [r for r in uow.certificates.of_person(iin) if r.issued and r.registered_on == registered_on]
    return issued[-1] if issued else None
