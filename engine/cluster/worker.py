"""What runs inside a Dask worker: the spaCy model, loaded once per worker process, and one NER task.

A worker needs newsgraph and the model installed (``pip install newsgraph``
brings the default model). The task returns raw ``(text, label)`` pairs; the
owning process canonicalises them with its own alias table, so a worker's
settings never change the result.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

_models: dict[str, Any] = {}
_loads: dict[str, int] = {}
_lock = threading.Lock()


def model_for(name: str):
    """The NER pipeline ``name``, loaded the first time a task of this process asks for it.

    The lock also serialises the pipeline's use: spaCy does not promise that one
    pipeline can run in two threads at once (start workers with ``--nthreads 1``).
    """
    with _lock:
        if name not in _models:
            from newsgraph.engine.nlp.extract import load_ner

            _models[name] = load_ner(name)
            _loads[name] = _loads.get(name, 0) + 1
        return _models[name]


def loaded_models() -> dict[str, int]:
    """How many times this process loaded each model (1 each, unless something is wrong)."""
    return dict(_loads)


def find_entities(model: str, texts: list[str], batch_size: int) -> list[list[tuple[str, str]]]:
    """``(text, label)`` of each text's entities, in order: one NER task."""
    from newsgraph.engine.nlp.extract import ents_of

    nlp = model_for(model)
    with _lock:
        return ents_of(nlp, texts, batch_size)


class NerModelPlugin(WorkerPlugin):
    """A Dask worker plugin that loads the model when a worker starts (or joins later), before its first task."""

    name = "newsgraph-ner"

    def __init__(self, model: str):
        self.model = model

    async def setup(self, worker=None) -> None:
        # off the worker's event loop, so that its heartbeats go on while the model loads
        await asyncio.get_running_loop().run_in_executor(None, model_for, self.model)
