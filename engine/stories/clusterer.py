"""Incremental, time-windowed clustering of articles into stories.

Each article is compared with the stories still open around its publication
time and joins the most similar one, or starts a story of its own when no
story reaches the threshold. Similarity to a story is the mean cosine to its
members of TF-IDF terms (title twice, lead once, the start of the body at
half weight; average linkage, so a story that gathered several events does
not draw in everything of their topic), blended with the cosine of the
story's idf-weighted entities, and
lowered by the time between the article and the story's span along the
curve of :func:`time_decay` (fast within a news cycle, slow over days). Times
carry their precision: a day-only date stands for its whole day
(:func:`~engine.models.published_interval`) and the gap is measured from its
nearest instant. A story stays open while articles keep joining it, since
the gap is measured to its newest article. Candidate stories come from an inverted
index (term or entity -> stories using it), so an article is compared with a
handful of stories, not with all of them; stories whose newest article is
more than a window older than the newest article seen leave the index and
memory.

An optional second pass (``merge_threshold``, off by default) folds every
story a batch started into the most similar older open story when the mean
similarity between their members reaches the merge threshold. It is off
because what it folds depends on where a batch or a run began, so it made
the same input give different stories when split differently, and with
average linkage it no longer lifted any score (docs/stories.md).

A story's id derives from the id of the article that started it, so the same
articles in the same order always give the same story ids, and a later run
that is seeded with stored articles extends their stories under the same ids.

>>> from datetime import datetime, timezone
>>> t = datetime(2025, 4, 1, 9, tzinfo=timezone.utc)
>>> c = StoryClusterer()
>>> out = c.assign([
...     StoryCandidate("a1", "Finland quits landmine treaty", None, t, ("gpe:finland",), "cnn.com"),
...     StoryCandidate("a2", "Finland to leave landmine treaty", None, t, ("gpe:finland",), "reuters.com"),
...     StoryCandidate("a3", "NASA delays moon launch", None, t, ("org:nasa",), "cnn.com"),
... ])
>>> [a.story_id == out[0].story_id for a in out]
[True, True, False]
>>> c.representative_title(out[0].story_id)
'Finland quits landmine treaty'
"""

from __future__ import annotations

import bisect
import hashlib
import heapq
import math
import operator
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from itertools import repeat
from typing import Iterable, Sequence

from newsgraph.engine.errors import ConfigError, NotFound
from newsgraph.engine.models import Assignment, published_interval
from newsgraph.engine.stories.features import DocumentFrequencies, Vector, dot, text_counts, weighted_vector

# Share of the entity cosine in the similarity. Entities have their own
# document frequencies, since a name is rarer than a word; they weigh less than
# words because NER on headline-case titles also finds spurious organisations
# (on the roundups 0.1 beat 0.2, 0.35 and 0.5 with and without article text).
_ENTITY_WEIGHT = 0.1
# Only the article's strongest terms look stories up: weak terms would bring
# every open story in as a candidate without ever deciding the match.
_LOOKUP_TERMS = 12
# A story is listed in the index under each member's strongest terms only: a
# body's long tail of words would list every story under every common word.
_INDEX_TERMS = 30
# Term weights (idf) come from the articles of the seven whole days before an
# article's own: recent enough to follow what the news repeats, and a function
# of the input alone, not of where runs and batches began.
_IDF_DAYS = 7
# The time term (see time_decay): a fast part for the same news cycle and a
# slow part that lets a clearly-same follow-up join a story days later. On the
# AllSides roundups with dates jittered by 0-3 days and on their six-fold
# compressed timeline, a 3 h fast half-life with a slow part of 0.4 halving
# every 96 h kept the undisturbed roundups at BCubed F1 >= 0.95 while
# lifting both proxies; a larger slow share (0.5) or a flat one chained the
# same actors' consecutive events (docs/stories.md has the grid).
_FAST_HALF_LIFE = timedelta(hours=3)
_SLOW_SHARE = 0.4
_SLOW_HALF_LIFE = timedelta(hours=96)


