"""``/api/entities``: entity search and neighbourhoods."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from newsgraph.api.errors import documented
from newsgraph.api.deps import Limit, Offset, StoreDep, bounded_read
from newsgraph.api.schemas import EntityDetail, EntitySummary, Page

router = APIRouter(prefix="/api/entities", tags=["entities"])


@router.get("", response_model=Page[EntitySummary])
def search_entities(
    store: StoreDep,
    q: Annotated[str | None, Query(min_length=1, max_length=200, description="Text in the name or id.")] = None,
    type: Annotated[str | None, Query(max_length=40, description="spaCy label, e.g. GPE, ORG, PERSON.")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[EntitySummary]:
    """Search entities by name or id, most mentioning articles first."""
    rows, count = store.search_entities(q=q, type=type, limit=limit, offset=offset)
    return Page[EntitySummary](data=rows, count=count)


@router.get("/{entity_id}", response_model=EntityDetail, responses=documented(404))
async def get_entity(
    entity_id: str,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=200, description="Neighbours, stories and outlets to return.")] = 25,
) -> EntityDetail:
    """Show one entity with its neighbourhood: co-mentioned entities, stories and outlets."""
    return EntityDetail.model_validate(await bounded_read(store, store.entity_neighbourhood, entity_id, limit=limit))
