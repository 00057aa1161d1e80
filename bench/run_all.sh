#!/usr/bin/env bash
# Every benchmark on SQLite and on PostgreSQL (about an hour on 2 cores). Figures: bench/out/results.jsonl and
# one log per run in bench/out/. Settings: see bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-.venv/bin/python}
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
SQLITE_REGISTER=${SQLITE_REGISTER:-1000000}
SQLITE_UNITS=${SQLITE_UNITS:-100000}
SQLITE_EVENTS=${SQLITE_EVENTS:-500000}
REQUESTS=${REQUESTS:-20000}
SERVICE=${SERVICE:-0}
OUT=bench/out
RESULTS=$OUT/results.jsonl
mkdir -p "$OUT"

run() {  # run <log name> <script> <args...>
    local log=$OUT/$1.log
    shift
    echo "== $* (log: $log)"
    "$PY" "$@" --json "$RESULTS" 2>&1 | tee "$log"
}

echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') RAM," \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"

run register_sqlite bench/register.py --fresh --count "$SQLITE_REGISTER" \
    --database-url "sqlite:///$PWD/$OUT/bench_register.sqlite3"
run register_postgres bench/register.py --fresh \
    --database-url "$PG_URL/unitrace_bench_register"

run unit_file_sqlite bench/unit_file.py --fresh --units "$SQLITE_UNITS" \
    --events "$SQLITE_EVENTS" --requests "$REQUESTS" \
    --database-url "sqlite:///$PWD/$OUT/bench_unit_file.sqlite3"
run unit_file_postgres bench/unit_file.py --fresh --requests "$REQUESTS" \
    --database-url "$PG_URL/unitrace_bench_file"

# receiving, stocktake, delivery, authenticity: one run per database each
for db in postgres sqlite; do
    if [[ $db == postgres ]]; then
        url() { echo "$PG_URL/unitrace_bench_$1"; }
    else
        url() { echo "sqlite:///$PWD/$OUT/bench_$1.sqlite3"; }
    fi
    run "procurement_$db" bench/procurement_receiving.py --fresh --database-url "$(url procurement)"
    run "stocktake_$db" bench/inventory_stocktake.py --fresh --batch 1000 \
        --database-url "$(url inventory)"
    run "delivery_$db" bench/sales_delivery.py --fresh --count 10000 --database-url "$(url sales)"
    run "authenticity_$db" bench/authenticity_verify.py --fresh --database-url "$(url auth)"
done

# business time of SLA clocks: pure computation, the database only loads the calendars
run calendars_business_time bench/calendars_business_time.py --fresh \
    --database-url "sqlite:///$PWD/$OUT/bench_calendars.sqlite3"

# after-sales service (PostgreSQL only): building 1,000,000 customers, 5,000,000 units and
# 1,000,000 work orders takes about an hour on 2 cores, so it runs only with SERVICE=1.
# The database is kept: the build is resumable and skips what is there, so a second run
# goes straight to the measurements.
if [[ $SERVICE == 1 ]]; then
    service_url=$PG_URL/unitrace_bench_service
    run service_data bench/service_data.py --database-url "$service_url"
    run service_search bench/service_search.py --database-url "$service_url"
    run service_intake bench/service_intake.py --database-url "$service_url"
fi

echo "results appended to $RESULTS"
