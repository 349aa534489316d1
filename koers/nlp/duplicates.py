"""Collapse reposts and near-duplicates: which post repeats an earlier one.

Texts are first normalised: lower case, links, @mentions and "RT @x:" / "via @x"
removed, punctuation and runs of white space made one space. Two kinds of sameness:

- a repost or copy: the normalised texts are equal (an 8-byte hash);
- a near-duplicate: the estimated Jaccard similarity of the texts' character 5-grams
  is at least ``THRESHOLD`` (one changed word in a tweet-length post stays well above
  it; two posts on the same subject in different words fall far below).

The similarity is estimated with one-permutation MinHash: every 5-gram is hashed once
(CRC-32) and the smallest hash in each of ``BINS`` buckets is kept. That costs one hash
per 5-gram instead of one per 5-gram per permutation, which in pure Python is the
difference between tens and hundreds of microseconds per post. Candidates are found by
locality-sensitive hashing on ``BANDS`` bands of the bins, so looking up a post costs
the same whether the index holds a hundred posts or a hundred thousand.

Posts shorter than ``MINIMUM_CHARACTERS`` after normalising ("Bedankt!", "+1") are
never duplicates: many people write them independently.

``find_duplicates(batch, recent)`` answers for a batch; ``DuplicateIndex`` keeps the
fingerprints of recent posts between batches.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)

THRESHOLD = 0.6
MINIMUM_CHARACTERS = 20
SHINGLE = 5
BINS = 32
ROWS = 2  # bins per band
BANDS = BINS // ROWS
EMPTY = -1

_RT = re.compile(r"^\s*(?:rt|repost|boost)\s*:?\s*@[\w.@-]+\s*:?\s*", re.IGNORECASE)
_VIA = re.compile(r"\b(?:via|h/t|cc)\s*:?\s*@[\w.@-]+", re.IGNORECASE)
_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"(?<![\w])@[\w.@-]+")
_NON_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    text = _RT.sub("", text)
    text = _VIA.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _MENTION.sub(" ", text)
    return _NON_WORD.sub(" ", text.casefold()).strip()


@dataclass(frozen=True, slots=True)
class Fingerprint:
    exact: int
    # BINS minimum hashes (EMPTY where no 5-gram fell in the bin); None when the text is
    # too short to compare.
    bins: tuple[int, ...] | None

    def similarity(self, other: Fingerprint) -> float:
        """Estimated Jaccard similarity of the two texts' 5-grams (0 … 1)."""
        if self.exact == other.exact:
            return 1.0
        if self.bins is None or other.bins is None:
            return 0.0
        return _similarity(
            _pack(self.bins), _empty_mask(self.bins), _pack(other.bins), _empty_mask(other.bins)
        )


def _empty_mask(bins: tuple[int, ...]) -> int:
    """The bins that hold no 5-gram, as bits."""
    if EMPTY not in bins:
        return 0
    mask = 0
    for slot, value in enumerate(bins):
        if value == EMPTY:
            mask |= 1 << slot
    return mask


def _similarity(a: int, a_empty: int, b: int, b_empty: int) -> float:
    """Equal bins among those that are filled in either, for packed bins (``_pack``):
    bins empty in both (equal too) are taken off by their bits."""
    both = (a_empty & b_empty).bit_count()
    filled = BINS - both
    return (_equal_bins(a, b) - both) / filled if filled else 0.0


# Slice objects for every 5-gram start, shared by all texts (extended as needed): the
# hashes are then computed by ``map`` at C speed, without a Python loop per 5-gram.
_SLICES: list[slice] = []
_LOW = (BINS - 1).__and__  # h % BINS, as a C-level callable (BINS is a power of two)
_SHIFT = (BINS.bit_length() - 1).__rrshift__  # h // BINS (and EMPTY >> 5 stays EMPTY)
_EMPTY_DEFAULTS = (EMPTY,) * BINS


def _shingle_slices(count: int) -> list[slice]:
    if len(_SLICES) < count:
        _SLICES.extend(slice(i, i + SHINGLE) for i in range(len(_SLICES), count))
    return _SLICES


def fingerprint(text: str) -> Fingerprint | None:
    """The fingerprint of ``text``, or None when it is too short to be a duplicate."""
    normal = normalise(text)
    if len(normal) < MINIMUM_CHARACTERS:
        return None
    data = normal.encode()
    exact = int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")
    count = len(data) - SHINGLE + 1
    hashes = sorted(
        map(zlib.crc32, map(data.__getitem__, islice(_shingle_slices(count), count))),
        reverse=True,
    )
    # The smallest hash per bin: visiting them largest first, the smallest is written
    # last. Every step runs in C (``map``/``zip``/``dict``): no Python loop per 5-gram.
    smallest = dict(zip(map(_LOW, hashes), hashes, strict=True))
    bins = tuple(map(_SHIFT, map(smallest.get, range(BINS), _EMPTY_DEFAULTS)))
    return Fingerprint(exact, bins)


