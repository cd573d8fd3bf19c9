"""The state systems the authority verifies the centre's data in (Rules No. 259 §32), through the gateway.

- The person registry (``GBDFL_UniversalServiceSync``, :mod:`adapters.person_registry`): identity data, sex, and
  the statuses the authority needs: a ``deathDate`` or the deceased ``lifeStatus`` is a deceased person; an
  ``imprisonedStatus`` of a sentence being served a person serving a sentence.
- The State Social Insurance Fund (``GFSS_ContributionsQuery``, :mod:`contracts.gfss`): labour contracts and
  the months contributions came for.

A fault, a lost connection or an unreadable answer is :class:`StateSystemUnavailable`: nothing is decided and
the decision worker tries again later.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from adapters.person_registry import PersonRegistryClient, PersonRegistryUnavailable, RegistryPerson
from adapters.shep.service_call import SyncSender
from adapters.social_fund import SocialFundClient, SocialFundUnavailable
from mocks.local_authority.domain.models import InsuranceFacts, LabourContract, RegistryFacts, Sex
from mocks.local_authority.service_layer.ports import StateSystemUnavailable

REGISTRY = "the person registry"
FUND = "the State Social Insurance Fund"
_SEXES = {"1": Sex.MALE, "2": Sex.FEMALE}


def registry_facts(person: RegistryPerson) -> RegistryFacts:
    """What the authority reads of the registry's ``person``."""
    return RegistryFacts(
        iin=person.iin,
        surname=person.surname,
        name=person.name,
        patronymic=person.patronymic,
        birth_date=person.birth_date,
        sex=_SEXES.get(person.gender_code),
        deceased=person.deceased,
        imprisoned=person.imprisoned,
    )


class GatewayStateSystems:
    """The person registry and the fund, asked as the local authority (sender ``MIO_EMPLOYMENT``)."""

    def __init__(self, sync: SyncSender, sender_code: str, now: Callable[[], datetime]) -> None:
        self._sync = sync
        self._sender_code = sender_code
        self._now = now
        self._fund = SocialFundClient(sync, now)
        self._registry = PersonRegistryClient(sync, sender_code, now)

    def person(self, iin: str, correlation_id: str | None) -> RegistryFacts | None:
        try:
            person = self._registry.find_by_iin(iin, correlation_id)
        except PersonRegistryUnavailable as exc:
            raise StateSystemUnavailable(REGISTRY, str(exc)) from exc
        return registry_facts(person) if person is not None else None

    def insurance(self, iin: str, since: date, until: date, correlation_id: str | None) -> InsuranceFacts:
        try:
            answer = self._fund.query(iin, since.replace(day=1), until.replace(day=1), correlation_id)
        except SocialFundUnavailable as exc:
            raise StateSystemUnavailable(FUND, str(exc)) from exc
        return InsuranceFacts(
            contracts=tuple(
                LabourContract(period.employer_bin, period.employer_name, period.start, period.end)
                for period in answer.periods
            ),
            contribution_months=tuple(sorted({record.month for record in answer.records})),
        )
