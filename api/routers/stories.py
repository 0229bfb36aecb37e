"""``/api/stories``: story lists with filters, and story cards."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from newsgraph.api.errors import documented
from newsgraph.api.deps import Limit, Offset, SettingsDep, Since, StoreDep, ToCompute, Until, stored_first
from newsgraph.api.schemas import Page, StoryCardOut, StorySummary
from newsgraph.engine.analysis import story_card
from newsgraph.engine.errors import StoreBusy
from newsgraph.engine.story_sections import story_sections

router = APIRouter(prefix="/api/stories", tags=["stories"])


@router.get("", response_model=Page[StorySummary])
def list_stories(
    store: StoreDep,
    since: Since = None,
    until: Until = None,
    outlet: Annotated[str | None, Query(max_length=253, description="Only stories this outlet covered.")] = None,
    side: Annotated[
        Literal["left", "center", "right"] | None, Query(description="Only stories an outlet of this side covered.")
    ] = None,
    entity: Annotated[str | None, Query(max_length=300, description="Only stories about this entity id.")] = None,
    q: Annotated[
        str | None, Query(min_length=1, max_length=200, description="Text in the story's or its articles' titles.")
    ] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[StorySummary]:
    """List stories, most sources first, filtered by time, outlet, side, entity and title text."""
    rows, count = store.search_stories(
        limit=limit, offset=offset, since=since, until=until, outlet=outlet, side=side, entity=entity, q=q
    )
    return Page[StorySummary](data=rows, count=count)


@router.get("/{story_id}", response_model=StoryCardOut, responses=documented(404))
async def get_story(
    request: Request,
    story_id: str,
    store: StoreDep,
    settings: SettingsDep,
    originals: Annotated[bool | None, Query(
        description="Count only outlets with an original report in the bias bar (wire copies left out); "
                    "default: the server's NEWSGRAPH_COUNT_ORIGINALS.")] = None,
) -> StoryCardOut:
    """Show one story's card: key points, the sides, counts, bias bar, factuality, entities, articles, related."""
    originals = settings.count_originals if originals is None else originals
    # a bounded read when the sections are stored for the story as it is; else computed in a worker thread
    card = await stored_first(store, full_card, request, store, story_id, originals=originals)
    return StoryCardOut.model_validate(card.to_dict())


class SectionsNotStored(ToCompute):
    """The story's key points and sides are not stored for the story as it is: they are to be computed."""


def full_card(request: Request, store, story_id: str, *, originals: bool = False, stored_only: bool = False):
    """The story card with its key points, sides (as stored, computed when the story changed) and related stories.

    With ``stored_only``, sections not stored for the story as it is raise :class:`SectionsNotStored` instead of
    being computed, kept or stored.
    """
    rows = store.story_rows(story_id)
    state = request.app.state

    def not_stored(key, compute):
        raise SectionsNotStored(story_id)

    def save(summary_rows) -> bool:
        # the stored sections were missing or stale: store them, unless a write (an ingest) is running,
        # which stores the sections of the stories it changes itself
        if not state.write_lock.acquire(blocking=False):
            return False
        try:
            store.save_story_summaries(summary_rows)
            return True
        except StoreBusy:
            return False
        finally:
            state.write_lock.release()

    sections = story_sections(store, rows, state.settings, save=save,
                              cached=not_stored if stored_only else state.story_sections.get)
    return story_card(rows, sections=sections, originals=originals)
