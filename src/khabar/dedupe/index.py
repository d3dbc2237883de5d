"""An in-memory LSH index over MinHash signatures: which known articles may be near copies.

Banding: the signature's ``num_perm`` minima are cut into ``bands`` bands of ``rows`` values;
two signatures become candidates when any band is equal. The chance of that for Jaccard ``s``
is ``1 − (1 − s^rows)^bands``; with 32 bands of 4 rows it is 0.56 at s = 0.4, 0.87 at 0.5 and
0.99 at 0.6 (the decision threshold is 0.5, ``data/dedupe/thresholds.toml``). The index only
proposes candidates; :func:`khabar.dedupe.decide.decide` decides. A database-backed index can
store the same band keys (``band_keys``) as rows.

Layout (``bench/dedupe_scale.py``): each band is hashed to 64 bits with its band number (two
different bands colliding, ~n²/2⁶⁴, only adds a candidate) and kept as a (hash, slot) pair:
12 bytes, where a set per band value took ~360. New pairs wait in a dict; once it holds
``buffer`` hashes they are sorted and merged into a newer run, and the newer run into the main
one once it is an eighth of its size. So a query looks in the dict and at most two runs; the
main run is rewritten each time it grows by an eighth (about nine copies per pair overall),
and the newer run, up to an eighth of the main one, at each flush: the one cost that grows
with the index. A run finds a hash through a directory of its top bits (2-4 pairs per bucket)
instead of a binary search.
Removing a key marks its slot dead; merges drop dead pairs, and the whole index is renumbered
once dead slots outnumber live ones.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable
from dataclasses import dataclass
from itertools import repeat
from typing import Final, Generic, TypeVar

import numpy as np
import numpy.typing as npt

__all__ = ["NearDuplicateIndex", "band_keys"]

K = TypeVar("K", bound=Hashable)
Hashes = npt.NDArray[np.uint64]
Slots = npt.NDArray[np.uint32]
Alive = npt.NDArray[np.bool_]
Starts = npt.NDArray[np.int32] | npt.NDArray[np.int64]

_BYTES_PER_VALUE = 4
_BUFFER: Final = 1 << 18  # hashes held in the dict (~20 MB) before they are sorted into a run
_RATIO: Final = 8  # the newer run joins the main one once it is 1/_RATIO of its size
_PER_BUCKET: Final = 4  # a directory bucket holds 2-4 pairs on average
_STEPS: Final = np.arange(256)
_NO_SLOTS: Final = np.empty(0, dtype=np.uint32)
_NO_HASHES: Final = np.empty(0, dtype=np.uint64)
_GOLDEN: Final = np.uint64(0x9E3779B97F4A7C15)
_MIX: Final = np.uint64(0xBF58476D1CE4E5B9)
_MIX2: Final = np.uint64(0x94D049BB133111EB)


def band_keys(signature: bytes, bands: int) -> list[bytes]:
    """The ``bands`` keys of a signature: band number + that band's bytes."""
    width = _band_width(signature, bands)
    return [bytes([band]) + signature[band * width : (band + 1) * width] for band in range(bands)]


def _band_width(signature: bytes, bands: int) -> int:
    size, extra = divmod(len(signature), bands * _BYTES_PER_VALUE)
    if extra or size == 0:
        raise ValueError(f"a {len(signature)}-byte signature does not split into {bands} bands")
    return size * _BYTES_PER_VALUE


def _band_hashes(signature: bytes, bands: int) -> Hashes:
    """One 64-bit hash per band of its number and values: a fixed random linear combination
    mod 2⁶⁴ (two different bands of random-looking minima collide with chance ~2⁻⁶⁴; the top
    bits, which the directory reads, come out evenly spread)."""
    rows = _band_width(signature, bands) // _BYTES_PER_VALUE
    values = np.frombuffer(signature, dtype=np.uint32).reshape(bands, rows)
    salts, weights = _coefficients(bands, rows)
    mixed: Hashes = values @ weights
    mixed += salts
    return mixed


@functools.cache
def _coefficients(bands: int, rows: int) -> tuple[Hashes, Hashes]:
    """A salt per band and an odd weight per row, random-looking and fixed (splitmix64 of a
    counter): constants, made once per shape."""
    counter = np.arange(1, bands + rows + 1, dtype=np.uint64) * _GOLDEN
    counter ^= counter >> np.uint64(30)
    counter *= _MIX
    counter ^= counter >> np.uint64(27)
    counter *= _MIX2
    counter ^= counter >> np.uint64(31)
    return counter[:bands], counter[bands:] | np.uint64(1)


