"""The report scripts end to end, on both stores: each writes a readable PNG and prints its analysis' figures."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsgraph.engine.analysis import bias_clusters, entity_network, outlet_network
from newsgraph.engine.config import get_settings
from tests.corpus import _STORIES
from tests.store_backends import open_backend
from tests.web_corpus import HOSTILE_TITLE, load

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def loaded(request, tmp_path_factory, corpus_files, ner):
    """(store, its URL, the environment a script needs to open it): the corpus plus a lone unrated story."""
    tmp = tmp_path_factory.mktemp(f"reports-{request.param}")
    store = open_backend(request.param, tmp, request)
    load(store, corpus_files, ner, tmp)
    if request.param == "sqlite":
        url, env = f"sqlite:///{tmp / 'g.db'}", {}
    else:
        info = request.getfixturevalue("neo4j_server_info")
        url, env = info.url, {"NEWSGRAPH_NEO4J_USER": info.user, "NEWSGRAPH_NEO4J_PASSWORD": info.password,
                              "NEWSGRAPH_NEO4J_DATABASE": info.database}
    yield store, url, env
    store.close()


def run(script: str, *args, env: dict[str, str], code: int = 0) -> subprocess.CompletedProcess:
    """Run ``scripts/SCRIPT`` as a person would; check its exit code."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEWSGRAPH_")}
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / script), *map(str, args)], cwd=ROOT,
                          env={**clean, **env}, capture_output=True, text=True, timeout=300)
    assert proc.returncode == code, proc.stdout + proc.stderr
    return proc


