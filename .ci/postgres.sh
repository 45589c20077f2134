# Sourced by .ci/run: a PostgreSQL server for the store tests (they FAIL under CI without
# one). Idempotent: installs Debian's postgresql only when no server is installed, starts
# the newest cluster unless it runs, creates role `qa` and database `qa_test` unless they
# exist, and exports QA_ENGINE_TEST_PG. A QA_ENGINE_TEST_PG set beforehand is used as is.
if [ -z "${QA_ENGINE_TEST_PG:-}" ]; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql
  fi
  pg_ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | awk -v v="$pg_ver" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
    pg_createcluster "$pg_ver" main
  fi
  pg_ctlcluster "$pg_ver" main status >/dev/null 2>&1 || pg_ctlcluster "$pg_ver" main start
  pg_port=$(pg_lsclusters -h | awk -v v="$pg_ver" '$1 == v && $2 == "main" { print $3 }')
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$pg_port" && break
    sleep 1
  done
  if ! su postgres -c "psql -p $pg_port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'qa'\"" | grep -q 1; then
    su postgres -c "psql -p $pg_port -q -c \"CREATE ROLE qa LOGIN PASSWORD 'qa' SUPERUSER\""
  fi
  if ! su postgres -c "psql -p $pg_port -tAc \"SELECT 1 FROM pg_database WHERE datname = 'qa_test'\"" | grep -q 1; then
    su postgres -c "createdb -p $pg_port -O qa qa_test"
  fi
  export QA_ENGINE_TEST_PG="postgresql+psycopg://qa:qa@127.0.0.1:${pg_port}/qa_test"
fi
echo "store tests use PostgreSQL at ${QA_ENGINE_TEST_PG%%://*}://...@${QA_ENGINE_TEST_PG##*@}"
