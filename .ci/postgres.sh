#!/usr/bin/env bash
# The PostgreSQL tests' server (run by .ci/run before the tests, or alone:
# `bash .ci/postgres.sh`): installs Debian's `postgresql` when its server
# binaries (initdb, pg_ctl, postgres) are missing. The tests start and stop
# throwaway clusters of their own in temporary folders (tests/support/pg.rs);
# nothing is started here.
set -euo pipefail

# shellcheck source=.ci/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

have_server() {
    if [[ -n "${GOVSHARE_PG_BIN:-}" && -x "$GOVSHARE_PG_BIN/pg_ctl" ]]; then
        return 0
    fi
    if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
        return 0
    fi
    compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null
}

if have_server; then
    echo "PostgreSQL server binaries found"
else
    echo "PostgreSQL server binaries missing: installing postgresql"
    apt_install postgresql
    have_server || { echo "postgresql installed, but no pg_ctl found" >&2; exit 1; }
fi
