"""Sentences and their TF-IDF vectors, for the extractive analyses of a story's texts.

Sentences are cut from the text itself, never rewritten: each is a verbatim
slice of the text it came from, with the surrounding white space trimmed.

>>> split_sentences("Mr. Smith went to Washington on Monday. He met the U.S. president. Talks follow.")
['Mr. Smith went to Washington on Monday.', 'He met the U.S. president.', 'Talks follow.']
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Sequence

import numpy as np
from scipy.sparse import csr_matrix

# an end mark, optional closing quotes or brackets, white space, then what may open a sentence
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# words that end in a full stop without ending the sentence
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sen rep gov gen col lt sgt st jr sr inc corp co ltd vs no jan feb mar apr jun jul aug sep "
    "sept oct nov dec u.s u.k u.n d.c a.m p.m e.g i.e".split()
)
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
# English function words and reporting verbs: they say nothing of what a sentence is about (spaCy's list would do,
# but importing spaCy costs the web app seconds at start)
STOPWORDS = frozenset("""
a about above after again against all almost also although am among an and another any anyone anything are around
as at be became because become been before being below between both but by can cannot could did do does doing done
down during each either else enough even ever every few for from further get gets got had has have having he her
here hers herself him himself his how however i if in into is it its itself just last least less made make many may
me might more most much must my myself neither never next no nobody none nor not nothing now of off often on once one
only onto or other others otherwise our ours ourselves out over own per perhaps please put quite rather re really
s same say said says see seem seemed several she should show since so some someone something sometime still such
take than that the their theirs them themselves then there therefore these they this those though through thus to
together too toward towards under until up upon us used very via was we well were what whatever when whenever where
whether which while who whoever whole whom whose why will with within without would yet you your yours yourself
yourselves told according ll ve d m t
""".split())


def split_sentences(text: str | None) -> list[str]:
    """The sentences of ``text``, each a verbatim slice of it, in order.

    A full stop after a known abbreviation (``Mr.``, ``U.S.``) or a single capital
    (an initial) does not end a sentence.

    >>> split_sentences('He said "Go." Then he left!  Dr. Who stayed.')
    ['He said "Go."', 'Then he left!', 'Dr. Who stayed.']
    """
    if not text:
        return []
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        head = text[start:m.start()].rstrip("\"'”’)]")
        last = head.rsplit(None, 1)[-1] if head.split() else ""
        word = last.rstrip(".").lower()
        if last.endswith(".") and (word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", word)):
            continue
        piece = text[start:m.end()].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def words(text: str) -> list[str]:
    """The lower-cased content words of ``text`` (stop words dropped).

    >>> words("The Supreme Court ruled on Monday that police officers were entitled")
    ['supreme', 'court', 'ruled', 'monday', 'police', 'officers', 'entitled']
    """
    return [w for w in _WORD.findall(text.lower().replace("’", "'")) if w not in STOPWORDS and len(w) > 1]


def overlap(a: set[str], b: set[str]) -> float:
    """The share of the smaller word set that the other one has too (0 when either is empty).

    >>> overlap({"court", "police", "immunity"}, {"court", "police", "ruling", "monday"})
    0.6666666666666666
    """
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def tfidf_matrix(docs: Sequence[Sequence[str]], *, sparse: bool = False) -> np.ndarray | csr_matrix:
    """Rows of unit-length TF-IDF vectors of the word lists ``docs`` (IDF learned from ``docs``).

    An empty word list gives a zero row. ``sparse=True`` gives the same rows as a SciPy CSR matrix (a story's
    sentences use few of its words each, so products of the rows are much cheaper that way).

    >>> m = tfidf_matrix([["court", "police"], ["court", "police"], ["moon"]])
    >>> round(float(m[0] @ m[1]), 3), round(float(m[0] @ m[2]), 3)
    (1.0, 0.0)
    >>> bool((tfidf_matrix([["court", "police"], ["moon"]], sparse=True).toarray() == tfidf_matrix([["court", "police"], ["moon"]])).all())
    True
    """
    vocab: dict[str, int] = {}
    for d in docs:
        for w in d:
            vocab.setdefault(w, len(vocab))
    df: Counter[str] = Counter()
    for d in docs:
        df.update(set(d))
    n = len(docs)
    data: list[float] = []
    indices: list[int] = []
    indptr = [0]
    for d in docs:
        for w, c in Counter(d).items():
            indices.append(vocab[w])
            data.append((1 + math.log(c)) * math.log((1 + n) / (1 + df[w])))
        indptr.append(len(data))
    m = csr_matrix((np.asarray(data, dtype=float), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
                   shape=(n, max(1, len(vocab))))
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    m = csr_matrix(m.multiply(1.0 / norms[:, None]))
    return m if sparse else m.toarray()
