"""The State Corporation operator's person lookup (SP-2, JS-4 of docs/rules.md; regulation 004 §7).

SP-2: the operator enters the applicant's data and requests them from the person registry through the
gateway; if the registry has no data for the applicant, a message that the data cannot be obtained is
formed and the request stops there. Each lookup is one case with its own ``correlationId`` (a new UUID),
which the gateway journal and the answer both carry.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Protocol

from adapters.person_registry import PersonRegistryError
from adapters.shep import GatewayFault
from adapters.shep.sync_client import GatewayUnreachable
from kernel.iin import is_valid_iin

LOG = logging.getLogger(__name__)


class RegistryLookup(Protocol):
    """What the service needs of :class:`adapters.person_registry.PersonRegistryClient`."""

    def find_by_iin(self, iin: str, correlation_id: str) -> object | None: ...


class InvalidIinError(ValueError):
    """An IIN typed by the operator is not 12 digits with a correct check digit (kernel/iin.py)."""


class RegistryUnavailableError(Exception):
    """The person registry, or the gateway in front of it, did not answer; the operator may retry."""

    def __init__(self, message: str, correlation_id: str) -> None:
        super().__init__(message)
        self.correlation_id = correlation_id


def unavailable_message(exc: Exception, correlation_id: str) -> str:
    """What the operator reads when the registry cannot be asked: plain words, the fault code if there is one,
    and the case to quote; the client's own text (which may name internal addresses) goes to the log only."""
    LOG.warning("person lookup %s: the person registry could not be asked: %s", correlation_id, exc, exc_info=exc)
    code = getattr(exc, "code", None)
    fault = f" (the gateway answered {code})" if isinstance(code, str) and code else ""
    return (
        f"the person registry could not be asked through the gateway{fault}; "
        f"try again in a few minutes, or quote case {correlation_id} to support"
    )


def no_data_message(iin: str) -> str:
    """SP-2: what the operator reads when the person registry has no data for the applicant (the request stops)."""
    return f"Data cannot be obtained: the person registry has no data for IIN {iin} (SP-2)"


@dataclass(frozen=True)
class LookupOutcome:
    correlation_id: str
    person: dict[str, Any] | None  # None: the registry holds no data (SP-2, the request stops)

    @property
    def found(self) -> bool:
        return self.person is not None

    def not_found_message(self, iin: str) -> str:
        return no_data_message(iin)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def as_json(value: object) -> Any:
    """A registry answer (dataclasses, dates, enums, lists) as JSON-ready values with camelCase keys."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {_camel(f.name): as_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, str | int | float | bool):
        return value
    model_dump = getattr(value, "model_dump", None)
    if callable(model_dump):
        return as_json(model_dump())
    return str(value)


class PersonLookupService:
    """SP-2: look the applicant up in the person registry through the gateway."""

    def __init__(
        self,
        registry: Callable[[], RegistryLookup],
        new_correlation_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self._registry = registry
        self._new_correlation_id = new_correlation_id

    def lookup(self, operator_iin: str, applicant_iin: str) -> LookupOutcome:
        for role, iin in (("operatorIin", operator_iin), ("applicantIin", applicant_iin)):
            if not is_valid_iin(iin):
                raise InvalidIinError(f"{role} {iin!r} is not a valid IIN (12 digits, correct check digit)")
        correlation_id = self._new_correlation_id()
        try:
            person = self._registry().find_by_iin(applicant_iin, correlation_id)
        except (PersonRegistryError, GatewayUnreachable, GatewayFault) as exc:
            raise RegistryUnavailableError(unavailable_message(exc, correlation_id), correlation_id) from exc
        return LookupOutcome(correlation_id, as_json(person) if person is not None else None)
