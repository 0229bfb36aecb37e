"""The entity extractor the settings ask for: on a cluster, on worker processes of this machine, or here."""

from __future__ import annotations

from newsgraph.engine.config import Settings
from newsgraph.engine.nlp.extract import MIN_TEXTS_TO_SPLIT, EntityExtractor, default_processes, load_ner


def ner_extractor(settings: Settings, *, processes: int | None = None) -> EntityExtractor:
    """An :class:`~engine.nlp.EntityExtractor` for ``settings``, owning what it starts or connects to.

    ``NEWSGRAPH_CLUSTER`` set: every batch goes to that cluster's workers and
    this process never loads the model. Else ``processes`` (default
    ``NEWSGRAPH_NLP_PROCESSES``, 0 for :func:`~engine.nlp.extract.default_processes`)
    above 1: large batches go to that many worker processes of this machine
    (:class:`~engine.cluster.client.LocalWorkers`), small ones stay here. Else NER runs here.
    """
    from newsgraph.engine.cluster.client import LocalWorkers, connect

    s = settings
    common = {"batch_size": s.nlp_batch_size, "max_chars": s.nlp_max_chars}
    if s.cluster:
        return EntityExtractor(None, cluster=connect(s.cluster, s.spacy_model, s.nlp_batch_size), owns_cluster=True,
                               **common)
    n = processes if processes is not None else (s.nlp_processes or default_processes())
    nlp = load_ner(s.spacy_model)
    if n <= 1:
        return EntityExtractor(nlp, **common)
    return EntityExtractor(nlp, cluster=LocalWorkers(n, s.spacy_model, s.nlp_batch_size),
                           min_texts_to_send=MIN_TEXTS_TO_SPLIT, owns_cluster=True, **common)
