"""Key points of a story: its most central sentences, each with the outlets that carry it.

Extractive only: every point is, word for word, a sentence of one of the
story's stored articles (a headline when no article has more than one).

How: the story's sentences are the nodes of a similarity graph (TF-IDF
cosine, learned from the story's own sentences); edges join sentences of
*different* articles whose similarity reaches ``edge_threshold``, so that a
sentence ranks high when several articles say the same thing (LexRank,
Erkan & Radev 2004). PageRank ranks the nodes, with a restart vector that
favours a sentence's early position in its article (news put the event
first). The best are taken greedily, skipping any as close as
``redundancy`` to one already taken, and shown in the order they first
appeared (earliest article, then position). A point's sources are the
outlets whose articles carry that sentence or a close paraphrase (a
sentence sharing most of its content words; a headline, for points from headlines).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Mapping, Sequence

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix, issparse

from newsgraph.engine.analysis.sentences import overlap, split_sentences, tfidf_matrix, words
from newsgraph.engine.models import SIDES, UNRATED_SIDE, side_of

_SIDE_ORDER = (*SIDES, UNRATED_SIDE)


@dataclass(frozen=True)
class KeyPoint:
    """One sentence of the story and the outlets (with their sides) whose articles carry it."""

    text: str
    article_id: str
    outlets: tuple[dict[str, Any], ...]
    "``{id, name, side}`` of each outlet carrying the sentence or a close paraphrase, the sentence's own first."
    score: float

    @property
    def sources(self) -> list[str]:
        return [o["id"] for o in self.outlets]

    @property
    def sides(self) -> list[str]:
        present = {o["side"] for o in self.outlets}
        return [s for s in _SIDE_ORDER if s in present]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["outlets"] = [dict(o) for o in self.outlets]
        d["sources"], d["sides"] = self.sources, self.sides
        return d


@dataclass(frozen=True)
class KeyPoints:
    """A story's key points in order of first appearance; ``from_headlines`` when no article had body text."""

    points: tuple[KeyPoint, ...]
    from_headlines: bool
    sentences: int
    "How many candidate sentences the points were chosen from."

    def to_dict(self) -> dict[str, Any]:
        return {"points": [p.to_dict() for p in self.points], "from_headlines": self.from_headlines,
                "sentences": self.sentences}


@dataclass(frozen=True)
class _Sentence:
    text: str
    article: int
    position: int
    body: bool


def _outlet(a: Mapping[str, Any]) -> dict[str, Any]:
    oid = a.get("outlet_id") or a.get("outlet_name") or a["id"]
    return {"id": oid, "name": a.get("outlet_name") or oid, "side": side_of(a.get("bias") or "unrated")}


def _units(articles: Sequence[Mapping[str, Any]]) -> tuple[list[_Sentence], bool]:
    """Every article's sentences (lead then text, each sentence once) and its headline."""
    out: list[_Sentence] = []
    any_body = False
    for i, a in enumerate(articles):
        seen: set[str] = set()
        pos = 0
        for part in (a.get("lead"), a.get("text")):
            for s in split_sentences(part):
                if s not in seen:
                    seen.add(s)
                    out.append(_Sentence(s, i, pos, True))
                    pos += 1
                    any_body = True
        if a.get("title"):
            out.append(_Sentence(a["title"].strip(), i, -1, False))
    return out, any_body


def _candidate(s: _Sentence, content: list[str], min_words: int, max_words: int) -> bool:
    n = len(s.text.split())
    # an excerpt cut off mid-sentence ("...") is not a statement of the story
    return min_words <= n <= max_words and not s.text.endswith(("...", "…")) and bool(content)


def sentence_graph(vectors: np.ndarray | csr_matrix, articles: Sequence[int], *, edge_threshold: float = 0.1,
                   same_article: bool = False) -> nx.Graph:
    """The similarity graph of sentences: nodes ``0..n-1``, an edge (``weight`` = cosine) between sentences of
    different articles (any two with ``same_article``) at least ``edge_threshold`` similar.

    >>> v = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    >>> sorted(sentence_graph(v, [0, 1, 1]).edges(data="weight"))
    [(0, 1, 0.8)]
    """
    sim = vectors @ vectors.T
    if issparse(sim):
        sim = sim.toarray()
    G = nx.Graph()
    G.add_nodes_from(range(len(articles)))
    art = np.asarray(articles)
    linked = np.triu(sim >= edge_threshold, 1)
    if not same_article:
        linked &= art[:, None] != art[None, :]
    rows, cols = np.nonzero(linked)
    G.add_weighted_edges_from((int(i), int(j), round(float(sim[i, j]), 6)) for i, j in zip(rows, cols))
    return G


