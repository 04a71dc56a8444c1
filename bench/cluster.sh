#!/usr/bin/env bash
# Cluster pipeline benchmark: for n = 1..N, starts n distributions on one fresh PostgreSQL database (one master key,
# distinct ports), creates "webhook -> Call Webhook (local sink)", drives POST /webhook/... on every node at once with
# wrk, waits until every execution has finished and reports the pipeline rate (executions finished per second, from
# the first request to the last completion) with what each execution cost:
#   - CPU seconds per execution of each node's JVM (/proc/<pid>/stat utime+stime, before and after),
#   - the database's share: CPU of the PostgreSQL sessions of the nodes, transactions (pg_stat_database xact_commit) and blocks
#     (blks_hit + blks_read) per execution,
# and from those the rate to expect with each node and the database on machines of their own (this host's cores
# each): min(n x cores / node CPU per execution, cores / database CPU per execution).
# On one host the nodes, the database, wrk and the sink share the same cores: the measured rate cannot grow with n
# here; the per-execution costs are what carries over.
# Usage: [SECONDS_PER_RUN=20] [CONCURRENCY=16] [POOL_SIZE=8] bench/cluster.sh N
#   (needs: mvn install done, wrk, psql, bc, java 17)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:?usage: bench/cluster.sh N (nodes, 1..N are measured in turn)}"
DURATION="${SECONDS_PER_RUN:-20}"
CONCURRENCY="${CONCURRENCY:-16}"
# Database connections per node: N nodes hold N x POOL_SIZE sessions; keep them under PostgreSQL's max_connections.
POOL_SIZE="${POOL_SIZE:-8}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
[ -d karaf-assembly/target/assembly ] || { echo "build first: mvn -q install -DskipTests" >&2; exit 1; }

CORES=$(nproc)
TICKS=$(getconf CLK_TCK)
SINK_PORT=18299
PSQL=(psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt)
MASTER_KEY=$(head -c 32 /dev/urandom | base64)
TOKEN="bench-$(date +%s)-$RANDOM$RANDOM"
ROOT=$(mktemp -d /tmp/dooneflow-cluster-bench.XXXXXX)
DB=""
LAUNCHERS=()

java -Dsun.net.httpserver.nodelay=true bench/Sink.java "$SINK_PORT" > "$ROOT/sink.log" 2>&1 &
SINK_PID=$!

# The JVM that bin/karaf started for a node (found by the node's unique karaf.base).
jvm_of() { pgrep -f -- "-Dkaraf.base=$1( |$)" | head -1; }

