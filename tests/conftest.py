"""Shared fixtures.

The test folders say what the tests need: ``unit/`` nothing outside this process,
``neo4j/`` a Neo4j server (the session starts one, see ``store_backends.py``),
``browser/`` Debian's Chromium, ``cluster/`` a Dask scheduler and workers on 127.0.0.1 (each test starts
its own and stops it, see ``cluster/conftest.py``).
"""

import importlib.abc
import sys

import pytest


class _OneName(importlib.abc.MetaPathFinder):
    """Refuses the bare folder names: the project is imported as ``newsgraph.*`` only.

    The repository root is on ``sys.path`` while the tests run (it holds the ``tests``
    package), so without this a stray ``import engine`` in a module or a docstring
    example would load a second copy of the code instead of failing as it does for users.
    """

    def find_spec(self, name, path=None, target=None):
        if name in ("engine", "api", "graph_schema"):
            raise ModuleNotFoundError(f"No module named {name!r} (import newsgraph.{name})", name=name)
        return None


sys.meta_path.insert(0, _OneName())

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


def pytest_collection_modifyitems(config, items):
    """Keep the folders honest: nothing under ``tests/unit`` may need a Neo4j server or a browser."""
    misplaced = [item.nodeid for item in items
                 if item.nodeid.startswith("tests/unit/")
                 and {m.name for m in item.iter_markers()} & {"neo4j", "browser", "cluster"}]
    if misplaced:
        raise pytest.UsageError("tests under tests/unit that need Neo4j, Chromium or a Dask cluster (move them to "
                                "tests/neo4j, tests/browser or tests/cluster): " + ", ".join(misplaced[:5]))
