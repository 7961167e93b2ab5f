#!/usr/bin/env bash
# The UI tests drive a real Chromium (Debian's package; Playwright's own browser download
# is not possible here). Use PLAYWRIGHT_CHROMIUM_PATH or a chromium on PATH; as root on
# Debian, install it; otherwise say exactly what is missing.
set -euo pipefail
# A path given explicitly is trusted as it is (Git Bash on Windows cannot test C:\ paths with -x);
# the UI tests fail with a clear message if it is wrong.
if [ -n "${PLAYWRIGHT_CHROMIUM_PATH:-}" ]; then exit 0; fi
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian chromium for the UI tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "The UI tests need Chromium: install it (Debian: apt-get install chromium) or set PLAYWRIGHT_CHROMIUM_PATH." >&2
exit 1