@dataclass(frozen=True, slots=True)
class _Run:
    """(hash, slot) pairs sorted by hash, with a directory of the hashes' top ``bits``."""

    hashes: Hashes
    slots: Slots
    starts: Starts  # starts[p]: the first pair whose top bits are >= p
    shift: np.uint64  # 64 - the directory's bits

    @classmethod
    def of(cls, hashes: Hashes, slots: Slots) -> _Run:
        bits = max(1, (hashes.size // _PER_BUCKET).bit_length())
        shift = np.uint64(64 - bits)
        counts = np.bincount((hashes >> shift).view(np.int64), minlength=1 << bits)
        size = (1 << bits) + 1
        narrow = hashes.size < np.iinfo(np.int32).max
        starts: Starts = np.zeros(size, dtype=np.int32) if narrow else np.zeros(size, np.int64)
        np.cumsum(counts, out=starts[1:])
        return cls(hashes, slots, starts, shift)

    @property
    def size(self) -> int:
        return int(self.hashes.size)

    def find(self, wanted: Hashes) -> Slots:
        """The slots of the pairs whose hash is in ``wanted``."""
        bucket = (wanted >> self.shift).view(np.int64)
        low = self.starts[bucket]
        counts = self.starts[bucket + 1] - low
        width = int(np.maximum.reduce(counts))
        if width == 0:
            return _NO_SLOTS
        steps = _STEPS[:width] if width <= _STEPS.size else np.arange(width)
        at = np.minimum(low[:, None] + steps, self.hashes.size - 1)
        hit = steps < counts[:, None]
        hit &= self.hashes[at] == wanted[:, None]
        found: Slots = self.slots[at[hit]]
        return found

    def without(self, alive: Alive | None) -> _Run:
        """This run without the pairs of dead slots (``alive`` None: no slot is dead)."""
        if alive is None:
            return self
        keep = alive[self.slots]
        return self if keep.all() else _Run.of(self.hashes[keep], self.slots[keep])


_NO_RUN: Final = _Run.of(_NO_HASHES, _NO_SLOTS)


def _merged(older: _Run, newer: _Run, alive: Alive | None) -> _Run:
    """One run of both runs' live pairs (a linear merge: ``newer`` is the smaller)."""
    older, newer = older.without(alive), newer.without(alive)
    total = older.size + newer.size
    at = np.searchsorted(older.hashes, newer.hashes, side="right") + np.arange(newer.size)
    from_older = np.ones(total, dtype=np.bool_)
    from_older[at] = False
    hashes = np.empty(total, dtype=np.uint64)
    slots = np.empty(total, dtype=np.uint32)
    hashes[at], slots[at] = newer.hashes, newer.slots
    hashes[from_older], slots[from_older] = older.hashes, older.slots
    return _Run.of(hashes, slots)


class _Pending:
    """Band pairs not yet sorted into a run: hash → slot, and the rare further slots of a hash
    (copies arriving close together) in a second dict."""

    __slots__ = ("first", "more")

    def __init__(self) -> None:
        self.first: dict[int, int] = {}
        self.more: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self.first)

    def add(self, values: list[int], slot: int) -> None:
        first = self.first
        if not any(map(first.__contains__, values)):
            first.update(zip(values, repeat(slot)))
            return
        for value in values:
            if value in first:
                self.more.setdefault(value, []).append(slot)
            else:
                first[value] = slot

    def find(self, values: list[int]) -> list[int]:
        found = [slot for slot in map(self.first.get, values) if slot is not None]
        if self.more:
            found += [slot for value in values for slot in self.more.get(value, ())]
        return found

    def run(self) -> _Run:
        """The pairs as a run (sorted by hash)."""
        more = [(value, slot) for value, slots in self.more.items() for slot in slots]
        hashes = np.array([*self.first, *(value for value, _ in more)], dtype=np.uint64)
        slots = np.array([*self.first.values(), *(slot for _, slot in more)], dtype=np.uint32)
        order = np.argsort(hashes, kind="stable")
        return _Run.of(hashes[order], slots[order])


class NearDuplicateIndex(Generic[K]):
    """Signatures by key, findable by any equal band. Not thread-safe.

    ``buffer``: band hashes kept in a dict before they are sorted into a run (tests use a
    small one).
    """

    __slots__ = ("_alive", "_buffer", "_keys", "_last", "_pending", "_runs", "_slots", "bands")

    def __init__(self, bands: int = 32, *, buffer: int = _BUFFER) -> None:
        if not 0 < bands < 256:
            raise ValueError("bands must be between 1 and 255")
        if buffer < 1:
            raise ValueError("buffer must be positive")
        self.bands = bands
        self._buffer = buffer
        self._slots: dict[K, int] = {}  # live key → its slot
        self._keys: list[K] = []  # slot → key (dead slots too, until a rebuild)
        self._alive = np.zeros(1024, dtype=np.bool_)
        self._pending = _Pending()
        self._runs: list[_Run] = []  # oldest (largest) first
        self._last: tuple[bytes, Hashes, list[int]] = (b"", _NO_HASHES, [])

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, key: object) -> bool:
        return key in self._slots

    def add(self, key: K, signature: bytes) -> None:
        """Index ``signature`` under ``key`` (replacing what ``key`` had)."""
        _, values = self._band_hashes(signature)
        self.remove(key)
        slot = len(self._keys)
        self._keys.append(key)
        self._slots[key] = slot
        if slot >= self._alive.size:
            self._alive = np.concatenate([self._alive, np.zeros_like(self._alive)])
        self._alive[slot] = True
        self._pending.add(values, slot)
        if len(self._pending) >= self._buffer:
            self._flush()

    def remove(self, key: K) -> None:
        slot = self._slots.pop(key, None)
        if slot is None:
            return
        self._alive[slot] = False
        if len(self._keys) - len(self._slots) > max(len(self._slots), self._buffer):
            self._rebuild()

    def query(self, signature: bytes) -> set[K]:
        """The keys sharing at least one band with ``signature``."""
        hashes, values = self._band_hashes(signature)
        found = [slots for run in self._runs if (slots := run.find(hashes)).size]
        pending = self._pending.find(values)
        if pending:
            found.append(np.array(pending, dtype=np.uint32))
        if not found:
            return set()
        slots = np.concatenate(found) if len(found) > 1 else found[0]
        return {self._keys[s] for s in slots[self._alive[slots]].tolist()}

    def memory_bytes(self) -> int:
        """Bytes of the sorted runs, their directories and the live flags (numpy arrays; the
        key dict and list and the not-yet-sorted pairs are not counted)."""
        runs = sum(r.hashes.nbytes + r.slots.nbytes + r.starts.nbytes for r in self._runs)
        return runs + self._alive.nbytes

    def _band_hashes(self, signature: bytes) -> tuple[Hashes, list[int]]:
        """The band hashes (array and list), kept for the next call: callers query, then add,
        one signature."""
        last, hashes, values = self._last
        if signature != last:
            hashes = _band_hashes(signature, self.bands)
            values = hashes.tolist()
            self._last = (signature, hashes, values)
        return hashes, values

    def _flush(self) -> None:
        if not len(self._pending):
            return
        alive = self._alive if len(self._keys) > len(self._slots) else None
        run = self._pending.run().without(alive)
        self._pending = _Pending()
        if len(self._runs) == 2:  # the main run and a newer one: the new pairs join the newer
            run = _merged(self._runs.pop(), run, alive)
        if len(self._runs) == 1 and run.size * _RATIO >= self._runs[0].size:
            run = _merged(self._runs.pop(), run, alive)
        if run.size:
            self._runs.append(run)

    def _rebuild(self) -> None:
        """One run of the live pairs, slots renumbered (once dead slots outnumber live ones)."""
        self._flush()
        live = np.flatnonzero(self._alive[: len(self._keys)])
        renumber = np.zeros(len(self._keys), dtype=np.uint32)
        renumber[live] = np.arange(live.size, dtype=np.uint32)
        merged = _NO_RUN
        for run in self._runs:
            merged = _merged(merged, run, self._alive)
        self._runs = [_Run(merged.hashes, renumber[merged.slots], merged.starts, merged.shift)]
        self._keys = [self._keys[s] for s in live.tolist()]
        self._slots = {key: slot for slot, key in enumerate(self._keys)}
        self._alive = np.zeros(max(1024, 2 * live.size), dtype=np.bool_)
        self._alive[: live.size] = True
