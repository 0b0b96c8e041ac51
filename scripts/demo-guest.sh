#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh # busybox ash, checked as POSIX sh
#
# PID 1 of the demonstration guest (scripts/demo.sh).  demo_boot=1 or 2 on
# the kernel command line says which half to run.  Everything a viewer
# should see goes to /dev/ttyS1, which the host prints; the kernel console
# is ttyS0.  "DEMO-KILL-ME" asks the host to kill the guest, "DEMO-DONE"
# ends the run, "DEMO-FAILED" marks an error.
/bin/busybox mkdir -p /proc /sys /dev /tmp /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
exec >/dev/ttyS1 2>&1

boot=0
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case "$arg" in demo_boot=*) boot=${arg#demo_boot=} ;; esac
done

step() { echo; echo "## $*"; }
# run CMD...: show the command, run it; any failure ends the demo.
run() {
	# shellcheck disable=SC3043 # local: not POSIX, but busybox ash has it
	local a line="\$"
	for a in "$@"; do
		case "$a" in
		*[!A-Za-z0-9/._=-]*) line="$line '$a'" ;;
		*) line="$line $a" ;;
		esac
	done
	echo "$line"
	"$@" || { echo "DEMO-FAILED: $* exited $?"; sleep 2; poweroff -f; }
}

# show_log: the log's positions, from clfsctl info.
show_log() {
	echo "\$ clfsctl info /dev/vda | grep -E '_lsn|archive_tail|generation'"
	clfsctl info /dev/vda >/tmp/info || { echo "DEMO-FAILED: info"; poweroff -f; }
	grep -E '_lsn|archive_tail|^generation' /tmp/info
}

while read -r ko; do insmod "/lib/clfs-deps/$ko"; done </lib/clfs-deps/order
insmod /clfs/clfs.ko
echo "guest: Linux $(uname -r), boot $boot, clfs $(clfsctl version)"

if [ "$boot" = 1 ]; then
	step "create a log on /dev/vda: 4 containers of 4 MiB, 64 KiB blocks"
	run clfsctl create /dev/vda --containers 4 --container-size 4M --block-size 64K
	step "append transaction 1 (each record is made durable before clfsctl returns)"
	run clfsctl append /dev/vda "begin txn 1" "txn 1: set a = 1" "txn 1: set b = 2" "commit txn 1"
	step "append the start of transaction 2; its first LSN will be the new base"
	clfsctl append /dev/vda "begin txn 2" "txn 2: set c = 3" >/tmp/lsns ||
		{ echo "DEMO-FAILED: append"; poweroff -f; }
	cat /tmp/lsns
	base=$(head -n 1 /tmp/lsns)
	step "checkpoint: write a restart area and move the base to $base"
	run clfsctl restart write /dev/vda --base "$base" "checkpoint 1: a=1 b=2; redo from $base"
	step "append more after the checkpoint"
	run clfsctl append /dev/vda "txn 2: set d = 4" "commit txn 2" "begin txn 3" "txn 3: set e = 5"
	step "the log now"
	show_log
	step "kill the guest now: no unmount, no close, no clean shutdown"
	echo "DEMO-KILL-ME"
	sleep 600
fi

step "open the log: recovery runs on open"
show_log
step "the restart area (the newest checkpoint)"
run clfsctl restart read /dev/vda
step "the records from the base on: the checkpoint and everything after it"
run clfsctl read /dev/vda
step "check the image offline (no ioctls: the shared format code)"
run clfsctl check /dev/vda
echo "DEMO-DONE"
sleep 600
