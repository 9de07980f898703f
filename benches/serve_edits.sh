#!/usr/bin/env bash
# `serve` latency per kind of edit (body, title, a post added, renamed, removed, the blog's
# `_index.md` body and title, the post template, a static file added and removed, the site's
# title in trailmark.yaml) on a
# generated site, as `serve --verbose` reports it:
# benches/serve_edits.sh BIN SITE SEARCH(true|false) RUNS [KINDS].
# KINDS (default all) is a space-separated list of the kinds above, in order.
# Each edit waits for its rebuild and one more second; prints latency, outputs re-rendered and how
# (and each step's time, with STEPS=1 in the environment).
set -u
BIN=$1; SRC=$2; SEARCH=$3; RUNS=$4
KINDS=${5:-body title add rename remove section sectiontitle template staticadd staticremove config}
W=$(mktemp -d /tmp/se.XXXX); cp -a "$SRC" "$W/site"
# The post template, overridden by the site with the theme's own text (the same output)
# before the server starts, for the `template` edits.
mkdir -p "$W/site/templates" "$W/site/static"
cp "$(dirname "$0")/../themes/default/templates/post.html" "$W/site/templates/post.html"
# (A site that already says `search:` keeps its own line: a second one is a YAML error.)
if [ "$SEARCH" = false ] && ! grep -q '^search:' "$W/site/trailmark.yaml"; then
  printf '\nsearch: false\n' >> "$W/site/trailmark.yaml"
fi
# The edited page's file is dated today before the server starts: without git, a page's
# "last updated" date is its file's, so the first edit of an older file changes the page's
# date too (a page edit, not the body edit measured here).
touch "$(find "$W/site/content/blog" -name '*.md' ! -name '_index.md' | sort | head -1)"
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
    sectiontitle) sed -i "0,/^title: \"/s//title: \"Edit $2 /" "$blog/_index.md";;
    template) sed -i "0,/{% block main %}/s//{% block main %}<!-- edit $2 -->/" "$W/site/templates/post.html";;
    staticadd) printf 'A static file, version %s.\n' "$2" > "$W/site/static/added-$2.txt";;
    staticremove) rm "$W/site/static/added-$2.txt";;
    config) sed -i "0,/^title: /s//title: Edit $2 /" "$W/site/trailmark.yaml";;
  esac
  wait_next "$b"
  echo "$1 $(grep 'rebuild-timing' "$log" | tail -1 | grep -oE 'latency_ms=[0-9.]+|rendered=[0-9]+' | tr '\n' ' ') $(grep '^ *how:' "$log" | tail -1)"
  [ -n "${STEPS:-}" ] && grep '^ *steps:' "$log" | tail -1
}
for n in $(seq $RUNS); do for kind in $KINDS; do edit "$kind" "$n"; done; done
kill $pid; wait $pid 2>/dev/null; rm -rf "$W"
