# SPDX-License-Identifier: GPL-2.0
# Shared shell helpers for the clfs build and test scripts: stage reporting
# with timings, failure messages that say where to look, and the cache
# directory.  Sourced, never run.

CLFS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLFS_CACHE=${CLFS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clfs}

_clfs_stage_name=
_clfs_stage_start=

# stage NAME: close the previous stage (printing its time) and open NAME.
stage() {
	stage_end
	_clfs_stage_name=$1
	_clfs_stage_start=$(date +%s.%N)
	printf '==> %s\n' "$1"
}

# stage_end: print the time taken by the open stage, if any.
stage_end() {
	if [ -n "$_clfs_stage_name" ]; then
		printf '    %s: %.1fs\n' "$_clfs_stage_name" \
			"$(echo "$(date +%s.%N) - $_clfs_stage_start" | bc)"
		_clfs_stage_name=
	fi
}

# die MESSAGE [WHERE]: report a failure and where to look, then exit 1.
die() {
	printf 'FAILED: %s\n' "$1" >&2
	[ -n "${2:-}" ] && printf '        look at: %s\n' "$2" >&2
	exit 1
}

# run_logged LOG CMD...: run CMD with its output in LOG; on failure show the
# tail of LOG and name it.
run_logged() {
	local log=$1
	shift
	if ! "$@" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "$*" "$log"
	fi
}

# The Debian kernel source the KUnit lane builds, and where its build lives.
CLFS_KSRC_PKG=linux-source-6.12
CLFS_KSRC_TAR=/usr/src/linux-source-6.12.tar.xz

# kunit_kernel_dir: print the cache directory of the KUnit kernel build.  It
# is keyed by the source package version and the config fragment, so a new
# clone on the same machine reuses it and any change to either rebuilds it.
kunit_kernel_dir() {
	local ver key
	ver=$(dpkg-query -W -f='${Version}' "$CLFS_KSRC_PKG" 2>/dev/null) ||
		die "$CLFS_KSRC_PKG is not installed (run scripts/setup.sh)"
	key=$( { echo "$ver"; cat "$CLFS_TOP/tests/qemu/kunit.config"; } |
		sha256sum | cut -c1-16)
	echo "$CLFS_CACHE/kunit-kernel-$ver-$key"
}

# stock_kernels: print the release names of the two stock Debian kernels
# the integration lane boots (newest installed 6.1 and 6.12), each with an
# image in /boot and headers in /lib/modules/<release>/build.
stock_kernels() {
	local series k
	for series in '6.1.*-amd64' '6.12.*+deb12-amd64'; do
		k=$(cd /lib/modules && ls -d $series 2>/dev/null | sort -V | tail -n 1)
		[ -n "$k" ] && [ -f "/boot/vmlinuz-$k" ] && [ -d "/lib/modules/$k/build" ] ||
			die "no stock kernel $series with headers (run scripts/setup.sh)"
		echo "$k"
	done
}
