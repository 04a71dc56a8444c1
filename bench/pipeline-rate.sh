#!/usr/bin/env bash
# Sustainable pipeline rate: the shipped distribution (default settings) on a fresh PostgreSQL database runs
# "webhook -> Call Webhook (local sink)" while bench/OpenLoad.java posts webhooks at a constant arrival rate
# (open loop) for SECONDS at each rate in turn. Each second it prints accepted, finished and the backlog between
# them; a rate is sustainable when nothing is refused and the backlog stays flat. Prints the largest sustainable
# rate, intake p50/p99 at each rate, CPU per execution of the server, the database (local PostgreSQL's processes) and
# the sink, database commits per execution, RSS idle
# and after load, time to ready and the empty route's rate in the same run.
# Usage: [RATES="500 1000 2000"] [WARMUP=120] bench/pipeline-rate.sh [seconds per rate, default 60]
#   (needs: mvn install done, wrk, psql, java 17)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RATE="${1:-60}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
. bench/lib.sh
bench_start
sleep 2
echo "idle RSS: $(bench_rss_mib) MiB"
EMPTY=$(wrk -t2 -c16 -d5s "http://127.0.0.1:$PORT/v1/health/live" | awk '/^Requests\/sec/ {print $2}')
echo "empty route GET /v1/health/live c=16: $EMPTY req/s"

unfinished() { "${PSQL[@]}" -d "$DB" -c "select count(*) from df_execution where status not in ('succeeded','failed','cancelled')"; }
executions() { "${PSQL[@]}" -d "$DB" -c "select count(*) from df_execution"; }
# Transactions committed in the bench database (its own, so other databases' work does not count): each costs a WAL
# flush when it wrote, and unlike CPU time the count per execution does not move with the machine's load.
commits() { "${PSQL[@]}" -d "$DB" -c "select xact_commit from pg_stat_database where datname = current_database()"; }

drain() { for _ in $(seq 1 3000); do [ "$(unfinished)" = 0 ] && break; sleep 0.2; done; }

# Seconds the JIT compilers have spent so far (jstat's Time column). A fresh JVM keeps compiling for a minute or more
# of load: on two cores that took a third of the CPU 80 s after the start (JFR), so the CPU per execution is the steady
# state's only once the compilers are quiet. The warm-up (not counted) runs 15 s rounds at 200/s until a round costs
# the compilers under a second, for at most WARMUP seconds (0 skips it); each rate reports the compile seconds it saw.
jit_seconds() { jstat -compiler "$KARAF_JVM" | awk 'NR == 2 {print $4}'; }
WARMED=0
while [ "$WARMED" -lt "${WARMUP:-120}" ]; do
  JIT0=$(jit_seconds)
  java bench/OpenLoad.java "http://127.0.0.1:$PORT/webhook/bench" 200 15 \
    "http://127.0.0.1:$SINK_PORT/count" > "$WORK/warmup.out"
  drain
  WARMED=$((WARMED + 15))
  JIT=$(echo "$(jit_seconds) - $JIT0" | bc)
  echo "warm-up: 200 webhooks/s for 15 s, JIT compile seconds $JIT"
  [ "$(echo "$JIT < 1" | bc)" = 1 ] && break
done

BEST=0
SUMMARY=()
for RATE in ${RATES:-250 500 1000 1500 2000 2500 3000}; do
  echo; echo "== $RATE webhooks/s for ${SECONDS_PER_RATE} s"
  SERVER_CPU0=$(bench_cpu_seconds "$KARAF_JVM"); SINK_CPU0=$(bench_cpu_seconds "$SINK_PID"); EXEC0=$(executions); COMMITS0=$(commits)
  DB_CPU0=$(bench_db_cpu_seconds)
  JIT0=$(jit_seconds)
  java bench/OpenLoad.java "http://127.0.0.1:$PORT/webhook/bench" "$RATE" "$SECONDS_PER_RATE" \
    "http://127.0.0.1:$SINK_PORT/count" > "$WORK/load.out" &
  LOAD_PID=$!
  wait "$LOAD_PID"
  cat "$WORK/load.out"
  RESULT=$(grep '^RESULT' "$WORK/load.out")
  # Let the backlog drain so the next rate starts from nothing (and its CPU counts only this rate's work). With no
  # webhooks arriving every worker runs (during a burst only a quarter do, up to burstLagMillis), so a backlog of
  # some size drains at the pipeline's full speed: that rate is printed too.
  BACKLOG=$(unfinished); DRAIN0=$(date +%s.%N)
  drain
  DRAIN_S=$(echo "$(date +%s.%N) - $DRAIN0" | bc -l)
  if [ "$BACKLOG" -ge 1000 ]; then
    DRAINED=$(printf '%.0f' "$(echo "$BACKLOG / $DRAIN_S" | bc -l)")
    echo "drained a backlog of $BACKLOG in $(printf '%.1f' "$DRAIN_S") s: $DRAINED executions/s"
  else
    DRAINED=-
  fi
  DONE=$(( $(executions) - EXEC0 ))
  CPU_MS=$(echo "($(bench_cpu_seconds "$KARAF_JVM") - $SERVER_CPU0) * 1000 / $DONE" | bc -l)
  COMMITS=$(echo "($(commits) - $COMMITS0) / $DONE" | bc -l)
  SINK_MS=$(echo "($(bench_cpu_seconds "$SINK_PID") - $SINK_CPU0) * 1000 / $DONE" | bc -l)
  DB_CPU=$(bench_db_cpu_seconds)
  DB_MS=$([ -n "$DB_CPU0" ] && printf '%.2f' "$(echo "($DB_CPU - $DB_CPU0) * 1000 / $DONE" | bc -l)" || echo -)
  JIT=$(echo "$(jit_seconds) - $JIT0" | bc -l)
  P50=$(echo "$RESULT" | sed 's/.*p50_ms=\([0-9.]*\).*/\1/'); P99=$(echo "$RESULT" | sed 's/.*p99_ms=\([0-9.]*\).*/\1/')
  OK=$(echo "$RESULT" | sed 's/.*sustainable=\([a-z]*\).*/\1/'); WAIT=$(echo "$RESULT" | sed 's/.*wait_s=\([0-9.]*\).*/\1/')
  SUMMARY+=("$(printf '%8s %10s %10s %8s %12.2f %8s %10.1f %12.3f %12.2f %12s %10s' "$RATE" "$P50" "$P99" "$WAIT" "$CPU_MS" "$DB_MS" "$JIT" "$SINK_MS" "$COMMITS" "$OK" "$DRAINED")")
  [ "$OK" = true ] || break
  BEST=$RATE
done

echo
printf '%8s %10s %10s %8s %12s %8s %10s %12s %12s %12s %10s\n' "rate/s" "p50 ms" "p99 ms" "wait s" "server ms/ex" "db ms/ex" "JIT s" "sink ms/ex" "commits/ex" "sustainable" "drain/s"
printf '%s\n' "${SUMMARY[@]}"
echo "RSS after load: $(bench_rss_mib) MiB"
echo "SUSTAINABLE PIPELINE RATE: $BEST executions/s (largest rate tried whose backlog stayed flat)"
