#!/bin/bash
# Run by the postgres image's entrypoint once, when the data volume is empty (first start).
# Creates the app's role and database next to the Temporal databases. The password is passed as a
# psql variable and quoted by psql (:'...'), so any character is safe here; DATABASE_URL still
# needs it URL-safe (hex is simplest).
set -euo pipefail

: "${APRIL_DB_PASSWORD:?APRIL_DB_PASSWORD is required}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v april_password="$APRIL_DB_PASSWORD" <<'SQL'
CREATE ROLE april LOGIN PASSWORD :'april_password';
CREATE DATABASE april OWNER april;
REVOKE ALL ON DATABASE april FROM PUBLIC;
SQL
