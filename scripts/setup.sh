#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything the clfs build and test lanes need, from Debian's
# packages only: the list in scripts/packages (QEMU, busybox, both stock
# Debian 12 kernels and their headers through Debian's metapackages, the
# 6.12 source for the KUnit kernel, the toolchains, sparse, shellcheck,
# dkms).
#
# The kernels are asked for by metapackage only (linux-image-amd64 and
# linux-headers-amd64 for 6.1, linux-image-6.12-amd64 and
# linux-headers-6.12-amd64 for 6.12): the archive keeps each such pair
# pointing at one version whose image and headers both install, while the
# newest versioned headers may come days before their signed image.
#
# Idempotent and non-interactive: when everything is installed it only
# says so.  As root it installs what is missing; otherwise it prints the
# exact command to run and fails.  Any failure ends in one FAILED line
# naming what failed and the log to look at.
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

mapfile -t packages < <(clfs_packages)
[ ${#packages[@]} -gt 0 ] || die "no packages listed" "$CLFS_TOP/scripts/packages"
missing=()
for p in "${packages[@]}"; do
	installed "$p" || missing+=("$p")
done

# stock_kernels: print the release of each stock kernel series; without
# one, print why and return 1.
stock_kernels() {
	local s k all=()
	for s in $CLFS_STOCK_SERIES; do
		k=$(stock_kernel "$s" 2>&1) || { echo "$k"; return 1; }
		all+=("$k")
	done
	echo "${all[*]}"
}

if [ ${#missing[@]} = 0 ]; then
	# With the metapackages there but a kernel of theirs not usable (its
	# image or headers removed by hand), say which, and how to mend it.
	kernels=$(stock_kernels) ||
		die "$kernels; its metapackages are installed: apt-get install --reinstall the image and headers they depend on (apt-cache depends linux-image-amd64 linux-headers-amd64 linux-image-6.12-amd64 linux-headers-6.12-amd64)"
	echo "setup: all ${#packages[@]} packages installed (kernels: $kernels)"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	die "missing packages: ${missing[*]}; as root run scripts/setup.sh (or apt-get install --no-install-recommends them)" \
		"$CLFS_TOP/scripts/packages"
fi

export DEBIAN_FRONTEND=noninteractive
mkdir -p "$CLFS_CACHE"
log=$CLFS_CACHE/setup.log
CLFS_LOOK_AT=$log
stage "setup: apt-get update"
run_logged "$log" apt-get update -q
stage "setup: apt-get install ${missing[*]}"
if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	why=$(grep -m 1 '^E: ' "$log" || true)
	die "apt-get install of ${#missing[@]} packages: ${why:-see the log}" "$log"
fi
for p in "${missing[@]}"; do
	installed "$p" || die "package $p is still not installed after apt-get install" "$log"
done
kernels=$(stock_kernels) ||
	die "the stock kernel metapackages installed no usable kernel: $kernels" "$log"
stage_end
echo "setup: done (kernels: $kernels)"
