# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh source-path=SCRIPTDIR # busybox ash in the guest
# clfs.ko (loaded by the runner) registers the /dev/clfs misc device,
# answers CLFS_IOC_VERSION, is pinned while /dev/clfs is open, and unloads
# and reloads cleanly, removing and restoring the device.
# shellcheck source=../qemu/guest-lib.sh # installed as /tests/lib.sh
. /tests/lib.sh

[ -c /dev/clfs ] || fail "/dev/clfs is not a character device"
grep -q ' clfs$' /proc/misc || fail "clfs is not in /proc/misc"
dev=$(cat /sys/class/misc/clfs/dev)
expect_eq "$(stat -c '%t:%T' /dev/clfs | awk -F: '{ printf "%d:%d", "0x" $1, "0x" $2 }')" \
	"$dev" "/dev/clfs has the misc device's numbers"
expect_eq "$(clfsctl version)" "clfs module 0.6.0, clfsctl 0.6.0" "clfsctl version"
expect_eq "$(clfsctl --json version)" '{"module":"0.6.0","tools":"0.6.0"}' \
	"clfsctl --json version"

# An open /dev/clfs pins the module.
exec 3</dev/clfs
expect_status 1 rmmod clfs
grep -q '^clfs ' /proc/modules || fail "clfs unloaded while /dev/clfs was open"
exec 3<&-

# Unload removes the device; reload restores it.
rmmod clfs
[ ! -e /dev/clfs ] || fail "/dev/clfs remains after rmmod"
grep -q ' clfs$' /proc/misc && fail "clfs remains in /proc/misc after rmmod"
expect_status 1 clfsctl version
grep -q 'cannot open /dev/clfs: No such file or directory (is the clfs module loaded?)' /tmp/err ||
	fail "clfsctl without the module: $(cat /tmp/err)"
insmod "$CLFS_MODDIR/clfs.ko"
[ -c /dev/clfs ] || fail "/dev/clfs missing after reload"
expect_eq "$(clfsctl version)" "clfs module 0.6.0, clfsctl 0.6.0" "version after reload"
