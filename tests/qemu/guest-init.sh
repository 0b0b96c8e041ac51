#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh # busybox ash, checked as POSIX sh
#
# PID 1 of the QEMU test guests (both lanes).  Runs from the initramfs that
# tests/qemu/lane.sh builds; /etc/clfs-guest.conf says what to do.
#
# Results go to the host over the second serial port, /dev/ttyS1, which
# nothing else writes: one "RESULT PASS|FAIL <name> <secs>" line per test,
# KTAP and kmemleak sections, and "CLFS-GUEST-DONE" as the very last line.
# A crash, a panic (panic_on_warn=1 oops=panic panic=-1 on the command
# line) or a hang therefore can never produce a passing run: the host
# counts every test without a RESULT line, and a run without the DONE line,
# as failed.  The console (ttyS0) carries everything for a human to read.
#
# Reboot tests (/tests/integration/reboot/*.sh) span two boots of the same
# disks, told apart by clfs_boot=1 or clfs_boot=2 on the kernel command
# line.  Boot 1 runs only their first phases (CLFS_BOOT=1), reports
# "CLFS-GUEST-CRASH HOW" and crashes on purpose with sysrq b (no unmount,
# no clean close, nothing synced), and reports nothing more.  Boot 2 runs
# their second phases (CLFS_BOOT=2) before anything else touches the
# disks, then the rest.

/bin/busybox mkdir -p /proc /sys /dev /tmp /bin /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug
mount -t configfs configfs /sys/kernel/config 2>/dev/null
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export CLFS_MODDIR=/clfs

# shellcheck source=/dev/null # written by tests/qemu/lane.sh
. /etc/clfs-guest.conf

out=/dev/ttyS1
report() { echo "$*" >"$out"; }
now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { echo "$1 $(now)" | awk '{ printf "%.1f", $2 - $1 }'; }

# The kernel log since the last mark must hold no splat of any kind
# (CLFS_SPLAT: the host's pattern, from /etc/clfs-guest.conf).  The mark
# is a line written into the kernel log itself, not a line count: a test
# that logs more than the ring buffer holds rotates old lines out, and a
# count would then skip the newest ones.  A mark rotated out means the
# whole buffer is new.
mark_n=0
dmesg_mark() {
	mark_n=$((mark_n + 1))
	echo "clfs-guest: mark $mark_n" >/dev/kmsg
}
dmesg_clean() {
	dmesg >/tmp/dmesg.all
	if grep -q "clfs-guest: mark $mark_n\$" /tmp/dmesg.all; then
		sed -n "/clfs-guest: mark $mark_n\$/,\$p" /tmp/dmesg.all >/tmp/dmesg.new
	else
		cp /tmp/dmesg.all /tmp/dmesg.new
	fi
	if grep -E "$CLFS_SPLAT" /tmp/dmesg.new >/dev/null; then
		echo "---- kernel splat ----"
		cat /tmp/dmesg.new
		return 1
	fi
	return 0
}

