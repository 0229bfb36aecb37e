"""URL canonicalisation, outlet ids (registrable domains) and stable article ids.

>>> canonicalize_url("HTTPS://WWW.Example.COM:443/News/Story/?utm_source=x&b=2&a=1#top")
'https://example.com/News/Story?a=1&b=2'
>>> outlet_id_from_url("https://news.bbc.co.uk/2/hi/world.stm")
'bbc.co.uk'
>>> article_id(url="https://www.nytimes.com/a.html?fbclid=1") == article_id(url="https://nytimes.com/a.html")
True
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from engine.errors import InputError

# query parameters that say how a reader arrived, not which page it is
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "ref_src", "ref_url",
     "cmpid", "ncid", "ocid", "smid", "sr_share", "_ga", "spm", "share", "soc_src", "soc_trk", "cid"}
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "hsa_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: str) -> str:
    """The canonical form of ``url``; raises :class:`InputError` when it has no host or is not http(s).

    Scheme and host are lower-cased, ``www.``, default ports, fragments and
    tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ...) dropped, the
    remaining query sorted, and a trailing slash removed.
    """
    if not isinstance(url, str) or not url.strip():
        raise InputError("url is empty")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as e:
        raise InputError(f"url {url!r} is not a valid URL: {e}") from e
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise InputError(f"url {url!r} is not an http(s) URL")
    host = (parts.hostname or "").rstrip(".")
    if not host or "." not in host and host != "localhost":
        raise InputError(f"url {url!r} has no host")
    if host.startswith("www."):
        host = host[4:]
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _is_tracking(k)))
    return urlunsplit((scheme, netloc, path, query, ""))


@lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # the public suffix list bundled with tldextract: no network, no cache directory
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)


@lru_cache(maxsize=65536)
def _registrable(host: str) -> str:
    ext = _extractor()(host)
    if ext.domain and ext.suffix:
        return f"{ext.domain}.{ext.suffix}".lower()
    return host.lower()


def outlet_id_from_url(url: str) -> str:
    """The registrable domain of ``url`` (``news.bbc.co.uk`` -> ``bbc.co.uk``)."""
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    if not host:
        raise InputError(f"{url!r} has no host")
    return _registrable(host.rstrip("."))


def normalise_domain(text: str) -> str:
    """An outlet given as a domain or URL, as its registrable domain.

    >>> normalise_domain("www.NYTimes.com")
    'nytimes.com'
    """
    return outlet_id_from_url(text.strip())


def article_id(url: str | None = None, given_id: object = None) -> str:
    """The given id as text when there is one, else a stable hash of the canonical URL."""
    if given_id is not None and str(given_id).strip():
        return str(given_id).strip()
    if not url:
        raise InputError("neither id nor url given")
    return url_hash(canonicalize_url(url))


def url_hash(canonical_url: str) -> str:
    """16 hex digits of SHA-1 of a canonical URL."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:16]
