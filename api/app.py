"""The app factory: ``create_app()`` gives an ASGI app for any server (``newsgraph serve`` uses uvicorn).

>>> from newsgraph.engine.store.sqlite import SQLiteStore
>>> from fastapi.testclient import TestClient
>>> client = TestClient(create_app(store=SQLiteStore(":memory:")))
>>> client.get("/api/stories").json()
{'data': [], 'count': 0}
"""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from newsgraph.api.cache import CachedReads, ResultCache, StoreVersion
from newsgraph.api.errors import newsgraph_error, validation_error
from newsgraph.api.limits import BodySizeLimit
from newsgraph.api.routers import analyses, articles, entities, health, outlets, pages, stories, views
from newsgraph.api.swagger import router as swagger_ui
from newsgraph.engine import __version__
from newsgraph.engine.config import Settings, get_settings
from newsgraph.engine.errors import ConfigError, NewsgraphError
from newsgraph.engine.store.base import GraphStore

STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None, store: GraphStore | None = None, *, extractor=None) -> FastAPI:
    """A newsgraph web app over ``store`` (else the store named by ``settings.store``).

    Parameters
    ----------
    settings : Settings, optional
        Defaults to :func:`engine.config.get_settings` (the ``NEWSGRAPH_*`` variables).
    store : GraphStore, optional
        Used as given and left open; a store the app opens itself it closes on shutdown.
    extractor : EntityExtractor, optional
        The NER for ``POST /api/articles``; built from ``settings.spacy_model`` on first use when not given.
    """
    settings = settings or get_settings()
    if settings.public_analysis_slots < 0:
        raise ConfigError(f"NEWSGRAPH_PUBLIC_ANALYSIS_SLOTS must be 0 or more, not {settings.public_analysis_slots}")
    owned = store is None
    if store is None:
        from newsgraph.engine.store import open_store

        store = open_store(settings.store, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        if owned:
            store.close()

    app = FastAPI(
        title="newsgraph",
        summary="Who covers which story: the coverage graph of news outlets, stories and entities.",
        version=__version__,
        lifespan=lifespan,
        # FastAPI's own /docs and /redoc take their scripts from a CDN unpinned and unchecked: see api.swagger
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.extractor = extractor
    app.state.ingestor = None
    app.state.write_lock = threading.Lock()
    # asked at most once a second: a result older than the ttl is computed again only if the store changed since
    version = StoreVersion(store.data_version)
    app.state.cache = ResultCache(version=version)  # analysis results
    # analyses that requests without the key may compute at once with parameters or filters of their own
    app.state.public_analyses = threading.BoundedSemaphore(settings.public_analysis_slots)
    app.state.responses = ResultCache(size=2048, version=version)  # whole GET answers (CachedReads)
    # key points and sides computed while the store could not take them (a write was running), by fingerprint;
    # normally they are read from the store, which keeps them from the ingest that changed the story
    app.state.story_sections = ResultCache(ttl=float("inf"), size=1024)

    app.add_exception_handler(NewsgraphError, newsgraph_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    for module in (health, stories, outlets, entities, articles):
        app.include_router(module.router)
    app.include_router(analyses.build_router(settings))
    app.include_router(views.build_router(settings))
    app.include_router(pages.router)
    app.include_router(swagger_ui)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    app.add_middleware(CachedReads)  # innermost: CORS headers are still added per request
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-API-Key"],
        )
    return app
