"""Repositories of the register (one transaction each through the unit of work). The SQL implementation is
:mod:`employment.adapters.register_storage`; in-memory fakes are in ``tests/fakes``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from employment.domain.register import RegisterEntry, TransitionRecord
from employment.domain.rules.suitable_work import Offer, Vacancy
from employment.service_layer.register_records import (
    CaseStatus,
    CertificateRecord,
    DeregistrationCase,
    DeregistrationStatus,
    Dispatch,
    RegistrationCase,
)
from employment.service_layer.unit_of_work import CardChangedConcurrently


class RegisterEntryChanged(CardChangedConcurrently):
    """Another transaction opened or changed this person's register entry since it was read: decide again."""


class RecordAlreadyStored(Exception):
    """A record with this id exists (a copy of the same command decided concurrently)."""

    def __init__(self, record_id: str) -> None:
        super().__init__(f"{record_id} is already stored")
        self.record_id = record_id


class RegisterRepository(Protocol):
    def entry_for_update(self, iin: str) -> RegisterEntry | None:
        """The person's entry, held against concurrent changes until the unit of work ends."""
        ...

    def add(self, entry: RegisterEntry) -> None:
        """Store a new entry; raise :class:`RegisterEntryChanged` if the person has one already."""
        ...

    def save(self, entry: RegisterEntry) -> RegisterEntry:
        """Store a changed entry read at ``entry.version``; raise :class:`RegisterEntryChanged` if another
        transaction changed it since. Returns the entry at its new version."""
        ...

    def record(self, transition: TransitionRecord) -> None:
        """Append a transition to the person's history."""
        ...

    def history(self, iin: str) -> list[TransitionRecord]:
        """The person's transitions, oldest first."""
        ...


class CaseRepository(Protocol):
    def get(self, case_id: str) -> RegistrationCase | None: ...

    def add(self, case: RegistrationCase) -> None:
        """Raise :class:`RecordAlreadyStored` if the id is taken."""
        ...

    def save(self, case: RegistrationCase) -> None: ...

    def in_status(self, statuses: Iterable[CaseStatus], limit: int = 100) -> list[RegistrationCase]:
        """Cases in one of ``statuses``, oldest registration first."""
        ...


class VacancyRepository(Protocol):
    def add(self, vacancy: Vacancy) -> bool:
        """Store a vacancy; False when its id is stored already (nothing changes)."""
        ...

    def get(self, vacancy_id: str) -> Vacancy | None: ...

    def open_vacancies(self) -> list[Vacancy]: ...


class OfferRepository(Protocol):
    def add(self, offer: Offer) -> None: ...

    def get(self, offer_id: str) -> Offer | None: ...

    def save(self, offer: Offer) -> None: ...

    def of_person(self, iin: str) -> list[Offer]: ...

    def unanswered_by(self, moment: datetime, limit: int = 100) -> list[Offer]:
        """Offers without an answer whose term ended before ``moment``."""
        ...


class DeregistrationRepository(Protocol):
    def get(self, request_id: str) -> DeregistrationCase | None: ...

    def add(self, case: DeregistrationCase) -> None:
        """Raise :class:`RecordAlreadyStored` if the id is taken."""
        ...

    def save(self, case: DeregistrationCase) -> None: ...

    def of_person(self, iin: str, statuses: Iterable[DeregistrationStatus]) -> list[DeregistrationCase]: ...


class CertificateRepository(Protocol):
    def get(self, application_id: str) -> CertificateRecord | None: ...

    def add(self, record: CertificateRecord) -> None:
        """Raise :class:`RecordAlreadyStored` if the application id is taken."""
        ...

    def of_person(self, iin: str) -> list[CertificateRecord]:
        """The person's certificate applications (issued or refused), the earliest received first."""
        ...


class DispatchRepository(Protocol):
    def add(self, dispatch: Dispatch) -> bool:
        """Queue a dispatch in this transaction; False when one with its id is queued already."""
        ...

    def get(self, dispatch_id: str) -> Dispatch | None: ...

    def pending(self, limit: int = 50) -> list[Dispatch]:
        """Dispatches neither done nor set aside, oldest first."""
        ...

    def claim(self, dispatch_id: str, now: datetime, until: datetime) -> bool:
        """Take the dispatch for sending until ``until`` unless another sender holds it (at ``now``)."""
        ...

    def done(self, dispatch_id: str, at: datetime) -> None: ...

    def failed(self, dispatch_id: str, error: str, *, set_aside: bool) -> None: ...
