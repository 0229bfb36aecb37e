"""Sparse features of an article for story clustering: weighted title, lead and body terms, and entities.

Terms come from a deliberately simple tokeniser (lowercase words, English
stop words dropped, a light plural stemmer) so that clustering needs no
model. Their weights are TF-IDF with document frequencies counted over
recent articles (:class:`DocumentFrequencies`; the clusterer uses the week
before an article's day), so a word that every article of the week uses
("biden", "said") counts for little.

>>> terms("The Senate passes the infrastructure bills")
['senate', 'pass', 'infrastructure', 'bill']
>>> df = DocumentFrequencies()
>>> df.add(["senate", "bill"]); df.add(["senate", "court"])
>>> round(df.idf("court"), 3) > round(df.idf("senate"), 3)
True
"""

from __future__ import annotations

import gzip
import math
import operator
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from itertools import chain, repeat
from typing import Callable, Iterable, Mapping

Vector = dict[str, float]

# Function words and the newsroom's own filler ("said", "says", "report"):
# they link every article to every other and never name an event.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having
    he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
    nor not now of off on once only or other our ours ourselves out over own same she should so some such than
    that the their theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself yourselves
    amid among says say said saying told tells new news report reports reported according via per week
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow year years day days
    one two three first last may might must could would shall us mr mrs ms
    """.split()
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")


def stem(word: str) -> str:
    """A light stemmer: plural and third-person ``-s``, ``-es`` and ``-ies`` only.

    Heavier stemmers merge words that name different events ("police" and
    "policy"); plural forms are what splits headlines about the same one.

    >>> [stem(w) for w in ("bills", "passes", "policies", "news", "virus", "us")]
    ['bill', 'pass', 'policy', 'news', 'virus', 'us']
    """
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ews")):
        return word[:-1]
    return word


def terms(text: str | None) -> list[str]:
    """The clustering terms of ``text``, in order: lowercase, no stop words, stemmed.

    Apostrophes inside words are kept together and possessives dropped, so
    "Biden's" and "Biden" are one term; numbers are kept ("2022", "737").

    >>> terms("Biden's $1.2 trillion plan clears the House")
    ['biden', '1', '2', 'trillion', 'plan', 'clear', 'house']
    """
    return _text_terms(text)


def _text_terms(text: str | None) -> list[str]:
    """:func:`terms` of ``text``, made in C but for pieces of text not seen before.

    No word spans white space, so the text is split there and each piece looked up whole in a
    cache of piece -> its terms: a news vocabulary repeats, punctuation and case included ("Trump,"),
    so almost every piece is found, and the pieces' terms are joined without a Python loop.
    """
    if not text:
        return []
    return list(chain.from_iterable(map(_PIECE_TERMS.__getitem__, text.split())))


def _term(word: str) -> str | None:
    word = _POSSESSIVE.sub("", word)
    if word in STOP_WORDS:
        return None
    word = stem(word)
    return word if word and word not in STOP_WORDS else None


class _TermCache(dict):
    """word -> term (None for a stop word); a word not seen yet is stemmed on lookup (``__missing__``)
    and kept while there is room."""

    def __missing__(self, word: str) -> str | None:
        term = _term(word)
        if len(self) < _TERM_CACHE_SIZE:
            self[word] = term
        return term


class _PieceTerms(dict):
    """A piece of text between white space, as written -> the terms of its words, in order.

    A piece is lowercased (lowercasing never makes or removes white space, and the context a
    final sigma looks at ends at white space, so this is the text's lowercase piece); one that is
    all letters and digits (``str.isalnum``, the characters of ``\\w`` but "_") is one word whole,
    only pieces with punctuation go through the word pattern.
    """

    def __missing__(self, piece: str) -> tuple[str, ...]:
        low = piece.lower()
        words = (low,) if low.isalnum() else _WORD.findall(low)
        found = tuple(filter(None, map(_TERM_OF.__getitem__, words)))  # None: a stop word (a term is never "")
        if len(self) < _PIECE_CACHE_SIZE:
            self[piece] = found
        return found


_TERM_OF: dict[str, str | None] = _TermCache()
_TERM_CACHE_SIZE = 500_000
_PIECE_TERMS: dict[str, tuple[str, ...]] = _PieceTerms()
_PIECE_CACHE_SIZE = 500_000


class DocumentFrequencies:
    """Document frequencies of features, learned one document at a time.

    ``idf`` is the smoothed inverse document frequency
    ``log((1 + N) / (1 + df)) + 1``: never zero, so a feature seen in every
    document still counts a little, and an unseen one counts most.

    ``prior_documents`` blends in the background frequencies shipped with
    newsgraph (:func:`background_frequencies`) as that many documents
    spread like the background corpus: ``N`` and each ``df`` gain their
    share of them. A handful of counted documents then cannot make every
    one of their words look rare, nor the words they share look common;
    thousands of them outweigh the background. The background stays apart
    from the counted documents, so adding and removing documents remains
    exact integer arithmetic.

    >>> few = DocumentFrequencies(); few.add(["flood", "president"])
    >>> blended = DocumentFrequencies(prior_documents=100); blended.add(["flood", "president"])
    >>> few.idf("flood") == few.idf("president"), blended.idf("flood") > blended.idf("president")
    (True, True)
    """

    def __init__(self, *, prior_documents: float = 0.0) -> None:
        self.n_docs = 0
        self._df: Counter[str] = Counter()
        self._swept = 1024  # entries after the last sweep of zero counts (see exclude)
        if prior_documents < 0:
            raise ValueError(f"prior_documents must be 0 or more, got {prior_documents}")
        self.prior_documents = float(prior_documents)
        # 1 + each feature's share of the prior documents (1 for a feature the background lacks)
        self._base: Mapping[str, float] = _background_base(self.prior_documents) if prior_documents else {}

    @classmethod
    def merged(cls, parts: Iterable["DocumentFrequencies"]) -> "DocumentFrequencies":
        """One set of frequencies counting every document of ``parts``.

        >>> a, b = DocumentFrequencies(), DocumentFrequencies()
        >>> a.add(["x"]); b.add(["x", "y"])
        >>> m = DocumentFrequencies.merged([a, b])
        >>> m.n_docs, m.idf("x") < m.idf("y")
        (2, True)
        """
        out = cls()
        for part in parts:
            out.n_docs += part.n_docs
            out._df.update(part._df)
        return out

    def include(self, other: "DocumentFrequencies") -> None:
        """Count every document of ``other`` here too (a rolling window takes a day in).

        >>> a, b = DocumentFrequencies(), DocumentFrequencies()
        >>> a.add(["x"]); b.add(["x", "y"])
        >>> a.include(b); a.n_docs, a.idf("x") < a.idf("y")
        (2, True)
        """
        self.n_docs += other.n_docs
        keys = list(other._df)
        # dict.update, not Counter.update: the sums are made in C
        dict.update(self._df, zip(keys, map(operator.add, map(self._df.get, keys, repeat(0)), other._df.values())))

    def exclude(self, other: "DocumentFrequencies") -> None:
        """Stop counting the documents of ``other``, which were :meth:`include`-d before (a day leaves the window).

        >>> a, b = DocumentFrequencies(), DocumentFrequencies()
        >>> a.add(["x"]); b.add(["x", "y"])
        >>> a.include(b); a.exclude(b)
        >>> a.n_docs, a.idf("y") == a.idf("never seen")
        (1, True)
        """
        self.n_docs -= other.n_docs
        df = self._df
        keys = list(other._df)
        dict.update(df, zip(keys, map(operator.sub, map(df.__getitem__, keys), other._df.values())))
        # a feature whose count fell to 0 is left in place (0 and absent weigh the same);
        # they are swept out once they could be half of the entries
        if len(df) > 2 * self._swept:
            self._df = Counter({f: n for f, n in df.items() if n})
            self._swept = max(len(self._df), 1024)

    def add(self, features: Iterable[str]) -> None:
        """Count one document with ``features`` (repeats count once)."""
        self.n_docs += 1
        self._df.update(set(features))

    def idf(self, feature: str) -> float:
        """Inverse document frequency of ``feature``."""
        n = 1 + self.n_docs + self.prior_documents
        return math.log(n / (self._base.get(feature, 1.0) + self._df.get(feature, 0))) + 1.0

    def idfs(self, features) -> list[float]:
        """:meth:`idf` of each of ``features``, in order (one call for a whole vector)."""
        top, df, base, log = math.log(1 + self.n_docs + self.prior_documents), self._df, self._base, math.log
        return [top - log(base.get(f, 1.0) + df.get(f, 0)) + 1.0 for f in features]


BACKGROUND_FILE = "term_frequencies.tsv.gz"


@lru_cache(maxsize=1)
def background_frequencies() -> tuple[int, Mapping[str, int]]:
    """(documents, documents per term) of the background corpus shipped as package data.

    The counts come from the Article-Bias-Prediction corpus (37,554 news
    articles of 491 outlets, 2012-2020; Baly et al., EMNLP 2020;
    Apache-2.0), each article read as the clusterer reads one (title and the
    first 1,500 characters of text, these terms), terms of fewer than 10
    articles left out; ``scripts/make_term_frequencies.py`` rebuilds the file.

    >>> n, df = background_frequencies()
    >>> n, df["trump"] > df["flood"] > df["earthquake"], "lava" in df
    (37554, True, False)
    """
    raw = resources.files("newsgraph.engine").joinpath("data", BACKGROUND_FILE).read_bytes()
    lines = gzip.decompress(raw).decode("utf-8").splitlines()
    head, n = lines[0].split("\t")
    if head != "#documents":
        raise ValueError(f"{BACKGROUND_FILE}: first line must be '#documents<TAB>N', got {lines[0]!r}")
    counts = {}
    for line in lines[1:]:
        term, count = line.split("\t")
        counts[term] = int(count)
    return int(n), counts


@lru_cache(maxsize=4)
def _background_base(documents: float) -> Mapping[str, float]:
    """1 + each background term's share of ``documents`` pseudo-documents (shared, never changed)."""
    n, counts = background_frequencies()
    scale = documents / n
    return {t: 1.0 + c * scale for t, c in counts.items()}


def weighted_vector(counts: Mapping[str, float], df: DocumentFrequencies) -> Vector:
    """L2-normalised TF-IDF vector of feature ``counts`` (sublinear term frequency).

    >>> df = DocumentFrequencies(); df.add(["a", "b"]); df.add(["a"])
    >>> v = weighted_vector({"a": 1, "b": 1}, df)
    >>> v["b"] > v["a"], round(sum(x * x for x in v.values()), 6)
    (True, 1.0)
    """
    if counts and not min(counts.values()) > 0:
        counts = {f: c for f, c in counts.items() if c > 0}
    # (1 + log c) x (log(1 + N) - log(1 + df) + 1), the weight of DocumentFrequencies.idfs (N and df
    # with their share of the prior documents), made in C: this runs for every term of every article.
    # The logarithms come from a table: a count takes a few values (halves) and, without a prior, a
    # document frequency one of at most N + 1, and math.log is the slow part; with a prior each term's
    # frequency has a fraction of its own, which a table would only fill with
    logs = _LOG.__getitem__
    keys = list(counts)
    tf = map(_TF.__getitem__, counts.values())
    if df._base:
        dfs = map(operator.add, map(df._base.get, keys, repeat(1.0)), map(df._df.get, keys, repeat(0)))
        df_logs = map(math.log, dfs)
    else:
        df_logs = map(logs, map(operator.add, repeat(1), map(df._df.get, keys, repeat(0))))
    top = math.log(1 + df.n_docs + df.prior_documents)
    idf = map(operator.add, map(operator.sub, repeat(top), df_logs), repeat(1.0))
    # what normalise(dict(zip(keys, weights))) gives, without building the unscaled dict first
    weights = list(map(operator.mul, tf, idf))
    norm = math.sqrt(sum(map(_mul, weights, weights)))
    if norm == 0.0:
        return {}
    return dict(zip(keys, map(operator.truediv, weights, repeat(norm))))


class _ValueTable(dict):
    """x -> f(x), each value computed once (while there is room)."""

    def __init__(self, f: Callable[[float], float]) -> None:
        super().__init__()
        self._f = f

    def __missing__(self, x: float) -> float:
        value = self._f(x)
        if len(self) < _LOG_TABLE_SIZE:
            self[x] = value
        return value


def _sublinear_tf(count: float) -> float:
    return 1.0 + math.log(count)


_LOG = _ValueTable(math.log)
_TF = _ValueTable(_sublinear_tf)  # the sublinear term frequency of a count
_LOG_TABLE_SIZE = 1_000_000


def normalise(vec: Vector) -> Vector:
    """``vec`` scaled to unit length (an empty or zero vector stays empty)."""
    values = list(vec.values())
    norm = math.sqrt(sum(map(_mul, values, values)))
    if norm == 0.0:
        return {}
    return dict(zip(vec, map(operator.truediv, values, repeat(norm))))


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two sparse vectors.

    Only the shared features are multiplied: the intersection of the keys is
    found in C (iterating the shorter), and ``math.fsum`` adds the products
    exactly rounded, so the result does not depend on the order in which the
    shared features come (a set's order varies from run to run).

    >>> dot({"a": 0.5, "b": 2.0}, {"b": 3.0, "c": 1.0})
    6.0
    """
    common = a.keys() & b.keys()
    return _fsum(map(_mul, map(a.__getitem__, common), map(b.__getitem__, common)))


_fsum = math.fsum
_mul = operator.mul


# How much of the body beyond the lead an article's terms come from: the stores hand the
# clusterer no more than this (ClusterRow.text), so stored bodies are not read in whole
BODY_CHARS = 1500


def text_counts(title: str, lead: str | None, text: str | None = None, *, title_weight: float = 2.0,
                text_weight: float = 0.5, text_chars: int = BODY_CHARS) -> Counter[str]:
    """Term counts of an article: title terms count ``title_weight`` times, lead terms once, and
    terms of the body beyond the lead ``text_weight`` times (its first ``text_chars`` characters).

    A headline names the event; a lead adds context that other stories share;
    the body adds the words an opinion piece never puts in its headline.

    >>> text_counts("Senate passes bill", "The bill now goes to the House.")
    Counter({'bill': 3.0, 'senate': 2.0, 'pass': 2.0, 'go': 1.0, 'house': 1.0})
    >>> text_counts("Senate passes bill", "The bill now goes to the House.",
    ...             "The bill now goes to the House. Senators voted 60-40.")["senator"]
    0.5
    """
    body = None
    if text and text_weight > 0:
        body = text[len(lead):] if lead and text.startswith(lead) else text
        body = body[:text_chars]
    parts = ((title, title_weight), (lead, 1.0), (body, text_weight))
    counts: Counter[str] = Counter()
    if all((2 * w).is_integer() and w >= 0 for _, w in parts):
        # weights in halves (the defaults): repeat each part's terms 2 x weight times and count
        # them all at once in C, then halve; the counts are sums of halves, exact in floating
        # point, and in order of first occurrence, as a part-by-part sum gives them
        units = Counter(chain.from_iterable(_text_terms(p) * int(2 * w) for p, w in parts if p))
        dict.update(counts, zip(units, map(operator.mul, units.values(), repeat(0.5))))
        return counts
    for part, weight in parts:
        for t, n in Counter(terms(part)).items():
            counts[t] += n * weight
    return counts
