#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host test of clfsctl without the module: the offline commands (dump,
# check) on the images tests/unit/image_test.c builds with the shared
# format encoders, whose expected records it writes independently in the
# record format of clfsctl(8); the ioctl flows of every log command
# against a fake module (test-fake-clfs.c); JSON output parses; usage
# errors exit 2 and failures exit 1, each with exactly one line on stderr
# naming the errno; the version and lsn commands keep their output.
# Prints "ok   NAME" or "FAIL NAME: detail" per check and a summary;
# exit status 1 on any failure.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
C=$top/tools/clfsctl/clfsctl
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clfsctl-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0
failn=0

ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { failn=$((failn + 1)); echo "FAIL $1: $2"; }

# run NAME STATUS CMD...: exit status STATUS; with STATUS != 0, exactly one
# line on stderr.  Output in $tmp/out, $tmp/err.
run() {
	# shellcheck disable=SC3043 # local: not POSIX, but dash, bash and ash have it
	local what="$1" want="$2" st
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$st" != "$want" ]; then
		bad "$what" "exit status $st, want $want ($(head -n 1 "$tmp/err"))"
		return 1
	fi
	if [ "$want" != 0 ] && [ "$(wc -l <"$tmp/err")" != 1 ]; then
		bad "$what" "$(wc -l <"$tmp/err") lines on stderr, want 1"
		return 1
	fi
	if [ "$want" = 0 ] && [ -s "$tmp/err" ]; then
		bad "$what" "stderr: $(head -n 1 "$tmp/err")"
		return 1
	fi
	ok "$what"
}

# expect NAME FILE PATTERN: grep -q PATTERN FILE.
expect() {
	if grep -q -- "$3" "$2"; then
		ok "$1"
	else
		bad "$1" "no '$3' in: $(head -n 1 "$2")"
	fi
}

json_ok() {
	if command -v python3 >/dev/null 2>&1; then
		if python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$2" 2>/dev/null; then
			ok "$1"
		else
			bad "$1" "not JSON: $(head -c 200 "$2")"
		fi
	fi
}

[ -x "$C" ] || { echo "FAIL build: $C missing (make -C tools first)"; exit 1; }

# The images, and clfsctl against a fake module: built by tests/Makefile.
if make -s -C "$top/tests" "$top/build/tests/image_test" \
	"$top/build/tests/clfsctl-fake" >"$tmp/err" 2>&1 &&
	"$top/build/tests/image_test" "$tmp" >"$tmp/image_test.log"; then
	ok "image_test builds the images ($(grep -c '^ok ' "$tmp/image_test.log") checks)"
else
	bad "image_test" "$(head -n 1 "$tmp/err") $(grep FAIL "$tmp/image_test.log" | head -n 1)"
	exit 1
fi

# dump prints exactly the records recovery keeps, like read would.
for name in empty basic torn lap trunc copyb twodev; do
	dev=
	[ -e "$tmp/$name-dev2.img" ] && dev="--device $tmp/$name-dev2.img"
	# shellcheck disable=SC2086
	run "dump $name: exit 0" 0 "$C" dump "$tmp/$name.img" $dev || continue
	grep '^lsn ' "$tmp/out" >"$tmp/records"
	if cmp -s "$tmp/records" "$tmp/$name.records"; then
		ok "dump $name: exact records ($(wc -l <"$tmp/records"))"
	else
		bad "dump $name: exact records" "$(diff "$tmp/$name.records" "$tmp/records" | head -n 3 | tr '\n' ' ')"
	fi
	# shellcheck disable=SC2086
	run "dump --json $name: exit 0" 0 "$C" --json dump "$tmp/$name.img" $dev || continue
	json_ok "dump --json $name: parses" "$tmp/out"
	n=$(grep -c '^{"lsn"' "$tmp/out")
	if [ "$n" = "$(wc -l <"$tmp/$name.records")" ]; then
		ok "dump --json $name: one record per line ($n)"
	else
		bad "dump --json $name: one record per line" "$n lines"
	fi
	status=0
	[ "$name" = copyb ] && status=1
	# shellcheck disable=SC2086
	run "check $name" "$status" "$C" check "$tmp/$name.img" $dev