@dataclass(frozen=True)
class StoryCandidate:
    """What the clusterer needs of an article.

    ``text`` is the body (the lead may be its start); only its first
    characters count, at a lower weight than title and lead. ``entity_ids``
    are canonical entity ids (``gpe:finland``), repeated or not;
    ``published_at`` should be timezone-aware (naive times are taken as UTC).
    """

    article_id: str
    title: str
    lead: str | None
    published_at: datetime
    entity_ids: tuple[str, ...] = ()
    outlet_id: str | None = None
    text: str | None = None


@dataclass
class _Member:
    article_id: str
    title: str
    published_at: datetime
    text: Vector
    until: datetime  # end of the published interval: a day-only date spans its whole day


@dataclass
class _Story:
    id: str
    first: datetime
    last: datetime
    members: list[_Member] = field(default_factory=list)
    text_sum: Vector = field(default_factory=dict)  # sum of members' unit text vectors
    text_sq: float = 0.0  # squared norm of text_sum, kept up to date on each join
    entity_sum: Vector = field(default_factory=dict)
    entity_sq: float = 0.0
    # index keys this story is listed under: its terms as they are (a term never holds a ":") and its
    # entities as "e:" + id, so the two never share a key
    keys: set[str] = field(default_factory=set)


_WEIGHT = operator.itemgetter(1)
_FIRST_ID = operator.attrgetter("first", "id")
_fsum = math.fsum
_mul = operator.mul
_TERM = operator.itemgetter(0)
_ZERO = timedelta(0)


def _NEG_WEIGHT(item: tuple[str, float]) -> float:
    return -item[1]


def _strongest(vec: Vector, n: int, *, later_terms_first: bool) -> list[tuple[str, float]]:
    """The ``n`` items of ``vec`` with the largest weights; among equal weights at the cut, the earliest terms
    in alphabetical order (or the latest, with ``later_terms_first``), so the choice never depends on dict order.

    >>> _strongest({"b": 0.5, "a": 0.5, "c": 0.9}, 2, later_terms_first=False)
    [('c', 0.9), ('a', 0.5)]
    >>> _strongest({"b": 0.5, "a": 0.5, "c": 0.9}, 2, later_terms_first=True)
    [('c', 0.9), ('b', 0.5)]
    """
    return _top(_ranked(vec), n, later_terms_first=later_terms_first)


def _ranked(vec: Vector) -> list[tuple[str, float]]:
    """The items of ``vec`` by weight, largest first (equal weights in dict order): what :func:`_top` cuts."""
    return sorted(vec.items(), key=_WEIGHT, reverse=True)


def _top(ranked: list[tuple[str, float]], n: int, *, later_terms_first: bool) -> list[tuple[str, float]]:
    """:func:`_strongest` of a vector from its :func:`_ranked` items (one sort serves both cuts of an article)."""
    if len(ranked) > n and ranked[n][1] == ranked[n - 1][1]:
        cut = ranked[n - 1][1]
        # the weights descend, so the items tied at the cut are one run: found by bisection, not a scan
        lo = bisect.bisect_left(ranked, -cut, hi=n - 1, key=_NEG_WEIGHT)
        hi = bisect.bisect_right(ranked, -cut, lo=n, key=_NEG_WEIGHT)
        tied = sorted(ranked[lo:hi], key=_TERM, reverse=later_terms_first)
        return ranked[:lo] + tied[:n - lo]
    return ranked[:n]


def story_id_for(article_id: str) -> str:
    """The id of a story started by ``article_id``: stable across runs and machines.

    >>> story_id_for("a1")
    's-f29bc91bbdab169f'
    """
    return "s-" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:16]


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when


