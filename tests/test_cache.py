"""The byte-bounded LRU cache (``flowmap.app.cache``)."""

from __future__ import annotations

import random
import sys
import threading
import time
from collections.abc import Callable

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from flowmap.app.cache import ByteLRU, CacheStats, size_of_frame, size_of_html


def sized(max_bytes: int) -> ByteLRU[str, bytes]:
    """Return a cache of byte strings whose size is their length."""
    return ByteLRU(max_bytes, size_of=len)


def test_get_put_and_stats() -> None:
    cache = sized(100)
    assert cache.get("a") is None
    cache.put("a", b"x" * 10)
    assert cache.get("a") == b"x" * 10
    assert "a" in cache
    assert len(cache) == 1
    assert cache.stats() == CacheStats(
        entries=1, bytes=10, max_bytes=100, hits=1, misses=1, evictions=0
    )


def test_least_recently_used_is_evicted_first() -> None:
    cache = sized(30)
    for key in "abc":
        cache.put(key, b"x" * 10)
    assert cache.get("a") is not None  # "a" is now the most recently used; "b" the least
    cache.put("d", b"x" * 10)
    assert "b" not in cache
    assert all(key in cache for key in "acd")
    cache.put("e", b"x" * 20)  # needs two slots: "c" then "a" go
    assert "c" not in cache
    assert "a" not in cache
    assert all(key in cache for key in "de")
    assert cache.stats().evictions == 3
    assert cache.stats().bytes == 30


def test_replacing_a_key_counts_its_new_size_only() -> None:
    cache = sized(30)
    cache.put("a", b"x" * 20)
    cache.put("a", b"x" * 5)
    assert cache.stats().bytes == 5
    assert cache.stats().evictions == 0
    cache.put("b", b"x" * 25)
    assert cache.stats().bytes == 30
    assert cache.get("a") == b"x" * 5


def test_oversize_item_is_not_stored_and_drops_the_stale_value() -> None:
    cache = sized(10)
    cache.put("small", b"x" * 4)
    cache.put("a", b"x" * 3)
    cache.put("a", b"x" * 11)
    assert "a" not in cache
    assert cache.get("small") == b"x" * 4
    assert cache.stats().bytes == 4
    assert cache.stats().evictions == 0
    assert cache.get_or_compute("big", lambda: b"y" * 50) == b"y" * 50
    assert "big" not in cache
    assert cache.get("small") == b"x" * 4


def test_item_exactly_the_budget_is_stored() -> None:
    cache = sized(10)
    cache.put("a", b"x" * 3)
    cache.put("b", b"x" * 10)
    assert "b" in cache
    assert "a" not in cache
    assert cache.stats().bytes == 10


def test_zero_budget_stores_nothing_and_negative_is_refused() -> None:
    cache = sized(0)
    cache.put("a", b"x")
    assert len(cache) == 0
    cache.put("empty", b"")
    assert cache.get("empty") == b""
    with pytest.raises(ValueError, match="max_bytes"):
        sized(-1)


def test_negative_size_is_refused() -> None:
    cache: ByteLRU[str, str] = ByteLRU(10, size_of=lambda _: -1)
    with pytest.raises(ValueError, match="negative"):
        cache.put("a", "x")
    with pytest.raises(ValueError, match="negative"):
        cache.get_or_compute("a", lambda: "x")
    assert "a" not in cache
    assert cache._flights == {}  # a later call computes again instead of waiting forever


def test_budget_is_never_exceeded_under_random_use() -> None:
    rng = random.Random(7)
    cache = sized(1000)
    for _ in range(5000):
        key = str(rng.randrange(60))
        if rng.random() < 0.5:
            cache.put(key, b"x" * rng.randrange(0, 1200))
        else:
            cache.get_or_compute(key, lambda: b"x" * rng.randrange(0, 400))
        stats = cache.stats()
        assert stats.bytes <= 1000
        assert stats.bytes == sum(len(cache._items[k][0]) for k in cache._items)


def test_get_or_compute_computes_once_then_hits() -> None:
    cache = sized(100)
    calls: list[str] = []

    def build() -> bytes:
        calls.append("x")
        return b"value"

    assert cache.get_or_compute("k", build) == b"value"
    assert cache.get_or_compute("k", build) == b"value"
    assert calls == ["x"]
    stats = cache.stats()
    assert (stats.hits, stats.misses) == (1, 1)


