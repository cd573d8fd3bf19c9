"""Dispatch an inbound SyncChannel message by its ``serviceId`` to the one route that serves it.

A route (one module per service under ``employment.entrypoints.services``) is a command mapper (verify and
read the message, raising :class:`ProviderError` for what the sender got wrong), a service-layer handler
(the use case; no SOAP in it) and an answer mapper (the result as a payload). The dispatcher translates the
service layer's errors into SCE faults, the same way for every service. A new service adds a module and
one line in ``services.ROUTES``; nothing here changes. A route may also serve its service over the
AsyncChannel under ``async_service_id`` (``employment.entrypoints.async_requests``): the same mapper and
handler, two transports.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from adapters.pki import TrustStore
from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from employment.domain.errors import ConflictingDecision, InvalidGroundFacts, NotInRegister, SignerNotAllowed
from employment.service_layer.handlers import EmploymentServices
from employment.service_layer.ports import ExternalSystemUnavailable
from employment.service_layer.register_filing import RegisterServices

LOG = logging.getLogger(__name__)

CommandT = TypeVar("CommandT")
ResultT = TypeVar("ResultT")


@dataclass(frozen=True)
class InboundContext:
    """What a command mapper needs to verify a message: the trust store, the clock, the size limit."""

    trust: TrustStore
    now: Callable[[], datetime]
    max_bytes: int


@dataclass(frozen=True)
class ServiceRoute(Generic[CommandT, ResultT]):
    service_id: str
    to_command: Callable[[InboundMessage, InboundContext], CommandT]
    handle: Callable[[CommandT, EmploymentServices], ResultT]
    to_payload: Callable[[ResultT], Payload]
    async_service_id: str | None = None  # the same service over the AsyncChannel, if offered

    @property
    def service_ids(self) -> tuple[str, ...]:
        return (self.service_id,) if self.async_service_id is None else (self.service_id, self.async_service_id)


def register_services(services: EmploymentServices) -> RegisterServices:
    """The register's ports, for a route of the register (configured by the composition root)."""
    if services.register is None:
        raise ProviderError(ErrorCode.PROVIDER_UNAVAILABLE, "the register of the unemployed is not configured here")
    return services.register


def unavailable_message(exc: ExternalSystemUnavailable) -> str:
    """What the sender is told when a state system did not answer: which system, never where it lives."""
    return (
        f"a state system needed for the decision ({exc.system}) did not answer; nothing was decided, "
        "send the application again later"
    )


class ServiceDispatcher:
    """The centre's SyncChannel handler: ``serviceId`` -> route."""

    def __init__(
        self, routes: Iterable[ServiceRoute[Any, Any]], services: EmploymentServices, inbound: InboundContext
    ) -> None:
        self._routes: dict[str, ServiceRoute[Any, Any]] = {}
        for route in routes:
            for service_id in route.service_ids:
                if service_id in self._routes:
                    raise ValueError(f"two routes serve {service_id}: keep one module per service")
                self._routes[service_id] = route
        self._services = services
        self._inbound = inbound

    @property
    def service_ids(self) -> list[str]:
        return sorted(self._routes)

    def __call__(self, message: InboundMessage) -> Payload:
        route = self._routes.get(message.info.service_id)
        if route is None:
            raise ProviderError(
                ErrorCode.UNKNOWN_SERVICE,
                f"the employment centre does not serve {message.info.service_id}; "
                f"it serves {', '.join(self.service_ids)}",
            )
        command = route.to_command(message, self._inbound)
        try:
            result = route.handle(command, self._services)
        except SignerNotAllowed as exc:
            raise ProviderError(ErrorCode.BUSINESS_SIGNATURE_INVALID, str(exc)) from exc
        except (NotInRegister, ConflictingDecision, InvalidGroundFacts) as exc:
            # the register refused what the message says (nothing was changed): the sender's to correct
            raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
        except ExternalSystemUnavailable as exc:
            # The detail may name internal addresses: it goes to the log, not to the sender.
            LOG.warning("%s (correlation %s) not decided: %s", route.service_id, message.info.correlation_id, exc)
            raise ProviderError(ErrorCode.PROVIDER_UNAVAILABLE, unavailable_message(exc)) from exc
        return route.to_payload(result)
