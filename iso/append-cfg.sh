#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A grub.cfg whose first entry boots vmxprobe with the given kernel command line:
# iso/grub.cfg's preamble (serial console, video, the vmxprobe function), then one
# menu entry. make run APPEND="..." builds an ISO with it.
#   iso/append-cfg.sh "OPTIONS" > grub.cfg
# Each word is single-quoted for GRUB, so that GRUB passes it unchanged (GRUB manual,
# "Shell-like scripting", "Quoting": no character is special within single quotes;
# a single quote itself is written '\'' as in a POSIX shell).
set -euo pipefail
cfg=$(dirname "$0")/grub.cfg
sed '/^# --- end of preamble/,$d' "$cfg"
words=()
read -r -a words <<<"$1" || true
line=vmxprobe
for w in "${words[@]}"; do
	line+=" '${w//\'/\'\\\'\'}'"
done
printf 'menuentry "vmxprobe (make run APPEND=...)" {\n\t%s\n}\n' "$line"
