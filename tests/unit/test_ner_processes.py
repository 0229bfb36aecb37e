"""NER in two worker processes (a local Dask cluster) finds exactly what it finds in one, in the same order."""

import os
from datetime import datetime

import pytest

from newsgraph.engine.cluster import loaded_models, ner_extractor
from newsgraph.engine.config import get_settings
from newsgraph.engine.errors import ClusterUnavailable
from newsgraph.engine.models import Article
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
    two = ner_extractor(settings, processes=2)
    try:
        split = two.extract(batch)
        assert two.cluster.started is not None  # the batch really went to the workers, each its own process
        pids = two.cluster.client.run(os.getpid)
        assert len(pids) == 2 and os.getpid() not in pids.values()
        assert two.cluster.client.run(loaded_models) == {w: {settings.spacy_model: 1} for w in pids}
    finally:
        two.close()
    alone = ner.extract(batch)
    assert [a.article_id for a in split] == [a.id for a in batch]
    assert split == alone
    assert any(e.id == "gpe:finland" for a in split for e in a.entities)


def test_small_batches_stay_in_this_process(ner):
    two = ner_extractor(get_settings(), processes=2)
    try:
        found = two.extract(_batch()[:3])
        assert two.cluster.started is None  # no worker was started for six texts
    finally:
        two.close()
    assert found == ner.extract(_batch()[:3])


def test_an_unreachable_cluster_is_one_clear_error():
    with pytest.raises(ClusterUnavailable, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        ner_extractor(get_settings(cluster="tcp://127.0.0.1:9"))
    with pytest.raises(ClusterUnavailable, match="not a Dask scheduler address"):
        ner_extractor(get_settings(cluster="127.0.0.1:8786"))
