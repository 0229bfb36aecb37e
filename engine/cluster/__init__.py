"""NER on a Dask distributed cluster: the workers find entities, the owning process does everything else."""

from newsgraph.engine.cluster.client import ClusterNer, connect, start_local
from newsgraph.engine.cluster.worker import NerModelPlugin, find_entities, loaded_models

__all__ = ["ClusterNer", "NerModelPlugin", "connect", "find_entities", "loaded_models", "start_local"]
