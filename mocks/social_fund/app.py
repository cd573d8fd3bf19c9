"""Composition root of the State Social Insurance Fund mock: ``create_app(settings)``.

- ``/bip-sync/``: the SyncChannel provider of ``GFSS_ContributionsQuery`` (docs/protocol.md),
  accepting only gateway-signed requests and signing its answers;
- ``GET /health``;
- ``GET /admin/contributions/{iin}``: every contribution the fund has received for a person by today.

The fund's participants are the synthetic population: the same population file the person registry holds
(:mod:`mocks.population_store`; whichever of the two starts first writes it, with ``settings.population_seed``
and ``settings.population_size``), so what the two say about someone agrees, and an operator's edit of the
file reaches both.
"""

from __future__ import annotations

from fastapi import FastAPI

from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from ecosystem.app import create_system_app
from ecosystem.context import system_context
from ecosystem.settings import Settings
from mocks.population_store import PopulationStore
from mocks.social_fund.service import ContributionsQueryError, SocialFundService

SYSTEM = "social_fund"


def create_app(settings: Settings) -> FastAPI:
    context = system_context(settings, SYSTEM)
    people = PopulationStore.open(settings.data_dir, seed=settings.population_seed, size=settings.population_size)
    service = SocialFundService(people, now=context.now, max_bytes=settings.max_message_bytes)

    def handler(message: InboundMessage) -> Payload:
        try:
            return service.handle(message.payload)
        except ContributionsQueryError as exc:
            raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc

    app = create_system_app(
        context,
        title="State Social Insurance Fund (GFSS)",
        description="GFSS_ContributionsQuery at /bip-sync/ (through the gateway); admin /admin/contributions",
    )
    app.mount("/bip-sync", context.sync_provider("SocialFund", handler))


    @app.get("/admin/contributions/{iin}")
    def contributions(iin: str) -> dict[str, object]:
        found, received = service.contributions(iin)
        return {
            "iin": iin,
            "personFound": found,
            "asOf": service.as_of().isoformat(),
            "contributions": [
                {
                    "month": f"{item.month:%Y-%m}",
                    "employerBin": item.employer.bin,
                    "employerName": item.employer.name,
                    "income": f"{item.income:.2f}",
                    "amount": f"{item.amount:.2f}",
                    "paidOn": item.paid_on.isoformat(),
                }
                for item in received
            ],
        }

    return app
