"""``/api/blindspots`` and ``/api/analyses``: the blindspot feed, and every analysis by name.

Each analysis of :mod:`engine.analysis.registry` gets its own route,
``GET /api/analyses/NAME``, whose query parameters are the analysis's
parameters (typed, bounded, documented, defaults from this server's settings)
and its story filters. Results are cached per store generation (:mod:`api.cache`).
"""

from __future__ import annotations

import inspect
from datetime import datetime
from typing import Annotated, Any, Callable, Literal, Mapping

import anyio
from fastapi import APIRouter, Query, Request
from pydantic import AfterValidator

from newsgraph.api.deps import Limit, Offset, ToCompute, key_matches, utc
from newsgraph.api.errors import AnalysesBusy, OverPublicLimit, documented
from newsgraph.api.present import blindspot_reason, plain
from newsgraph.api.schemas import (
    AnalysisInfo,
    AnalysisResult,
    BlindspotFeed,
    BlindspotOut,
    Page,
)
from newsgraph.engine.analysis import registry
from newsgraph.engine.cancel import stop_when
from newsgraph.engine.config import Settings
from newsgraph.engine.errors import NotEnoughData, NotFound

ERRORS = documented(400, 404, 409, 503)

FILTER_QUERIES: dict[str, Any] = {
    "since": Annotated[datetime | None, AfterValidator(utc), Query(
        description="Only coverage published at or after this time (UTC if no zone).")],
    "until": Annotated[datetime | None, AfterValidator(utc), Query(
        description="Only coverage published at or before this time (UTC if no zone).")],
    "entity": Annotated[str | None, Query(min_length=1, max_length=300,
                                          description="Only stories about this entity id, e.g. gpe:finland.")],
    "outlet": Annotated[str | None, Query(min_length=1, max_length=253,
                                          description="Only stories this outlet (domain) covered.")],
}


class NotCached(ToCompute):
    """The analysis result asked for with ``cached_only`` is not in the app's cache, fresh."""


def run_cached(request: Request, name: str, filters: Mapping[str, Any], params: Mapping[str, Any], *,
               cached_only: bool = False):
    """Analysis ``name``'s result on the app's store, from the app's cache when the store has not changed.

    A request without the API key that asks for a result not cached, with parameters or filters other than the
    defaults, computes it only in one of the server's public slots (:func:`in_public_slot`). With
    ``cached_only``, a result not cached fresh raises :class:`NotCached` instead of being computed.
    """
    state = request.app.state
    spec = registry.get(name)
    params = registry.resolve(spec, state.settings, params)  # the key holds every value used
    filters = {k: v for k, v in filters.items() if v is not None}
    key = (name, tuple(sorted(filters.items())), tuple(sorted(params.items())))
    if cached_only:
        hit, value = state.cache.lookup(key)
        if not hit:
            raise NotCached(name)
        return value

    def compute():
        return registry.run(name, state.store, state.settings, filters, params)

    if needs_public_slot(request, spec, filters, params):
        return state.cache.get(key, lambda: in_public_slot(request, compute))
    return state.cache.get(key, compute)


def needs_public_slot(request: Request, spec: registry.Analysis, filters: Mapping[str, Any],
                      params: Mapping[str, Any]) -> bool:
    """Whether computing ``spec`` with ``filters`` and the resolved ``params`` for this request takes a public
    slot: it comes without the API key and asks for other than the defaults."""
    settings = request.app.state.settings
    return not is_default(spec, settings, filters, params) and not key_matches(
        settings, request.headers.get("x-api-key"))


def is_default(spec: registry.Analysis, settings: Settings, filters: Mapping[str, Any],
               params: Mapping[str, Any]) -> bool:
    """Whether an analysis is asked for with no filter and every parameter at this server's default: one result
    per analysis and store state, whoever asks, so computing it costs the same however many ask."""
    return not any(v is not None for v in filters.values()) and all(
        params.get(p.name) == p.default_in(settings) for p in spec.params)


