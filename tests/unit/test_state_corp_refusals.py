"""The operator's refusals as HTTP answers (mocks/state_corp/refusals.py)."""

from __future__ import annotations

import pytest
from fastapi import HTTPException

from mocks.state_corp.operators import OperationNotAllowedError
from mocks.state_corp.payment_cases import CaseNotRefreshable, RefreshFailed
from mocks.state_corp.payment_entry import PaymentEntryRefused
from mocks.state_corp.refusals import refusals_as_http
from mocks.state_corp.registration import CaseNotFound, CaseNotResendable, RegistrationRefused
from mocks.state_corp.service import InvalidIinError


@pytest.mark.parametrize(
    ("refusal", "status"),
    [
        (OperationNotAllowedError("not allowed"), 403),
        (CaseNotFound("no case"), 404),
        (CaseNotResendable("not failed"), 409),
        (CaseNotRefreshable("not registered"), 409),
        (InvalidIinError("bad iin"), 422),
        (RegistrationRefused("no consent"), 422),
        (PaymentEntryRefused("no iban"), 422),
    ],
)
def test_a_refusal_becomes_its_http_answer(refusal: Exception, status: int) -> None:
    with pytest.raises(HTTPException) as raised, refusals_as_http():
        raise refusal
    assert raised.value.status_code == status
    assert raised.value.detail == str(refusal)
    assert raised.value.__cause__ is refusal


def test_anything_else_passes_through() -> None:
    with pytest.raises(RefreshFailed), refusals_as_http():
        raise RefreshFailed("the fund did not answer", unreachable=True)
