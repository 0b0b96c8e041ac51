# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh source-path=SCRIPTDIR # busybox ash in the guest
# clfsctl end to end through the module: every log command, its JSON, its
# one-line errors with the errno's name (exit 1) and usage errors (exit 2),
# and the offline dump of the image agreeing record for record with what
# the module reads.  Scratch disks: two loop devices over tmpfs files.
# shellcheck source=../qemu/guest-lib.sh # installed as /tests/lib.sh
. /tests/lib.sh

f1=/tmp/ctl1.img
f2=/tmp/ctl2.img
rm -f "$f1" "$f2"
truncate -s 24M "$f1"
truncate -s 8M "$f2"
d1=$(loop_attach "$f1")
d2=$(loop_attach "$f2")
cleanup() { losetup -d "$d1" 2>/dev/null; losetup -d "$d2" 2>/dev/null; rm -f "$f1" "$f2"; }
trap cleanup EXIT

# err_is ERRNO CMD...: CMD fails with exit 1 and one stderr line naming ERRNO.
err_is() {
	# shellcheck disable=SC3043 # local: not POSIX, but busybox ash has it
	local e="$1"
	shift
	expect_status 1 "$@"
	[ "$(wc -l </tmp/err)" = 1 ] || fail "'$*': more than one error line: $(cat /tmp/err)"
	grep -q "($e)\$" /tmp/err || fail "'$*': want $e, got: $(cat /tmp/err)"
	echo "ok: '$*' -> $e"
}

clfsctl create "$d1" --containers 4 --container-size 2M --block-size 16K >/tmp/out
grep -q '^n_containers *4$' /tmp/out || fail "create: $(cat /tmp/out)"
expect_status 2 clfsctl create "$d1" --containers 4 --container-size 2M --bogus
expect_status 2 clfsctl create "$d1" --containers x --container-size 2M
err_is EINVAL clfsctl create "$d1" --containers 4 --container-size 1000K
err_is ENOSPC clfsctl create "$d2" --containers 9 --container-size 1M
: >/tmp/plain
err_is ENOTBLK clfsctl info /tmp/plain
err_is ENOENT clfsctl info /dev/no-such-disk

# Appends: arguments, stdin lines, a file; exact LSNs.
expect_eq "$(clfsctl append "$d1" one two three | tr '\n' ' ')" \
	"0x0000000000001000 0x0000000000001001 0x0000000000001002 " "append 3 records"
expect_eq "$(printf 'l1\nl2\n' | clfsctl append "$d1" --stdin --lines | tr '\n' ' ')" \
	"0x0000000000001200 0x0000000000001201 " "append 2 lines from stdin"
printf 'file\000bytes\377' >/tmp/rec.bin
expect_eq "$(clfsctl --json append "$d1" --file /tmp/rec.bin | tr -d '\n')" \
	'[{"lsn":"0x0000000000001400"}]' "append a file, JSON"
expect_eq "$(clfsctl append "$d1" --chain c1 c2 c3 | tr '\n' ' ')" \
	"0x0000000000001600 0x0000000000001601 0x0000000000001602 " "append a chain"
head -c 20000 /dev/zero >/tmp/big.bin
err_is EMSGSIZE clfsctl append "$d1" --file /tmp/big.bin

# Reads: forward from the first record, along the previous chain, a type.
clfsctl read "$d1" >/tmp/read.txt
expect_eq "$(wc -l </tmp/read.txt)" 9 "read: 9 records"
expect_eq "$(sed -n 6p /tmp/read.txt)" \
	'lsn 0x0000000000001400 type data length 11 undo-next 0xffffffff00000000 previous 0xffffffff00000000 data "file\x00bytes\xff"' \
	"read: the file record, escaped"
expect_eq "$(clfsctl read "$d1" --from 0x1602 --mode previous | cut -c5-22 | tr '\n' ' ')" \
	"0x0000000000001602 0x0000000000001601 0x0000000000001600 " "read along the previous chain"
expect_eq "$(clfsctl read "$d1" --from 0x1001 --max 2 | wc -l)" 2 "read --max 2"
err_is ENOENT clfsctl read "$d1" --from 0x1003
expect_status 2 clfsctl read "$d1" --mode sideways

# Restart areas, the base, the archive tail.
expect_eq "$(clfsctl restart write "$d1" --base 0x1200 ckpt-1)" \
	"lsn 0x0000000000001800 written 1024" "restart write with a base move"
clfsctl restart write "$d1" ckpt-2 >/dev/null
expect_eq "$(clfsctl restart read "$d1" --all | cut -c5-22 | tr '\n' ' ')" \
	"0x0000000000001a00 0x0000000000001800 " "restart read --all: the chain"
