"""What both gateway channels need: the register, the journal, the gateway's credential and trust, the
clock, where providers live, the HTTP link to them, and the size and shape limits of a message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from adapters.pki import Credential, TrustStore
from adapters.xml import XmlLimits
from gateway.delivery import ProviderLink
from gateway.journal import Journal
from gateway.registry import Service, ServiceRegistry


@dataclass(frozen=True)
class ChannelContext:
    registry: ServiceRegistry
    journal: Journal
    credential: Credential
    trust: TrustStore
    now: Callable[[], datetime]
    provider_url: Callable[[Service], str]
    link: ProviderLink
    max_bytes: int
    max_clock_skew: timedelta = timedelta(minutes=5)
    xml_limits: XmlLimits = field(default_factory=XmlLimits)
