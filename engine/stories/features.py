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

import math
import re
from collections import Counter
from typing import Iterable, Mapping

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
    if not text:
        return []
    words = _WORD.findall(text.lower())
    cache = _TERM_OF
    for word in set(words).difference(cache):
        term = _term(word)
        if len(cache) >= _TERM_CACHE_SIZE:
            return [t for t in (cache[w] if w in cache else _term(w) for w in words) if t is not None]
        cache[word] = term
    return [t for t in map(cache.__getitem__, words) if t is not None]


def _term(word: str) -> str | None:
    word = _POSSESSIVE.sub("", word)
    if word in STOP_WORDS:
        return None
    word = stem(word)
    return word if word and word not in STOP_WORDS else None


# word -> term (None for a stop word): a news vocabulary repeats, and stemming each
# occurrence again was the largest cost of placing an article
_TERM_OF: dict[str, str | None] = {}
_TERM_CACHE_SIZE = 500_000


class DocumentFrequencies:
    """Document frequencies of features, learned one document at a time.

    ``idf`` is the smoothed inverse document frequency
    ``log((1 + N) / (1 + df)) + 1``: never zero, so a feature seen in every
    document still counts a little, and an unseen one counts most.
    """

    def __init__(self) -> None:
        self.n_docs = 0
        self._df: Counter[str] = Counter()

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

    def add(self, features: Iterable[str]) -> None:
        """Count one document with ``features`` (repeats count once)."""
        self.n_docs += 1
        self._df.update(set(features))

    def idf(self, feature: str) -> float:
        """Inverse document frequency of ``feature``."""
        return math.log((1 + self.n_docs) / (1 + self._df.get(feature, 0))) + 1.0

    def idfs(self, features) -> list[float]:
        """:meth:`idf` of each of ``features``, in order (one call for a whole vector)."""
        top, df, log = math.log(1 + self.n_docs), self._df, math.log
        return [top - log(1 + df.get(f, 0)) + 1.0 for f in features]


def weighted_vector(counts: Mapping[str, float], df: DocumentFrequencies) -> Vector:
    """L2-normalised TF-IDF vector of feature ``counts`` (sublinear term frequency).

    >>> df = DocumentFrequencies(); df.add(["a", "b"]); df.add(["a"])
    >>> v = weighted_vector({"a": 1, "b": 1}, df)
    >>> v["b"] > v["a"], round(sum(x * x for x in v.values()), 6)
    (True, 1.0)
    """
    items = [(f, c) for f, c in counts.items() if c > 0]
    idfs = df.idfs(f for f, _ in items)
    vec = {f: (1.0 + math.log(c)) * w for (f, c), w in zip(items, idfs)}
    return normalise(vec)


def normalise(vec: Vector) -> Vector:
    """``vec`` scaled to unit length (an empty or zero vector stays empty)."""
    norm = math.sqrt(sum(x * x for x in vec.values()))
    if norm == 0.0:
        return {}
    return {f: x / norm for f, x in vec.items()}


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Dot product of two sparse vectors (iterating the shorter)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(f, 0.0) for f, x in a.items())


def text_counts(title: str, lead: str | None, text: str | None = None, *, title_weight: float = 2.0,
                text_weight: float = 0.5, text_chars: int = 1500) -> Counter[str]:
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
    counts: Counter[str] = Counter()
    for part, weight in ((title, title_weight), (lead, 1.0)):
        for t, n in Counter(terms(part)).items():
            counts[t] += n * weight
    if text and text_weight > 0:
        body = text[len(lead):] if lead and text.startswith(lead) else text
        for t, n in Counter(terms(body[:text_chars])).items():
            counts[t] += n * text_weight
    return counts
