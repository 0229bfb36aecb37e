"""``newsgraph view`` and ``newsgraph serve`` on the command line."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from newsgraph.engine.cli import app
from newsgraph.engine.store.sqlite import SQLiteStore
from tests.web_corpus import load

runner = CliRunner()


@pytest.fixture(scope="module")
def store_url(tmp_path_factory, corpus_files, ner):
    tmp = tmp_path_factory.mktemp("cli-web")
    store = SQLiteStore(tmp / "g.db")
    load(store, corpus_files, ner, tmp)
    quantum = store.search_stories(q="quantum")[0][0]["id"]
    store.close()
    return f"sqlite:///{tmp / 'g.db'}", quantum


def run(*args, code=0):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result


@pytest.mark.parametrize("args", [["entity", "gpe:finland"], ["story", "QUANTUM"], ["outlets"]])
def test_view_writes_a_self_contained_file(store_url, tmp_path, args):
    url, quantum = store_url
    args = [quantum if a == "QUANTUM" else a for a in args]
    out = tmp_path / "view.html"
    report = json.loads(run("view", *args, "--out", out, "--store", url, "--json").stdout)
    assert report["path"] == str(out)
    text = out.read_text(encoding="utf-8")
    assert "new vis.Network(" in text and "<script src" not in text and "<link" not in text
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text)
    assert "<script>alert(1)" not in text
    if args[0] == "story":
        assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e Quantum chip" in text


def test_view_of_an_unknown_id_is_one_line(store_url, tmp_path):
    url, _ = store_url
    result = run("view", "entity", "gpe:atlantis", "--out", tmp_path / "x.html", "--store", url, code=2)
    assert result.output.strip() == "error: no entity with id 'gpe:atlantis'"
    assert not (tmp_path / "x.html").exists()


def test_view_caps_the_nodes(store_url, tmp_path):
    url, _ = store_url
    out = tmp_path / "small.html"
    run("view", "entity", "gpe:finland", "--out", out, "--store", url, "--max-nodes", "2")
    assert "Only the 1 most co-mentioned entities are shown." in out.read_text(encoding="utf-8")


def test_serve_reports_a_store_it_cannot_open(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run("serve", "--store", f"sqlite:///{blocker}/sub/g.db", code=3)
    assert result.output.startswith("error: cannot open the SQLite store")


def test_serve_answers_over_http_from_several_worker_processes(store_url):
    import subprocess
    import sys
    import time
    import urllib.request

    from newsgraph.engine.neo4j_server import free_port

    url, quantum = store_url
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "newsgraph.engine.cli", "serve", "--store", url, "--port", str(port),
                               "--workers", "2", "--no-access-log"], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.3)
        answers = []
        for _ in range(6):  # several connections: both workers answer alike
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stories/{quantum}", timeout=10) as r:
                answers.append(json.load(r))
        assert all(a == answers[0] for a in answers) and answers[0]["id"] == quantum
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "GET /api/stories" not in err  # no access log
    assert f"newsgraph on http://127.0.0.1:{port}/" in err
