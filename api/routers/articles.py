"""``/api/articles``: ingest a batch of articles, as ``newsgraph ingest`` does."""

from __future__ import annotations

from fastapi import APIRouter, Request

from newsgraph.api.errors import documented
from newsgraph.api.deps import store_changed, SettingsDep, StoreDep, WriteAccess, WriteLock
from newsgraph.api.schemas import ArticlesIn, IngestReportOut
from newsgraph.engine.ingest import Record

router = APIRouter(prefix="/api/articles", tags=["articles"])


def _ingestor(request: Request, store, settings):
    # one per app, so the NER model is loaded once; callers hold the write lock
    state = request.app.state
    if getattr(state, "ingestor", None) is None:
        from newsgraph.engine.pipeline import Ingestor

        state.ingestor = Ingestor(store, settings, extractor=state.extractor)
    return state.ingestor


@router.post("", response_model=IngestReportOut, dependencies=[WriteAccess], responses=documented(401, 403, 413))
def ingest_articles(
    body: ArticlesIn, request: Request, store: StoreDep, settings: SettingsDep, lock: WriteLock
) -> IngestReportOut:
    """Ingest a batch of articles (needs the API key): same validation and report as the CLI."""
    # each record is named by its index in the request, so problems read ``articles[2]: why``
    records = [Record(fields, "articles", index=i) for i, fields in enumerate(body.articles)]
    with lock:
        try:
            report = _ingestor(request, store, settings).ingest_records(records)
        finally:
            store_changed(request)  # cached analyses no longer describe the store
    return IngestReportOut(**report.to_dict())
