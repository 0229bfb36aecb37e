"""Who covered this story: one story's card as a picture.

Usage:
    python scripts/story_report.py [--story ID] [--store URL] [--out FILE.png|DIR]
        [--since DATE] [--until DATE] [--entity ID] [--outlet DOMAIN]

Draws the story page the field knows: the headline, the bias bar (left /
center / right shares over the rated sources, and how many sources are
unrated), the factuality and ownership of the sources, which outlets
reported it on each side, and the timeline of its articles by side (each
article at its publication time; articles per day when the story runs over
several days). Without ``--story`` it draws the story with most sources
among those the filters select (ties: most articles, then earliest). The
card's figures are printed too. Example:

    python scripts/story_report.py --store sqlite:///newsgraph-demo.db --entity gpe:afghanistan --out story.png
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from datetime import datetime

from matplotlib import dates as mdates

import _report as rep
from newsgraph.engine.analysis import story_card, timeline
from newsgraph.engine.analysis.story_card import StoryCard
from newsgraph.engine.errors import NotEnoughData
from newsgraph.engine.models import SIDES, UNRATED_SIDE, Factuality, Ownership, side_of
from newsgraph.engine.store.base import ArticleRow, CoverageRow
from newsgraph.engine.views.palette import SIDE_COLOURS, SIDE_LABELS

ROWS = (*SIDES, UNRATED_SIDE)


def pick_story(rows: list[CoverageRow]) -> str:
    """The story with most sources among ``rows`` (ties: most articles, earliest, then id)."""
    if not rows:
        raise NotEnoughData("story report: no stories match (check --since/--until/--entity/--outlet, or ingest first)")
    sources: dict[str, set[str]] = defaultdict(set)
    articles: dict[str, int] = defaultdict(int)
    first: dict[str, object] = {}
    for r in rows:
        sources[r.story_id].add(r.outlet_id)
        articles[r.story_id] += r.articles
        first[r.story_id] = min(first.get(r.story_id, r.published_at), r.published_at)
    return min(sources, key=lambda s: (-len(sources[s]), -articles[s], first[s], s))


def summary(card: StoryCard) -> str:
    """The printed card: title, counts, bias shares, factuality and ownership, sources by side."""
    shares = "  ".join(f"{SIDE_LABELS[s]} {card.side_counts[s]} ({round(100 * card.side_shares[s])}%)" for s in SIDES)
    lines = [card.title, f"story {card.id}: {card.article_count} articles, {card.source_count} sources, "
                         f"{card.rated_sources} rated, {card.unrated_sources} unrated",
             f"{card.headline}",
             f"bias: {shares}",
             "factuality: " + ", ".join(f"{k} {v}" for k, v in card.factuality_counts.items() if v),
             "ownership: " + ", ".join(f"{k} {v}" for k, v in sorted(card.ownership_counts.items()) if v)]
    for side, outlets in _sources_by_side(card).items():
        if outlets:
            lines.append(f"{side}: " + ", ".join(outlets))
    first = _first_reporters(card)
    if first:
        when, names, everyone = first
        if everyone and len(names) > 1:
            lines.append(f"no first reporter: all {len(names)} sources published at {when:%Y-%m-%d %H:%M} UTC")
        else:
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            tie = f" ({len(names)} sources at the same time)" if len(names) > 1 else ""
            lines.append(f"first reported by {shown} at {when:%Y-%m-%d %H:%M} UTC{tie}")
    return "\n".join(lines)


def _first_reporters(card: StoryCard) -> tuple[datetime, list[str], bool] | None:
    """The earliest publication time, every source that published then (the card's first report and the
    sources tied with it), and whether that is every source (then nobody reported first)."""
    first = card.first_reported_by
    if not first:
        return None
    names = [r["outlet_name"] or r["outlet_id"] or "?" for r in (first, *first["tied_with"])]
    everyone = len(names) == len({a["outlet_name"] or a["outlet_id"] or "?" for a in card.articles})
    return first["published_at"], names, everyone


def _sources_by_side(card: StoryCard) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {s: [] for s in ROWS}
    for a in card.articles:
        name = a["outlet_name"] or a["outlet_id"] or "?"
        side = side_of(a["bias"])
        if name not in out[side]:
            out[side].append(name)
    return out


def draw(card: StoryCard):
    """The figure: headline, bias bar, factuality, ownership, sources by side, timeline."""
    fig = rep.plt.figure(figsize=(14, 10.5))
    grid = fig.add_gridspec(4, 3, height_ratios=(0.5, 0.55, 1.5, 1.45), hspace=0.55, wspace=0.35,
                            left=0.1, right=0.95, top=0.95, bottom=0.07)
    head = fig.add_subplot(grid[0, :])
    head.axis("off")
    lines = textwrap.wrap(card.title, 80) or [""]
    if len(lines) > 2:
        lines = [lines[0], lines[1] + " \u2026"]
    head.text(0, 1, "\n".join(rep.plain(line) for line in lines), fontsize=16, fontweight="bold",
              va="top", transform=head.transAxes)
    when = f"{card.first_published:%d %b %Y}" if card.first_published else "undated"
    entities = ", ".join(e["name"] for e in card.top_entities[:6])
    head.text(0, 0.05, rep.plain(f"{card.article_count} articles, {card.source_count} sources  \u00b7  "
                                 f"{card.headline}  \u00b7  {when}" + (f"  \u00b7  {entities}" if entities else ""),
                                 150),
              fontsize=11, color="#333333", transform=head.transAxes)
    _bias_bar(fig.add_subplot(grid[1, :]), card)
    order = [f.value for f in Factuality]
    _bars(fig.add_subplot(grid[2, 0]), "Factuality of the sources", order, card.factuality_counts)
    own = [o.value for o in Ownership]
    _bars(fig.add_subplot(grid[2, 1]), "Ownership of the sources",
          [o for o in own if card.ownership_counts.get(o)] or own[-1:], card.ownership_counts)
    _sources(fig.add_subplot(grid[2, 2]), card)
    _timeline(fig.add_subplot(grid[3, :]), card)
    return fig


def _bias_bar(ax, card: StoryCard) -> None:
    ax.set_title(f"Bias of the {card.rated_sources} rated sources"
                 + (f"  (+ {card.unrated_sources} unrated, not on the bar)" if card.unrated_sources else ""),
                 loc="left", fontsize=11, fontweight="bold")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")
    if not card.rated_sources:
        ax.add_patch(rep.plt.Rectangle((0, 0.1), 1, 0.8, color=SIDE_COLOURS[UNRATED_SIDE]))
        ax.text(0.5, 0.5, "no rated sources", ha="center", va="center", fontsize=12)
        return
    x = 0.0
    for side in SIDES:
        share = card.side_shares[side]
        if share:
            ax.add_patch(rep.plt.Rectangle((x, 0.1), share, 0.8, color=SIDE_COLOURS[side]))
            pct = f"{round(100 * share)}%"
            text = f"{SIDE_LABELS[side]} {pct} ({card.side_counts[side]})" if share >= 0.15 else pct
            ax.text(x + share / 2, 0.5, text, ha="center", va="center", color="white", fontsize=12,
                    fontweight="bold")
        x += share


def _bars(ax, title: str, order: list[str], counts: dict[str, int]) -> None:
    values = [counts.get(k, 0) for k in order]
    y = range(len(order))
    ax.barh(y, values, color="#5a6e8c")
    ax.set_yticks(list(y), [k.replace("_", " ") for k in order], fontsize=9)
    ax.invert_yaxis()
    ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
    ax.set_xlabel("sources")
    ax.xaxis.get_major_locator().set_params(integer=True)
    for yy, v in zip(y, values):
        if v:
            ax.text(v, yy, f" {v}", va="center", fontsize=9)
    ax.set_xlim(0, max(values + [1]) * 1.2)
    ax.spines[["top", "right"]].set_visible(False)


def _sources(ax, card: StoryCard) -> None:
    ax.axis("off")
    ax.set_title("Sources by side", loc="left", fontsize=11, fontweight="bold")
    by_side = {side: names for side, names in _sources_by_side(card).items() if names}
    n = max(len(by_side), 1)
    room = max(1, int((1.0 - 0.11 * n) / (0.075 * n)))  # lines of names per side that fit above the timeline
    y = 1.0
    for side, names in by_side.items():
        ax.text(0, y, f"{SIDE_LABELS[side]} ({len(names)})", fontsize=10, fontweight="bold",
                color=SIDE_COLOURS[side] if side != UNRATED_SIDE else "#666666", va="top", transform=ax.transAxes)
        y -= 0.085
        for line in _name_lines(names, room):
            ax.text(0.03, y, rep.plain(line), fontsize=9, va="top", transform=ax.transAxes)
            y -= 0.075
        y -= 0.025


def _name_lines(names: list[str], room: int, width: int = 44) -> list[str]:
    """As many of ``names`` as fit on ``room`` lines of ``width`` characters, then ``+ N more``."""
    for k in range(len(names), 0, -1):
        more = f", + {len(names) - k} more" if k < len(names) else ""
        lines = textwrap.wrap(", ".join(names[:k]) + more, width)
        if len(lines) <= room:
            return lines
    return [f"{len(names)} sources"]


def _timeline(ax, card: StoryCard) -> None:
    rows = [ArticleRow(a["id"], card.id, a["outlet_id"], a["bias"] or "unrated", a["published_at"])
            for a in card.articles]
    days = timeline(rows, story=card.id).days
    ax.spines[["top", "right"]].set_visible(False)
    if len(days) >= 3:
        bottom = [0] * len(days)
        x = [mdates.datestr2num(d["day"]) for d in days]
        for side in ROWS:
            vals = [d[side] for d in days]
            if any(vals):
                ax.bar(x, vals, bottom=bottom, width=0.8, color=SIDE_COLOURS[side], label=SIDE_LABELS[side])
                bottom = [b + v for b, v in zip(bottom, vals)]
        ax.set_ylabel("articles per day")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.xaxis_date()
        ax.set_ylim(0, max(bottom) * 1.1)
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=4, fontsize=9, frameon=False)
        ax.set_title("Articles per day by side (UTC)", loc="left", fontsize=11, fontweight="bold")
        return
    # a story of a day or two: every article at its time, one row per side
    row = {s: i for i, s in enumerate(ROWS)}
    together: dict[tuple[str, object], list[dict]] = defaultdict(list)
    for a in card.articles:
        together[(side_of(a["bias"]), a["published_at"])].append(a)
    for (side, when), group in together.items():
        x = mdates.date2num(when)
        for k, a in enumerate(group):
            # articles of one side at the same time are spread over their side's row
            y = row[side] + (0.7 * (k / (len(group) - 1) - 0.5) if len(group) > 1 else 0.0)
            ax.scatter([x], [y], s=60, color=SIDE_COLOURS[side], edgecolor="#333333", linewidth=0.5, zorder=3)
            if len(card.articles) <= 16:
                ax.annotate(rep.plain(a["outlet_name"] or a["outlet_id"] or "?", 28), (x, y), xytext=(6, 0),
                            textcoords="offset points", fontsize=8, va="center")
    ax.set_yticks(list(row.values()), [SIDE_LABELS[s] for s in ROWS])
    ax.set_ylim(-0.6, len(ROWS) - 0.2)
    ax.invert_yaxis()
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %H:%M"))
    times = [mdates.date2num(a["published_at"]) for a in card.articles]
    pad = max((max(times) - min(times)) * 0.15, 1 / 24)  # at least an hour, so a one-instant story has an axis
    ax.set_xlim(min(times) - pad / 2, max(times) + pad)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_title("Articles by side over time (UTC)", loc="left", fontsize=11, fontweight="bold")


def main(argv: list[str] | None = None) -> int:
    """Parse the options, compute, print the summary, write the PNG; the exit code."""
    p = rep.parser(__doc__, default_out="story.png", seed=False)
    p.add_argument("--story", help="the story id (default: the story with most sources among the filtered ones)")
    args = p.parse_args(argv)
    path = rep.out_path(args.out, "story.png")
    with rep.opened_store(args) as (store, _):
        story = args.story or pick_story(list(store.coverage_rows(**rep.row_filters(args))))
        card = story_card(store.story_rows(story))
    print(summary(card))
    rep.save(draw(card), path)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
