"""Server-rendered pages: the story list, story pages, blindspots, outlet and entity pages."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from newsgraph.api.deps import StoreDep, stored_first
from newsgraph.api.html import TEMPLATES, secure
from newsgraph.api.present import percentages, plural
from newsgraph.api.routers.analyses import blindspot_page, story_blindspot
from newsgraph.api.routers.stories import full_card
from newsgraph.engine.analysis import story_card
from newsgraph.engine.models import SIDES, UNRATED_SIDE, side_of
from newsgraph.engine.views.palette import BIAS_COLOURS, BIAS_LABELS

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse, include_in_schema=False)

PAGE_SIZE = 20
GROUPS = (*SIDES, UNRATED_SIDE)
Side = Annotated[Literal["left", "center", "right", "unrated"] | None, Query()]


def _page(request: Request, template: str, **context: Any) -> HTMLResponse:
    context.update(plural=plural, bias_labels=BIAS_LABELS, bias_colours=BIAS_COLOURS, sides=SIDES, side_of=side_of)
    return secure(TEMPLATES.TemplateResponse(request, template, context))


@router.get("/")
def index(
    request: Request,
    store: StoreDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    side: Annotated[Literal["left", "center", "right"] | None, Query()] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """The story list, most sources first, with text search and a side filter."""
    q = (q or "").strip() or None
    rows, count = store.search_stories(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, q=q, side=side)
    cards = [story_card(store.story_rows(r["id"])) for r in rows]
    return _page(request, "index.html", cards=[(c, percentages(c)) for c in cards], count=count, q=q or "",
                 side=side, page=page, pages=max(1, -(-count // PAGE_SIZE)))


@router.get("/stories/{story_id}")
async def story_page(request: Request, story_id: str, store: StoreDep, side: Side = None,
                     originals: Annotated[bool | None, Query()] = None) -> HTMLResponse:
    """One story as a reader sees it: counts, the bias bar, factuality, ownership, articles by side."""
    if originals is None:
        originals = request.app.state.settings.count_originals
    # a bounded read when its sections are stored and the blindspots cached; else computed in a worker thread
    return await stored_first(store, _story_page, request, story_id, store, side, originals)


def _story_page(request: Request, story_id: str, store, side: str | None, originals: bool, *,
                stored_only: bool = False) -> HTMLResponse:
    card = full_card(request, store, story_id, originals=originals, stored_only=stored_only)
    groups: dict[str, list[dict[str, Any]]] = {g: [] for g in GROUPS}
    for a in card.articles:
        groups[side_of(a["bias"])].append(a)
    return _page(request, "story.html", card=card, shares=percentages(card), groups=groups, selected=side,
                 blindspot=story_blindspot(request, story_id, cached_only=stored_only))


@router.get("/blindspots")
def blindspots_page(
    request: Request, page: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> HTMLResponse:
    """Blindspots under the server's settings, strongest first, each with its bias bar and the reason."""
    feed = blindspot_page(request, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    items = []
    for b in feed.data:
        item = b.model_dump()
        item["percent"] = {s: round(100 * item["side_shares"][s]) for s in SIDES}
        items.append(item)
    return _page(request, "blindspots.html", feed=feed.model_dump(), items=items, page=page,
                 pages=max(1, -(-feed.count // PAGE_SIZE)))


@router.get("/outlets/{outlet_id}")
def outlet_page(request: Request, outlet_id: str, store: StoreDep) -> HTMLResponse:
    """One outlet: its ratings by rater, stories covered, top entities, co-coverage neighbours."""
    profile = store.outlet_profile(outlet_id)
    coverage = store.outlet_coverage(outlet_id, limit=15)
    return _page(request, "outlet.html", outlet=profile["outlet"].to_dict(), articles=profile["articles"],
                 stories=profile["stories"], coverage=coverage)


@router.get("/entities/{entity_id}")
def entity_page(request: Request, entity_id: str, store: StoreDep) -> HTMLResponse:
    """One entity: its graph view, its stories and the outlets that mention it."""
    hood = store.entity_neighbourhood(entity_id, limit=15)
    return _page(request, "entity.html", hood=hood, entity=hood["entity"])
