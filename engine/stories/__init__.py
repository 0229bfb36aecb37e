"""Incremental clustering of articles into stories, and how to score it."""

from newsgraph.engine.stories.clusterer import StoryCandidate, StoryClusterer, story_id_for
from newsgraph.engine.stories.metrics import ClusteringScores, clustering_scores

__all__ = ["ClusteringScores", "StoryCandidate", "StoryClusterer", "clustering_scores", "story_id_for"]
