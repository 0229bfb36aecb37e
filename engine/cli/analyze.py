"""``newsgraph analyze NAME``: one command per analysis of the registry, its options made from the parameters.

Each parameter of an analysis (:mod:`engine.analysis.registry`) is an option
of the same name (``min_sources`` is ``--min-sources``) with the registry's
help text, default and the environment variable of the setting behind that
default, so ``--help`` and ``/api/analyses`` document the same values. The
registry checks the values: a bad one is one line and exit code 2, worded as
the API words it. Every command also takes the story filters its analysis
takes (``--since``/``--until``, dates or ISO times, UTC; ``--entity``, stories
about it; ``--outlet``, stories it covered), ``--store`` and ``--json``.
Without ``--json`` the result is printed as text, shaped by the few options
that only the text has (``--all``, ``--limit``).
"""

from __future__ import annotations

import inspect
import json
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional

import typer

from newsgraph.engine.analysis import registry
from newsgraph.engine.cli.common import EXIT_USAGE, JsonOpt, StoreOpt, emit_json, fail, store_session
from newsgraph.engine.cli.filters import OPTIONS as FILTER_OPTIONS, story_filters
from newsgraph.engine.config import Settings

app = typer.Typer(name="analyze", help="Coverage analyses: blindspots, outlet networks, bias clusters, entities, ...",
                  no_args_is_help=True)

# --help is written when the app is built, before any settings are read: it shows the shipped
# defaults, next to the environment variable that changes them
SHIPPED = Settings()


@dataclass(frozen=True)
class Text:
    """How ``newsgraph analyze NAME`` prints a result without ``--json``.

    ``render(result, options)`` gets every parameter's value and the values of
    ``options``, the options only the text output takes.
    """

    render: Callable[[Any, Mapping[str, Any]], str]
    options: tuple[registry.Param, ...] = ()


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _blindspots(r, o) -> str:
    shown = r.stories if o["all"] else r.blindspots
    lines = [f"{len(r.blindspots)} blindspots among {len(r.stories)} stories; corpus baseline "
             + ", ".join(f"{k} {_pct(v)}" for k, v in r.baseline.items())]
    for s in shown[:o["limit"]]:
        parts = " ".join(f"{k}={'yes' if v else 'no'}" for k, v in s.checks.items())
        lines.append(f"{'BLINDSPOT ' if s.is_blindspot else ''}for the {s.weaker_side}: {s.title}")
        lines.append(f"  {s.story_id}  L{s.side_counts['left']} C{s.side_counts['center']} "
                     f"R{s.side_counts['right']} of {s.rated_sources} rated; gap {_pct(s.gap)}, "
                     f"p={s.p_value:.3g}; {parts}")
    return "\n".join(lines)


def _outlet_network(net, o) -> str:
    lines = [f"{net.graph.number_of_nodes()} outlets, {net.graph.number_of_edges()} of {net.candidate_edges} "
             f"co-coverage edges kept ({net.settings['backbone']}), {len(net.communities)} communities, "
             f"modularity {net.modularity:.3f}"]
    for i, (c, mix) in enumerate(zip(net.communities, net.community_sides)):
        lines.append(f"  community {i}: {len(c)} outlets, " + ", ".join(f"{k} {v}" for k, v in mix.items() if v)
                     + "  " + ", ".join(c[:8]) + (" ..." if len(c) > 8 else ""))
    return "\n".join(lines)


def _bias_clusters(r, o) -> str:
    def fmt(x):
        return "-" if x is None else f"{x:.3f}"

    lines = [f"{r.rated_outlets} rated outlets, {r.edges} edges among them, {r.n_random} randomised networks",
             f"  {'score':<20}{'observed':>10}{'null mean':>11}{'null sd':>9}{'z':>8}"]
    for sc in r.scores:
        lines.append(f"  {sc.name:<20}{fmt(sc.observed):>10}{fmt(sc.null_mean):>11}{fmt(sc.null_sd):>9}"
                     f"{fmt(sc.z):>8}")
    lines.append(f"{len(r.outliers)} outliers (side differs from their community's majority):")
    for x in r.outliers[:30]:
        lines.append(f"  {x['outlet']} ({x['side']}) in community {x['community']} ({x['community_side']})")
    return "\n".join(lines)


