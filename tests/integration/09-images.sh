# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh source-path=SCRIPTDIR # busybox ash in the guest
# Hostile images, by class (built by tests/unit/image_test.c, which checks
# what the offline reader makes of each): bad container counts, offsets
# that overflow or point past the device, a container header of another
# container, record lengths and counts past the block, a block of another
# log, a floor above the metadata's, restart chains that loop or point at
# data, and a truncation note in every block.  The module opens and reads
# each on a loop device: it must refuse (EUCLEAN) exactly the images the
# offline reader refuses and read exactly the records it reads; walking
# the restart chain and truncating end too (a hang fails after 60 s).
# shellcheck source=../qemu/guest-lib.sh # installed as /tests/lib.sh
. /tests/lib.sh

n=0
opened=0
refused=0
for img in /images/hostile-*.img; do
	name=$(basename "$img" .img)
	case "$name" in *-dev2) continue ;; esac
	[ -e "/images/$name-dev2.img" ] && fail "$name: two-device images are not handled here"
	work=/tmp/$name.img
	cp "$img" "$work"
	set +e
	clfsctl --json dump "$work" >/tmp/off.out 2>/tmp/off.err
	so=$?
	set -e
	d=$(loop_attach "$work")
	set +e
	timeout 60 clfsctl --json read "$d" >/tmp/mod.out 2>/tmp/mod.err
	sm=$?
	set -e
	if [ "$so" = 0 ]; then
		[ "$sm" = 0 ] || fail "$name: the offline reader opens it, the module says: $(cat /tmp/mod.err)"
		grep '^{"lsn"' /tmp/off.out | sed 's/,$//' >/tmp/off.rec
		grep '^{"lsn"' /tmp/mod.out | sed 's/,$//' >/tmp/mod.rec
		cmp -s /tmp/off.rec /tmp/mod.rec ||
			fail "$name: module and offline reader differ: $(diff /tmp/off.rec /tmp/mod.rec | head -n 4)"
		# The restart chain, and a truncation that walks it (loops end).
		set +e
		timeout 60 clfsctl restart read "$d" --all >/tmp/rst.out 2>/tmp/rst.err
		sr=$?
		first=$(sed -n 's/^{"lsn": *"\{0,1\}\(0x[0-9a-f]*\).*/\1/p' /tmp/mod.rec | head -n 1)
		st=0
		[ -n "$first" ] && { timeout 60 clfsctl truncate "$d" "$first" >/tmp/tr.out 2>/tmp/tr.err; st=$?; }
		set -e
		case "$sr" in 0|1) ;; *) fail "$name: restart read --all: status $sr: $(cat /tmp/rst.err)" ;; esac
		case "$st" in 0|1) ;; *) fail "$name: truncate: status $st: $(cat /tmp/tr.err)" ;; esac
		opened=$((opened + 1))
		echo "ok: $name: module and offline reader read the same $(wc -l </tmp/mod.rec) records; restart chain status $sr ($(tail -n 1 /tmp/rst.err)), truncate status $st ($(tail -n 1 /tmp/tr.err))"
	else
		[ "$sm" = 1 ] || fail "$name: refused offline ($(tail -n 1 /tmp/off.err)), the module: status $sm"
		grep -q '(EUCLEAN)$' /tmp/mod.err || fail "$name: the module's refusal is not EUCLEAN: $(cat /tmp/mod.err)"
		refused=$((refused + 1))
		echo "ok: $name: refused by both: $(cat /tmp/mod.err)"
	fi
	losetup -d "$d"
	rm -f "$work"
	n=$((n + 1))
done
[ "$n" -ge 14 ] || fail "only $n hostile images"
echo "ok: $n hostile images: $opened opened alike, $refused refused with EUCLEAN"
