"""NetworkX analyses and coverage summaries: rows or graphs in, frozen dataclasses out."""

from engine.analysis.story_card import StoryCard, story_card

__all__ = ["StoryCard", "story_card"]
