"""Who is calling: the citizen of a bearer token (the JSON API), or of the session cookie (the cabinet's HTML
pages, which a browser opens by a link and so cannot send a header with).

``POST /api/auth/login`` answers the token and also sets it as the cookie :data:`SESSION_COOKIE`, scoped to
the HTML pages only (``Path=/cabinet``), ``HttpOnly`` (no script reads it) and ``SameSite=Strict`` (no other
site's page sends it). The pages are read-only ``GET``s; every route that changes something is under
``/api/`` and takes the bearer token only, so a forged cross-site request cannot act with the cookie. The
pages accept the bearer token as well (for tools such as curl).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, Response

from mocks.portal.auth import SESSION_LIFETIME, Authenticator, Citizen, NotAuthenticatedError

SESSION_COOKIE = "egov_portal_session"
COOKIE_PATH = "/cabinet"


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def _citizen(request: Request, token: str | None) -> Citizen:
    authenticator: Authenticator = request.app.state.authenticator
    try:
        return authenticator.citizen_for(token)
    except NotAuthenticatedError as exc:
        raise HTTPException(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc


def current_citizen(request: Request, authorization: Annotated[str | None, Header()] = None) -> Citizen:
    """The citizen of the bearer token (the authenticator is the app's, set by the composition root)."""
    return _citizen(request, bearer_token(authorization))


def page_citizen(request: Request, authorization: Annotated[str | None, Header()] = None) -> Citizen:
    """The citizen of the bearer token, or else of the session cookie (the cabinet's HTML pages)."""
    return _citizen(request, bearer_token(authorization) or request.cookies.get(SESSION_COOKIE))


CurrentCitizen = Annotated[Citizen, Depends(current_citizen)]
PageCitizen = Annotated[Citizen, Depends(page_citizen)]


def set_session_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path=COOKIE_PATH,
        httponly=True,
        samesite="strict",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")
