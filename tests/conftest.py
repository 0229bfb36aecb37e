import pytest

pytest_plugins = ["tests.store_backends"]

from tests.corpus import write_corpus


@pytest.fixture(scope="session")
def corpus_files(tmp_path_factory):
    """The known-answer corpus written once per session: (articles.jsonl, outlets.csv)."""
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def ner():
    """The real spaCy NER pipeline, loaded once per session."""
    from newsgraph.engine.config import get_settings
    from newsgraph.engine.nlp import EntityExtractor, load_ner

    settings = get_settings()
    return EntityExtractor(load_ner(settings.spacy_model), batch_size=settings.nlp_batch_size)
