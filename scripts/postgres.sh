#!/usr/bin/env bash
# Makes sure the PostgreSQL server the tests use is up, and its test role and database exist.
# The store tests (packages/sql) and the fleet tests run against it; they fail, never skip, without it.
#
#   bash scripts/postgres.sh     (run by `pnpm test` before vitest)
#
# With IAMPORT_TEST_PG_URL set, that server is used as it is. Otherwise the local cluster of the
# installed PostgreSQL (Debian's pg_ctlcluster) is started if it is not running, and the role
# `iamport` (password `iamport`) and the database `iamport_test` are created if missing: the URL is then
# postgres://iamport:iamport@127.0.0.1:5432/iamport_test (the tests' default).
set -euo pipefail
if [ -n "${IAMPORT_TEST_PG_URL:-}" ]; then exit 0; fi

ready() { pg_isready -q -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi; }

if ! ready; then
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    echo "postgres.sh: PostgreSQL is not installed (no pg_lsclusters); install it or set IAMPORT_TEST_PG_URL" >&2
    exit 1
  fi
  read -r version cluster _ < <(pg_lsclusters --no-header | head -1)
  if [ -z "${version:-}" ]; then
    echo "postgres.sh: no PostgreSQL cluster to start; set IAMPORT_TEST_PG_URL" >&2
    exit 1
  fi
  echo "postgres.sh: starting PostgreSQL $version/$cluster"
  if [ "$(id -u)" = 0 ]; then
    pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
  else
    sudo -n pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start
  fi
  for _ in $(seq 1 60); do ready && break; sleep 0.5; done
  ready || { echo "postgres.sh: PostgreSQL did not become ready in 30 s" >&2; exit 1; }
fi

as_postgres psql -v ON_ERROR_STOP=1 -q -d postgres -c \
  "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'iamport') THEN CREATE ROLE iamport LOGIN PASSWORD 'iamport'; END IF; END \$\$;"
if ! as_postgres psql -tA -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'iamport_test'" | grep -q 1; then
  as_postgres createdb -O iamport iamport_test
fi
