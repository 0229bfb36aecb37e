"""``/api/articles``: ingest a batch of articles, as ``newsgraph ingest`` does."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request

from newsgraph.api.errors import documented
from newsgraph.api.deps import store_changed, SettingsDep, StoreDep, WriteAccess, WriteLock
from newsgraph.api.schemas import ArticlesIn, IngestReportOut

router = APIRouter(prefix="/api/articles", tags=["articles"])


def _ingestor(request: Request, store, settings):
    # one per app, so the NER model is loaded once; callers hold the write lock
    state = request.app.state
    if getattr(state, "ingestor", None) is None:
        from newsgraph.engine.pipeline import Ingestor

        state.ingestor = Ingestor(store, settings, extractor=state.extractor)
    return state.ingestor


def _located(notes: list[str], path: str) -> list[str]:
    """``<temporary file>:3: why`` as ``articles[2]: why``: the record's index in the request."""
    pattern = re.compile(re.escape(path) + r":(\d+)")
    return [pattern.sub(lambda m: f"articles[{int(m.group(1)) - 1}]", note) for note in notes]


@router.post("", response_model=IngestReportOut, dependencies=[WriteAccess], responses=documented(401, 403, 413))
def ingest_articles(
    body: ArticlesIn, request: Request, store: StoreDep, settings: SettingsDep, lock: WriteLock
) -> IngestReportOut:
    """Ingest a batch of articles (needs the API key): same validation and report as the CLI."""
    with tempfile.TemporaryDirectory(prefix="newsgraph-api-") as tmp:
        path = Path(tmp) / "articles.jsonl"
        path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in body.articles), encoding="utf-8")
        with lock:
            try:
                report = _ingestor(request, store, settings).ingest([str(path)], format="jsonl").to_dict()
            finally:
                store_changed(request)  # cached analyses no longer describe the store
    report["problems"] = _located(report["problems"], str(path))
    report["duplicate_notes"] = _located(report["duplicate_notes"], str(path))
    return IngestReportOut(**report)
