#!/usr/bin/env bash
# Builds the Debian package: target/debian/fixdesk_<version>-1_<arch>.deb with both binaries,
# /etc/fixdesk/fixdesk.toml (the package's settings, then every other key commented out), the
# hardened systemd unit, and the scripts that make the service's user and secret. Installs
# cargo-deb from crates.io when it is missing.
#   scripts/package.sh            a release build (fat LTO: several minutes)
#   PROFILE=dev scripts/package.sh   the debug build already there (for checking the package)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${PROFILE:-release}
command -v cargo-deb >/dev/null || cargo install --locked cargo-deb
mkdir -p target/debian-assets
cat packaging/debian/fixdesk.toml.head fixdesk.example.toml > target/debian-assets/fixdesk.toml
cargo build --locked --profile "$profile" -p fixdesk -p fixdesk-migrate
cargo deb --locked --no-build --profile "$profile" -p fixdesk