stop_nodes() {
  local pids=()
  for dir in "$ROOT"/node-*; do
    [ -d "$dir" ] || continue
    local pid; pid=$(jvm_of "$dir" || true)
    [ -n "$pid" ] && pids+=("$pid")
  done
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
  for l in "${LAUNCHERS[@]}"; do wait "$l" 2>/dev/null || true; done
  LAUNCHERS=()
  rm -rf "$ROOT"/node-*
  [ -n "$DB" ] && "${PSQL[@]}" -d postgres -c "drop database if exists $DB with (force)" || true
  DB=""
}
cleanup() { stop_nodes; kill "$SINK_PID" 2>/dev/null || true; rm -rf "$ROOT"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# CPU ticks (user + system) of one process.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU ticks of the database sessions serving this benchmark's database (the nodes' pooled connections live through
# a run). Other databases on a shared PostgreSQL are not counted; nor are its background writers (WAL, checkpoints).
pg_ticks() {
  local total=0 pid
  for pid in $("${PSQL[@]}" -d postgres -c "select pid from pg_stat_activity where datname = '$DB'"); do
    total=$((total + $(ticks "$pid")))
  done
  echo "$total"
}
pg_stats() { "${PSQL[@]}" -d postgres -F' ' -c "select xact_commit, blks_hit + blks_read from pg_stat_database where datname = '$DB'"; }

printf '%-6s %10s %10s %14s %16s %14s %12s %12s %16s\n' nodes executions "exec/s" "node CPU ms/ex" "per node ms/ex" \
  "pg CPU ms/ex" "xact/ex" "blocks/ex" "separate hosts"
for n in $(seq 1 "$N"); do
  DB="dooneflow_cluster_bench_$(date +%s)_$n"
  "${PSQL[@]}" -d postgres -c "create database $DB"
  PORTS=()
  for i in $(seq 1 "$n"); do
    dir="$ROOT/node-$i"; port=$((18280 + i)); PORTS+=("$port")
    cp -r karaf-assembly/target/assembly/. "$dir/"; rm -rf "$dir/data"
    cat > "$dir/etc/com.dooneflow.cfg" <<CFG
db.url = jdbc:postgresql://127.0.0.1:5432/$DB
db.user = postgres
db.poolSize = $POOL_SIZE
.bootstrap.token = $TOKEN
.masterKey = $MASTER_KEY
outboundAllowlist = 127.0.0.1/32
nodeId = bench-node-$i
CFG
    echo "org.osgi.service.http.port = $port" > "$dir/etc/org.ops4j.pax.web.cfg"
    # The first node creates the owner; the others join once it has.
    DOONEFLOW_SSH_PORT=$((18290 + i)) JAVA_MAX_MEM=768m "$dir/bin/karaf" server > "$dir/karaf.out" 2>&1 &
    LAUNCHERS+=($!)
    [ "$i" = 1 ] && until curl -fs "http://127.0.0.1:$port/v1/health" >/dev/null; do sleep 0.5; done
  done
  for port in "${PORTS[@]}"; do until curl -fs "http://127.0.0.1:$port/v1/health" >/dev/null; do sleep 0.5; done; done
  API="http://127.0.0.1:${PORTS[0]}"
  ORG=$(curl -fs -H "Authorization: Bearer $TOKEN" "$API/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["organizations"][0]["id"])')
  curl -fs -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$API/v1/organizations/$ORG/workflows" \
    -d "{\"name\":\"bench\",\"trigger\":{\"type\":\"webhook\",\"params\":{\"path\":\"bench\"}},
     \"actions\":[{\"type\":\"webhook.call\",\"params\":{\"url\":\"http://127.0.0.1:$SINK_PORT/deliveries\",
       \"payload\":{\"name\":\"{contact_name}\",\"phone\":\"{contact_phone}\"}}}]}" >/dev/null
  sleep 3 # every node has seen the new route

  JVMS=(); NODE0=()
  for i in $(seq 1 "$n"); do pid=$(jvm_of "$ROOT/node-$i"); JVMS+=("$pid"); NODE0+=("$(ticks "$pid")"); done
  PG0=$(pg_ticks); read -r XACT0 BLKS0 <<< "$(pg_stats)"
  START=$(date +%s.%N)
  WRKS=()
  for port in "${PORTS[@]}"; do
    wrk -t2 -c"$CONCURRENCY" -d"${DURATION}s" -s bench/post.lua "http://127.0.0.1:$port/webhook/bench" \
      > "$ROOT/wrk-$port.out" 2>&1 &
    WRKS+=($!)
  done
  wait "${WRKS[@]}" || true
  for _ in $(seq 1 600); do
    LEFT=$("${PSQL[@]}" -d "$DB" -c "select count(*) from df_execution where status not in ('succeeded','failed')") \
      || LEFT=unknown
    [ "$LEFT" = 0 ] && break
    sleep 0.2
  done
  END=$(date +%s.%N)
  PG1=$(pg_ticks); read -r XACT1 BLKS1 <<< "$(pg_stats)"
  EXECS=$("${PSQL[@]}" -d "$DB" -c "select count(*) from df_execution where status = 'succeeded'")
  FAILED=$("${PSQL[@]}" -d "$DB" -c "select count(*) from df_execution where status = 'failed'")
  NODE_MS=0; PER_NODE=""
  for i in $(seq 0 $((n - 1))); do
    d=$(( $(ticks "${JVMS[$i]}") - ${NODE0[$i]} ))
    ms=$(echo "$d * 1000 / $TICKS / $EXECS" | bc -l)
    NODE_MS=$(echo "$NODE_MS + $ms" | bc -l)
    PER_NODE="$PER_NODE$(printf '%.2f' "$(echo "$d * 1000 / $TICKS / ($EXECS / $n)" | bc -l)") "
  done
  RATE=$(echo "$EXECS / ($END - $START)" | bc -l)
  PG_MS=$(echo "($PG1 - $PG0) * 1000 / $TICKS / $EXECS" | bc -l)
  # Each node on a host of its own does up to CORES / (its CPU per execution) per second; the database likewise.
  NODE_CAP=$(echo "$n * $CORES * 1000 / $NODE_MS" | bc -l)
  PG_CAP=$(echo "$CORES * 1000 / $PG_MS" | bc -l)
  EXPECT=$(echo "if ($NODE_CAP < $PG_CAP) $NODE_CAP else $PG_CAP" | bc -l)
  printf '%-6s %10s %10.0f %14.2f %16s %14.2f %12.1f %12.1f %16.0f\n' "$n" "$EXECS" "$RATE" "$NODE_MS" "[${PER_NODE% }]" \
    "$PG_MS" "$(echo "($XACT1 - $XACT0) / $EXECS" | bc -l)" "$(echo "($BLKS1 - $BLKS0) / $EXECS" | bc -l)" "$EXPECT"
  [ "$FAILED" = 0 ] || echo "  ($FAILED executions failed)"
  stop_nodes
done
cat <<'NOTE'

exec/s: executions finished per second on this host, from the first request to the last completion.
node CPU ms/ex: all nodes' JVM CPU per execution (intake + run + delivery); per node: each node's CPU per execution
it handled, with the load spread evenly. pg CPU ms/ex, xact/ex, blocks/ex: the database's work per execution.
separate hosts: the rate to expect with each node and the database on a host of its own with this host's cores,
min(n x cores / node CPU per execution, cores / database CPU per execution); the sink and wrk not counted.
NOTE
