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
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from xml.etree import ElementTree

from newsgraph.engine.errors import InputError
from newsgraph.engine.ingest.canonical_url import outlet_id_from_url
from newsgraph.engine.ingest.fetch import FetchPolicy, fetch, read_local
from newsgraph.engine.ingest.files import check_readable
from newsgraph.engine.ingest.validate import Located, article_from_fields

MAX_DOCUMENTS = 1000  # feeds and lists one source may lead to, however its lists nest
_TAG = re.compile(r"<[^>]+>")


def is_url(source: str | Path) -> bool:
    """Whether ``source`` is an http(s) address rather than a file.

    >>> is_url("https://example.com/feed.xml"), is_url("feed.xml")
    (True, False)
    """
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


@dataclass
class _Walk:
    """What one source's reading has visited, so a list that lists itself (or a cycle) is read once."""

    policy: FetchPolicy
    visited: set[str] = field(default_factory=set)
    full: bool = False  # MAX_DOCUMENTS reached and said so: the rest is skipped without a word each


def read_feeds(source: str | Path, *, policy: FetchPolicy | None = None) -> Iterator[Located | InputError]:
    """The entries of a feed file or URL, or of every feed an OPML file lists.

    A local path is checked now (missing, a directory); a URL is fetched as
    iteration starts, and a failed fetch comes out as one :class:`InputError`.
    A list read over the network may list only http(s) feeds, which are
    fetched as remote content (see :mod:`~engine.ingest.fetch`); local paths
    are read only from local lists.
    """
    if not is_url(source):
        check_readable(source)
    return _read(str(source), _Walk(policy or FetchPolicy()), depth=0, remote=False)


def _read(source: str, walk: _Walk, *, depth: int, remote: bool) -> Iterator[Located | InputError]:
    """``remote``: ``source`` came from content fetched over the network, so it is not the user's choice."""
    if source in walk.visited or walk.full:
        return
    if len(walk.visited) >= MAX_DOCUMENTS:
        walk.full = True
        yield InputError(f"more than {MAX_DOCUMENTS} feeds and lists; this one and the rest are not read",
                         source=source)
        return
    walk.visited.add(source)
    try:
        if is_url(source):
            body = fetch(source, policy=walk.policy, trusted=not remote).body
        else:
            body = read_local(source, walk.policy.max_bytes)
    except InputError as e:
        yield e
        return
    yield from _entries(body or b"", source, walk, depth=depth, remote=remote or is_url(source))


def read_feed_body(body: bytes, source: str, *, policy: FetchPolicy | None = None,
                   remote: bool | None = None) -> Iterator[Located | InputError]:
    """The entries of a document already fetched from ``source``: a feed, or an OPML list whose feeds are read.

    Entries are located as ``source:N``, so a fetched body needs no file of its own.
    ``remote`` (default: whether ``source`` is a URL) says the body came over
    the network, so a list in it may name only http(s) feeds.

    >>> [r.location_text() for r in read_feed_body(b"<html>not a feed</html>", "https://example.com/rss")]
    ['https://example.com/rss: not an RSS or Atom feed']
    """
    walk = _Walk(policy or FetchPolicy(), {source})
    return _entries(body, source, walk, depth=0, remote=is_url(source) if remote is None else remote)


def _entries(body: bytes, source: str, walk: _Walk, *, depth: int, remote: bool) -> Iterator[Located | InputError]:
    if not is_opml(body):
        yield from parse_feed(body, source)
        return
    if depth >= walk.policy.max_depth:
        yield InputError(f"an OPML list nested more than {walk.policy.max_depth} deep is not read "
                         "(NEWSGRAPH_FEED_MAX_DEPTH)", source=source)
        return
    try:
        listed = opml_entries(body)
    except InputError as e:
        yield InputError(e.reason, source=source)
        return
    for position, entry in listed:
        if remote and not is_url(entry):
            # said without looking at the entry: whether such a file exists is nobody's business but the user's
            yield InputError(f"entry {entry[:200]!r} is not an http(s) address; a list read over the network "
                             "may list only http(s) feeds", source=source, line=position)
            continue
        yield from _read(entry, walk, depth=depth + 1, remote=remote)


def is_opml(body: bytes) -> bool:
    """Whether ``body`` is an OPML document (a list of feeds) rather than a feed."""
    return b"<opml" in body[:2048].lower()


def opml_feeds(body: bytes) -> list[str]:
    """The ``xmlUrl`` of every outline of an OPML document, in order, without repeats.

    >>> opml_feeds(b'<opml version="2.0"><body><outline text="News"><outline type="rss" '
    ...            b'xmlUrl="https://example.com/rss"/></outline></body></opml>')
    ['https://example.com/rss']
    """
    return [url for _, url in opml_entries(body)]


def opml_entries(body: bytes) -> list[tuple[int, str]]:
    """``(position, xmlUrl)`` of the OPML document's feeds, the position counting outlines with an ``xmlUrl`` from 1.

    >>> opml_entries(b'<opml><body><outline xmlUrl="a.rss"/><outline text="x"/><outline xmlUrl="a.rss"/>'
    ...              b'<outline xmlUrl="https://b.example/rss"/></body></opml>')
    [(1, 'a.rss'), (3, 'https://b.example/rss')]
    """
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as e:
        raise InputError(f"not a readable OPML document: {e}") from e
    urls = [u for u in (o.get("xmlUrl", "").strip() for o in root.iter("outline")) if u]
    first: dict[str, int] = {}
    for position, url in enumerate(urls, start=1):
        first.setdefault(url, position)
    return [(p, u) for u, p in first.items()]


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
