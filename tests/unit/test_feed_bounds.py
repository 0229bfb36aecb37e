"""Feeds read only what they may, within bounds: remote lists, redirects, slow and huge servers, watch's threads.

The servers are real ones on 127.0.0.1. Loopback is a private address, so a
test that wants a fetched list or a redirect to reach them says so with
``allow_private``, as a user with a feed server on their own network would.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from newsgraph.engine.cli import app
from newsgraph.engine.errors import InputError
from newsgraph.engine.ingest import Located, read_articles
from newsgraph.engine.ingest.fetch import FetchPolicy, fetch
from newsgraph.engine.ingest.watch import FeedWatcher
from tests.unit.test_feeds import MON, rss

LOOPBACK_OK = FetchPolicy(allow_private=True)
PROXY_VARIABLES = ("http_proxy", "https_proxy", "no_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def no_proxy_from_the_machine(monkeypatch):
    """These servers are on loopback: a proxy set on the machine must not stand between."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


class Server:
    """``routes[path]`` is bytes to serve, or a function of the request handler that answers itself."""

    def __init__(self):
        self.routes: dict = {}
        self.hits: dict[str, int] = {}
        self.active = 0
        self.most_active = 0
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                with owner.lock:
                    owner.hits[self.path] = owner.hits.get(self.path, 0) + 1
                    owner.active += 1
                    owner.most_active = max(owner.most_active, owner.active)
                try:
                    route = owner.routes.get(self.path)
                    if route is None:
                        self.send_response(404)
                        self.end_headers()
                    elif callable(route):
                        route(self)
                    else:
                        self.send_response(200)
                        self.send_header("Content-Length", str(len(route)))
                        self.end_headers()
                        self.wfile.write(route)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should have
                finally:
                    with owner.lock:
                        owner.active -= 1

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


def opml(*urls: str) -> bytes:
    outlines = "".join(f'<outline xmlUrl="{u}"/>' for u in urls)
    return f'<opml version="2.0"><body>{outlines}</body></opml>'.encode()


def split(records):
    return ([r.article for r in records if isinstance(r, Located)],
            [r for r in records if isinstance(r, InputError)])


def test_a_list_fetched_over_the_network_may_list_only_http_feeds(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "x.rss").write_bytes(rss(("Saved local story", MON)))
    server.routes["/a.rss"] = rss(("Alpha story", MON))
    local = ["feeds/x.rss", "/etc/hostname", "/dev/zero", "/no/such/file"]
    server.routes["/list.opml"] = opml(*local, f"{server.base}/a.rss")
    good, bad = split(list(read_articles(f"{server.base}/list.opml", format="feed", fetch_policy=LOOPBACK_OK)))
    assert [a.title for a in good] == ["Alpha story"]  # the saved local feed is not read
    assert [(e.line, e.reason) for e in bad] == [
        (i, f"entry {path!r} is not an http(s) address; a list read over the network may list only http(s) feeds")
        for i, path in enumerate(local, start=1)
    ]  # one message for files that exist and files that do not


def test_watch_once_of_a_remote_list_reads_no_local_file(server, tmp_path):
    secret = tmp_path / "secret.rss"
    secret.write_bytes(rss(("Local secret", MON)))
    server.routes["/list.opml"] = opml(str(secret))
    result = CliRunner().invoke(app, ["watch", f"{server.base}/list.opml", "--once", "--json",
                                      "--store", f"sqlite:///{tmp_path / 'g.db'}"])
    assert result.exit_code == 1, result.output
    (row,) = json.loads(result.stdout)["feeds"]
    assert (row["stored"], row["rejected"]) == (0, 1)
    assert row["problems"] == [f"{server.base}/list.opml:1: entry {str(secret)!r} is not an http(s) address; "
                               "a list read over the network may list only http(s) feeds"]


def test_a_list_that_lists_itself_is_fetched_once(server):
    server.routes["/self.opml"] = opml(f"{server.base}/self.opml", f"{server.base}/a.rss")
    server.routes["/a.rss"] = rss(("Alpha story", MON))
    good, bad = split(list(read_articles(f"{server.base}/self.opml", format="feed", fetch_policy=LOOPBACK_OK)))
    assert [a.title for a in good] == ["Alpha story"] and bad == []
    assert server.hits["/self.opml"] == 1


