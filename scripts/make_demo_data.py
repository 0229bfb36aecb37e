"""Build newsgraph's demo data from the NeuS AllSides headline roundups.

Usage: python scripts/make_demo_data.py ROUNDUPS.jsonl [--out engine/data/demo]

Reads the roundups file of HLTCHKUST/framing-bias-metric (one AllSides story
per line, with its left, center and right articles; see
``engine/data/demo/NOTICE.md``) and writes into the output directory:

- ``roundups.jsonl.gz``: one article per line in newsgraph's canonical JSONL,
  with the roundup id as gold story label (``roundup_id``);
- ``outlets.csv``: one row per outlet domain in the generic ratings CSV layout,
  bias taken from the AllSides ratings seen in the data.

The output is deterministic: same input, byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import tldextract

SIDES = ("left", "center", "right")

# AllSides' stance_specific labels -> newsgraph's bias scale (DESIGN.md)
BIAS = {
    "left": "left",
    "lean left": "lean_left",
    "center": "center",
    "lean right": "lean_right",
    "right": "right",
    "mixed": "unrated",
}
BIAS_ORDER = ("left", "lean_left", "center", "lean_right", "right", "unrated")

# A link that points at a publisher's image CDN, not at the publisher: the
# article is the publisher's, so the outlet is too.
DOMAIN_FIXES = {"cbsistatic.com": "cbsnews.com"}

# AllSides names outlets "CNN (Online News)", "New York Times (News)": the
# parenthesis tells AllSides' sections apart, not outlets.
_SECTION = re.compile(r"\s*\((?:online news|online|news)\)\s*$", re.IGNORECASE)

CSV_COLUMNS = ("domain", "name", "bias", "factuality", "ownership", "country", "rating_source")


def _domain_of(extract: tldextract.TLDExtract, url: str) -> str:
    domain = extract(url).top_domain_under_public_suffix
    return DOMAIN_FIXES.get(domain, domain)


def build(roundups_path: Path) -> tuple[list[dict], list[dict], dict]:
    """Articles (canonical JSONL records), outlet rows and a summary of what was done."""
    # offline: the public suffix list bundled with tldextract, no network, no cache
    extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    stories = []
    with roundups_path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                stories.append(json.loads(line))
    # chronological, so that of two roundups linking the same article the earlier keeps it
    stories.sort(key=lambda s: (s["date"], s["id"]))

    articles: list[dict] = []
    seen_urls: dict[str, int] = {}
    dropped: list[str] = []
    ratings: dict[str, Counter] = defaultdict(Counter)
    names: dict[str, Counter] = defaultdict(Counter)
    for story in stories:
        for side in SIDES:
            item = (story.get("news") or {}).get(side)
            if not item:
                continue
            url = (item.get("newsLink") or "").strip()
            if not url:
                dropped.append(f"roundup {story['id']} {side}: no link")
                continue
            if url in seen_urls:
                # AllSides linked one URL from two roundups: kept, so that ingest shows how it reports
                # a duplicate (the earlier roundup keeps the article and its gold label)
                dropped.append(f"roundup {story['id']} {side}: same link as roundup {seen_urls[url]} (kept)")
            seen_urls.setdefault(url, story["id"])
            body = [p.strip() for p in item.get("newBody") or [] if p and p.strip()]
            domain = _domain_of(extract, url)
            rating = BIAS.get((item.get("stance_specific") or "").strip().lower(), "unrated")
            ratings[domain][rating] += 1
            names[domain][_SECTION.sub("", item["newsSource"].strip())] += 1
            articles.append(
                {
                    "url": url,
                    "title": item["newsTitle"].strip(),
                    "published_at": story["date"],
                    "lead": body[0] if body else None,
                    "text": "\n\n".join(body) if body else None,
                    "outlet_name": item["newsSource"].strip(),
                    "outlet": domain,
                    "roundup_id": str(story["id"]),
                    "topic": story.get("topic"),
                    "allsides_rating": item.get("stance_specific"),
                    "opinion_tag": item.get("opinionTag"),
                }
            )

    outlets = []
    for domain in sorted(ratings):
        # most frequent label; ties go to the label nearer the left end of the scale, only to be deterministic
        bias = min(ratings[domain].items(), key=lambda kv: (-kv[1], BIAS_ORDER.index(kv[0])))[0]
        name = min(names[domain].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        outlets.append(
            {"domain": domain, "name": name, "bias": bias, "factuality": "", "ownership": "", "country": "",
             "rating_source": "allsides"}
        )
    summary = {
        "roundups": len(stories),
        "articles": len(articles),
        "outlets": len(outlets),
        "outlet_names": len({a["outlet_name"] for a in articles}),
        "dropped": dropped,
        "mixed_ratings": {d: dict(c) for d, c in ratings.items() if len(c) > 1},
    }
    return articles, outlets, summary


def write(articles: list[dict], outlets: list[dict], out: Path) -> None:
    """Write ``roundups.jsonl.gz`` and ``outlets.csv`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    payload = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles).encode("utf-8")
    # mtime=0 and no file name in the header: the same input gives byte-identical output
    with (out / "roundups.jsonl.gz").open("wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(payload)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(outlets)
    (out / "outlets.csv").write_text(buf.getvalue(), encoding="utf-8")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("roundups", type=Path, help="headline roundups JSONL of HLTCHKUST/framing-bias-metric")
    p.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "engine" / "data" / "demo")
    args = p.parse_args()
    articles, outlets, summary = build(args.roundups)
    write(articles, outlets, args.out)
    print(f"{summary['roundups']} roundups -> {summary['articles']} articles, {summary['outlets']} outlet domains "
          f"({summary['outlet_names']} outlet names)")
    for note in summary["dropped"]:
        print(f"  dropped {note}")
    for domain, counts in sorted(summary["mixed_ratings"].items()):
        print(f"  {domain}: several AllSides ratings {counts}")


if __name__ == "__main__":
    main()