done
"$C" dump "$tmp/basic.img" >"$tmp/out"
expect "dump basic: binary bytes as \\xNN" "$tmp/out" 'data "\\x00\\x01\\x22\\x5c\\xffend"'
expect "dump basic: meta names the copy in use" "$tmp/out" '^copy  *B$'
expect "dump basic: end reason" "$tmp/out" '^end_reason .*no block'
expect "dump basic: containers" "$tmp/out" '^container physical_id 1 logical_id 1 state active'
"$C" dump "$tmp/torn.img" >"$tmp/out"
expect "dump torn: ends at the torn block" "$tmp/out" '^end_reason *0x0000000000001200: torn or corrupt block'
"$C" dump "$tmp/trunc.img" >"$tmp/out"
expect "dump trunc: ends at the block before the truncation" "$tmp/out" 'block written before the truncation'
expect "dump trunc: last_lsn is the truncation point" "$tmp/out" '^last_lsn  *0x0000000000001001$'
"$C" dump "$tmp/lap.img" >"$tmp/out"
expect "dump lap: stale block of the earlier lap" "$tmp/out" 'earlier lap'
expect "dump lap: base LSN" "$tmp/out" '^base_lsn  *0x0000000100001000$'
"$C" --json dump "$tmp/copyb.img" >"$tmp/out"
expect "dump --json copyb: copy B invalid" "$tmp/out" '"copy":"A","copy_a":"valid","generation_a":1,"copy_b":"invalid"'
run "check basic: one-line summary" 0 "$C" check "$tmp/basic.img"
expect "check basic: consistent" "$tmp/out" 'basic.img: consistent: copy B generation 2 containers 2 blocks 3 records 6'
if [ "$(wc -l <"$tmp/out")" = 1 ]; then
	ok "check basic: exactly one line"
else
	bad "check basic: exactly one line" "$(wc -l <"$tmp/out") lines"
fi
run "check --json basic" 0 "$C" --json check "$tmp/basic.img"
json_ok "check --json basic: parses" "$tmp/out"
expect "check --json basic: consistent" "$tmp/out" '"consistent":true'
run "check copyb: a problem" 1 "$C" check "$tmp/copyb.img"
expect "check copyb: names copy B" "$tmp/out" '^problem: .*metadata copy B'
expect "check copyb: EUCLEAN on stderr" "$tmp/err" '^clfsctl: check: .*1 problem found: corrupt log structure (EUCLEAN)$'
run "check --json copyb" 1 "$C" --json check "$tmp/copyb.img"
json_ok "check --json copyb: parses" "$tmp/out"
# A v2 log: refused naming its version, upgraded once, then read alike.
run "check v2: refused" 1 "$C" check "$tmp/v2.img"
expect "check v2: names the version and the upgrade" "$tmp/out" 'format version 2.0, not 3 (clfsctl upgrade converts it)'
cp "$tmp/basic.img" "$tmp/basic-copy.img"
run "upgrade v2" 0 "$C" upgrade "$tmp/v2.img"
expect "upgrade v2: says so" "$tmp/out" 'v2.img: upgraded to format v3 (generation 4)$'
run "check v2 after the upgrade" 0 "$C" check "$tmp/v2.img"
expect "check v2 after the upgrade: copy B generation 4" "$tmp/out" 'consistent: copy B generation 4 containers 2 blocks 1 records 2'
"$C" dump "$tmp/v2.img" | grep '^lsn ' >"$tmp/records"
if cmp -s "$tmp/v2.records" "$tmp/records"; then
	ok "dump v2 after the upgrade: the same records"
else
	bad "dump v2 after the upgrade: the same records" "$(diff "$tmp/v2.records" "$tmp/records" | head -n 3 | tr '\n' ' ')"