def test_failed_computation_is_not_stored_and_raises() -> None:
    cache = sized(100)

    def fail() -> bytes:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        cache.get_or_compute("k", fail)
    assert "k" not in cache
    assert cache.get_or_compute("k", lambda: b"ok") == b"ok"


def test_clear_keeps_counters() -> None:
    cache = sized(100)
    cache.put("a", b"x" * 10)
    cache.get("a")
    cache.clear()
    stats = cache.stats()
    assert (stats.entries, stats.bytes, stats.hits) == (0, 0, 1)
    assert cache.get("a") is None


def run_threads(count: int, target: Callable[[int], None]) -> None:
    errors: list[BaseException] = []

    def wrapped(index: int) -> None:
        try:
            target(index)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive()
    assert errors == []


def test_same_key_is_computed_once_by_concurrent_threads() -> None:
    cache = sized(1000)
    calls = 0
    lock = threading.Lock()
    start = threading.Barrier(16)

    def build() -> bytes:
        nonlocal calls
        with lock:
            calls += 1
        time.sleep(0.2)
        return b"shared"

    results: list[bytes] = []

    def worker(_: int) -> None:
        start.wait()
        results.append(cache.get_or_compute("k", build))

    run_threads(16, worker)
    assert calls == 1
    assert results == [b"shared"] * 16
    stats = cache.stats()
    assert (stats.hits + stats.misses, stats.misses) == (16, 1)


def test_different_keys_are_computed_in_parallel() -> None:
    """Eight computations of eight keys meet at a barrier: it only opens when all eight run
    at once, so a cache that computed one key at a time would break it (after 10 s)."""
    cache = sized(1000)
    start = threading.Barrier(8)
    together = threading.Barrier(8, timeout=10)

    def meet() -> bytes:
        together.wait()
        return b"v"

    def worker(index: int) -> None:
        start.wait()
        cache.get_or_compute(str(index), meet)

    run_threads(8, worker)
    assert not together.broken
    assert len(cache) == 8


def test_waiters_retry_when_the_owner_fails() -> None:
    cache = sized(1000)
    attempts = 0
    lock = threading.Lock()
    start = threading.Barrier(4)

    def build() -> bytes:
        nonlocal attempts
        with lock:
            attempts += 1
            first = attempts == 1
        time.sleep(0.1)
        if first:
            raise RuntimeError("first attempt fails")
        return b"ok"

    outcomes: list[str] = []

    def worker(_: int) -> None:
        start.wait()
        try:
            outcomes.append(cache.get_or_compute("k", build).decode())
        except RuntimeError:
            outcomes.append("error")

    run_threads(4, worker)
    assert sorted(outcomes) == ["error", "ok", "ok", "ok"]
    assert attempts == 2


def test_many_threads_keep_the_budget() -> None:
    cache = sized(5000)
    peak = 0
    peak_lock = threading.Lock()

    def worker(index: int) -> None:
        nonlocal peak
        rng = random.Random(index)
        for _ in range(2000):
            key = str(rng.randrange(100))
            size = rng.randrange(0, 1500)
            value = b"x" * size
            if rng.random() < 0.5:
                cache.put(key, value)
            else:
                cache.get_or_compute(key, lambda: value)  # noqa: B023 (called right here)
            used = cache.stats().bytes
            with peak_lock:
                peak = max(peak, used)

    run_threads(12, worker)
    stats = cache.stats()
    assert peak <= 5000
    assert stats.bytes == sum(len(value) for value, _ in cache._items.values())
    assert stats.bytes == sum(size for _, size in cache._items.values())


def test_size_of_html_counts_wide_characters() -> None:
    ascii_text = "<p>" + "a" * 1000 + "</p>"
    cyrillic = "<p>" + "я" * 1000 + "</p>"
    assert size_of_html(ascii_text) >= 1007
    assert size_of_html(cyrillic) >= 2 * 1007
    assert size_of_html(cyrillic) == sys.getsizeof(cyrillic)


def test_size_of_frame_counts_geometry() -> None:
    plain = pd.DataFrame({"name": ["a" * 100, "b" * 100], "n": [1, 2]})
    assert size_of_frame(plain) >= 200
    ring = shapely.Point(0, 0).buffer(1, quad_segs=256)  # about 1025 points
    frame = gpd.GeoDataFrame({"name": ["x", "y"]}, geometry=[ring, None], crs="EPSG:4326")
    assert size_of_frame(frame) >= 1025 * 16
    assert size_of_frame(frame) < 1025 * 16 * 2 + 10_000
