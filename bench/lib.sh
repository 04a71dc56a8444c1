# Shared by the benchmark scripts: a copy of the built distribution on a fresh PostgreSQL database, the local
# delivery sink, and the bench workflow (webhook -> Call Webhook to the sink). Source it, then call
# bench_start "extra line of etc/com.dooneflow.cfg" ...; bench_stop runs on exit.
PORT="${PORT:-18181}"; SINK_PORT="${SINK_PORT:-18199}"
TOKEN="bench-$(date +%s)-$RANDOM$RANDOM"
DB="dooneflow_bench_$(date +%s)"
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt)

bench_start() {
  [ -d karaf-assembly/target/assembly ] || { echo "build first: mvn -q install -DskipTests" >&2; exit 1; }
  WORK=$(mktemp -d /tmp/dooneflow-bench.XXXXXX)
  "${PSQL[@]}" -d postgres -c "create database $DB"
  # Settings of the bench database itself, before the node opens its pool (bench/statements.sh logs statements).
  [ -z "${BENCH_DB_SETTINGS:-}" ] || "${PSQL[@]}" -d postgres -c "alter database $DB set $BENCH_DB_SETTINGS"
  cp -r karaf-assembly/target/assembly/. "$WORK/"
  rm -rf "$WORK/data"
  # The only settings a bench needs: its database, its first owner and leave to call the sink on loopback.
  {
    echo "db.url = jdbc:postgresql://127.0.0.1:5432/$DB"
    echo "db.user = postgres"
    echo ".bootstrap.token = $TOKEN"
    echo "outboundAllowlist = 127.0.0.1/32"
    for line in "$@"; do echo "$line"; done
  } > "$WORK/etc/com.dooneflow.cfg"
  if [ $# -gt 0 ]; then echo "settings changed from the shipped defaults: $*"; fi
  echo "org.osgi.service.http.port = $PORT" > "$WORK/etc/org.ops4j.pax.web.cfg"
  if [ -n "${ENGINE_CFG:-}" ]; then
    printf '%s\n' "$ENGINE_CFG" > "$WORK/etc/com.dooneflow.engine.cfg"
    echo "engine settings: $ENGINE_CFG"
  fi
  [ -n "${JAVA_MAX_MEM:-}" ] && echo "JAVA_MAX_MEM=$JAVA_MAX_MEM"

  # TCP_NODELAY: without it the JDK server and delayed ACKs add ~40 ms to every delivery.
  java -Dsun.net.httpserver.nodelay=true bench/Sink.java "$SINK_PORT" > "$WORK/sink.log" 2>&1 &
  SINK_PID=$!
  "$WORK/bin/karaf" server > "$WORK/karaf.out" 2>&1 &
  KARAF_PID=$!
  trap bench_stop EXIT

  local start; start=$(date +%s.%N)
  until curl -fs "http://127.0.0.1:$PORT/v1/health" >/dev/null; do sleep 0.2; done
  echo "distribution ready in $(echo "$(date +%s.%N) - $start" | bc) s (health 200: every component and route up)"
  KARAF_JVM=$(pgrep -f "karaf.base=$WORK" | head -1)
  ORG=$(curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/me" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["organizations"][0]["id"])')
  curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    "http://127.0.0.1:$PORT/v1/organizations/$ORG/workflows" -d "{\"name\":\"bench\",
     \"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"bench\"}},
     \"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"http://127.0.0.1:$SINK_PORT/deliveries\",
       \"payload\":{\"name\":\"{contact_name}\",\"phone\":\"{contact_phone}\"}}}]}" >/dev/null
}

bench_rss_mib() { echo $(( $(ps -o rss= -p "$KARAF_JVM") / 1024 )); }

# CPU seconds (user + system) a process has used so far.
bench_cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }
# CPU seconds of the local PostgreSQL server's processes (backends, WAL writer, checkpointer, …), summed; a
# connection that ended since is not counted. Empty when PostgreSQL runs elsewhere (no such processes here).
bench_db_cpu_seconds() {
  local pids; pids=$(pgrep -x postgres) || return 0
  for p in $pids; do cat "/proc/$p/stat" 2>/dev/null; done \
    | awk -v hz="$(getconf CLK_TCK)" '{ s += $14 + $15 } END { print s / hz }'
}

bench_stop() {
  # bin/karaf starts the JVM as a child: stop that JVM (found by its unique karaf.base), then the sink.
  pkill -f "karaf.base=$WORK" 2>/dev/null || true
  kill "$SINK_PID" 2>/dev/null || true
  wait "$KARAF_PID" 2>/dev/null || true
  rm -rf "$WORK"
  "${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)" || true
}
