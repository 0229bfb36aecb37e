"""Fetching feeds over HTTP within bounds: one deadline for the whole request, a size cap, vetted addresses.

A feed server is somebody else's machine. It can send one byte every few
seconds (a timeout per read never fires), send more than memory holds, or
redirect to an address on the user's own network (``http://127.0.0.1:7474``,
a router's admin page, a cloud metadata service). :func:`fetch` therefore

- gives the whole request, from name lookup through redirects to the last
  byte, one deadline (``NEWSGRAPH_FEED_TIMEOUT``), enforced by a watchdog that
  shuts the socket, so no single read can outlast it;
- stops reading past ``NEWSGRAPH_FEED_MAX_BYTES``;
- follows redirects itself, and connects to the addresses it checked (so a
  second name lookup cannot swap them): an address that is not public
  (private, loopback, link-local, reserved) is refused for every redirect and
  for every URL that came from fetched content, unless
  ``NEWSGRAPH_FEED_ALLOW_PRIVATE`` is set. A URL the user gave may be on their
  own network; where it redirects to is not the user's choice;
- goes through the proxy that ``http_proxy``/``https_proxy`` name, unless
  ``no_proxy`` lists the host (as curl and Python's own ``urllib`` read
  them): http requests name the whole URL to the proxy, https ones ask it
  for a tunnel (``CONNECT``) and verify the feed server's certificate through
  it. The proxy is the user's own setting, so it may be on their network;
  the feed behind it is vetted as without one, by the address when the host
  is one and by a local name lookup otherwise (a name that does not resolve
  here is left to the proxy, whose own lookup newsgraph cannot see).

>>> policy = FetchPolicy(timeout=5, allow_private=False)
>>> try:
...     fetch("http://127.0.0.1:9/feed", policy=policy, trusted=False)
... except InputError as e:
...     print(e.reason)
refused: 127.0.0.1 is a private or loopback address (NEWSGRAPH_FEED_ALLOW_PRIVATE=true allows it)
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.request
from base64 import b64encode
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from newsgraph.engine.config import Settings
from newsgraph.engine.errors import InputError

USER_AGENT = "newsgraph-feeds (+https://github.com/newsgraph)"
MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)
_CHUNK = 65536
_MAX_TUNNEL_ANSWER = 65536
"Bytes of a proxy's answer to ``CONNECT`` (status line and headers) read at most."
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class FetchPolicy:
    """The bounds of every feed read: ``NEWSGRAPH_FEED_TIMEOUT``, ``_MAX_BYTES``, ``_MAX_DEPTH``, ``_ALLOW_PRIVATE``."""

    timeout: float = Settings.feed_timeout
    max_bytes: int = Settings.feed_max_bytes
    max_depth: int = Settings.feed_max_depth
    allow_private: bool = Settings.feed_allow_private

    @classmethod
    def of(cls, settings: Settings) -> "FetchPolicy":
        return cls(timeout=settings.feed_timeout, max_bytes=settings.feed_max_bytes,
                   max_depth=settings.feed_max_depth, allow_private=settings.feed_allow_private)


@dataclass(frozen=True)
class Fetched:
    """One HTTP fetch of a feed: ``body`` is ``None`` when the server says 304 Not Modified."""

    url: str
    status: int
    body: bytes | None
    etag: str | None = None
    modified: str | None = None


@dataclass(frozen=True)
class Proxy:
    """The proxy a request goes through: its address, the variable that named it, its credentials if any."""

    host: str
    port: int
    variable: str
    authorization: str | None = None

    def __str__(self) -> str:
        return f"{self.host}:{self.port} ({self.variable})"


def proxy_for(scheme: str, host: str, port: int) -> Proxy | None:
    """The proxy ``http_proxy``/``https_proxy`` name for a request to ``host``, or ``None`` (none set, or ``no_proxy``).

    >>> import os
    >>> saved = {k: os.environ.pop(k) for k in list(os.environ) if k.lower().endswith("_proxy")}
    >>> os.environ.update(https_proxy="http://user:secret@proxy.example:3128", no_proxy="intranet.example")
    >>> str(proxy_for("https", "feeds.example.org", 443)), proxy_for("https", "intranet.example", 443)
    ('proxy.example:3128 (https_proxy)', None)
    >>> proxy_for("http", "feeds.example.org", 80) is None  # http_proxy is not set
    True
    >>> for k in ("https_proxy", "no_proxy"):
    ...     del os.environ[k]
    >>> os.environ.update(saved)
    """
    proxies = urllib.request.getproxies_environment()
    address = proxies.get(scheme)
    if not address or urllib.request.proxy_bypass_environment(f"{host}:{port}", proxies):
        return None
    variable = f"{scheme}_proxy"
    parts = urlsplit(address if "://" in address else f"http://{address}")
    try:
        proxy_port = parts.port or 80
    except ValueError:
        proxy_port = None
    if parts.scheme.lower() != "http" or not parts.hostname or proxy_port is None:
        shown = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()  # never show credentials
        raise InputError(f"{variable} is {shown[:200]!r}: only an http:// proxy with a host (and a port) is supported")
    authorization = None
    if parts.username is not None:
        token = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        authorization = "Basic " + b64encode(token).decode("ascii")
    return Proxy(parts.hostname, proxy_port, variable, authorization)


class _Deadline:
    """Seconds left of the request; once past, the socket it watches is shut so a blocked read returns."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sock: socket.socket | None = None
        self._timer: threading.Timer | None = None

    def left(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            self.expired = True
            raise self.error()
        return left

    def error(self) -> InputError:
        return InputError(f"took longer than {self.seconds:g} s (NEWSGRAPH_FEED_TIMEOUT)")

    def watch(self, sock: socket.socket) -> None:
        self.stop()
        self._sock = sock
        self._timer = threading.Timer(self.left(), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        self.expired = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet (not private, loopback, link-local or reserved).

    >>> is_public("93.184.216.34"), is_public("127.0.0.1"), is_public("10.1.2.3"), is_public("::ffff:192.168.0.1")
    (True, False, False, False)
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global


def _resolve(host: str, port: int, deadline: _Deadline) -> list[tuple]:
    # getaddrinfo has no timeout of its own: it runs aside, and the request stops waiting at the deadline
    box: dict = {}

    def lookup():
        try:
            box["found"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as e:
            box["error"] = e

    worker = threading.Thread(target=lookup, daemon=True)
    worker.start()
    worker.join(deadline.left())
    if worker.is_alive():
        deadline.expired = True
        raise deadline.error()
    if "error" in box:
        raise InputError(f"cannot fetch the feed: cannot resolve {host}: {box['error']}")
    return box["found"]


def _vet(host: str, addresses: list[tuple]) -> None:
    for *_, sockaddr in addresses:
        if not is_public(sockaddr[0]):
            raise InputError(f"refused: {host} is a private or loopback address "
                             "(NEWSGRAPH_FEED_ALLOW_PRIVATE=true allows it)")


def _vet_behind_proxy(host: str, port: int, deadline: _Deadline) -> None:
    """Refuse a host behind a proxy that is a private address, or a name resolving here to one."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        try:
            addresses = _resolve(host, port, deadline)
        except InputError:
            if deadline.expired:
                raise
            return  # not known here: the proxy looks it up (see the module's notes)
    else:
        addresses = [(None, None, None, None, (host, port))]
    _vet(host, addresses)


def _open(host: str, port: int, deadline: _Deadline, *, vet: bool) -> socket.socket:
    """A socket connected to ``host:port`` (one of its addresses), each address vetted first when ``vet``."""
    addresses = _resolve(host, port, deadline)
    if vet:
        _vet(host, addresses)
    last: OSError | None = None
    for family, kind, proto, _, sockaddr in addresses:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(deadline.left())
            sock.connect(sockaddr)
            return sock
        except OSError as e:
            sock.close()
            last = e
    raise InputError(f"cannot fetch the feed: {last}")


def _tunnel(sock: socket.socket, host: str, port: int, proxy: Proxy, deadline: _Deadline) -> None:
    """Ask the proxy on ``sock`` for a tunnel to ``host:port`` (``CONNECT``); raises unless it answers 2xx."""
    target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    lines = [f"CONNECT {target} HTTP/1.1", f"Host: {target}", f"User-Agent: {USER_AGENT}"]
    if proxy.authorization:
        lines.append(f"Proxy-Authorization: {proxy.authorization}")
    deadline.watch(sock)
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))
    answer = b""
    # byte by byte up to the blank line: what follows it is the feed server's, for TLS to read
    while not answer.endswith(b"\r\n\r\n"):
        byte = sock.recv(1)
        if not byte:
            if deadline.expired:
                raise deadline.error()
            raise InputError(f"the proxy {proxy} closed the connection before answering CONNECT")
        answer += byte
        if len(answer) > _MAX_TUNNEL_ANSWER:
            raise InputError(f"the proxy {proxy} sent more than {_MAX_TUNNEL_ANSWER} bytes of headers")
    status = answer.split(b"\r\n", 1)[0].decode("latin-1")
    fields = status.split(" ", 2)
    if len(fields) < 2 or not fields[0].startswith("HTTP/") or not fields[1].startswith("2"):
        raise InputError(f"the proxy {proxy} refused a tunnel to {target}: {status[:200]!r}")
    deadline.stop()


def _connect(scheme: str, host: str, port: int, trusted: bool, policy: FetchPolicy,
             deadline: _Deadline) -> tuple[http.client.HTTPConnection, Proxy | None]:
    """A connection to ``host:port``, or through its proxy (returned too); for https, with the handshake done."""
    vet = not (trusted or policy.allow_private)
    proxy = proxy_for(scheme, host, port)
    if proxy is None:
        sock = _open(host, port, deadline, vet=vet)
    else:
        if vet:
            _vet_behind_proxy(host, port, deadline)
        try:
            sock = _open(proxy.host, proxy.port, deadline, vet=False)
        except InputError as e:
            if deadline.expired:
                raise
            raise InputError(f"cannot reach the proxy {proxy}: {e.reason.removeprefix('cannot fetch the feed: ')}") from e
    try:
        if proxy is not None and scheme == "https":
            _tunnel(sock, host, port, proxy, deadline)
        if scheme == "https":
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=host,
                                                            do_handshake_on_connect=False)
            deadline.watch(sock)  # a server can stretch the handshake as it can the body
            sock.do_handshake()
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(host, port)
        else:
            conn = http.client.HTTPConnection(host, port)
    except (OSError, ssl.SSLError, InputError) as e:
        sock.close()
        if deadline.expired:
            raise deadline.error() from e
        if isinstance(e, InputError):
            raise
        raise InputError(f"cannot fetch the feed: {e}") from e
    conn.sock = sock  # the checked address, connected: http.client must not look the name up again
    return conn, (proxy if scheme == "http" else None)


def _read_body(response: http.client.HTTPResponse, max_bytes: int, deadline: _Deadline) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise InputError(f"feed larger than {max_bytes} bytes (NEWSGRAPH_FEED_MAX_BYTES)")
    parts, size = [], 0
    while chunk := response.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise InputError(f"feed larger than {max_bytes} bytes (NEWSGRAPH_FEED_MAX_BYTES)")
        parts.append(chunk)
        deadline.left()
    if deadline.expired:  # the watchdog's shutdown looks like the end of the body to the reader
        raise deadline.error()
    return b"".join(parts)


def fetch(url: str, *, etag: str | None = None, modified: str | None = None,
          policy: FetchPolicy = FetchPolicy(), trusted: bool = True) -> Fetched:
    """GET ``url`` within ``policy``, conditionally when ``etag``/``modified`` (from the last fetch) are given.

    Parameters
    ----------
    url : str
        An http(s) address.
    policy : FetchPolicy
        Deadline, size cap, whether private addresses may be reached.
    trusted : bool
        ``url`` is the user's own (the command line, a local list): it may
        be a private address. Redirects never are trusted.

    Raises
    ------
    InputError
        With ``source`` = ``url``: network and HTTP errors (other than 304),
        the deadline or size cap passed, a refused address.
    """
    deadline = _Deadline(policy.timeout)
    try:
        return _fetch(url, etag, modified, policy, trusted, deadline)
    except InputError as e:
        raise InputError(e.reason, source=url) from e
    except Exception as e:  # noqa: BLE001 - after the watchdog shut the socket, any library error means "too slow"
        if deadline.expired:
            raise InputError(deadline.error().reason, source=url) from e
        if isinstance(e, (OSError, http.client.HTTPException, ValueError)):
            raise InputError(f"cannot fetch the feed: {e}", source=url) from e
        raise
    finally:
        deadline.stop()


def _fetch(url: str, etag: str | None, modified: str | None, policy: FetchPolicy, trusted: bool,
           deadline: _Deadline) -> Fetched:
    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, application/xml, */*",
               "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(current)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.hostname:
            raise InputError(f"redirected to {current[:200]!r}, which is not an http(s) address")
        port = parts.port or _DEFAULT_PORTS[scheme]
        conn, proxy = _connect(scheme, parts.hostname, port, trusted, policy, deadline)
        try:
            deadline.watch(conn.sock)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            hop = headers
            if proxy is not None:  # a plain http proxy is asked for the whole URL
                path = f"{scheme}://{parts.netloc.rpartition('@')[2]}{path}"  # never the URL's credentials
                if proxy.authorization:
                    hop = {**headers, "Proxy-Authorization": proxy.authorization}
            conn.request("GET", path, headers=hop)
            response = conn.getresponse()
            status = response.status
            if status in _REDIRECTS and response.getheader("Location"):
                current = urljoin(current, response.getheader("Location"))
                trusted = False  # where a server sends us is the server's choice, not the user's
                continue
            if status == 304:
                return Fetched(url, 304, None, response.getheader("ETag") or etag,
                               response.getheader("Last-Modified") or modified)
            if status >= 400:
                raise InputError(f"HTTP {status} {response.reason}")
            body = _read_body(response, policy.max_bytes, deadline)
            return Fetched(url, status, body, response.getheader("ETag"), response.getheader("Last-Modified"))
        finally:
            deadline.stop()
            conn.close()
    raise InputError(f"more than {MAX_REDIRECTS} redirects")


def read_local(path: str | Path, max_bytes: int) -> bytes:
    """A local feed or list, read up to ``max_bytes``; raises :class:`InputError`.

    Never to the end unbounded: a device such as ``/dev/zero`` has none.
    """
    try:
        with open(path, "rb") as f:
            body = f.read(max_bytes + 1)
    except OSError as e:
        raise InputError(f"cannot be read: {e.strerror or e}", source=str(path)) from e
    if len(body) > max_bytes:
        raise InputError(f"larger than {max_bytes} bytes (NEWSGRAPH_FEED_MAX_BYTES)", source=str(path))
    return body
