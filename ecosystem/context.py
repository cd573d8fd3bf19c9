"""What every system's composition root needs: its identity, credential, trust store, clock and
clients of the gateway. Built by functions, never at import time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from a2wsgi import WSGIMiddleware
from starlette.types import ASGIApp

from adapters.pki import Credential, OnlineRevocationCheck, PkiLayout, TrustStore
from adapters.shep.async_client import AsyncChannelClient
from adapters.shep.gateway_link import GatewayClient
from adapters.shep.provider import SignedSoapEndpoint
from adapters.shep.replay_guard import ReplayGuard
from adapters.shep.rest_client import RestChannelClient
from adapters.shep.spyne_provider import Handler, sync_channel_application
from adapters.shep.sync_client import SyncChannelClient
from ecosystem.catalogue import SystemIdentity, system
from ecosystem.clock import EcosystemClock
from ecosystem.settings import Settings
from kernel.clock import Clock

_Client = TypeVar("_Client", bound=GatewayClient)


@dataclass(frozen=True)
class SystemContext:
    settings: Settings
    identity: SystemIdentity
    credential: Credential
    trust: TrustStore
    clock: Clock
    layout: PkiLayout
    _clients: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def gateway_bin(self) -> str:
        return system("gateway").bin

    def sync_client(self) -> SyncChannelClient:
        """This system's client of the gateway's SyncChannel (one per system, shared by its threads)."""
        return self._gateway_client("sync", SyncChannelClient, self.settings.gateway_sync_url)

    def async_client(self) -> AsyncChannelClient:
        """This system's client of the gateway's AsyncChannel (one per system, shared by its threads)."""
        return self._gateway_client(
            "async", AsyncChannelClient, self.settings.gateway_async_url, max_bytes=self.settings.max_message_bytes
        )

    def _gateway_client(self, key: str, kind: type[_Client], url: str, **options: Any) -> _Client:
        client = self._clients.get(key)
        if client is None:
            client = self._clients[key] = kind(
                gateway_url=url,
                sender_id=self.identity.sender_id,
                password=self.settings.gateway_password,
                credential=self.credential,
                trust=self.trust,
                gateway_bin=self.gateway_bin,
                now=self.now,
                timeout=self.settings.http_timeout_seconds,
                **options,
            )
        assert isinstance(client, kind)
        return client

    def sync_provider(self, service_name: str, handler: Handler) -> ASGIApp:
        """The SyncChannel provider endpoint of this system, to mount at ``/bip-sync``: spyne behind the
        signature middleware, accepting only the gateway's signature and signing every answer."""
        endpoint = SignedSoapEndpoint(
            sync_channel_application(service_name, handler, self.now),
            credential=self.credential,
            trust=self.trust,
            gateway_bin=self.gateway_bin,
            now=self.now,
            max_bytes=self.settings.max_message_bytes,
            public_url=self.settings.base_url(self.identity.name) + "/bip-sync/",
            replay_guard=self.replay_guard(),
        )
        return cast(ASGIApp, WSGIMiddleware(endpoint))  # type: ignore[arg-type]

    def replay_guard(self) -> ReplayGuard:
        """The one replay guard of this system as a provider (date window, each messageId once), kept in
        its own database (one per system, shared by its SOAP and REST intakes)."""
        guard = self._clients.get("replay_guard")
        if guard is None:
            guard = self._clients["replay_guard"] = ReplayGuard.at(
                self.settings.database_for(self.identity.name),
                self.now,
                timedelta(seconds=self.settings.max_clock_skew_seconds),
            )
        assert isinstance(guard, ReplayGuard)
        return guard

    def close(self) -> None:
        """Close the HTTP clients and the replay guard's database connections this context opened (each
        system's app does so on shutdown)."""
        for client in self._clients.values():
            close = getattr(client, "close", None)
            if callable(close):
                close()
        self._clients.clear()

    def __enter__(self) -> SystemContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def rest_client(self) -> RestChannelClient:
        """This system's client of the gateway's REST channel (one per system)."""
        client = self._clients.get("rest")
        if client is None:
            client = self._clients["rest"] = RestChannelClient(
                gateway_rest_url=self.settings.gateway_rest_url,
                sender_id=self.identity.sender_id,
                credential=self.credential,
                now=self.now,
                timeout=self.settings.http_timeout_seconds,
            )
        assert isinstance(client, RestChannelClient)
        return client


def trust_store(settings: Settings, layout: PkiLayout) -> TrustStore:
    """The trust store of a system: revocation checked online (OCSP, then the CRL) or from the data folder, as
    ``settings.revocation`` says (docs/pki.md)."""
    chosen = settings.revocation
    if chosen.source == "data_folder":
        return layout.trust_store()
    return layout.trust_store(OnlineRevocationCheck(soft_fail=chosen.soft_fail, timeout=chosen.timeout_seconds))


def system_context(settings: Settings, name: str) -> SystemContext:
    layout = PkiLayout(settings.data_dir)
    return SystemContext(
        settings=settings,
        identity=system(name),
        credential=layout.load_credential(layout.system(name)),
        trust=trust_store(settings, layout),
        clock=EcosystemClock.join(settings.data_dir, settings.clock),
        layout=layout,
    )
