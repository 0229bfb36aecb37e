"""The story card's summary sections: key points, how each side tells it, related stories.

Reads what the analyses need from the store and runs them
(:mod:`~newsgraph.engine.analysis.key_points`,
:mod:`~newsgraph.engine.analysis.story_sides`,
:mod:`~newsgraph.engine.analysis.related_stories`). The text sections (key
points and sides) depend only on the story's articles, so
:func:`story_fingerprint` names their input. They are computed when a story
changes, not per page view: ingest computes them for the stories it changed
(:func:`summarize_stories`) and the store keeps them with the fingerprint they
were computed from (``StorySummary``). A read uses the stored ones while the
fingerprint matches; a story without them, or whose stored ones no longer
match (a store written by an older version, or by a process that stopped
mid-run), has them computed once and stored by the read that finds them
missing (``newsgraph stories summarize`` fills them all at once). Related
stories depend on the other stories too and are read each time (an index read).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Hashable, Iterable, Mapping

from newsgraph.engine.analysis.key_points import key_points
from newsgraph.engine.analysis.related_stories import related_stories
from newsgraph.engine.analysis.story_sides import story_sides
from newsgraph.engine.config import Settings
from newsgraph.engine.errors import NotFound, StoreBusy
from newsgraph.engine.store.base import GraphStore


SECTIONS_VERSION = 1
"""Raised when the key points or sides are computed differently: stored ones of another version are stale."""


def story_fingerprint(rows: Mapping[str, Any]) -> str:
    """A digest of a story's ``story_rows`` (its articles, their outlets' ratings, its entities) and of
    :data:`SECTIONS_VERSION`: what the stored key points and sides were computed from.

    >>> from datetime import datetime, timezone
    >>> t = datetime(2021, 5, 1, tzinfo=timezone.utc)
    >>> a = {"story": {"id": "s"}, "articles": [{"id": "1", "outlet_id": "x", "bias": "left", "published_at": t}]}
    >>> story_fingerprint(a) == story_fingerprint({**a, "articles": [{**a["articles"][0], "bias": "right"}]})
    False
    """
    h = hashlib.sha256(f"{SECTIONS_VERSION}|{rows['story']['id']}".encode())
    for a in rows["articles"]:
        when = a["published_at"].isoformat() if a.get("published_at") is not None else None
        h.update(repr((a["id"], a.get("title"), a.get("outlet_id"), a.get("bias"), when)).encode())
    for e in rows.get("entities", ()):
        h.update(repr((e.get("id"), e.get("name"))).encode())
    return h.hexdigest()[:24]


def text_sections(store: GraphStore, rows: Mapping[str, Any]) -> dict[str, Any]:
    """The key points and the sides' comparison of the story whose ``story_rows`` are ``rows``."""
    texts = store.story_texts(rows["story"]["id"])
    kp = key_points(texts) if len(texts) >= 2 else None
    sides = story_sides(texts, kp, rows.get("entities", ()))
    return {
        "key_points": [p.to_dict() for p in kp.points] if kp else [],
        "key_points_from_headlines": bool(kp and kp.from_headlines),
        "sides": sides.to_dict(),
        "sections_computed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def related_section(store: GraphStore, story_id: str, settings: Settings, *, limit: int = 5) -> list[dict[str, Any]]:
    """The stories related to ``story_id`` (shared distinctive entities, within the settings' window)."""
    rows = store.related_story_rows(story_id, days=settings.related_window_days)
    return [r.to_dict() for r in related_stories(rows, limit=limit)]


def stored_text_sections(
    store: GraphStore,
    rows: Mapping[str, Any],
    *,
    save: Callable[[list[dict[str, Any]]], bool] | bool = True,
    cached: Callable[[Hashable, Callable[[], Any]], Any] | None = None,
) -> dict[str, Any]:
    """The story's text sections as stored, when they were computed from the story as it is now.

    Otherwise (none stored, or stored for another fingerprint) they are computed
    and, with ``save``, stored: ``save`` is ``True`` (write to ``store``),
    ``False`` (do not), or a callable that writes the rows and says whether it
    could (the web app's, which does not wait behind an ingest). ``cached(key,
    compute)`` keeps a computation that could not be stored, by fingerprint.
    """
    sid = rows["story"]["id"]
    fp = story_fingerprint(rows)
    stored = store.story_summaries([sid]).get(sid)
    if stored is not None and stored["fingerprint"] == fp:
        return stored["sections"]
    compute = lambda: text_sections(store, rows)  # noqa: E731
    sections = cached(("story-sections", fp), compute) if cached else compute()
    row = [{"id": sid, "fingerprint": fp, "sections": sections}]
    if save is True:
        try:
            store.save_story_summaries(row)
        except StoreBusy:
            pass  # another process is writing (an ingest, which stores its stories' sections itself)
    elif save:
        save(row)
    return sections


def story_sections(
    store: GraphStore,
    rows: Mapping[str, Any],
    settings: Settings,
    *,
    save: Callable[[list[dict[str, Any]]], bool] | bool = True,
    cached: Callable[[Hashable, Callable[[], Any]], Any] | None = None,
) -> dict[str, Any]:
    """All three sections for :func:`~newsgraph.engine.analysis.story_card`'s ``sections``.

    The key points and sides come from the store (:func:`stored_text_sections`), related stories are read.
    """
    text = stored_text_sections(store, rows, save=save, cached=cached)
    return {**text, "related": related_section(store, rows["story"]["id"], settings)}


@dataclass
class SummaryReport:
    """What :func:`summarize_stories` did: stories whose sections it computed and stored, and the others."""

    computed: int = 0
    up_to_date: int = 0
    "Stories whose stored sections were computed from the story as it is (left alone)."
    missing: int = 0
    "Story ids that are not in the store (nothing to compute)."
    failed: list[str] = field(default_factory=list)
    "``story id: error`` for stories whose sections could not be computed (shown when read instead)."

    def to_dict(self) -> dict[str, Any]:
        return {"computed": self.computed, "up_to_date": self.up_to_date, "missing": self.missing,
                "failed": self.failed}


def summarize_stories(store: GraphStore, story_ids: Iterable[str], *, force: bool = False, chunk: int = 200,
                      report: SummaryReport | None = None,
                      on_progress: Callable[[int], None] | None = None) -> SummaryReport:
    """Compute and store the key points and sides of ``story_ids`` whose stored ones are missing or stale.

    One store read of the stored fingerprints and one write per ``chunk`` stories;
    with ``force`` every story is computed again. A story whose analysis fails is
    listed in ``failed`` (its card computes the sections when shown) and the others go on.
    """
    report = report if report is not None else SummaryReport()
    ids = sorted(set(story_ids))
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        stored = {} if force else store.story_summaries(part)
        out = []
        for sid in part:
            try:
                rows = store.story_rows(sid)
            except NotFound:
                report.missing += 1
                continue
            fp = story_fingerprint(rows)
            if sid in stored and stored[sid]["fingerprint"] == fp:
                report.up_to_date += 1
                continue
            try:
                sections = text_sections(store, rows)
            except Exception as e:  # noqa: BLE001 - one story's analysis must not cost the others theirs
                report.failed.append(f"{sid}: {type(e).__name__}: {' '.join(str(e).split())[:200]}")
                continue
            out.append({"id": sid, "fingerprint": fp, "sections": sections})
        store.save_story_summaries(out)
        report.computed += len(out)
        if on_progress:
            on_progress(min(start + chunk, len(ids)))
    return report
