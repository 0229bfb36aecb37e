"""Feeds go through the proxy that ``http_proxy``/``https_proxy`` name, and stay vetted behind it.

A real proxy runs on 127.0.0.1: it forwards plain requests that name a whole
URL and opens tunnels for ``CONNECT``, and keeps what it was asked. The https
feed server has a certificate made for the test, which the fetch trusts
through ``SSL_CERT_FILE``.
"""

from __future__ import annotations

import http.client
import select
import socket
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from typer.testing import CliRunner

from newsgraph.engine.cli import app
from newsgraph.engine.errors import InputError
from newsgraph.engine.ingest.fetch import fetch
from tests.unit.test_feed_bounds import Server, no_proxy_from_the_machine, redirect_to  # noqa: F401 (a fixture)
from tests.unit.test_feeds import MON, rss



class Proxy:
    """An HTTP proxy on 127.0.0.1; ``asked`` lists (method, target, Proxy-Authorization) of each request."""

    def __init__(self, *, refuse_tunnels: bool = False):
        self.asked: list[tuple[str, str, str | None]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                owner.asked.append(("GET", self.path, self.headers.get("Proxy-Authorization")))
                parts = urlsplit(self.path)
                upstream = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
                upstream.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                                 headers={"Host": parts.netloc})
                answer = upstream.getresponse()
                body = answer.read()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in ("content-length", "connection", "transfer-encoding", "date", "server"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                upstream.close()

            def do_CONNECT(self):
                owner.asked.append(("CONNECT", self.path, self.headers.get("Proxy-Authorization")))
                if refuse_tunnels:
                    self.send_response(407, "Proxy Authentication Required")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                host, _, port = self.path.rpartition(":")
                upstream = socket.create_connection((host, int(port)), timeout=5)
                self.send_response(200, "Connection established")
                self.end_headers()
                self.wfile.flush()
                ends = [self.connection, upstream]
                while True:
                    readable, _, _ = select.select(ends, [], [], 5)
                    if not readable:
                        break
                    for end in readable:
                        data = end.recv(65536)
                        if not data:
                            upstream.close()
                            return
                        (upstream if end is self.connection else self.connection).sendall(data)
                upstream.close()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.address = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def proxy():
    p = Proxy()
    yield p
    p.close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.httpd.shutdown()
    s.httpd.server_close()


FEED = rss(("Storms hit coast", MON))


def test_an_http_feed_goes_through_http_proxy_with_its_credentials(server, proxy, monkeypatch):
    server.routes["/feed.xml?page=1"] = FEED
    host = proxy.address.removeprefix("http://")
    monkeypatch.setenv("http_proxy", f"http://reader:s%40cret@{host}")
    got = fetch(f"{server.base}/feed.xml?page=1")
    assert got.status == 200 and got.body == FEED
    # Basic base64("reader:s@cret")
    assert proxy.asked == [("GET", f"{server.base}/feed.xml?page=1", "Basic cmVhZGVyOnNAY3JldA==")]
    assert server.hits == {"/feed.xml?page=1": 1}


def test_hosts_no_proxy_lists_are_fetched_directly(server, proxy, monkeypatch):
    server.routes["/feed.xml"] = FEED
    monkeypatch.setenv("http_proxy", proxy.address)
    monkeypatch.setenv("no_proxy", "example.org,127.0.0.1")
    assert fetch(f"{server.base}/feed.xml").body == FEED
    assert proxy.asked == []


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, and its key."""
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


@pytest.fixture
def tls_server(server, certificate):
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    server.base = server.base.replace("http://", "https://")
    return server


def test_an_https_feed_goes_through_a_tunnel_and_its_certificate_is_still_checked(tls_server, proxy,
                                                                                  certificate, monkeypatch):
    tls_server.routes["/feed.xml"] = FEED
    monkeypatch.setenv("https_proxy", proxy.address)
    # the feed server's certificate is not trusted: the tunnel does not make it so
    with pytest.raises(InputError, match="CERTIFICATE_VERIFY_FAILED"):
        fetch(f"{tls_server.base}/feed.xml")
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    got = fetch(f"{tls_server.base}/feed.xml")
    assert got.body == FEED
    target = tls_server.base.removeprefix("https://")
    assert proxy.asked == [("CONNECT", target, None), ("CONNECT", target, None)]
    assert tls_server.hits == {"/feed.xml": 1}


def test_behind_a_proxy_redirects_to_private_addresses_are_still_refused(server, proxy, monkeypatch):
    port = server.httpd.server_address[1]
    server.routes["/to-address"] = redirect_to("http://10.0.0.1/admin")
    server.routes["/to-name"] = redirect_to(f"http://localhost:{port}/secret")
    server.routes["/secret"] = b"inside"
    monkeypatch.setenv("http_proxy", proxy.address)
    for path in ("/to-address", "/to-name"):
        with pytest.raises(InputError, match="private or loopback address"):
            fetch(f"{server.base}{path}")
    # the proxy was asked for the two redirecting URLs only, never for where they lead
    assert [target for _, target, _ in proxy.asked] == [f"{server.base}/to-address", f"{server.base}/to-name"]
    assert "/secret" not in server.hits


def test_proxy_failures_say_which_proxy_and_why(server, monkeypatch):
    server.routes["/feed.xml"] = FEED
    refusing = Proxy(refuse_tunnels=True)
    try:
        monkeypatch.setenv("https_proxy", refusing.address)
        with pytest.raises(InputError) as refused:
            fetch("https://127.0.0.1:9/feed.xml")
        assert f"the proxy {refusing.address.removeprefix('http://')} (https_proxy) refused a tunnel" in refused.value.reason
        assert "407" in refused.value.reason
    finally:
        refusing.close()
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        free = s.getsockname()[1]
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{free}")
    with pytest.raises(InputError, match=f"cannot reach the proxy 127.0.0.1:{free} \\(http_proxy\\)"):
        fetch(f"{server.base}/feed.xml")
    monkeypatch.setenv("http_proxy", "http://proxy.invalid:3128")
    with pytest.raises(InputError, match="cannot reach the proxy proxy.invalid:3128 \\(http_proxy\\): cannot resolve"):
        fetch(f"{server.base}/feed.xml")
    monkeypatch.setenv("http_proxy", "socks5://user:hidden@127.0.0.1:1080")
    with pytest.raises(InputError) as unsupported:
        fetch(f"{server.base}/feed.xml")
    assert "http_proxy is 'socks5://127.0.0.1:1080': only an http:// proxy" in unsupported.value.reason
    assert "hidden" not in unsupported.value.reason
    assert server.hits == {}


def test_ingest_of_a_feed_through_the_proxy_lands_its_articles(server, proxy, tmp_path, monkeypatch):
    server.routes["/feed.xml"] = rss(("Storms hit coast", MON), ("Second story", MON))
    monkeypatch.setenv("http_proxy", proxy.address)
    store = f"sqlite:///{tmp_path / 'g.db'}"
    result = CliRunner().invoke(app, ["ingest", "--format", "feed", f"{server.base}/feed.xml", "--store", store])
    assert result.exit_code == 0, result.output
    assert "stored 2" in result.stdout, result.output
    assert [target for _, target, _ in proxy.asked] == [f"{server.base}/feed.xml"]
