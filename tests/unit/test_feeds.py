"""RSS/Atom feeds and OPML lists, from files and from a feed server on loopback; conditional requests and backoff."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from newsgraph.engine.cli import app
from newsgraph.engine.errors import ConfigError, InputError
from newsgraph.engine.ingest import Located, read_articles
from newsgraph.engine.ingest.watch import FeedWatcher, expand_feeds, parse_interval

RSS_ITEM = """<item><title>{title}</title><link>https://example.com/news/{slug}?utm_source=rss</link>
<guid>https://example.com/news/{slug}</guid>{date}<description>&lt;p&gt;{title}: the lead.&lt;/p&gt;</description></item>"""


def rss(*items, site="https://www.example.com/"):
    body = "".join(RSS_ITEM.format(title=t, slug=t.lower().replace(" ", "-"),
                                   date=f"<pubDate>{d}</pubDate>" if d else "") for t, d in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Example News</title>'
            f"<link>{site}</link>{body}</channel></rss>").encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Daily</title><link href="https://atom.example.org/"/>
<id>urn:x</id><updated>2023-07-02T16:00:00Z</updated>
<entry><title>Summit opens in Vilnius</title><link href="https://atom.example.org/2023/summit"/><id>urn:1</id>
<updated>2023-07-02T16:00:00Z</updated><summary>Leaders arrive.</summary></entry>
<entry><title>No link here</title><id>urn:2</id><updated>2023-07-02T16:00:00Z</updated></entry>
</feed>"""

MON = "Sun, 02 Jul 2023 15:30:00 GMT"


def read(path):
    out = list(read_articles(path, format="feed"))
    return [r.article for r in out if isinstance(r, Located)], {e.line: e.reason for e in out if isinstance(e, InputError)}


def test_rss_entries_become_articles_and_undated_ones_are_reported(tmp_path):
    path = tmp_path / "news.rss"
    path.write_bytes(rss(("Storms hit coast", MON), ("No date", None), ("Second story", "Mon, 03 Jul 2023 08:00:00 +0200")))
    good, bad = read(path)
    assert [a.title for a in good] == ["Storms hit coast", "Second story"]
    assert good[0].url == "https://example.com/news/storms-hit-coast" and good[0].outlet_id == "example.com"
    assert good[0].lead == "Storms hit coast: the lead." and good[0].outlet_name == "Example News"
    assert good[1].published_at.isoformat() == "2023-07-03T06:00:00+00:00"
    assert bad == {2: "entry has no published or updated date"}


def test_atom_entries_and_an_entry_without_a_link(tmp_path):
    path = tmp_path / "daily.atom"
    path.write_bytes(ATOM)
    good, bad = read(path)
    assert [(a.title, a.outlet_id) for a in good] == [("Summit opens in Vilnius", "example.org")]
    assert bad == {2: "entry has no http(s) link"}


@pytest.mark.parametrize("body", [b"<rss><channel><item><title>cut", b"not a feed at all", b""])
def test_a_malformed_feed_is_one_reported_problem(tmp_path, body):
    path = tmp_path / "broken.xml"
    path.write_bytes(body)
    good, bad = read(path)
    assert good == [] and len(bad) == 1


class FeedServer:
    """Serves ``self.feeds[path] = (body, etag)`` on 127.0.0.1, honouring If-None-Match; counts requests."""

    def __init__(self):
        self.feeds: dict[str, tuple[bytes, str | None]] = {}
        self.requests: list[tuple[str, str | None]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                owner.requests.append((self.path, self.headers.get("If-None-Match")))
                if self.path not in owner.feeds:
                    self.send_response(500)
                    self.end_headers()
                    return
                body, etag = owner.feeds[self.path]
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()


@pytest.fixture
def server():
    s = FeedServer()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def test_a_feed_url_and_an_opml_list_are_read_over_http(server, tmp_path):
    server.feeds["/a.rss"] = (rss(("Alpha story", MON)), None)
    server.feeds["/b.rss"] = (rss(("Beta story", MON), site="https://beta.example.net/"), None)
    good, _ = read(f"{server.base}/a.rss")
    assert [a.title for a in good] == ["Alpha story"]
    opml = tmp_path / "feeds.opml"
    opml.write_text(f'<opml version="2.0"><body><outline text="x"><outline xmlUrl="{server.base}/a.rss"/>'
                    f'<outline xmlUrl="{server.base}/b.rss"/><outline xmlUrl="{server.base}/gone.rss"/>'
                    f"</outline></body></opml>")
    out = list(read_articles(opml))
    assert sorted(r.article.outlet_id for r in out if isinstance(r, Located)) == ["example.com", "example.net"]
    (err,) = [r for r in out if isinstance(r, InputError)]
    assert err.source.endswith("/gone.rss") and "500" in err.reason


@pytest.mark.slow  # the stored entries go through the real spaCy NER
def test_watch_sends_conditional_requests_and_stores_only_new_entries(server, tmp_path):
    server.feeds["/news.rss"] = (rss(("Alpha story", MON), ("Beta story", MON)), '"v1"')
    url, store = f"{server.base}/news.rss", f"sqlite:///{tmp_path / 'g.db'}"
    state = tmp_path / "feeds.json"
    runner = CliRunner()

    def watch():
        result = runner.invoke(app, ["watch", url, "--once", "--state", str(state), "--interval", "15m",
                                     "--store", store, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["feeds"][0]

    first = watch()
    assert (first["outcome"], first["stored"]) == ("fetched", 2)
    # each --once run fetches (cron is the schedule), conditionally, with the saved ETag
    assert watch()["outcome"] == "not_modified" and server.requests[-1] == ("/news.rss", '"v1"')
    server.feeds["/news.rss"] = (rss(("Alpha story", MON), ("Beta story", MON), ("Gamma story", MON)), '"v2"')
    third = watch()
    assert (third["stored"], third["already_stored"]) == (1, 2)


def test_a_failing_feed_backs_off_without_holding_up_the_others(server):
    server.feeds["/ok.rss"] = (rss(("Alpha story", MON)), None)
    now = [1000.0]
    watcher = FeedWatcher([f"{server.base}/down.rss", f"{server.base}/ok.rss"], interval=60, clock=lambda: now[0])
    first = {r.feed.rsplit("/", 1)[1]: r.outcome for r in watcher.poll()}
    assert first == {"down.rss": "failed", "ok.rss": "fetched"}
    now[0] += 61
    second = {r.feed.rsplit("/", 1)[1]: r.outcome for r in watcher.poll()}
    assert second == {"down.rss": "waiting", "ok.rss": "fetched"}  # down waits 2 intervals after one failure
    now[0] += 60
    assert {r.feed.rsplit("/", 1)[1]: r.outcome for r in watcher.poll()}["down.rss"] == "failed"
    assert watcher.state[f"{server.base}/down.rss"].next_due == now[0] + 240


def test_intervals_and_opml_expansion(tmp_path):
    assert parse_interval("45s") == 45 and parse_interval("2h") == 7200
    with pytest.raises(ConfigError, match="not a duration"):
        parse_interval("soon")
    opml = tmp_path / "list.opml"
    opml.write_text('<opml><body><outline xmlUrl="https://a.example/rss"/><outline xmlUrl="https://a.example/rss"/>'
                    "</body></opml>")
    assert expand_feeds([str(opml), "https://b.example/atom"]) == ["https://a.example/rss", "https://b.example/atom"]


def test_watch_once_with_a_failing_feed_exits_1_and_reports_it(server, tmp_path):
    result = CliRunner().invoke(app, ["watch", f"{server.base}/down.rss", "--once",
                                      "--store", f"sqlite:///{tmp_path / 'g.db'}", "--json"])
    assert result.exit_code == 1
    (row,) = json.loads(result.stdout)["feeds"]
    assert row["outcome"] == "failed" and "HTTP 500" in row["error"]


@pytest.mark.slow  # the stored entry goes through the real spaCy NER
def test_watch_reports_a_bad_entry_at_the_feed_address_and_stores_the_others(server, tmp_path):
    server.feeds["/news.rss"] = (rss(("Alpha story", MON), ("No date", None)), None)
    url = f"{server.base}/news.rss"
    result = CliRunner().invoke(app, ["watch", url, "--once", "--store", f"sqlite:///{tmp_path / 'g.db'}", "--json"])
    assert result.exit_code == 1, result.output
    (row,) = json.loads(result.stdout)["feeds"]
    assert (row["outcome"], row["stored"], row["rejected"]) == ("fetched", 1, 1)
    assert row["problems"] == [f"{url}:2: entry has no published or updated date"]
