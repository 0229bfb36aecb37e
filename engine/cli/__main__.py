"""``python -m newsgraph.engine.cli ...``: the ``newsgraph`` command."""

from newsgraph.engine.cli.app import main

if __name__ == "__main__":
    main()
