#!/usr/bin/env bash
# Build the MADT fuzz target with clang's libFuzzer and run it for a bounded time.
#   tests/fuzz/run.sh BUILD_DIR SECONDS
set -euo pipefail
out=$1 secs=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
command -v clang >/dev/null || { echo "fuzz: clang is missing: apt-get install clang libclang-rt-14-dev" >&2; exit 1; }
mkdir -p "$out/corpus"
clang -g -O1 -I"$root" -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	"$root/tests/fuzz/fuzz_madt.c" "$root/lib/acpi.c" "$root/lib/diag.c" "$root/lib/fmt.c" \
	-o "$out/fuzz_madt"
# Seed: a MADT with a local APIC, an x2APIC and an override entry.
python3 - "$out/corpus/seed" <<'PY'
import struct, sys
body = struct.pack('<II', 0xfee00000, 1)
body += bytes([0, 8, 0, 0]) + struct.pack('<I', 1)
body += bytes([9, 16, 0, 0]) + struct.pack('<III', 300, 1, 1)
body += bytes([5, 12, 0, 0]) + struct.pack('<Q', 0xfee00000)
hdr = b'APIC' + struct.pack('<I', 36 + len(body)) + bytes(28)
open(sys.argv[1], 'wb').write(hdr + body)
PY
"$out/fuzz_madt" -max_total_time="$secs" -max_len=4096 "$out/corpus" 2>&1 | tail -n 5
