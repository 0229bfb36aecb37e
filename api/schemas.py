"""Response and request models of the JSON API (typed, so OpenAPI documents them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from newsgraph.engine.models import Bias, Factuality, Ownership

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: ``data`` holds at most ``limit`` rows, ``count`` all that match."""

    data: list[T]
    count: int = Field(description="How many rows match, over all pages.")


# -- stories ------------------------------------------------------------------
class StorySummary(BaseModel):
    """A story in a list."""

    id: str
    title: str | None
    first_published: datetime | None
    last_published: datetime | None
    article_count: int | None
    source_count: int | None


class EntityStory(StorySummary):
    """A story about an entity; ``weight`` is the share of its articles that mention it."""

    weight: float | None = None


class TiedSource(BaseModel):
    """A source that published at the same time as the first report."""

    outlet_id: str | None
    outlet_name: str | None


class FirstReport(BaseModel):
    """Who published a story's first article, and when."""

    outlet_id: str | None
    outlet_name: str | None
    published_at: datetime
    tied_with: list[TiedSource] = Field(description="Other sources that published at the same time.")


class StoryEntity(BaseModel):
    """An entity of a story; ``weight`` is the share of its articles that mention it."""

    id: str
    name: str | None
    type: str | None
    weight: float | None


class CardArticle(BaseModel):
    """An article of a story with its outlet's ratings."""

    id: str
    title: str | None
    url: str | None
    published_at: datetime
    outlet_id: str | None
    outlet_name: str | None
    bias: str
    factuality: str


class KeyPointOutlet(BaseModel):
    """An outlet carrying a key point, with its side."""

    id: str
    name: str
    side: str


class KeyPointOut(BaseModel):
    """A key point: a sentence of a stored article, with the outlets whose articles carry it."""

    text: str = Field(description="Verbatim a sentence (or a headline) of the article ``article_id``.")
    article_id: str
    sources: list[str] = Field(description="Ids of the outlets carrying the sentence or a close paraphrase.")
    sides: list[str] = Field(description="The sides of those outlets (left, center, right, unrated).")
    outlets: list[KeyPointOutlet]
    score: float = Field(description="The sentence's PageRank in the story's sentence graph.")


class DistinctiveTerm(BaseModel):
    """A term or entity one side uses more than the others in a story (log-odds with a Dirichlet prior)."""

    term: str
    kind: Literal["term", "entity"]
    count: int = Field(description="Times this side's articles use it.")
    others: int = Field(description="Times the other sides' articles use it.")
    log_odds: float
    z: float


class SideOut(BaseModel):
    """How one side tells a story."""

    side: str
    articles: int
    words: int
    headline: str | None = Field(description="Headline of the side's most central article.")
    article_id: str | None
    outlet: str | None
    distinctive_terms: list[DistinctiveTerm]
    only_here: list[str] = Field(description="Key points only this side's outlets carry.")
    note: str | None = Field(description="Why terms are not compared (no articles, too few words), if so.")


class RelatedEntity(BaseModel):
    """An entity two stories share."""

    id: str
    name: str


class RelatedStoryOut(BaseModel):
    """A story related by shared distinctive entities."""

    id: str
    title: str
    first_published: datetime | None
    source_count: int
    score: float
    shared_entities: list[RelatedEntity]

class CardCopy(BaseModel):
    """A wire copy among a story's articles: an article whose text is mostly an earlier one's."""

    article_id: str
    copy_of: str = Field(description="The earliest article it matches.")
    original_id: str = Field(description="The first article of the chain (copy_of, unless that is a copy too).")
    overlap: float = Field(description="Share of the copy's word 5-grams that the original has (0-1).")
    outlet_id: str | None
    outlet_name: str | None
    title: str | None
    original_outlet_id: str | None
    original_outlet_name: str | None
    original_title: str | None
    original_in_story: bool