def in_public_slot(request: Request, compute: Callable[[], Any]) -> Any:
    """``compute()`` in one of the slots the server keeps for analyses that requests without the API key ask for
    with parameters or filters of their own (``NEWSGRAPH_PUBLIC_ANALYSIS_SLOTS``), or :class:`AnalysesBusy`.

    Each new seed, window or parameter value is a result no cache holds, so without a bound anyone could keep
    every thread of the server computing; with it they hold at most the slots, and reads go on beside them.
    A client that goes away frees its slot: the analysis stops at its next step (:mod:`engine.cancel`), so
    asking and leaving at once does not keep the slot busy for the whole computation.
    """
    slots = request.app.state.public_analyses
    if not slots.acquire(blocking=False):
        raise AnalysesBusy(request.app.state.settings.public_analysis_slots)
    try:
        with stop_when(client_gone(request)):
            return compute()
    finally:
        slots.release()


def client_gone(request: Request) -> Callable[[], bool]:
    """Whether the client of ``request`` has closed its connection, asked from the thread computing its answer
    (a sync route's worker thread, which may call into the event loop)."""

    def gone() -> bool:
        try:
            return anyio.from_thread.run(request.is_disconnected)
        except RuntimeError:  # not a worker thread of the event loop: nothing says the client left
            return False

    return gone


def check_public_limits(request: Request, spec: registry.Analysis, params: Mapping[str, Any]) -> None:
    """A request without the API key may not ask for more work than the settings' public maxima allow.

    Their cost grows with these values (22 s of CPU for 1000 null models), and a new seed misses the cache.
    """
    settings = request.app.state.settings
    if key_matches(settings, request.headers.get("x-api-key")):
        return
    for p in spec.params:
        limit, value = p.public_limit(settings), params.get(p.name)
        if limit is not None and value is not None and value > limit:
            raise OverPublicLimit(p.name, limit, value)


def story_blindspot(request: Request, story_id: str, *, cached_only: bool = False) -> BlindspotOut | None:
    """The story's blindspot under the server's settings, over the whole store; ``None`` if it is not one.

    With ``cached_only``, :class:`NotCached` when the store-wide result is not cached fresh."""
    try:
        result = run_cached(request, "blindspots", {}, {}, cached_only=cached_only)
    except NotEnoughData:
        return None
    story = result.blindspot(story_id)
    return _blindspot(story, result) if story else None


def _blindspot(s, result) -> BlindspotOut:
    baseline, rule = result.baseline, result.settings
    return BlindspotOut(
        id=s.story_id, title=s.title, weaker_side=s.weaker_side, sources=s.sources, rated_sources=s.rated_sources,
        side_counts=s.side_counts, side_shares=s.side_shares, gap=s.gap, p_value=s.p_value,
        expected=baseline[s.weaker_side] * s.rated_sources, checks=s.checks,
        reason=blindspot_reason(s, baseline, rule))


def _query(p: registry.Param, settings: Settings) -> inspect.Parameter:
    """One analysis parameter as a typed, bounded, documented query parameter."""
    kind: Any = Literal[p.choices] if p.choices else p.type
    bounds: dict[str, Any] = dict(p.bounds)
    if p.type is str and not p.choices:
        bounds.update(min_length=1, max_length=300)
    default = p.default_in(settings)
    description = p.help
    if p.public_limit(settings) is not None:
        description += f" At most {p.public_limit(settings)} without the API key (header X-API-Key)."
    if p.required:
        return inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY,
                                 annotation=Annotated[kind, Query(description=description, **bounds)])
    return inspect.Parameter(p.name, inspect.Parameter.KEYWORD_ONLY, default=default,
                             annotation=Annotated[kind | None, Query(description=description, **bounds)])


def query_signature(spec: registry.Analysis, settings: Settings, *extra: inspect.Parameter) -> inspect.Signature:
    """An endpoint's signature: the request, ``spec``'s story filters and parameters as query parameters, ``extra``."""
    request = inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)
    filters = [inspect.Parameter(f, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=FILTER_QUERIES[f])
               for f in spec.filters]
    return inspect.Signature([request, *filters, *(_query(p, settings) for p in spec.params), *extra])


