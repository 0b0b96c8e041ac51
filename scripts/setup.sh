#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything the clfs build and test lanes need, from Debian's
# packages only: QEMU, busybox, the two stock Debian 12 kernels (6.1 and
# the newest 6.12 backport) with their headers, the 6.12 source for the
# KUnit kernel, the kernel build dependencies, sparse, and gcc-multilib
# (the 32-bit build of the ioctl test, which exercises compat_ioctl).
#
# Idempotent and non-interactive: when everything is installed it only
# says so.  As root it installs what is missing; otherwise it prints the
# exact command to run and fails.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

base=(qemu-system-x86 busybox-static cpio kmod xz-utils gzip coreutils bc
      gcc g++ gcc-multilib make libc6-dev linux-libc-dev perl python3
      pkg-config
      flex bison libelf-dev libssl-dev dwarves sparse
      clang libclang-rt-14-dev
      linux-image-amd64 linux-headers-amd64 linux-source-6.12)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

# The 6.12 kernel: whichever linux-image-6.12.*+deb12-amd64 is installed
# with its headers, else the newest one the archive has.
k612=$(ls -d /lib/modules/6.12.*+deb12-amd64/build 2>/dev/null | sort -V | tail -n 1)
k612=${k612%/build}
k612=${k612##*/}

missing=()
for p in "${base[@]}"; do installed "$p" || missing+=("$p"); done
if [ -n "$k612" ] && installed "linux-image-$k612" && installed "linux-headers-$k612"; then
	:
else
	k612=
fi
if [ ${#missing[@]} = 0 ] && [ -n "$k612" ]; then
	echo "setup: all packages installed (6.12 kernel $k612)"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "setup: missing packages: ${missing[*]} ${k612:-linux-image-6.12.*+deb12-amd64 linux-headers-6.12.*+deb12-amd64}" >&2
	echo "setup: as root run: scripts/setup.sh (or apt-get install those packages)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
mkdir -p "$CLFS_CACHE"
stage "apt-get update"
apt-get update -qq
if [ -z "$k612" ]; then
	k612=$(apt-cache search --names-only '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		awk '{ print $1 }' | sed 's/^linux-headers-//' | sort -V | tail -n 1)
	[ -n "$k612" ] || die "no linux-headers-6.12.*+deb12-amd64 in the archive"
	missing+=("linux-image-$k612" "linux-headers-$k612")
fi
stage "apt-get install ${missing[*]}"
run_logged "$CLFS_CACHE/setup.log" apt-get install -y -q --no-install-recommends "${missing[@]}"
stage_end
echo "setup: done (6.12 kernel $k612)"
