"""Property-based tests of the app against its own OpenAPI spec (schemathesis), on the embedded store.

Every GET operation gets generated queries and path ids, valid and invalid;
the writes get generated bodies with a missing or wrong API key. No answer may
be a 5xx, every status must be one the spec documents, and every body must
match the spec's schema for it.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from newsgraph.api.app import create_app
from newsgraph.engine.config import get_settings
from newsgraph.engine.store.sqlite import SQLiteStore
from tests.neo4j.api.conftest import API_KEY
from tests.web_corpus import load

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = settings(max_examples=60, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def app(tmp_path_factory, corpus_files, ner):
    """The app on a loaded embedded store, with a rule loose enough that the feed has blindspots."""
    tmp = tmp_path_factory.mktemp("schemathesis")
    store = SQLiteStore(tmp / "g.db")
    load(store, corpus_files, ner, tmp)
    s = get_settings(api_key=API_KEY, blindspot_min_sources=4, blindspot_max_weak_share=0.25,
                     blindspot_min_gap=0.25, blindspot_alpha=1.0)
    yield create_app(s, store, extractor=ner)
    store.close()


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _operations(method: str) -> list[str]:
    """The spec's paths with ``method``, from an app on an empty in-memory store (the spec does not depend on data)."""
    spec = create_app(get_settings(), SQLiteStore(":memory:")).openapi()
    return sorted(path for path, ops in spec["paths"].items() if method in ops)


def _run(operation, test) -> None:
    """Run ``test(case)`` on generated cases of ``operation`` (hypothesis, bounded by ``EXAMPLES``)."""
    given(case=operation.as_strategy())(EXAMPLES(test))()


@pytest.mark.parametrize("path", _operations("get"))
def test_reads_never_fail_and_match_the_spec(api_schema, path):
    def valid(case):
        case.call_and_validate(checks=CHECKS)

    _run(api_schema[path]["GET"], valid)


@pytest.mark.parametrize("path", _operations("post"))
def test_writes_without_the_right_key_are_refused_as_documented(api_schema, path):
    def refused(case):
        headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "x-api-key"}
        for key in (None, "wrong-" + API_KEY):
            case.headers = headers if key is None else {**headers, "X-API-Key": key}
            response = case.call()
            assert response.status_code in (401, 413, 422), (response.status_code, response.text)
            case.validate_response(response, checks=CHECKS)

    _run(api_schema[path]["POST"], refused)
