#!/usr/bin/env bash
# The one command that runs ferrotest's whole test suite (CI runs it through .ci/run):
# the executor's Python-side tests, then the Rust tests of every workspace member, which
# include the differential end-to-end tests against pytest (tests/differential.rs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=tests/venv.sh
source tests/venv.sh
setup_test_venv
setup_case_venvs

# The differential tests run target/debug/ferrotest, which only a build of the default
# members (crates/*) produces: `cargo test` builds test targets, not other packages' binaries.
cargo build

failed=0

# The executor's Python side, tested like any other code (and never allowed to collect nothing).
python -m pytest crates/executor/python/tests -q || failed=1

# nextest does not run doctests (the crate-level usage examples).
cargo test --workspace --doc --quiet || failed=1

# Rust tests last, so their summary is the run's closing line.
if cargo nextest --version >/dev/null 2>&1; then
    cargo nextest run --workspace --no-fail-fast || failed=1
else
    cargo test --workspace --no-fail-fast || failed=1
fi

exit "$failed"
