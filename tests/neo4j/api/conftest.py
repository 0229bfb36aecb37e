"""A store per backend holding the corpus plus a lone unrated story with a hostile title, and an app on it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsgraph.api.app import create_app
from newsgraph.engine.config import get_settings
from tests.store_backends import open_backend
from tests.web_corpus import load

API_KEY = "test-key"


def make_client(store, ner, **overrides) -> TestClient:
    settings = get_settings(**{"api_key": API_KEY, **overrides})
    return TestClient(create_app(settings, store, extractor=ner))


@pytest.fixture(scope="module", params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def loaded_store(request, tmp_path_factory, corpus_files, ner):
    """The loaded store of one backend, shared by a module's read-only tests."""
    tmp = tmp_path_factory.mktemp(f"api-{request.param}")
    store = open_backend(request.param, tmp, request)
    load(store, corpus_files, ner, tmp)
    yield store
    store.close()


@pytest.fixture(scope="module")
def client(loaded_store, ner):
    """A test client of the app on the loaded store (writes on, key ``API_KEY``)."""
    with make_client(loaded_store, ner) as c:
        yield c


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def fresh_store(request, tmp_path, backend_store, corpus_files, ner):
    """A loaded store of one backend for a test that writes."""
    store = backend_store(request.param, tmp_path)
    load(store, corpus_files, ner, tmp_path)
    return store
