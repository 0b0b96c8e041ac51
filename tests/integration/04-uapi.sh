# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh source-path=SCRIPTDIR # busybox ash in the guest
# The ioctl ABI through libclfs and raw ioctls (tests/uapi/clfs_uapi_test.c):
# every ioctl, every documented errno, descriptors closed in any order and
# during ioctls, several processes on one log, an unprivileged caller, and
# a reopen; run 64-bit, then 32-bit through compat_ioctl.  Two loop
# devices over tmpfs files serve as scratch disks.
# shellcheck source=../qemu/guest-lib.sh # installed as /tests/lib.sh
. /tests/lib.sh

uapi_run() {
	# shellcheck disable=SC3043 # local: not POSIX, but busybox ash has it
	local bin="$1" f1=/tmp/uapi1.img f2=/tmp/uapi2.img d1 d2 st
	rm -f "$f1" "$f2"
	truncate -s 32M "$f1"
	truncate -s 32M "$f2"
	d1=$(losetup -f) || fail "losetup $f1"
	losetup "$d1" "$f1" || fail "losetup $f1"
	d2=$(losetup -f) || fail "losetup $f2"
	losetup "$d2" "$f2" || fail "losetup $f2"
	set +e
	"$bin" "$d1" "$d2"
	st=$?
	set -e
	losetup -d "$d1"
	losetup -d "$d2"
	rm -f "$f1" "$f2"
	[ "$st" = 0 ] || fail "$bin: $st failures"
	echo "ok: $bin"
}

uapi_run clfs_uapi_test
uapi_run clfs_uapi_test32
