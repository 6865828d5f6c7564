# shellcheck shell=bash
# Sourced by tests/run.sh and benches/race.sh. Defines setup_test_venv, which makes
# target/test-venv hold the pytest that ferrotest is compared and raced against, and
# activates it for the caller (VIRTUAL_ENV, PATH), as the differential tests expect.

PYTEST_VERSION=9.2.0

setup_test_venv() {
    local repo venv python
    repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    venv="$repo/target/test-venv"
    # A venv whose interpreter is gone (Python upgraded or removed) is rebuilt from scratch.
    if [[ ! -x "$venv/bin/python" ]]; then
        python=$(command -v python3 || command -v python3.11) || {
            echo "error: neither python3 nor python3.11 is on PATH" >&2
            return 1
        }
        "$python" -m venv --clear "$venv"
    fi
    # pip is slow even when there is nothing to do, so ask importlib first.
    if [[ "$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("pytest"))' 2>/dev/null)" != "$PYTEST_VERSION" ]]; then
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "pytest==$PYTEST_VERSION"
    fi
    export VIRTUAL_ENV="$venv"
    export PATH="$venv/bin:$PATH"
}
