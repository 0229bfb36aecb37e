"""Saved article pages (``.html``/``.htm``, a file or a folder of them), extracted with trafilatura.

Each page gives its main text, title, publication date, author and site
name (the date is a day: htmldate's precision). The URL is the page's canonical link (``<link rel=canonical>`` or
``og:url``); a page without one is keyed by a hash of its text. A page with
no article in it (too little main text, no title, no date) is reported as
``FILE:1`` and skipped.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterator

from newsgraph.engine.errors import InputError
from newsgraph.engine.ingest.validate import Located, article_from_fields

PAGE_SUFFIXES = (".html", ".htm")
MIN_WORDS = 20  # less main text than this is a navigation page, an index or an error page, not an article
MAX_PAGE_BYTES = 20_000_000


def page_files(path: str | Path) -> list[Path]:
    """The page itself, or every ``.html``/``.htm`` under a folder, sorted; raises :class:`InputError`."""
    p = Path(path)
    if not p.exists():
        raise InputError("no such file or folder", source=str(path))
    if p.is_dir():
        return sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in PAGE_SUFFIXES)
    return [p]


def read_pages(path: str | Path) -> Iterator[Located | InputError]:
    """Articles of saved pages as :class:`Located` (line 1 of each file); pages without one as :class:`InputError`."""
    files = page_files(path)
    return (_page(f) for f in files)


def _page(path: Path) -> Located | InputError:
    source = str(path)
    try:
        return Located(extract_page(path.read_bytes()[:MAX_PAGE_BYTES], source), source, 1)
    except InputError as e:
        return e
    except OSError as e:
        return InputError(f"cannot be read: {e.strerror or e}", source=source, line=1)


def extract_page(html: bytes, source: str):
    """The :class:`~engine.models.Article` of one saved page; raises :class:`InputError` when there is none."""
    import trafilatura

    def bad(reason: str) -> InputError:
        return InputError(reason, source=source, line=1)

    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as e:  # noqa: BLE001 - lxml and trafilatura raise many kinds on broken markup
        raise bad(f"unreadable HTML: {e}") from e
    meta = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    text = (meta.get("text") or "").strip()
    words = len(text.split())
    if words < MIN_WORDS:
        raise bad(f"no extractable article ({words} words of main text)")
    if not meta.get("date"):
        raise bad("no publication date found in the page")
    url = meta.get("url")
    if url and not url.lower().startswith(("http://", "https://")):
        url = None
    fields = {
        "url": url,
        "id": None if url else "page-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16],
        "title": meta.get("title"),
        "published_at": meta["date"],
        "text": text,
        "lead": meta.get("description") or None,
        "outlet_name": meta.get("sitename") or None,
        "language": meta.get("language") or None,
    }
    if meta.get("author"):
        fields["author"] = meta["author"]
    if meta.get("sitename"):
        fields["site_name"] = meta["sitename"]
    return article_from_fields(fields, source=source, line=1)
