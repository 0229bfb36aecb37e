"""Build the background document frequencies that story clustering blends into its week's idf.

Usage:
    python scripts/make_term_frequencies.py ARTICLES.jsonl.gz [--min-df 10] [--out engine/data/term_frequencies.tsv.gz]

ARTICLES is the Article-Bias-Prediction corpus (37,554 articles of 491
outlets, 2012-2020; Baly et al., EMNLP 2020; Apache-2.0). Each article is
read as the clusterer reads one: its title and the first 1,500 characters of
its text, through the same tokeniser (``engine/stories/features.py``), and
each term is counted once per article. Terms in fewer than ``--min-df``
articles are left out (they weigh as unseen, which is what they nearly are).
The output holds counts only, never text: a ``#documents`` line, then one
``term<TAB>count`` line per term, sorted by term.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path

from newsgraph.engine.stories.features import text_counts


def count_terms(path: str) -> tuple[int, Counter]:
    """(articles read, documents per term) of the corpus at ``path``, each article id counted once."""
    df: Counter[str] = Counter()
    seen: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("ID") in seen:
                continue
            seen.add(row.get("ID"))
            df.update(set(text_counts(row.get("title") or "", None, row.get("content_original") or "")))
    return len(seen), df


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles")
    ap.add_argument("--min-df", type=int, default=10)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "engine" / "data" / "term_frequencies.tsv.gz"))
    args = ap.parse_args()
    n, df = count_terms(args.articles)
    kept = sorted((t, c) for t, c in df.items() if c >= args.min_df)
    # mtime 0: the same corpus gives the same bytes
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(f"#documents\t{n}\n".encode("utf-8"))
        gz.write("".join(f"{t}\t{c}\n" for t, c in kept).encode("utf-8"))
    print(f"{n} articles, {len(df)} terms, {len(kept)} kept (in at least {args.min_df} articles) -> {args.out}")


if __name__ == "__main__":
    main()