fi
run "upgrade v2 again: nothing to do" 0 "$C" upgrade "$tmp/v2.img"
expect "upgrade v2 again: says so" "$tmp/out" 'already format v3; nothing to do'
run "upgrade nometa: refused" 1 "$C" upgrade "$tmp/nometa.img"
expect "upgrade nometa: names the problem" "$tmp/err" 'no valid v2 or v3 metadata'
run "upgrade a v3 log: nothing to do" 0 "$C" upgrade "$tmp/basic-copy.img"
if cmp -s "$tmp/basic.img" "$tmp/basic-copy.img"; then
	ok "upgrade a v3 log: not a byte written"
else
	bad "upgrade a v3 log: not a byte written" "the image changed"
fi
run "check nometa: problems" 1 "$C" check "$tmp/nometa.img"
expect "check nometa: no valid copy" "$tmp/out" 'no valid metadata copy'
run "dump nometa: EUCLEAN" 1 "$C" dump "$tmp/nometa.img"
expect "dump nometa: one line" "$tmp/err" '^clfsctl: dump: .*no valid metadata copy: corrupt log structure (EUCLEAN)$'
run "dump twodev without its second device: ENODEV" 1 "$C" dump "$tmp/twodev.img"
expect "dump twodev without its second device: message" "$tmp/err" '(ENODEV)$'
run "dump with a device of nothing: EINVAL" 1 "$C" dump "$tmp/twodev.img" --device "$tmp/basic.img"
expect "dump with a device of nothing: message" "$tmp/err" 'holds no container of this log.*(EINVAL)$'
run "dump with an image given twice: EINVAL" 1 "$C" --device "$tmp/basic.img" dump "$tmp/basic.img"
expect "dump with an image given twice: message" "$tmp/err" 'given twice.*(EINVAL)$'
run "dump of a missing file: ENOENT" 1 "$C" dump "$tmp/missing.img"
expect "dump of a missing file: message" "$tmp/err" "^clfsctl: dump: open $tmp/missing.img: No such file or directory (ENOENT)\$"
run "dump of a character device: EINVAL" 1 "$C" dump /dev/null
head -c 100000 "$tmp/basic.img" >"$tmp/short.img"
run "dump of a short image: EIO" 1 "$C" dump "$tmp/short.img"
expect "dump of a short image: message" "$tmp/err" 'image too small.*(EIO)$'

# The ioctl flows, against a fake module (test-fake-clfs.c) linked into a
# dynamic build of clfsctl: the real module is tested by the QEMU lanes.
F=$top/build/tests/clfsctl-fake
if [ -x "$F" ]; then
	ok "fake module: clfsctl builds against it"
else
	bad "fake module: clfsctl builds against it" "$F missing"
	F=
