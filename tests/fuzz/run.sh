#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build every libFuzzer target (tests/fuzz/fuzz_*.c) and run each, one after
# another, for a bounded time; print one line per target and a closing line.
#   tests/fuzz/run.sh BUILD_DIR SECONDS
# Each target's first line names the lib/ files it links ("/* links: ... */");
# all share the dictionary tests/fuzz/fuzz.dict.
# The committed seeds (tests/fuzz/corpus/<target>/) are copied into a work
# corpus under BUILD_DIR, which libFuzzer grows; the seeds stay as they are.
# Full logs: BUILD_DIR/<target>.log; a crashing input: BUILD_DIR/artifacts/<target>/.
set -euo pipefail
out=$1 secs=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v clang >/dev/null || { echo "fuzz: clang is missing: bash .ci/deps.sh fuzz" >&2; exit 1; }
mkdir -p "$out"
pass=0 fail=0
for src in "$root"/tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	links=$(sed -n '1s/.*links:\(.*\)\*\/.*/\1/p' "$src")
	log="$out/$name.log"
	if ! (cd "$root" && clang -g -O1 -I"$root" -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all "$src" $links -o "$out/$name") >"$log" 2>&1; then
		echo "FAIL: fuzz/$name (build)"
		sed 's/^/    /' "$log"
		fail=$((fail + 1))
		continue
	fi
	corpus="$out/corpus/$name" art="$out/artifacts/$name/"
	mkdir -p "$corpus" "$art"
	[ -d "$root/tests/fuzz/corpus/$name" ] && cp -f "$root/tests/fuzz/corpus/$name"/* "$corpus"/
	# The Multiboot2 memory map holds up to 256 entries of 24 bytes: longer inputs.
	max_len=4096
	[ "$name" = fuzz_mb2 ] && max_len=8192
	# -timeout: an input that takes 10 s is a hang (a walk that never ends).
	if "$out/$name" -max_total_time="$secs" -max_len="$max_len" -timeout=10 \
		-dict="$root/tests/fuzz/fuzz.dict" -artifact_prefix="$art" -print_final_stats=1 \
		"$corpus" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		cov=$(sed -n 's/^#[0-9]*[[:space:]]*DONE[[:space:]]*cov: \([0-9]*\).*/\1/p' "$log")
		echo "PASS: fuzz/$name (${runs:-?} runs in ${secs}s, cov ${cov:-?}, corpus $(ls "$corpus" | wc -l))"
		pass=$((pass + 1))
	else
		why=$(grep -m1 -E '==ERROR|runtime error|invariant broken|ALARM|out-of-memory' "$log" ||
			tail -n1 "$log")
		echo "FAIL: fuzz/$name: $why"
		grep -E '^(artifact_prefix|Test unit written to)' "$log" | sed 's/^/    /' || true
		fail=$((fail + 1))
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
