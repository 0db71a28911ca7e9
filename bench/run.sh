#!/usr/bin/env bash
# bench/run.sh -- run the Swix benchmark suite side by side with C++ Nix.
#
# Every workload is run with Swix and with the reference Nix (`nix-ref
# nix-instantiate`, C++ Nix 2.26 living in the chroot /opt/nix-ref-root).
# Each tool first runs once untimed (warm-up + correctness check: the two
# stdouts are compared, MISMATCH is flagged), then N timed repetitions; the
# table shows the median wall time, the ratio swix/nix and the peak RSS
# (maximum over the repetitions).  The targets are ratio <= 0.5 and swix peak
# memory <= nix peak memory on every workload (see bench/README.md).
#
# Usage: bench/run.sh [--only NAME[,NAME...]] [--reps N] [--parse-size SIZE]
#                     [--timeout SECS] [--list] [--help]
#
# Environment:
#   SWIX         Swix command (default: <repo>/.build/release/swix).  May have
#                several words.  If its first word is the nix-ref wrapper, the
#                rest is run and timed inside the chroot, like the reference
#                (SWIX="nix-ref nix-instantiate" is a self-test: ratios ~ 1).
#   SWIX_SUBCMD  subcommand put after $SWIX (default "instantiate", or nothing
#                when $SWIX ends in nix-instantiate).
#   NIX_REF      reference wrapper (default: nix-ref); NIX_REF_ROOT its chroot
#                (default: /opt/nix-ref-root).
#
# Requirements: bash >= 5, python3 (generators), coreutils, and GNU time
# (/usr/bin/time, Debian package `time`) on the host and inside the nix-ref
# chroot.  When run as root the script installs `time` with apt-get where it
# is missing (host: `apt-get install time`; chroot: the same via nix-ref).
# Without it inside the chroot, nix is timed and measured from outside the
# wrapper instead (the "nix+wrap" column).
#
# Timing: for the reference, the wall time is taken inside the chroot, around
# nix-instantiate alone (EPOCHREALTIME before/after, GNU time for peak RSS),
# so the ~30 ms of mounting/chroot set-up done by the wrapper is not charged
# to Nix; the "nix+wrap" column is the wall time of the whole `nix-ref ...`
# command for comparison.  Swix is timed the same way on the host.
#
# Generated inputs go to bench/generated/ (git-ignored) and are regenerated
# when missing or stale; outputs and logs go to bench/out/ (git-ignored).

set -u -o pipefail
export LC_ALL=C

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
GEN_DIR=$BENCH_DIR/generated
OUT_DIR=$BENCH_DIR/out

SWIX=${SWIX:-$ROOT/.build/release/swix}
NIX_REF=${NIX_REF:-nix-ref}
NIX_REF_ROOT=${NIX_REF_ROOT:-/opt/nix-ref-root}

REPS=5
ONLY=""
PARSE_SIZE=6M
TIMEOUT=600

# name | kind (parse/eval) | input file
WORKLOADS=(
  "parse|parse|$GEN_DIR/parse.nix"
  "fib|eval|$BENCH_DIR/eval/fib.nix"
  "list-fold|eval|$BENCH_DIR/eval/list-fold.nix"
  "attrset|eval|$BENCH_DIR/eval/attrset.nix"
  "string-concat|eval|$BENCH_DIR/eval/string-concat.nix"
  "deep-let|eval|$GEN_DIR/deep-let.nix"
  "startup|eval|$BENCH_DIR/eval/startup.nix"
  "sort|eval|$BENCH_DIR/eval/sort.nix"
  "generic-closure|eval|$BENCH_DIR/eval/generic-closure.nix"
  "regex|eval|$BENCH_DIR/eval/regex.nix"
  "modules|eval|$GEN_DIR/modules.nix"
  "lib-misc|eval|$ROOT/Tests/Data/nixpkgs-lib/lib/tests/misc.nix"
  "json|eval|$BENCH_DIR/eval/json.nix"
)

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }
die() { echo "run.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case $1 in
    --only) [ $# -ge 2 ] || die "--only needs a value"; ONLY="$ONLY,$2"; shift 2 ;;
    --only=*) ONLY="$ONLY,${1#*=}"; shift ;;
    --reps) [ $# -ge 2 ] || die "--reps needs a value"; REPS=$2; shift 2 ;;
    --reps=*) REPS=${1#*=}; shift ;;
    --parse-size) [ $# -ge 2 ] || die "--parse-size needs a value"; PARSE_SIZE=$2; shift 2 ;;
    --parse-size=*) PARSE_SIZE=${1#*=}; shift ;;
    --timeout) [ $# -ge 2 ] || die "--timeout needs a value"; TIMEOUT=$2; shift 2 ;;
    --timeout=*) TIMEOUT=${1#*=}; shift ;;
    --list) for w in "${WORKLOADS[@]}"; do echo "${w%%|*}"; done; exit 0 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
