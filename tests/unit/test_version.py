"""One version: pyproject.toml's, as the installed package's metadata carries it, wherever a version is shown."""

import tomllib
from importlib.metadata import version
from pathlib import Path

from fastapi.testclient import TestClient

import newsgraph.engine
from newsgraph.api.app import create_app
from newsgraph.engine.store.sqlite import SQLiteStore

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_api_reports_the_package_version():
    declared = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    with TestClient(create_app(store=SQLiteStore(":memory:"))) as client:
        shown = client.get("/openapi.json").json()["info"]["version"]
    assert shown == newsgraph.engine.__version__ == version("newsgraph") == declared