fi
if [ -n "$F" ]; then
	export CLFS_FAKE_STATE="$tmp/fake.state"
	D=$tmp/fakedev
	: >"$D"
	rec() {	# the human record line of an LSN, type, data and chains
		printf 'lsn %s type %s length %s undo-next %s previous %s data "%s"\n' \
			"$1" "$2" "${#3}" "${4:-0xffffffff00000000}" \
			"${5:-0xffffffff00000000}" "$3"
	}
	run "fake: create" 0 "$F" create "$D" --containers 100 --container-size 1M
	expect "fake: create prints the geometry" "$tmp/out" '^container_size   1048576$'
	run "fake: restart read of a log without one: ENODATA" 1 "$F" restart read "$D"
	expect "fake: ENODATA message" "$tmp/err" '^clfsctl: restart read: read restart area: no restart area (ENODATA)$'
	run "fake: read of an empty log" 0 "$F" read "$D"
	if [ ! -s "$tmp/out" ]; then
		ok "fake: empty log, no records"
	else
		bad "fake: empty log, no records" "$(head -n 1 "$tmp/out")"
	fi
	run "fake: append three records" 0 "$F" append "$D" alpha bravo charlie
	lsns=$(cat "$tmp/out")
	a=$(echo "$lsns" | sed -n 1p) b=$(echo "$lsns" | sed -n 2p) c=$(echo "$lsns" | sed -n 3p)
	if [ "$(echo "$lsns" | grep -c '^0x[0-9a-f]\{16\}$')" = 3 ]; then
		ok "fake: one LSN per record"
	else
		bad "fake: one LSN per record" "$lsns"
	fi
	run "fake: read" 0 "$F" read "$D"
	{ rec "$a" data alpha; rec "$b" data bravo; rec "$c" data charlie; } >"$tmp/want"
	if cmp -s "$tmp/out" "$tmp/want"; then
		ok "fake: read prints the records"
	else
		bad "fake: read prints the records" "$(diff "$tmp/want" "$tmp/out" | head -n 3 | tr '\n' ' ')"
	fi
	run "fake: read --json" 0 "$F" --json read "$D"
	json_ok "fake: read --json parses" "$tmp/out"
	if [ "$(grep -c '^{"lsn"' "$tmp/out")" = 3 ]; then
		ok "fake: read --json, a record per line"
	else
		bad "fake: read --json, a record per line" "$(cat "$tmp/out")"
	fi
	run "fake: append --json" 0 "$F" --json append "$D" delta
	json_ok "fake: append --json parses" "$tmp/out"
	expect "fake: append --json shape" "$tmp/out" '^{"lsn":"0x[0-9a-f]\{16\}"}$'
	head -c 10000 /dev/zero | tr '\0' x >"$tmp/big"
	run "fake: append --file (10000 bytes)" 0 "$F" append "$D" --file "$tmp/big"
	big=$(cat "$tmp/out")
	run "fake: read a record larger than the first buffer" 0 "$F" read "$D" --from "$big" --max 1
	expect "fake: its length" "$tmp/out" "^lsn $big type data length 10000 "
	if [ "$(wc -c <"$tmp/out")" -gt 10000 ]; then
		ok "fake: its bytes"
	else
		bad "fake: its bytes" "short"
	fi
	if printf 'one\ntwo\n\nthree' | "$F" append "$D" --stdin --lines --chain >"$tmp/out" 2>"$tmp/err" &&
		[ "$(wc -l <"$tmp/out")" = 4 ]; then
		ok "fake: append --stdin --lines: a record per line"
	else
		bad "fake: append --stdin --lines: a record per line" "$(cat "$tmp/err" "$tmp/out")"
	fi
	l1=$(sed -n 1p "$tmp/out") l4=$(sed -n 4p "$tmp/out")
	run "fake: read --mode previous along the chain" 0 "$F" read "$D" --from "$l4" --mode previous
	if [ "$(sed 's/.*data //' "$tmp/out" | tr '\n' ' ')" = '"three" "" "two" "one" ' ]; then
		ok "fake: the chain, newest first"
	else
		bad "fake: the chain, newest first" "$(cat "$tmp/out")"
	fi
	expect "fake: --chain sets previous" "$tmp/out" "previous $l1 data \"two\""
	printf 'a"b\\c\001\377' | "$F" append "$D" --stdin >"$tmp/out" 2>"$tmp/err" && bin=$(cat "$tmp/out")
	run "fake: a binary record" 0 "$F" read "$D" --from "$bin" --max 1
	expect "fake: binary bytes escaped" "$tmp/out" 'length 7 .* data "a\\x22b\\x5cc\\x01\\xff"$'
	run "fake: restart write" 0 "$F" restart write "$D" ckpt-1
	expect "fake: restart write prints LSN and bytes" "$tmp/out" '^lsn 0x[0-9a-f]\{16\} written 4096$'
	r1=$(awk '{ print $2 }' "$tmp/out")
	run "fake: restart write --base" 0 "$F" restart write "$D" --base "$b" ckpt-2
	r2=$(awk '{ print $2 }' "$tmp/out")
	run "fake: restart read" 0 "$F" restart read "$D"
	rec "$r2" restart ckpt-2 0xffffffff00000000 "$r1" >"$tmp/want"
	if cmp -s "$tmp/out" "$tmp/want"; then
		ok "fake: restart read prints the newest"
	else
		bad "fake: restart read prints the newest" "$(cat "$tmp/out")"
	fi
	run "fake: restart read --all" 0 "$F" --json restart read "$D" --all
	json_ok "fake: restart read --all --json parses" "$tmp/out"
	if [ "$(grep -c '"type":"restart"' "$tmp/out")" = 2 ]; then
		ok "fake: both restart areas"
	else
		bad "fake: both restart areas" "$(cat "$tmp/out")"
	fi
	run "fake: read --type restart" 0 "$F" read "$D" --type restart
	if [ "$(awk '{ print $2 }' "$tmp/out" | tr '\n' ' ')" = "$r1 $r2 " ]; then
		ok "fake: read --type restart finds them from the base"
	else
		bad "fake: read --type restart finds them from the base" "$(cat "$tmp/out")"
	fi
	run "fake: read --type data --max 2" 0 "$F" read "$D" --type data --max 2
	if [ "$(awk '{ print $2 }' "$tmp/out" | tr '\n' ' ')" = "$b $c " ]; then
		ok "fake: read starts at the base"
	else
		bad "fake: read starts at the base" "$(cat "$tmp/out")"
	fi
	run "fake: info --json" 0 "$F" --json info "$D"
	json_ok "fake: info --json parses" "$tmp/out"
	expect "fake: info --json base_lsn" "$tmp/out" "\"base_lsn\":\"$b\""
	expect "fake: info --json io_stats" "$tmp/out" '"io_stats":{"appends":0,'
	run "fake: info" 0 "$F" info "$D"
	expect "fake: info first_lsn" "$tmp/out" "^first_lsn        $b\$"
	expect "fake: info io_stats.reads" "$tmp/out" '^io_stats.reads '
	run "fake: flush" 0 "$F" flush "$D"
	expect "fake: flush prints an LSN" "$tmp/out" '^0x[0-9a-f]\{16\}$'
	run "fake: flush --to --json" 0 "$F" --json flush "$D" --to "$c"
	expect "fake: flush --json" "$tmp/out" '^{"flushed":"0x[0-9a-f]\{16\}"}$'
	run "fake: read --from a missing LSN: ENOENT" 1 "$F" read "$D" --from 0x999000
	expect "fake: ENOENT message" "$tmp/err" '^clfsctl: read: read log record 0x0000000000999000: not found (ENOENT)$'
	run "fake: advance-base backwards: EINVAL" 1 "$F" advance-base "$D" "$a"
	expect "fake: EINVAL message" "$tmp/err" '(EINVAL)$'
	run "fake: advance-base" 0 "$F" advance-base "$D" "$c"
	run "fake: set-archive-tail" 0 "$F" set-archive-tail "$D" "$c"
	run "fake: truncate" 0 "$F" truncate "$D" "$l1"
	run "fake: read after truncate" 0 "$F" read "$D"
	if [ "$(awk '{ print $2 }' "$tmp/out" | tail -n 1)" = "$l1" ]; then
		ok "fake: the log ends at the truncation"
	else
		bad "fake: the log ends at the truncation" "$(tail -n 1 "$tmp/out")"
	fi
	run "fake: append --reserve only" 0 "$F" append "$D" --reserve 100 --reserve -50
	if [ "$(tr '\n' ' ' <"$tmp/out")" = "reserved 140 reserved -90 " ]; then
		ok "fake: the reservations' sizes"
	else
		bad "fake: the reservations' sizes" "$(cat "$tmp/out")"
	fi
	run "fake: append --reserve --json" 0 "$F" --json append "$D" --reserve 1K x
	expect "fake: reservations in JSON" "$tmp/out" '^{"lsn":"0x[0-9a-f]\{16\}","reserved":\[1064\]}$'
	run "fake: containers" 0 "$F" containers "$D"
	if [ "$(grep -c '^container ' "$tmp/out")" = 100 ]; then
		ok "fake: 100 containers over several scans"
	else
		bad "fake: 100 containers over several scans" "$(wc -l <"$tmp/out")"
	fi
	run "fake: add-container --count 3" 0 "$F" add-container "$D" --count 3 --offset 200M
	if [ "$(tr '\n' ' ' <"$tmp/out")" = "physical_id 100 physical_id 101 physical_id 102 " ]; then
		ok "fake: the new physical ids"
	else
		bad "fake: the new physical ids" "$(cat "$tmp/out")"
	fi
	run "fake: add-container --json" 0 "$F" --json add-container "$D" --on "$tmp/big"
	json_ok "fake: add-container --json parses" "$tmp/out"
	run "fake: containers --json" 0 "$F" --json containers "$D"
	json_ok "fake: containers --json parses" "$tmp/out"
	expect "fake: offsets back to back" "$tmp/out" '"physical_id":101,"logical_id":101,"state":"active","dev_major":7,"dev_minor":0,"offset":210763776,'
	run "fake: remove-container" 0 "$F" remove-container "$D" 101
	run "fake: remove-container again: ENOENT" 1 "$F" remove-container "$D" 101
	expect "fake: remove message" "$tmp/err" '^clfsctl: remove-container: remove log container 101: not found (ENOENT)$'
	run "fake: a --device the log does not have: EINVAL" 1 "$F" --device "$tmp/big" info "$D"
	expect "fake: open message" "$tmp/err" "^clfsctl: info: open log on $D: Invalid argument (EINVAL)\$"
	head -c 70000 /dev/zero >"$tmp/huge"
	run "fake: a record larger than a block: EMSGSIZE" 1 "$F" append "$D" --file "$tmp/huge"
	expect "fake: EMSGSIZE message" "$tmp/err" 'record too large for a write buffer (EMSGSIZE)$'
	CLFS_FAKE_CAPACITY=1 run "fake: a full log: ENOSPC" 1 "$F" append "$D" more
	expect "fake: ENOSPC message" "$tmp/err" '^clfsctl: append: reserve and append: log is full (ENOSPC)$'
	run "fake: append --batch" 0 "$F" append "$D" --batch --flush q1 q2 q3
	if [ "$(grep -c '^0x[0-9a-f]\{16\}$' "$tmp/out")" = 3 ] &&
		[ "$("$F" read "$D" | tail -n 3 | sed 's/.*data //' | tr '\n' ' ')" = '"q1" "q2" "q3" ' ]; then
		ok "fake: append --batch: three LSNs, three records in order"
	else
		bad "fake: append --batch: three LSNs, three records in order" "$(cat "$tmp/out")"
	fi
	# A fresh fake log with room for 2 records.
	: >"$tmp/fakedev2"
	CLFS_FAKE_STATE="$tmp/fake2.state" "$F" create "$tmp/fakedev2" --containers 4 \
		--container-size 1M >/dev/null
	CLFS_FAKE_STATE="$tmp/fake2.state" CLFS_FAKE_CAPACITY=2 \
		run "fake: append --batch into room for 2: ENOSPC after them" 1 \
		"$F" append "$tmp/fakedev2" --batch p1 p2 p3
	if [ "$(wc -l <"$tmp/out")" = 2 ]; then
		ok "fake: append --batch: the 2 appended are printed"
	else
		bad "fake: append --batch: the 2 appended are printed" "$(cat "$tmp/out")"
	fi
	expect "fake: append --batch ENOSPC message" "$tmp/err" '^clfsctl: append: append batch: log is full (ENOSPC)$'
	run "fake: append --batch --chain: usage" 2 "$F" append "$D" --batch --chain x
	if [ "$(id -u)" != 0 ]; then
		chmod a-w "$D"
		run "fake: a device we may not write" 1 "$F" info "$D"
		expect "fake: EACCES message" "$tmp/err" "open $D: Permission denied (EACCES)\$"
		chmod u+w "$D"
	fi
