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

from newsgraph.engine.errors import InputError

# Query parameters that say how a reader arrived, not which page it is. Only
# names that are unambiguous trackers belong here: dropping a parameter that
# does select content (``id``, ``p``, ``cid`` on some sites) would merge
# different articles, while keeping a tracker only splits a duplicate that the
# outlet/title/day check still catches.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid", "li_fat_id",
    "mc_cid", "mc_eid", "igshid", "igsh", "ref_src", "ref_url", "cmpid", "ncid", "ocid", "smid",
    "sr_share", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "spm", "soc_src", "soc_trk", "wt.mc_id",
})
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "hsa_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_DOMAIN_LIKE = re.compile(r"^[^\s/]+\.[^\s/.]+$")
# a host name's labels: letters (any script, for internationalised names), digits, hyphens and the
# underscores some real hosts carry; anything else (a space, %, !) is not a host a browser would reach,
# and kept as it is it would become an outlet id such as "exa mple.com"
_HOST = re.compile(r"^[\w-]+(\.[\w-]+)*$")


def is_tracking_param(name: str) -> bool:
    """True when a query parameter only tracks how the reader arrived.

    >>> is_tracking_param("UTM_Source"), is_tracking_param("id")
    (True, False)
    """
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: str) -> str:
    """The canonical form of an article URL.

    Scheme and host are lower-cased; ``www.``, default ports, user info,
    fragments and tracking parameters (:data:`TRACKING_PARAMS`, ``utm_*``,
    ...) are dropped; the remaining query is sorted and a trailing slash
    removed (the root ``/`` becomes the empty path). ``http`` is not turned
    into ``https``: both schemes are kept as given.

    Parameters
    ----------
    url : str
        An absolute http(s) URL.

    Returns
    -------
    str
        The canonical URL.

    Raises
    ------
    InputError
        When ``url`` is empty, has no host, an invalid port, or is not http(s).

    Examples
    --------
    >>> canonicalize_url("https://cnn.com/a/?gclid=x&z=1&b=#c")
    'https://cnn.com/a?b=&z=1'
    >>> canonicalize_url("http://WWW.CNN.com/")
    'http://cnn.com'
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
    if not host or ("." not in host and ":" not in host and host != "localhost"):
        raise InputError(f"url {url!r} has no host")
    if ":" not in host and not _HOST.match(host):
        raise InputError(f"url {url!r} has an invalid host {host!r}: a host name holds only letters, "
                         "digits, hyphens and dots")
    if host.startswith("www.") and "." in host[4:]:
        host = host[4:]
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not is_tracking_param(k)))
    return urlunsplit((scheme, netloc, path, query, ""))


@lru_cache(maxsize=1)
def _extractor():
    import tldextract

    # The public suffix list bundled with tldextract: no network and no cache
    # directory, so ids do not depend on when or where a run happens.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)


@lru_cache(maxsize=65536)
def _registrable(host: str) -> str:
    ext = _extractor()(host)
    if ext.domain and ext.suffix:
        return f"{ext.domain}.{ext.suffix}".lower()
    return host.lower()


def outlet_id_from_url(url: str) -> str:
    """The registrable domain of a URL, which is an outlet's id.

    Parameters
    ----------
    url : str
        A URL, or a bare host name.

    Returns
    -------
    str
        The domain under the public suffix list (IP addresses and single-label
        hosts are returned as they are).

    Raises
    ------
    InputError
        When there is no host.

    Examples
    --------
    >>> outlet_id_from_url("https://edition.cnn.com/2021/05/01/x")
    'cnn.com'
    >>> outlet_id_from_url("news.bbc.co.uk")
    'bbc.co.uk'
    """
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError as e:
        raise InputError(f"{url!r} is not a valid URL: {e}") from e
    host = host.rstrip(".")
    if not host:
        raise InputError(f"{url!r} has no host")
    return _registrable(host)


def normalise_domain(text: str) -> str:
    """An outlet given as a domain or a URL, as its registrable domain.

    Raises
    ------
    InputError
        When ``text`` looks like neither (an outlet *name* such as
        ``New York Times`` belongs in ``outlet_name``).

    Examples
    --------
    >>> normalise_domain("www.NYTimes.com")
    'nytimes.com'
    >>> normalise_domain("https://news.bbc.co.uk/")
    'bbc.co.uk'
    """
    text = text.strip()
    if "//" in text:
        return outlet_id_from_url(text)
    host = text.split("/", 1)[0]
    if not _DOMAIN_LIKE.match(host):
        raise InputError(f"outlet {text!r} is not a domain or URL (an outlet's name goes in outlet_name)")
    return outlet_id_from_url(host)


def article_id(url: str | None = None, given_id: object = None) -> str:
    """An article's id: the id its source gave, else a stable hash of its canonical URL.

    Parameters
    ----------
    url : str, optional
        The article's URL (canonicalised here, so any spelling of it gives one id).
    given_id : object, optional
        The source's own id; kept as stripped text when not empty.

    Raises
    ------
    InputError
        When neither is given, or the URL is unusable.

    Examples
    --------
    >>> article_id(url="https://cnn.com/x", given_id=" 42 ")
    '42'
    >>> article_id(url="https://cnn.com/x")
    '275be562cd3591cf'
    """
    if given_id is not None and str(given_id).strip():
        return str(given_id).strip()
    if not url:
        raise InputError("neither id nor url given")
    return url_hash(canonicalize_url(url))


def url_hash(canonical_url: str) -> str:
    """16 hex digits of SHA-1 of a canonical URL (the derived article id).

    >>> len(url_hash("https://cnn.com/x"))
    16
    """
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()[:16]
