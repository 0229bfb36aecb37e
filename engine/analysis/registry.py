"""Every analysis by name: the rows it reads, its parameters (typed, with defaults from the settings) and the call.

The CLI (``newsgraph analyze NAME``) and the web API (``/api/analyses/NAME``)
both run analyses through :func:`run` and build their options and query
parameters from the same :class:`Param` metadata (name, type, help, default,
setting, bounds, choices), so the two cannot drift.

>>> from newsgraph.engine.config import get_settings
>>> spec = ANALYSES["blindspots"]
>>> spec.rows, [p.name for p in spec.params]
(('coverage', 'articles', 'copies'), ['min_sources', 'max_weak_share', 'min_gap', 'alpha', 'originals'])
>>> spec.params[3].env, spec.params[3].bounds
('NEWSGRAPH_BLINDSPOT_ALPHA', {'gt': 0.0, 'le': 1.0})
>>> resolve(spec, get_settings(), {"min_sources": 4})["min_sources"], resolve(spec, get_settings(), {})["alpha"]
(4, 0.05)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable, Mapping

from newsgraph.engine.config import ENV_PREFIX, Settings, setting_help
from newsgraph.engine.errors import ConfigError

FILTERS = ("since", "until", "entity", "outlet")
"The story filters every row query takes (see ``GraphStore.coverage_rows``)."


@dataclass(frozen=True)
class Param:
    """One parameter of an analysis: its type, where its default comes from, its bounds or choices."""

    name: str
    type: type
    help: str
    setting: str | None = None
    "Settings field that gives the default (``NEWSGRAPH_<SETTING>``); else ``default``."
    default: Any = None
    required: bool = False
    choices: tuple[str, ...] = ()
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    public_max: str | None = None
    "Settings field with the largest value a caller without the API key may give (the web API checks it)."

    def public_limit(self, settings: Settings) -> int | float | None:
        """The largest value a web request without the API key may give; ``None``: up to ``le``."""
        return getattr(settings, self.public_max) if self.public_max else None

    def default_in(self, settings: Settings) -> Any:
        """The value used when none is given."""
        return getattr(settings, self.setting) if self.setting else self.default

    @property
    def env(self) -> str | None:
        """The environment variable of the setting that gives the default, e.g. ``NEWSGRAPH_BLINDSPOT_ALPHA``."""
        return f"{ENV_PREFIX}{self.setting.upper()}" if self.setting else None

    @property
    def bounds(self) -> dict[str, float]:
        """The bounds that are set, by name: ``{"ge": 0.0, "le": 1.0}``."""
        return {k: v for k, v in (("ge", self.ge), ("gt", self.gt), ("le", self.le)) if v is not None}

    def check(self, value: Any) -> Any:
        """``value`` converted to the parameter's type, or :class:`ConfigError` saying what is allowed."""
        if value is None:
            return None
        try:
            value = self.type(value)
        except (TypeError, ValueError) as e:
            raise ConfigError(f"{self.name} must be a {self.type.__name__}, not {value!r}") from e
        if self.choices and value not in self.choices:
            raise ConfigError(f"{self.name} must be one of {', '.join(self.choices)}, not {value!r}")
        if (self.ge is not None and value < self.ge) or (self.gt is not None and value <= self.gt) or (
                self.le is not None and value > self.le):
            raise ConfigError(f"{self.name} must be {self.bounds_text()}, not {value!r}")
        return value

    def bounds_text(self) -> str:
        """The allowed range in words, e.g. ``> 0 and <= 1``."""
        parts = [f"{op} {v:g}" for op, v in ((">=", self.ge), (">", self.gt), ("<=", self.le)) if v is not None]
        return " and ".join(parts)


@dataclass(frozen=True)
class Analysis:
    """An analysis as the CLI and API run it."""

    name: str
    summary: str
    rows: tuple[str, ...]
    "Which store rows it reads: ``coverage``, ``mentions``, ``articles``, ``outlets``, ``copies``."
    params: tuple[Param, ...]
    call: Callable[[Mapping[str, Any], Mapping[str, Any]], Any]
    "``call(rows, params)``: rows by kind, resolved parameters; returns a result with ``to_dict()``."
    filters: tuple[str, ...] = FILTERS

    def describe(self, settings: Settings) -> dict[str, Any]:
        """Name, summary, rows read, filters and each parameter with its type and current default."""
        return {
            "name": self.name, "summary": self.summary, "rows": list(self.rows), "filters": list(self.filters),
            "parameters": [
                {"name": p.name, "type": p.type.__name__, "default": p.default_in(settings), "required": p.required,
                 "choices": list(p.choices) or None, "help": p.help, "setting": p.env}
                for p in self.params
            ],
        }


_HELP = setting_help()


