#!/usr/bin/env bash
# Builds the libFuzzer target TARGET (one of Fuzz/Sources/Fuzz*) and runs it for SECONDS on its
# corpus: the committed seeds in Fuzz/Corpus/TARGET, new finds in Fuzz/.build-corpus/TARGET
# (not committed). Extra arguments go to libFuzzer. Crash inputs land in Fuzz/.build-crashes/.
#   Fuzz/run.sh FuzzSelectors 60
#   Fuzz/run.sh FuzzSelectors 0 Fuzz/.build-crashes/crash-…   # replay one input
set -euo pipefail
target=${1:?usage: Fuzz/run.sh TARGET SECONDS [libFuzzer options]}
seconds=${2:?usage: Fuzz/run.sh TARGET SECONDS [libFuzzer options]}
shift 2
cd "$(dirname "$0")"
configuration=${FUZZ_CONFIGURATION:-release}
swift build -c "$configuration" --product "$target" --sanitize=fuzzer -Xswiftc -enable-testing
binary=.build/$configuration/$target
# libFuzzer, not Swift's backtracer, must see a crash, so that it saves the input.
export SWIFT_BACKTRACE=enable=no
mkdir -p ".build-corpus/$target" .build-crashes
if [ "$#" -gt 0 ] && [ -f "${!#}" ]; then
    exec "$binary" "$@"
fi
exec "$binary" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix=.build-crashes/ \
    -max_len=65536 "$@" ".build-corpus/$target" "Corpus/$target"
