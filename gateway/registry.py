"""The register of participants and services: who may send, and where a serviceId is routed.

:class:`ServiceRegistry` is one consistent snapshot of the register, the interface the pipeline reads
(``authorise``, ``identify``, ``participant``, ``provider_of``, ``services``). The gateway keeps the register
in its database and reads it through :class:`gateway.live_register.LiveRegister`, which offers the same
interface (:class:`Register`) over the newest snapshot; ``gateway/services.yaml`` is the seed
(:meth:`ServiceRegistry.from_file`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import yaml

from adapters.pki import CertificateSubject, system_signer_problem
from adapters.shep.faults import ErrorCode
from gateway.errors import GatewayError

Channel = Literal["soap", "rest", "async"]


@dataclass(frozen=True)
class Participant:
    sender_id: str
    system: str
    bin: str
    # How the AsyncChannel hands this participant its messages: "push" to its IAsyncChannelClient at
    # ``async_path`` of its base URL, or "pull" (it calls getMessages).
    async_delivery: Literal["push", "pull"] = "pull"
    async_path: str | None = None
    # Where the gateway reaches the participant; None: the ecosystem's address of ``system``
    # (``Settings.base_url``). A tester's own system names its server here.
    base_url: str | None = None
    # Its transport signatures may still be RSA-SHA1 (with SHA-1 digests): refused with SCE006 otherwise
    # (docs/signing.md). Some real participants still send it; false unless the register says so.
    allow_sha1_signatures: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "senderId": self.sender_id,
            "system": self.system,
            "bin": self.bin,
            "asyncClient": self.async_path,
            "baseUrl": self.base_url,
            "allowSha1Signatures": self.allow_sha1_signatures,
        }


@dataclass(frozen=True)
class Service:
    service_id: str
    description: str
    channel: Channel
    provider: str
    path: str
    allowed: frozenset[str]
    payload_schema: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "serviceId": self.service_id,
            "description": self.description,
            "channel": self.channel,
            "provider": self.provider,
            "path": self.path,
            "payloadSchema": self.payload_schema,
            "allowed": sorted(self.allowed),
        }


def participant(sender_id: str, entry: dict[str, Any]) -> Participant:
    """A participant as ``services.yaml`` writes it (``system``, ``bin``, ``async_client``, ``base_url``,
    ``allow_sha1_signatures``)."""
    async_client = entry.get("async_client")
    return Participant(
        sender_id,
        str(entry["system"]),
        str(entry["bin"]),
        async_delivery="push" if async_client else "pull",
        async_path=async_client,
        base_url=entry.get("base_url"),
        allow_sha1_signatures=entry.get("allow_sha1_signatures") is True,
    )


class Register(Protocol):
    """What the pipeline reads of the register: a snapshot, or the live register over the newest one."""

    def participants(self) -> list[Participant]: ...

    def services(self) -> list[Service]: ...

    def has_service(self, service_id: str) -> bool: ...

    def provider_of(self, service: Service) -> Participant: ...

    def participant(self, sender_id: str) -> Participant | None: ...

    def identify(self, sender_id: str, signer: CertificateSubject) -> Participant: ...

    def authorise(self, sender_id: str, signer: CertificateSubject, service_id: str) -> tuple[Participant, Service]: ...


class ServiceRegistry:
    """One consistent snapshot of the register: every provider and every allowed sender is registered."""

    def __init__(self, participants: dict[str, Participant], services: dict[str, Service]) -> None:
        self._participants = participants
        self._services = services
        for service in services.values():
            if service.provider not in participants:
                raise ValueError(f"service {service.service_id} names an unknown provider {service.provider}")
            unknown = sorted(service.allowed - participants.keys())
            if unknown:
                raise ValueError(f"service {service.service_id} allows unregistered senders {', '.join(unknown)}")

    @classmethod
    def from_file(cls, path: Path) -> ServiceRegistry:
        return cls.from_mapping(yaml.safe_load(path.read_text(encoding="utf-8")))

    @classmethod
    def from_mapping(cls, raw: dict[str, Any]) -> ServiceRegistry:
        """The register as ``services.yaml`` writes it: ``participants`` and ``services`` by id."""
        participants = {sender_id: participant(sender_id, entry) for sender_id, entry in raw["participants"].items()}
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

    def service(self, service_id: str) -> Service | None:
        return self._services.get(service_id)

    def provider_of(self, service: Service) -> Participant:
        provider = self._participants.get(service.provider)
        if provider is None:  # only when the service was read from an older snapshot of the live register
            raise GatewayError(
                ErrorCode.UNKNOWN_SERVICE, f"the provider {service.provider} of {service.service_id} is not registered"
            )
        return provider

    def participant(self, sender_id: str) -> Participant | None:
        return self._participants.get(sender_id)

    def identify(self, sender_id: str, signer: CertificateSubject) -> Participant:
        """The registered participant ``sender_id``, which must have signed with its own certificate: an
        organisation certificate (key purpose ``1.2.398.3.3.4.1.2``) of its BIN (docs/pki.md), SCE002
        otherwise, whether the BIN is another or an official's personal certificate names the same BIN."""
        participant = self._participants.get(sender_id)
        if participant is None:
            raise GatewayError(ErrorCode.UNKNOWN_SENDER, f"sender {sender_id!r} is not registered at the gateway")
        if signer.bin != participant.bin:
            raise GatewayError(
                ErrorCode.UNKNOWN_SENDER,
                f"sender {sender_id} must sign with its own certificate (BIN {participant.bin}), not BIN {signer.bin}",
            )
        problem = system_signer_problem(signer, participant.bin)
        if problem is not None:
            raise GatewayError(ErrorCode.UNKNOWN_SENDER, f"sender {sender_id} must sign as the system: {problem}")
        return participant

    def authorise(self, sender_id: str, signer: CertificateSubject, service_id: str) -> tuple[Participant, Service]:
        """Check that the sender is registered, signed with its own certificate, and may call the service."""
        participant = self.identify(sender_id, signer)
        service = self._services.get(service_id)
        if service is None:
            raise GatewayError(ErrorCode.UNKNOWN_SERVICE, f"service {service_id!r} does not exist")
        if sender_id not in service.allowed:
            raise GatewayError(ErrorCode.ACCESS_DENIED, f"sender {sender_id} may not call {service_id}")
        return participant, service

    def as_json(self) -> dict[str, Any]:
        return {
            "participants": [p.as_json() for p in sorted(self.participants(), key=lambda p: p.sender_id)],
            "services": [s.as_json() for s in sorted(self.services(), key=lambda s: s.service_id)],
        }
