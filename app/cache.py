"""Bounded memory for answers: the response cache, a segmented LRU so that a flood of one-off URLs
cannot flush the hot entries, and Recent, a plain LRU for answers made from the dataset.

A new entry waits in a small probation segment; only a second request for it promotes it to the
protected segment, which holds most of the bytes. One-off URLs (a client varying `limit` and
`offset`, a scanner, a flood of unique query strings) only ever churn probation, and with a
doorkeeper not even that: an entry is then kept from its second put, the first only noting its
key's hash, so that a one-off answer is freed as soon as it is sent. When protected
overflows, its least recently used entry goes back to probation for one more chance, and
`on_demote` is called, for a memo that may only hold protected entries.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, Protocol, TypeVar


class Sized(Protocol):
    """What the cache needs of an entry: its size in bytes."""

    @property
    def size(self) -> int: ...


EntryT = TypeVar("EntryT", bound=Sized)
ValueT = TypeVar("ValueT")


class SegmentedCache(Generic[EntryT]):
    """A byte-bounded segmented LRU cache (probation + protected)."""

    def __init__(
        self,
        max_bytes: int,
        probation_share: float = 0.2,
        on_demote: Callable[[], None] | None = None,
        doorkeeper: int = 0,
    ) -> None:
        self.max_bytes = max_bytes
        self.doorkeeper = doorkeeper  # how many keys put once are remembered (by hash); 0: none
        self.seen: set[int] = set()
        self.on_demote = on_demote
        self.probation_bytes_max = int(max_bytes * probation_share)
        self.protected_bytes_max = max_bytes - self.probation_bytes_max
        self.probation: OrderedDict[Hashable, EntryT] = OrderedDict()
        self.protected: OrderedDict[Hashable, EntryT] = OrderedDict()
        self.probation_bytes = 0
        self.protected_bytes = 0

    def __len__(self) -> int:
        return len(self.probation) + len(self.protected)

    def __contains__(self, key: Hashable) -> bool:
        return key in self.protected or key in self.probation

    def get(self, key: Hashable) -> EntryT | None:
        """The entry for `key`, or None; a hit in probation promotes the entry to protected."""
        entry = self.protected.get(key)
        if entry is not None:
            self.protected.move_to_end(key)
            return entry
        entry = self.probation.pop(key, None)
        if entry is None:
            return None
        self.probation_bytes -= entry.size
        self.protected[key] = entry
        self.protected_bytes += entry.size
        while self.protected_bytes > self.protected_bytes_max and len(self.protected) > 1:
            demoted_key, demoted = self.protected.popitem(last=False)
            self.protected_bytes -= demoted.size
            self._admit(demoted_key, demoted)
            if self.on_demote is not None:
                self.on_demote()
        return entry

    def fits(self, entry: EntryT) -> bool:
        """Whether the entry is small enough to be kept."""
        return entry.size <= self.probation_bytes_max

    def put(self, key: Hashable, entry: EntryT) -> None:
        """Keep a new entry on probation (with a doorkeeper, from its key's second put); one too large
        for probation is not kept at all."""
        if not self.fits(entry) or key in self:
            return
        if self.doorkeeper:
            digest = hash(key)
            if digest not in self.seen:
                if len(self.seen) >= self.doorkeeper:  # forget them all: a URL asked for again comes back
                    self.seen.clear()
                self.seen.add(digest)
                return
        self._admit(key, entry)

    def _admit(self, key: Hashable, entry: EntryT) -> None:
        self.probation[key] = entry
        self.probation_bytes += entry.size
        while self.probation_bytes > self.probation_bytes_max and self.probation:
            _, dropped = self.probation.popitem(last=False)
            self.probation_bytes -= dropped.size

    def clear(self) -> None:
        """Forget everything (a new dataset)."""
        self.probation.clear()
        self.protected.clear()
        self.seen.clear()
        self.probation_bytes = self.protected_bytes = 0


class Recent(Generic[ValueT]):
    """The most recently used answers of one kind, up to `keep` of them (a dataset may be large)."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self.items: OrderedDict[object, ValueT] = OrderedDict()

    def get(self, key: object, make: Callable[[], ValueT]) -> ValueT:
        """The answer for `key`, made if it is not kept."""
        value = self.items.get(key)
        if value is None:
            value = self.items[key] = make()
            while len(self.items) > self.keep:
                self.items.popitem(last=False)
        else:
            self.items.move_to_end(key)
        return value

    def clear(self) -> None:
        """Forget everything (a new dataset)."""
        self.items.clear()
