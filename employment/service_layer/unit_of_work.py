"""The unit of work: one transaction of the centre's store, its repositories, and the stage-report outbox.

``with uow_factory() as uow:`` opens a transaction; leaving the block normally commits everything done
through ``uow`` (the decision, the job seeker's card, the stage reports queued for the monitoring IS)
together, and leaving it by an exception rolls all of it back. The SQL implementation is
``employment.adapters.storage``; a fake lives in ``tests/fakes``.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from employment.domain.models import JobSeekerCard, StageReport
from employment.service_layer.ports import StoredApplication

if TYPE_CHECKING:  # the register's repositories name the errors of this module
    from employment.service_layer.register_repositories import (
        CaseRepository,
        CertificateRepository,
        DeregistrationRepository,
        DispatchRepository,
        OfferRepository,
        RegisterRepository,
        VacancyRepository,
    )


class ApplicationAlreadyStored(Exception):
    """Another transaction stored a decision on this application id first (a copy delivered concurrently)."""

    def __init__(self, application_id: str) -> None:
        super().__init__(f"application {application_id} is already decided")
        self.application_id = application_id


class CardChangedConcurrently(Exception):
    """Another transaction opened this person's card between our read and our write; decide the card again."""

    def __init__(self, iin: str) -> None:
        super().__init__(f"the card of IIN {iin} was opened by a concurrent transaction")
        self.iin = iin


class ApplicationRepository(Protocol):
    def get(self, application_id: str) -> StoredApplication | None: ...

    def add(self, application: StoredApplication) -> None:
        """Store a decision; raise :class:`ApplicationAlreadyStored` if its id is taken."""
        ...


class JobSeekerRepository(Protocol):
    def card_for_update(self, iin: str) -> JobSeekerCard | None:
        """The person's card (JS-6, JS-7), held against concurrent changes until the unit of work ends."""
        ...

    def save(self, card: JobSeekerCard, *, new: bool) -> None:
        """Store the card; for a ``new`` card raise :class:`CardChangedConcurrently` if one appeared meanwhile."""
        ...


class UnitOfWork(Protocol):
    @property
    def applications(self) -> ApplicationRepository: ...

    @property
    def job_seekers(self) -> JobSeekerRepository: ...

    # The register of a person (employment.domain.register) and what it works on.
    @property
    def register(self) -> RegisterRepository: ...

    @property
    def cases(self) -> CaseRepository: ...

    @property
    def vacancies(self) -> VacancyRepository: ...

    @property
    def offers(self) -> OfferRepository: ...

    @property
    def deregistrations(self) -> DeregistrationRepository: ...

    @property
    def certificates(self) -> CertificateRepository: ...

    @property
    def dispatches(self) -> DispatchRepository: ...

    def report_stage(self, report: StageReport, *, key: str | None = None) -> None:
        """Queue a stage report for the monitoring IS (JS-8, UN-6) in this transaction; it leaves after commit.
        ``key`` (default ``{applicationId}/{stage}``) makes it unique: queuing the same key twice sends it once."""
        ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
