# shellcheck shell=bash
# Sourced by tests/run.sh and benches/race.sh. Defines setup_test_venv, which makes
# target/test-venv hold the pytest that ferrotest is compared and raced against, and
# activates it for the caller (VIRTUAL_ENV, PATH), as the differential tests expect; and
# setup_case_venvs, which makes the venvs of the cases that need plugins (see tests/README.md).

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

# A case whose tests/cases/<name>/requirements.txt lists packages (pytest plugins, pinned) runs
# in its own venv, target/case-venvs/<key>, with pytest and those packages: installing a plugin
# into target/test-venv would change every other case (pytest loads installed plugins itself).
# The key is the requirement lines without blanks and comments, whitespace removed, sorted
# bytewise and joined with '+'; tests/differential.rs computes the same key to find the venv.
# Cases with the same requirements share one venv; a venv is made once and kept.
case_venv_key() {
    grep -v -E '^[[:space:]]*(#|$)' "$1" | sed 's/[[:space:]]//g' | LC_ALL=C sort | paste -sd+ -
}

setup_case_venvs() {
    local repo requirements key venv python
    repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    python=$(command -v python3 || command -v python3.11) || {
        echo "error: neither python3 nor python3.11 is on PATH" >&2
        return 1
    }
    for requirements in "$repo"/tests/cases/*/requirements.txt; do
        [[ -f "$requirements" ]] || continue
        key=$(case_venv_key "$requirements")
        venv="$repo/target/case-venvs/$key"
        # The marker is written last, so an interrupted install is redone.
        [[ -f "$venv/installed" && -x "$venv/bin/python" ]] && continue
        "$python" -m venv --clear "$venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
            "pytest==$PYTEST_VERSION" -r "$requirements"
        echo "$key" >"$venv/installed"
    done
}
