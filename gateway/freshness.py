"""Replays and stale messages: a signed message is valid forever, so the gateway bounds how long it counts.

A message whose ``messageDate`` is further from the gateway's clock than the allowed skew is refused;
within the window, a ``(sender, messageId)`` already accepted is refused by the journal
(:meth:`gateway.journal.Journal.accept`). Both answer SCE008.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from adapters.shep.faults import ErrorCode
from gateway.errors import GatewayError
from gateway.journal import DuplicateMessage
from kernel.clock import almaty


def require_fresh(message_date: datetime, now: datetime, max_skew: timedelta) -> None:
    """Refuse a message dated outside ``now ± max_skew`` (a date without a zone is read as Almaty time)."""
    dated = message_date if message_date.tzinfo else message_date.replace(tzinfo=almaty())
    if abs(now - dated) > max_skew:
        raise GatewayError(
            ErrorCode.REPLAY_OR_STALE,
            f"messageDate {dated.isoformat()} is more than {int(max_skew.total_seconds())} s from the gateway's "
            f"time {now.isoformat()}: stale or replayed",
        )


def replay_error(error: DuplicateMessage) -> GatewayError:
    return GatewayError(ErrorCode.REPLAY_OR_STALE, f"replayed message: {error}")
