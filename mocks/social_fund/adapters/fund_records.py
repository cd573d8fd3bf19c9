"""The fund's own records as the service layer reads them: the population data of a participant (the same file as
the person registry's, PE-4 (3), PE-6) and the social contributions received for them (PE-3, PE-4 (6), Art. 118
p.2), from :class:`mocks.social_fund.adapters.contributions_query.SocialFundService`."""

from __future__ import annotations

from mocks.population_store import PersonLookup
from mocks.social_fund.adapters.contributions_query import SocialFundService
from mocks.social_fund.domain.documents import Person
from mocks.social_fund.domain.models import ReceivedContribution


class PopulationRecords:
    def __init__(self, people: PersonLookup) -> None:
        self._people = people

    def person(self, iin: str) -> Person | None:
        found = self._people.find(iin)
        if found is None:
            return None
        male = found.gender == "1"
        return Person(found.iin, found.surname, found.name, found.patronymic, found.birth_date, male=male)


class ContributionRecords:
    def __init__(self, service: SocialFundService) -> None:
        self._service = service

    def received(self, iin: str) -> tuple[ReceivedContribution, ...]:
        """Every contribution received by today, as the payment domain reads them (month, payer BIN, amount)."""
        _, received = self._service.contributions(iin)
        return tuple(ReceivedContribution(item.month, item.employer.bin, item.amount) for item in received)
