"""The time budget: an analysis that runs past it is stopped, in any thread, and nothing
of the stop leaks out of the guarded block."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest

from triangulate.analyze.budget import OverBudget, time_limit


def _spin() -> None:
    while True:
        pass


def _guarded_spin(seconds: float) -> float:
    began = time.perf_counter()
    with pytest.raises(OverBudget), time_limit(seconds):
        _spin()
    return time.perf_counter() - began


def test_a_loop_past_its_budget_is_stopped_in_the_main_thread():
    assert _guarded_spin(0.2) < 5


def test_a_loop_past_its_budget_is_stopped_in_a_request_thread():
    took: list[float] = []
    thread = threading.Thread(target=lambda: took.append(_guarded_spin(0.2)))
    thread.start()
    thread.join(10)
    assert took and took[0] < 5


def test_a_stage_catching_every_exception_cannot_swallow_the_stop():
    def stubborn() -> None:
        while True:
            with contextlib.suppress(Exception):  # what a careless stage does
                _spin()

    with pytest.raises(OverBudget), time_limit(0.2):
        stubborn()


def test_work_done_within_the_budget_leaves_nothing_behind():
    with time_limit(0.3):
        total = sum(range(1000))
    time.sleep(0.5)  # past the budget: no stray exception arrives later
    assert total == 499500


def test_no_budget_means_no_limit():
    with time_limit(None):
        time.sleep(0.01)
