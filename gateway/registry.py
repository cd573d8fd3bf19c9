"""The register of participants and services: who may send, and where a serviceId is routed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from adapters.shep.faults import ErrorCode
from gateway.errors import GatewayError


@dataclass(frozen=True)
class Participant:
    sender_id: str
    system: str
    bin: str
    # How the AsyncChannel hands this participant its messages: "push" to its IAsyncChannelClient at
    # ``async_path`` of its base URL, or "pull" (it calls getMessages).
    async_delivery: Literal["push", "pull"] = "pull"
    async_path: str | None = None


@dataclass(frozen=True)
class Service:
    service_id: str
    description: str
    channel: Literal["soap", "rest", "async"]
    provider: str
    path: str
    allowed: frozenset[str]
    payload_schema: str | None = None


class ServiceRegistry:
    def __init__(self, participants: dict[str, Participant], services: dict[str, Service]) -> None:
        self._participants = participants
        self._services = services
        for service in services.values():
            if service.provider not in participants:
                raise ValueError(f"service {service.service_id} names an unknown provider {service.provider}")

    @classmethod
    def from_file(cls, path: Path) -> ServiceRegistry:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        participants = {
            sender_id: Participant(
                sender_id,
                entry["system"],
                str(entry["bin"]),
                async_delivery="push" if entry.get("async_client") else "pull",
                async_path=entry.get("async_client"),
            )
            for sender_id, entry in raw["participants"].items()
        }
        services = {
            service_id: Service(
                service_id=service_id,
                description=entry.get("description", ""),
                channel=entry["channel"],
                provider=entry["provider"],
                path=entry["path"],
                allowed=frozenset(entry.get("allowed", [])),
                payload_schema=entry.get("payload_schema"),
            )
            for service_id, entry in raw["services"].items()
        }
        return cls(participants, services)

    @staticmethod
    def default_file() -> Path:
        return Path(__file__).resolve().parent / "services.yaml"

    def participants(self) -> list[Participant]:
        return list(self._participants.values())

    def services(self) -> list[Service]:
        return list(self._services.values())

    def has_service(self, service_id: str) -> bool:
        return service_id in self._services

    def provider_of(self, service: Service) -> Participant:
        return self._participants[service.provider]

    def participant(self, sender_id: str) -> Participant | None:
        return self._participants.get(sender_id)

    def identify(self, sender_id: str, signer_bin: str | None) -> Participant:
        """The registered participant ``sender_id``, which must have signed with its own certificate."""
        participant = self._participants.get(sender_id)
        if participant is None:
            raise GatewayError(ErrorCode.UNKNOWN_SENDER, f"sender {sender_id!r} is not registered at the gateway")
        if signer_bin != participant.bin:
            raise GatewayError(
                ErrorCode.UNKNOWN_SENDER,
                f"sender {sender_id} must sign with its own certificate (BIN {participant.bin}), not BIN {signer_bin}",
            )
        return participant

    def authorise(self, sender_id: str, signer_bin: str | None, service_id: str) -> tuple[Participant, Service]:
        """Check that the sender is registered, signed with its own certificate, and may call the service."""
        participant = self._participants.get(sender_id)
        if participant is None:
            raise GatewayError(ErrorCode.UNKNOWN_SENDER, f"sender {sender_id!r} is not registered at the gateway")
        if signer_bin != participant.bin:
            raise GatewayError(
                ErrorCode.UNKNOWN_SENDER,
                f"sender {sender_id} must sign with its own certificate (BIN {participant.bin}), not BIN {signer_bin}",
            )
        service = self._services.get(service_id)
        if service is None:
            raise GatewayError(ErrorCode.UNKNOWN_SERVICE, f"service {service_id!r} does not exist")
        if sender_id not in service.allowed:
            raise GatewayError(ErrorCode.ACCESS_DENIED, f"sender {sender_id} may not call {service_id}")
        return participant, service
