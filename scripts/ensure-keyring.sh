#!/usr/bin/env bash
# The real-keyring test (test/adapters/os-keyring-real.test.ts) runs the credential store
# against GNOME Keyring's Secret Service in a private D-Bus session. As root on Debian, install
# both; anywhere else, say that the test will be skipped (it is not needed to build or run).
set -euo pipefail
if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then exit 0; fi
if [ "$(uname -s)" = "Linux" ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian gnome-keyring and dbus for the real-keyring test…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq dbus gnome-keyring >/dev/null
  exit 0
fi
echo "Note: the real-keyring test will be skipped (it needs dbus-run-session and gnome-keyring-daemon on Linux)." >&2
exit 0