def _setting(name: str, setting: str, kind: type, **bounds: Any) -> Param:
    """A parameter whose default and help text are a setting's."""
    return Param(name, kind, _HELP[f"NEWSGRAPH_{setting.upper()}"], setting=setting, **bounds)


SHARE = {"ge": 0.0, "le": 1.0}
LEVEL = {"gt": 0.0, "le": 1.0}
WEIGHTS = ("shared", "jaccard", "cosine")
BACKBONES = ("hypergeometric", "disparity", "none")
TOP = Param("top", int, "How many items to list.", default=20, ge=1, le=1000, public_max="public_max_top")
SEED = _setting("seed", "analysis_seed", int, ge=0, le=2**32 - 1)
NETWORK = (
    _setting("weight", "network_weight", str, choices=WEIGHTS),
    _setting("backbone", "network_backbone", str, choices=BACKBONES),
    _setting("alpha", "network_alpha", float, **LEVEL),
    _setting("min_shared", "network_min_shared", int, ge=1),
    _setting("resolution", "louvain_resolution", float, gt=0.0, le=100.0),
    _setting("algorithm", "community_algorithm", str, choices=("louvain", "leiden")),
    SEED,
)


def _network(rows: Mapping[str, Any], p: Mapping[str, Any]):
    from newsgraph.engine.analysis import outlet_network

    return outlet_network(rows["coverage"], weight=p["weight"], backbone=p["backbone"], alpha=p["alpha"],
                          min_shared=p["min_shared"], resolution=p["resolution"], seed=p["seed"],
                          algorithm=p["algorithm"])


def _blindspots(rows, p):
    from newsgraph.engine.analysis import blindspots
    from newsgraph.engine.analysis.syndication import original_coverage

    # the article and copy rows are read only when counting original reports (the readers are lazy)
    coverage = original_coverage(rows["coverage"], rows["articles"], rows["copies"]) if p["originals"] \
        else rows["coverage"]
    return blindspots(coverage, min_rated_sources=p["min_sources"], max_weak_share=p["max_weak_share"],
                      min_gap=p["min_gap"], alpha=p["alpha"])


def _syndication(rows, p):
    from newsgraph.engine.analysis.syndication import syndication

    return syndication(rows["articles"], rows["copies"], min_articles=p["min_articles"], min_share=p["min_share"],
                       top=p["top"])


ORIGINALS = _setting("originals", "count_originals", bool)


def _bias_clusters(rows, p):
    from newsgraph.engine.analysis import bias_clusters

    net = _network(rows, p)
    return bias_clusters(net.graph, net.communities, n_random=p["null_models"], resolution=p["resolution"],
                         seed=p["seed"], algorithm=p["algorithm"])


def _entities(rows, p):
    from newsgraph.engine.analysis import entity_network

    return entity_network(rows["co_mentions"], level=p["level"], min_count=p["min_count"], ego=p["ego"], top=p["top"])


def _framing(rows, p):
    from newsgraph.engine.analysis import entity_framing

    return entity_framing(rows["mentions"], prior=p["prior"], min_articles=p["min_articles"],
                          one_sided_share=p["one_sided_share"], top=p["top"])


def _gaps(rows, p):
    from newsgraph.engine.analysis import gaps

    return gaps(rows["coverage"], p["outlet"], min_sources=p["min_sources"])


def _lead_lag(rows, p):
    from newsgraph.engine.analysis import lead_lag

    return lead_lag(rows["coverage"], min_stories=p["min_stories"], top=p["top"])


def _timeline(rows, p):
    from newsgraph.engine.analysis import timeline

    return timeline(rows["articles"], story=p["story"])


def _raters(rows, p):
    from newsgraph.engine.analysis import raters

    return raters(rows["coverage"], rows["outlets"])


