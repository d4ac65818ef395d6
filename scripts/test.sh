#!/usr/bin/env bash
# The README's test command: every test — unit, service, end-to-end over HTTP and the browser
# journeys in headless Chromium (with axe-core's accessibility checks). Installs Debian's
# chromium and chromium-driver first when they are missing (root or sudo needed for that one
# step), and fetches axe-core from the npm registry into target/axe. Extra arguments go to
# cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromedriver ] || [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium and chromium-driver for the browser tests…"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi
AXE_VERSION=4.14.1
if [ ! -f target/axe/package/axe.min.js ] || ! grep -q "axe v$AXE_VERSION" target/axe/package/axe.min.js; then
  echo "fetching axe-core $AXE_VERSION for the accessibility checks…"
  rm -rf target/axe && mkdir -p target/axe
  (cd target/axe && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null && tar xzf "axe-core-$AXE_VERSION.tgz")
fi
exec cargo test --workspace "$@"
