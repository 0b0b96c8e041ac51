# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh source-path=SCRIPTDIR # busybox ash in the guest
# The crash-reboot harness itself: boot 2 sees the very disk that boot 1
# wrote, across the crash.  Boot 1 makes a marker durable (fsync) in the
# last MiB of the 64 MiB /dev/vda, which no log uses (the logs of the
# reboot tests end at 45 MiB); boot 2 reads it back.  When this fails, a
# failure of the other reboot tests says nothing about clfs.
# shellcheck source=../../qemu/guest-lib.sh # installed as /tests/lib.sh
. /tests/lib.sh

marker="clfs crash-reboot marker"
sector=$((131072 - 2048))
case "$CLFS_BOOT" in
1)
	printf '%s' "$marker" |
		dd of=/dev/vda bs=512 seek=$sector conv=fsync 2>/dev/null
	echo "ok: marker written to /dev/vda sector $sector"
	;;
2)
	expect_eq "$(dd if=/dev/vda bs=512 skip=$sector count=1 2>/dev/null |
		tr -d '\0')" "$marker" "the marker of boot 1 on /dev/vda"
	;;
*)
	fail "CLFS_BOOT='$CLFS_BOOT': a reboot test runs with CLFS_BOOT=1 or 2"
	;;
esac
