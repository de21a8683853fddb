#!/bin/sh
# Install Debian's Chromium for the browser tests (tests/web, marked "browser") when missing.
# Playwright drives it through executable_path=/usr/bin/chromium; `playwright install` is not
# used (it downloads its own browser, which needs the network beyond the package registry).
set -eu
if [ -x /usr/bin/chromium ]; then
    echo "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "no apt-get here: install Chromium at /usr/bin/chromium yourself;" \
         "the browser tests are skipped without it" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "not root and no sudo: cannot install chromium; the browser tests will be skipped" >&2
        exit 0
    fi
fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends chromium
/usr/bin/chromium --version
