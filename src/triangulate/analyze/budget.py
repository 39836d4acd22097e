"""The time budget of one article's analysis, and the guard that stops it when spent.

Every stage is meant to be linear (or capped) in the length of the text, so an article never
needs long; the budget is the backstop for what that promise misses, so that one input can
never hold up a run, a link or the web app's adds. It grows with the text
(settings.ANALYSIS_BUDGET_SECONDS + ANALYSIS_BUDGET_SECONDS_PER_KB per 1,000 characters).

The guard works in any thread (the web app analyses in a request thread, where no signal
can be delivered): a timer thread raises ``OverBudget`` inside the analysing thread with
``PyThreadState_SetAsyncExc``. The exception arrives at the next Python bytecode, so a
single long call into C (one spaCy batch) finishes first; worker processes are therefore
also watched from outside (``jobs``), and killed when they overrun by far.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from triangulate import settings


class OverBudget(BaseException):  # noqa: N818 -- a signal, like KeyboardInterrupt
    """Raised inside an analysis that ran past its budget.

    A BaseException, so the stages' own ``except Exception`` fallbacks cannot swallow it.
    """


def seconds_for(chars: int) -> float:
    """The time budget of an article of ``chars`` characters."""
    return settings.ANALYSIS_BUDGET_SECONDS + settings.ANALYSIS_BUDGET_SECONDS_PER_KB * chars / 1000


# Own prototypes of the one C function (one to set, one to clear with NULL), rather than
# argtypes on ctypes.pythonapi's shared attribute.
_set_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi))
_clear_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi))


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise OverBudget in this thread if the block runs longer than ``seconds`` (None or a
    non-positive value: no limit)."""
    if seconds is None or seconds <= 0:
        yield
        return
    thread = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(thread, OverBudget)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["done"] = True
        timer.cancel()
        if state["fired"]:
            # The exception may still be pending (it fires at the next bytecode): clear it,
            # so it can never surface after the block, and raise it here instead.
            _clear_async_exc(thread, None)
            raise OverBudget(f"over the time budget of {seconds:.0f} s")

