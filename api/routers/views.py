"""``/views/...``: the pyvis graph views, self-contained HTML."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from newsgraph.api.deps import SettingsDep, StoreDep
from newsgraph.api.errors import documented
from newsgraph.api.html import VIEW_CSP, secure
from newsgraph.engine.views import entity_view, outlets_view, story_view

router = APIRouter(prefix="/views", tags=["views"], default_response_class=HTMLResponse)


@router.get("/story/{story_id}", responses=documented(404, html=True))
def story_graph_view(story_id: str, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Show a story's graph: the outlets that covered it, coloured by bias, and its entities."""
    page = story_view(store, story_id, max_nodes=settings.view_max_nodes, links=True)
    return secure(HTMLResponse(page), VIEW_CSP)


@router.get("/entity/{entity_id}", responses=documented(404, html=True))
def entity_graph_view(entity_id: str, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Show an entity's graph: the entities most often mentioned with it."""
    page = entity_view(store, entity_id, max_nodes=settings.view_max_nodes, links=True)
    return secure(HTMLResponse(page), VIEW_CSP)


@router.get("/outlets")
def outlet_network_view(store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Show the outlet network: outlets linked by stories in common, coloured by bias, shaped by community."""
    page = outlets_view(store, max_nodes=settings.view_max_nodes, seed=getattr(settings, "analysis_seed", 0),
                        links=True)
    return secure(HTMLResponse(page), VIEW_CSP)
