#!/usr/bin/env bash
# The main job in one command: builds task-queue, makes sure a Redis answers (starting one if
# none does), starts a worker, a scheduler and a reaper, uploads the sample task modules, submits sample tasks, then prints
# each task's result and its log file. Installs what is missing first (apt-get).
#
# Settings come from the environment as usual (REDIS_URL, TASK_QUEUE_...); by default the demo
# uses the key prefix "quickstart" so it never mixes with other data in the same Redis.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
source scripts/lib/ensure-tools.sh

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

ensure_tools
mkdir -p run
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
export TASK_QUEUE_KEY_PREFIX="${TASK_QUEUE_KEY_PREFIX:-quickstart}"
export TASK_QUEUE_WASM_LOG_DIR="${TASK_QUEUE_WASM_LOG_DIR:-$PWD/run/wasm-logs}"

step "Building (tests are skipped here: ./test.sh runs them)"
mvn -B -q -DskipTests package

worker_pid=""
reaper_pid=""
scheduler_pid=""
redis_port=""
cleanup() {
  for pid in "$reaper_pid" "$scheduler_pid"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      wait "$pid" || true
    fi
  done
  if [ -n "$worker_pid" ] && kill -0 "$worker_pid" 2>/dev/null; then
    step "Stopping the worker (SIGTERM: it finishes running tasks, then exits 0)"
    kill -TERM "$worker_pid"
    local code=0
    wait "$worker_pid" || code=$?
    echo "worker exited with code $code"
  fi
  if [ -n "$redis_port" ]; then
    redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
    echo "stopped the redis-server started for this demo"
  fi
}
trap cleanup EXIT

if redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then
  step "Using the Redis at $REDIS_URL"
else
  redis_port=6390
  while redis-cli -p "$redis_port" ping >/dev/null 2>&1; do redis_port=$((redis_port + 1)); done
  step "No Redis answers at $REDIS_URL: starting redis-server on 127.0.0.1:$redis_port"
  # Compact task hashes, as the compose file's Redis keeps them (docs/operations.md, "Redis").
  redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
    --hash-max-listpack-value 512 --daemonize yes --dir "$PWD/run" --logfile "$PWD/run/redis.log"
  export REDIS_URL="redis://127.0.0.1:$redis_port/0"
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

step "Starting a worker with 2 slots (its log: run/worker.log)"
bin/worker --concurrency 2 >run/worker.log 2>&1 &
worker_pid=$!

step "Starting a reaper: it retries failed tasks after their backoff (its log: run/reaper.log)"
bin/reaper >run/reaper.log 2>&1 &
reaper_pid=$!

step "Starting a scheduler: tasks for later and cron schedules (its log: run/scheduler.log)"
bin/scheduler >run/scheduler.log 2>&1 &
scheduler_pid=$!

step "Uploading the sample task modules to the registry"
for module in greeter.wasm wordcount.wasm checksum.wasm uppercase.wat; do
  bin/registry upload "sample-tasks/target/wasm/$module"
done
echo
bin/registry list

step "Submitting sample tasks"
names=(greeter wordcount checksum uppercase)
ids=()
for name in "${names[@]}"; do
  ids+=("$(bin/producer submit --task "$name" --payload "@sample-tasks/examples/$name.json")")
  echo "$name: ${ids[-1]}  payload $(tr -d '\n' <"sample-tasks/examples/$name.json")"
done
# One that fails on purpose, to show a retry and then the dead-letter queue.
names+=(wordcount)
ids+=("$(echo '{"txt":"the field is misspelt"}' | bin/producer submit --task wordcount --max-retries 1)")
echo "wordcount: ${ids[-1]}  payload {\"txt\":\"the field is misspelt\"} (fails on purpose, retried once)"

# One for later, and a cron schedule firing every two seconds, to show the scheduler at work.
names+=(greeter)
ids+=("$(bin/producer submit --task greeter --payload '{"name":"Later"}' --in 3s)")
echo "greeter: ${ids[-1]}  payload {\"name\":\"Later\"} (runs in 3 s)"
bin/producer cron rm quickstart-tick >/dev/null 2>&1 || true
bin/producer cron add --name quickstart-tick --task uppercase --payload '"tick"' --cron "*/2 * * * * *"

step "Results and log files"
for i in "${!ids[@]}"; do
  id=${ids[$i]}
  status=""
  for _ in $(seq 120); do
    status=$(bin/producer status --json "$id")
    if echo "$status" | grep -Eq '"stage" *: *"(completed|dead)"'; then break; fi
    sleep 0.5
  done
  printf '\n\033[1m%s %s\033[0m\n' "${names[$i]}" "$id"
  bin/producer status "$id" | sed 's/^/  /'
  if bin/producer result "$id" >run/result.out 2>run/result.err; then
    echo "  result: $(cat run/result.out)"
  else
    echo "  no result: $(cat run/result.err)"
  fi
  log=$(echo "$status" | grep -Eo '"log_path" *: *"[^"]*"' | sed -E 's/.*: *"(.*)"/\1/' || true)
  if [ -n "$log" ]; then
    echo "  log file: $log"
    sed 's/^/    /' "$log"
  fi
done

step "The cron schedule, after its first firings"
sleep 3
bin/producer cron list
bin/producer cron rm quickstart-tick

step "The dead-letter queue"
bin/producer dlq list

step "Done. Task logs are under $TASK_QUEUE_WASM_LOG_DIR; the processes' own logs are run/worker.log, run/scheduler.log and run/reaper.log"
