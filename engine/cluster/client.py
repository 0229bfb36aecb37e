"""The owning process's side of cluster NER: bounded batches of texts sent to Dask workers, results in order.

Connect to a running scheduler (``dask scheduler`` and ``dask worker``
processes on any machines, or ``newsgraph cluster local``) with
:func:`connect`, or start one on this machine with :func:`start_local`.
A worker that dies while it holds a task costs that task a retry on another
worker (the scheduler re-runs it; a task whose workers died
``RETRIES_ON_LOST_WORKER`` more times is sent again from here), not the run.
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass
from typing import Sequence

from newsgraph.engine.errors import ClusterUnavailable

# texts per NER task (64 articles: title and body): a lost worker costs little, sending a task next to nothing
TASK_TEXTS = 128
# how often the owning process sends a task again after the scheduler gave up on it because its workers died
RETRIES_ON_LOST_WORKER = 3
CONNECT_TIMEOUT = 30.0


def _lost_worker_errors() -> tuple[type[BaseException], ...]:
    from distributed.comm.core import CommClosedError
    from distributed.scheduler import KilledWorker

    return (KilledWorker, CommClosedError)


@dataclass
class Pending:
    """NER of one batch of texts, running on the cluster; :meth:`result` waits for it."""

    owner: "ClusterNer"
    parts: list[list[str]]
    futures: list

    def result(self) -> list[list[tuple[str, str]]]:
        out: list[list[tuple[str, str]]] = []
        for i, fut in enumerate(self.futures):
            out.extend(self.owner._wait(fut, self.parts[i]))
        return out


class ClusterNer:
    """NER tasks on the workers of one Dask cluster.

    Parameters
    ----------
    client : distributed.Client
        Connected to the cluster's scheduler; closed with this object.
    model : str
        The spaCy model every worker loads (once; see :class:`~engine.cluster.worker.NerModelPlugin`).
    batch_size : int
        Texts per ``nlp.pipe`` batch on a worker.
    cluster : distributed.LocalCluster, optional
        A cluster this object started, and stops when it is closed.
    """

    def __init__(self, client, model: str, batch_size: int, *, cluster=None):
        from newsgraph.engine.cluster.worker import NerModelPlugin

        self.client = client
        self.model = model
        self.batch_size = batch_size
        self._cluster = cluster
        try:
            client.register_plugin(NerModelPlugin(model), name=f"newsgraph-ner-{model}")
        except Exception as e:  # noqa: BLE001 - whatever a worker says, it is the cluster's problem, said once
            self.close()
            raise ClusterUnavailable(f"the Dask workers at {self.address} cannot load the spaCy model {model!r}: "
                                     f"{' '.join(str(e).split())[:300]} (install newsgraph and the model on "
                                     "every worker)") from e
        weakref.finalize(self, _close, client, cluster)

    @property
    def address(self) -> str:
        return self.client.scheduler.address

    @property
    def workers(self) -> int:
        """Workers the scheduler has now."""
        return len(self.client.scheduler_info(n_workers=-1).get("workers", {}))

    def submit(self, texts: Sequence[str]) -> Pending:
        """Send ``texts`` to the workers, in tasks of :data:`TASK_TEXTS`; returns at once."""
        from newsgraph.engine.cluster.worker import find_entities

        parts = [list(texts[i:i + TASK_TEXTS]) for i in range(0, len(texts), TASK_TEXTS)]
        futures = [self.client.submit(find_entities, self.model, part, self.batch_size, pure=False)
                   for part in parts]
        return Pending(self, parts, futures)

    def _wait(self, future, texts: list[str]) -> list[list[tuple[str, str]]]:
        from newsgraph.engine.cluster.worker import find_entities

        lost = _lost_worker_errors()
        for attempt in range(RETRIES_ON_LOST_WORKER + 1):
            try:
                return future.result()
            except lost as e:
                if attempt == RETRIES_ON_LOST_WORKER:
                    raise ClusterUnavailable(f"NER on the Dask cluster at {self.address} failed: workers kept "
                                             f"dying ({type(e).__name__}: {' '.join(str(e).split())[:200]})") from e
                future = self.client.submit(find_entities, self.model, texts, self.batch_size, pure=False)
            except OSError as e:
                raise ClusterUnavailable(f"lost the Dask scheduler at {self.address}: {e}") from e
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Disconnect; stop the cluster too when this object started it."""
        _close(self.client, self._cluster)
        self._cluster = None


def _close(client, cluster) -> None:
    try:
        client.close()
    finally:
        if cluster is not None:
            cluster.close()


def connect(address: str, model: str, batch_size: int) -> ClusterNer:
    """:class:`ClusterNer` on the scheduler at ``address`` (``tcp://HOST:8786``).

    Raises :class:`~engine.errors.ClusterUnavailable` naming the address when it cannot be reached.
    """
    import socket

    from distributed import Client

    hint = "(start one with `newsgraph cluster local` or `dask scheduler` and `dask worker`)"
    scheme, _, rest = address.partition("://")
    host, _, port = rest.rpartition(":")
    if scheme not in ("tcp", "tls") or not host or not port.isdigit():
        raise ClusterUnavailable(f"{address!r} is not a Dask scheduler address: use tcp://HOST:PORT {hint}")
    # a scheduler that is not there is said at once: a failed Client lingers and blocks the exit for a minute
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT).close()
    except OSError as e:
        raise ClusterUnavailable(f"cannot reach the Dask scheduler at {address}: {e.strerror or e} {hint}") from e
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:
        raise ClusterUnavailable(f"cannot reach the Dask scheduler at {address}: "
                                 f"{' '.join(str(e).split())[:200]} {hint}") from e
    return ClusterNer(client, model, batch_size)


def local_cluster(workers: int, *, host: str = "127.0.0.1", port: int = 0):
    """A Dask scheduler and ``workers`` worker processes (one thread each) on this machine."""
    from distributed import LocalCluster

    # no dashboard; the scheduler's small HTTP server (health checks) on any free port, not on 8787
    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host=host, scheduler_port=port,
                        dashboard_address=None, scheduler_kwargs={"dashboard_address": f"{host}:0"},
                        silence_logs=logging.ERROR)


def start_local(workers: int, model: str, batch_size: int) -> ClusterNer:
    """:class:`ClusterNer` on a cluster of ``workers`` processes started here and stopped with it."""
    from distributed import Client

    cluster = local_cluster(workers)
    try:
        client = Client(cluster, set_as_default=False)
    except BaseException:
        cluster.close()
        raise
    return ClusterNer(client, model, batch_size, cluster=cluster)


class LocalWorkers:
    """``workers`` NER processes of this machine, as a local Dask cluster started on the first batch sent.

    What ``NEWSGRAPH_NLP_PROCESSES`` asks for: the same path as a cluster of
    many machines, so there is one way of running NER in parallel.
    """

    def __init__(self, workers: int, model: str, batch_size: int):
        self._n, self.model, self.batch_size = workers, model, batch_size
        self.started: ClusterNer | None = None

    @property
    def workers(self) -> int:
        return self._n

    @property
    def client(self):
        return self.started.client if self.started is not None else None

    def submit(self, texts: Sequence[str]) -> Pending:
        if self.started is None:
            self.started = start_local(self._n, self.model, self.batch_size)
        return self.started.submit(texts)

    def close(self) -> None:
        if self.started is not None:
            self.started.close()
            self.started = None
