#!/usr/bin/env bash
# Make Debian's chromium available for the browser tests (tests/browser/).
#
# - /usr/bin/chromium present: nothing to do (fast path, no apt call).
# - missing, root, apt-get present: install it quietly and non-interactively.
# - otherwise: say why and exit 0; the browser tests then skip with a reason that
#   names the missing /usr/bin/chromium.
#
# Playwright's own `playwright install` downloads a browser build from a CDN, which
# this project's machines cannot reach; Debian's package is the one we use.
set -uo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "ensure_chromium: $CHROMIUM is missing and we are not root; browser tests will be skipped." >&2
    echo "ensure_chromium: install it with: sudo apt-get install chromium" >&2
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure_chromium: $CHROMIUM is missing and apt-get is not available; browser tests will be skipped." >&2
    exit 0
fi

echo "ensure_chromium: installing Debian's chromium (apt-get update + install)..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! apt-get update -qq >/dev/null; then
    echo "ensure_chromium: apt-get update failed; browser tests will be skipped." >&2
    exit 0
fi
if ! apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
    echo "ensure_chromium: apt-get install chromium failed; browser tests will be skipped." >&2
    exit 0
fi

if [ -x "$CHROMIUM" ]; then
    echo "ensure_chromium: installed $("$CHROMIUM" --version 2>/dev/null)" >&2
else
    echo "ensure_chromium: chromium installed but $CHROMIUM not found; browser tests will be skipped." >&2
fi
exit 0
