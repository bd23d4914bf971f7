"""Sums of counts that 64-bit integers hold, or a clear error (:mod:`flowmap.engine.flows`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from flowmap.core import lazy
from flowmap.core.errors import FlowmapError
from flowmap.text.i18n import Count, msg

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy.module("pandas")  # imported on first use (flowmap.core.lazy)

INT64_MAX = int(np.iinfo(np.int64).max)
_SAFE = 2**62
"""Counts whose absolute values add up to less than this cannot overflow in any sum."""


def check_sums(
    counts: pd.Series, by: Sequence[pd.Series], name: Callable[[tuple[Any, ...]], str]
) -> None:
    """Refuse sums of ``counts`` grouped by ``by`` that 64-bit integers cannot hold (numpy
    would wrap them round, silently, to a wrong or negative number).

    One float sum of all the counts says whether any group could overflow; only then are
    the groups that could be summed again exactly, as two 64-bit sums of each count's
    high and low 32 bits (no Python integer per row).

    Raises
    ------
    FlowmapError
        Naming the first group that overflows (``name`` of its key, such as ``A → B``),
        its exact sum and the limit.
    """
    values = counts.to_numpy(dtype=np.int64)
    if len(values) == 0 or float(np.abs(values.astype("float64")).sum()) < _SAFE:
        return
    options: dict[str, Any] = {"sort": False, "observed": True}
    keys = list(by)
    near = pd.Series(values.astype("float64"), index=counts.index).groupby(keys, **options).sum()
    if not (near.abs() >= _SAFE).any():
        return
    high = pd.Series(values >> 32, index=counts.index).groupby(keys, **options).sum()
    low = pd.Series(values & 0xFFFFFFFF, index=counts.index).groupby(keys, **options).sum()
    for key, is_near, up, down in zip(near.index, near.abs() >= _SAFE, high, low, strict=True):
        total = int(up) * 2**32 + int(down)
        if is_near and abs(total) > INT64_MAX:
            parts = key if isinstance(key, tuple) else (key,)
            raise FlowmapError(
                msg(
                    "general.sum_overflow",
                    flow=name(parts),
                    total=Count(total),
                    max=Count(INT64_MAX),
                )
            )


__all__ = ["INT64_MAX", "check_sums"]
