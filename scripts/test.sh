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
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet pip==26.3
.venv/bin/python -m pip install --quiet -c requirements.lock -e '.[dev]'
exec .venv/bin/python -m pytest "$@"
