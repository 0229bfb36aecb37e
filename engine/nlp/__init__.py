"""spaCy NER and entity canonicalisation."""

from newsgraph.engine.nlp.canonical import canonical_entity, clean_surface, slugify
from newsgraph.engine.nlp.extract import ArticleEntities, EntityExtractor, load_ner

__all__ = ["ArticleEntities", "EntityExtractor", "canonical_entity", "clean_surface", "load_ner", "slugify"]
