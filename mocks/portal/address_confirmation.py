"""JS-11 (portal user guide, screen 8Б): before a job-seeker application is sent, the portal shows the
applicant their registered address as the person registry holds it and asks them to agree that the
employment centre is chosen by that address; if they cancel, the application stops there.

Three steps, each one transaction of the portal's store:

1. :meth:`AddressConfirmation.prepare`: the form is checked as at the door (:class:`JobSeekerApplications`),
   the person registry is asked through the gateway (``GBDFL_UniversalServiceSync``, by the applicant's IIN
   from the login session) and the application is stored "Awaiting your confirmation" with the address shown
   and an ``address`` event saying what was shown. No registered address, or no answer: nothing is stored.
2. :meth:`AddressConfirmation.confirm`: the form is signed with the applicant's key (JS-10) and the
   application becomes "In progress" with its delivery queued, in one transaction (``confirmed`` event).
3. :meth:`AddressConfirmation.cancel`: the application becomes "Cancelled" (``cancelled`` event) and is never
   sent.

Confirm and cancel act only on an application awaiting confirmation; the second of two concurrent calls
changes nothing and is told so.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from adapters.person_registry import PersonRegistryError
from adapters.storage import Outbox
from kernel.clock import almaty
from mocks.portal.applications import (
    SERVICE_NAME,
    ApplicationNotFoundError,
    ApplicationView,
    JobSeekerApplications,
    view_of,
)
from mocks.portal.storage import ApplicationEventRow, ApplicationRow, ApplicationStatus, PortalStore

LOG = logging.getLogger(__name__)


class RegistryPerson(Protocol):
    @property
    def address(self) -> str: ...


class PersonLookup(Protocol):
    """What the portal needs of :class:`adapters.person_registry.PersonRegistryClient`."""

    def find_by_iin(self, iin: str, correlation_id: str | None = None) -> RegistryPerson | None: ...


class NoRegisteredAddressError(Exception):
    """The person registry holds no registered address for the applicant: the centre cannot be chosen by it."""


class RegistryUnreachableError(Exception):
    """The person registry could not be asked (the gateway or the registry did not answer)."""


class NotAwaitingConfirmationError(Exception):
    """The application is not awaiting the applicant's confirmation (sent, cancelled, or finished already)."""


def shown_text(address: str, centre: str) -> str:
    return (
        f"The person registry holds your registered address as: {address}. Your application goes to the "
        f"employment centre of that address ({centre}). Confirm to sign and send it, or cancel (JS-11)."
    )


CONFIRMED = "You agreed that the employment centre is chosen by your registered address; the application is signed."
CANCELLED = "You did not agree with the registered address: the application was cancelled and not sent (JS-11)."


class AddressConfirmation:
    def __init__(
        self,
        store: PortalStore,
        applications: JobSeekerApplications,
        registry: Callable[[], PersonLookup],
        now: Callable[[], datetime],
        *,
        outbox: Outbox,
        centre_name: str,
        on_submitted: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._applications = applications
        self._registry = registry
        self._now = now
        self._outbox = outbox
        self._centre = centre_name
        self._on_submitted = on_submitted

    def _registered_address(self, iin: str, correlation_id: str) -> str:
        try:
            person = self._registry().find_by_iin(iin, correlation_id)
        except PersonRegistryError as exc:
            raise RegistryUnreachableError(
                "the person registry could not be asked for your registered address; please try again later"
            ) from exc
        address = person.address.strip() if person is not None else ""
        if not address:
            raise NoRegisteredAddressError(
                "the person registry holds no registered address for you, so the employment centre cannot be "
                "chosen by it (JS-11); apply at an employment centre in person"
            )
        return address

    def prepare(self, iin: str, form: Mapping[str, Any]) -> ApplicationView:
        """Check the form, ask the registry for the address, keep the application awaiting confirmation."""
        now = self._now().astimezone(almaty()).replace(microsecond=0)
        application_id = self._applications.new_application_id(now)
        self._applications.check_form(iin, application_id, now, form)
        address = self._registered_address(iin, application_id)
        row = ApplicationRow(
            id=application_id,
            iin=iin,
            service=SERVICE_NAME,
            status=ApplicationStatus.AWAITING_CONFIRMATION.value,
            submitted_at=now,
            prepared_form=json.dumps(dict(form), ensure_ascii=False),
            registered_address=address,
        )
        event = self._event(application_id, "address", shown_text(address, self._centre), now)
        self._store.add_prepared_application(row, event)
        LOG.info("application %s awaits its applicant's agreement to the registered address (JS-11)", application_id)
        return view_of(row, events=[event])

    def _awaiting(self, iin: str, application_id: str) -> ApplicationRow:
        row = self._store.application(application_id)
        if row is None or row.iin != iin:
            raise ApplicationNotFoundError(f"you have no application {application_id!r}")
        if row.status != ApplicationStatus.AWAITING_CONFIRMATION.value:
            raise NotAwaitingConfirmationError(self._not_awaiting(row))
        return row

    @staticmethod
    def _not_awaiting(row: ApplicationRow) -> str:
        return f"application {row.id} is not awaiting your confirmation (status {row.status})"

    def confirm(self, iin: str, application_id: str) -> ApplicationView:
        """The applicant agrees: sign the form and send the application (JS-10)."""
        row = self._awaiting(iin, application_id)
        now = self._now().astimezone(almaty())
        form = json.loads(row.prepared_form or "{}")
        signed_form = self._applications.sign_form(iin, application_id, now, form)
        event = self._event(application_id, "confirmed", CONFIRMED, now)
        values = {"signed_form": signed_form, "submitted_at": now.replace(microsecond=0)}
        if not self._store.send_prepared_application(application_id, values, event, self._outbox):
            raise NotAwaitingConfirmationError(self._not_awaiting(self._store.application(application_id) or row))
        LOG.info("application %s confirmed by its applicant and queued for delivery", application_id)
        self._on_submitted()
        return self._applications.cabinet_entry(iin, application_id)

    def cancel(self, iin: str, application_id: str) -> ApplicationView:
        """The applicant does not agree: the application stops (JS-11)."""
        row = self._awaiting(iin, application_id)
        now = self._now().astimezone(almaty())
        event = self._event(application_id, "cancelled", CANCELLED, now)
        if not self._store.cancel_prepared_application(application_id, now, event):
            raise NotAwaitingConfirmationError(self._not_awaiting(self._store.application(application_id) or row))
        LOG.info("application %s cancelled by its applicant at the registered address (JS-11)", application_id)
        return self._applications.cabinet_entry(iin, application_id)

    @staticmethod
    def _event(application_id: str, kind: str, text: str, at: datetime) -> ApplicationEventRow:
        return ApplicationEventRow(
            message_id=f"js11-{kind}:{application_id}",
            application_id=application_id,
            kind=kind,
            correlation_id=None,
            text=text,
            at=at,
        )
