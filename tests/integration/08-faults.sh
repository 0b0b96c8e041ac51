# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh source-path=SCRIPTDIR # busybox ash in the guest
# Injected faults under a log (tests/uapi/clfs_faults.c): dm-flakey
# errors and drops writes and errors reads, in every kernel; in the debug
# kernel (the KUnit lane) also fail_make_request and failslab.  Every
# fault ends in the documented errno, and after a reopen everything
# acknowledged is there.  A loop device over a tmpfs file is the disk.
# shellcheck source=../qemu/guest-lib.sh # installed as /tests/lib.sh
. /tests/lib.sh
# shellcheck source=/dev/null # CLFS_LANE, written by tests/qemu/lane.sh
. /etc/clfs-guest.conf

modes=flakey
if [ "$CLFS_LANE" = kunit ]; then
	# The debug kernel has both; a missing one is a failure, not a skip.
	[ -d /sys/kernel/debug/fail_make_request ] || fail "no fail_make_request in the debug kernel"
	[ -d /sys/kernel/debug/failslab ] || fail "no failslab in the debug kernel"
	modes="flakey make-request slab"
fi
for m in $modes; do
	with_loops 8M clfs_faults -s "${CLFS_FAULTS_SEED:-20261203}" "$m"
done