err_is EINVAL clfsctl restart write "$d1" --base 0x1001 ckpt-bad
err_is ENOENT clfsctl read "$d1" --from 0x1000
err_is EINVAL clfsctl advance-base "$d1" 0x1000
clfsctl set-archive-tail "$d1" 0x1200
clfsctl advance-base "$d1" 0x1400
clfsctl --json info "$d1" >/tmp/info.json
grep -q '"base_lsn":"0x0000000000001400"' /tmp/info.json || fail "info: base $(cat /tmp/info.json)"
grep -q '"archive_tail":"0x0000000000001200"' /tmp/info.json || fail "info: archive tail"
grep -q '"restart_lsn":"0x0000000000001a00"' /tmp/info.json || fail "info: restart lsn"
echo "ok: info --json"

# Flush, truncation.
expect_eq "$(clfsctl flush "$d1")" "0x0000000000001a00" "flush"
err_is ENOENT clfsctl flush "$d1" --to 0x1c00
err_is EINVAL clfsctl truncate "$d1" 0x1603
clfsctl truncate "$d1" 0x1601
expect_eq "$(clfsctl read "$d1" --from 0x1600 | cut -c5-22 | tr '\n' ' ')" \
	"0x0000000000001600 0x0000000000001601 " "truncated after 0x1601"

# Batched appends: one APPEND_BATCH per up to 1024 records, consecutive
# LSNs right after the truncation's end block.
expect_eq "$(clfsctl append "$d1" --batch --flush b1 b2 b3 | tr '\n' ' ')" \
	"0x0000000000001800 0x0000000000001801 0x0000000000001802 " \
	"append --batch: 3 records in one call"
expect_eq "$(printf 'x\ny\n' | clfsctl --json append "$d1" --batch --stdin --lines | tr -d '\n')" \
	'[{"lsn":"0x0000000000001a00"},{"lsn":"0x0000000000001a01"}]' \
	"append --batch --stdin --lines, JSON"
expect_status 2 clfsctl append "$d1" --batch --chain z1 z2
expect_eq "$(clfsctl read "$d1" --from 0x1801 --max 1)" \
	'lsn 0x0000000000001801 type data length 2 undo-next 0xffffffff00000000 previous 0xffffffff00000000 data "b2"' \
	"read a batched record"

# A follower beside writers.  read --follow holds a read-only handle on
# the log while each append opens the same log again (a shared open: it
# used to fail with EBUSY), and prints each record once it is durable.
n0=$(clfsctl read "$d1" | wc -l)
clfsctl read "$d1" --follow --max $((n0 + 3)) >/tmp/follow.txt 2>/tmp/follow.err &
fpid=$!
# wait_for SECONDS CONDITION...: poll once a second until CONDITION holds.
wait_for() {
	# shellcheck disable=SC3043 # local: not POSIX, but busybox ash has it
	local n="$1"
	shift
	while ! "$@"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 1
	done
}
follow_lines() { [ "$(wc -l </tmp/follow.txt)" -ge "$1" ]; }
follower_gone() { ! kill -0 "$fpid" 2>/dev/null; }
wait_for 60 follow_lines "$n0" || fail "read --follow: $n0 records within 60 s: $(cat /tmp/follow.err)"
sleep 1
kill -0 "$fpid" 2>/dev/null || fail "read --follow ended at the end of the log: $(cat /tmp/follow.err)"
expect_eq "$(wc -l </tmp/follow.txt)" "$n0" "read --follow: the $n0 records there, then it waits"
expect_eq "$(clfsctl --json info "$d1" | grep -c '"last_lsn"')" 1 "info while a follower holds the log"
for r in follow-1 follow-2 follow-3; do
	clfsctl append "$d1" "$r" >/dev/null || fail "append $r beside the follower"
done
wait_for 60 follower_gone || { kill "$fpid"; fail "read --follow: 3 more records within 60 s"; }
wait "$fpid" || fail "read --follow exited $?: $(cat /tmp/follow.err)"
expect_eq "$(tail -n 3 /tmp/follow.txt | sed 's/.*data "//; s/"$//' | tr '\n' ' ')" \
	"follow-1 follow-2 follow-3 " "read --follow: each appended record, in order"
expect_status 2 clfsctl read "$d1" --follow --mode previous

# Containers: add two on the second disk, remove one; scan.
expect_eq "$(clfsctl add-container "$d1" --on "$d2" --count 2 | tr '\n' ' ')" \
	"physical_id 4 physical_id 5 " \
	"add two containers on $d2"
err_is ENODEV clfsctl info "$d1"
clfsctl --device "$d2" remove-container "$d1" 5
err_is ENOENT clfsctl --device "$d2" remove-container "$d1" 5
err_is EBUSY clfsctl --device "$d2" remove-container "$d1" 0
expect_eq "$(clfsctl --device "$d2" containers "$d1" | wc -l)" 5 "5 containers"

# The offline dump agrees with the module, record for record.
clfsctl --device "$d2" --json read "$d1" | grep '^{"lsn"' | sed 's/,$//' >/tmp/mod.json
clfsctl --json dump "$d1" --device "$d2" | grep '^{"lsn"' | sed 's/,$//' >/tmp/off.json
[ -s /tmp/mod.json ] || fail "module read nothing"
cmp /tmp/mod.json /tmp/off.json || fail "dump differs: $(diff /tmp/mod.json /tmp/off.json)"
echo "ok: offline dump = module read ($(wc -l </tmp/mod.json) records)"
clfsctl check "$f1" --device "$f2" >/dev/null || fail "check $f1: $(cat /tmp/err)"
echo "ok: check"

