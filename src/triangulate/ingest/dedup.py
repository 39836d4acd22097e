"""Near-duplicate detection: MinHash signatures of word 3-shingles and a banded LSH index.

Signatures come from datasketch (affine32 scheme, fixed seed, so they stay comparable
across runs and are stored in the minhashes table). The LSH index is our own, because it
must be rebuilt from the store at the start of every run: datasketch's MinHashLSH needs
about 95 us and 3.5 kB per insert (9.5 s and 350 MB for 100,000 signatures), while a sorted
numpy array of band keys is built in well under a second and needs 12 bytes per band.
Only originals are indexed, so a copy always points at the first-seen article, never at
another copy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache

import numpy as np

from triangulate import settings
from triangulate.ingest.normalize import normalize_text

DTYPE = np.uint32  # the affine32 scheme's hash values
SCHEME = "affine32"
SEED = 1
_WORD = re.compile(r"\w+")
# Merge the small dict of this run's band keys into the sorted arrays at this many keys:
# keeps both the dict small and the number of re-sorts low.
_MERGE_AT = 200_000


def scheme_name() -> str:
    """What the stored signatures mean; a store holding another kind is re-signed."""
    return (
        f"datasketch-{SCHEME}-seed{SEED}-perm{settings.MINHASH_PERMUTATIONS}"
        f"-words{settings.SHINGLE_SIZE}"
    )


@cache
def _permutations():
    from datasketch import MinHash

    return MinHash(num_perm=settings.MINHASH_PERMUTATIONS, seed=SEED, scheme=SCHEME).permutations


def shingles(text: str) -> set[str]:
    """Word k-shingles of the normalised text (punctuation and case do not count)."""
    return _shingles(_WORD.findall(normalize_text(text)))


def _shingles(words: list[str]) -> set[str]:
    k = settings.SHINGLE_SIZE
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def signature(text: str) -> np.ndarray | None:
    """The MinHash signature, or None for texts too short to compare fairly."""
    words = _WORD.findall(normalize_text(text))
    if len(words) < settings.NEAR_DUPLICATE_MIN_WORDS:
        return None
    from datasketch import MinHash

    m = MinHash(
        num_perm=settings.MINHASH_PERMUTATIONS, permutations=_permutations(), scheme=SCHEME
    )
    m.update_batch([s.encode("utf-8") for s in _shingles(words)])
    return m.hashvalues.astype(DTYPE, copy=False)


def to_blob(sig: np.ndarray) -> bytes:
    return sig.astype("<u4", copy=False).tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4").astype(DTYPE, copy=False)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity: the share of equal signature slots."""
    return float(np.count_nonzero(a == b)) / len(a)


@cache
def _band_multipliers() -> np.ndarray:
    # Odd 64-bit multipliers, one per (band, row): a multilinear hash of each band. Two
    # different bands colliding only adds a candidate, which the full signature rejects.
    rng = np.random.default_rng(20240609)
    shape = (settings.LSH_BANDS, settings.LSH_ROWS)
    return rng.integers(1, 2**63, size=shape, dtype=np.uint64) | np.uint64(1)


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """(n, 128) signatures -> (n, bands) uint64 keys, one per LSH band."""
    bands, rows = settings.LSH_BANDS, settings.LSH_ROWS
    if bands * rows > sigs.shape[1]:
        raise ValueError(f"{bands} bands x {rows} rows need {bands * rows} permutations")
    blocks = sigs[:, : bands * rows].astype(np.uint64).reshape(len(sigs), bands, rows)
    with np.errstate(over="ignore"):
        keys = (blocks * _band_multipliers()).sum(axis=2, dtype=np.uint64)
        keys ^= keys >> np.uint64(29)
    return keys


class NearDuplicateIndex:
    """Banded LSH over the signatures of original (non-copy) articles.

    ``lookup(ids)`` returns the signatures of candidate articles (from the store, or from
    the batch being written), so the index itself holds only band keys.
    """

    def __init__(self, lookup: Callable[[Sequence[str]], dict[str, np.ndarray]]):
        self._lookup = lookup
        self._ids: list[str] = []
        self._keys = np.empty(0, dtype=np.uint64)  # sorted band keys ...
        self._owners = np.empty(0, dtype=np.int64)  # ... and the article each belongs to
        self._recent: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def load(self, rows: Iterable[tuple[str, bytes]], chunk: int = 5_000) -> None:
        """Add stored (id, signature blob) rows in bulk."""
        keys, owners = [self._keys], [self._owners]
        batch_ids: list[str] = []
        blobs: list[bytes] = []
        for article_id, blob in rows:
            batch_ids.append(article_id)
            blobs.append(blob)
            if len(blobs) >= chunk:
                self._load_chunk(batch_ids, blobs, keys, owners)
                batch_ids, blobs = [], []
        if blobs:
            self._load_chunk(batch_ids, blobs, keys, owners)
        self._set(np.concatenate(keys), np.concatenate(owners))

    def _load_chunk(self, ids, blobs, keys, owners) -> None:
        sigs = np.frombuffer(b"".join(blobs), dtype="<u4").reshape(len(blobs), -1)
        start = len(self._ids)
        self._ids.extend(ids)
        keys.append(band_keys(sigs).ravel())
        owners.append(np.repeat(np.arange(start, start + len(ids)), settings.LSH_BANDS))

    def _set(self, keys: np.ndarray, owners: np.ndarray) -> None:
        order = np.argsort(keys, kind="stable")
        self._keys, self._owners = keys[order], owners[order]

    def add(self, article_id: str, sig: np.ndarray) -> None:
        position = len(self._ids)
        self._ids.append(article_id)
        for key in band_keys(sig[None, :])[0].tolist():
            self._recent.setdefault(key, []).append(position)
        if len(self._recent) >= _MERGE_AT:
            self._merge()

    def _merge(self) -> None:
        keys = np.fromiter(
            (k for k, owners in self._recent.items() for _ in owners), dtype=np.uint64
        )
        owners = np.fromiter(
            (o for os_ in self._recent.values() for o in os_), dtype=np.int64
        )
        self._recent = {}
        self._set(np.concatenate([self._keys, keys]), np.concatenate([self._owners, owners]))

    def candidates(self, sig: np.ndarray) -> list[str]:
        keys = band_keys(sig[None, :])[0]
        found: set[int] = set()
        lo = np.searchsorted(self._keys, keys, side="left")
        hi = np.searchsorted(self._keys, keys, side="right")
        for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
            if b > a:
                found.update(self._owners[a:b].tolist())
        for key in keys.tolist():
            found.update(self._recent.get(key, ()))
        return [self._ids[i] for i in sorted(found)]

    def best_match(self, sig: np.ndarray) -> tuple[str, float] | None:
        """The most similar indexed article at or above the threshold (the earliest one on
        a tie), with its estimated similarity."""
        ids = self.candidates(sig)
        if not ids:
            return None
        found = self._lookup(ids)
        best: tuple[str, float] | None = None
        for article_id in ids:  # in index order: first-seen first
            other = found.get(article_id)
            if other is None:
                continue
            sim = similarity(sig, other)
            if sim >= settings.NEAR_DUPLICATE_THRESHOLD and (best is None or sim > best[1]):
                best = (article_id, sim)
        return best
