"""The gateway's register of participants and services (``gateway/services.yaml``) agrees with the catalogue
of systems (``ecosystem/catalogue.py``): the gateway authorises a sender by the id and BIN the register
holds, and every system signs with the certificate of the BIN the catalogue gives it. A difference between
the two would refuse real traffic (SCE002) or route a service to a system that does not serve it."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.routing import Mount

from ecosystem.catalogue import SYSTEMS, SystemIdentity, system
from ecosystem.settings import Settings
from gateway.registry import ServiceRegistry

ROOT = Path(__file__).resolve().parents[2]
HUB = "gateway"  # the gateway routes between participants; it is neither a participant nor a provider


@pytest.fixture(scope="module")
def register() -> ServiceRegistry:
    return ServiceRegistry.from_file(ServiceRegistry.default_file())


def _package_dir(identity: SystemIdentity) -> Path:
    """The source folder of a system: ``mocks/<name>/`` for a mock, else the app module's top package."""
    parts = identity.app_factory.split(":")[0].split(".")
    return ROOT.joinpath(*(parts[:2] if parts[0] == "mocks" else parts[:1]))


def _names_used(identity: SystemIdentity) -> set[str]:
    """Every attribute and name the system's code mentions (``context.sync_client``, ``verify_request`` …)."""
    used: set[str] = set()
    for source in _package_dir(identity).rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute):
                used.add(node.attr)
            elif isinstance(node, ast.Name):
                used.add(node.id)
            elif isinstance(node, ast.ImportFrom):
                used.update(alias.name for alias in node.names)
    return used


def _sends(identity: SystemIdentity) -> bool:
    """It calls the gateway through its SyncChannel or REST client."""
    return bool({"sync_client", "rest_client"} & _names_used(identity))


def _provides(identity: SystemIdentity) -> bool:
    """It serves a SyncChannel provider endpoint, or accepts REST deliveries signed by the gateway (JWS)."""
    return bool({"sync_provider", "verify_request"} & _names_used(identity))


def _app(identity: SystemIdentity, settings: Settings) -> FastAPI:
    module, factory = identity.app_factory.split(":")
    app: FastAPI = getattr(importlib.import_module(module), factory)(settings)
    return app


def _serves(app: FastAPI, channel: str, path: str) -> bool:
    for route in app.routes:
        if channel == "soap" and isinstance(route, Mount) and route.path == path.rstrip("/"):
            return True
        if (
            channel in ("rest", "async")
            and getattr(route, "path", None) == path
            and "POST" in (getattr(route, "methods", None) or ())
        ):
            return True
    return False


def _systems_except_hub() -> Iterator[SystemIdentity]:
    return (identity for identity in SYSTEMS if identity.name != HUB)


def test_every_participant_is_a_catalogued_system_with_the_same_sender_id_and_bin(register: ServiceRegistry) -> None:
    seen: set[str] = set()
    for participant in register.participants():
        identity = system(participant.system)  # KeyError names the known systems
        assert (participant.sender_id, participant.bin) == (identity.sender_id, identity.bin), participant.system
        assert participant.system not in seen, f"{participant.system} is registered twice"
        seen.add(participant.system)


def test_every_provider_serves_its_services_path(register: ServiceRegistry, pki_settings: Settings) -> None:
    apps: dict[str, FastAPI] = {}
    for service in register.services():
        provider = register.provider_of(service)
        identity = system(provider.system)
        assert provider.sender_id == identity.sender_id
        app = apps.setdefault(identity.name, _app(identity, pki_settings))
        if service.channel == "async":  # PUSHed to the participant's IAsyncChannelClient (PULL: nothing to serve)
            assert provider.async_delivery == "pull" or service.path == provider.async_path, service.service_id
        assert (service.channel == "async" and provider.async_delivery == "pull") or _serves(
            app, service.channel, service.path
        ), (
            f"{service.service_id} is routed to {identity.name} at {service.path} ({service.channel}), "
            "which that system does not serve"
        )


@pytest.mark.parametrize("identity", list(_systems_except_hub()), ids=lambda identity: identity.name)
def test_every_system_that_sends_or_provides_is_registered(register: ServiceRegistry, identity: SystemIdentity) -> None:
    by_system = {participant.system: participant for participant in register.participants()}
    sends, provides = _sends(identity), _provides(identity)
    if not (sends or provides):
        assert identity.name not in by_system, f"{identity.name} neither sends nor provides, yet is registered"
        return
    participant = by_system.get(identity.name)
    assert participant is not None, f"{identity.name} talks to the gateway but is not in gateway/services.yaml"
    if sends:
        allowed = [service.service_id for service in register.services() if participant.sender_id in service.allowed]
        assert allowed, f"{identity.name} sends through the gateway but may call no service"
    if provides:
        provided = [service.service_id for service in register.services() if service.provider == participant.sender_id]
        assert provided, f"{identity.name} serves a provider endpoint but provides no registered service"


def test_the_scan_sees_the_known_roles() -> None:
    """The source scan above finds what the systems are known to do (so the test above cannot pass vacuously)."""
    assert _sends(system("portal")) and _provides(system("portal"))  # EGOV_CabinetDocument
    assert _sends(system("state_corp")) and not _provides(system("state_corp"))
    assert _sends(system("employment")) and _provides(system("employment"))
    assert _provides(system("person_registry")) and _provides(system("monitoring"))
    assert not _sends(system("nca")) and not _provides(system("nca"))
