"""Changes of the gateway's register as pure functions from one snapshot to the next.

Each change (:func:`put_participant`, :func:`remove_participant`, :func:`put_service`, :func:`remove_service`,
:func:`grant`, :func:`revoke`, :func:`apply_seed`) takes the current :class:`ServiceRegistry` and returns the
new one, or raises :class:`RegisterRefusal` (nothing changes). :func:`differences` lists what changed, each
entry with its state before and after, as the journal keeps it (:mod:`gateway.register_store`).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from gateway.registry import Participant, Service, ServiceRegistry


class RegisterRefusal(Exception):
    """A change the register refuses; ``status`` is the HTTP status the admin API answers with."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _participants(register: ServiceRegistry) -> dict[str, Participant]:
    return {p.sender_id: p for p in register.participants()}


def _services(register: ServiceRegistry) -> dict[str, Service]:
    return {s.service_id: s for s in register.services()}


def _checked(participants: dict[str, Participant], services: dict[str, Service]) -> ServiceRegistry:
    try:
        return ServiceRegistry(participants, services)
    except ValueError as exc:
        raise RegisterRefusal(422, str(exc)) from exc


def put_participant(register: ServiceRegistry, participant: Participant) -> ServiceRegistry:
    """Add the participant, or replace the one registered under its sender id."""
    return _checked(_participants(register) | {participant.sender_id: participant}, _services(register))


def remove_participant(register: ServiceRegistry, sender_id: str) -> ServiceRegistry:
    """Remove the participant and every right it held; refused while it provides a service."""
    participants = _participants(register)
    if participants.pop(sender_id, None) is None:
        raise RegisterRefusal(404, f"no participant {sender_id!r} in the register")
    provided = sorted(s.service_id for s in register.services() if s.provider == sender_id)
    if provided:
        raise RegisterRefusal(
            409, f"{sender_id} provides {', '.join(provided)}: remove those services or give them another provider"
        )
    services = {
        service_id: dataclasses.replace(service, allowed=service.allowed - {sender_id})
        for service_id, service in _services(register).items()
    }
    return _checked(participants, services)


def put_service(register: ServiceRegistry, service: Service) -> ServiceRegistry:
    """Add the service, or replace the one registered under its id (its provider and senders registered)."""
    return _checked(_participants(register), _services(register) | {service.service_id: service})


def remove_service(register: ServiceRegistry, service_id: str) -> ServiceRegistry:
    services = _services(register)
    if services.pop(service_id, None) is None:
        raise RegisterRefusal(404, f"no service {service_id!r} in the register")
    return _checked(_participants(register), services)


def _service(register: ServiceRegistry, service_id: str) -> Service:
    service = register.service(service_id)
    if service is None:
        raise RegisterRefusal(404, f"no service {service_id!r} in the register")
    return service


def grant(register: ServiceRegistry, service_id: str, sender_id: str) -> ServiceRegistry:
    """``sender_id`` may call ``service_id`` (already allowed: nothing changes)."""
    service = _service(register, service_id)
    if register.participant(sender_id) is None:
        raise RegisterRefusal(404, f"no participant {sender_id!r} in the register")
    return put_service(register, dataclasses.replace(service, allowed=service.allowed | {sender_id}))


def revoke(register: ServiceRegistry, service_id: str, sender_id: str) -> ServiceRegistry:
    """``sender_id`` may no longer call ``service_id`` (not allowed: nothing changes)."""
    service = _service(register, service_id)
    return put_service(register, dataclasses.replace(service, allowed=service.allowed - {sender_id}))


def apply_seed(register: ServiceRegistry, seed: ServiceRegistry) -> ServiceRegistry:
    """Every participant and service of the seed as the seed writes it; the others stay as they are."""
    return _checked(_participants(register) | _participants(seed), _services(register) | _services(seed))


def differences(before: ServiceRegistry, after: ServiceRegistry) -> list[dict[str, Any]]:
    """What changed, participants then services, each ``{kind, id, before, after}`` (None: absent)."""
    changes: list[dict[str, Any]] = []
    kinds: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        ("participant", _participants(before), _participants(after)),
        ("service", _services(before), _services(after)),
    ]
    for kind, old, new in kinds:
        for key in sorted(old.keys() | new.keys()):
            was, now = old.get(key), new.get(key)
            if was != now:
                changes.append(
                    {
                        "kind": kind,
                        "id": key,
                        "before": was.as_json() if was is not None else None,
                        "after": now.as_json() if now is not None else None,
                    }
                )
    return changes
