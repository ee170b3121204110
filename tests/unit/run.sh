#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run each host unit-test binary; print its result and one closing line.
set -u
pass=0 fail=0
for t in "$@"; do
	name=$(basename "$t")
	if out=$("$t" 2>&1); then
		echo "PASS: unit/$name ($(tail -n1 <<<"$out" | sed 's/^[^:]*: //'))"
		pass=$((pass + 1))
	else
		echo "FAIL: unit/$name"
		sed 's/^/    /' <<<"$out"
		fail=$((fail + 1))
	fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
