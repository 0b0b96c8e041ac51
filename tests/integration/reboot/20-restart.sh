# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh source-path=SCRIPTDIR # busybox ash in the guest
# Restart areas, tails and reservations survive a crash on a log that
# wraps.  Boot 1 creates a clfs log of 4 containers of 1 MiB (64 KiB
# blocks) and runs 40 checkpoint cycles: records, then a restart area that
# moves the base LSN two cycles back (some through a reservation); the
# archive tail holds records below the base for a while; after each cycle
# it checks the restart chain, the records from the start of the active
# log, that older records are gone, and the log's tails, restart LSN and
# reservations.  The log wraps at least three times.  Then it appends a
# few records without a flush and leaves the log open for the crash.
# Boot 2 opens it (recovery): the newest restart area is the last cycle's
# with its bytes and LSN, the chain walks back to the base and ends, the
# base is the one the last restart area set, the records from the base
# read back, restart areas in place, then any prefix of the unflushed
# records; then 10 more cycles, a truncation that drops the last restart
# area, a clean close, a reopen, the same checks again.  Along the way:
# clfs_advance_base, clfs_alloc/free_reserved, and calls that must be
# refused (checked to change nothing).  The client is
# src/test/clfs_itest.c (op=rwrite, op=rverify); its "clfs_itest:"
# lines on the console say what it did, and what differed.
#
# The log lives on a loop device over /dev/vda from 40 MiB on (it ends at
# 45 MiB), clear of 10-crash-log's log (up to 33 MiB) and of 01-disk's
# marker (the last MiB).  In boot 1, 10-crash-log's clfs_itest still holds
# its log open for the crash, so the module cannot be loaded again: the
# op then runs in the loaded module, through its run parameter.
# shellcheck source=../../qemu/guest-lib.sh # installed as /tests/lib.sh
. /tests/lib.sh

offset=$((40 << 20))
args="seed=11 cycles=40 more_cycles=10 extra=6"

dev=$(loop_attach /dev/vda -o "$offset")
echo "ok: $dev is /dev/vda from byte $offset on"

# itest OP: run clfs_itest.ko's OP on $dev, loading the module, or in the
# module already loaded.  busybox insmod retries a failed finit_module with
# init_module, so a failing OP runs twice; a failure the retry hid still
# fails the test.
itest() {
	# shellcheck disable=SC3043 # local: not POSIX, but busybox ash has it
	local before p kv
	before=$(dmesg | grep -c 'clfs_itest: op=.*: FAIL' || true)
	if grep -q '^clfs_itest ' /proc/modules; then
		p=/sys/module/clfs_itest/parameters
		for kv in dev="$dev" $args; do
			printf '%s' "${kv#*=}" >"$p/${kv%%=*}" ||
				fail "cannot set clfs_itest's ${kv%%=*}"
		done
		printf '%s' "$1" >"$p/run" ||
			fail "op=$1 in the loaded clfs_itest.ko failed (see the clfs_itest: lines)"
		echo "ok: op=$1 ran in the clfs_itest.ko already loaded"
	else
		# shellcheck disable=SC2086 # $args: the module parameters, split on purpose
		insmod "$CLFS_MODDIR/clfs_itest.ko" op="$1" dev="$dev" $args ||
			fail "op=$1: insmod clfs_itest.ko failed (see the clfs_itest: lines)"
		echo "ok: insmod clfs_itest.ko op=$1"
	fi
	[ "$(dmesg | grep -c 'clfs_itest: op=.*: FAIL' || true)" = "$before" ] ||
		fail "op=$1 failed, then passed when busybox insmod retried it"
}

case "$CLFS_BOOT" in
1)
	itest rwrite
	echo "ok: 40 checkpoint cycles written, the log wrapped; clfs_itest holds it open for the crash"
	;;
2)
	itest rverify
	rmmod clfs_itest
	losetup -d "$dev"
	echo "ok: restart areas, base and records recovered; 10 more cycles, closed cleanly and verified again"
	;;
*)
	fail "CLFS_BOOT='$CLFS_BOOT': a reboot test runs with CLFS_BOOT=1 or 2"
	;;
esac