done
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive integer"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive integer"

# Select workloads.
SELECTED=()
if [ -n "$ONLY" ]; then
  IFS=, read -r -a wanted <<< "${ONLY#,}"
  for n in "${wanted[@]}"; do
    [ -n "$n" ] || continue
    found=""
    for w in "${WORKLOADS[@]}"; do
      if [ "${w%%|*}" = "$n" ]; then SELECTED+=("$w"); found=1; fi
    done
    [ -n "$found" ] || die "unknown workload '$n' (known: $(for w in "${WORKLOADS[@]}"; do printf '%s ' "${w%%|*}"; done))"
  done
else
  SELECTED=("${WORKLOADS[@]}")
fi

# ---------------------------------------------------------------- tools
(( BASH_VERSINFO[0] >= 5 )) || die "needs bash >= 5 (EPOCHREALTIME)"
command -v python3 >/dev/null || die "python3 not found"
command -v "$NIX_REF" >/dev/null || die "reference wrapper '$NIX_REF' not found"

if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "run.sh: /usr/bin/time missing, installing package 'time' with apt-get" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time) >&2 \
      || die "could not install 'time'"
  fi
  [ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) is required: apt-get install time"
fi
if [ ! -x "$NIX_REF_ROOT/usr/bin/time" ] && [ "$(id -u)" = 0 ]; then
  echo "run.sh: /usr/bin/time missing in $NIX_REF_ROOT, installing 'time' there with apt-get" >&2
  "$NIX_REF" bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time' >&2 \
    || echo "run.sh: warning: could not install time in the chroot; measuring nix from outside the wrapper" >&2
fi
INNER_TIME=0
[ -x "$NIX_REF_ROOT/usr/bin/time" ] && INNER_TIME=1

read -r -a SWIX_CMD <<< "$SWIX"
[ ${#SWIX_CMD[@]} -gt 0 ] || die "SWIX is empty"
SWIX_IN_CHROOT=0
if [ "${SWIX_CMD[0]}" = "$NIX_REF" ] || [ "$(basename -- "${SWIX_CMD[0]}")" = "$(basename -- "$NIX_REF")" ]; then
  SWIX_IN_CHROOT=1
  SWIX_CMD=("${SWIX_CMD[@]:1}")
fi
if [ -z "${SWIX_SUBCMD+set}" ]; then
  if [ "$(basename -- "${SWIX_CMD[-1]}")" = nix-instantiate ]; then SWIX_SUBCMD=""; else SWIX_SUBCMD=instantiate; fi
fi
[ -n "$SWIX_SUBCMD" ] && SWIX_CMD+=("$SWIX_SUBCMD")
SWIX_MISSING=0
if [ $SWIX_IN_CHROOT = 0 ] && ! command -v "${SWIX_CMD[0]}" >/dev/null; then
  SWIX_MISSING=1
fi

mkdir -p "$GEN_DIR" "$OUT_DIR"
TMP=$(mktemp -d /tmp/swix-bench.XXXXXX)   # /tmp is visible inside the chroot too
trap 'rm -rf "$TMP"' EXIT

# ---------------------------------------------------------------- inputs
# Regenerate when missing, older than its generator, or made with other params.
ensure_input() {
  local file=$1 gen stamp
  case $(basename "$file") in
    parse.nix)
      gen=$BENCH_DIR/gen-parse-input.py
      # same size arithmetic as parse_size() in the generator
      stamp="target $(awk -v s="$PARSE_SIZE" 'BEGIN { m = 1; u = toupper(substr(s, length(s)))
        if (u == "M") m = 1048576; else if (u == "K") m = 1024
        if (m > 1) s = substr(s, 1, length(s) - 1)
        printf "%d", int(s * m) }') bytes"
      if [ ! -s "$file" ] || [ "$gen" -nt "$file" ] || ! head -1 "$file" | grep -qF "$stamp"; then
        echo "generating $file ($PARSE_SIZE)" >&2
        python3 "$gen" "$file.tmp" "$PARSE_SIZE" && mv "$file.tmp" "$file" || die "generation of $file failed"
      fi ;;
    deep-let.nix)
      gen=$BENCH_DIR/gen-deep-let.py
      if [ ! -s "$file" ] || [ "$gen" -nt "$file" ]; then
        echo "generating $file" >&2
        python3 "$gen" "$file.tmp" && mv "$file.tmp" "$file" || die "generation of $file failed"
      fi ;;
    modules.nix)
      gen=$BENCH_DIR/gen-modules.py
      if [ ! -s "$file" ] || [ "$gen" -nt "$file" ] || ! grep -qF "import $ROOT/Tests/Data/nixpkgs-lib/lib;" "$file"; then
        echo "generating $file" >&2
        python3 "$gen" "$file.tmp" "$ROOT/Tests/Data/nixpkgs-lib/lib" && mv "$file.tmp" "$file" || die "generation of $file failed"
      fi ;;
    *) [ -f "$file" ] || die "missing workload file $file" ;;
  esac
}

