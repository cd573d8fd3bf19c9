"""HTTP routes of the citizen's login (SP-4; :mod:`mocks.portal.auth`):

- ``POST /api/auth/login``: IIN and password; the bearer token, also set as the session cookie the cabinet's
  HTML pages read (:mod:`mocks.portal.sessions`); 401 on a refusal;
- ``POST /api/auth/logout`` (bearer token): the session ends and the cookie is cleared;
- ``GET  /api/me`` (bearer token): who is logged in.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Response

from mocks.portal.auth import Authenticator, LoginRefusedError
from mocks.portal.schemas import CitizenOut, ErrorOut, LoginRequest, LoginResponse
from mocks.portal.sessions import CurrentCitizen, bearer_token, clear_session_cookie, set_session_cookie


def auth_router(authenticator: Authenticator) -> APIRouter:
    router = APIRouter()

    @router.post("/api/auth/login", response_model=LoginResponse, responses={401: {"model": ErrorOut}})
    def login(request: LoginRequest, response: Response) -> LoginResponse:
        try:
            token = authenticator.login(request.iin, request.password)
        except LoginRefusedError as exc:
            raise HTTPException(401, str(exc)) from exc
        set_session_cookie(response, token)  # for the cabinet's HTML pages (mocks.portal.sessions)
        return LoginResponse(token=token)

    @router.post("/api/auth/logout", status_code=204)
    def logout(
        citizen: CurrentCitizen, response: Response, authorization: Annotated[str | None, Header()] = None
    ) -> None:
        authenticator.logout(bearer_token(authorization) or "")
        clear_session_cookie(response)

    @router.get("/api/me", response_model=CitizenOut)
    def me(citizen: CurrentCitizen) -> CitizenOut:
        return CitizenOut(iin=citizen.iin, fullName=citizen.full_name)

    return router