def check_png(path: Path) -> tuple[int, int]:
    """Assert ``path`` is a PNG of a readable size with something drawn on it; its width and height."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert 1200 <= width <= 2400 and 900 <= height <= 1600
    import matplotlib.image

    pixels = matplotlib.image.imread(path)
    assert pixels[..., :3].std() > 0.05  # not a blank page
    return width, height


def table_row(out: str, name: str) -> list[str]:
    """The printed values of one score row."""
    line = next(line for line in out.splitlines() if line.split() and line.split()[0] == name)
    return line.split()[1:]


def test_bias_clusters_prints_the_analysis_scores_and_draws_the_network(loaded, tmp_path):
    store, url, env = loaded
    out = run("bias_clusters.py", "--store", url, "--backbone", "none", "--null-models", 5, "--seed", 3,
              "--out", tmp_path / "bc.png", env=env).stdout
    check_png(tmp_path / "bc.png")
    s = get_settings()
    net = outlet_network(store.coverage_rows(), backbone="none", weight=s.network_weight,
                         min_shared=s.network_min_shared, seed=3)
    expected = bias_clusters(net.graph, net.communities, n_random=5, seed=3)
    for score in expected.scores:
        want = [f"{v:.3f}" if v is not None else "-" for v in (score.observed, score.null_mean, score.null_sd)]
        want.append(f"{score.z:.3f}" if score.z is not None else "-")
        assert table_row(out, score.name) == want
    assert table_row(out, "bias_modularity")[0] == f"{expected.score('bias_modularity').observed:.3f}"
    assert "4 rated outlets, 6 edges among them, 5 randomised networks, seed 3" in out
    assert "2 outliers" in out
    assert "reuters.com (center) in community 0 (left)" in out and "foxnews.com (right) in community 0 (left)" in out


def test_bias_clusters_with_leiden_prints_the_leiden_scores_and_says_so(loaded, tmp_path):
    store, url, env = loaded
    out = run("bias_clusters.py", "--store", url, "--backbone", "none", "--null-models", 4, "--algorithm", "leiden",
              "--out", tmp_path / "leiden.png", env=env).stdout
    check_png(tmp_path / "leiden.png")
    net = outlet_network(store.coverage_rows(), backbone="none", algorithm="leiden")
    expected = bias_clusters(net.graph, net.communities, n_random=4, algorithm="leiden")
    assert [s.name for s in expected.scores][-2:] == ["nmi_shuffled_sides", "ari_shuffled_sides"]
    for score in expected.scores:
        assert table_row(out, score.name)[0] == f"{score.observed:.3f}"
        assert table_row(out, score.name)[3] == (f"{score.z:.3f}" if score.z is not None else "-")
    bad = run("bias_clusters.py", "--store", url, "--algorithm", "infomap", env=env, code=2).stderr
    assert "louvain" in bad and "leiden" in bad


def test_bias_clusters_without_edges_still_reports(loaded, tmp_path):
    _, url, env = loaded
    # every outlet covers all three stories, as chance would give: the default filter keeps no edge
    out = run("bias_clusters.py", "--store", url, "--null-models", 2, "--out", tmp_path, env=env).stdout
    assert "0 of 6 co-coverage edges kept (hypergeometric)" in out
    check_png(tmp_path / "bias_clusters.png")


def test_story_report_draws_the_story_the_filters_select(loaded, tmp_path):
    _, url, env = loaded
    mines = {title for _, title, _ in _STORIES["mines"][1]}
    out = run("story_report.py", "--store", url, "--entity", "gpe:finland", "--out", tmp_path / "mines.png",
              env=env).stdout.splitlines()
    check_png(tmp_path / "mines.png")
    assert out[0] in mines
    assert out[1].endswith(": 4 articles, 4 sources, 4 rated, 0 unrated")
    assert out[2] == "50% of the sources are Left"
    assert out[3] == "bias: Left 2 (50%)  Center 1 (25%)  Right 1 (25%)"
    assert out[4] == "factuality: very_high 1, high 1, mixed 2"
    assert out[5] == "ownership: corporation 2, media_conglomerate 2"
    assert "left: CNN, The New York Times" in out and "right: Fox News" in out
    assert "first reported by CNN at 2025-04-01 08:00 UTC" in out
    # no filter: three stories tie on sources and articles, the earliest (the landmine story) wins
    first = run("story_report.py", "--store", url, "--out", tmp_path / "first.png", env=env).stdout.splitlines()
    assert first[0] in mines


def test_story_report_of_a_story_without_rated_sources(loaded, tmp_path):
    _, url, env = loaded
    out = run("story_report.py", "--store", url, "--outlet", "example-blog.net", "--out", tmp_path,
              env=env).stdout.splitlines()
    check_png(tmp_path / "story.png")
    assert out[0] == HOSTILE_TITLE
    assert out[1].endswith("1 articles, 1 sources, 0 rated, 1 unrated") and out[2] == "no rated sources"
    assert "unrated: example-blog.net" in out


def test_mistakes_are_one_line_with_exit_codes(loaded, tmp_path):
    _, url, env = loaded
    missing = run("story_report.py", "--store", url, "--story", "s-nope", "--out", tmp_path / "x.png", env=env,
                  code=2)
    assert missing.stderr == "error: no story with id 's-nope'\n" and not (tmp_path / "x.png").exists()
    bad_date = run("bias_clusters.py", "--store", url, "--since", "yesterday", env=env, code=2).stderr
    assert "YYYY-MM-DD" in bad_date and bad_date.count("\n") == 1
    ego = run("entity_network.py", "--store", url, "--ego", "gpe:atlantis", env=env, code=2).stderr
    assert ego == "error: no entity with id 'gpe:atlantis'\n"
    nothing = run("entity_network.py", "--store", url, "--entity", "gpe:atlantis", env=env, code=2).stderr
    assert "no rows match" in nothing and nothing.count("\n") == 1
    assert "PNG" in run("story_report.py", "--store", url, "--out", tmp_path / "x.pdf", env=env, code=2).stderr


def test_missing_sqlite_store_exits_3_without_creating_it(tmp_path):
    path = tmp_path / "none.db"
    err = run("entity_network.py", "--store", f"sqlite:///{path}", env={}, code=3).stderr
    assert "no store at" in err and not path.exists()


def test_entity_network_ego_and_ranking_match_the_analysis(loaded, tmp_path):
    store, url, env = loaded
    # the store comes from NEWSGRAPH_STORE when --store is not given
    out = run("entity_network.py", "--ego", "gpe:finland", "--seed", 1, "--out", tmp_path / "fi.png",
              env={**env, "NEWSGRAPH_STORE": url}).stdout
    check_png(tmp_path / "fi.png")
    expected = entity_network(store.mention_rows(), ego="gpe:finland", top=20)
    printed = [line.split("(")[1].split(")")[0] for line in out.splitlines()
               if line.startswith("  0.") and "degree" in line]
    assert printed == [r["id"] for r in expected.ranking]
    assert f"{expected.graph.number_of_nodes()} entities in 13 articles" in out
    neighbours = out.split("neighbours of Finland (gpe:finland")[1]
    assert "(gpe:lithuania)" in neighbours


def test_entity_network_follows_the_filters(loaded, tmp_path):
    _, url, env = loaded
    out = run("entity_network.py", "--store", url, "--since", "2025-04-03", "--until", "2025-04-03",
              "--min-count", 1, "--out", tmp_path / "moon.png", env=env).stdout
    check_png(tmp_path / "moon.png")
    assert "in 4 articles" in out and "NASA" in out and "gpe:finland" not in out


def test_story_report_names_every_source_tied_at_the_first_time():
    sys.path.insert(0, str(ROOT / "scripts"))
    from story_report import summary

    from newsgraph.engine.analysis import story_card

    t = datetime(2021, 8, 16, 14, 30, tzinfo=timezone.utc)
    arts = [dict(id=str(i), title="t", url=None, published_at=t + timedelta(hours=h), outlet_id=o, outlet_name=n,
                 bias=b, factuality="high", ownership="unknown", similarity=1.0)
            for i, (o, n, b, h) in enumerate([("msnbc.com", "MSNBC", "left", 0), ("wsj.com", "WSJ", "center", 8),
                                              ("nationalreview.com", "National Review", "right", 0)])]
    text = summary(story_card({"story": {"id": "s1", "title": "t"}, "articles": arts, "entities": []}))
    assert text.splitlines()[-1] == ("first reported by MSNBC, National Review at 2021-08-16 14:30 UTC "
                                     "(2 sources at the same time)")
    arts[1]["published_at"] = t
    text = summary(story_card({"story": {"id": "s1", "title": "t"}, "articles": arts, "entities": []}))
    assert text.splitlines()[-1] == "no first reporter: all 3 sources published at 2021-08-16 14:30 UTC"
