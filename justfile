# fixdesk tasks. `just --list` shows them all.

# Run the server (SQLite file fixdesk.db in this directory; created on first start).
run:
    cargo run -p fixdesk

# Every test: unit, repository/service, end-to-end and browser (SQLite). Installs Chromium if missing.
test:
    scripts/test.sh

# The browser journeys only, saving the README's screenshots to docs/screenshots.
screenshots:
    FIXDESK_SCREENSHOTS={{justfile_directory()}}/docs/screenshots cargo test -p fixdesk-tests --test browser

# The end-to-end suite against a throwaway PostgreSQL cluster (started and stopped for it).
test-pg:
    scripts/with-postgres.sh cargo test -p fixdesk-tests

# Formatting, lints and the layering rules, as CI checks them.
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings
    scripts/check-layers.sh

# The dependency rules of ARCHITECTURE.md.
layers:
    scripts/check-layers.sh

# The embedding example.
example:
    cargo run -p fixdesk-service --example embed

# Database migrations: `just migrate up|down|status`.
migrate *args:
    cargo run -p fixdesk-migrate -- {{args}}

# What CI runs.
ci:
    bash .ci/run
