"""What the report scripts share: options, opening the store, tables and readable labels.

The scripts draw with matplotlib's Agg backend (no display needed) and write
PNG files. User mistakes (a bad date, an unknown id, a store that cannot be
opened) end as one line on standard error and exit code 2 (3 for the store),
as the ``newsgraph`` command does.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from newsgraph.engine.config import Settings, get_settings  # noqa: E402
from newsgraph.engine.errors import NewsgraphError, StoreUnavailable  # noqa: E402

EXIT_USAGE, EXIT_STORE = 2, 3


def fail(message: str, code: int = EXIT_USAGE) -> None:
    """Print one error line and exit with ``code``."""
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(code)


def parser(doc: str, *, default_out: str, filters: bool = True, seed: bool = True) -> argparse.ArgumentParser:
    """An argument parser with the options every report takes: ``--store``, ``--out``, filters, ``--seed``."""
    p = argparse.ArgumentParser(description=doc.strip().splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--store", default=None,
                   help="store URL: sqlite:///PATH or bolt://HOST:PORT [NEWSGRAPH_STORE, default sqlite:///newsgraph.db]")
    p.add_argument("--out", default=default_out,
                   help=f"PNG file to write, or a directory to write {default_out} into [%(default)s]")
    if filters:
        p.add_argument("--since", help="only stories with coverage on or after this date/time (UTC)")
        p.add_argument("--until", help="only stories with coverage on or before this date/time (UTC)")
        p.add_argument("--entity", help="only stories about this entity id (e.g. gpe:finland)")
        p.add_argument("--outlet", help="only stories this outlet (domain) covered")
    if seed:
        p.add_argument("--seed", type=int, default=None, help="random seed [NEWSGRAPH_ANALYSIS_SEED, default 0]")
    return p


def row_filters(args: argparse.Namespace) -> dict[str, Any]:
    """The store row filters of the parsed ``--since``/``--until``/``--entity``/``--outlet``, as the CLI reads them."""
    from newsgraph.engine.cli.filters import parse_when

    return {"since": parse_when(args.since), "until": parse_when(args.until, end_of_day=True),
            "entity": args.entity, "outlet": args.outlet}


@contextmanager
def opened_store(args: argparse.Namespace, **overrides: Any) -> Iterator[tuple[Any, Settings]]:
    """The store named by ``--store`` (or the settings) and the settings; errors become one line and an exit code."""
    from newsgraph.engine.store import open_store

    try:
        settings = get_settings(store=args.store, **overrides)
        url = settings.store
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:" and not Path(url[10:]).exists():
            raise StoreUnavailable(f"no store at {url[10:]}: build one with `newsgraph ingest` or `newsgraph demo`")
        store = open_store(url, settings)
    except StoreUnavailable as e:
        fail(str(e), EXIT_STORE)
    except NewsgraphError as e:
        fail(str(e))
    try:
        yield store, settings
    except StoreUnavailable as e:
        fail(str(e), EXIT_STORE)
    except (NewsgraphError, ValueError) as e:  # NotFound, NotEnoughData, bad dates and option values
        fail(str(e))
    finally:
        store.close()


def out_path(out: str, default_name: str) -> Path:
    """Where to write the PNG: ``out`` itself, or ``default_name`` inside it when it is a directory."""
    path = Path(out)
    if path.is_dir() or out.endswith(("/", "\\")):
        path = path / default_name
    if path.suffix.lower() != ".png":
        fail(f"--out {out}: the report is a PNG, give a .png file or a directory")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def save(fig: Figure, path: Path) -> None:
    """Write ``fig`` as a PNG at ``path`` and close it."""
    fig.savefig(path, dpi=110, facecolor="white")
    plt.close(fig)


def plain(text: str, width: int | None = None) -> str:
    """Text from the data made safe to draw: ``$`` would start matplotlib's mathtext; cut to ``width`` chars."""
    text = " ".join(str(text).split())
    if width and len(text) > width:
        text = text[: width - 1] + "\u2026"
    return text.replace("$", r"\$")


def fmt(x: float | None, digits: int = 3) -> str:
    """A number for a table, ``-`` for none."""
    return "-" if x is None else f"{x:.{digits}f}"


def table(ax: Axes, header: Sequence[str], rows: Sequence[Sequence[str]], *, title: str | None = None,
          col_widths: Sequence[float] | None = None, font_size: float = 9) -> None:
    """Draw a plain table filling ``ax`` (axes hidden), with a bold header row and a title above."""
    ax.axis("off")
    if title:
        ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
    if not rows:
        ax.text(0, 0.9, "(none)", fontsize=font_size, transform=ax.transAxes, va="top")
        return
    t = ax.table(cellText=[list(r) for r in rows], colLabels=list(header), loc="upper left", cellLoc="left",
                 colLoc="left", colWidths=list(col_widths) if col_widths else None, edges="horizontal")
    t.auto_set_font_size(False)
    t.set_fontsize(font_size)
    t.scale(1, 1.25)
    for (r, _), cell in t.get_celld().items():
        if r == 0:
            cell.set_text_props(fontweight="bold")


