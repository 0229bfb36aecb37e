"""RSS 0.9x/1.0/2.0 and Atom feeds (through feedparser), from files or URLs, and OPML lists of feeds.

An entry becomes an article: its title, its link as url, its published (else
updated) time, its summary as lead, its content as text, and the feed's site
as outlet. An entry without a date, a title or a link is reported as
``FEED:N`` (N is the entry's position in the feed) and skipped.

>>> rss = b'''<rss version="2.0"><channel><title>Example News</title><link>https://example.com/</link>
... <item><title>First</title><link>https://example.com/a</link><pubDate>Sun, 02 Jul 2023 15:30:00 GMT</pubDate>
... <description>&lt;p&gt;The lead.&lt;/p&gt;</description></item>
... <item><title>Undated</title><link>https://example.com/b</link></item></channel></rss>'''
>>> [(r.article.outlet_id, r.article.lead) if isinstance(r, Located) else r.location_text()
...  for r in parse_feed(rss, "news.rss")]
[('example.com', 'The lead.'), 'news.rss:2: entry has no published or updated date']
"""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from xml.etree import ElementTree

from newsgraph.engine.errors import InputError
from newsgraph.engine.ingest.canonical_url import outlet_id_from_url
from newsgraph.engine.ingest.files import check_readable
from newsgraph.engine.ingest.validate import Located, article_from_fields

USER_AGENT = "newsgraph-feeds (+https://github.com/newsgraph)"
TIMEOUT_SECONDS = 30
MAX_FEED_BYTES = 50_000_000
_TAG = re.compile(r"<[^>]+>")


def is_url(source: str | Path) -> bool:
    """Whether ``source`` is an http(s) address rather than a file.

    >>> is_url("https://example.com/feed.xml"), is_url("feed.xml")
    (True, False)
    """
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Fetched:
    """One HTTP fetch of a feed: ``body`` is ``None`` when the server says 304 Not Modified."""

    url: str
    status: int
    body: bytes | None
    etag: str | None = None
    modified: str | None = None


def fetch(url: str, *, etag: str | None = None, modified: str | None = None,
          timeout: float = TIMEOUT_SECONDS) -> Fetched:
    """GET ``url``, conditionally when ``etag``/``modified`` (from the last fetch) are given.

    Raises :class:`InputError` (source = the URL) for network errors and HTTP errors other than 304.
    """
    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, application/xml, */*"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_FEED_BYTES + 1)
            if len(body) > MAX_FEED_BYTES:
                raise InputError(f"feed larger than {MAX_FEED_BYTES} bytes", source=url)
            return Fetched(url, response.status, body, response.headers.get("ETag"),
                           response.headers.get("Last-Modified"))
    except urllib.error.HTTPError as e:
        if e.code == 304:
            return Fetched(url, 304, None, e.headers.get("ETag") or etag, e.headers.get("Last-Modified") or modified)
        raise InputError(f"HTTP {e.code} {e.reason}", source=url) from e
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", None) or e
        raise InputError(f"cannot fetch the feed: {reason}", source=url) from e


def read_feeds(source: str | Path) -> Iterator[Located | InputError]:
    """The entries of a feed file or URL, or of every feed an OPML file lists.

    A local path is checked now (missing, a directory); a URL is fetched as
    iteration starts, and a failed fetch comes out as one :class:`InputError`.
    """
    if not is_url(source):
        check_readable(source)
    return _read(str(source))


def _read(source: str) -> Iterator[Located | InputError]:
    try:
        body = fetch(source).body if is_url(source) else Path(source).read_bytes()
    except InputError as e:
        yield e
        return
    except OSError as e:
        yield InputError(f"cannot be read: {e.strerror or e}", source=source)
        return
    yield from read_feed_body(body or b"", source)


def read_feed_body(body: bytes, source: str) -> Iterator[Located | InputError]:
    """The entries of a document already fetched from ``source``: a feed, or an OPML list whose feeds are read.

    Entries are located as ``source:N``, so a fetched body needs no file of its own.

    >>> [r.location_text() for r in read_feed_body(b"<html>not a feed</html>", "https://example.com/rss")]
    ['https://example.com/rss: not an RSS or Atom feed']
    """
    if is_opml(body):
        try:
            feeds = opml_feeds(body)
        except InputError as e:
            yield InputError(e.reason, source=source)
            return
        for url in feeds:
            yield from _read(url)
        return
    yield from parse_feed(body, source)


def is_opml(body: bytes) -> bool:
    """Whether ``body`` is an OPML document (a list of feeds) rather than a feed."""
    return b"<opml" in body[:2048].lower()


def opml_feeds(body: bytes) -> list[str]:
    """The ``xmlUrl`` of every outline of an OPML document, in order, without repeats.

    >>> opml_feeds(b'<opml version="2.0"><body><outline text="News"><outline type="rss" '
    ...            b'xmlUrl="https://example.com/rss"/></outline></body></opml>')
    ['https://example.com/rss']
    """
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as e:
        raise InputError(f"not a readable OPML document: {e}") from e
    urls = [o.get("xmlUrl", "").strip() for o in root.iter("outline")]
    return list(dict.fromkeys(u for u in urls if u))


def _plain(fragment: str | None) -> str | None:
    if not fragment:
        return None
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split()) or None


def _when(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat()


def parse_feed(body: bytes, source: str) -> Iterator[Located | InputError]:
    """A feed document's entries as :class:`Located` articles; bad entries as :class:`InputError`."""
    import feedparser

    parsed = feedparser.parse(body)
    if not parsed.entries:
        if parsed.get("bozo"):
            yield InputError(f"not a readable feed: {parsed.get('bozo_exception')}", source=source)
        elif not parsed.get("version"):
            yield InputError("not an RSS or Atom feed", source=source)
        return
    feed = parsed.feed
    site = feed.get("link")
    outlet = outlet_id_from_url(site) if site and is_url(site) else None
    for position, entry in enumerate(parsed.entries, start=1):
        published = _when(entry)
        if published is None:
            yield InputError("entry has no published or updated date", source=source, line=position)
            continue
        # feedparser may fill ``link`` from a non-URL guid ("urn:..."): only an http(s) address will do
        link = next((u for u in (entry.get("link"), entry.get("id")) if u and is_url(u)), None)
        content = entry.get("content") or []
        fields = {
            "url": link,
            "title": _plain(entry.get("title")),
            "published_at": published,
            "lead": _plain(entry.get("summary")),
            "text": _plain(content[0].get("value")) if content else None,
            "outlet": outlet,
            "outlet_name": _plain(feed.get("title")),
            "language": feed.get("language") or None,
        }
        if entry.get("author"):
            fields["author"] = entry["author"]
        if not link:
            yield InputError("entry has no http(s) link", source=source, line=position)
            continue
        try:
            yield Located(article_from_fields({k: v for k, v in fields.items() if v is not None},
                                              source=source, line=position), source, position)
        except InputError as e:
            yield e
