#!/usr/bin/env bash
# Start (or reuse) a throw-away PostgreSQL + PostGIS cluster on a local port for the database
# tests, and print the line that points the tests at it:
#
#     eval "$(.ci/postgres.sh)"     # exports TONGAN_TEST_POSTGRES_URL
#
# Idempotent: a second run finds the cluster running and only prints the line again. Needs
# Debian's postgresql and postgresql-postgis packages. As root the server runs as the `postgres`
# user (runuser); otherwise as the current user. Settings (environment):
#   TONGAN_PG_PORT (55432), TONGAN_PG_DIR (/tmp/tongan-pg), TONGAN_PG_USER/PASSWORD (tongan),
#   TONGAN_PG_DB (tongan_test). Stop it with: pg_ctl -D "$TONGAN_PG_DIR" stop (as that user).
set -euo pipefail

port="${TONGAN_PG_PORT:-55432}"
data="${TONGAN_PG_DIR:-/tmp/tongan-pg}"
user="${TONGAN_PG_USER:-tongan}"
password="${TONGAN_PG_PASSWORD:-tongan}"
db="${TONGAN_PG_DB:-tongan_test}"

bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$bindir" ] || [ ! -x "$bindir/postgres" ]; then
    echo "postgres.sh: PostgreSQL is not installed; apt-get install postgresql postgresql-postgis postgis" >&2
    exit 1
fi
version="$(basename "$(dirname "$bindir")")"
if ! ls /usr/share/postgresql/"$version"/extension/postgis.control >/dev/null 2>&1; then
    echo "postgres.sh: the PostGIS extension is missing; apt-get install postgresql-postgis" >&2
    exit 1
fi

# Run a command as the cluster's owner.
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ ! -s "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres: "$data"
    chmod 700 "$data"
    as_owner "$bindir/initdb" -D "$data" -U postgres --auth-local=trust \
        --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$data.initdb.log" 2>&1 \
        || { cat "$data.initdb.log" >&2; exit 1; }
fi

if ! as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_owner "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
        -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c max_connections=200" start >&2 \
        || { tail -n 20 "$data/server.log" >&2; exit 1; }
fi

psql_admin() { PGOPTIONS="-c client_min_messages=warning" as_owner "$bindir/psql" -h "$data" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

psql_admin -d postgres -c "DO \$\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user') THEN
        CREATE ROLE $user LOGIN PASSWORD '$password';
    END IF; END \$\$;" >&2
if [ "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    psql_admin -d postgres -c "CREATE DATABASE $db OWNER $user" >&2
fi
# PostGIS is not a trusted extension: the superuser creates it once for the tests' schemas.
psql_admin -d "$db" -c "CREATE EXTENSION IF NOT EXISTS postgis" >&2

echo "export TONGAN_TEST_POSTGRES_URL=postgresql+psycopg://$user:$password@127.0.0.1:$port/$db"
