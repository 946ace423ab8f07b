#!/usr/bin/env bash
# The self-check report in a real browser (run by .ci/run, or alone:
# `bash .ci/report.sh`):
#   1. installs what is missing: Debian's chromium and a CJK font
#      (fonts-wqy-microhei), so the Chinese of the report renders;
#   2. runs the browser test: headless Chromium loads the demo report, the
#      test checks the rendered page (no console message, key figures,
#      every section, the charts), takes a screenshot and prints it to PDF
#      on A4, a section a page.
# The screenshot, the PDF and the HTML stay in the target folder
# (target/tmp/report-browser/); the browser profile is a temporary folder
# the test removes. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

# shellcheck source=.ci/apt.sh
source .ci/apt.sh

missing=()
command -v chromium > /dev/null || missing+=(chromium)
fc-list :lang=zh 2> /dev/null | grep -q . || missing+=(fonts-wqy-microhei)
if ((${#missing[@]})); then
    apt_install "${missing[@]}"
fi
chromium --version 2> /dev/null || true

cargo test --locked --all-features --test report -- --include-ignored

echo "report artifacts: ${CARGO_TARGET_DIR:-target}/tmp/report-browser/"
