# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh source-path=SCRIPTDIR # busybox ash in the guest
# The ioctl ABI through libclfs and raw ioctls (tests/uapi/clfs_uapi_test.c):
# every ioctl, every documented errno, descriptors closed in any order and
# during ioctls, several processes on one log, an unprivileged caller, and
# a reopen; run 64-bit, then 32-bit through compat_ioctl.  Then appends and
# flushes through io_uring (tests/uapi/clfs_ring_test.c).  Loop devices
# over tmpfs files serve as scratch disks.
# shellcheck source=../qemu/guest-lib.sh # installed as /tests/lib.sh
. /tests/lib.sh

with_loops "32M 32M" clfs_uapi_test
with_loops "32M 32M" clfs_uapi_test32
with_loops "32M" clfs_ring_test
