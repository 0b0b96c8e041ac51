#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/unit/harness.sh: the test harness cannot skip.  Breaks, one at a
# time, what a fresh or drifting machine can lack, and checks that each
# becomes a named failure and a non-zero exit, never a silent exit or a
# run that counts zero tests:
#
#   setup        a package the archive lacks: scripts/setup.sh ends in a
#                FAILED line naming it (as root it asks apt, which refuses)
#   kernels      no stock kernel (an empty CLFS_SYSROOT): the build and
#                integration lanes name each missing series as a FAIL, and
#                the run still ends with "N passed, N failed"
#   kunit-build  a KUnit kernel whose build fails (a kernel source archive
#                that is not one, in a scratch cache): FAIL
#                kunit/kernel-build, and the closing count
#   initramfs    an initramfs step that fails (a module file that is not
#                there): lane_initramfs stops at that command, and its log
#                names it
#
#   callgraph    a call from a lower layer back into a higher one (the
#                space layer calling the ring's clfs_seal(), which calls
#                back into space): scripts/callgraph.sh fails naming the
#                call against the layer order and the files of the circle;
#                without the back-call it passes
#
#   run_logged   a log whose directory does not exist yet is created
#
# Prints one "ok:" or "FAIL:" line per check; exits 1 on any FAIL.
# shellcheck source=../../scripts/lib.sh
. "$(dirname "$0")/../../scripts/lib.sh"
# shellcheck source=../qemu/lane.sh
. "$CLFS_TOP/tests/qemu/lane.sh"
cd "$CLFS_TOP"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0

ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; rc=1; }

# expect NAME LOG PATTERN...: LOG holds a line matching each PATTERN.
expect() {
	local name=$1 log=$2 p
	shift 2
	for p in "$@"; do
		if grep -qE -- "$p" "$log"; then
			ok "$name: $(grep -m 1 -E -- "$p" "$log" | sed 's/^ *//')"
		else
			bad "$name: no line matching '$p' (log: $log)"
			sed 's/^/    | /' "$log" | tail -n 15
		fi
	done
}

# run_expect_fail NAME LOG CMD...: CMD must exit non-zero.
run_expect_fail() {
	local name=$1 log=$2
	shift 2
	if "$@" >"$log" 2>&1; then
		bad "$name: exited 0"
	else
		ok "$name: exited non-zero"
	fi
}

stage "harness: a log in a directory a fresh clone does not have yet"
# (make demo on a fresh clone logged its first build into build/, which
# did not exist yet, and stopped there.)
if (run_logged "$tmp/no/such/dir/build.log" echo built) >"$tmp/run_logged.out" 2>&1 &&
   grep -qx built "$tmp/no/such/dir/build.log"; then
	ok "run_logged: created the log's directory"
else
	bad "run_logged: $(cat "$tmp/run_logged.out")"
fi

stage "harness: a package the archive lacks"
{ cat scripts/packages; echo clfs-no-such-package; } >"$tmp/packages"
run_expect_fail setup "$tmp/setup.log" \
	env CLFS_PACKAGE_LIST="$tmp/packages" CLFS_CACHE="$tmp/cache" scripts/setup.sh
expect setup "$tmp/setup.log" '^FAILED: .*clfs-no-such-package'

stage "harness: no stock kernel"
mkdir -p "$tmp/empty"
run_expect_fail kernels "$tmp/kernels.log" \
	env CLFS_SYSROOT="$tmp/empty" CLFS_LOGS="$tmp/logs" tests/check.sh build integration
expect kernels "$tmp/kernels.log" \
	'^  FAIL  build/6\.1: no stock 6\.1 kernel' \
	'^  FAIL  build/6\.12: no stock 6\.12 kernel' \
	'^  FAIL  integration/6\.1: no stock 6\.1 kernel' \
	'^  FAIL  integration/6\.12: no stock 6\.12 kernel' \
	'^[0-9]+ passed, [4-9] failed$'

stage "harness: a KUnit kernel build that fails"
head -c 4096 /dev/zero >"$tmp/linux-source.tar.xz"
run_expect_fail kunit-build "$tmp/kunit.log" \
	env CLFS_KSRC_TAR="$tmp/linux-source.tar.xz" CLFS_CACHE="$tmp/cache" \
	CLFS_LOGS="$tmp/logs" tests/check.sh kunit
expect kunit-build "$tmp/kunit.log" \
	'FAILED: kunit-kernel.sh line [0-9]+ \(stage: extract .*tar' \
	'^  FAIL  kunit/kernel-build' \
	'^0 passed, 1 failed$'

stage "harness: an initramfs step that fails"
mkdir -p "$tmp/initramfs"
run_step "$tmp/initramfs.log" lane_initramfs "$tmp/initramfs" integration \
	none "$tmp/no-build" "$tmp/no-build/clfs.ko"
if [ "$CLFS_STEP_RC" = 0 ]; then
	bad "initramfs: a missing clfs.ko was not an error"
else
	ok "initramfs: exited $CLFS_STEP_RC"
fi
expect initramfs "$tmp/initramfs.log" "^FAILED: no kernel module $tmp/no-build/clfs\\.ko \\(stage: harness: an initramfs step that fails\\)"
if [ -e "$tmp/initramfs/initramfs.cpio.gz" ]; then
	bad "initramfs: an archive was written after the failure"
else
	ok "initramfs: no archive written"
fi
stage "harness: a call that goes back up a layer"
# One empty call graph per object of clfs.ko, as gcc -fcallgraph-info
# writes them, then: the ring calls space (downward), and space calls the
# ring's clfs_seal() (a back-call).
cg=$tmp/callgraph
mkdir -p "$cg/format"
for o in $(sed -n 's/^clfs-y.*:= *//p; s/^\t  *//p' src/Kbuild | sed -n '/clfs_kunit/q; p' |
	   tr -s " \\\\" '\n' | sed -n 's/\.o$//p'); do
	echo "graph: { title: \"$o.c\"" >"$cg/$o.ci"
done
ci_call() {	# ci_call FILE CALLER CALLEE: CALLER (defined in FILE) calls CALLEE
	{
		printf 'node: { title: "%s" label: "%s\\n%s.c:1:1" }\n' "$2" "$2" "$1"
		printf 'node: { title: "%s" label: "%s\\nclfs_log.h:1:1" shape : ellipse }\n' "$3" "$3"
		echo "edge: { sourcename: \"$2\" targetname: \"$3\" label: \"$1.c:2:2\" }"
	} >>"$cg/$1.ci"
}
ci_call clfs_ring clfs_buf_open clfs_space_room
ci_call clfs_space clfs_space_room clfs_space_after
printf '%s\n' 'node: { title: "clfs_seal" label: "clfs_seal\nclfs_ring.c:9:1" }' >>"$cg/clfs_ring.ci"
if scripts/callgraph.sh "$cg" >"$tmp/callgraph-ok.log" 2>&1; then
	ok "callgraph: downward calls only: passes"
else
	bad "callgraph: downward calls only: failed (log: $tmp/callgraph-ok.log)"
fi
ci_call clfs_space clfs_space_pos clfs_seal
run_expect_fail callgraph "$tmp/callgraph.log" scripts/callgraph.sh "$cg"
expect callgraph "$tmp/callgraph.log" \
	'^FAIL: calls or includes into a later layer' \
	'^  clfs_space -> clfs_ring: clfs_seal$' \
	'^FAIL: a circle of calls between these files:$' \
	'^  clfs_(ring|space)$' \
	'^FAILED: calls between engine files go against the layers'
stage_end
exit $rc
