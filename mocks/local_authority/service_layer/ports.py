"""What the authority's use cases need from outside: the state systems, the head's signature and the store.

Real adapters live in ``mocks.local_authority.adapters``; fakes of the state systems and the signer in
``tests/fakes.py``. Each store method is one transaction: what it records and the stage reports and
deliveries it queues are committed together, or not at all.

Errors::

    AuthorityError
    ├── StateSystemUnavailable   a state system did not answer: nothing was decided, the worker tries again
    ├── CaseConflict             a case id already names another person's case, or a case of another kind
    ├── UnknownCase              no case (or complaint) with this id
    ├── NotPending               the case is decided (or the complaint answered) already
    └── InvalidGround            a rejection names a ground the decision cannot carry
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from mocks.local_authority.domain.models import (
    Case,
    CaseKind,
    CaseStatus,
    Complaint,
    ComplaintStatus,
    Decision,
    DecisionMode,
    InsuranceFacts,
    Outcome,
    Reason,
    RegistryFacts,
    StageReport,
)


class AuthorityError(Exception):
    """Base of the authority's service-layer errors."""


class StateSystemUnavailable(AuthorityError):
    """A state system did not answer (or answered what cannot be read). ``system`` is its plain name; ``detail``
    is for the log (it may name internal addresses)."""

    def __init__(self, system: str, detail: str) -> None:
        super().__init__(f"{system}: {detail}")
        self.system = system
        self.detail = detail


class CaseConflict(AuthorityError):
    """The id already names a case of another person or kind: the sender must use a new id."""


class UnknownCase(AuthorityError, LookupError):
    """No case or complaint has this id."""


class NotPending(AuthorityError):
    """The case was decided (or the complaint answered) already; a decision is made once."""


class InvalidGround(AuthorityError, ValueError):
    """The ground given for a rejection is not one this kind of case may be refused on."""


class StateSystems(Protocol):
    def person(self, iin: str, correlation_id: str | None) -> RegistryFacts | None:
        """The person registry's data of the person, None when it holds no such person."""
        ...

    def insurance(self, iin: str, since: date, until: date, correlation_id: str | None) -> InsuranceFacts:
        """The fund's labour contracts not ended before ``since`` and the months from ``since`` to ``until``
        for which contributions were received."""
        ...


class DecisionSigner(Protocol):
    def sign(
        self,
        case: Case,
        decision_id: str,
        outcome: Outcome,
        reasons: Sequence[Reason],
        decided_on: date,
        registered_on: date | None,
    ) -> str:
        """The ``authorityDecision`` signed with the head's EDS, as XML text."""
        ...


class CaseStore(Protocol):
    def add_case(self, case: Case, reports: Sequence[StageReport]) -> Case:
        """Store a new case with its stage reports; if the id is taken, change nothing and return the stored case."""
        ...

    def case(self, case_id: str) -> Case | None: ...

    def cases(self, status: CaseStatus | None = None, kind: CaseKind | None = None, limit: int = 100) -> list[Case]:
        """Cases, newest first."""
        ...

    def record_decision(self, case_id: str, decision: Decision, reports: Sequence[StageReport]) -> bool:
        """Record the decision of a pending case, queue its delivery to the centre and its stage reports; False
        (and nothing changed) when the case is no longer pending."""
        ...

    def put_off(self, case_id: str, error: str, next_attempt_at: datetime) -> None:
        """An automatic decision could not be made now: record why and when to try again."""
        ...

    def mode(self) -> DecisionMode | None:
        """The decision mode set through the admin API, None when never set (the configured one applies)."""
        ...

    def set_mode(self, mode: DecisionMode) -> None: ...

    def add_complaint(self, complaint: Complaint, reports: Sequence[StageReport]) -> Complaint:
        """Register a complaint; if its id is taken, change nothing and return the stored one."""
        ...

    def complaint(self, complaint_id: str) -> Complaint | None: ...

    def complaints(self, status: ComplaintStatus | None = None, limit: int = 100) -> list[Complaint]: ...

    def record_answer(
        self, complaint_id: str, answer: str, upheld: bool, at: datetime, reports: Sequence[StageReport]
    ) -> bool:
        """Record the answer of a registered complaint with its stage report; False when already answered."""
        ...
