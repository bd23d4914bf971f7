"""A thread-safe least-recently-used cache bounded in bytes, not in entries.

Maps are HTML pages of 0.5 to 20 MB, so a cache that counts entries can hold anything from a
few megabytes to gigabytes. :class:`ByteLRU` counts the size of what it holds (as measured by
a function given to it) and evicts the least recently used entries to stay within a budget.
The library never imports Streamlit; the app holds one process-wide instance.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
import pandas as pd
import shapely
from geopandas.array import GeometryDtype

from flowmap.render.live import LiveMap

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass(frozen=True)
class CacheStats:
    """A snapshot of a cache's counters.

    Attributes
    ----------
    entries : int
        Number of values held.
    bytes : int
        Sum of the sizes of the values held.
    max_bytes : int
        The budget: ``bytes`` never exceeds it.
    hits : int
        Look-ups answered from the cache (or from a computation another thread was running).
    misses : int
        Look-ups not answered from the cache.
    evictions : int
        Values dropped to make room for others.
    """

    entries: int
    bytes: int
    max_bytes: int
    hits: int
    misses: int
    evictions: int


class _Flight(Generic[V]):
    """A computation in progress, which other threads asking for the same key wait for."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.ok = False
        self.value: V | None = None


class ByteLRU(Generic[K, V]):
    """A least-recently-used cache whose values together never exceed ``max_bytes``.

    Parameters
    ----------
    max_bytes : int
        The budget, in bytes (zero stores nothing).
    size_of : Callable[[V], int]
        Returns the size of a value, in bytes. It is called once per value put in the
        cache, outside the lock.

    Notes
    -----
    All methods may be called from any thread. :meth:`get_or_compute` runs the computation
    outside the lock, and a thread asking for a key that another thread is computing waits
    for that result instead of computing it a second time.

    Examples
    --------
    >>> cache = ByteLRU[str, str](10, size_of=len)
    >>> cache.put("a", "12345")
    >>> cache.put("b", "123456")
    >>> cache.get("a") is None, cache.get("b")
    (True, '123456')
    """

    def __init__(self, max_bytes: int, *, size_of: Callable[[V], int]) -> None:
        if max_bytes < 0:
            raise ValueError(f"max_bytes must be zero or more, not {max_bytes}")
        self._max_bytes = max_bytes
        self._size_of = size_of
        self._lock = threading.Lock()
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._flights: dict[K, _Flight[V]] = {}
        self._bytes = 0
        self._hits = 0
        self._misses = 0
        self._evictions = 0

    @property
    def max_bytes(self) -> int:
        """The budget, in bytes."""
        return self._max_bytes

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._items

    def get(self, key: K) -> V | None:
        """Return the value stored under ``key`` (and mark it as recently used), or ``None``.

        Parameters
        ----------
        key : K
            The key.

        Returns
        -------
        V or None
            The value, or ``None`` when the key is not held.
        """
        with self._lock:
            return self._lookup(key)

    def put(self, key: K, value: V) -> None:
        """Store ``value`` under ``key``, evicting least recently used values to make room.

        A value larger than the whole budget is not stored (and any older value under the
        same key is dropped, so the cache never answers with a stale value).

        Parameters
        ----------
        key : K
            The key.
        value : V
            The value.

        Raises
        ------
        ValueError
            If ``size_of`` returns a negative size.
        """
        size = self._measure(value)
        with self._lock:
            self._store(key, value, size)

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        """Return the value under ``key``, computing and storing it when it is not held.

        ``compute`` runs outside the lock. While it runs, other threads asking for the same
        key wait for its result; if it raises, the exception reaches its caller and one of
        the waiting threads computes the value itself.

        Parameters
        ----------
        key : K
            The key.
        compute : Callable[[], V]
            Builds the value (called at most once per call of this method).

        Returns
        -------
        V
            The stored or freshly computed value (returned even when too large to store).
        """
        while True:
            with self._lock:
                if key in self._items:
                    return self._lookup_held(key)
                flight = self._flights.get(key)
                if flight is None:
                    flight = _Flight()
                    self._flights[key] = flight
                    self._misses += 1
                    owner = True
                else:
                    owner = False
            if owner:
                return self._compute(key, compute, flight)
            flight.done.wait()
            if flight.ok:
                with self._lock:
                    self._hits += 1
                return flight.value  # type: ignore[return-value]
            # The computation failed: try again (this thread may become the owner).

    def stats(self) -> CacheStats:
        """Return a snapshot of the counters.

        Returns
        -------
        CacheStats
            Entries, bytes, budget, hits, misses and evictions.
        """
        with self._lock:
            return CacheStats(
                entries=len(self._items),
                bytes=self._bytes,
                max_bytes=self._max_bytes,
                hits=self._hits,
                misses=self._misses,
                evictions=self._evictions,
            )

    def clear(self) -> None:
        """Drop every value (the counters of hits, misses and evictions are kept)."""
        with self._lock:
            self._items.clear()
            self._bytes = 0

    # ------------------------------------------------------------------ internals

    def _measure(self, value: V) -> int:
        size = int(self._size_of(value))
        if size < 0:
            raise ValueError(f"size_of returned a negative size: {size}")
        return size

    def _lookup(self, key: K) -> V | None:
        """Return the value under ``key`` and count a hit or miss (lock held)."""
        if key not in self._items:
            self._misses += 1
            return None
        return self._lookup_held(key)

    def _lookup_held(self, key: K) -> V:
        """Return a held value, mark it as most recently used, count a hit (lock held)."""
        self._items.move_to_end(key)
        self._hits += 1
        return self._items[key][0]

    def _store(self, key: K, value: V, size: int) -> None:
        """Store a measured value, evicting as needed (lock held)."""
        old = self._items.pop(key, None)
        if old is not None:
            self._bytes -= old[1]
        if size > self._max_bytes:
            return
        while self._items and self._bytes + size > self._max_bytes:
            _, (_, dropped) = self._items.popitem(last=False)
            self._bytes -= dropped
            self._evictions += 1
        self._items[key] = (value, size)
        self._bytes += size

    def _compute(self, key: K, compute: Callable[[], V], flight: _Flight[V]) -> V:
        """Run ``compute`` for a key this thread owns, store it and wake the waiters."""
        try:
            value = compute()
            size = self._measure(value)
        except BaseException:
            with self._lock:
                del self._flights[key]
            flight.done.set()
            raise
        flight.value = value
        flight.ok = True
        with self._lock:
            self._store(key, value, size)
            del self._flights[key]
        flight.done.set()
        return value


