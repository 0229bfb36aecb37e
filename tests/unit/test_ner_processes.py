"""NER in two worker processes (a local Dask cluster) finds exactly what it finds in one, in the same order."""

import os
from datetime import datetime

import pytest

from newsgraph.engine.cluster import loaded_models
from newsgraph.engine.config import get_settings
from newsgraph.engine.errors import ConfigError
from newsgraph.engine.models import Article
from newsgraph.engine.nlp import EntityExtractor
from newsgraph.engine.nlp.extract import MIN_TEXTS_TO_SPLIT
from tests.corpus import articles as corpus_articles


def _batch() -> list[Article]:
    """The corpus's articles repeated under new ids: enough texts for the batch to be split."""
    base = corpus_articles()
    out = []
    for i in range(MIN_TEXTS_TO_SPLIT // len(base) + 2):
        for j, a in enumerate(base):
            when = datetime.fromisoformat(a["published_at"].replace("Z", "+00:00"))
            out.append(Article(f"a{j}-{i}", a["url"], a["title"], when, lead=a["lead"], text=a["text"]))
    return out


def test_two_processes_match_one(ner):
    batch = _batch()
    assert 2 * len(batch) >= MIN_TEXTS_TO_SPLIT
    settings = get_settings()
    two = EntityExtractor(ner.nlp, batch_size=settings.nlp_batch_size, processes=2, model=settings.spacy_model)
    try:
        split = two.extract(batch)
        assert two.cluster is not None  # the batch really went to the workers, each its own process
        pids = two.cluster.client.run(os.getpid)
        assert len(pids) == 2 and os.getpid() not in pids.values()
        assert two.cluster.client.run(loaded_models) == {w: {settings.spacy_model: 1} for w in pids}
    finally:
        two.close()
    alone = ner.extract(batch)
    assert [a.article_id for a in split] == [a.id for a in batch]
    assert split == alone
    assert any(e.id == "gpe:finland" for a in split for e in a.entities)


def test_several_processes_need_the_model_name(ner):
    with pytest.raises(ConfigError, match="model"):
        EntityExtractor(ner.nlp, processes=2)