class StoryCardOut(BaseModel):
    """A story's coverage by bias, factuality and ownership of its sources (distinct outlets)."""

    id: str
    title: str
    headline: str = Field(description='Plain-language summary, e.g. "44% of the sources are Center".')
    first_published: datetime | None
    last_published: datetime | None
    article_count: int
    source_count: int
    bias_counts: dict[str, int] = Field(description="Sources by 5-point bias, with unrated.")
    side_counts: dict[str, int] = Field(description="Rated sources by side: left, center, right.")
    side_shares: dict[str, float] = Field(description="Each side's share of the rated sources (0-1).")
    rated_sources: int
    unrated_sources: int
    factuality_counts: dict[str, int]
    ownership_counts: dict[str, int]
    first_reported_by: FirstReport | None
    top_entities: list[StoryEntity]
    articles: list[CardArticle]
    key_points: list[KeyPointOut] = Field(default_factory=list, description=(
        "3-5 sentences of the story's own articles, in order of first appearance, each with the outlets "
        "carrying it or a close paraphrase (empty for a one-article story)."))
    key_points_from_headlines: bool = Field(False, description="The points are headlines: no article had body text.")
    sides: dict[str, SideOut] = Field(default_factory=dict, description="How left, center and right tell the story.")
    related: list[RelatedStoryOut] = Field(default_factory=list, description=(
        "Other stories sharing this story's most distinctive entities, within the related-stories window."))
    sections_computed_at: str | None = Field(None, description=(
        "When the key points and sides were computed (ISO 8601 UTC): when the story last changed, at ingest "
        "normally; the store keeps them, so showing the story does not compute them."))
    original_reports: int = Field(description="Articles that are not wire copies of another article.")
    copies: list[CardCopy] = Field(description="The wire copies among the articles, in publication order.")
    counted: str = Field(description='What the bias counts count: "all sources" or "original reports".')


# -- outlets ------------------------------------------------------------------
class OutletSummary(BaseModel):
    """An outlet in a list, with its effective ratings and counts."""

    id: str
    name: str | None
    bias: str
    bias_score: float | None
    factuality: str
    ownership: str
    country: str | None
    rating_source: str | None
    articles: int
    stories: int


class EntityCount(BaseModel):
    """An entity with how many of the articles in question mention it."""

    id: str
    name: str | None
    type: str | None
    articles: int


class OutletNeighbour(BaseModel):
    """Another outlet that covered the same stories."""

    id: str
    name: str | None
    bias: str | None
    shared_stories: int


class OutletProfile(OutletSummary):
    """One outlet: ratings by rater, stories covered, top entities, co-coverage neighbours."""

    aliases: list[str]
    ratings: dict[str, dict[str, Any]] = Field(description="Each rater's own verdict.")
    latest_stories: list[StorySummary]
    top_entities: list[EntityCount]
    neighbours: list[OutletNeighbour] = Field(description="Outlets covering the most stories in common.")
    neighbours_by_bias: dict[str, int] = Field(description="All co-covering outlets, counted by 5-point bias.")
    neighbours_by_side: dict[str, int] = Field(description="All co-covering rated outlets, counted by side.")


class RatingIn(BaseModel):
    """One rater's verdict on one outlet; ``domain`` or ``name`` identifies the outlet."""

    model_config = ConfigDict(extra="forbid")

    domain: str | None = Field(None, max_length=253, examples=["reuters.com"])
    name: str | None = Field(None, max_length=300, examples=["Reuters"])
    bias: Bias = Bias.UNRATED
    bias_score: float | None = Field(None, ge=-2, le=2, allow_inf_nan=False)
    factuality: Factuality = Factuality.UNRATED
    ownership: Ownership | None = None
    country: str | None = Field(None, max_length=100)
    rater: str = Field("api", min_length=1, max_length=50, description="Whose verdict this is.")


class RatingsIn(BaseModel):
    """A batch of outlet ratings."""

    model_config = ConfigDict(extra="forbid")

    ratings: list[RatingIn] = Field(min_length=1)


class RatingsImportOut(BaseModel):
    """What a ratings import changed and what it could not place."""

    outlets: list[str] = Field(description="Ids of outlets created or changed.")
    matched: int
    unmatched: list[str]
    skipped: list[str]
    rejected: list[str]


# -- entities -----------------------------------------------------------------
class EntitySummary(BaseModel):
    """An entity with how many articles mention it and how many stories are about it."""

    id: str
    name: str | None
    type: str | None
    articles: int
    stories: int


class EntityNode(EntitySummary):
    """The entity asked for."""

    aliases: list[str]


class Neighbour(BaseModel):
    """An entity mentioned together with another; ``weight`` counts the articles mentioning both."""

    id: str
    name: str | None
    type: str | None
    weight: int


class Link(BaseModel):
    """Two entities of a neighbourhood mentioned together in ``weight`` articles."""

    source: str
    target: str
    weight: int


class EntityOutlet(BaseModel):
    """An outlet that mentions an entity, in ``articles`` articles."""

    id: str
    name: str | None
    bias: str | None
    articles: int


