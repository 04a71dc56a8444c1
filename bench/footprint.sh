#!/usr/bin/env bash
# Footprint benchmark: starts the built distribution RUNS times on the embedded H2 database and RUNS times on a fresh
# PostgreSQL database, each from an empty data/ folder, and prints the median of: time from launch to GET /v1/health
# 200, the same after a restart (data/ kept), and after IDLE_SECONDS of idling the resident memory, the heap (used and
# committed), the committed metaspace, the loaded classes and the threads, and the resident memory again once it has
# idled SETTLE_SECONDS (an idle JVM's periodic collection hands free heap back); from karaf.log, the seconds the
# database start spent in Liquibase's migrations and in Hibernate building the JPA persistence unit. The load average
# is printed with each run: compare figures only from the same hour on the same machine.
# Usage: [DIST=folder of a distribution] [RUNS=3] [DBS="h2 postgres"] [IDLE_SECONDS=10] [SETTLE_SECONDS=30]
#        [RESTART=1] [NMT=1] [JAVA_MAX_MEM=…] [DOONEFLOW_GC_OPTS=…] [EXTRA_JAVA_OPTS=…] bench/footprint.sh
#   (needs: a built distribution in karaf-assembly/target/assembly unless DIST says, psql, jcmd from the JDK)
#   NMT=1 adds -XX:NativeMemoryTracking=summary and prints the JVM's own account of its memory after each run.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"; DBS="${DBS:-h2 postgres}"; IDLE_SECONDS="${IDLE_SECONDS:-10}"; SETTLE_SECONDS="${SETTLE_SECONDS:-30}"; RESTART="${RESTART:-1}"
PORT="${PORT:-18381}"; SSH_PORT="${SSH_PORT:-18301}"
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt)
DIST="${DIST:-karaf-assembly/target/assembly}"
[ -d "$DIST" ] || { echo "build first: mvn -q package -pl karaf-assembly -am -DskipTests" >&2; exit 1; }
[ "${NMT:-0}" = 1 ] && export EXTRA_JAVA_OPTS="-XX:NativeMemoryTracking=summary ${EXTRA_JAVA_OPTS:-}"
for v in JAVA_MAX_MEM JAVA_MIN_MEM DOONEFLOW_GC_OPTS EXTRA_JAVA_OPTS; do
  [ -n "${!v:-}" ] && echo "$v=${!v}"
done

WORK=""; DB=""; LAUNCHER=""; JVM=""
cleanup() {
  stop_distribution
  [ -n "$WORK" ] && rm -rf "$WORK"
  [ -n "$DB" ] && "${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)" || true
}
trap cleanup EXIT
trap "exit 1" INT TERM

# Launches bin/karaf server and waits for the readiness check; READY holds the seconds it took.
start_distribution() {
  local start; start=$(date +%s.%N)
  DOONEFLOW_SSH_PORT="$SSH_PORT" "$WORK/bin/karaf" server >> "$WORK/karaf.out" 2>&1 &
  LAUNCHER=$!
  until curl -fs "http://127.0.0.1:$PORT/v1/health" >/dev/null; do
    kill -0 "$LAUNCHER" 2>/dev/null || { echo "the distribution stopped; see $WORK/karaf.out" >&2; exit 1; }
    sleep 0.1
  done
  READY=$(echo "$(date +%s.%N) - $start" | bc)
  # bin/karaf runs the JVM as its child; its karaf.base is unique to this copy.
  JVM=$(pgrep -f "karaf.base=$WORK" | head -1)
}

stop_distribution() {
  [ -n "$JVM" ] || return 0
  kill "$JVM" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$JVM" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$JVM" 2>/dev/null || true
  wait "$LAUNCHER" 2>/dev/null || true
  JVM=""
}

# A fresh copy of the distribution with an empty data/ folder; on PostgreSQL a fresh database.
prepare() {
  WORK=$(mktemp -d /tmp/dooneflow-footprint.XXXXXX)
  cp -r "$DIST/." "$WORK/"
  rm -rf "$WORK/data"
  echo "org.osgi.service.http.port = $PORT" > "$WORK/etc/org.ops4j.pax.web.cfg"
  if [ "$1" = postgres ]; then
    DB="dooneflow_footprint_$(date +%s)_$RANDOM"
    "${PSQL[@]}" -d postgres -c "create database $DB"
    printf 'db.url = jdbc:postgresql://127.0.0.1:5432/%s\ndb.user = postgres\n' "$DB" > "$WORK/etc/com.dooneflow.cfg"
  fi
}