ANALYSES: dict[str, Analysis] = {a.name: a for a in (
    Analysis("blindspots", "Stories one side barely covers, with each part of the rule per story.",
             ("coverage", "articles", "copies"), (
        _setting("min_sources", "blindspot_min_sources", int, ge=0),
        _setting("max_weak_share", "blindspot_max_weak_share", float, **SHARE),
        _setting("min_gap", "blindspot_min_gap", float, **SHARE),
        _setting("alpha", "blindspot_alpha", float, **LEVEL),
        ORIGINALS,
    ), _blindspots),
    Analysis("outlet-network", "Outlets linked by shared stories (significant edges only), their communities and "
             "bias mix.", ("coverage",), NETWORK, _network),
    Analysis("bias-clusters", "How well rated bias explains the outlet network, against degree-preserving random "
             "networks.", ("coverage",),
             (_setting("null_models", "null_models", int, ge=1, le=1000, public_max="public_max_null_models"),
              *NETWORK), _bias_clusters),
    Analysis("entities", "Entity co-occurrence network (NPMI): PageRank, top pairs, an ego network.", ("co_mentions",), (
        _setting("level", "entity_level", str, choices=("article", "story")),
        _setting("min_count", "entity_min_count", int, ge=1),
        Param("ego", str, "List this entity's neighbours (entity id)."),
        TOP,
    ), _entities),
    Analysis("entity-framing", "Entities left-rated vs right-rated outlets mention more in the same stories "
             "(log-odds, z).", ("mentions",), (
        _setting("prior", "framing_prior", float, ge=0.01, le=1e9),  # a smaller prior underflows the log-odds
        _setting("min_articles", "framing_min_articles", int, ge=1),
        _setting("one_sided_share", "framing_one_sided_share", float, **SHARE),
        TOP,
    ), _framing),
    Analysis("gaps", "Widely covered stories that one outlet did not cover, by which side covered them.",
             ("coverage",), (
        Param("outlet", str, "The outlet (domain) whose missed stories to list.", required=True),
        _setting("min_sources", "gap_min_sources", int, ge=1),
    ), _gaps, filters=("since", "until", "entity")),
    Analysis("lead-lag", "Who reports stories first: pairs of outlets, first reporters, and leads by side.",
             ("coverage",), (
        Param("min_stories", int, "Fewest shared stories of a listed pair.", default=1, ge=1),
        TOP,
    ), _lead_lag),
    Analysis("timeline", "Articles per day by side, for a story, an entity's stories or everything.", ("articles",),
             (Param("story", str, "Only this story's articles."),), _timeline),
    Analysis("raters", "Each story's bias mix under each imported rater; stories whose majority side flips.",
             ("coverage", "outlets"), (), _raters),
    Analysis("syndication", "Outlets that mostly republish other outlets' articles (wire copies), with their top "
             "sources.", ("articles", "copies"), (
        Param("min_articles", int, "Fewest articles of a listed outlet.", default=5, ge=1),
        Param("min_share", float, "Least share of an outlet's articles that are copies.", default=0.5, **SHARE),
        TOP,
    ), _syndication, filters=()),
)}


def get(name: str) -> Analysis:
    """The analysis called ``name``, or :class:`~engine.errors.NotFound`."""
    from newsgraph.engine.errors import NotFound

    try:
        return ANALYSES[name]
    except KeyError:
        raise NotFound("analysis", name) from None


def resolve(spec: Analysis, settings: Settings, given: Mapping[str, Any]) -> dict[str, Any]:
    """Every parameter's value: the given one if not ``None``, else its default from ``settings``."""
    known = {p.name for p in spec.params}
    unknown = set(given) - known
    if unknown:
        raise ConfigError(f"{spec.name} has no parameter(s) {', '.join(sorted(unknown))}; "
                          f"it takes {', '.join(sorted(known)) or 'none'}")
    values = {}
    for p in spec.params:
        value = p.check(given.get(p.name))
        if value is None:
            value = p.default_in(settings)
        if value is None and p.required:
            raise ConfigError(f"{spec.name} needs {p.name}: {p.help}")
        values[p.name] = value
    return values


def read_rows(store, spec: Analysis, filters: Mapping[str, datetime | str | None],
              params: Mapping[str, Any] | None = None) -> dict[str, Iterable]:
    """The rows ``spec`` reads from ``store``, with the story filters it takes (and its resolved ``params``)."""
    unknown = {k for k, v in filters.items() if v is not None} - set(spec.filters)
    if unknown:
        raise ConfigError(f"{spec.name} does not take the filter(s) {', '.join(sorted(unknown))}")
    f = {k: filters.get(k) for k in FILTERS}
    readers = {"coverage": store.coverage_rows, "mentions": store.mention_rows, "articles": store.article_rows,
               "co_mentions": lambda **f: _co_mentions(store, f, params or {}),
               "copies": lambda **_: store.copy_rows()}  # every copy: a copy's story filter is its article's
    return {kind: store.get_outlets() if kind == "outlets" else readers[kind](**f) for kind in spec.rows}


def _co_mentions(store, filters: Mapping[str, Any], params: Mapping[str, Any]):
    """The entity network's counts kept by the store when no filter narrows the stories, else the mention rows."""
    if not any(v is not None for v in filters.values()):
        counts = store.co_mention_counts(level=params.get("level", "article"), min_count=params.get("min_count", 1))
        if counts is not None:
            return counts
    return store.mention_rows(**filters)


def run(name: str, store, settings: Settings, filters: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None):
    """Run analysis ``name`` on ``store``'s rows (filtered) with ``params`` (defaults from ``settings``).

    Raises :class:`~engine.errors.NotFound` for an unknown name, :class:`~engine.errors.ConfigError`
    for a bad parameter, and whatever the analysis raises (e.g. ``NotEnoughData``).
    """
    spec = get(name)
    values = resolve(spec, settings, params or {})
    return spec.call(read_rows(store, spec, filters or {}, values), values)
