"""The status notice of an application, sent by the employment centre to the portal as an AsyncChannel
NOTIFICATION of ``ENBEK_JobSeekerRegistrationAsync`` (``messageData/data`` carries it as JSON text).

It says what the citizen reads in the personal cabinet while the application is "In progress" (portal user
guide: "request accepted", "In progress", "Done"): ``status`` is one of :class:`NoticeStatus`, ``text`` the
plain words, ``deadline`` the day the decision is due (Rules No. 259 §12, regulation 000 §10), if known.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from contracts.errors import PayloadError

MAX_TEXT = 500


class NoticeError(PayloadError):
    """A status notice does not follow its contract."""


class NoticeStatus(StrEnum):
    ACCEPTED = "ACCEPTED"  # the employment centre accepted the application for consideration


@dataclass(frozen=True)
class ApplicationNotice:
    application_id: str
    status: NoticeStatus
    text: str
    at: datetime
    deadline: datetime | None = None


def write_notice(notice: ApplicationNotice) -> str:
    return json.dumps(
        {
            "applicationId": notice.application_id,
            "status": notice.status.value,
            "text": notice.text,
            "at": notice.at.isoformat(),
            "deadline": notice.deadline.isoformat() if notice.deadline else None,
        },
        ensure_ascii=False,
    )


def read_notice(text: str) -> ApplicationNotice:
    """The notice in ``text``; :class:`NoticeError` naming the field that is missing or wrong."""
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise NoticeError(f"the status notice is not JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise NoticeError("the status notice must be a JSON object")
    application_id, status, words = raw.get("applicationId"), raw.get("status"), raw.get("text")
    if not isinstance(application_id, str) or not application_id or len(application_id) > 64:
        raise NoticeError("applicationId must be the application's id (1-64 characters)")
    if status not in {s.value for s in NoticeStatus}:
        raise NoticeError(f"status must be one of {', '.join(NoticeStatus)}, not {status!r}")
    if not isinstance(words, str) or not words or len(words) > MAX_TEXT:
        raise NoticeError(f"text must be the plain words for the citizen (1-{MAX_TEXT} characters)")
    at = _instant(raw, "at")
    if at is None:
        raise NoticeError("at must be the instant of the status change")
    return ApplicationNotice(application_id, NoticeStatus(status), words, at, _instant(raw, "deadline"))


def _instant(raw: dict[str, object], name: str) -> datetime | None:
    value = raw.get(name)
    if value is None:
        return None
    try:
        instant = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise NoticeError(f"{name} must be an ISO 8601 instant with its offset, not {value!r}") from exc
    if instant.tzinfo is None:
        raise NoticeError(f"{name} must carry its UTC offset (e.g. +05:00)")
    return instant
