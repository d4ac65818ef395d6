#!/usr/bin/env bash
# Checks the Debian package the way an administrator meets it: builds it (from the debug
# build, for speed), installs it (the service's user and secret are made), verifies the
# systemd unit with `systemd-analyze verify`, starts the packaged server as its user with the
# packaged configuration and environment (what the unit does: a container has no systemd to
# start it), checks it answers, reinstalls it (an upgrade: migrations run once), and purges it.
# Needs root (or sudo) for dpkg.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
need=()
command -v systemd-analyze >/dev/null || need+=(systemd)
command -v adduser >/dev/null || need+=(adduser)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
PROFILE=dev scripts/package.sh
deb=$(ls target/debian/fixdesk_*.deb | head -n 1)
cleanup() {
  [ -n "${server:-}" ] && $sudo kill "$server" 2>/dev/null || true
  $sudo dpkg --purge fixdesk >/dev/null 2>&1 || true
  $sudo rm -rf /var/lib/fixdesk
}
trap cleanup EXIT
$sudo dpkg -i "$deb" >/dev/null
$sudo systemd-analyze verify /usr/lib/systemd/system/fixdesk.service
id fixdesk >/dev/null
[ "$($sudo stat -c '%a %U %G' /etc/fixdesk/fixdesk.env)" = "640 root fixdesk" ]
$sudo grep -qE '^FIXDESK_SECRET_KEY=[0-9a-f]{64}$' /etc/fixdesk/fixdesk.env

start() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  secret=$($sudo sed -n 's/^FIXDESK_SECRET_KEY=//p' /etc/fixdesk/fixdesk.env)
  $sudo install -d -o fixdesk -g fixdesk -m 700 /var/lib/fixdesk
  (cd /var/lib/fixdesk && $sudo runuser -u fixdesk -- env -i PATH=/usr/bin:/bin \
     FIXDESK_CONFIG=/etc/fixdesk/fixdesk.toml FIXDESK_SECRET_KEY="$secret" \
     FIXDESK_BIND=127.0.0.1:$port /usr/bin/fixdesk >/tmp/fixdesk-package.log 2>&1) &
  server=$!
  for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "the packaged server did not become ready:"; cat /tmp/fixdesk-package.log; return 1
}
stop() { $sudo pkill -TERM -f '^/usr/bin/fixdesk$' || true; wait "$server" 2>/dev/null || true; server=""; }

start
[ "$($sudo stat -c '%a %U' /var/lib/fixdesk/data/initial-admin-password)" = "600 fixdesk" ]
[ "$($sudo stat -c '%a %U' /var/lib/fixdesk/fixdesk.db)" = "600 fixdesk" ]
if grep -q "$($sudo cat /var/lib/fixdesk/data/initial-admin-password)" /tmp/fixdesk-package.log; then
  echo "the first admin's password is in the log"; exit 1
fi
stop
# An upgrade (the same package again): the configuration and secret stay, the server starts.
before=$($sudo cat /etc/fixdesk/fixdesk.env)
$sudo dpkg -i "$deb" >/dev/null
[ "$($sudo cat /etc/fixdesk/fixdesk.env)" = "$before" ]
start
stop
echo "package: ok ($deb)"
