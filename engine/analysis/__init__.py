"""NetworkX analyses and coverage summaries: rows or graphs in, frozen dataclasses out."""

from newsgraph.engine.analysis.bias_clusters import BiasClusters, bias_clusters
from newsgraph.engine.analysis.blindspots import Blindspots, StoryBalance, blindspots
from newsgraph.engine.analysis.entities import EntityNetwork, entity_network
from newsgraph.engine.analysis.entity_framing import EntityFraming, entity_framing
from newsgraph.engine.analysis.gaps import Gaps, gaps
from newsgraph.engine.analysis.key_points import KeyPoint, KeyPoints, key_points
from newsgraph.engine.analysis.lead_lag import LeadLag, lead_lag
from newsgraph.engine.analysis.outlet_network import OutletNetwork, outlet_network
from newsgraph.engine.analysis.raters import RaterComparison, raters
from newsgraph.engine.analysis.related_stories import RelatedStory, related_stories
from newsgraph.engine.analysis.story_card import StoryCard, story_card
from newsgraph.engine.analysis.story_sides import SideView, StorySides, story_sides
from newsgraph.engine.analysis.timeline import Timeline, timeline

__all__ = [
    "BiasClusters",
    "Blindspots",
    "EntityFraming",
    "EntityNetwork",
    "Gaps",
    "KeyPoint",
    "KeyPoints",
    "LeadLag",
    "OutletNetwork",
    "RaterComparison",
    "RelatedStory",
    "SideView",
    "StoryBalance",
    "StoryCard",
    "StorySides",
    "Timeline",
    "bias_clusters",
    "blindspots",
    "entity_framing",
    "entity_network",
    "gaps",
    "key_points",
    "lead_lag",
    "outlet_network",
    "raters",
    "related_stories",
    "story_card",
    "story_sides",
    "timeline",
]