# A corrupt newer metadata copy: check reports it, dump and the module
# use the other copy.
copy=$(clfsctl dump "$f1" --device "$f2" | sed -n 's/^copy  *//p')
case "$copy" in A) off=0 ;; B) off=65536 ;; *) fail "dump: copy '$copy'" ;; esac
losetup -d "$d1"
printf 'XXXX' | dd of="$f1" bs=1 seek=$((off + 64)) conv=notrunc 2>/dev/null
losetup "$d1" "$f1"
expect_status 1 clfsctl check "$f1" --device "$f2"
grep -q "metadata copy $copy" /tmp/out || fail "check: no problem with copy $copy: $(cat /tmp/out)"
clfsctl --device "$d2" --json read "$d1" | grep '^{"lsn"' | sed 's/,$//' >/tmp/mod2.json
clfsctl --json dump "$f1" --device "$f2" | grep '^{"lsn"' | sed 's/,$//' >/tmp/off2.json
cmp /tmp/mod2.json /tmp/off2.json || fail "after corruption, dump differs"
echo "ok: with copy $copy corrupt, module and dump agree"

# A multiplexed log: streams by name, DEV::STREAM wherever a log is named.
clfsctl create "$d1" --containers 4 --container-size 2M --multiplexed >/tmp/out ||
	fail "create --multiplexed"
grep -q '^kind *multiplexed$' /tmp/out || fail "create --multiplexed: kind: $(cat /tmp/out)"
expect_eq "$(clfsctl stream create "$d1" orders | sed -n 's/^id *//p')" 1 \
	"stream create orders: id 1"
expect_eq "$(clfsctl stream create "$d1" audit | sed -n 's/^id *//p')" 2 \
	"stream create audit: id 2"
err_is EEXIST clfsctl stream create "$d1" orders
err_is EINVAL clfsctl stream create "$d1" a/b
err_is EINVAL clfsctl append "$d1" no-stream
err_is ENOENT clfsctl append "$d1::nosuch" x
clfsctl append "$d1::orders" o1 o2 >/dev/null || fail "append to orders"
a1=$(clfsctl append "$d1::audit" a1) || fail "append to audit"
clfsctl append "$d1::orders" o3 >/dev/null || fail "append to orders again"
expect_eq "$(clfsctl read "$d1::orders" | sed 's/.*data "//; s/"$//' | tr '\n' ' ')" \
	"o1 o2 o3 " "read DEV::orders: its records only"
expect_eq "$(clfsctl read "$d1::audit" | sed 's/.*data "//; s/"$//' | tr '\n' ' ')" \
	"a1 " "read DEV::audit: its record only"
err_is ENOENT clfsctl read "$d1::orders" --from "$a1"
err_is EOPNOTSUPP clfsctl truncate "$d1::audit" "$a1"
expect_eq "$(clfsctl stream list "$d1" | wc -l)" 2 "stream list: 2 streams"
clfsctl --json info "$d1::audit" >/tmp/out || fail "info DEV::audit"
grep -q '"stream_id": *2' /tmp/out || fail "info DEV::audit: stream_id: $(cat /tmp/out)"
clfsctl stream delete "$d1" audit || fail "stream delete audit"
err_is ENOENT clfsctl read "$d1::audit"
err_is ENOENT clfsctl stream delete "$d1" audit
expect_eq "$(clfsctl stream list "$d1" | wc -l)" 1 "stream list after the delete"
expect_eq "$(clfsctl read "$d1::orders" | wc -l)" 3 "orders keeps its 3 records"

# The clfs_submit tracepoint says how each block goes out.  A new log's
# first flushed blocks need no preflush (nothing before them; the FUA write
# before each one made the rest durable); after a reopen the first flushed
# block carries one (what the open found is not yet known to be durable
# through this open), the next one does not.  The tracepoint used to say
# PREFLUSH|FUA for every FUA write.
t=/sys/kernel/tracing
[ -e "$t/trace" ] || mount -t tracefs tracefs "$t" || fail "mount tracefs"
clfsctl create "$d2" --containers 2 --container-size 2M >/dev/null || fail "create for the tracepoint"
echo 1 >"$t/events/clfs/clfs_submit/enable"
: >"$t/trace"
clfsctl append "$d2" --flush a b >/dev/null || fail "append --flush a b"
clfsctl append "$d2" --flush c d >/dev/null || fail "append --flush c d"
echo 0 >"$t/events/clfs/clfs_submit/enable"
expect_eq "$(sed -n 's/.*clfs_submit: .* block \(0x[0-9a-f]*\) to .* size \([0-9]*\)\(.*\)$/\1 \2\3/p' "$t/trace" | tr '\n' ';')" \
	"0x1000 512 FUA;0x1200 512 FUA;0x1400 512 PREFLUSH|FUA;0x1600 512 FUA;" \
	"clfs_submit: FUA, with a preflush only after the reopen"
