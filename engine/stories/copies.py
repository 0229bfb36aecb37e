"""Wire copies: articles whose text is mostly another outlet's earlier article.

Each article with enough body text gets a fingerprint: the MinHash signature
of its word 5-gram shingles and how many distinct shingles it has. Articles
of other outlets published within the story window whose signatures share a
band (locality-sensitive hashing, 64 bands of 2 values) are compared; the
later article of a pair is a copy of the earlier one when the share of its
own shingles that the earlier article also has (its *overlap*, estimated
from the two signatures and set sizes) is at least the threshold.

A copy points (``COPY_OF {overlap}``) at the earliest article it matches,
ordered by publication time and then id, so the result does not depend on
how the input was split into runs: an earlier article that arrives later
takes the copies over. Articles without body text (headline-only, or fewer
than ``min_words`` words) get no fingerprint and are never copies: a
shared headline is how the same event is reported, not proof of reprinting.

>>> wire = " ".join(f"w{i}" for i in range(60))  # 60 words: 56 distinct 5-grams
>>> reprint = wire + " and the reprinting site's own last words here"
>>> fw, fr = fingerprint(wire), fingerprint(reprint)
>>> overlap(fr, fw) >= 0.6, overlap(fw, fr) > 0.9, fingerprint("Too short to tell")
(True, True, None)
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterable, Iterator, Sequence

import numpy as np

from newsgraph.engine.models import Article

SHINGLE_WORDS = 5
NUM_PERM = 128
BAND_ROWS = 2  # (two uint32 values read as one uint64 band key)
# 64 bands of 2: a pair with Jaccard 0.2 shares a band with probability 0.93, 0.3 with 0.998
_WORD = re.compile(r"\w+")
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


def _permutations(seed: int = 20240611) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)  # odd multipliers
    b = rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)
    return a, b


_A, _B = _permutations()


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads every input bit over the whole 64-bit hash."""
    h = h ^ (h >> np.uint64(30))
    h = h * np.uint64(0xBF58476D1CE4E5B9)
    h = h ^ (h >> np.uint64(27))
    h = h * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def shingle_hashes(text: str, k: int = SHINGLE_WORDS) -> np.ndarray:
    """The distinct 64-bit hashes of the word ``k``-grams of ``text`` (lower-cased words, punctuation ignored).

    >>> len(shingle_hashes("One two three four five six")), len(shingle_hashes("One, two; THREE four five."))
    (2, 1)
    """
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return np.zeros(0, dtype=np.uint64)
    t = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))
    t = _mix(t)
    n = len(words) - k + 1
    h = t[:n].copy()
    with np.errstate(over="ignore"):
        for j in range(1, k):
            h = _mix(h * np.uint64(0x9E3779B97F4A7C15) + t[j:j + n])
    return np.unique(h)


@dataclass(frozen=True)
class Fingerprint:
    """An article's MinHash signature (``NUM_PERM`` uint32 values) and its number of distinct shingles."""

    article_id: str
    signature: np.ndarray = field(repr=False, compare=False)
    shingles: int = 0
    published_at: datetime | None = None
    outlet_id: str | None = None

    def to_row(self) -> dict:
        """The ``Fingerprint`` node row the stores keep (the signature as base64 text)."""
        return {"id": self.article_id, "minhash": base64.b64encode(self.signature.astype("<u4").tobytes()).decode(),
                "shingles": self.shingles, "published_at": self.published_at, "outlet_id": self.outlet_id}

    @classmethod
    def from_row(cls, row: dict) -> "Fingerprint":
        sig = np.frombuffer(base64.b64decode(row["minhash"]), dtype="<u4").astype(np.uint32)
        return cls(row["id"], sig, int(row["shingles"]), row["published_at"], row.get("outlet_id"))


def signature(hashes: np.ndarray) -> np.ndarray:
    """The MinHash signature of a set of 64-bit shingle hashes: per permutation the least hash's top 32 bits."""
    out = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for start in range(0, len(hashes), 512):  # bounded memory for very long texts
            part = hashes[start:start + 512, None] * _A[None, :] + _B[None, :]
            out = np.minimum(out, (part >> np.uint64(32)).min(axis=0).astype(np.uint32))
    return out


def fingerprint(text: str | None, *, min_words: int = 40, article_id: str = "",
                published_at: datetime | None = None, outlet_id: str | None = None) -> Fingerprint | None:
    """``text``'s fingerprint, or ``None`` when it has fewer than ``min_words`` words."""
    if not text or len(_WORD.findall(text)) < min_words:
        return None
    hashes = shingle_hashes(text)
    return Fingerprint(article_id, signature(hashes), len(hashes), published_at, outlet_id)


def jaccard(a: Fingerprint, b: Fingerprint) -> float:
    """The estimated Jaccard similarity of two articles' shingle sets."""
    return float(np.count_nonzero(a.signature == b.signature)) / NUM_PERM


def overlap(copy: Fingerprint, original: Fingerprint) -> float:
    """The estimated share of ``copy``'s shingles that ``original`` also has (0-1).

    From the Jaccard estimate J and the set sizes: ``|A & B| = J (|A| + |B|) / (1 + J)``.
    """
    j = jaccard(copy, original)
    if not copy.shingles:
        return 0.0
    common = j * (copy.shingles + original.shingles) / (1.0 + j)
    return min(1.0, common / copy.shingles)


