#!/usr/bin/env bash
# Webhook intake benchmark: starts the built distribution on a fresh PostgreSQL database, creates a workflow
# "webhook -> Call Webhook (local sink)", drives POST /webhook/... with wrk at concurrency 1, 16 and 64, and
# prints accepted/s, p50/p99 and the count check (2xx responses = executions = deliveries), beside the same
# server's rate for an empty route (GET /v1/health/live).
# Usage: [LEVELS="1 16 64"] [EXTRA_CFG="…"] [ENGINE_CFG="…"] [JAVA_MAX_MEM=1g] [METRICS=on] bench/webhook-load.sh [seconds per level, default 15]
#   (needs: mvn install done, wrk, psql, java 17; LEVELS lists the concurrency levels to run, in order;
#   METRICS=on turns metrics on (metrics.port = $METRICS_PORT, default 18190) and scrapes /metrics every 5 s during
#   the run, as a Prometheus would: run it off and on, alternating, to see what metrics cost)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_LEVEL="${1:-15}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

. bench/lib.sh
# The shipped defaults unless told: EXTRA_CFG="db.poolSize = 32" (lines of etc/com.dooneflow.cfg, printed).
mapfile -t EXTRA < <(printf '%s\n' "${EXTRA_CFG:-}" | grep -v '^$' || true)
METRICS_PORT="${METRICS_PORT:-18190}"
if [ "${METRICS:-off}" = on ]; then
  EXTRA+=("metrics.port = $METRICS_PORT")
fi
bench_start "${EXTRA[@]}"
if [ "${METRICS:-off}" = on ]; then
  # One line per scrape: HTTP status and seconds taken.
  ( while sleep 5; do
      curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$METRICS_PORT/metrics" || true  # 000 when refused
    done > "$WORK/scrapes.log" ) &
  SCRAPER_PID=$!
  trap 'kill "$SCRAPER_PID" 2>/dev/null || true; bench_stop' EXIT
  echo "metrics on: scraping http://127.0.0.1:$METRICS_PORT/metrics every 5 s during the run"
fi
sleep 2
echo "idle RSS: $(bench_rss_mib) MiB"

printf '\n%-28s %12s %10s %10s\n' "route / concurrency" "req/s" "p50 ms" "p99 ms"
TOTAL_2XX=0
for C in ${LEVELS:-1 16 64}; do
  T=$([ "$C" -lt 4 ] && echo 1 || echo 4)
  EMPTY=$(wrk -t"$T" -c"$C" -d"${SECONDS_PER_LEVEL}s" \
    "http://127.0.0.1:$PORT/v1/health/live" 2>/dev/null | grep '^Requests/sec' | awk '{print $2}')
  CPU_BEFORE=$(bench_cpu_seconds "$KARAF_JVM")
  OUT=$(wrk -t"$T" -c"$C" -d"${SECONDS_PER_LEVEL}s" -s bench/post.lua "http://127.0.0.1:$PORT/webhook/bench")
  CPU_AFTER=$(bench_cpu_seconds "$KARAF_JVM")
  LINE=$(echo "$OUT" | grep '^RESULT')
  REQ=$(echo "$LINE" | sed 's/.*requests=\([0-9]*\).*/\1/'); NON=$(echo "$LINE" | sed 's/.*non2xx=\([0-9]*\).*/\1/')
  ERR=$(echo "$LINE" | sed 's/.*errors=\([0-9]*\).*/\1/'); SECS=$(echo "$LINE" | sed 's/.*seconds=\([0-9.]*\).*/\1/')
  P50=$(echo "$LINE" | sed 's/.*p50_ms=\([0-9.]*\).*/\1/'); P99=$(echo "$LINE" | sed 's/.*p99_ms=\([0-9.]*\).*/\1/')
  OK=$((REQ - NON))
  TOTAL_2XX=$((TOTAL_2XX + OK))
  # The server's CPU per accepted webhook while wrk ran (intake and the executions it ran meanwhile): steadier than
  # the rate on a shared machine, so the figure to compare two builds or settings by.
  printf '%-28s %12.0f %10s %10s   (%d accepted, %d non-2xx, %d socket errors; server CPU %.0f µs/webhook)\n' \
    "POST /webhook c=$C" "$(echo "$OK / $SECS" | bc -l)" "$P50" "$P99" "$OK" "$NON" "$ERR" \
    "$(echo "($CPU_AFTER - $CPU_BEFORE) * 1000000 / $OK" | bc -l)"
  printf '%-28s %12.0f\n' "GET /v1/health/live c=$C" "$EMPTY"
done

echo "RSS after load: $(bench_rss_mib) MiB"
if [ -n "${SCRAPER_PID:-}" ]; then
  kill "$SCRAPER_PID" 2>/dev/null || true
  wait "$SCRAPER_PID" 2>/dev/null || true
  awk '{ n++; if ($1 == 200) ok++; if ($2 > max) max = $2 }
       END { printf "scraped /metrics every 5 s during the run: %d scrapes, %d answered 200, slowest %.3f s\n", n, ok, max }' \
    "$WORK/scrapes.log"
fi
echo
echo "waiting for every execution to finish..."
set +e   # from here on every result is checked explicitly
for _ in $(seq 1 600); do
  LEFT=$("${PSQL[@]}" -d "$DB" -c "select count(*) from df_execution where status not in ('succeeded','failed')" || echo unknown)
  [ "$LEFT" = 0 ] && break
  sleep 1
done
EXECS=$("${PSQL[@]}" -d "$DB" -c "select count(*) from df_execution")
SUCCEEDED=$("${PSQL[@]}" -d "$DB" -c "select count(*) from df_execution where status = 'succeeded'")
COUNTS=$(curl -s "http://127.0.0.1:$SINK_PORT/count")
SINK_REQ=${COUNTS% *}; SINK_KEYS=${COUNTS#* }
echo "count check: 2xx responses=$TOTAL_2XX executions=$EXECS succeeded=$SUCCEEDED deliveries=$SINK_REQ distinct idempotency keys=$SINK_KEYS"
# wrk stops each level with up to <concurrency> requests in flight: the server commits and answers them,
# but wrk no longer counts their 2xx. So executions may exceed the counted 2xx by at most the sum of the levels.
IN_FLIGHT=0
for C in ${LEVELS:-1 16 64}; do IN_FLIGHT=$((IN_FLIGHT + C)); done
if [ "$EXECS" -ge "$TOTAL_2XX" ] && [ $((EXECS - TOTAL_2XX)) -le "$IN_FLIGHT" ] \
   && [ "$EXECS" = "$SUCCEEDED" ] && [ "$SUCCEEDED" = "$SINK_KEYS" ]; then
  echo "COUNT CHECK OK"
else
  echo "COUNT CHECK FAILED"; exit 1
fi
