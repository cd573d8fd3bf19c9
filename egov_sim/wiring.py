"""What every system's composition root needs: its identity, credential, trust store, clock and
clients of the gateway. Built by functions, never at import time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from adapters.pki import Credential, PkiLayout, TrustStore
from adapters.shep.rest_client import RestChannelClient
from adapters.shep.sync_client import SyncChannelClient
from egov_sim.settings import Settings
from egov_sim.systems import SystemIdentity, system
from kernel.clock import Clock, clock_from_spec


@dataclass(frozen=True)
class SystemContext:
    settings: Settings
    identity: SystemIdentity
    credential: Credential
    trust: TrustStore
    clock: Clock
    layout: PkiLayout

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def gateway_bin(self) -> str:
        return system("gateway").bin

    def sync_client(self) -> SyncChannelClient:
        return SyncChannelClient(
            gateway_url=self.settings.gateway_sync_url,
            sender_id=self.identity.sender_id,
            password=self.settings.gateway_password,
            credential=self.credential,
            trust=self.trust,
            gateway_bin=self.gateway_bin,
            now=self.now,
            timeout=self.settings.http_timeout_seconds,
        )

    def rest_client(self) -> RestChannelClient:
        return RestChannelClient(
            gateway_rest_url=self.settings.gateway_rest_url,
            sender_id=self.identity.sender_id,
            credential=self.credential,
            timeout=self.settings.http_timeout_seconds,
        )


def system_context(settings: Settings, name: str) -> SystemContext:
    layout = PkiLayout(settings.data_dir)
    return SystemContext(
        settings=settings,
        identity=system(name),
        credential=layout.load_credential(layout.system(name)),
        trust=layout.trust_store(),
        clock=clock_from_spec(settings.clock),
        layout=layout,
    )
