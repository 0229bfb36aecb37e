"""``/views/...``: the pyvis graph views, self-contained HTML."""

from __future__ import annotations

from typing import Any, Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from newsgraph.api.deps import SettingsDep, StoreDep, bounded_read
from newsgraph.api.errors import documented
from newsgraph.api.html import VIEW_CSP, secure
from newsgraph.api.routers.analyses import in_public_slot, needs_public_slot, query_signature, split_query
from newsgraph.engine.analysis import registry
from newsgraph.engine.config import Settings
from newsgraph.engine.views import entity_view, outlets_view, story_view


async def story_graph_view(story_id: str, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Show a story's graph: the outlets that covered it, coloured by bias, and its entities."""
    page = await bounded_read(store, story_view, store, story_id, max_nodes=settings.view_max_nodes, links=True)
    return secure(HTMLResponse(page), VIEW_CSP)


async def entity_graph_view(entity_id: str, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Show an entity's graph: the entities most often mentioned with it."""
    page = await bounded_read(store, entity_view, store, entity_id, max_nodes=settings.view_max_nodes, links=True)
    return secure(HTMLResponse(page), VIEW_CSP)


def _outlet_network_view(settings: Settings) -> Callable[..., HTMLResponse]:
    spec = registry.ANALYSES["outlet-network"]

    def outlet_network_view(request: Request, **values: Any) -> HTMLResponse:
        filters, params = split_query(spec, values)
        state = request.app.state

        def draw() -> str:
            return outlets_view(state.store, state.settings, filters=filters, params=params,
                                max_nodes=state.settings.view_max_nodes, links=True)

        if needs_public_slot(request, spec, filters, registry.resolve(spec, state.settings, params)):
            return secure(HTMLResponse(in_public_slot(request, draw)), VIEW_CSP)
        return secure(HTMLResponse(draw()), VIEW_CSP)

    # the analysis's own query parameters, so the picture shows what /api/analyses/outlet-network answers
    outlet_network_view.__signature__ = query_signature(spec, settings)  # type: ignore[attr-defined]
    outlet_network_view.__doc__ = ("Show the outlet network: outlets linked by stories in common, coloured by bias, "
                                   "shaped by community; the parameters are those of /api/analyses/outlet-network.")
    return outlet_network_view


def build_router(settings: Settings) -> APIRouter:
    """The view routes, the outlet network's parameter defaults taken from ``settings``."""
    router = APIRouter(prefix="/views", tags=["views"], default_response_class=HTMLResponse)
    router.add_api_route("/story/{story_id}", story_graph_view, methods=["GET"], responses=documented(404, html=True))
    router.add_api_route("/entity/{entity_id}", entity_graph_view, methods=["GET"],
                         responses=documented(404, html=True))
    router.add_api_route("/outlets", _outlet_network_view(settings), methods=["GET"],
                         responses=documented(400, 503, html=True))
    return router