def _entities(net, o) -> str:
    level = net.settings["level"]
    lines = [f"{net.graph.number_of_nodes()} entities in {net.units} {level}s, {net.graph.number_of_edges()} links"]
    lines += [f"  {r['pagerank']:.4f}  {r['name']} ({r['type']}), {r['count']} {level}s, degree {r['degree']}"
              for r in net.ranking]
    lines.append("Top pairs (NPMI):")
    lines += [f"  {p['npmi']:.3f}  {p['a']} + {p['b']} ({p['units']})" for p in net.top_pairs]
    if net.ego:
        lines.append(f"Neighbours of {net.ego['name']}:")
        lines += [f"  {n['npmi']:.3f}  {n['name']} ({n['units']})" for n in net.ego["neighbours"][:o["top"]]]
    return "\n".join(lines)


def _entity_framing(r, o) -> str:
    lines = [f"{r.stories} stories covered by both sides; articles "
             + ", ".join(f"{k} {v}" for k, v in r.articles.items()),
             "z > 0: left mentions more; z < 0: right mentions more"]
    lines += [f"  z {e['z']:+.2f}  {e['name']} (L{e['left_articles']} R{e['right_articles']})" for e in r.entities]
    lines.append(f"{len(r.one_sided)} one-sided entities:")
    lines += [f"  {e['side']} {_pct(e['share'])}  {e['name']}" for e in r.one_sided[:o["top"]]]
    return "\n".join(lines)


def _gaps(g, o) -> str:
    lines = [f"{g.outlet} covered {g.covered} stories; missed {len(g.stories)} of the {g.eligible} with "
             f">= {g.min_sources} sources; missed by leaning: "
             + ", ".join(f"{k} {v}" for k, v in g.by_leaning.items())]
    lines += [f"  {x.sources:>3} sources, leaning {x.leaning or '-'}: {x.title}  ({x.story_id})"
              for x in g.stories[:o["limit"]]]
    return "\n".join(lines)


def _lead_lag(r, o) -> str:
    lines = ["First to report, by side: " + ", ".join(f"{k} {v}" for k, v in r.first_by_side.items())]
    lines += [f"  {f['outlet']} ({f['side']}) first on {f['stories_first']} of {f['stories']} stories"
              for f in r.first_reporters]
    lines.append("Pairs (most shared stories first):")
    for p in r.pairs:
        lag = "-" if p["median_lag_hours"] is None else f"{p['median_lag_hours']:.1f} h"
        lines.append(f"  {p['leader']} before {p['follower']}: {p['leads']} vs {p['lags']} of "
                     f"{p['shared_stories']} shared, median lead {lag}")
    return "\n".join(lines)


def _timeline(t, o) -> str:
    lines = [f"{'day':<12}{'left':>6}{'center':>8}{'right':>7}{'unrated':>9}{'total':>7}"]
    lines += [f"{d['day']:<12}{d['left']:>6}{d['center']:>8}{d['right']:>7}{d['unrated']:>9}{d['total']:>7}"
              for d in t.days]
    return "\n".join(lines)


def _raters(r, o) -> str:
    lines = ["raters: " + ", ".join(f"{k} ({v} outlets)" for k, v in r.rated_outlets.items()),
             f"{len(r.flips)} of {len(r.stories)} stories change majority side between raters"]
    for f in r.flips[:o["limit"]]:
        lines.append(f"  {f['title']}: " + ", ".join(f"{k} {v or 'tie'}" for k, v in f["majority"].items()))
    return "\n".join(lines)


def _syndication(r, o) -> str:
    lines = [f"{r.copies} of {r.articles} articles are wire copies; {len(r.republishers)} outlets mostly republish"]
    for x in r.republishers:
        sources = ", ".join(f"{t['outlet_id']} {t['copies']}" for t in x.top_sources)
        lines.append(f"  {x.outlet_id}: {x.copies} of {x.articles} articles copies ({_pct(x.copy_share)}); "
                     f"from {sources}")
    if r.most_copied:
        lines.append("most copied: " + ", ".join(f"{m['outlet_id']} {m['copied']} (by {m['by_outlets']} outlets)"
                                                 for m in r.most_copied[:10]))
    return "\n".join(lines)