# The boot: 0 (the only one), or 1 or 2 of a crash-reboot pair.
boot=0
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case "$arg" in
	clfs_boot=*) boot=${arg#clfs_boot=} ;;
	esac
done

echo "clfs guest: $(uname -r), lane $CLFS_LANE, boot $boot"

# run_test NAME SCRIPT PHASE: run SCRIPT with CLFS_BOOT=PHASE and report it
# as NAME; its output is on the console.  Phase 1 (the first boot of a
# reboot test) loads clfs.ko unless it is loaded already and leaves
# everything loaded, logs open and all, for the crash.  Otherwise the
# script runs with clfs.ko freshly loaded, and must leave it unloadable.
run_test() {
	# shellcheck disable=SC3043 # local: not POSIX, but busybox ash has it
	local name="$1" t="$2" phase="$3" t0 ok=1
	echo "---- $name ----"
	dmesg_mark
	t0=$(now)
	if [ "$phase" = 1 ] && grep -q '^clfs ' /proc/modules; then
		:
	elif ! insmod $CLFS_MODDIR/clfs.ko; then
		echo "$name: insmod clfs.ko failed"
		ok=0
	fi
	if [ $ok = 1 ]; then
		CLFS_BOOT=$phase sh -e "$t" || { echo "$name: exit status $?"; ok=0; }
	fi
	if [ "$phase" != 1 ] && grep -q '^clfs_itest ' /proc/modules; then
		echo "$name: left clfs_itest loaded"
		rmmod clfs_itest
		ok=0
	fi
	if [ "$phase" != 1 ] && grep -q '^clfs ' /proc/modules; then
		# io_uring tears a ring down in a worker after its process is
		# gone: the area files it held (and so the module) go a moment
		# later.  A reference that stays fails after 10 s.
		tries=0
		until rmmod clfs 2>/dev/null; do
			tries=$((tries + 1))
			if [ $tries -ge 10 ]; then
				rmmod clfs || { echo "$name: rmmod clfs failed"; ok=0; }
				break
			fi
			sleep 1
		done
	fi
	dmesg_clean || ok=0
	if [ $ok = 1 ]; then
		report "RESULT PASS $name $(elapsed "$t0")"
	else
		report "RESULT FAIL $name $(elapsed "$t0")"
	fi
}

# Stock modules the tests need, in dependency order (host resolved it).
if [ -f /lib/clfs-deps/order ]; then
	while read -r ko; do
		insmod "/lib/clfs-deps/$ko" ||
			{ report "RESULT FAIL load-$ko 0"; }
	done </lib/clfs-deps/order
fi

# Boot 1: the first phase of every reboot test, then the crash: sysrq b
# resets the machine at once.  A kernel without CONFIG_MAGIC_SYSRQ (the
# KUnit lane's debug kernel) gets the reboot syscall without a sync
# instead: no log is closed there either, but drivers see a shutdown.  The
# report is written before the crash and the serial port drains on close;
# the pause makes sure the host has it.  The host fails boot 1 if it ends
# any other way.
if [ "$boot" = 1 ]; then
	for t in /tests/integration/reboot/*.sh; do
		[ -f "$t" ] || continue
		run_test "reboot/$(basename "$t" .sh)/boot1" "$t" 1
	done
	if [ -w /proc/sysrq-trigger ]; then
		how="sysrq b"
	else
		how="reboot -n -f (no sysrq in this kernel)"
	fi
	report "CLFS-GUEST-CRASH $how"
	echo "clfs guest: crash point reached: $how"
	sleep 1
	if [ -w /proc/sysrq-trigger ]; then
		echo b >/proc/sysrq-trigger
	else
		reboot -n -f
	fi
	sleep 5
	report "CLFS-GUEST-NO-CRASH"
	reboot -f
fi

# Whatever runs from here on is scanned for leaks at the end.
[ "$CLFS_LANE" = kunit ] && echo clear >/sys/kernel/debug/kmemleak

# Boot 2: the second phase of every reboot test, first of all.
if [ "$boot" = 2 ]; then
	for t in /tests/integration/reboot/*.sh; do
		[ -f "$t" ] || continue
		run_test "reboot/$(basename "$t" .sh)/boot2" "$t" 2
	done
fi

# KUnit: load the module and the test module (suites run at load),
# collect the KTAP results, unload both.
if [ "$CLFS_LANE" = kunit ]; then
	dmesg_mark
	t0=$(now)
	ok=1
	insmod $CLFS_MODDIR/clfs.ko || ok=0
	[ -c /dev/clfs ] || { echo "no /dev/clfs after insmod"; ok=0; }
	# clfs_kunit.<param>=<value> on the kernel command line: insmod's
	# arguments (insmod, unlike modprobe, does not read /proc/cmdline).
	kargs=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^clfs_kunit\.//p')
	# shellcheck disable=SC2086 # one argument per parameter
	insmod $CLFS_MODDIR/clfs_kunit.ko $kargs || ok=0
	for r in /sys/kernel/debug/kunit/*/results; do
		[ -f "$r" ] || continue
		report "KTAP-BEGIN $(basename "$(dirname "$r")")"
		cat "$r" >"$out"
		report "KTAP-END"
	done
	rmmod clfs_kunit || ok=0
	rmmod clfs || ok=0
	[ -e /dev/clfs ] && { echo "/dev/clfs remains after rmmod"; ok=0; }
	dmesg_clean || ok=0
	if [ $ok = 1 ]; then
		report "RESULT PASS kunit-modules $(elapsed "$t0")"
	else
		report "RESULT FAIL kunit-modules $(elapsed "$t0")"
	fi
fi

# Integration scripts: each runs with clfs.ko freshly loaded, and must
# leave it unloadable.
for t in /tests/integration/*.sh; do
	[ -f "$t" ] || continue
	run_test "$(basename "$t" .sh)" "$t" 0
done

# Leaks: with the modules gone, whatever they allocated and lost is
# unreferenced.  kmemleak reports objects older than 5 s, so wait, then
# scan twice (a second scan confirms).
if [ -w /sys/kernel/debug/kmemleak ]; then
	t0=$(now)
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	report "KMEMLEAK-BEGIN"
	cat /sys/kernel/debug/kmemleak >"$out"
	report "KMEMLEAK-END"
	if grep -q 'unreferenced object' /sys/kernel/debug/kmemleak; then
		cat /sys/kernel/debug/kmemleak
		report "RESULT FAIL kmemleak $(elapsed "$t0")"
	else
		report "RESULT PASS kmemleak $(elapsed "$t0")"
	fi
fi

report "CLFS-GUEST-DONE"
sync
reboot -f
