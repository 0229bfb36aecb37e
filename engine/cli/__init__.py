"""The ``newsgraph`` command line (typer): one module per command group, assembled in :mod:`engine.cli.app`."""

from newsgraph.engine.cli.app import app, main

__all__ = ["app", "main"]