def test_lists_nested_past_the_depth_limit_are_not_followed(server):
    for i in range(6):
        server.routes[f"/l{i}.opml"] = opml(f"{server.base}/l{i + 1}.opml")
    good, bad = split(list(read_articles(f"{server.base}/l0.opml", format="feed",
                                         fetch_policy=FetchPolicy(allow_private=True, max_depth=3))))
    assert good == [] and [e.location_text() for e in bad] == [
        f"{server.base}/l3.opml: an OPML list nested more than 3 deep is not read (NEWSGRAPH_FEED_MAX_DEPTH)"]
    assert sorted(server.hits) == ["/l0.opml", "/l1.opml", "/l2.opml", "/l3.opml"]


def test_local_feeds_are_read_only_up_to_the_size_cap(tmp_path):
    path = tmp_path / "big.rss"
    path.write_bytes(rss(*[(f"Story {i}", MON) for i in range(50)]))
    good, bad = split(list(read_articles(path, format="feed", fetch_policy=FetchPolicy(max_bytes=1000))))
    assert good == [] and [e.reason for e in bad] == ["larger than 1000 bytes (NEWSGRAPH_FEED_MAX_BYTES)"]
    assert len(split(list(read_articles(path, format="feed")))[0]) == 50


def trickle(handler):
    """One byte every 0.2 s for 6 s: every read is quick, the whole answer is not."""
    handler.send_response(200)
    handler.send_header("Content-Length", "30")
    handler.end_headers()
    for _ in range(30):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.2)


def test_a_slow_feed_is_cut_at_one_deadline_for_the_whole_request(server):
    server.routes["/slow.rss"] = trickle
    started = time.monotonic()
    with pytest.raises(InputError, match=r"took longer than 1 s \(NEWSGRAPH_FEED_TIMEOUT\)"):
        fetch(f"{server.base}/slow.rss", policy=FetchPolicy(timeout=1.0))
    assert time.monotonic() - started < 2.0


def test_slow_headers_are_cut_at_the_deadline_too(server):
    def slow_headers(handler):
        handler.wfile.write(b"HTTP/1.0 200 OK\r\n")
        for i in range(30):
            handler.wfile.write(f"X-Pad-{i}: x\r\n".encode())
            handler.wfile.flush()
            time.sleep(0.2)

    server.routes["/slow.rss"] = slow_headers
    started = time.monotonic()
    with pytest.raises(InputError, match="took longer than 1 s"):
        fetch(f"{server.base}/slow.rss", policy=FetchPolicy(timeout=1.0))
    assert time.monotonic() - started < 2.0


@pytest.mark.parametrize("declared", [True, False])
def test_a_fetch_larger_than_the_cap_is_refused(server, declared):
    def big(handler):
        handler.send_response(200)
        if declared:
            handler.send_header("Content-Length", "5000")
        handler.end_headers()
        handler.wfile.write(b"x" * 5000)

    server.routes["/big.rss"] = big
    with pytest.raises(InputError, match=r"feed larger than 1000 bytes"):
        fetch(f"{server.base}/big.rss", policy=FetchPolicy(max_bytes=1000))


def redirect_to(location):
    def answer(handler):
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.end_headers()
    return answer


def test_redirects_to_private_addresses_are_refused_unless_allowed(server):
    server.routes["/a.rss"] = rss(("Alpha story", MON))
    server.routes["/moved.rss"] = redirect_to(f"{server.base}/a.rss")
    url = f"{server.base}/moved.rss"  # the user's own address may be loopback; where it sends us may not
    with pytest.raises(InputError, match="refused: 127.0.0.1 is a private or loopback address"):
        fetch(url)
    assert server.hits == {"/moved.rss": 1}
    assert fetch(url, policy=LOOPBACK_OK).body == server.routes["/a.rss"]


def test_redirects_to_other_schemes_are_refused(server):
    server.routes["/moved.rss"] = redirect_to("file:///etc/passwd")
    with pytest.raises(InputError, match="redirected to 'file:///etc/passwd', which is not an http"):
        fetch(f"{server.base}/moved.rss", policy=LOOPBACK_OK)