def time_decay(gap: timedelta, pace: float = 1.0) -> float:
    """Share of its similarity a story keeps for an article ``gap`` away from the story's span.

    ``max(0.5 ** (gap / 3 h), (0.4 * 0.5 ** (gap / 96 h)) ** pace)``: within
    the same news cycle similarity halves every three hours, so a weak match
    must be close in time; after that a slow part takes over, 0.34 a day on,
    0.28 two days on, 0.2 four days on, so an article that is clearly about
    the same event (similarity 0.4-0.65 before the decay, against the
    threshold of 0.135) still extends a story that went quiet for days. The
    gap is 0 while the article falls inside the story's span.

    ``pace`` (0-1) is how busy the stream was, as a share of the clusterer's
    busy rate: the days between an article and a story are evidence of a
    different event only as far as other news was published in them, so in
    a quiet stream (a set of events, each reported a few times over several
    days with little else around) the slow part is weakened in proportion.
    A busy stream (pace 1) keeps the curve as it is.

    >>> [round(time_decay(timedelta(hours=h)), 2) for h in (0, 3, 6, 24, 48, 96)]
    [1.0, 0.5, 0.38, 0.34, 0.28, 0.2]
    >>> [round(time_decay(timedelta(hours=h), pace=0.25), 2) for h in (3, 24, 48, 96)]
    [0.79, 0.76, 0.73, 0.67]
    """
    gap = max(gap, timedelta(0))
    slow = _SLOW_SHARE * 0.5 ** (gap / _SLOW_HALF_LIFE)
    return max(0.5 ** (gap / _FAST_HALF_LIFE), slow if pace >= 1.0 else slow ** pace)


class _DecayTable(dict):
    """gap -> time_decay(gap), each gap computed once: gaps between day-only dates repeat (while there is room)."""

    def __missing__(self, gap: timedelta) -> float:
        value = time_decay(gap)
        if len(self) < 100_000:
            self[gap] = value
        return value


_DECAY = _DecayTable()


def _add(total: Vector, vec: Vector, sq: float) -> float:
    """Add ``vec`` into ``total`` in place; return the new squared norm from the old one."""
    cross = dot(total, vec) if total else 0.0
    keys = list(vec)
    values = list(vec.values())
    # each key is read before it is written, and the keys are distinct: the sums are made in C
    total.update(zip(keys, map(operator.add, map(total.get, keys, repeat(0.0)), values)))
    # dot(vec, vec): the same products, exactly summed, without intersecting vec's keys with themselves
    return sq + 2.0 * cross + _fsum(map(_mul, values, values))


