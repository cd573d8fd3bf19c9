"""SP-7 (regulation 004 §1 (1)): whether the applicant is registered as unemployed, asked of the employment centre
through the gateway (``ENBEK_UnemployedStatusQuery``, provider ``ENBEK_LABOUR_MARKET``).

The fund writes ``unemployedStatusQuery`` (:mod:`contracts.unemployment_status`: a query id, the IIN, the day) and
reads the centre's ``unemployedStatusAnswer``: registered on that day, and since when (the day the right to the
payment arose, PE-1: Social Code Art. 113 p.1, Art. 114 p.3). A fault, a lost connection or an answer that cannot
be read, or that speaks of someone else, is :class:`StateSystemUnavailable`: the executor's step is put off and
tried again; nothing is decided without SP-7.
"""

from __future__ import annotations

import uuid
from datetime import date

from adapters.shep.service_call import ServiceCallError, SyncSender, call_service
from contracts import unemployment_status as us
from mocks.social_fund.service_layer.ports import Registration, StateSystemUnavailable

CENTRE = "the employment centre"


class GatewayUnemployedRegister:
    """The centre's register, asked as the fund (sender ``GFSS``)."""

    def __init__(self, sync: SyncSender) -> None:
        self._sync = sync

    def status(self, iin: str, on: date, correlation_id: str | None) -> Registration:
        query = us.UnemployedStatusQuery(f"GFSS-Q-{uuid.uuid4().hex[:16]}", iin, on)
        try:
            element = call_service(self._sync, us.QUERY_SERVICE_ID, us.write_query(query), correlation_id)
            answer = us.read_answer(element)
        except ServiceCallError as exc:
            raise StateSystemUnavailable(CENTRE, str(exc)) from exc
        except us.UnemploymentPayloadError as exc:
            raise StateSystemUnavailable(CENTRE, f"the answer cannot be read: {exc}") from exc
        if answer.iin != iin or answer.on != on:
            raise StateSystemUnavailable(CENTRE, f"the answer speaks of {answer.iin} on {answer.on}, not {iin} on {on}")
        return Registration(registered=answer.registered, registered_on=answer.registered_on)
