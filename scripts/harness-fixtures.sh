#!/usr/bin/env bash
# Regenerates the fixtures of `--from google-benchmark` and `--from pytest-benchmark` with the real
# tools (packages/core/test/fixtures/harnesses/*/README.md lists what each file is). A dev script:
# the tests read the committed files and never run it. Needs Debian's libbenchmark-dev, g++ and
# python3-pytest-benchmark (apt-get install -y libbenchmark-dev g++ python3-pytest-benchmark).
#
#   scripts/harness-fixtures.sh [google-benchmark|pytest-benchmark]...   (default: both)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fixtures=$root/packages/core/test/fixtures/harnesses
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

google_benchmark() {
  local dir=$fixtures/google-benchmark
  g++ -O2 -std=c++17 "$dir/bench.cc" -lbenchmark -lpthread -o "$work/bench"
  g++ -O2 -std=c++17 -DRATCHET_SLOWED "$dir/bench.cc" -lbenchmark -lpthread -o "$work/bench-slowed"
  local common=(--benchmark_min_time=0.02 --benchmark_out_format=json)
  for build in bench bench-slowed; do
    local name=${build/bench-slowed/slowed}
    name=${name/bench/base}
    # Repetitions: every repetition a sample, and the aggregates beside them.
    "$work/$build" "${common[@]}" --benchmark_repetitions=30 --benchmark_out="$dir/$name.json" >/dev/null
    # The aggregates alone (mean, median, stddev, cv over 30 repetitions): statistics, no samples.
    "$work/$build" "${common[@]}" --benchmark_repetitions=30 --benchmark_report_aggregates_only=true --benchmark_out="$dir/$name-aggregates.json" >/dev/null
    # One run per benchmark: one number each.
    "$work/$build" "${common[@]}" --benchmark_out="$dir/$name-single.json" >/dev/null
  done
  echo "google-benchmark: $(find "$dir" -name "*.json" | wc -l) files in ${dir#"$root"/}"
}

pytest_benchmark() {
  local dir=$fixtures/pytest-benchmark
  cp "$dir/test_kernels.py" "$work/"
  local run=(/usr/bin/python3 -m pytest -q -p no:cacheprovider "$work/test_kernels.py" --benchmark-min-rounds=10 --benchmark-max-time=0.05)
  for name in base slowed; do
    local slowed=0
    [ "$name" = slowed ] && slowed=1
    # --benchmark-json: every round's time (the `data` of each benchmark's stats).
    RATCHET_SLOWED=$slowed "${run[@]}" --benchmark-json="$dir/$name.json" >/dev/null
    # --benchmark-save without --benchmark-save-data: statistics only.
    RATCHET_SLOWED=$slowed "${run[@]}" --benchmark-storage="file://$work/storage-$name" --benchmark-save="$name" >/dev/null
    cp "$work/storage-$name"/*/0001_"$name".json "$dir/saved-$name.json"
    # --benchmark-save with --benchmark-save-data: the timings too.
    RATCHET_SLOWED=$slowed "${run[@]}" --benchmark-storage="file://$work/data-$name" --benchmark-save="$name" --benchmark-save-data >/dev/null
    cp "$work/data-$name"/*/0001_"$name".json "$dir/saved-data-$name.json"
  done
  echo "pytest-benchmark: $(find "$dir" -name "*.json" | wc -l) files in ${dir#"$root"/}"
}

for what in "${@:-google-benchmark pytest-benchmark}"; do
  for one in $what; do
    case "$one" in
      google-benchmark) google_benchmark ;;
      pytest-benchmark) pytest_benchmark ;;
      *) echo "usage: scripts/harness-fixtures.sh [google-benchmark|pytest-benchmark]..." >&2; exit 2 ;;
    esac
  done
done
