#!/usr/bin/env bash
# Runs the whole test suite on Bun and then on Deno (same files), and prints one summary line
# `N passed, N failed`. Extra arguments are test paths (default: tests/).
# HALIDE_TEST_RUNTIMES="bun" limits the runtimes. HALIDE_TEST_TALLY=<file> appends "passed failed" for .ci/run to add up.
set -u
cd "$(dirname "$0")/.."
bin=node_modules/.bin
paths=("${@:-tests/}")
passed=0; failed=0

run() { # name, command...
  local name=$1; shift
  echo "=== $name: $*"
  local log; log=$(mktemp)
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  local p f
  if [ "$name" = bun ]; then
    p=$(grep -Eo '^ *[0-9]+ pass' "$log" | tail -1 | grep -Eo '[0-9]+')
    f=$(grep -Eo '^ *[0-9]+ fail' "$log" | tail -1 | grep -Eo '[0-9]+')
  else
    p=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -Eo '[0-9]+ passed' | tail -1 | grep -Eo '[0-9]+')
    f=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -Eo '[0-9]+ failed' | tail -1 | grep -Eo '[0-9]+')
  fi
  p=${p:-0}; f=${f:-0}
  # A runner that died without reporting counts as one failure.
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  echo "=== $name: $p passed, $f failed"
  passed=$((passed + p)); failed=$((failed + f))
  rm -f "$log"
}

runtimes=${HALIDE_TEST_RUNTIMES:-bun deno}
for rt in $runtimes; do
  case $rt in
    bun) run bun "$bin/bun" test --timeout 120000 "${paths[@]}" ;;
    # The compiler is the same code on both runtimes; Deno runs a third of the random schedules (its own FFI
    # backend is what it adds), unless HALIDE_PROPERTY_RUNS says otherwise.
    deno) HALIDE_PROPERTY_RUNS=${HALIDE_PROPERTY_RUNS:-0.35} run deno "$bin/deno" test -A --no-check "${paths[@]}" ;;
  esac
done

if [ -n "${HALIDE_TEST_TALLY:-}" ]; then echo "$passed $failed" >> "$HALIDE_TEST_TALLY"; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
