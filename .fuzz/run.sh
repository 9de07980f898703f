#!/usr/bin/env bash
# Runs every fuzz target for a bounded time: `.fuzz/run.sh [SECONDS_PER_TARGET]` (default 60).
# CI runs it with a short fixed budget; run it longer by hand. The committed seed corpus in
# .fuzz/corpus is copied, so a run never edits the repository; a crash fails the run and
# leaves its input under .fuzz/artifacts/<target>/ to turn into a regression test.
# Needs cargo-fuzz (`cargo install cargo-fuzz`); `--sanitizer none` works on stable Rust.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"
# FUZZ_RUNS=N runs each target for exactly N inputs from seed 1 instead of for a time, so a
# run is reproducible: CI uses it, and passes or fails the same way on any machine.
if [ -n "${FUZZ_RUNS:-}" ]; then
    budget=(-runs="$FUZZ_RUNS" -seed=1)
else
    budget=(-max_total_time="$SECONDS_PER_TARGET")
fi
work="$(mktemp -d)"
for target in front_matter markdown durations_and_slugs config_and_urls; do
    mkdir -p "$work/$target"
    cp -r ".fuzz/corpus/$target/." "$work/$target/"
    echo "== fuzz $target: ${budget[*]}"
    if ! cargo fuzz run --fuzz-dir .fuzz --sanitizer none --release "$target" "$work/$target" -- \
        "${budget[@]}" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$work/$target.log" 2>&1; then
        tail -n 40 "$work/$target.log" >&2
        echo "fuzz target $target failed; a crashing input is under .fuzz/artifacts/$target/" >&2
        exit 1
    fi
    grep -E '^stat::number_of_executed_units' "$work/$target.log" || true
done
echo "fuzzing: no crashes"