finish() {
  stop_distribution
  rm -rf "$WORK"; WORK=""
  if [ -n "$DB" ]; then "${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)"; DB=""; fi
}

# Seconds between the first karaf.log lines matching $1 and $2 (the log's own timestamps).
log_seconds() {
  awk -v a="$1" -v b="$2" '
    function t(line) { split(substr(line, 12, 12), p, /[:,]/); return p[1] * 3600 + p[2] * 60 + p[3] + p[4] / 1000 }
    index($0, a) && !ta { ta = t($0) }
    index($0, b) && ta && !tb { tb = t($0) }
    END { if (ta && tb) printf "%.1f", tb - ta; else print "?" }' "$WORK/data/log/karaf.log"
}

mib() { awk '{printf "%.0f", $1 / 1024}'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

for db in $DBS; do
  declare -A all=()
  for run in $(seq "$RUNS"); do
    prepare "$db"
    start_distribution; ready=$READY
    sleep "$IDLE_SECONDS"
    rss=$(ps -o rss= -p "$JVM" | mib)
    heap=$(jcmd "$JVM" GC.heap_info | grep -m1 'total')          # "... heap   total 344064K, used 127186K ..."
    heap_committed=$(echo "$heap" | sed 's/.*total \([0-9]*\)K.*/\1/' | mib)
    heap_used=$(echo "$heap" | sed 's/.*used \([0-9]*\)K.*/\1/' | mib)
    meta=$(jcmd "$JVM" VM.metaspace basic scale=KB | grep -m1 'Both:.*committed' | sed 's/.*reserved, *\([0-9.]*\) KB.*/\1/' | mib)
    classes=$(jcmd "$JVM" VM.classloader_stats | awk '/^Total = /{print $4}')
    threads=$(jcmd "$JVM" Thread.print | grep -c '^"')
    sleep $((SETTLE_SECONDS - IDLE_SECONDS))
    settled=$(ps -o rss= -p "$JVM" | mib)
    [ "${NMT:-0}" = 1 ] && jcmd "$JVM" VM.native_memory summary scale=MB | grep -E '^-|Total' | sed 's/^/    /'
    # Where the database start goes: Liquibase's migrations, then Hibernate building the JPA persistence unit.
    migrations=$(log_seconds "dooneflow-database-start" "Command execution complete")
    jpa=$(log_seconds "HHH000204" "DooneFlow database ready")
    restart=""
    if [ "$RESTART" = 1 ]; then
      stop_distribution
      start_distribution; restart=$READY
    fi
    finish
    printf '%-8s run %d: ready %5.1f s, restart %5s s, idle RSS %4d MiB (%4d after %d s), heap %3d/%3d MiB used/committed, metaspace %3d MiB, %5d classes, %3d threads, migrations %s s, JPA unit %s s (load %s)\n' \
      "$db" "$run" "$ready" "$([ -n "$restart" ] && printf '%.1f' "$restart" || echo -)" "$rss" "$settled" "$SETTLE_SECONDS" "$heap_used" "$heap_committed" "$meta" \
      "$classes" "$threads" "$migrations" "$jpa" "$(cut -d' ' -f1-3 /proc/loadavg)"
    for k in ready restart rss settled heap_used heap_committed meta classes threads migrations jpa; do all[$k]="${all[$k]:-} ${!k}"; done
  done
  printf '%-8s MEDIAN: ready %.1f s, restart %s s, idle RSS %s MiB (%s after %s s), heap %s/%s MiB used/committed, metaspace %s MiB, %s classes, %s threads, migrations %s s, JPA unit %s s\n' \
    "$db" "$(echo "${all[ready]}" | median)" "$(if [ "$RESTART" = 1 ]; then printf '%.1f' "$(echo "${all[restart]}" | median)"; else echo -; fi)" \
    "$(echo "${all[rss]}" | median)" "$(echo "${all[settled]}" | median)" "$SETTLE_SECONDS" "$(echo "${all[heap_used]}" | median)" "$(echo "${all[heap_committed]}" | median)" \
    "$(echo "${all[meta]}" | median)" "$(echo "${all[classes]}" | median)" "$(echo "${all[threads]}" | median)" \
    "$(echo "${all[migrations]}" | median)" "$(echo "${all[jpa]}" | median)"
  unset all
done