def _bands(fp: Fingerprint) -> Iterator[tuple[int, int]]:
    """The LSH band keys of a fingerprint: (band number, its ``BAND_ROWS`` values as one 64-bit number)."""
    return enumerate(np.ascontiguousarray(fp.signature).view(np.uint64).tolist())


def _order(fp: Fingerprint) -> tuple:
    return (fp.published_at, fp.article_id)


@dataclass(frozen=True)
class CopyEdge:
    """``article_id`` is a copy of ``copy_of`` with ``overlap`` of its shingles."""

    article_id: str
    copy_of: str
    overlap: float

    def to_row(self) -> dict:
        return {"start_id": self.article_id, "end_id": self.copy_of, "overlap": round(self.overlap, 4)}


@dataclass
class CopyPlan:
    """What one ingest batch writes: its fingerprints and the copy edges it adds or re-points."""

    fingerprints: list[Fingerprint]
    edges: list[CopyEdge]

    def write(self, store, ids: Iterable[str], landed: set[str]) -> None:
        """Write the fingerprints of articles ``ids`` (just written) and the edges between landed articles.

        ``landed`` holds the articles written so far in this batch; it grows by ``ids``. Stored
        articles (not in the batch) are always there.
        """
        ids = set(ids)
        landed |= ids
        batch = {fp.article_id for fp in self.fingerprints}
        fps = [fp.to_row() for fp in self.fingerprints if fp.article_id in ids]
        if fps:
            store.write_nodes("Fingerprint", fps)

        def there(a: str) -> bool:
            return a not in batch or a in landed

        edges = [e.to_row() for e in self.edges
                 if (e.article_id in ids or e.copy_of in ids) and there(e.article_id) and there(e.copy_of)]
        if edges:
            store.write_relationships("COPY_OF", edges)


class CopyDetector:
    """Finds the copies among a batch of new articles and the stored ones around them.

    Parameters
    ----------
    window_hours : float
        Only articles published at most this far apart are compared (the story window).
    threshold : float
        The overlap (0-1) from which the later article of a pair is a copy of the earlier.
    min_words : int
        Articles with fewer body words get no fingerprint and are never copies.
    """

    def __init__(self, *, window_hours: float = 120.0, threshold: float = 0.6, min_words: int = 40):
        self.window = timedelta(hours=window_hours)
        self.threshold = threshold
        self.min_words = min_words

    def fingerprints(self, articles: Sequence[Article]) -> list[Fingerprint]:
        """Fingerprints of the articles with enough text (body, else lead)."""
        out = []
        for a in articles:
            fp = fingerprint(a.text or a.lead, min_words=self.min_words, article_id=a.id,
                             published_at=a.published_at, outlet_id=a.outlet_id)
            if fp is not None:
                out.append(fp)
        return out

    def plan(self, store, articles: Sequence[Article]) -> CopyPlan:
        """The fingerprints of ``articles`` and every copy edge they make, against ``store``'s fingerprints."""
        new = self.fingerprints(articles)
        if not new:
            return CopyPlan([], [])
        lo = min(fp.published_at for fp in new) - self.window
        hi = max(fp.published_at for fp in new) + self.window
        ids = {fp.article_id for fp in new}
        stored = [Fingerprint.from_row(r) for r in store.fingerprint_rows(lo, hi) if r["id"] not in ids]
        return CopyPlan(new, self.edges(new, stored, store))

    def edges(self, new: list[Fingerprint], stored: list[Fingerprint], store=None) -> list[CopyEdge]:
        """Copy edges for ``new`` fingerprints among themselves and ``stored`` ones.

        New articles point at the earliest article they match; a stored article
        a new, earlier one matches is re-pointed at it when that is earlier than
        its current original (read from ``store``).
        """
        index: dict[tuple[int, int], list[int]] = {}
        every = stored + new
        for i, fp in enumerate(every):
            for key in _bands(fp):
                index.setdefault(key, []).append(i)
        best: dict[str, tuple[tuple, str, float]] = {}  # copy id -> (original's order, original id, overlap)
        first_new = len(stored)
        for i in range(first_new, len(every)):
            a = every[i]
            seen: set[int] = set()
            for key in _bands(a):
                for j in index.get(key, ()):
                    if j == i or j in seen:
                        continue
                    seen.add(j)
                    b = every[j]
                    if j >= first_new and j < i:
                        continue  # a pair of new articles is compared once, from its later index
                    if (a.outlet_id and a.outlet_id == b.outlet_id) or abs(a.published_at - b.published_at) > self.window:
                        continue
                    early, late = (a, b) if _order(a) < _order(b) else (b, a)
                    share = overlap(late, early)
                    if share >= self.threshold:
                        cur = best.get(late.article_id)
                        if cur is None or _order(early) < cur[0]:
                            best[late.article_id] = (_order(early), early.article_id, share)
        new_ids = {fp.article_id for fp in new}
        # stored copies keep their original unless a new article is earlier than it
        repointed = [cid for cid in best if cid not in new_ids]
        if repointed and store is not None:
            current = {r["article_id"]: r for r in store.copies_of(repointed)}
            for cid in repointed:
                cur = current.get(cid)
                if cur is not None and (cur["original_published_at"], cur["copy_of"]) <= best[cid][0]:
                    del best[cid]
        return [CopyEdge(cid, orig, share) for cid, (_, orig, share) in sorted(best.items())]
