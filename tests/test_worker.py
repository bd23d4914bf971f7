"""The worker: heavy reading in a child process, within a memory and a time limit."""

from __future__ import annotations

import time

import pytest

from flowmap.app import worker
from flowmap.core.errors import DataValidationError, FlowmapError
from flowmap.text.i18n import error_text, msg

MIB = 1024 * 1024


def add(a: int, b: int = 0) -> list[int]:
    return [a, b, a + b]


def refuse(source: str) -> None:
    raise DataValidationError(source, [msg("user.empty_file")], total=3)


def refuse_plain() -> None:
    raise FlowmapError(msg("user.view.only_places", file="p.csv"))


def allocate(mib: int) -> int:
    block = bytearray(mib * MIB)  # touched: zero-filled
    return len(block)


def sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def broken() -> None:
    raise KeyError("a bug")


def test_a_result_comes_back() -> None:
    assert worker.run(add, 2, b=3, name="t.csv") == [2, 3, 5]


def test_a_data_validation_error_keeps_its_problems_and_languages() -> None:
    with pytest.raises(DataValidationError) as caught:
        worker.run(refuse, "flows.csv", name="flows.csv")
    exc = caught.value
    assert exc.source == "flows.csv"
    assert exc.total == 3
    assert str(exc) == str(DataValidationError("flows.csv", [msg("user.empty_file")], total=3))
    assert "файл бош" in error_text(exc, "ky")
    assert "файл пуст" in error_text(exc, "ru")


def test_a_flowmap_error_keeps_its_message_in_every_language() -> None:
    with pytest.raises(FlowmapError) as caught:
        worker.run(refuse_plain, name="p.csv")
    assert type(caught.value) is FlowmapError
    assert "looks like a table of places" in error_text(caught.value, "en")
    assert "похож на таблицу мест" in error_text(caught.value, "ru")


def test_a_child_past_the_memory_limit_gives_the_memory_message() -> None:
    with pytest.raises(FlowmapError) as caught:
        worker.run(allocate, 200, name="big.csv", memory=64 * MIB)
    assert str(caught.value) == str(msg("user.worker.memory", file="big.csv", mb="64"))
    assert "64 МБ" in error_text(caught.value, "ru")
    # Within the limit, the same function works.
    assert worker.run(allocate, 8, name="small.csv", memory=64 * MIB) == 8 * MIB


def test_a_child_past_the_time_limit_is_killed() -> None:
    with pytest.raises(FlowmapError) as caught:
        worker.run(sleep, 60, name="slow.csv", seconds=0.5)
    assert "slow.csv took longer than 1 s" in str(caught.value)
    assert "1 секунддан ашык" in error_text(caught.value, "ky")


def test_another_exception_is_a_worker_failure_with_the_traceback() -> None:
    with pytest.raises(worker.WorkerError, match="KeyError: 'a bug'"):
        worker.run(broken, name="x.csv")