def test_feeds_a_remote_list_names_on_private_addresses_are_refused_unless_allowed(server):
    server.routes["/a.rss"] = rss(("Alpha story", MON))
    server.routes["/list.opml"] = opml(f"{server.base}/a.rss")
    good, bad = split(list(read_articles(f"{server.base}/list.opml", format="feed")))
    assert good == [] and [e.location_text() for e in bad] == [
        f"{server.base}/a.rss: refused: 127.0.0.1 is a private or loopback address "
        "(NEWSGRAPH_FEED_ALLOW_PRIVATE=true allows it)"]
    good, _ = split(list(read_articles(f"{server.base}/list.opml", format="feed", fetch_policy=LOOPBACK_OK)))
    assert [a.title for a in good] == ["Alpha story"]


def test_the_allow_private_setting_reaches_ingest(server, tmp_path, monkeypatch):
    from newsgraph.engine.config import get_settings
    from newsgraph.engine.pipeline import Ingestor
    from newsgraph.engine.store.sqlite import SQLiteStore

    server.routes["/list.opml"] = opml(f"{server.base}/a.rss")
    store = SQLiteStore(tmp_path / "g.db")
    try:
        monkeypatch.setenv("NEWSGRAPH_FEED_ALLOW_PRIVATE", "false")
        refused = Ingestor(store, get_settings()).ingest([f"{server.base}/list.opml"])
        monkeypatch.setenv("NEWSGRAPH_FEED_ALLOW_PRIVATE", "true")
        allowed = Ingestor(store, get_settings()).ingest([f"{server.base}/list.opml"])
    finally:
        store.close()
    assert "refused" in refused.problems[0] and "HTTP 404" in allowed.problems[0]


def test_watch_fetches_several_feeds_at_once_within_its_bound(server):
    def slow_feed(handler):
        time.sleep(0.5)
        body = rss(("Alpha story", MON))
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    feeds = [f"{server.base}/f{i}.rss" for i in range(4)]
    for f in feeds:
        server.routes[f.removeprefix(server.base)] = slow_feed
    watcher = FeedWatcher(feeds, interval=60, concurrency=2)
    started = time.monotonic()
    results = watcher.poll()
    elapsed = time.monotonic() - started
    assert [r.outcome for r in results] == ["fetched"] * 4 and [r.feed for r in results] == feeds
    assert server.most_active == 2  # two at a time: never more, and not one after another
    assert elapsed < 1.6  # four half-second feeds one after another would take 2 s


def test_one_source_leads_to_a_bounded_number_of_documents(server, monkeypatch):
    from newsgraph.engine.ingest import feeds

    monkeypatch.setattr(feeds, "MAX_DOCUMENTS", 3)
    server.routes["/wide.opml"] = opml(*[f"{server.base}/f{i}.rss" for i in range(10)])
    for i in range(10):
        server.routes[f"/f{i}.rss"] = rss((f"Story {i}", MON))
    good, bad = split(list(read_articles(f"{server.base}/wide.opml", format="feed", fetch_policy=LOOPBACK_OK)))
    assert [a.title for a in good] == ["Story 0", "Story 1"]
    assert [e.location_text() for e in bad] == [
        f"{server.base}/f2.rss: more than 3 feeds and lists; this one and the rest are not read"]
    assert len(server.hits) == 3


def test_ingest_of_a_remote_list_naming_local_files_is_one_line_each_and_exit_1(server, tmp_path):
    server.routes["/list.opml"] = opml("/etc/hostname", "/dev/zero")
    result = CliRunner().invoke(app, ["ingest", "--format", "feed", f"{server.base}/list.opml",
                                      "--store", f"sqlite:///{tmp_path / 'g.db'}"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert [ln for ln in result.stderr.splitlines() if ln.startswith("rejected")] == [
        f"rejected {server.base}/list.opml:{i}: entry {path!r} is not an http(s) address; a list read over the "
        "network may list only http(s) feeds" for i, path in ((1, "/etc/hostname"), (2, "/dev/zero"))]
    assert "stored 0" in result.stdout