def split_query(spec: registry.Analysis, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The query values of a :func:`query_signature` endpoint as (the filters given, every parameter)."""
    return ({f: values[f] for f in spec.filters if values.get(f) is not None},
            {p.name: values[p.name] for p in spec.params})


def _analysis_endpoint(spec: registry.Analysis, settings: Settings) -> Callable[..., AnalysisResult]:
    def endpoint(request: Request, **values: Any) -> AnalysisResult:
        filters, params = split_query(spec, values)
        check_public_limits(request, spec, params)
        result = run_cached(request, spec.name, filters, params)
        return AnalysisResult(name=spec.name, parameters=registry.resolve(spec, request.app.state.settings, params),
                              filters=plain(filters), result=plain(result.to_dict()))

    endpoint.__signature__ = query_signature(spec, settings)  # type: ignore[attr-defined]
    endpoint.__name__ = "analysis_" + spec.name.replace("-", "_")
    endpoint.__doc__ = spec.summary
    return endpoint


def blindspot_page(request: Request, *, limit: int, offset: int, filters: Mapping[str, Any] | None = None,
                   params: Mapping[str, Any] | None = None) -> BlindspotFeed:
    """One page of the blindspot feed: strongest first (the order of :func:`engine.analysis.blindspots`)."""
    spec = registry.ANALYSES["blindspots"]
    filters, params = dict(filters or {}), dict(params or {})
    resolved = registry.resolve(spec, request.app.state.settings, params)
    rule = {"min_rated_sources": resolved["min_sources"],
            **{k: resolved[k] for k in ("max_weak_share", "min_gap", "alpha")}}
    try:
        result = run_cached(request, spec.name, filters, params)
    except NotEnoughData:  # nothing matches the filters: an empty feed, not an error
        return BlindspotFeed(data=[], count=0, stories=0, baseline={"left": 0, "center": 0, "right": 0}, rule=rule)
    spots = result.blindspots
    return BlindspotFeed(data=[_blindspot(s, result) for s in spots[offset:offset + limit]], count=len(spots),
                         stories=len(result.stories), baseline=result.baseline, rule=rule)


def _feed_endpoint(settings: Settings) -> Callable[..., BlindspotFeed]:
    spec = registry.ANALYSES["blindspots"]

    def blindspot_feed(request: Request, limit: int, offset: int, **values: Any) -> BlindspotFeed:
        filters, params = split_query(spec, values)
        return blindspot_page(request, limit=limit, offset=offset, filters=filters, params=params)

    page = [inspect.Parameter("limit", inspect.Parameter.KEYWORD_ONLY, default=20, annotation=Limit),
            inspect.Parameter("offset", inspect.Parameter.KEYWORD_ONLY, default=0, annotation=Offset)]
    blindspot_feed.__signature__ = query_signature(spec, settings, *page)  # type: ignore[attr-defined]
    blindspot_feed.__doc__ = ("List blindspots, strongest first, each with its left/center/right counts and "
                              "shares, the weaker side and the parts of the rule.")
    return blindspot_feed


def build_router(settings: Settings) -> APIRouter:
    """The routes, with parameter defaults taken from ``settings`` (so the API documents this server's)."""
    router = APIRouter(tags=["analyses"])
    router.add_api_route("/api/blindspots", _feed_endpoint(settings), methods=["GET"], response_model=BlindspotFeed,
                         summary="List blindspots, strongest first, with each side's coverage and the rule's parts.",
                         responses=documented(400, 503))

    def list_analyses(request: Request) -> Page[AnalysisInfo]:
        """List the analyses with their parameters, defaults and the rows they read."""
        s = request.app.state.settings
        data = [AnalysisInfo(url=f"/api/analyses/{a.name}", **plain(a.describe(s)))
                for a in registry.ANALYSES.values()]
        return Page[AnalysisInfo](data=data, count=len(data))

    router.add_api_route("/api/analyses", list_analyses, methods=["GET"], response_model=Page[AnalysisInfo])
    for spec in registry.ANALYSES.values():
        router.add_api_route(f"/api/analyses/{spec.name}", _analysis_endpoint(spec, settings), methods=["GET"],
                             response_model=AnalysisResult, summary=spec.summary, responses=ERRORS)

    def unknown_analysis(name: str) -> None:
        """Any other name: 404."""
        raise NotFound("analysis", name)

    router.add_api_route("/api/analyses/{name}", unknown_analysis, methods=["GET"], include_in_schema=False)
    return router