def spread_labels(ax: Axes, texts: Sequence[Text], *, iterations: int = 200, pad: float = 2.0) -> None:
    """Move overlapping labels apart (in display space) until none overlap or ``iterations`` run out.

    Each step pushes every overlapping pair apart along the axis where they overlap least,
    so labels stay near their nodes.
    """
    if len(texts) < 2:
        return
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    to_data = ax.transData.inverted()
    for _ in range(iterations):
        boxes = [t.get_window_extent(renderer).expanded(1.0, 1.0).padded(pad) for t in texts]
        moved = False
        shifts = [[0.0, 0.0] for _ in texts]
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                a, b = boxes[i], boxes[j]
                dx = min(a.x1, b.x1) - max(a.x0, b.x0)
                dy = min(a.y1, b.y1) - max(a.y0, b.y0)
                if dx <= 0 or dy <= 0:
                    continue
                moved = True
                if dy < dx:
                    s = dy / 2 + 0.5
                    sign = 1 if (a.y0 + a.y1) >= (b.y0 + b.y1) else -1
                    shifts[i][1] += sign * s
                    shifts[j][1] -= sign * s
                else:
                    s = dx / 2 + 0.5
                    sign = 1 if (a.x0 + a.x1) >= (b.x0 + b.x1) else -1
                    shifts[i][0] += sign * s
                    shifts[j][0] -= sign * s
        if not moved:
            return
        for t, (sx, sy) in zip(texts, shifts):
            x, y = ax.transData.transform(t.get_position())
            t.set_position(to_data.transform((x + sx, y + sy)))


def node_labels(ax: Axes, pos: dict[Any, Sequence[float]], labels: dict[Any, str], *, font_size: float = 8,
                weights: dict[Any, str] | None = None) -> list[Text]:
    """Draw labels just above their nodes on a translucent white box, then spread them apart.

    The axes' limits are fixed first: labels are moved in display space, which depends on them.
    """
    ax.autoscale_view()
    ax.set_xlim(ax.get_xlim())
    ax.set_ylim(ax.get_ylim())
    texts = [
        ax.text(pos[n][0], pos[n][1], plain(label), fontsize=font_size, ha="center", va="bottom", zorder=5,
                fontweight=(weights or {}).get(n, "normal"),
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75})
        for n, label in labels.items()
    ]
    spread_labels(ax, texts)
    return texts


def component_layout(G: Any, *, seed: int, weight: str | None = "weight") -> dict[Any, tuple[float, float]]:
    """Each connected component laid out on its own, packed in rows, largest first.

    A layout of a graph with several components pushes the small ones to the
    edges and squeezes the largest into the middle; laying each out alone
    (Kamada-Kawai from seeded random positions, a spring layout above 400
    nodes), in a box whose side grows with the square root of its size, keeps
    every component readable.
    """
    import networkx as nx
    import numpy as np

    comps = sorted((sorted(c, key=str) for c in nx.connected_components(G)), key=lambda c: (-len(c), str(c[0])))
    if not comps:
        return {}
    sides = [2.2 * len(c) ** 0.5 for c in comps]
    sides[0] *= 1.4  # the largest component holds most of the structure: give it room
    width = max(sides[0], (sum(s * s for s in sides) ** 0.5) * 1.25)
    pos: dict[Any, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for comp, side in zip(comps, sides):
        if x > 0 and x + side > width:
            x, y, row_height = 0.0, y - row_height, 0.0
        sub = G.subgraph(comp)
        if len(comp) == 1:
            local = {comp[0]: np.zeros(2)}
        else:
            start = nx.random_layout(sub, seed=seed)
            # Kamada-Kawai spreads sparse components evenly; on big ones it is too slow (O(n^2) memory)
            local = (nx.kamada_kawai_layout(sub, pos=start, weight=None) if len(comp) <= 400
                     else nx.spring_layout(sub, pos=start, seed=seed, weight=weight, iterations=200))
            arr = np.array(list(local.values()))
            lo, hi = arr.min(axis=0), arr.max(axis=0)
            span = np.where(hi - lo > 0, hi - lo, 1.0)
            local = {n: (p - lo) / span - 0.5 for n, p in local.items()}
        inner = side * (0.85 if len(comp) > 2 else 0.6 if len(comp) == 2 else 0.0)
        for n, p in local.items():
            pos[n] = (x + side / 2 + inner * float(p[0]), y - side / 2 + inner * float(p[1]))
        x += side
        row_height = max(row_height, side)
    return pos
