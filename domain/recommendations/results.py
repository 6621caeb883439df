"""Results computed once: a ranking, a points breakdown or a gap report is a pure function of (snapshot,
catalog generation, day), and snapshots never change, so each is computed once per process and served from
here until the catalog moves to a new generation (which changes the key: old entries simply age out)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass
class ComputedResults:
    """The `size` most recently used results of this process. An empty generation means the catalog's was
    not known (its cache unreachable): then nothing is kept, since nothing could invalidate it."""

    size: int = 512
    _items: OrderedDict[Hashable, object] = field(default_factory=OrderedDict, repr=False)
    computed: int = 0  # how many results were computed rather than found (a figure for tests and benches)

    def get_or_compute(self, generation: str, key: Hashable, compute: Callable[[], T]) -> T:
        if not generation:
            self.computed += 1
            return compute()
        full = (generation, key)
        if full in self._items:
            self._items.move_to_end(full)
            found: T = self._items[full]  # type: ignore[assignment]
            return found
        value = compute()
        self.computed += 1
        self._items[full] = value
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return value