def size_of_html(text: str) -> int:
    """Return the memory a string takes in this process, in bytes.

    CPython stores a string with 1, 2 or 4 bytes per character (2 for the Cyrillic of the
    Kyrgyz and Russian maps), plus a small header; ``sys.getsizeof`` reports exactly that
    (and the cached UTF-8 copy, if one was made), without copying the text.

    Parameters
    ----------
    text : str
        The HTML of a page.

    Returns
    -------
    int
        Its size in bytes.
    """
    return sys.getsizeof(text)


def size_of_live(live: LiveMap) -> int:
    """Return the memory the texts of a live map take in this process, in bytes (its
    spec's and its layers' JSON, as :func:`size_of_html` counts a page).

    Parameters
    ----------
    live : flowmap.render.live.LiveMap
        What the app's live map is sent for one map.

    Returns
    -------
    int
        Its size in bytes.
    """
    return sys.getsizeof(live.spec) + sum(sys.getsizeof(text) for _, text in live.features)


def size_of_frame(frame: pd.DataFrame) -> int:
    """Return a rough size of a (Geo)DataFrame in memory, in bytes.

    The size is ``memory_usage(deep=True)`` (index included) plus, for each geometry column,
    the size of its geometries as WKB, which is close to what GEOS holds for them (pandas
    counts only the pointers to the geometry objects).

    Parameters
    ----------
    frame : pandas.DataFrame
        A DataFrame or GeoDataFrame.

    Returns
    -------
    int
        Its approximate size in bytes.
    """
    total = int(frame.memory_usage(deep=True, index=True).sum())
    for _, column in frame.items():
        if isinstance(column.dtype, GeometryDtype):
            wkb = shapely.to_wkb(np.asarray(column.array, dtype=object))
            total += sum(len(item) for item in wkb if item is not None)
    return total