class EntityDetail(BaseModel):
    """An entity with its neighbourhood: co-mentioned entities, links among them, stories, outlets."""

    entity: EntityNode
    neighbours: list[Neighbour]
    links: list[Link]
    stories: list[EntityStory]
    outlets: list[EntityOutlet]


# -- articles -----------------------------------------------------------------
class ArticlesIn(BaseModel):
    """A batch of articles in the canonical JSON format (see docs/input-format.md)."""

    articles: list[dict[str, Any]] = Field(
        min_length=1,
        description="Canonical article records: url, title, published_at, outlet, lead, text, ...",
        examples=[[{"url": "https://example.com/a", "title": "A headline", "published_at": "2025-04-01T08:00:00Z"}]],
    )


class IngestReportOut(BaseModel):
    """What one ingest did; ``problems`` name each rejected record as ``articles[i]: why``."""

    read: int
    stored: int
    duplicates: int
    already_stored: int
    rejected: int
    stories_new: int
    stories_touched: int
    problems: list[str]
    duplicate_notes: list[str]
    notes: list[str] = Field(default_factory=list, description="Fields cut to their caps, as `articles[i]: what`.")


# -- blindspots and analyses -------------------------------------------------
class SideCounts(BaseModel):
    """Rated sources (distinct outlets) of each side."""

    left: int
    center: int
    right: int


class SideShares(BaseModel):
    """Each side's share (0-1) of the rated sources."""

    left: float
    center: float
    right: float


class BlindspotChecks(BaseModel):
    """The four parts of the blindspot rule for one story; a blindspot passes all of them."""

    min_rated_sources: bool = Field(description="It has at least the rule's minimum of rated sources.")
    weak_share: bool = Field(description="The weaker side's share is at most the rule's maximum.")
    gap: bool = Field(description="The left-right gap is at least the rule's minimum.")
    significant: bool = Field(description="The binomial test against the corpus baseline is below alpha.")


class BlindspotRule(BaseModel):
    """The thresholds the blindspots were found with."""

    min_rated_sources: int
    max_weak_share: float
    min_gap: float
    alpha: float


class BlindspotOut(BaseModel):
    """A story one side barely covers: its coverage by side, the weaker side and why it is a blindspot."""

    id: str
    title: str
    weaker_side: Literal["left", "right"]
    sources: int = Field(description="Distinct outlets, rated or not.")
    rated_sources: int
    side_counts: SideCounts
    side_shares: SideShares
    gap: float = Field(description="Difference of the left and right shares (0-1).")
    p_value: float = Field(description="P(weaker side this small) under the corpus baseline share (binomial).")
    expected: float = Field(description="Sources of the weaker side the corpus baseline share would give.")
    checks: BlindspotChecks
    reason: str = Field(description="The rule's parts in words, with this story's figures.")


class BlindspotFeed(Page[BlindspotOut]):
    """Blindspots, strongest first (largest gap, then smallest p-value), with the baseline and the rule."""

    stories: int = Field(description="Stories examined (those the filters match).")
    baseline: SideShares = Field(description="Each side's share of all rated coverage in the examined stories.")
    rule: BlindspotRule


class ParameterInfo(BaseModel):
    """One parameter of an analysis, given as a query parameter of the same name."""

    name: str
    type: Literal["int", "float", "str", "bool"]
    default: Any = Field(description="This server's default (from its settings), used when not given.")
    required: bool
    choices: list[str] | None
    help: str
    setting: str | None = Field(description="The setting (environment variable) the default comes from.")


class AnalysisInfo(BaseModel):
    """An analysis: what it reads, the filters and parameters it takes, where to run it."""

    name: str
    summary: str
    url: str
    rows: list[str] = Field(description="Which rows of the store it reads: coverage, mentions, articles, outlets.")
    filters: list[str] = Field(description="Story filters it takes: since, until, entity, outlet.")
    parameters: list[ParameterInfo]


class AnalysisResult(BaseModel):
    """One analysis run: the parameters and filters used, and its result (as ``newsgraph analyze NAME --json``)."""

    name: str
    parameters: dict[str, Any]
    filters: dict[str, Any]
    result: dict[str, Any]


class ErrorOut(BaseModel):
    """An error: what went wrong, and its kind; a missing node also names its kind and id."""

    detail: str
    error: str
    kind: str | None = None
    id: str | None = None


# -- health -------------------------------------------------------------------
class Health(BaseModel):
    """The server is up and its store answers."""

    status: str
    store: str = Field(description="The store's backend: sqlite or neo4j.")
    writes: bool = Field(description="Whether writes are on (an API key is set).")
    nodes: dict[str, int]
