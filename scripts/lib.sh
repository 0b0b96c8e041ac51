# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Its variables are used by the scripts that source it:
# shellcheck disable=SC2034
#
# Shared shell helpers for the clfs build and test scripts: strict mode,
# stage reporting with timings, failure messages that say what failed and
# where to look, the package list, the cache directory and the stock
# kernels.  Sourced, never run.
#
# Every script that sources this runs under `set -Eeuo pipefail` with
# inherit_errexit, and an ERR trap turns any command that ends a script
# into one line naming the script, its line, the command, the open stage
# and where to look; so no script can exit non-zero in silence.

set -Eeuo pipefail
shopt -s inherit_errexit

CLFS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# (DKMS may build with no HOME, from a kernel upgrade run by a service.)
CLFS_CACHE=${CLFS_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/clfs}
# Where to look when the current stage fails; stages that log set it.
CLFS_LOOK_AT=

_clfs_stage_name=
_clfs_stage_start=

# _clfs_trap_err: install the ERR trap (here, and again in run_step).
_clfs_trap_err() {
	trap '_clfs_err $? $LINENO "$BASH_COMMAND"' ERR
}

# _clfs_err RC LINE COMMAND: the ERR trap.  Only the outermost shell (or
# the subshell of a run_step) reports, so a failing $(...) or pipeline is
# reported once.
CLFS_ERR_DEPTH=0
_clfs_err() {
	[ "$BASH_SUBSHELL" = "$CLFS_ERR_DEPTH" ] || return 0
	printf 'FAILED: %s line %s%s: "%s" exited %s; look at: %s\n' \
		"$(basename "${BASH_SOURCE[1]:-$0}")" "$2" "${_clfs_stage_name:+ (stage: $_clfs_stage_name)}" \
		"$3" "$1" "${CLFS_LOOK_AT:-the output above}" >&2
}
_clfs_trap_err

# run_step LOG CMD...: run CMD (a shell function, typically) in a subshell
# with errexit in force, whatever the caller's context, its output in LOG;
# its exit status goes to CLFS_STEP_RC.  Call it as a plain statement, never
# under if, ! or ||, where bash would switch errexit off for all of CMD.
# A failing command inside CMD is named in LOG by the ERR trap.
CLFS_STEP_RC=0
run_step() {
	local log=$1
	shift
	trap - ERR
	set +e
	(
		CLFS_ERR_DEPTH=$BASH_SUBSHELL
		_clfs_trap_err
		set -e
		"$@"
	) >"$log" 2>&1
	CLFS_STEP_RC=$?
	set -e
	_clfs_trap_err
}

# since NS: the seconds since NS (a `date +%s%N`), to a tenth, in shell
# arithmetic only (set-up runs before bc is installed).
since() {
	local d=$(($(date +%s%N) - $1))
	printf '%d.%d' $((d / 1000000000)) $((d / 100000000 % 10))
}

# stage NAME: close the previous stage (printing its time) and open NAME.
stage() {
	stage_end
	_clfs_stage_name=$1
	_clfs_stage_start=$(date +%s%N)
	printf '==> %s\n' "$1"
}

# stage_end: print the time taken by the open stage, if any.
stage_end() {
	if [ -n "$_clfs_stage_name" ]; then
		printf '    %s: %ss\n' "$_clfs_stage_name" "$(since "$_clfs_stage_start")"
		_clfs_stage_name=
	fi
}

# die MESSAGE [WHERE]: report a failure and where to look, then exit 1.
die() {
	printf 'FAILED: %s%s; look at: %s\n' "$1" \
		"${_clfs_stage_name:+ (stage: $_clfs_stage_name)}" \
		"${2:-${CLFS_LOOK_AT:-the output above}}" >&2
	exit 1
}

# run_logged LOG CMD...: run CMD with its output in LOG; on failure show the
# tail of LOG and name it.
run_logged() {
	local log=$1
	shift
	mkdir -p "$(dirname "$log")"
	if ! "$@" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "$*" "$log"
	fi
}

# clfs_packages: the Debian packages of scripts/packages (or of the file
# CLFS_PACKAGE_LIST names: the tests' way to try a broken list), one a line.
clfs_packages() {
	sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' \
		"${CLFS_PACKAGE_LIST:-$CLFS_TOP/scripts/packages}"
}

# The Debian kernel source the KUnit lane builds (the harness test points
# CLFS_KSRC_TAR at a broken archive), and where its build lives.
CLFS_KSRC_PKG=linux-source-6.12
CLFS_KSRC_TAR=${CLFS_KSRC_TAR:-/usr/src/linux-source-6.12.tar.xz}

# The config fragment of the KUnit kernel (the harness test points it at a
# broken copy).
CLFS_KUNIT_CONFIG=${CLFS_KUNIT_CONFIG:-$CLFS_TOP/tests/qemu/kunit.config}

# kunit_kernel_dir: print the cache directory of the KUnit kernel build.  It
# is keyed by the source package version and the config fragment, so a new
# clone on the same machine reuses it and any change to either rebuilds it.
kunit_kernel_dir() {
	local ver key
	ver=$(dpkg-query -W -f='${Version}' "$CLFS_KSRC_PKG" 2>/dev/null) ||
		die "$CLFS_KSRC_PKG is not installed (run scripts/setup.sh)"
	key=$( { echo "$ver"; cat "$CLFS_KUNIT_CONFIG"; } |
		sha256sum | cut -c1-16)
	echo "$CLFS_CACHE/kunit-kernel-$ver-$key"
}

# The two stock kernel series the build and integration lanes use.
CLFS_STOCK_SERIES="6.1 6.12"

# Where stock_kernel looks for kernels: / (the harness test points it at an
# empty directory).
CLFS_SYSROOT=${CLFS_SYSROOT:-}

# stock_release_re SERIES: the extended regular expression that the release
# names of the stock Debian kernels of SERIES (6.1 or 6.12) match, and no
# other flavour (-cloud-amd64, -rt-amd64).
stock_release_re() {
	case "$1" in
	6.1) echo '6\.1\.[0-9]+-[0-9]+-amd64' ;;
	6.12) echo '6\.12\.[0-9]+\+deb12-amd64' ;;
	*) echo "unknown stock kernel series '$1'" >&2; return 1 ;;
	esac
}

# stock_kernel SERIES: print the release name of the newest installed stock
# Debian kernel of SERIES (6.1 or 6.12) that has both an image in /boot and
# headers in /lib/modules/<release>/build; without one, say so on stderr
# and return 1 (callers turn that into a failed test, never a skip).
stock_kernel() {
	local re k best='' restore
	re=$(stock_release_re "$1") || return 1
	restore=$(shopt -p nullglob || true)
	shopt -s nullglob
	for k in "$CLFS_SYSROOT"/lib/modules/*/build; do
		k=${k%/build}
		k=${k##*/}
		[[ $k =~ ^($re)$ ]] || continue
		[ -f "$CLFS_SYSROOT/boot/vmlinuz-$k" ] || continue
		if [ -z "$best" ] ||
		   [ "$(printf '%s\n%s\n' "$best" "$k" | sort -V | tail -n 1)" = "$k" ]; then
			best=$k
		fi
	done
	eval "$restore"
	if [ -z "$best" ]; then
		echo "no stock $1 kernel (release ${re//\\/}) with both /boot/vmlinuz-RELEASE and /lib/modules/RELEASE/build (run scripts/setup.sh)" >&2
		return 1
	fi
	echo "$best"
}
