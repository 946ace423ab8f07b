#!/usr/bin/env bash
# The crash test with more runs than CI's: `govshare apply` and
# `govshare decide --record` killed at random moments against one store,
# checking every acknowledged change is present and every unacknowledged
# one absent or recognised on retry. Usage: scripts/crash-test.sh [RUNS]
# (runs of each command; default 2000). GOVSHARE_CRASH_SEED repeats a run.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOVSHARE_CRASH_RUNS="${1:-2000}"
cargo test --locked --all-features --test crash -- --nocapture
