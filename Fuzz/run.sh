#!/usr/bin/env bash
# Fuzz/run.sh [SECONDS] [HARNESS...] -- builds the libFuzzer harnesses and runs each one for
# SECONDS (default 60) on its seed corpus, with the Nix token dictionary.
#
# Harnesses: FuzzParser (bytes -> --parse), FuzzEval (bytes -> --eval --strict under limits),
# FuzzFormats (fromJSON / fromTOML / match / split). Needs only the Swift toolchain (its
# libFuzzer runtime); SWIX_FUZZ_SANITIZERS picks the sanitizers (default "fuzzer"; e.g.
# "fuzzer,address"). Built in release mode into .build-fuzz/ (.build-fuzz-SANITIZERS/ for other sanitizers; the
# normal .build/ is untouched).
# SWIX_FUZZ_SEED fixes libFuzzer's random seed (default 0: random).
# Crashes are written to Fuzz/out/HARNESS/crash-* (git-ignored); the run fails if any is found.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER=${1:-60}
shift || true
HARNESSES=("$@")
[ ${#HARNESSES[@]} -eq 0 ] && HARNESSES=(FuzzParser FuzzEval FuzzFormats)
SAN=${SWIX_FUZZ_SANITIZERS:-fuzzer}
CONFIG=${SWIX_FUZZ_CONFIG:-release}
# One build folder per set of sanitizers, so that switching does not rebuild everything.
BUILD=.build-fuzz
[ "$SAN" = fuzzer ] || BUILD=.build-fuzz-${SAN//,/-}

python3 Fuzz/make-corpus.py
for h in "${HARNESSES[@]}"; do
    SWIX_FUZZ=1 swift build -c "$CONFIG" --build-path "$BUILD" --product "$h" \
        -Xswiftc "-sanitize=$SAN" -Xswiftc -parse-as-library -Xswiftc -DSWIX_FUZZ
done
BIN=$(SWIX_FUZZ=1 swift build -c "$CONFIG" --build-path "$BUILD" --show-bin-path)
status=0
for h in "${HARNESSES[@]}"; do
    out=Fuzz/out/$h
    mkdir -p "$out/corpus"
    echo "== $h: ${SECONDS_PER}s"
    # The evolving corpus lives in Fuzz/out; the checked-in seeds are read-only inputs.
    if ! "$BIN/$h" -max_total_time="$SECONDS_PER" -timeout=20 -rss_limit_mb=2048 -max_len=4096 \
        -dict=Fuzz/nix.dict -artifact_prefix="$out/" -print_final_stats=1 -seed="${SWIX_FUZZ_SEED:-0}" \
        "$out/corpus" "Fuzz/corpus/$h" 2>&1 | tee "$out/log.txt" | grep -E "^#[0-9]+.*(INITED|DONE|pulse)|ERROR|SUMMARY|crash-|stat::"; then
        :
    fi
    if ls "$out"/crash-* "$out"/timeout-* "$out"/oom-* >/dev/null 2>&1; then
        echo "== $h: found problems:"; ls "$out"/crash-* "$out"/timeout-* "$out"/oom-* 2>/dev/null
        status=1
    fi
done
exit $status
