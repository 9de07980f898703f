#!/usr/bin/env bash
# `serve` latency per kind of edit (body, title, a post added, renamed, removed, the blog's
# `_index.md` body) on a generated site, as `serve --verbose` reports it:
# benches/serve_edits.sh BIN SITE SEARCH(true|false) RUNS.
# Each edit waits for its rebuild and one more second; prints latency, outputs re-rendered and how.
set -u
BIN=$1; SRC=$2; SEARCH=$3; RUNS=$4
W=$(mktemp -d /tmp/se.XXXX); cp -a "$SRC" "$W/site"
if [ "$SEARCH" = false ]; then printf '\nsearch: false\n' >> "$W/site/trailmark.yaml"; fi
port=$((20000 + RANDOM % 20000)); log=$W/log
"$BIN" serve --root "$W/site" --port $port --verbose >"$log" 2>&1 & pid=$!
for _ in $(seq 2400); do grep -q 'rebuild-timing number=1 ' "$log" && break; sleep 0.1; done
sleep 3
blog=$W/site/content/blog
page=$(find "$blog" -name '*.md' ! -name '_index.md' | sort | head -1)
wait_next() { local b=$1; for _ in $(seq 1200); do [ "$(grep -c 'rebuild-timing' "$log")" -gt "$b" ] && break; sleep 0.05; done; sleep 1; }
edit() { # kind n
  local b; b=$(grep -c 'rebuild-timing' "$log")
  case $1 in
    body) printf '\nAn edited paragraph, version %s.\n' "$2" >> "$page";;
    title) sed -i "0,/^title: \"/s//title: \"Edit $2 /" "$page";;
    add) printf -- '---\ntitle: "Added %s"\ndate: 2026-01-0%s\n---\nA new post.\n' "$2" "$2" > "$blog/2026-01-0$2-added-$2.md";;
    rename) mv "$blog/2026-01-0$2-added-$2.md" "$blog/2026-01-0$2-renamed-$2.md";;
    remove) rm "$blog/2026-01-0$2-renamed-$2.md";;
    section) printf '\nThe blog, version %s.\n' "$2" >> "$blog/_index.md";;
  esac
  wait_next "$b"
  echo "$1 $(grep 'rebuild-timing' "$log" | tail -1 | grep -oE 'latency_ms=[0-9.]+|rendered=[0-9]+' | tr '\n' ' ') $(grep '^ *how:' "$log" | tail -1)"
}
for n in $(seq $RUNS); do edit body $n; edit title $n; edit add $n; edit rename $n; edit remove $n; edit section $n; done
kill $pid; wait $pid 2>/dev/null; rm -rf "$W"
