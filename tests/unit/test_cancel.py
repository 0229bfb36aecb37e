"""A long analysis stops at its next step once its caller no longer waits for it, and only then."""

from __future__ import annotations

import pytest

from newsgraph.engine.analysis import bias_clusters, outlet_network
from newsgraph.engine.cancel import checkpoint, stop_when
from newsgraph.engine.errors import Cancelled
from tests.unit.test_analysis_outlet_network import planted


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_stop_test_is_asked_at_most_once_an_interval_and_not_at_once():
    clock, asked = Clock(), []
    with stop_when(lambda: asked.append(clock.now) or False, every=0.5, clock=clock):
        for _ in range(20):
            checkpoint()
            clock.now += 0.125
    assert asked == [0.5, 1.0, 1.5, 2.0]


def test_blocks_nest_and_end():
    with stop_when(lambda: False, every=0.0):
        with stop_when(lambda: True, every=0.0), pytest.raises(Cancelled, match="nobody waits"):
            checkpoint()
        checkpoint()  # the outer test again: not stopped
    checkpoint()


@pytest.mark.parametrize("workers", [1, 2])
def test_bias_clusters_stops_between_randomisations_and_otherwise_answers_the_same(workers):
    net = outlet_network(planted(), seed=7)
    steps = []

    def gone() -> bool:
        steps.append(1)
        return len(steps) > 3

    with stop_when(gone, every=0.0), pytest.raises(Cancelled):
        bias_clusters(net.graph, net.communities, n_random=200, seed=3, workers=workers)
    assert len(steps) == 4  # asked before each of the first randomisations' results, stopped at the fourth
    with stop_when(lambda: False, every=0.0):
        watched = bias_clusters(net.graph, net.communities, n_random=20, seed=3, workers=workers)
    assert watched == bias_clusters(net.graph, net.communities, n_random=20, seed=3, workers=workers)