class StoryClusterer:
    """Groups articles into stories, batch after batch.

    Parameters
    ----------
    window_hours : float
        An article joins a story only if published within this many hours of
        the story's first-to-last span. Stories whose newest article is more
        than a window older than the newest article seen are forgotten.
    threshold : float
        Minimum similarity (0-1) to join a story instead of starting one.
    idf_prior : float
        How many documents the background term frequencies shipped with
        newsgraph count as in the week's idf (see
        :class:`~engine.stories.features.DocumentFrequencies`); 0 weighs terms
        by the week's articles alone.
    busy_rate : float
        Articles a day below which the stream counts as quiet: the slow part
        of the time term is then raised to the power ``rate / busy_rate``
        (see :func:`time_decay`), so days in which nothing else was published
        say less against the same event. 0 never weakens it.
    merge_threshold : float, optional
        After each batch, a story the batch started joins the most similar
        older open story when their members are at least this similar on
        average (default: off, as 1.0 or more is). Since its result depends
        on the batches, it is not used by the pipeline.

    Examples
    --------
    >>> from datetime import date, datetime, timedelta, timezone
    >>> t = datetime(2025, 4, 1, tzinfo=timezone.utc)
    >>> c = StoryClusterer(window_hours=24)
    >>> first = c.assign([StoryCandidate("a1", "Court backs police", None, t)])
    >>> later = c.assign([StoryCandidate("a2", "Court backs police", None, t + timedelta(days=3))])
    >>> first[0].story_id == later[0].story_id  # same words, but outside the window
    False
    """

    def __init__(self, *, window_hours: float = 120.0, threshold: float = 0.135, idf_prior: float = 100.0,
                 busy_rate: float = 2.0, merge_threshold: float | None = None):
        if window_hours <= 0:
            raise ConfigError(f"story window must be positive, got {window_hours} hours")
        if not 0.0 <= threshold <= 1.0:
            raise ConfigError(f"story threshold must be between 0 and 1, got {threshold}")
        if idf_prior < 0:
            raise ConfigError(f"story idf prior must be 0 or more, got {idf_prior}")
        if busy_rate < 0:
            raise ConfigError(f"story busy rate must be 0 or more articles a day, got {busy_rate}")
        self.idf_prior = idf_prior
        self.busy_rate = busy_rate
        self.window = timedelta(hours=window_hours)
        self.threshold = threshold
        self.merge_threshold = 1.0 if merge_threshold is None else merge_threshold
        # per UTC day: term and entity document frequencies, and the ids counted in them
        self._days: dict[date, tuple[DocumentFrequencies, DocumentFrequencies, set[str]]] = {}
        # a rolling sum of the days [_roll_start, _roll_start + _IDF_DAYS): the idf of the day after them,
        # moved a day at a time (a day in, a day out) rather than merged again for every day
        self._roll_start: date | None = None
        self._roll = (DocumentFrequencies(prior_documents=idf_prior), DocumentFrequencies())
        self._stories: dict[str, _Story] = {}
        self._article_story: dict[str, str] = {}
        self._index: dict[str, set[str]] = {}
        self._expiry: list[tuple[datetime, str]] = []  # (story.last, id); stale entries skipped on pop
        self._newest: datetime | None = None
        # stories forgotten during the latest assign(), whose titles the caller may still ask for
        self._evicted: dict[str, _Story] = {}

    # -- public API -----------------------------------------------------
    def seed(self, stored: Iterable[tuple[StoryCandidate, str]]) -> None:
        """Load already-stored articles with their story ids, so that new articles can extend those stories.

        Articles the clusterer already holds are skipped, so seeding the same
        rows twice changes nothing.
        """
        rows = [(c, sid) for c, sid in stored if c.article_id not in self._article_story]
        if not rows:
            return
        rows.sort(key=lambda r: (_utc(r[0].published_at), r[0].article_id))
        counts = self._learn(c for c, _ in rows)
        for (cand, sid), (text, ents, day) in zip(rows, counts):
            story = self._stories.get(sid)
            if story is None:
                story = self._stories[sid] = _Story(sid, *published_interval(cand.published_at))
            self._join(story, cand, self._vectors(text, ents, day))
        # no eviction here: stored rows may reach past the batch that follows,
        # and only that batch's articles say how far time has moved on

    def assign(self, batch: Sequence[StoryCandidate]) -> list[Assignment]:
        """Place each article of ``batch`` in a story, in order of (published_at, article_id).

        Returns one :class:`~engine.models.Assignment` per article of
        ``batch``, in the batch's order. An article that starts a story has
        similarity 1.0. An article the clusterer already holds (seeded, or
        repeated in the batch) is reported in its story again, with
        similarity 1.0 if it was not placed by this call.
        """
        self._evicted = {}
        ordered = sorted(batch, key=lambda c: (_utc(c.published_at), c.article_id))
        fresh: dict[str, StoryCandidate] = {}
        for c in ordered:
            if c.article_id not in self._article_story:
                fresh.setdefault(c.article_id, c)
        # the whole batch is counted in its days first: an article's earlier days
        # may be in this same batch, and its weights must not depend on that
        vectors = dict(zip(fresh, self._learn(fresh.values())))
        # held articles are looked up now: their story may be forgotten while the batch moves time on
        placed = {
            c.article_id: Assignment(c.article_id, self._article_story[c.article_id], 1.0)
            for c in batch
            if c.article_id not in fresh
        }
        started: list[str] = []
        for cand in fresh.values():
            span = published_interval(cand.published_at)
            self._advance(span[0])
            counts = vectors[cand.article_id]
            text, ents = self._vectors(*counts)
            ranked = _ranked(text)
            story, sim = self._best(text, ents, span, ranked, self._pace(counts[2]))
            if story is None:
                sid = story_id_for(cand.article_id)
                story = self._stories.setdefault(sid, _Story(sid, *span))
                started.append(sid)
                sim = 1.0
            self._join(story, cand, (text, ents), span, ranked)
            placed[cand.article_id] = Assignment(cand.article_id, story.id, round(sim, 6))
        if self.merge_threshold < 1.0:
            self._merge_new_stories(placed, [sid for sid in started if sid in self._stories])
        return [placed[c.article_id] for c in batch]

    def representative_title(self, story_id: str) -> str:
        """The headline of the story's member closest to its centroid (earliest on ties).

        Stories forgotten while the latest :meth:`assign` moved time on are
        still answered. Raises :class:`~engine.errors.NotFound` for a story
        the clusterer does not hold (never seen, or forgotten earlier).
        """
        story = self._stories.get(story_id) or self._evicted.get(story_id)
        if story is None:
            raise NotFound("story", story_id)
        # rounded so that float noise does not outvote the earliest-first tie-break
        best = min(story.members, key=lambda m: (-round(dot(m.text, story.text_sum), 9), m.published_at, m.article_id))
        return best.title

    def story_entities(self, story_id: str) -> set[str]:
        """The entity ids the story's articles mention (empty for a story the clusterer does not hold)."""
        story = self._stories.get(story_id)
        return set(story.entity_sum) if story is not None else set()

    # -- internals ------------------------------------------------------
    def _learn(self, cands: Iterable[StoryCandidate]) -> list[tuple[Counter, Counter, date]]:
        """Count each candidate in its day's document frequencies; return its raw term and entity counts and day."""
        out = []
        for c in cands:
            text = text_counts(c.title, c.lead, c.text)
            ents = Counter(e for e in c.entity_ids if e)
            day = published_interval(c.published_at)[0].date()
            terms, entities, ids = self._days.setdefault(day, (DocumentFrequencies(), DocumentFrequencies(), set()))
            if c.article_id not in ids:  # a stored article seeded again is counted once
                ids.add(c.article_id)
                terms.add(text)
                if ents:
                    entities.add(ents)
                if self._in_roll(day):  # the rolling sum counts every article of its days
                    self._roll[0].add(text)
                    if ents:
                        self._roll[1].add(ents)
            out.append((text, ents, day))
        return out

    def _vectors(self, text: Counter, ents: Counter, day: date) -> tuple[Vector, Vector]:
        terms, entities = self._frequencies(day)
        entity_vec = weighted_vector(ents, entities) if ents else {}
        return weighted_vector(text, terms), entity_vec

    def _frequencies(self, day: date) -> tuple[DocumentFrequencies, DocumentFrequencies]:
        """Document frequencies of the whole days before ``day`` (``_IDF_DAYS`` of them).

        Only whole earlier days count, never the article's own day: how many
        of today's articles were read before this one depends on where a run
        or a batch began, and what came before today does not, so the same
        article gets the same weights however the input was split.
        """
        start = day - timedelta(days=_IDF_DAYS)
        if start != self._roll_start:
            old = self._roll_start
            wanted = [start + timedelta(days=k) for k in range(_IDF_DAYS)]
            if old is None or abs((start - old).days) >= _IDF_DAYS:
                self._roll = (DocumentFrequencies(prior_documents=self.idf_prior), DocumentFrequencies())
                leaving, entering = [], wanted
            else:
                held = [old + timedelta(days=k) for k in range(_IDF_DAYS)]
                leaving = [d for d in held if d not in wanted]
                entering = [d for d in wanted if d not in held]
            terms, entities = self._roll
            for d in leaving:
                if d in self._days:
                    terms.exclude(self._days[d][0])
                    entities.exclude(self._days[d][1])
            for d in entering:
                if d in self._days:
                    terms.include(self._days[d][0])
                    entities.include(self._days[d][1])
            self._roll_start = start
        return self._roll

    def _pace(self, day: date) -> float:
        """How busy the stream was before ``day``, as a share of ``busy_rate`` (1.0 at or above it).

        The rate is the articles of the week before ``day`` per day, counted
        from the first day of that week that has any (a stream that only
        began counts from its start); a week with none is read as busy, since
        nothing says the stream is quiet rather than starting. Like the idf,
        it counts whole earlier days only, so it does not depend on where a
        run or a batch began.
        """
        self._frequencies(day)
        start = self._roll_start
        assert start is not None
        total, first = 0, None
        for k in range(_IDF_DAYS):
            held = self._days.get(start + timedelta(days=k))
            if held is not None and held[2]:
                total += len(held[2])
                if first is None:
                    first = k
        if first is None or total >= self.busy_rate * (_IDF_DAYS - first):
            return 1.0
        return total / (_IDF_DAYS - first) / self.busy_rate

    def _in_roll(self, day: date) -> bool:
        start = self._roll_start
        return start is not None and start <= day < start + timedelta(days=_IDF_DAYS)

    def history_start(self, when: datetime) -> datetime:
        """The earliest time whose stored articles a batch starting at ``when`` needs: its stories and its idf.

        A clusterer that holds nothing yet needs a week more: each stored
        article it is seeded with is weighed by the week before its own day,
        as it was when it was placed, so that week must be counted too.
        """
        start = published_interval(when)[0]
        midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
        needed = min(start - self.window, midnight - timedelta(days=_IDF_DAYS))
        return needed if self._days else needed - timedelta(days=_IDF_DAYS)

    def _best(self, text: Vector, ents: Vector, span: tuple[datetime, datetime],
              ranked: list[tuple[str, float]] | None = None, pace: float = 1.0) -> tuple[_Story | None, float]:
        strongest = _top(_ranked(text) if ranked is None else ranked, _LOOKUP_TERMS, later_terms_first=False)
        index = self._index
        candidates: set[str] = set()
        for k in [*map(_TERM, strongest), *[f"e:{e}" for e in ents]]:
            postings = index.get(k)
            if postings is not None:
                candidates |= postings
        best, best_sim = None, -1.0
        stories, window = self._stories, self.window
        start, end = span
        text_keys, text_get = text.keys(), text.__getitem__
        ent_keys, ent_get = ents.keys(), ents.__getitem__
        zero, decay = _ZERO, _DECAY
        # in set order: a tie goes to the earlier story (first article, then id), whatever that order is
        for story in map(stories.__getitem__, candidates):
            # measured from the nearest instant each side may stand for: a day-only date is as close as any
            # time of its day
            gap = max(story.first - end, start - story.last)
            if gap > window:
                continue
            # average linkage: the mean cosine to the members (the cosine to the centroid would be this divided
            # by the centroid's length, which shrinks as a story gathers different events, so a story chained
            # out of one topic's events would draw in every article of the topic), blended with the entities'
            # cosine to the story's; inlined, since this loop is where placing an article spends its time
            total = story.text_sum
            common = text_keys & total.keys()
            sim = _fsum(map(_mul, map(text_get, common), map(total.__getitem__, common))) / len(story.members)
            if ents and story.entity_sq > 0:
                total = story.entity_sum
                common = ent_keys & total.keys()
                ent_sim = _fsum(map(_mul, map(ent_get, common), map(total.__getitem__, common))) / story.entity_sq ** 0.5
                sim = (1.0 - _ENTITY_WEIGHT) * sim + _ENTITY_WEIGHT * ent_sim
            if gap > zero:  # inside the span (or touching it) the time term is 1.0
                sim *= decay[gap] if pace >= 1.0 else time_decay(gap, pace)
            if sim > best_sim or (sim == best_sim and best is not None and _FIRST_ID(story) < _FIRST_ID(best)):
                best, best_sim = story, sim
        if best is None or best_sim < self.threshold:
            return None, best_sim
        return best, best_sim

    def _join(self, story: _Story, cand: StoryCandidate, vectors: tuple[Vector, Vector],
              span: tuple[datetime, datetime] | None = None, ranked: list[tuple[str, float]] | None = None) -> None:
        text, ents = vectors
        when, until = published_interval(cand.published_at) if span is None else span
        story.members.append(_Member(cand.article_id, cand.title, when, text, until))
        story.text_sq = _add(story.text_sum, text, story.text_sq)
        if ents:
            story.entity_sq = _add(story.entity_sum, ents, story.entity_sq)
        story.first = min(story.first, when)
        if until >= story.last or len(story.members) == 1:
            story.last = max(story.last, until)
            heapq.heappush(self._expiry, (story.last, story.id))
        self._article_story[cand.article_id] = story.id
        strongest = _top(_ranked(text) if ranked is None else ranked, _INDEX_TERMS, later_terms_first=True)
        keys = story.keys
        new = set(map(_TERM, strongest))
        new.update(f"e:{e}" for e in ents)
        new -= keys
        if new:
            keys |= new
            index, sid = self._index, story.id
            for k in new:
                postings = index.get(k)
                if postings is None:
                    index[k] = {sid}
                else:
                    postings.add(sid)

    def _story_similarity(self, a: _Story, b: _Story) -> float:
        """Mean cosine between the two stories' members, blended and time-decayed as for an article."""
        if a.text_sq <= 0 or b.text_sq <= 0:
            return 0.0
        sim = dot(a.text_sum, b.text_sum) / (len(a.members) * len(b.members))
        if a.entity_sq > 0 and b.entity_sq > 0:
            ent_sim = dot(a.entity_sum, b.entity_sum) / (a.entity_sq * b.entity_sq) ** 0.5
            sim = (1.0 - _ENTITY_WEIGHT) * sim + _ENTITY_WEIGHT * ent_sim
        return sim * time_decay(max(a.first - b.last, b.first - a.last))

    def _merge_new_stories(self, placed: dict[str, Assignment], new_ids: list[str]) -> None:
        """Second pass: fold each story this batch started into the most similar open story.

        Only stories whose every article is in this batch move, so nothing
        already stored changes story; the older story (earlier first article)
        keeps its id, which keeps ids stable on re-runs.
        """
        for sid in sorted(new_ids, key=lambda s: (self._stories[s].first, s), reverse=True):
            story = self._stories.get(sid)
            if story is None:
                continue
            keys = [k for k in story.keys]
            candidates: set[str] = set()
            for k in keys:
                candidates |= self._index.get(k, set())
            candidates.discard(sid)
            best, best_sim = None, -1.0
            for other_id in sorted(candidates, key=lambda s: (self._stories[s].first, s)):
                other = self._stories[other_id]
                if (other.first, other.id) > (story.first, story.id):
                    continue  # the later story folds into the earlier one, never the reverse
                if story.first - other.last > self.window or other.first - story.last > self.window:
                    continue
                sim = self._story_similarity(story, other)
                if sim > best_sim:
                    best, best_sim = other, sim
            if best is None or best_sim < self.merge_threshold:
                continue
            self._fold(story, best)
            for m in story.members:
                old = placed[m.article_id]
                placed[m.article_id] = Assignment(m.article_id, best.id, round(min(old.similarity, best_sim), 6))

    def _fold(self, story: _Story, into: _Story) -> None:
        """Move every member of ``story`` into ``into`` and forget ``story``."""
        for k in story.keys:
            postings = self._index.get(k)
            if postings is not None:
                postings.discard(story.id)
                if not postings:
                    del self._index[k]
        del self._stories[story.id]
        for m in story.members:
            into.members.append(m)
            into.text_sq = _add(into.text_sum, m.text, into.text_sq)
            self._article_story[m.article_id] = into.id
        if story.entity_sum:
            into.entity_sq = _add(into.entity_sum, story.entity_sum, into.entity_sq)
        into.first = min(into.first, story.first)
        if story.last > into.last:
            into.last = story.last
            heapq.heappush(self._expiry, (into.last, into.id))
        for k in story.keys:
            if k not in into.keys:
                into.keys.add(k)
                self._index.setdefault(k, set()).add(into.id)

    def _advance(self, when: datetime) -> None:
        if self._newest is None or when > self._newest:
            self._newest = when
            self._evict()
            # an article can still come a window late, and its idf needs the days before it
            oldest = (when - self.window).date() - timedelta(days=_IDF_DAYS)
            for day in [d for d in self._days if d < oldest]:
                if self._in_roll(day):
                    self._roll[0].exclude(self._days[day][0])
                    self._roll[1].exclude(self._days[day][1])
                del self._days[day]

    def _evict(self) -> None:
        assert self._newest is not None
        horizon = self._newest - self.window
        while self._expiry and self._expiry[0][0] < horizon:
            last, sid = heapq.heappop(self._expiry)
            story = self._stories.get(sid)
            if story is None or story.last != last:
                continue  # the story grew since this entry was pushed; a newer entry stands for it
            for k in story.keys:
                postings = self._index.get(k)
                if postings is not None:
                    postings.discard(sid)
                    if not postings:
                        del self._index[k]
            self._evicted[sid] = story
            for m in story.members:
                self._article_story.pop(m.article_id, None)
            del self._stories[sid]

