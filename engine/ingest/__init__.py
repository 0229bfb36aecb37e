"""Readers, validation, URL canonicalisation and de-duplication of input articles."""

from newsgraph.engine.ingest.canonical_url import article_id, canonicalize_url, normalise_domain, outlet_id_from_url
from newsgraph.engine.ingest.csv_reader import parse_mapping, read_csv
from newsgraph.engine.ingest.dates import parse_published_at
from newsgraph.engine.ingest.dedup import Deduplicator, Verdict, content_hash, repeat_verdict, title_key
from newsgraph.engine.ingest.feeds import read_feeds
from newsgraph.engine.ingest.gkg import read_gkg
from newsgraph.engine.ingest.html_pages import read_pages
from newsgraph.engine.ingest.jsonl import read_jsonl
from newsgraph.engine.ingest.readers import detect_format, read_articles, read_records
from newsgraph.engine.ingest.validate import Located, Record, article_from_fields

__all__ = [
    "Deduplicator",
    "Located",
    "Record",
    "Verdict",
    "article_from_fields",
    "article_id",
    "canonicalize_url",
    "content_hash",
    "detect_format",
    "normalise_domain",
    "outlet_id_from_url",
    "parse_mapping",
    "parse_published_at",
    "read_articles",
    "read_csv",
    "read_feeds",
    "read_gkg",
    "read_jsonl",
    "read_pages",
    "read_records",
    "repeat_verdict",
    "title_key",
]
