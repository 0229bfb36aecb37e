"""``/api/outlets``: outlets with their ratings, outlet profiles, and ratings import."""

from __future__ import annotations

from fastapi import APIRouter, Request

from newsgraph.api.errors import documented
from newsgraph.api.deps import store_changed, Limit, Offset, SettingsDep, StoreDep, WriteAccess, WriteLock
from newsgraph.api.schemas import OutletProfile, OutletSummary, Page, RatingIn, RatingsImportOut, RatingsIn
from newsgraph.engine.errors import InputError
from newsgraph.engine.models import SIDES, Bias, Rating, side_of
from newsgraph.engine.ratings import import_ratings, normalise_domain

router = APIRouter(prefix="/api/outlets", tags=["outlets"])


@router.get("", response_model=Page[OutletSummary])
def list_outlets(store: StoreDep, limit: Limit = 50, offset: Offset = 0) -> Page[OutletSummary]:
    """List outlets with their ratings, most articles first."""
    rows, count = store.list_outlets(limit=limit, offset=offset)
    return Page[OutletSummary](data=rows, count=count)


@router.get("/{outlet_id}", response_model=OutletProfile, responses=documented(404))
def get_outlet(outlet_id: str, store: StoreDep) -> OutletProfile:
    """Show one outlet: ratings by rater, stories covered, top entities and co-coverage neighbours."""
    profile = store.outlet_profile(outlet_id)
    coverage = store.outlet_coverage(outlet_id)
    by_side = {side: 0 for side in SIDES}
    for bias, n in coverage["neighbours_by_bias"].items():
        side = side_of(bias)
        if side in by_side:
            by_side[side] += n
    return OutletProfile(
        **profile["outlet"].to_dict(),
        articles=profile["articles"],
        stories=profile["stories"],
        latest_stories=coverage["stories"],
        top_entities=coverage["top_entities"],
        neighbours=coverage["neighbours"],
        neighbours_by_bias=coverage["neighbours_by_bias"],
        neighbours_by_side=by_side,
    )


def _rating(item: RatingIn, index: int) -> Rating | InputError:
    where = {"source": "ratings", "line": index}
    domain = None
    if item.domain:
        domain = normalise_domain(item.domain)
        if domain is None:
            return InputError(f"not a domain: {item.domain!r}", **where)
    name = (item.name or "").strip() or domain
    if not name:
        return InputError("neither domain nor name", **where)
    score = item.bias_score if item.bias_score is not None else item.bias.score
    bias = Bias.from_score(score) if item.bias is Bias.UNRATED and item.bias_score is not None else item.bias
    return Rating(item.rater.strip().casefold(), name, outlet_id=domain, bias=bias, bias_score=score,
                  factuality=item.factuality, ownership=item.ownership, country=item.country, raw={"kind": "outlet"})


@router.post("", response_model=RatingsImportOut, dependencies=[WriteAccess], responses=documented(401, 403, 413))
def import_outlet_ratings(
    body: RatingsIn, request: Request, store: StoreDep, settings: SettingsDep, lock: WriteLock
) -> RatingsImportOut:
    """Import outlet ratings (needs the API key): each rater's verdict is kept, the preferred one shown."""
    ratings = [_rating(item, i) for i, item in enumerate(body.ratings)]
    with lock:
        result = import_ratings(ratings, store.get_outlets(), settings.rating_order)
        try:
            store.upsert_outlets(result.outlets)
        finally:
            store_changed(request)  # ratings change every blindspot
    return RatingsImportOut(
        outlets=[o.id for o in result.outlets],
        matched=result.matched,
        unmatched=result.unmatched,
        skipped=result.skipped,
        rejected=[f"ratings[{e.line}]: {e.reason}" for e in result.errors],
    )
