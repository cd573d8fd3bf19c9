"""The portal's side of the certificate of registration as unemployed (CE-1, CE-4; Rules No. 259 §38-43).

CE-1: the certificate is issued only through the portal, on an application signed with the applicant's EDS
(Rules Annex 7, §41); the service is free and its term is 1 day (Annex 6 items 3, 6). Here:

1. :meth:`CertificateApplications.apply` writes the Annex 7 application (``unemployedCertificateApplication``,
   :mod:`contracts.register_documents`) from the login session (IIN, full name) and the applicant's contacts,
   consent and acknowledgement of liability (both required by the form), signs it with the citizen's key (the
   stand-in for their signing tool), and stores it "In progress" with its outbox message and a copy of the
   signed application in the cabinet, in one transaction (§41: "the status of acceptance goes to the
   personal cabinet");
2. :class:`CertificateDelivery` sends it through the gateway as ``ENBEK_UnemployedCertificate``
   (SyncChannel); the answer is the certificate (Annex 8, CE-2) or the reasoned refusal (CE-3), signed by the
   centre's director, verified and kept in the cabinet (CE-4, §43) by the same :class:`ResultKeeper` as a
   job-seeker result; faults are handled by the one table of :mod:`mocks.portal.outcomes`.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from adapters.pki import Credential, subject_of
from adapters.shep import Payload
from adapters.shep.service_call import SyncSender
from adapters.signed_documents import sign_register_document
from adapters.storage import DeliveryRefused, Outbox
from contracts.register_documents import CERTIFICATE_SERVICE_ID, CertificateApplication, Person, RegisterKind
from kernel.clock import almaty
from mocks.portal.applications import ApplicationView, FormRejectedError, NoSigningKeyError, view_of
from mocks.portal.cabinet import new_document_id
from mocks.portal.storage import (
    CERTIFICATE_SERVICE,
    CERTIFICATE_TOPIC,
    ApplicationRow,
    ApplicationStatus,
    CabinetDocumentRow,
    PortalStore,
)
from mocks.portal.submission import ResultKeeper

LOG = logging.getLogger(__name__)

SERVICE_NAME = CERTIFICATE_SERVICE
SERVICE_TITLE = "Certificate of registration as unemployed"


class CertificateApplications:
    """Accept, sign and store applications for the certificate (CE-1)."""

    def __init__(
        self,
        store: PortalStore,
        outbox: Outbox,
        citizen_credential: Callable[[str], Credential],
        now: Callable[[], datetime],
        *,
        centre_name: str,
        on_submitted: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._outbox = outbox
        self._credential = citizen_credential
        self._now = now
        self._centre = centre_name
        self._on_submitted = on_submitted

    def apply(
        self,
        iin: str,
        full_name: str,
        *,
        consent_to_personal_data: bool,
        warned_of_liability: bool,
        phone: str | None = None,
        email: str | None = None,
    ) -> ApplicationView:
        """Write, sign and store the Annex 7 application; then wake the outbox."""
        if not consent_to_personal_data:
            raise FormRejectedError(
                "consentToPersonalData must be true: Annex 7 is given with the consent to collect and process the "
                "personal data the service needs"
            )
        if not warned_of_liability:
            raise FormRejectedError(
                "warnedOfLiability must be true: the applicant acknowledges the liability for unreliable data and "
                "false documents (Annex 7)"
            )
        now = self._now().astimezone(almaty()).replace(microsecond=0)
        application_id = f"EGOV-CE-{now:%Y}-{uuid.uuid4().hex[:12].upper()}"
        application = CertificateApplication(
            application_id=application_id,
            submitted_at=now,
            centre_name=self._centre,
            applicant=Person(iin, full_name),
            consent_to_personal_data=True,
            warned_of_liability=True,
            phone=phone,
            email=email,
        )
        try:
            credential = self._credential(iin)
        except FileNotFoundError as exc:
            raise NoSigningKeyError(
                f"citizen {iin} has no EDS key and certificate; the certificate is applied for with the "
                "applicant's EDS (CE-1, Rules No. 259 §41)"
            ) from exc
        signed = sign_register_document(application, credential)
        signer = subject_of(credential.certificate)
        row = ApplicationRow(
            id=application_id,
            iin=iin,
            service=SERVICE_NAME,
            status=ApplicationStatus.IN_PROGRESS.value,
            submitted_at=now,
            signed_form=signed,
        )
        copy = CabinetDocumentRow(
            id=new_document_id(),
            iin=iin,
            kind=RegisterKind.CERTIFICATE_APPLICATION.value,
            document_number=application_id,
            issuer_id=iin,
            issuer_name=full_name,
            issued_on=now.date().isoformat(),
            application_id=application_id,
            source="application",
            sender_id=None,
            document=signed,
            signer_common_name=signer.common_name,
            signer_iin=signer.iin,
            signer_bin=signer.bin,
            received_at=now,
        )
        self._store.add_application(row, self._outbox, CERTIFICATE_TOPIC, document=copy)
        LOG.info("certificate application %s accepted for delivery", application_id)
        self._on_submitted()
        return view_of(row)


class CertificateDelivery:
    """The outbox's delivery function for certificate applications (payload ``{"applicationId": …}``)."""

    def __init__(self, store: PortalStore, keeper: ResultKeeper, sync_sender: Callable[[], SyncSender]) -> None:
        self._store = store
        self._keeper = keeper
        self._sync = sync_sender

    def __call__(self, payload: dict[str, Any]) -> None:
        application_id = str(payload.get("applicationId", ""))
        row = self._store.application(application_id)
        if row is None or row.service != SERVICE_NAME:
            raise DeliveryRefused(f"no certificate application {application_id!r} in the portal's store")
        if row.status != ApplicationStatus.IN_PROGRESS.value:
            return  # already finished: a repeated delivery after a crash before the outbox was told
        try:
            application = Payload(text=row.signed_form or "")
            reply = self._sync().send(CERTIFICATE_SERVICE_ID, application, correlation_id=row.id)
            self._keeper.keep(reply.payload, row)
        except Exception as exc:  # every failure is classified (mocks.portal.outcomes), none is swallowed
            self._keeper.failed(row, exc)
