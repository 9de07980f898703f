#!/usr/bin/env bash
# Search on / search off in turn, same binary: the search scenarios of benches/compare.sh
# (cold into a fresh folder, nothing changed, one post edited) without its peers and
# settles, for a quick look on a busy machine (read the CPU ratios there).
# usage: benches/search_pairs.sh BIN WORK [RUNS] [SHARD_PAGES]
#   WORK holds `site` (with `search: false`) and `site-search`, copies of one generated site
#   (cargo bench --bench gensite -- --pages 10000 --out WORK/site-search).
set -euo pipefail
BIN=$1; W=$2; RUNS=${3:-3}
[ -n "${4:-}" ] && export TRAILMARK_SEARCH_SHARD_PAGES=$4
T() { local name=$1; shift; /usr/bin/time -a -o "$W/time-$name.log" -f "%e %U %S %M" "$@" >/dev/null 2>>"$W/err.log"; sync; }
n=0; fresh() { n=$((n+1)); echo "$W/out-$n"; }
ONE=$(ls $W/site/content/blog/*.md | sed -n 7p); ONE_S=$W/site-search/${ONE#$W/site/}
for r in $(seq $RUNS); do
  rm -rf $W/out-*; sync
  rm -rf $W/site/.trailmark-cache; T cold-off $BIN build --quiet --root $W/site --output $(fresh)
  rm -rf $W/site-search/.trailmark-cache; T cold-on $BIN build --quiet --root $W/site-search --output $(fresh)
done
rm -rf $W/out-*
for s in site site-search; do $BIN build --quiet --root $W/$s >/dev/null; $BIN build --quiet --root $W/$s >/dev/null; done
for r in $(seq $RUNS); do
  T warm-off $BIN build --quiet --root $W/site
  T warm-on $BIN build --quiet --root $W/site-search
done
for r in $(seq $RUNS); do
  printf '\nOne more line.\n' >> $ONE; T edit-off $BIN build --quiet --root $W/site
  printf '\nOne more line.\n' >> $ONE_S; T edit-on $BIN build --quiet --root $W/site-search
done
python3 - "$W" <<'PY'
import sys,statistics as st
W=sys.argv[1]; d={}
for n in ['cold-off','cold-on','warm-off','warm-on','edit-off','edit-on']:
    rows=[list(map(float,l.split())) for l in open(f'{W}/time-{n}.log')]
    d[n]=(st.median(r[0] for r in rows), st.median(r[1]+r[2] for r in rows), max(r[3] for r in rows)/1024, [r[0] for r in rows], [round(r[1]+r[2],2) for r in rows])
    print(f"{n:10s} wall {d[n][0]:7.2f}s cpu {d[n][1]:7.2f}s peak {d[n][2]:6.0f} MB  walls {d[n][3]} cpus {d[n][4]}")
for k in ['cold','warm','edit']:
    a,b=d[k+'-on'],d[k+'-off']
    print(f"{k}: on/off wall {a[0]/b[0]:.2f}x cpu {a[1]/b[1]:.2f}x; peak {a[2]:.0f} vs {b[2]:.0f} MB")
PY
