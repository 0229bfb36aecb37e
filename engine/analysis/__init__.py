"""NetworkX analyses and coverage summaries: rows or graphs in, frozen dataclasses out."""

from engine.analysis.bias_clusters import BiasClusters, bias_clusters
from engine.analysis.blindspots import Blindspots, StoryBalance, blindspots
from engine.analysis.entities import EntityNetwork, entity_network
from engine.analysis.entity_framing import EntityFraming, entity_framing
from engine.analysis.gaps import Gaps, gaps
from engine.analysis.lead_lag import LeadLag, lead_lag
from engine.analysis.outlet_network import OutletNetwork, outlet_network
from engine.analysis.raters import RaterComparison, raters
from engine.analysis.story_card import StoryCard, story_card
from engine.analysis.timeline import Timeline, timeline

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
