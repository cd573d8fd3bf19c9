"""HTTP routes of the employment centre's services on the portal (bearer token):

- job-seeker registration (JS-10 after JS-11; :mod:`mocks.portal.address_confirmation`):
  ``POST /api/services/job-seeker-registration/address-check`` checks the form and shows the registered
  address the person registry holds (201; 422 the form or no address, 503 the registry out of reach), then
  ``POST …/{id}/confirm`` signs and sends it (202; 403 no EDS key, 404, 409 not awaiting, 413, 422) or
  ``POST …/{id}/cancel`` stops it unsent (the cabinet's entry; 404, 409);
- the certificate of registration as unemployed (CE-1; :mod:`mocks.portal.certificates`):
  ``POST /api/certificates`` sends the Annex 7 application signed with the applicant's key (202; 403, 422).
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from mocks.portal.address_confirmation import (
    AddressConfirmation,
    NoRegisteredAddressError,
    NotAwaitingConfirmationError,
    RegistryUnreachableError,
)
from mocks.portal.application_routes import accepted_out, cabinet_application_out
from mocks.portal.applications import (
    ApplicationNotFoundError,
    FormRejectedError,
    FormTooLargeError,
    NoSigningKeyError,
)
from mocks.portal.certificates import CertificateApplications
from mocks.portal.schemas import (
    AddressCheckOut,
    CabinetApplication,
    CertificateRequest,
    ErrorOut,
    JobSeekerRegistrationRequest,
    SubmissionAccepted,
)
from mocks.portal.sessions import CurrentCitizen

JOB_SEEKER_PATH = "/api/services/job-seeker-registration"


def employment_router(
    confirmation: AddressConfirmation, certificates: CertificateApplications, *, centre_name: str
) -> APIRouter:
    """The routes of the module docstring; ``centre_name`` is the employment centre the address check names."""
    router = APIRouter()

    @router.post(
        f"{JOB_SEEKER_PATH}/address-check",
        status_code=201,
        response_model=AddressCheckOut,
        responses={401: {"model": ErrorOut}, 422: {"model": ErrorOut}, 503: {"model": ErrorOut}},
    )
    def prepare_job_seeker_application(citizen: CurrentCitizen, form: JobSeekerRegistrationRequest) -> AddressCheckOut:
        """JS-11, step 1: check the form and show the registered address the person registry holds."""
        try:
            view = confirmation.prepare(citizen.iin, form.model_dump(mode="json", exclude_none=True))
        except FormRejectedError as exc:
            raise HTTPException(422, str(exc)) from exc
        except NoRegisteredAddressError as exc:
            raise HTTPException(422, str(exc)) from exc
        except RegistryUnreachableError as exc:
            raise HTTPException(503, str(exc)) from exc
        path = f"{JOB_SEEKER_PATH}/{view.application_id}"
        return AddressCheckOut(
            applicationId=view.application_id,
            status=view.status_label,  # type: ignore[arg-type]
            registeredAddress=view.registered_address or "",
            centre=centre_name,
            question=view.notice or "",
            confirmUrl=f"{path}/confirm",
            cancelUrl=f"{path}/cancel",
        )

    @router.post(
        f"{JOB_SEEKER_PATH}/{{application_id}}/confirm",
        status_code=202,
        response_model=SubmissionAccepted,
        responses={
            401: {"model": ErrorOut},
            403: {"model": ErrorOut},
            404: {"model": ErrorOut},
            409: {"model": ErrorOut},
            413: {"model": ErrorOut},
            422: {"model": ErrorOut},
        },
    )
    def confirm_job_seeker_application(citizen: CurrentCitizen, application_id: str) -> SubmissionAccepted:
        """JS-11, step 2: the applicant agrees; the form is signed with their key and sent (JS-10)."""
        try:
            view = confirmation.confirm(citizen.iin, application_id)
        except ApplicationNotFoundError as exc:
            raise HTTPException(404, str(exc)) from exc
        except NotAwaitingConfirmationError as exc:
            raise HTTPException(409, str(exc)) from exc
        except FormTooLargeError as exc:
            raise HTTPException(413, str(exc)) from exc
        except FormRejectedError as exc:
            raise HTTPException(422, str(exc)) from exc
        except NoSigningKeyError as exc:
            raise HTTPException(403, str(exc)) from exc
        return accepted_out(view)

    @router.post(
        f"{JOB_SEEKER_PATH}/{{application_id}}/cancel",
        response_model=CabinetApplication,
        responses={401: {"model": ErrorOut}, 404: {"model": ErrorOut}, 409: {"model": ErrorOut}},
    )
    def cancel_job_seeker_application(citizen: CurrentCitizen, application_id: str) -> CabinetApplication:
        """JS-11, step 2 declined: the application stops and is not sent."""
        try:
            return cabinet_application_out(confirmation.cancel(citizen.iin, application_id))
        except ApplicationNotFoundError as exc:
            raise HTTPException(404, str(exc)) from exc
        except NotAwaitingConfirmationError as exc:
            raise HTTPException(409, str(exc)) from exc

    @router.post(
        "/api/certificates",
        status_code=202,
        response_model=SubmissionAccepted,
        responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 422: {"model": ErrorOut}},
    )
    def apply_for_certificate(citizen: CurrentCitizen, request: CertificateRequest) -> SubmissionAccepted:
        """CE-1: the Annex 7 application, signed with the applicant's key, sent to the employment centre."""
        try:
            view = certificates.apply(
                citizen.iin,
                citizen.full_name,
                consent_to_personal_data=request.consentToPersonalData,
                warned_of_liability=request.warnedOfLiability,
                phone=request.phone,
                email=request.email,
            )
        except FormRejectedError as exc:
            raise HTTPException(422, str(exc)) from exc
        except NoSigningKeyError as exc:
            raise HTTPException(403, str(exc)) from exc
        return accepted_out(view)

    return router
