"""The person registry's service: answer one ``GBDFL_UniversalServiceSync`` request (docs/contracts.md).

The request must carry an ``iin`` whose check digit is right (§6); anything else raises
:class:`RegistryRequestError`, which the application turns into an ``SCE001`` fault. A person the
registry does not know is a successful answer with ``messageResult`` 00002.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from adapters.shep.envelope import Payload
from adapters.xml import XmlRejected
from contracts.gbdfl import RegistryRequestError, read_request
from kernel.iin import is_valid_iin
from mocks.person_registry.gbdfl_payload import build_response
from mocks.person_registry.repository import PersonRepository


class PersonRegistryService:
    """Look a person up by IIN and build the GBD FL answer."""

    def __init__(
        self, repository: PersonRepository, *, sender_code: str, now: Callable[[], datetime], max_bytes: int
    ) -> None:
        self._repository = repository
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
        if request.iin is None:
            raise RegistryRequestError("request/iin is missing: this registry searches by IIN")
        if not is_valid_iin(request.iin):
            raise RegistryRequestError(f"request/iin {request.iin!r} is not a valid IIN (check digit)")
        person = self._repository.find(request.iin)
        answer = build_response(
            [person] if person is not None else [],
            request=request,
            message_id=str(uuid.uuid4()),
            message_date=self._now(),
            sender=self._sender_code,
        )
        return Payload(element=answer)
