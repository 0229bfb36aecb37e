"""NetworkX analyses and coverage summaries: rows or graphs in, frozen dataclasses out."""

from newsgraph.engine.analysis.bias_clusters import BiasClusters, bias_clusters
from newsgraph.engine.analysis.blindspots import Blindspots, StoryBalance, blindspots
from newsgraph.engine.analysis.entities import EntityNetwork, entity_network
from newsgraph.engine.analysis.entity_framing import EntityFraming, entity_framing
from newsgraph.engine.analysis.gaps import Gaps, gaps
from newsgraph.engine.analysis.lead_lag import LeadLag, lead_lag
from newsgraph.engine.analysis.outlet_network import OutletNetwork, outlet_network
from newsgraph.engine.analysis.raters import RaterComparison, raters
from newsgraph.engine.analysis.story_card import StoryCard, story_card
from newsgraph.engine.analysis.timeline import Timeline, timeline

__all__ = [
    "BiasClusters",
    "Blindspots",
    "EntityFraming",
    "EntityNetwork",
    "Gaps",
    "LeadLag",
    "OutletNetwork",
    "RaterComparison",
    "StoryBalance",
    "StoryCard",
    "Timeline",
    "bias_clusters",
    "blindspots",
    "entity_framing",
    "entity_network",
    "gaps",
    "lead_lag",
    "outlet_network",
    "raters",
    "story_card",
    "timeline",
]
