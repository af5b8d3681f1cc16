#!/usr/bin/env bash
# The console tests drive Debian's Chromium (Playwright never downloads a browser here), with
# a CJK font so the Chinese console renders (and its screenshots read) as people see it.
set -eu
have_font() { fc-list 2>/dev/null | grep -qi "wqy\|noto sans cjk"; }
if { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; } && have_font; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Chromium or a CJK font is missing: run 'sudo apt-get install chromium fonts-wqy-microhei'" \
       "(needed by the console tests)" >&2
  exit 1
fi
echo "installing Chromium and fonts-wqy-microhei for the console tests"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
