#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Print the default KDIR: the running kernel's build directory where it
# exists, else the newest installed kernel headers (Debian's
# /lib/modules/*/build), by version order.
set -eu
run=/lib/modules/$(uname -r)/build
if [ -d "$run" ]; then
	echo "$run"
	exit 0
fi
shopt -s nullglob
builds=(/lib/modules/*/build)
newest=$(printf '%s\n' "${builds[@]}" | sort -V | tail -n 1)
if [ -z "$newest" ]; then
	echo "no kernel headers installed: run scripts/setup.sh, or pass KDIR=" >&2
	exit 1
fi
echo "$newest"
