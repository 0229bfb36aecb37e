"""Recall and precision of the wire-copy detector on reprints made from real articles (a documented proxy).

Usage:
    python scripts/evaluate_copies.py ARTICLES.jsonl.gz [--limit 6000] [--sample 300] [--seed 0]
                                      [--thresholds 0.4 0.5 0.6 0.7 0.8 0.9] [--json]

There are no labelled reprints, so this builds them the way wire-fed sites
make them. ARTICLES is the Article-Bias-Prediction corpus. The ``--limit``
oldest dated articles are the stream (real articles of many outlets, with
their own occasional copies of one another). ``--sample`` of them (seeded;
only articles of at least 150 words in at least 4 paragraphs, so that a
paragraph can be cut) are originals, and each gets five reprints, each under
an outlet of its own (``reprint-KIND.example``), an hour apart after the original:

- ``exact``: the same text under another outlet an hour later;
- ``intro``: the text with a paragraph added in front (a paragraph of another,
  randomly drawn article of the corpus: words the original does not have);
- ``trimmed``: the text without its last paragraph;
- ``dateline``: another headline and a ``CITY (Reuters) -`` dateline before the text;
- ``edited``: about 10% of the sentences removed (at least one; seeded).

The reprints are mixed into the stream at their times, and the stream goes
through the detector (``engine/stories/copies.py``) oldest first in batches
of ``NEWSGRAPH_BATCH_SIZE``, as ingest runs it. For each threshold:

- **recall**: reprints found as copies of an article of their own group (the
  original or another reprint of it), by kind;
- **precision**: of the copy edges that involve a made reprint, the share that
  stay within its group; edges between two real articles are counted apart
  (unlabelled: the corpus's own copies, read by hand in docs/copies.md).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from abp_store import read_corpus  # noqa: E402
from copies_abp import Held, articles_of  # noqa: E402

from newsgraph.engine.analysis.sentences import split_sentences  # noqa: E402
from newsgraph.engine.config import get_settings  # noqa: E402
from newsgraph.engine.models import Article  # noqa: E402
from newsgraph.engine.stories.copies import CopyDetector  # noqa: E402

KINDS = ("exact", "intro", "trimmed", "dateline", "edited")
CITIES = ("WASHINGTON", "NEW YORK", "LONDON", "BRUSSELS", "CHICAGO", "LOS ANGELES")


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.split("\n\n") if p.strip()]


def eligible(a: Article) -> bool:
    return len((a.text or "").split()) >= 150 and len(paragraphs(a.text)) >= 4


def reprint(a: Article, kind: str, i: int, rng: random.Random, pool: list[Article]) -> Article:
    """Reprint ``kind`` of ``a``: another outlet, ``i + 1`` hours after it."""
    paras = paragraphs(a.text)
    title = a.title
    if kind == "exact":
        text = a.text
    elif kind == "intro":
        other = rng.choice([p for p in pool if p.id != a.id])
        text = "\n\n".join([paragraphs(other.text)[0], *paras])
    elif kind == "trimmed":
        text = "\n\n".join(paras[:-1])
    elif kind == "dateline":
        text = f"{rng.choice(CITIES)} (Reuters) - " + a.text
        title = "UPDATE 1-" + " ".join(reversed(a.title.split(": ", 1))) if ": " in a.title else f"{a.title} -sources"
    elif kind == "edited":
        sentences = split_sentences(a.text)
        drop = set(rng.sample(range(len(sentences)), max(1, round(len(sentences) / 10))))
        text = " ".join(s for j, s in enumerate(sentences) if j not in drop)
    else:
        raise ValueError(kind)
    outlet = f"reprint-{kind}.example"
    return replace(a, id=f"{a.id}~{kind}", url=f"https://{outlet}/{a.id}", title=title, text=text, outlet_id=outlet,
                   outlet_name=outlet, published_at=a.published_at + timedelta(hours=i + 1))


class CachedDetector(CopyDetector):
    """The detector with each article's fingerprint computed once, so that thresholds can be compared cheaply."""

    def __init__(self, cache: dict, **kw):
        super().__init__(**kw)
        self.cache = cache

    def fingerprints(self, articles):
        missing = [a for a in articles if a.id not in self.cache]
        for a, fp in zip(missing, [super(CachedDetector, self).fingerprints([a]) for a in missing]):
            self.cache[a.id] = fp[0] if fp else None
        return [self.cache[a.id] for a in articles if self.cache[a.id] is not None]