def key_points(
    articles: Sequence[Mapping[str, Any]],
    *,
    max_points: int = 5,
    min_points: int = 3,
    edge_threshold: float = 0.1,
    redundancy: float = 0.3,
    paraphrase: float = 0.6,
    min_shared: int = 4,
    position_bias: float = 0.5,
    damping: float = 0.85,
    min_words: int = 10,
    max_words: int = 60,
    headline_votes: bool = True,
    same_article: bool = False,
) -> KeyPoints:
    """The key points of a story's ``articles`` (rows with ``id``, ``title``, ``lead``, ``text``,
    ``published_at``, ``outlet_id``, ``outlet_name``, ``bias``).

    Parameters
    ----------
    max_points, min_points
        A story gets one point per article, at least ``min_points`` and at most ``max_points`` (fewer when it
        has fewer distinct sentences).
    edge_threshold
        Least cosine similarity for an edge of the sentence graph.
    redundancy
        A sentence this similar to a chosen point is not chosen too.
    paraphrase, min_shared
        A sentence of another article (a headline, for points from headlines) sharing at least ``min_shared``
        content words with a point, and this share of the shorter one's words, makes that article a source.
    position_bias
        Weight of a sentence's position in PageRank's restart vector: ``1 / (1 + position) ** position_bias``
        (0 gives plain LexRank).

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> t = datetime(2021, 5, 1, tzinfo=timezone.utc)
    >>> arts = [
    ...     dict(id="a", title="Court rules for police", published_at=t, outlet_id="l.com", bias="left",
    ...          text="The Supreme Court ruled for police officers on qualified immunity. Critics were angry."),
    ...     dict(id="b", title="Police win at Supreme Court", published_at=t, outlet_id="r.com", bias="right",
    ...          text="The Supreme Court ruled for police officers in two qualified immunity cases. It was unsigned."),
    ... ]
    >>> kp = key_points(arts, min_words=3)
    >>> kp.points[0].text, kp.points[0].sources, kp.points[0].sides
    ('The Supreme Court ruled for police officers on qualified immunity.', ['l.com', 'r.com'], ['left', 'right'])
    """
    articles = sorted(articles, key=lambda a: (a["published_at"], a["id"]))
    units, any_body = _units(articles)
    from_headlines = not any_body
    content = [words(s.text) for s in units]
    candidates = [i for i, s in enumerate(units)
                  if (s.body or from_headlines) and _candidate(s, content[i], min_words, max_words)]
    if from_headlines and not candidates:  # short headlines are all there is
        candidates = [i for i, s in enumerate(units) if not s.body and content[i]]
    # each distinct text once (a wire copy repeats sentences word for word): the first occurrence stands for it
    first_of: dict[str, int] = {}
    for i in candidates:
        first_of.setdefault(units[i].text, i)
    candidates = sorted(first_of.values())
    if not candidates:
        return KeyPoints((), from_headlines, 0)
    vectors = tfidf_matrix(content, sparse=True)
    bags = [set(w) for w in content]
    # headlines vote (a sentence like the headlines ranks higher) but are not chosen unless they are all there is
    voters = [] if from_headlines or not headline_votes else [i for i, s in enumerate(units) if not s.body]
    nodes = candidates + voters
    cand_vec = vectors[candidates]
    cand_sim = (cand_vec @ cand_vec.T).toarray()
    G = sentence_graph(vectors[nodes], [units[i].article for i in nodes], edge_threshold=edge_threshold,
                       same_article=same_article)
    restart = {k: 1.0 / (1 + max(units[i].position, 0)) ** position_bias for k, i in enumerate(nodes)}
    rank = nx.pagerank(G, alpha=damping, personalization=restart, weight="weight", max_iter=500, tol=1e-10) \
        if G.number_of_edges() else {k: restart[k] for k in G}
    want = min(max_points, max(min_points, len(articles)))
    order = sorted(range(len(candidates)), key=lambda k: (-rank[k], candidates[k]))
    chosen: list[int] = []
    for k in order:
        if len(chosen) == want:
            break
        if all(float(cand_sim[k, c]) < redundancy for c in chosen):
            chosen.append(k)
    points = []
    for k in chosen:
        i = candidates[k]
        mine = bags[i]
        # a headline is short, so most of its words are in many a sentence: headlines carry headline points only
        carriers = [i] + [j for j in range(len(units))
                          if j != i and (units[j].text == units[i].text
                                         or (units[j].body != from_headlines and len(mine & bags[j]) >= min_shared
                                             and overlap(mine, bags[j]) >= paraphrase))]
        outlets: dict[str, dict[str, Any]] = {}
        for j in carriers:
            o = _outlet(articles[units[j].article])
            outlets.setdefault(o["id"], o)
        # first appearance: the earliest article carrying it, then the earliest place there (a headline first)
        first = min((articles[units[j].article]["published_at"], units[j].position, units[j].article)
                    for j in carriers)
        points.append((first, KeyPoint(units[i].text, articles[units[i].article]["id"], tuple(outlets.values()),
                                       round(float(rank[k]), 6))))
    points = [p for _, p in sorted(points, key=lambda fp: fp[0])]
    return KeyPoints(tuple(points), from_headlines, len(candidates))

