"""The operator's requests the State Corporation refuses, as HTTP answers (one table for every route of the
workstation, :mod:`mocks.state_corp.app` and :mod:`mocks.state_corp.payment_routes`): 403 an operator not
allowed the service, 404 a case not of the operator's branch, 409 a case not in a state for the step asked,
422 an entry not accepted (nothing was stored or sent)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import HTTPException

from mocks.state_corp.operators import OperationNotAllowedError
from mocks.state_corp.payment_cases import CaseNotRefreshable
from mocks.state_corp.payment_entry import PaymentEntryRefused
from mocks.state_corp.registration import CaseNotFound, CaseNotResendable, RegistrationRefused
from mocks.state_corp.service import InvalidIinError

REFUSALS: tuple[tuple[type[Exception], int], ...] = (
    (OperationNotAllowedError, 403),
    (CaseNotFound, 404),
    (CaseNotResendable, 409),
    (CaseNotRefreshable, 409),
    (InvalidIinError, 422),
    (RegistrationRefused, 422),
    (PaymentEntryRefused, 422),
)


@contextmanager
def refusals_as_http() -> Iterator[None]:
    """A refusal of :data:`REFUSALS` raised inside becomes an :class:`HTTPException` with its status and message;
    anything else passes through."""
    try:
        yield
    except tuple(kind for kind, _ in REFUSALS) as exc:
        status = next(code for kind, code in REFUSALS if isinstance(exc, kind))
        raise HTTPException(status, str(exc)) from exc
