"""SP-7 (regulation 004 §1 (1)): whether the applicant is registered as unemployed, asked of the employment centre
through the gateway (``ENBEK_UnemployedStatusQuery``, provider ``ENBEK_LABOUR_MARKET``).

The query's payloads (``unemployedStatusQuery`` / ``unemployedStatusAnswer`` of
:mod:`contracts.unemployment_status`) are being added with the centre's provider; until they are on this branch,
:class:`CentreNotWired` stands in: it answers nothing, so the executor's step is put off (as when the centre does
not answer) and the application waits, visibly, with this reason on it. Nothing is decided without SP-7.
"""

from __future__ import annotations

from datetime import date

from mocks.social_fund.service_layer.ports import Registration, StateSystemUnavailable

CENTRE = "the employment centre"


class CentreNotWired:
    def status(self, iin: str, on: date, correlation_id: str | None) -> Registration:
        raise StateSystemUnavailable(CENTRE, "ENBEK_UnemployedStatusQuery is not wired into the fund yet (SP-7)")
