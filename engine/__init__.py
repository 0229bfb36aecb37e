"""newsgraph engine: everything that is not HTTP."""

from importlib.metadata import version

# the one version is pyproject.toml's; the installed package's metadata carries it
__version__ = version("newsgraph")