fi

# version and lsn keep their output.
run "lsn decode" 0 "$C" lsn decode 0x100000203
expect "lsn decode: output" "$tmp/out" '^lsn 0x0000000100000203: container 1, block offset 0x200, record 3 (valid)$'
run "lsn make --json" 0 "$C" --json lsn make 42 0x1f400 5
expect "lsn make --json: output" "$tmp/out" '^{"lsn":"0x0000002a0001f405","container":42,"block_offset":128000,"record":5,"kind":"valid"}$'
run "lsn decode invalid" 0 "$C" lsn decode 0xffffffff00000000
expect "lsn decode invalid: output" "$tmp/out" '(invalid)$'
run "lsn make: no such LSN" 1 "$C" lsn make 1 0x201 0
run "lsn make: container too large" 1 "$C" lsn make 0xffffffff 0 0
run "lsn make: record too large" 1 "$C" lsn make 1 0 512

# Without the module: one line, exit 1.
if [ ! -e /dev/clfs ]; then
	run "version without the module" 1 "$C" version
	expect "version without the module: message" "$tmp/err" \
		'cannot open /dev/clfs: No such file or directory (is the clfs module loaded?)'
	expect "version without the module: errno name" "$tmp/err" '(ENOENT)$'
	for cmd in "info /nonexistent" "containers /nonexistent" \
		   "append /nonexistent x" "read /nonexistent" \
		   "restart read /nonexistent" "flush /nonexistent" \
		   "truncate /nonexistent 0x1000" \
		   "create /nonexistent --containers 2 --container-size 1M"; do
		# shellcheck disable=SC2086
		run "$cmd: exit 1" 1 "$C" $cmd
		expect "$cmd: one line with the errno" "$tmp/err" "^clfsctl: ${cmd%% /*}: .*(ENOENT)\$"
	done
