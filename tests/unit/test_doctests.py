"""The docstring examples of every module of the installed package run and pass.

They are collected from ``newsgraph.*`` by import name (not by file path), so each
module is loaded once, under the one name users import it by.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

TOP = ("newsgraph.engine", "newsgraph.api", "newsgraph.graph_schema")
FINDER = doctest.DocTestFinder()


def _examples(name: str) -> list[doctest.DocTest]:
    return [t for t in FINDER.find(importlib.import_module(name)) if t.examples]


def _modules() -> list[str]:
    names = []
    for top in TOP:
        package = importlib.import_module(top)
        names.append(top)
        names += [info.name for info in pkgutil.walk_packages(package.__path__, top + ".")]
    return sorted(names)


MODULES = _modules()


@pytest.mark.parametrize("name", [n for n in MODULES if _examples(n)])
def test_docstring_examples(name):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report: list[str] = []
    for test in _examples(name):
        runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
    assert runner.tries > 0