# Bins packed into one integer, ``_FIELD`` bits each (EMPTY as ``_EMPTY_FIELD``), so the
# equal bins of two fingerprints are counted with a few big-integer operations instead
# of 32 comparisons: in the XOR of two packed values, a field is zero where the bins are
# equal; adding ``_LOW_BITS`` carries into a field's top bit exactly when the field is
# not zero (values stay below 2**28, so neither the top bit nor a carry out is used).
_FIELD = 32
_EMPTY_FIELD = 1 << 27  # above every bin value (a CRC-32 divided by 32)
_LOW_BITS = sum(((1 << (_FIELD - 1)) - 1) << (_FIELD * i) for i in range(BINS))
_TOP_BITS = sum(1 << (_FIELD * i + _FIELD - 1) for i in range(BINS))


def _pack(bins: tuple[int, ...]) -> int:
    packed = 0
    for value in reversed(bins):
        packed = (packed << _FIELD) | (_EMPTY_FIELD if value == EMPTY else value)
    return packed


def _equal_bins(a: int, b: int) -> int:
    """How many bins of two packed fingerprints are equal (bins empty in both count)."""
    return BINS - (((a ^ b) + _LOW_BITS) & _TOP_BITS).bit_count()


class DuplicateIndex(Generic[K]):
    """Fingerprints of earlier posts; ``find`` tells which one a new post repeats.

    Each key added maps to its *original*: when C repeats B and B repeated A, C is a
    duplicate of A.

    Posts with the same normalised text (reposts, copies) share one entry in the band
    buckets: their fingerprints are equal, so comparing a new post with one of them is
    comparing it with all. Where two earlier posts are equally similar, the one seen
    last in band order wins (the later band, then the later post), as when every post
    is compared on its own.
    """

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._exact: dict[int, K] = {}
        # Band → the exact hashes of the distinct texts that fill it.
        self._bands: dict[tuple[int, tuple[int, ...]], list[int]] = {}
        # Exact hash → [packed bins, empty-bin bits, number of its latest post, that post's
        # original].
        self._groups: dict[int, list] = {}
        self._fingerprints: dict[K, Fingerprint] = {}
        self._original: dict[K, K] = {}

    def __len__(self) -> int:
        return len(self._fingerprints)

    def __contains__(self, key: object) -> bool:
        return key in self._fingerprints

    @staticmethod
    def _band_keys(fp: Fingerprint) -> list[tuple[int, tuple[int, ...]]]:
        assert fp.bins is not None
        bins = fp.bins
        keys = []
        for band in range(BANDS):
            values = bins[band * ROWS : (band + 1) * ROWS]
            if EMPTY not in values:  # an empty bin says little: no band of those
                keys.append((band, values))
        return keys

    def fingerprint_of(self, key: K) -> Fingerprint | None:
        """The fingerprint ``key`` was added with (None when not held)."""
        return self._fingerprints.get(key)

    def find(self, fp: Fingerprint | None) -> K | None:
        """The original an earlier post this one repeats, or None."""
        if fp is None:
            return None
        key = self._exact.get(fp.exact)
        if key is not None:
            return self._original[key]
        bins = fp.bins
        assert bins is not None
        empty = _empty_mask(bins)
        packed = _pack(bins)
        groups = self._groups
        bands = self._bands
        threshold = self.threshold
        best: list | None = None
        best_rank: tuple[float, int, int] = (threshold, -1, -1)
        seen: set[int] = set()
        for order, band in enumerate(self._band_keys(fp)):
            for exact in bands.get(band, ()):
                if exact in seen:
                    continue
                seen.add(exact)
                group = groups[exact]
                similarity = _similarity(packed, empty, group[0], group[1])
                if similarity >= threshold:
                    rank = (similarity, order, group[2])
                    if rank > best_rank:
                        best, best_rank = group, rank
        return best[3] if best is not None else None

    def add(self, key: K, fp: Fingerprint | None, original: K | None = None) -> None:
        """Remember ``key`` (a duplicate of ``original`` when given)."""
        if fp is None or key in self._fingerprints:
            return
        number = len(self._fingerprints)
        self._fingerprints[key] = fp
        root = key if original is None else self._original.get(original, original)
        self._original[key] = root
        self._exact.setdefault(fp.exact, key)
        group = self._groups.get(fp.exact)
        if group is not None:
            group[2], group[3] = number, root
            return
        assert fp.bins is not None
        self._groups[fp.exact] = [_pack(fp.bins), _empty_mask(fp.bins), number, root]
        for band in self._band_keys(fp):
            self._bands.setdefault(band, []).append(fp.exact)

    def check_and_add(self, key: K, fp: Fingerprint | None) -> K | None:
        """``find`` then ``add``: the original ``key`` repeats, or None."""
        original = self.find(fp)
        self.add(key, fp, original)
        return original


def find_duplicates(
    batch: Sequence[tuple[K, str]],
    recent: Iterable[tuple[K, Fingerprint | None]] = (),
    *,
    threshold: float = THRESHOLD,
) -> dict[K, K]:
    """For each post in ``batch`` (key, text) that repeats an earlier one, its original.

    ``recent`` holds earlier posts' fingerprints, oldest first; earlier posts in the
    batch count too. Keys not in the answer are originals.
    """
    index: DuplicateIndex[K] = DuplicateIndex(threshold)
    for key, fp in recent:
        index.add(key, fp, index.find(fp))
    found: dict[K, K] = {}
    for key, text in batch:
        original = index.check_and_add(key, fingerprint(text))
        if original is not None and original != key:
            found[key] = original
    return found