fi

# Usage errors: exit 2, one line.
while read -r args; do
	# shellcheck disable=SC2086
	run "usage: clfsctl $args" 2 "$C" $args
done <<'EOF'

frobnicate
--frob version
version extra
lsn frobnicate
lsn decode -1
lsn decode 0x1g
lsn make 1 2
info
info a b
info /dev/null --bogus
containers
add-container
add-container /dev/null --count 0
add-container /dev/null --count 1025
add-container /dev/null --offset 12Q
remove-container /dev/null
remove-container /dev/null -1
append
append /dev/null
append /dev/null x --file y
append /dev/null --lines x
append /dev/null --undo-next bogus x
append /dev/null --reserve
append /dev/null --reserve 1X x
flush /dev/null --to
flush /dev/null --to 0xz
restart
restart frob /dev/null
restart write /dev/null
restart write /dev/null a b
restart write /dev/null a --file b
restart read
restart read /dev/null --all=1
read
read /dev/null --mode sideways
read /dev/null --type log
read /dev/null --max -1
read /dev/null --from
advance-base /dev/null
set-archive-tail /dev/null 0x1 0x2
truncate /dev/null notanlsn
create
create /dev/null --containers 2
create /dev/null --container-size 1M
create /dev/null --containers 2 --container-size 1Q
create /dev/null --containers x --container-size 1M
create /dev/null --containers 2 --container-size 1M --block-size 99999999999
create /dev/null --containers 2 --container-size 1M --device /dev/zero
dump
dump a b
check
EOF
run "help" 0 "$C" --help
expect "help lists the commands" "$tmp/out" 'restart read DEV \[--all\]'
run "help command" 0 "$C" help
run "help of a command" 0 "$C" read --help

echo "test-clfsctl: $pass passed, $failn failed"
[ "$failn" = 0 ]
