"""A system started by the launcher never outlives it, however the launcher ends (even by SIGKILL).

The launcher puts its process id in the child's environment (:data:`PARENT_PID_ENV`); the child calls
:func:`follow_parent` first thing:

- on Linux it asks the kernel to send it SIGTERM when its parent dies (``prctl(PR_SET_PDEATHSIG)``), then
  checks that the parent did not die before it asked;
- everywhere, a watchdog thread checks twice a second that its parent is still the launcher (an orphan is
  adopted by another process) and ends the process if not: the portable fallback.

SIGTERM lets uvicorn close the system cleanly; a child that has not ended :data:`GRACE_SECONDS` after its
parent died is ended at once. ``PR_SET_PDEATHSIG`` fires when the *thread* that started the child ends:
start systems from a thread that lives as long as they should (the launcher's main thread does).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

__all__ = ["PARENT_PID_ENV", "follow_parent"]

PARENT_PID_ENV = "EGOV_SIM_PARENT_PID"
POLL_SECONDS = 0.5
GRACE_SECONDS = 5.0
_PR_SET_PDEATHSIG = 1


def follow_parent(parent_pid: int | None = None) -> bool:
    """End this process when ``parent_pid`` (default: from the environment) ends. False if there is no parent
    to follow (a system started by hand or by a container runtime)."""
    if parent_pid is None:
        raw = os.environ.get(PARENT_PID_ENV, "")
        if not raw.isdigit():
            return False
        parent_pid = int(raw)
    _ask_kernel_for_death_signal()
    if os.getppid() != parent_pid:
        # The launcher died before the kernel was asked to tell us: nobody is left to stop us.
        sys.exit(f"egov-sim: the launcher (pid {parent_pid}) is gone; not starting")
    threading.Thread(target=_watch, args=(parent_pid,), name="egov-sim-lifeline", daemon=True).start()
    return True


def _ask_kernel_for_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the watchdog thread still ends the process


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(POLL_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE_SECONDS)
    os._exit(1)
