"""The demo data shipped with newsgraph (AllSides roundups, see ``engine/data/demo/NOTICE.md``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def demo_paths() -> tuple[Path, Path]:
    """Paths of the demo articles (canonical JSONL, gzipped) and the demo outlet ratings (generic CSV)."""
    base = resources.files("newsgraph.engine").joinpath("data", "demo")
    return Path(str(base.joinpath("roundups.jsonl.gz"))), Path(str(base.joinpath("outlets.csv")))
