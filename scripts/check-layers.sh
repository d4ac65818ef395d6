#!/usr/bin/env bash
# Checks the dependency rules of ARCHITECTURE.md on the real dependency graph (transitively):
# the domain and use-case interface stay free of runtimes, databases and HTTP; the transports
# never reach the database layer; the database layers never reach HTTP.
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

forbid fixdesk-domain   tokio sea-orm sqlx poem poem-openapi fixdesk-db fixdesk-repository fixdesk-service
forbid fixdesk-usecases tokio sea-orm sqlx poem poem-openapi fixdesk-db fixdesk-repository fixdesk-service
forbid fixdesk-http     sea-orm sqlx fixdesk-db fixdesk-repository fixdesk-service fixdesk-migration
forbid fixdesk-web      sea-orm sqlx fixdesk-db fixdesk-repository fixdesk-service fixdesk-migration fixdesk-http poem-openapi
forbid fixdesk-db       poem poem-openapi fixdesk-repository fixdesk-service
forbid fixdesk-repository poem poem-openapi fixdesk-service
forbid fixdesk-service  poem poem-openapi fixdesk-http fixdesk-web
forbid fixdesk-migration fixdesk-repository fixdesk-service poem

if [ "$status" -eq 0 ]; then
  echo "layers: ok"
fi
exit "$status"
