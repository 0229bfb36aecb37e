"""NER on a Dask distributed cluster: the workers find entities, the owning process does everything else."""

from newsgraph.engine.cluster.client import ClusterNer, LocalWorkers, connect, start_local
from newsgraph.engine.cluster.extractor import ner_extractor
from newsgraph.engine.cluster.worker import NerModelPlugin, find_entities, loaded_models

__all__ = ["ClusterNer", "LocalWorkers", "NerModelPlugin", "connect", "find_entities", "loaded_models",
           "ner_extractor", "start_local"]
