#!/bin/sh
# One-shot job (temporal-admin-tools service): creates the Temporal databases and brings their
# schemas to the version this admin-tools image ships. Idempotent: an existing database is kept,
# an up-to-date schema is left alone, an older one is upgraded. Runs at every `docker compose up`.
set -eu

: "${POSTGRES_SEEDS:?POSTGRES_SEEDS (PostgreSQL host) is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD (read by temporal-sql-tool) is required}"
DB_PORT="${DB_PORT:-5432}"
# Versioned schema files inside the admin-tools image; they must match the server version.
SCHEMA_DIR="${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}"
MAX_ATTEMPTS="${MAX_ATTEMPTS:-60}"
SLEEP_SECONDS="${SLEEP_SECONDS:-2}"

echo "Waiting for PostgreSQL at ${POSTGRES_SEEDS}:${DB_PORT}..."
attempt=1
until nc -z -w 5 "$POSTGRES_SEEDS" "$DB_PORT"; do
  if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
    echo "PostgreSQL is not reachable after ${MAX_ATTEMPTS} attempts" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep "$SLEEP_SECONDS"
done

# The password comes from SQL_PASSWORD, not from the command line (not visible in `ps`).
sql_tool() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" "$@"
}

setup_database() {
  database="$1"
  versioned_dir="$2"
  if [ ! -d "$versioned_dir" ]; then
    echo "Schema directory ${versioned_dir} not found in this image" >&2
    exit 1
  fi
  echo "Database ${database}: create, setup, update to the latest version in ${versioned_dir}"
  sql_tool --db "$database" create-database
  sql_tool --db "$database" setup-schema -v 0.0
  sql_tool --db "$database" update-schema -d "$versioned_dir"
}

setup_database temporal "${SCHEMA_DIR}/temporal/versioned"
setup_database temporal_visibility "${SCHEMA_DIR}/visibility/versioned"

echo "Temporal schemas are up to date"