def detect(stream: list[Article], detector: CopyDetector, batch: int) -> dict[str, tuple[str, float]]:
    held = Held()
    for i in range(0, len(stream), batch):
        part = stream[i:i + batch]
        plan = detector.plan(held, part)
        plan.write(held, [a.id for a in part], set())
    return {c: (e["end_id"], e["overlap"]) for c, e in held.edges.items()}


def score(edges: dict[str, tuple[str, float]], group: dict[str, str]) -> dict:
    made = [a for a in group if "~" in a]
    found = Counter()
    to_original = 0
    for a in made:
        e = edges.get(a)
        if e and group.get(e[0]) == group[a]:
            found[a.split("~")[1]] += 1
            to_original += e[0] == group[a]
    involving = [(c, o) for c, (o, _) in edges.items() if "~" in c or "~" in o]
    right = sum(1 for c, o in involving if group.get(c) is not None and group.get(c) == group.get(o))
    per_kind = len(made) // len(KINDS)
    return {
        "reprints": len(made),
        "recall": sum(found.values()) / len(made),
        "recall_by_kind": {k: found[k] / per_kind for k in KINDS},
        "pointing_at_the_original": to_original,
        "edges_with_a_reprint": len(involving),
        "precision": right / len(involving) if involving else None,
        "wrong_edges": len(involving) - right,
        "edges_between_real_articles": sum(1 for c, (o, _) in edges.items() if "~" not in c and "~" not in o),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles", help="Article-Bias-Prediction articles.jsonl.gz")
    ap.add_argument("--limit", type=int, default=6000, help="The stream: the N oldest dated articles.")
    ap.add_argument("--sample", type=int, default=300, help="Originals drawn from the stream (seeded).")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--thresholds", type=float, nargs="+", default=[0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    ap.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = ap.parse_args()
    settings = get_settings()
    real = articles_of(read_corpus(args.articles, args.limit))
    rng = random.Random(args.seed)
    pool = [a for a in real if eligible(a)]
    originals = rng.sample(pool, min(args.sample, len(pool)))
    group = {a.id: a.id for a in originals}
    made = []
    for a in originals:
        for i, kind in enumerate(KINDS):
            r = reprint(a, kind, i, rng, pool)
            made.append(r)
            group[r.id] = a.id
    stream = sorted(real + made, key=lambda a: (a.published_at, a.id))
    cache: dict = {}
    results = {}
    for t in sorted(set(args.thresholds) | {settings.copy_threshold}):
        det = CachedDetector(cache, window_hours=settings.story_window_hours, threshold=t,
                             min_words=settings.copy_min_words)
        results[t] = score(detect(stream, det, settings.batch_size), group)
    out = {"stream": len(real), "eligible": len(pool), "originals": len(originals), "reprints": len(made),
           "seed": args.seed, "default_threshold": settings.copy_threshold,
           "thresholds": {str(t): r for t, r in results.items()}}
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(f"stream: {len(real)} oldest dated articles ({len(pool)} eligible as originals), {len(originals)} originals "
          f"(seed {args.seed}), {len(made)} reprints ({len(originals)} of each kind: {', '.join(KINDS)})")
    print("| threshold | recall | " + " | ".join(KINDS) + " | precision | wrong edges | edges among real articles |")
    print("|---|---:|" + "---:|" * len(KINDS) + "---:|---:|---:|")
    for t, r in results.items():
        mark = " (default)" if t == settings.copy_threshold else ""
        prec = "-" if r["precision"] is None else f"{r['precision']:.3f}"
        print(f"| {t:g}{mark} | {r['recall']:.3f} | " + " | ".join(f"{r['recall_by_kind'][k]:.3f}" for k in KINDS)
              + f" | {prec} | {r['wrong_edges']} | {r['edges_between_real_articles']} |")
    d = results[settings.copy_threshold]
    print(f"at the default {settings.copy_threshold:g}: {d['pointing_at_the_original']} of the "
          f"{round(d['recall'] * d['reprints'])} found reprints point at the original itself")


if __name__ == "__main__":
    main()
