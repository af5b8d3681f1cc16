#!/usr/bin/env bash
# The console tests drive Debian's Chromium (Playwright never downloads a browser here).
set -eu
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium is missing: run 'sudo apt-get install chromium' (needed by the console tests)" >&2
  exit 1
fi
echo "installing Chromium for the console tests"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium >/dev/null