# ---------------------------------------------------------------- measuring
# Script run inside the chroot: times the command alone.
# $0 = result file, $1 = timeout, rest = command.
INNER='f=$0; to=$1; shift; export LC_ALL=C
if [ -x /usr/bin/time ]; then
  s=$EPOCHREALTIME; /usr/bin/time -f %M -o "$f.rss" timeout "$to" "$@"; rc=$?; e=$EPOCHREALTIME
else
  s=$EPOCHREALTIME; timeout "$to" "$@"; rc=$?; e=$EPOCHREALTIME; echo - > "$f.rss"
fi
echo "$s $e" > "$f"; exit $rc'

us() { local t=${1/./}; echo $((10#$t)); }   # EPOCHREALTIME -> microseconds

# run_once WHERE(host|chroot) STDOUT STDERR CMD... ; sets RC T_US WRAP_US RSS_KB
run_once() {
  local where=$1 out=$2 err=$3; shift 3
  local s e
  rm -f "$TMP"/res "$TMP"/res.rss "$TMP"/outer.rss
  if [ "$where" = host ]; then
    s=$EPOCHREALTIME
    /usr/bin/time -f %M -o "$TMP/outer.rss" timeout "$TIMEOUT" "$@" >"$out" 2>"$err"; RC=$?
    e=$EPOCHREALTIME
    T_US=$(( $(us "$e") - $(us "$s") )); WRAP_US=$T_US
    RSS_KB=$(tail -n 1 "$TMP/outer.rss" 2>/dev/null)
  else
    s=$EPOCHREALTIME
    /usr/bin/time -f %M -o "$TMP/outer.rss" "$NIX_REF" bash -c "$INNER" "$TMP/res" "$TIMEOUT" "$@" >"$out" 2>"$err"; RC=$?
    e=$EPOCHREALTIME
    WRAP_US=$(( $(us "$e") - $(us "$s") ))
    if [ $INNER_TIME = 1 ] && [ -s "$TMP/res" ]; then
      local is ie; read -r is ie < "$TMP/res"
      T_US=$(( $(us "$ie") - $(us "$is") ))
      RSS_KB=$(tail -n 1 "$TMP/res.rss" 2>/dev/null)
    else
      T_US=$WRAP_US
      RSS_KB=$(tail -n 1 "$TMP/outer.rss" 2>/dev/null)
    fi
  fi
  [[ $RSS_KB =~ ^[0-9]+$ ]] || RSS_KB=0
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }
maxof() { printf '%s\n' "$@" | sort -n | tail -n 1; }
secs() { awk -v u="$1" 'BEGIN {printf "%.3f", u/1e6}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k/1024}'; }

# tool_cmd TOOL KIND FILE -> sets CMD array and WHERE
tool_cmd() {
  local tool=$1 kind=$2 file=$3 flags
  if [ "$kind" = parse ]; then flags=(--parse); else flags=(--eval --strict); fi
  if [ "$tool" = nix ]; then
    WHERE=chroot; CMD=(nix-instantiate "${flags[@]}" "$file")
  else
    if [ $SWIX_IN_CHROOT = 1 ]; then WHERE=chroot; else WHERE=host; fi
    CMD=("${SWIX_CMD[@]}" "${flags[@]}" "$file")
  fi
}

# check_tool TOOL NAME KIND FILE: warm-up + correctness run (untimed), stdout
# kept in $OUT_DIR for comparison.  Sets OK[TOOL], ERR[TOOL].
check_tool() {
  local tool=$1 name=$2 kind=$3 file=$4
  local out=$OUT_DIR/$name.$tool.out err=$OUT_DIR/$name.$tool.err
  OK[$tool]=1; ERR[$tool]=""; TIMES[$tool]=""; WRAPS[$tool]=""; RSSES[$tool]=""
  if [ "$tool" = swix ] && [ $SWIX_MISSING = 1 ]; then
    OK[$tool]=0; ERR[$tool]="not found: ${SWIX_CMD[0]}"; : > "$out"; echo "${ERR[$tool]}" > "$err"; return
  fi
  tool_cmd "$tool" "$kind" "$file"
  run_once "$WHERE" "$out" "$err" "${CMD[@]}"
  echo "$tool $name check rc=$RC t=$(secs $T_US)s wrap=$(secs $WRAP_US)s rss=${RSS_KB}KB: ${CMD[*]}" >> "$LOG"
  if [ $RC != 0 ]; then
    OK[$tool]=0; ERR[$tool]="rc=$RC"; [ $RC = 124 ] && ERR[$tool]="timeout ${TIMEOUT}s"
  fi
}

# rep_tool TOOL NAME KIND FILE I: one timed repetition (stdout to /dev/null).
rep_tool() {
  local tool=$1 name=$2 kind=$3 file=$4 i=$5
  [ "${OK[$tool]}" = 1 ] || return
  tool_cmd "$tool" "$kind" "$file"
  run_once "$WHERE" /dev/null "$TMP/err" "${CMD[@]}"
  echo "$tool $name rep $i rc=$RC t=$(secs $T_US)s wrap=$(secs $WRAP_US)s rss=${RSS_KB}KB" >> "$LOG"
  if [ $RC != 0 ]; then
    OK[$tool]=0; ERR[$tool]="rc=$RC in rep $i"; [ $RC = 124 ] && ERR[$tool]="timeout ${TIMEOUT}s in rep $i"
    cp "$TMP/err" "$OUT_DIR/$name.$tool.err"; return
  fi
  TIMES[$tool]+=" $T_US"; WRAPS[$tool]+=" $WRAP_US"; RSSES[$tool]+=" $RSS_KB"
}

# bench_workload NAME KIND FILE: checks both tools, then REPS rounds in which
# the two tools alternate (nix first in odd rounds, swix first in even ones)
# so that slow drifts of the machine affect both alike.
declare -A OK ERR TIMES WRAPS RSSES
bench_workload() {
  local name=$1 kind=$2 file=$3 i
  check_tool nix "$name" "$kind" "$file"
  check_tool swix "$name" "$kind" "$file"
  for ((i = 1; i <= REPS; i++)); do
    if (( i % 2 )); then
      rep_tool nix "$name" "$kind" "$file" $i; rep_tool swix "$name" "$kind" "$file" $i
    else
      rep_tool swix "$name" "$kind" "$file" $i; rep_tool nix "$name" "$kind" "$file" $i
    fi
  done
}

# ---------------------------------------------------------------- main
STAMP=$(date +%Y%m%d-%H%M%S)-$$
LOG=$OUT_DIR/run-$STAMP.log
TSV=$OUT_DIR/results-$STAMP.tsv
: > "$LOG"
printf 'workload\tswix_s\tnix_s\tratio\tswix_mib\tnix_mib\tnix_wrap_s\toutput\ttarget\n' > "$TSV"

echo "swix: ${SWIX_CMD[*]}$([ $SWIX_IN_CHROOT = 1 ] && echo ' (in chroot)')$([ $SWIX_MISSING = 1 ] && echo ' -- NOT FOUND')"
echo "nix:  $NIX_REF nix-instantiate ($("$NIX_REF" nix-instantiate --version 2>/dev/null | head -n 1)); timed $([ $INNER_TIME = 1 ] && echo 'inside the chroot' || echo 'around the wrapper')"
echo "reps: $REPS (median wall time; peak RSS = max over reps); load average: $(cut -d' ' -f1-3 /proc/loadavg); cores: $(nproc)"
echo

FMT='%-14s %9s %9s %8s %9s %9s %9s  %-9s %s\n'
printf "$FMT" workload "swix s" "nix s" swix/nix "swix MiB" "nix MiB" "nix+wrap" output target
printf "$FMT" -------------- --------- --------- -------- --------- --------- --------- --------- ------
ALL_MET=1
for w in "${SELECTED[@]}"; do
  IFS='|' read -r name kind file <<< "$w"
  ensure_input "$file"

  bench_workload "$name" "$kind" "$file"
  N_OK=${OK[nix]} N_ERR=${ERR[nix]} S_OK=${OK[swix]} S_ERR=${ERR[swix]}
  if [ $N_OK = 1 ]; then
    N_US=$(median ${TIMES[nix]}); N_WRAP=$(median ${WRAPS[nix]}); N_KB=$(maxof ${RSSES[nix]})
  fi
  if [ $S_OK = 1 ]; then
    S_US=$(median ${TIMES[swix]}); S_KB=$(maxof ${RSSES[swix]})
  fi
  if [ $N_OK = 0 ]; then
    output="NIXFAIL"; target="-"; ALL_MET=0
    printf "$FMT" "$name" - - - - - - "$output" "nix failed ($N_ERR), see $OUT_DIR/$name.nix.err"
    printf '%s\t\t\t\t\t\t\t%s\t%s\n' "$name" "$output" "$target" >> "$TSV"
    continue
  fi
  if [ $S_OK = 0 ]; then
    output="FAIL"; target="missed"; ALL_MET=0
    msg=$(grep -m 1 -v '^[[:space:]]*$' "$OUT_DIR/$name.swix.err" 2>/dev/null | cut -c 1-80)
    printf "$FMT" "$name" FAIL "$(secs $N_US)" - - "$(mib $N_KB)" "$(secs $N_WRAP)" "$output" "swix $S_ERR${msg:+: $msg}"
    printf '%s\t\t%s\t\t\t%s\t%s\t%s\t%s\n' "$name" "$(secs $N_US)" "$(mib $N_KB)" "$(secs $N_WRAP)" "$output" "$target" >> "$TSV"
    continue
  fi
  if cmp -s "$OUT_DIR/$name.swix.out" "$OUT_DIR/$name.nix.out"; then output=same; else output=MISMATCH; fi
  ratio=$(awk -v s="$S_US" -v n="$N_US" 'BEGIN {printf "%.2f", (n > 0 ? s / n : 0)}')
  if [ "$output" = same ] && awk -v s="$S_US" -v n="$N_US" 'BEGIN {exit !(s <= 0.5 * n)}' && [ "$S_KB" -le "$N_KB" ]; then
    target=met
  else
    target=missed; ALL_MET=0
  fi
  [ "$output" = MISMATCH ] && target="$target (diff $OUT_DIR/$name.{nix,swix}.out)"
  printf "$FMT" "$name" "$(secs $S_US)" "$(secs $N_US)" "$ratio" "$(mib $S_KB)" "$(mib $N_KB)" "$(secs $N_WRAP)" "$output" "$target"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$(secs $S_US)" "$(secs $N_US)" "$ratio" "$(mib $S_KB)" "$(mib $N_KB)" "$(secs $N_WRAP)" "$output" "$target" >> "$TSV"
done
cp "$TSV" "$OUT_DIR/results-latest.tsv"
echo
echo "targets (swix/nix <= 0.50 and swix MiB <= nix MiB, same output): $([ $ALL_MET = 1 ] && echo 'all met' || echo 'NOT all met')"
echo "outputs: $OUT_DIR/<workload>.{swix,nix}.{out,err}; log: $LOG; table: $TSV"
exit 0
