#!/usr/bin/env bash
# The README's test command: every test — unit, service, end-to-end over HTTP and the browser
# journeys in headless Chromium. Installs Debian's chromium and chromium-driver first when
# they are missing (root or sudo needed for that one step). Extra arguments go to cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromedriver ] || [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium and chromium-driver for the browser tests…"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi
exec cargo test --workspace "$@"
