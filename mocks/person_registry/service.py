"""The person registry's service: answer one ``GBDFL_UniversalServiceSync`` request (docs/contracts.md).

A request searches (docs/contracts.md) by ``iin`` (its check digit must be right, kernel/iin.py), by
``documentNumber``, or by the person's data: ``surname`` with at least one of ``name``, ``patronymic``,
``birthDate``, ``birthDateFrom``, ``birthDateTo``. Every criterion given must match (names compared without
regard to case, ``ё`` as ``е``). A request with none of these, with a wrong IIN or with a date range that ends
before it begins raises :class:`RegistryRequestError`, which the application turns into an ``SCE001`` fault.
Finding no one is a successful answer with ``messageResult`` 00002; finding more than one answer carries is
00003. The people are as the registry knows them on the shared clock's date.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from adapters.shep.envelope import Payload
from adapters.xml import XmlRejected
from contracts.gbdfl import RegistryRequest, RegistryRequestError, read_request
from kernel.clock import almaty
from kernel.iin import is_valid_iin
from mocks.person_registry.gbdfl_payload import build_response
from mocks.population_store import PersonQuery, PopulationStore


def person_query(request: RegistryRequest) -> PersonQuery:
    """The search ``request`` asks for; raise :class:`RegistryRequestError` when it cannot be searched with."""
    if request.iin is not None and not is_valid_iin(request.iin):
        raise RegistryRequestError(f"request/iin {request.iin!r} is not a valid IIN (check digit)")
    by_data = (request.name, request.patronymic, request.birth_date, request.birth_date_from, request.birth_date_to)
    if request.iin is None and request.document_number is None:
        if request.surname is None:
            raise RegistryRequestError(
                "the request has no search criterion: give iin, documentNumber, or surname with name, "
                "patronymic, birthDate, birthDateFrom or birthDateTo"
            )
        if all(value is None for value in by_data):
            raise RegistryRequestError(
                "a search by surname needs one more criterion: name, patronymic, birthDate, birthDateFrom or "
                "birthDateTo"
            )
    if request.birth_date_from and request.birth_date_to and request.birth_date_from > request.birth_date_to:
        raise RegistryRequestError("request/birthDateFrom is after request/birthDateTo")
    return PersonQuery(
        iin=request.iin,
        surname=request.surname,
        name=request.name,
        patronymic=request.patronymic,
        birth_date=request.birth_date,
        birth_date_from=request.birth_date_from,
        birth_date_to=request.birth_date_to,
        document_number=request.document_number,
    )


class PersonRegistryService:
    """Search the population and build the GBD FL answer."""

    def __init__(
        self, people: PopulationStore, *, sender_code: str, now: Callable[[], datetime], max_bytes: int
    ) -> None:
        self._people = people
        self._sender_code = sender_code
        self._now = now
        self._max_bytes = max_bytes

    def handle(self, payload: Payload) -> Payload:
        """Answer the payload of one ``GBDFL_UniversalServiceSync`` request."""
        try:
            element = payload.document(self._max_bytes)
        except XmlRejected as exc:
            raise RegistryRequestError(f"the payload is not acceptable XML: {exc}") from exc
        request = read_request(element)
        found = self._people.search(person_query(request))
        now = self._now()
        answer = build_response(
            found,
            request=request,
            message_id=str(uuid.uuid4()),
            message_date=now,
            sender=self._sender_code,
            today=now.astimezone(almaty()).date(),
        )
        return Payload(element=answer)
