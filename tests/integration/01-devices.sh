# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh source-path=SCRIPTDIR # busybox ash in the guest
# The devices and services later tests rely on are present in the guest:
# the harness's 64 MiB virtio-blk disk, null_blk, loop, device-mapper and
# the crc32c the on-disk format uses.
# shellcheck source=../qemu/guest-lib.sh # installed as /tests/lib.sh
. /tests/lib.sh

expect_eq "$(cat /sys/block/vda/size)" 131072 "virtio disk vda has 131072 sectors"
[ -b /dev/vda ] || fail "/dev/vda is not a block device"
[ -b /dev/nullb0 ] || fail "/dev/nullb0 is missing (null_blk)"
[ -c /dev/loop-control ] || fail "/dev/loop-control is missing (loop)"
[ -c /dev/mapper/control ] || fail "/dev/mapper/control is missing (dm)"
grep -q '^name *: crc32c$' /proc/crypto || fail "no crc32c in /proc/crypto"
echo "ok: nullb0, loop, dm and crc32c present"
