#!/usr/bin/env bash
# PostgreSQL for Bluesky's reference stack (@atproto/dev-env) in tests: installs Debian's
# `postgresql` if missing, starts its cluster, makes sure a superuser role exists, and prints the
# DB_POSTGRES_URL to export. Idempotent: safe to run again on a machine where all of it is done.
# Runs as root on a fresh Debian machine (CI); locally `sudo bash scripts/postgres.sh`.
#
#   PG_USER / PG_PASSWORD   role to create (default bsky / bsky)
#   PG_PORT                 expected cluster port (default: the cluster's own, usually 5432)
#
# Last line of output: DB_POSTGRES_URL=postgresql://bsky:bsky@127.0.0.1:5432/postgres
set -euo pipefail

PG_USER=${PG_USER:-bsky}
PG_PASSWORD=${PG_PASSWORD:-bsky}

say() { echo "postgres.sh: $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  say "must run as root (apt-get, pg_ctlcluster, su postgres)"
  exit 1
fi

# Identifiers go into SQL: refuse anything but plain names rather than quoting them.
if ! [[ $PG_USER =~ ^[a-z_][a-z0-9_]*$ ]]; then
  say "PG_USER must be lower-case letters, digits and underscores, got '$PG_USER'"
  exit 1
fi
if [[ $PG_PASSWORD == *"'"* ]]; then
  say "PG_PASSWORD must not contain a single quote"
  exit 1
fi

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  say "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

# The newest installed major version; its default cluster is created by the package.
VERSION=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main"' | grep -q .; then
  say "creating cluster $VERSION/main"
  pg_createcluster "$VERSION" main >/dev/null
fi

STATUS=$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" { print $4 }')
if [ "$STATUS" != "online" ]; then
  say "starting cluster $VERSION/main"
  pg_ctlcluster "$VERSION" main start
fi
PORT=$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" { print $3 }')
if [ -n "${PG_PORT:-}" ] && [ "$PG_PORT" != "$PORT" ]; then
  say "cluster $VERSION/main listens on $PORT, not PG_PORT=$PG_PORT"
  exit 1
fi

# Wait until it accepts connections (start returns before that on slow machines).
for _ in $(seq 1 30); do
  if su postgres -c "psql -p $PORT -tAc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done

psql_admin() { su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -tAc \"$1\""; }

if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != "1" ]; then
  say "creating superuser role $PG_USER"
  psql_admin "CREATE ROLE $PG_USER WITH LOGIN SUPERUSER PASSWORD '$PG_PASSWORD'" >/dev/null
else
  # Keep the password in step with what we print (a rerun with another PG_PASSWORD).
  psql_admin "ALTER ROLE $PG_USER WITH LOGIN SUPERUSER PASSWORD '$PG_PASSWORD'" >/dev/null
fi

URL="postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PORT/postgres"
# Prove the URL works over TCP with a password, as dev-env will use it.
if ! PGPASSWORD=$PG_PASSWORD psql "$URL" -tAc 'select 1' >/dev/null; then
  say "cannot connect with $URL (check pg_hba.conf allows md5/scram on 127.0.0.1)"
  exit 1
fi
say "PostgreSQL $VERSION ready on port $PORT"
echo "DB_POSTGRES_URL=$URL"
