# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh source-path=SCRIPTDIR # busybox ash in the guest
# A log survives a crash: boot 1 creates a clfs log on /dev/vda (8
# containers of 4 MiB, 64 KiB blocks), appends 3000 records (1..3000
# bytes each, with forced flushes, sealed blocks and clfs_flush_buffers
# calls along the way), flushes them all, appends a few more without a
# flush, and leaves the log open for the crash.  Boot 2 opens it, so
# recovery runs, and reads it back: every flushed record byte for byte,
# any prefix of the unflushed ones, increasing LSNs, the previous chain;
# then it appends more, closes cleanly, reopens and checks it all again.
# The client is src/test/clfs_itest.c; it recomputes the workload from
# the seed, so nothing but the disk passes from one boot to the next.
# Its "clfs_itest:" lines on the console say what it did, and what differed.
# shellcheck source=../../qemu/guest-lib.sh # installed as /tests/lib.sh
. /tests/lib.sh

args="dev=/dev/vda seed=7 records=3000 extra=7 more=500 span=2"

# itest OP: run clfs_itest.ko's OP.  busybox insmod retries a failed
# finit_module with init_module, so a failing OP runs twice; a failure
# the retry hid still fails the test.
itest() {
	# shellcheck disable=SC3043 # local: not POSIX, but busybox ash has it
	local before
	before=$(dmesg | grep -c 'clfs_itest: op=.*: FAIL' || true)
	# shellcheck disable=SC2086 # $args: the module parameters, split on purpose
	insmod "$CLFS_MODDIR/clfs_itest.ko" op="$1" $args ||
		fail "op=$1: insmod clfs_itest.ko failed (see the clfs_itest: lines)"
	[ "$(dmesg | grep -c 'clfs_itest: op=.*: FAIL' || true)" = "$before" ] ||
		fail "op=$1 failed, then passed when busybox insmod retried it"
}

case "$CLFS_BOOT" in
1)
	itest write
	echo "ok: log written and flushed; clfs_itest holds it open for the crash"
	;;
2)
	itest verify
	rmmod clfs_itest
	echo "ok: log recovered, verified, extended, closed cleanly and verified again"
	;;
*)
	fail "CLFS_BOOT='$CLFS_BOOT': a reboot test runs with CLFS_BOOT=1 or 2"
	;;
esac
