"""Score key points against editorial summaries with ROUGE, next to two baselines.

ROUGE (Lin 2004) as F1 of n-gram overlap (ROUGE-1, ROUGE-2) and of the
longest common subsequence (ROUGE-L) between a system text and a reference,
over lower-cased alphanumeric tokens, without stemming or stop-word removal.

The data are AllSides headline roundups: each event has a left, center and
right article (headline and excerpt paragraphs) and AllSides' own neutral
summary (``roundup``: its first paragraph tells the event, the others how it
was covered). The reference is the first paragraph (``reference="event"``)
or all of them (``"all"``). Systems:

- ``key_points``: :func:`~newsgraph.engine.analysis.key_points.key_points` over the event's articles;
- ``center_lead``: the first three sentences of the center article;
- ``random``: three sentences drawn from all the event's articles (seeded).

>>> s = rouge_scores("the court ruled for the police", "the court ruled for police officers")
>>> round(s["rouge1"], 3), round(s["rouge2"], 3), round(s["rougeL"], 3)
(0.833, 0.6, 0.833)
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from statistics import mean
from typing import Any, Callable, Iterable, Mapping, Sequence

from newsgraph.engine.analysis.key_points import key_points
from newsgraph.engine.analysis.sentences import split_sentences
from newsgraph.engine.errors import InputError

_TOKEN = re.compile(r"[a-z0-9]+")
METRICS = ("rouge1", "rouge2", "rougeL")
SYSTEMS = ("key_points", "center_lead", "random")


def tokens(text: str) -> list[str]:
    """Lower-cased alphanumeric tokens, as ROUGE compares them.

    >>> tokens("U.S. court's ruling, 2021")
    ['u', 's', 'court', 's', 'ruling', '2021']
    """
    return _TOKEN.findall(text.lower())


def _f1(overlap: int, n_system: int, n_reference: int) -> float:
    if not overlap:
        return 0.0
    p, r = overlap / n_system, overlap / n_reference
    return 2 * p * r / (p + r)


def _ngrams(toks: Sequence[str], n: int) -> Counter:
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def rouge_scores(system: str, reference: str) -> dict[str, float]:
    """ROUGE-1, ROUGE-2 and ROUGE-L F1 of ``system`` against ``reference`` (0 when either is empty)."""
    s, r = tokens(system), tokens(reference)
    out = {}
    for n in (1, 2):
        gs, gr = _ngrams(s, n), _ngrams(r, n)
        out[f"rouge{n}"] = _f1(sum((gs & gr).values()), sum(gs.values()), sum(gr.values()))
    out["rougeL"] = _f1(_lcs(s, r), len(s), len(r)) if s and r else 0.0
    return out


@dataclass(frozen=True)
class RougeTable:
    """Mean ROUGE F1 per system over the events scored, with how many there were."""

    events: int
    reference: str
    scores: dict[str, dict[str, float]]
    settings: dict[str, Any] = field(default_factory=dict)

    def beats_baselines(self) -> bool:
        """Whether the key points score above both baselines on all three metrics."""
        kp = self.scores["key_points"]
        return all(kp[m] > self.scores[b][m] for m in METRICS for b in SYSTEMS[1:])

    def lines(self) -> list[str]:
        out = [f"{self.events} events, reference: {self.reference}",
               f"{'system':<12} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8}"]
        for sysname in SYSTEMS:
            sc = self.scores[sysname]
            out.append(f"{sysname:<12} {sc['rouge1']:>8.4f} {sc['rouge2']:>8.4f} {sc['rougeL']:>8.4f}")
        return out


def roundup_events(path: str | Path) -> list[dict[str, Any]]:
    """The roundups of a JSONL file as events: ``{id, reference_event, reference_all, articles}``.

    Each article row has what a stored article has (``id``, ``title``, ``text``, ``published_at``,
    ``outlet_id``, ``outlet_name``, ``bias``); events without a summary or with fewer than two articles
    are left out.
    """
    events = []
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(f"not JSON: {e}", source=str(path), line=line_no) from e
            paragraphs = [p.strip() for p in r.get("roundup") or [] if p and p.strip()]
            try:
                when = datetime.fromisoformat(r["date"]).astimezone(timezone.utc)
            except (KeyError, TypeError, ValueError):
                when = datetime(2021, 1, 1, tzinfo=timezone.utc)
            articles = []
            for side, item in sorted((r.get("news") or {}).items()):
                body = [p.strip() for p in item.get("newBody") or [] if p and p.strip()]
                if not body or not item.get("newsTitle"):
                    continue
                articles.append({
                    "id": f"{r['id']}-{side}", "title": item["newsTitle"], "lead": None, "text": "\n\n".join(body),
                    "published_at": when, "outlet_id": item.get("newsSource"), "outlet_name": item.get("newsSource"),
                    "bias": {"left": "left", "center": "center", "right": "right"}.get(side, "unrated"), "side": side,
                })
            if paragraphs and len(articles) >= 2:
                events.append({"id": r["id"], "reference_event": paragraphs[0],
                               "reference_all": "\n".join(paragraphs), "articles": articles})
    return events


def center_lead(event: Mapping[str, Any], n: int = 3) -> str:
    """The first ``n`` sentences of the event's center article ('' when it has none)."""
    for a in event["articles"]:
        if a["side"] == "center":
            return " ".join(split_sentences(a["text"])[:n])
    return ""


def random_sentences(event: Mapping[str, Any], rng: random.Random, n: int = 3) -> str:
    """``n`` sentences drawn without replacement from all the event's articles."""
    pool = [s for a in event["articles"] for s in split_sentences(a["text"])]
    return " ".join(rng.sample(pool, min(n, len(pool))))


def evaluate_key_points(
    events: Iterable[Mapping[str, Any]],
    *,
    reference: str = "event",
    seed: int = 0,
    options: Mapping[str, Any] | None = None,
    keep: Callable[[Mapping[str, Any]], bool] = lambda e: True,
) -> RougeTable:
    """Mean ROUGE of the key points and of both baselines over the events that have a center article.

    ``options`` go to :func:`key_points`; ``keep`` selects events (a development or test split).
    """
    if reference not in ("event", "all"):
        raise ValueError("reference is 'event' (the summary's first paragraph) or 'all'")
    rng = random.Random(seed)
    per: dict[str, dict[str, list[float]]] = {s: {m: [] for m in METRICS} for s in SYSTEMS}
    n = 0
    for e in events:
        lead = center_lead(e)
        if not lead or not keep(e):
            continue
        ref = e[f"reference_{reference}"]
        kp = " ".join(p.text for p in key_points(e["articles"], **(options or {})).points)
        for sysname, text in (("key_points", kp), ("center_lead", lead), ("random", random_sentences(e, rng))):
            for m, v in rouge_scores(text, ref).items():
                per[sysname][m].append(v)
        n += 1
    scores = {s: {m: (mean(v) if v else 0.0) for m, v in ms.items()} for s, ms in per.items()}
    return RougeTable(n, reference, scores, {"seed": seed, **(options or {})})
