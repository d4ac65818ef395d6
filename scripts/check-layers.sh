#!/usr/bin/env bash
# Checks the dependency rules of ARCHITECTURE.md on the real dependency graph (transitively):
# the domain and use-case interface stay free of runtimes, databases and HTTP; nothing below
# the service depends on the use-case port (it is implemented by the service and called by
# the transports); the edge and the transports never reach the database layer, and the two
# transports never reach each other; the database layers never reach HTTP. Also: no file over
# 600 lines, at most 25 entries at the service crate's root, no crate with a standing advisory.
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
forbid() {
  local crate=$1; shift
  local tree
  tree=$(cargo tree -p "$crate" -e normal --prefix none 2>/dev/null | awk '{print $1}' | sort -u)
  for banned in "$@"; do
    if grep -qx "$banned" <<<"$tree"; then
      echo "layering: $crate depends (directly or not) on $banned"
      status=1
    fi
  done
}

forbid fixdesk-domain   tokio sea-orm sqlx poem poem-openapi fixdesk-usecases fixdesk-db fixdesk-repository fixdesk-service
forbid fixdesk-usecases tokio sea-orm sqlx poem poem-openapi fixdesk-db fixdesk-repository fixdesk-service
forbid fixdesk-db       poem poem-openapi fixdesk-usecases fixdesk-repository fixdesk-service
forbid fixdesk-repository poem poem-openapi fixdesk-usecases fixdesk-service
forbid fixdesk-migration fixdesk-usecases fixdesk-repository fixdesk-service poem
forbid fixdesk-service  poem poem-openapi fixdesk-edge fixdesk-http fixdesk-web
forbid fixdesk-edge     sea-orm sqlx poem-openapi fixdesk-db fixdesk-repository fixdesk-service fixdesk-migration fixdesk-http fixdesk-web
forbid fixdesk-http     sea-orm sqlx fixdesk-db fixdesk-repository fixdesk-service fixdesk-migration fixdesk-web
forbid fixdesk-web      sea-orm sqlx fixdesk-db fixdesk-repository fixdesk-service fixdesk-migration fixdesk-http poem-openapi

# Crates with a standing security advisory that nothing here needs: `rsa` (RUSTSEC-2023-0071,
# Marvin) came with jsonwebtoken's bundled crypto; the service signs HS256 itself. The RustSec
# database lives on GitHub, which CI's network does not reach, so known-bad crates are named.
for bin in fixdesk fixdesk-migrate; do
  if cargo tree -p "$bin" -e normal --prefix none 2>/dev/null | awk '{print $1}' | grep -qx rsa; then
    echo "advisories: $bin depends on rsa (RUSTSEC-2023-0071)"
    status=1
  fi
done

# Rooms, not corridors: no source file over 600 lines, and the service crate's root holds at
# most 25 entries (files and area folders), each area in its folder.
while read -r lines file; do
  [ "$file" = total ] && continue
  if [ "$lines" -gt 600 ]; then
    echo "size: $file has $lines lines (at most 600: split it by what it does)"
    status=1
  fi
done < <(find crates bins migrations -name '*.rs' -not -path '*/target/*' -exec wc -l {} +)
entries=$(find crates/service/src -mindepth 1 -maxdepth 1 | wc -l)
if [ "$entries" -gt 25 ]; then
  echo "rooms: crates/service/src has $entries entries at its root (at most 25: group by area)"
  status=1
fi

if [ "$status" -eq 0 ]; then
  echo "layers: ok"
fi
exit "$status"
