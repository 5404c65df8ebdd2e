#!/usr/bin/env bash
# Runs every libFuzzer target in fuzz/ for FUZZ_SECONDS each (default 300;
# `make test` passes 10) and prints each target's executions. A crash
# stops the run (non-zero) and leaves the input in fuzz/artifacts/<target>/;
# it then belongs in shared's unit tests, fixed.
#
# cargo-fuzz asks for a nightly compiler; RUSTC_BOOTSTRAP=1 lets the stable
# 1.95 one accept its -Z flags. No sanitizer (`-s none`): shared forbids
# unsafe code, so AddressSanitizer would find nothing the Rust checks do
# not, at several times the cost per execution.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export PATH="$HOME/.cargo/bin:$PATH"
export RUSTC_BOOTSTRAP=1
seconds=${FUZZ_SECONDS:-300}
targets=$(cargo fuzz list)
nice cargo fuzz build -s none
for t in $targets; do
  mkdir -p "corpus/$t" "seeds/$t"
  log=$(mktemp)
  # Seeds (committed) are read, new finds go to corpus/ (not committed).
  if ! cargo fuzz run -s none "$t" "corpus/$t" "seeds/$t" -- \
      -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
      -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    echo "fuzz target $t FAILED (input in fuzz/artifacts/$t/)" >&2
    rm -f "$log"
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  rate=$(grep -o 'exec/s: *[0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: *[0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || echo "?")
  printf 'fuzz %-14s %8ss  %10s runs  %8s exec/s  cov %s\n' "$t" "$seconds" "$runs" "$rate" "$cov"
  rm -f "$log"
done
