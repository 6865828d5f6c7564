# shellcheck shell=bash
# Sourced by tests/run.sh and benches/race.sh. Defines setup_test_venv, which makes
# target/test-venv hold the pytest that ferrotest is compared and raced against, and
# activates it for the caller (VIRTUAL_ENV, PATH), as the differential tests expect.
#
# It also makes one venv per distinct tests/cases/*/requirements.txt (plugins such as
# pytest-mock, pinned exactly): target/test-venvs/<its pins, sorted, joined by +>, which
# the differential test runs those cases in (see tests/README.md). Plugins never go into
# target/test-venv itself: pytest autoloads every plugin installed beside it, in every case.

PYTEST_VERSION=9.2.0

setup_test_venv() {
    local repo requirements key
    repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    _ensure_venv "$repo/target/test-venv" "pytest==$PYTEST_VERSION" || return 1
    for requirements in "$repo"/tests/cases/*/requirements.txt; do
        [[ -e "$requirements" ]] || continue
        key=$(case_venv_key "$requirements")
        # Word splitting is meant: the key's pins, one argument each.
        # shellcheck disable=SC2046
        _ensure_venv "$repo/target/test-venvs/$key" "pytest==$PYTEST_VERSION" $(tr '+' ' ' <<<"$key") || return 1
    done
    export VIRTUAL_ENV="$repo/target/test-venv"
    export PATH="$VIRTUAL_ENV/bin:$PATH"
}

# The name of a case's venv: its requirements without comments and blanks, sorted, joined
# by '+' (tests/differential.rs computes the same).
case_venv_key() {
    sed -e 's/#.*//' -e 's/[[:space:]]//g' "$1" | grep -v '^$' | LC_ALL=C sort | paste -sd+ -
}

# _ensure_venv DIR PIN...: a venv at DIR with each `name==version` PIN installed.
_ensure_venv() {
    local venv=$1 python
    shift
    # A venv whose interpreter is gone (Python upgraded or removed) is rebuilt from scratch.
    if [[ ! -x "$venv/bin/python" ]]; then
        python=$(command -v python3 || command -v python3.11) || {
            echo "error: neither python3 nor python3.11 is on PATH" >&2
            return 1
        }
        "$python" -m venv --clear "$venv" || return 1
    fi
    # pip is slow even when there is nothing to do, so ask importlib first.
    if ! "$venv/bin/python" - "$@" 2>/dev/null <<'EOF'; then
import importlib.metadata as metadata
import sys

for pin in sys.argv[1:]:
    name, _, version = pin.partition("==")
    if metadata.version(name) != version:
        sys.exit(1)
EOF
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" || return 1
    fi
}
