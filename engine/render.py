"""Plain-text rendering of story cards for the terminal: the bias bar.

>>> bias_bar({"left": 0.25, "center": 0.5, "right": 0.25}, width=8)
'LL CCCC RR'
"""

from __future__ import annotations

from newsgraph.engine.analysis.story_card import StoryCard
from newsgraph.engine.models import SIDES

_FILL = {"left": "L", "center": "C", "right": "R"}


def bias_bar(shares: dict[str, float], width: int = 30) -> str:
    """Left, center and right shares as one bar of ``width`` letters (largest remainder rounding)."""
    raw = {s: shares.get(s, 0.0) * width for s in SIDES}
    cells = {s: int(v) for s, v in raw.items()}
    if sum(shares.values()) > 0:
        for s in sorted(SIDES, key=lambda s: raw[s] - cells[s], reverse=True)[: width - sum(cells.values())]:
            cells[s] += 1
    return " ".join(_FILL[s] * cells[s] for s in SIDES if cells[s])


def story_summary(card: StoryCard) -> list[str]:
    """Two lines: the title with counts, then the bias bar with shares."""
    shares = "  ".join(f"{s.capitalize()} {round(100 * card.side_shares[s])}%" for s in SIDES)
    return [
        f"{card.title}",
        f"  {card.article_count} articles, {card.source_count} sources ({card.unrated_sources} unrated) · "
        f"{card.headline}",
        f"  [{bias_bar(card.side_shares)}]  {shares}",
    ]


def story_card_text(card: StoryCard) -> str:
    """The full story card as text, for ``newsgraph stories show``."""
    lines = [f"Story {card.id}", *story_summary(card)]
    lines += [f"  {card.article_count} articles, {card.original_reports} original reports"
              + (" (bias counts: original reports only)" if card.counted == "original reports" else ""), ""]
    lines += story_sections_text(card)
    lines.append("Bias of sources (5-point): " + ", ".join(f"{k} {v}" for k, v in card.bias_counts.items() if v))
    lines.append("Factuality of sources: " + ", ".join(f"{k} {v}" for k, v in card.factuality_counts.items() if v))
    lines.append("Ownership of sources: " + ", ".join(f"{k} {v}" for k, v in card.ownership_counts.items() if v))
    if card.first_reported_by:
        f = card.first_reported_by
        also = "".join(f", {t['outlet_name'] or t['outlet_id']}" for t in f["tied_with"])
        lines.append(f"First reported by: {f['outlet_name'] or f['outlet_id']}{also} at "
                     f"{f['published_at']:%Y-%m-%d %H:%M} UTC")
    if card.top_entities:
        lines.append("Entities: " + ", ".join(f"{e['name']} ({e['type']})" for e in card.top_entities[:10]))
    lines.append("")
    lines.append("Articles:")
    for a in card.articles:
        lines.append(
            f"  {a['published_at']:%Y-%m-%d} {a['outlet_name'] or a['outlet_id'] or '?'} [{a['bias']}] {a['title']}"
        )
    lines += _copies_text(card)
    if card.related:
        lines += ["", "Related stories:"]
        for r in card.related:
            shared = ", ".join(e["name"] for e in r["shared_entities"])
            lines.append(f"  {r['id']}  {r['title']}  (shares {shared})")
    return "\n".join(lines)


def _copies_text(card: StoryCard) -> list[str]:
    """The wire copies, each under its original."""
    if not card.copies:
        return []
    lines = ["", "Wire copies, under their originals:"]
    by_original: dict[str, list[dict]] = {}
    for c in card.copies:
        by_original.setdefault(c["original_id"], []).append(c)
    for copies in by_original.values():
        first = copies[0]
        where = "" if first["original_in_story"] else " (in another story)"
        lines.append(f"  {first['original_outlet_name'] or first['original_outlet_id'] or '?'}: "
                     f"{first['original_title']}{where}")
        for c in copies:
            lines.append(f"    copied by {c['outlet_name'] or c['outlet_id'] or '?'} ({round(100 * c['overlap'])}% of "
                         f"its text)")
    return lines


def story_sections_text(card: StoryCard) -> list[str]:
    """The key points with their sources, then each side's headline and distinctive terms."""
    lines = []
    if card.key_points:
        lines.append("Key points" + (" (from headlines)" if card.key_points_from_headlines else "") + ":")
        for p in card.key_points:
            lines.append(f"  - {p['text']}")
            lines.append("      sources: " + ", ".join(f"{o['name']} ({o['side']})" for o in p["outlets"]))
        lines.append("")
    if card.sides:
        lines.append("How each side tells it:")
        for side in SIDES:
            v = card.sides.get(side)
            if not v or not v["articles"]:
                continue
            lines.append(f"  {side.capitalize()}: {v['headline']}  ({v['outlet']})")
            if v["distinctive_terms"]:
                lines.append("      uses more: " + ", ".join(f"{t['term']} (z {t['z']:.1f})" for t in v["distinctive_terms"]))
            elif v["note"]:
                lines.append(f"      {v['note']}")
            for text in v["only_here"]:
                lines.append(f"      only this side: {text}")
        lines.append("")
    return lines
