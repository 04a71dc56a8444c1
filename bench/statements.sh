#!/usr/bin/env bash
# What the database does for one execution: the bench pipeline (webhook -> Call Webhook to a local sink) on a fresh
# PostgreSQL database whose sessions log every statement (log_statement = all, set on that database only), RATE
# webhooks/s for SECONDS_OF_LOAD; then each statement of the bench database, normalised (literals and parameters as ?,
# numbers as N), counted per execution. Transactions show as BEGIN/COMMIT.
# Usage: [RATE=200] [SECONDS_OF_LOAD=10] [PG_LOG=/var/log/postgresql/postgresql-15-main.log] bench/statements.sh
#   (needs: mvn install done, psql, java 17, read access to PostgreSQL's log)
set -euo pipefail
cd "$(dirname "$0")/.."
PG_LOG="${PG_LOG:-$(ls /var/log/postgresql/postgresql-*-main.log 2>/dev/null | head -1)}"
[ -r "$PG_LOG" ] || { echo "PostgreSQL's log is needed: PG_LOG=path" >&2; exit 1; }
BENCH_DB_SETTINGS="log_statement = 'all'"
. bench/lib.sh
bench_start
FROM=$(wc -l < "$PG_LOG")
java bench/OpenLoad.java "http://127.0.0.1:$PORT/webhook/bench" "${RATE:-200}" "${SECONDS_OF_LOAD:-10}" \
  "http://127.0.0.1:$SINK_PORT/count" | grep '^RESULT'
for _ in $(seq 1 120); do
  [ "$("${PSQL[@]}" -d "$DB" -c "select count(*) from df_execution where status not in ('succeeded','failed','cancelled')")" = 0 ] && break
  sleep 1
done
N=$("${PSQL[@]}" -d "$DB" -c "select count(*) from df_execution")
echo "executions: $N; statements of database $DB per execution (idle polls during the run included):"
tail -n +"$FROM" "$PG_LOG" | grep "@$DB " | grep -E 'LOG:  (statement|execute [^:]*):' \
  | sed -E 's/.*LOG:  (statement|execute [^:]*): //; s/'"'"'[^'"'"']*'"'"'/?/g; s/\$[0-9]+/?/g; s/[0-9]+/N/g' \
  | cut -c1-140 | sort | uniq -c | sort -rn \
  | awk -v n="$N" '$1 / n >= 0.005 { c = $1; $1 = ""; printf "%7.2f %s\n", c / n, substr($0, 2) }'