def _as_json(result, o) -> str:
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False, default=str)


LIMIT = registry.Param("limit", int, "How many stories to print (text output).", default=20, ge=1)
TEXT: dict[str, Text] = {
    "blindspots": Text(_blindspots, (registry.Param("all", bool, "List every story, not only blindspots.",
                                                    default=False), LIMIT)),
    "outlet-network": Text(_outlet_network),
    "bias-clusters": Text(_bias_clusters),
    "entities": Text(_entities),
    "entity-framing": Text(_entity_framing),
    "gaps": Text(_gaps, (LIMIT,)),
    "lead-lag": Text(_lead_lag),
    "timeline": Text(_timeline),
    "raters": Text(_raters, (LIMIT,)),
    "syndication": Text(_syndication),
}
"Each analysis's text output; one the registry gains before it gets its own here prints as JSON."


def _option(p: registry.Param) -> inspect.Parameter:
    """``p`` as a command-line option: ``--name-with-dashes``, the registry's help, default and setting.

    An option not given is ``None`` and the registry fills in the default from the
    settings, as it does for the API; so the settings stay the one reader of ``NEWSGRAPH_*``.
    """
    from rich.markup import escape  # the help is plain text, not markup: "[leiden]" must stay visible

    notes = [f"env var: {p.env}"] if p.env else []
    flags = "--" + p.name.replace("_", "-")
    if p.type is bool and p.setting:  # not given: the setting decides
        default, kind, flags = None, Optional[bool], f"{flags}/--no-{flags[2:]}"
        notes.append(f"default: {p.default_in(SHIPPED)}")
    elif p.type is bool:
        default, kind = bool(p.default), bool
    else:
        default, kind = (..., p.type) if p.required else (None, Optional[p.type])
        if p.default_in(SHIPPED) is not None:
            notes.append(f"default: {p.default_in(SHIPPED)}")
    info = typer.Option(default, flags, metavar="|".join(p.choices) or None,
                        help=escape(p.help + "".join(f" [{n}]" for n in notes)))
    return inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, default=info, annotation=kind)


def _given_or_default(p: registry.Param, value: Any, settings: Settings) -> Any:
    value = p.check(value)
    return p.default_in(settings) if value is None else value


def _signature(spec: registry.Analysis, text: Text) -> inspect.Signature:
    keyword = inspect.Parameter.KEYWORD_ONLY
    return inspect.Signature([
        *(_option(p) for p in (*spec.params, *text.options)),
        *(inspect.Parameter(f, keyword, default=FILTER_OPTIONS[f], annotation=Optional[str]) for f in spec.filters),
        inspect.Parameter("store", keyword, default=StoreOpt, annotation=Optional[str]),
        inspect.Parameter("as_json", keyword, default=JsonOpt, annotation=bool),
    ])


def _command(spec: registry.Analysis, text: Text) -> Callable[..., None]:
    """The command that runs ``spec`` with the options of :func:`_signature` and prints JSON or ``text``."""
    def command(**values: Any) -> None:
        store, as_json = values.pop("store"), values.pop("as_json")
        given = {p.name: values.pop(p.name) for p in spec.params}
        text_given = {p.name: values.pop(p.name) for p in text.options}
        with store_session(store) as (st, settings):
            filters = {k: v for k, v in story_filters(**values).items() if k in spec.filters}
            params = registry.resolve(spec, settings, given)
            shown = {p.name: _given_or_default(p, text_given[p.name], settings) for p in text.options}
            try:
                result = registry.run(spec.name, st, settings, filters, params)
            except ValueError as e:  # a value the analysis itself rejects
                fail(str(e), EXIT_USAGE)
            if as_json:
                emit_json(result.to_dict())
            else:
                typer.echo(text.render(result, {**params, **shown}))

    command.__signature__ = _signature(spec, text)  # type: ignore[attr-defined]
    command.__name__ = command.__qualname__ = "analyze_" + spec.name.replace("-", "_")
    command.__doc__ = spec.summary
    return command


for _spec in registry.ANALYSES.values():
    app.command(_spec.name)(_command(_spec, TEXT.get(_spec.name, Text(_as_json))))
