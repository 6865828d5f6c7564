#!/usr/bin/env bash
# Races pytest against a release build of ferrotest on generated suites (see benches/README.md).
# Usage: benches/race.sh [KIND N]...   adds suites to the default ones: simple 5000, simple 1.
# RUNS sets the timed rounds per command (default 5; race.py adds one warm-up round).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
repo=$PWD
bench_tools="$repo/../shared/bench"

if (($# % 2)); then
    echo "usage: $0 [KIND N]...   (KIND: simple, param, fixtures, classes, mixed)" >&2
    exit 2
fi
suites=(simple 5000 simple 1 "$@")

# shellcheck source=tests/venv.sh
source tests/venv.sh
setup_test_venv
cargo build --release -p ferrotest-cli

# Both runners inherit this one setting. When bytecode writing is on, the warm-up round
# leaves __pycache__ behind, so the timed rounds measure warm imports.
if [[ -v PYTHONDONTWRITEBYTECODE ]]; then
    export PYTHONDONTWRITEBYTECODE
    echo "measuring with PYTHONDONTWRITEBYTECODE=$PYTHONDONTWRITEBYTECODE (from the environment)"
else
    echo "measuring with PYTHONDONTWRITEBYTECODE unset: bytecode is cached (export it to change that)"
fi

# Suites live outside the repository, so no pytest.ini, pyproject.toml or conftest.py
# above them can change what either runner does.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pytest_cmd="$(printf %q "$VIRTUAL_ENV/bin/python") -m pytest"
ferrotest=$(printf %q "$repo/target/release/ferrotest")
# The fork servers of this race live (and idle out a minute after it) beside its suites.
export FERROTEST_SERVER_DIR="$work/servers" FERROTEST_SERVER_IDLE=60
# ferrotest as users run it twice: forked from a warm server (which the warm-up round starts).
served_cmd="FERROTEST_SERVER=always $ferrotest"
# The first run in an environment, or FERROTEST_SERVER=off: CPython starts in the process.
in_process_cmd="FERROTEST_SERVER=off $ferrotest"
# In-process with an empty code cache on every run: each module is read, rewritten and
# compiled afresh, as on the first run after a checkout (the other lines reuse the cache the
# warm-up round filled).
cold_cmd="cache=\$(mktemp -d) && FERROTEST_CACHE_DIR=\$cache $in_process_cmd"
for ((i = 0; i < ${#suites[@]}; i += 2)); do
    kind=${suites[i]} count=${suites[i + 1]}
    suite="$work/$kind-$count"
    python "$bench_tools/gen_suite.py" "$kind" "$count" "$suite"
    for mode in "--collect-only -q" "-q"; do
        echo "== $kind $count: $mode  (speedup = pytest median / ferrotest median)"
        python "$bench_tools/race.py" --runs "${RUNS:-5}" --cwd "$suite" \
            "pytest=$pytest_cmd $mode" "ferrotest=$served_cmd $mode" \
            "ferrotest-in-process=$in_process_cmd $mode" "ferrotest-cold=$cold_cmd $mode; rm -rf \$cache"
    done
done
