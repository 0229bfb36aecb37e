"""newsgraph engine: everything that is not HTTP."""

__version__ = "0.1.0"
