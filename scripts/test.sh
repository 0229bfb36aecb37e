#!/usr/bin/env bash
# Set a machine up for the tests and run them (arguments go to pytest):
# Debian's Chromium when missing, a virtual environment in .venv with the package and
# its test extras at the versions of requirements.lock, then the whole suite. The tests
# build and start the local Neo4j themselves (Java 17 and Maven must be on the machine).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium >/dev/null
fi
if [ -z "${NEWSGRAPH_TEST_NEO4J:-}" ]; then
    # the tests under tests/neo4j build and start a local Neo4j: say up front what is missing for it
    java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1 || true)
    if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
        echo "warning: tests/neo4j needs Java 17 or newer (found: ${java_major:-none}); install it or set NEWSGRAPH_TEST_NEO4J=bolt://..." >&2
    fi
    command -v mvn >/dev/null || echo "warning: tests/neo4j needs Maven (mvn) to build the local Neo4j once; install it or set NEWSGRAPH_TEST_NEO4J=bolt://..." >&2
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet pip==26.3
.venv/bin/python -m pip install --quiet -c requirements.lock -e '.[dev]'
exec .venv/bin/python -m pytest "$@"
