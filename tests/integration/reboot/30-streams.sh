# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh source-path=SCRIPTDIR # busybox ash in the guest
# The streams of a multiplexed log survive a crash, each on its own.
# Boot 1 creates a multiplexed log (8 containers of 1 MiB, 64 KiB blocks)
# with streams s0..s3 and runs four writer processes at once, one per
# stream, each appending 20 records "rec-S-I" with clfsctl append
# --flush (acknowledged when the command exits 0); then one process per
# stream appends "late-S-0" and "late-S-1" without a flush and holds the
# stream open for the crash.  Boot 2 opens the log (recovery rebuilds
# each stream's end) and reads each stream through DEV::STREAM: exactly
# its 20 acknowledged records in order, then at most a prefix of its late
# ones, nothing of another stream; then a record appended after the
# crash reads back last.
#
# The log lives on a loop device over /dev/vda from 46 MiB on (it ends
# before 55 MiB), clear of the other reboot tests' logs (up to 45 MiB)
# and of 01-disk's marker (the last MiB).
# shellcheck source=../../qemu/guest-lib.sh # installed as /tests/lib.sh
. /tests/lib.sh

offset=$((46 << 20))
dev=$(loop_attach /dev/vda -o "$offset")
echo "ok: $dev is /dev/vda from byte $offset on"

case "$CLFS_BOOT" in
1)
	clfsctl create "$dev" --containers 8 --container-size 1M \
		--block-size 64K --multiplexed >/dev/null ||
		fail "create a multiplexed log on $dev"
	for s in 0 1 2 3; do
		clfsctl stream create "$dev" "s$s" >/dev/null ||
			fail "stream create s$s"
	done
	pids=""
	for s in 0 1 2 3; do
		(
			i=0
			while [ "$i" -lt 20 ]; do
				clfsctl append "$dev::s$s" --flush "rec-$s-$i" \
					>/dev/null || exit 1
				i=$((i + 1))
			done
		) &
		pids="$pids $!"
	done
	for p in $pids; do
		wait "$p" || fail "a stream writer failed"
	done
	echo "ok: 4 writers appended 20 acknowledged records each to s0..s3"
	for s in 0 1 2 3; do
		{ printf 'late-%s-0\nlate-%s-1\n' "$s" "$s"; sleep 600; } |
			clfsctl append "$dev::s$s" --stdin --lines >/dev/null &
	done
	sleep 2
	echo "ok: unflushed records appended; their streams held open for the crash"
	;;
2)
	clfsctl stream list "$dev" >/tmp/streams ||
		fail "stream list after the crash"
	expect_eq "$(grep -c '^stream ' /tmp/streams)" 4 "streams after the crash"
	for s in 0 1 2 3; do
		clfsctl read "$dev::s$s" >/tmp/read-$s ||
			fail "read stream s$s after the crash"
		sed -n 's/.* data "\(.*\)"$/\1/p' /tmp/read-$s >/tmp/data-$s
		i=0
		: >/tmp/want-$s
		while [ "$i" -lt 20 ]; do
			echo "rec-$s-$i" >>/tmp/want-$s
			i=$((i + 1))
		done
		head -n 20 /tmp/data-$s | cmp -s - /tmp/want-$s ||
			fail "s$s: its 20 acknowledged records, in order (got: $(head -n 3 /tmp/data-$s | tr '\n' ' ')...)"
		late=$(tail -n +21 /tmp/data-$s | tr '\n' ' ')
		case "$late" in
		"" | "late-$s-0 " | "late-$s-0 late-$s-1 ") ;;
		*) fail "s$s: after its acknowledged records, not a prefix of its late ones: '$late'" ;;
		esac
		echo "ok: s$s: 20 acknowledged records in order, then '$late'"
	done
	clfsctl append "$dev::s2" --flush after-crash >/dev/null ||
		fail "append to s2 after the crash"
	expect_eq "$(clfsctl read "$dev::s2" | tail -n 1 | sed 's/.* data "\(.*\)"$/\1/')" \
		after-crash "the last record of s2"
	losetup -d "$dev"
	;;
*)
	fail "CLFS_BOOT='$CLFS_BOOT': a reboot test runs with CLFS_BOOT=1 or 2"
	;;
esac
