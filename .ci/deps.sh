#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian/Ubuntu packages vmxprobe needs, if any are missing.
#   .ci/deps.sh build   compiler, GRUB (BIOS and EFI), xorriso, mtools
#   .ci/deps.sh test    the above, plus QEMU (and its PXE ROMs), OVMF, SeaBIOS, Bochs,
#                       python3 with pytest, pytest-xdist and lxml, LAVA's job schema
#   .ci/deps.sh slow    the test packages, plus LAVA's dispatcher (make test-slow)
#   .ci/deps.sh fuzz    clang and its libFuzzer runtime
# Uses apt-get (through sudo when not root); where it cannot, it stops and prints
# the exact command to run.
set -euo pipefail
build=(gcc make grub-common grub-pc-bin grub-efi-amd64-bin xorriso mtools)
test=(qemu-system-x86 ipxe-qemu ovmf seabios bochs bochsbios vgabios bochs-term python3
	python3-pytest python3-pytest-xdist python3-lxml lava-common)
fuzz=(clang libclang-rt-14-dev python3)
case "${1:-test}" in
	build) want=("${build[@]}") ;;
	fuzz) want=("${fuzz[@]}") ;;
	test) want=("${build[@]}" "${test[@]}") ;;
	slow) want=("${build[@]}" "${test[@]}" lava-dispatcher) ;;
	*) echo "usage: $0 build|test|slow|fuzz" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	missing=()
	for c in gcc grub-mkrescue xorriso mformat qemu-system-x86_64 bochs python3; do
		command -v "$c" >/dev/null 2>&1 || missing+=("$c")
	done
	[ ${#missing[@]} -eq 0 ] && exit 0
	echo "deps: not a Debian/Ubuntu system; install these tools yourself: ${missing[*]}" >&2
	echo "deps: (and GRUB's i386-pc and x86_64-efi platform files, OVMF, SeaBIOS, Bochs's BIOS)" >&2
	exit 1
fi

missing=()
for p in "${want[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo=(sudo)
else
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
