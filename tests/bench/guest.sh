#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh # busybox ash, checked as POSIX sh
#
# /init of the `make bench` guest (scripts/bench.sh): one boot of the stock
# 6.12 kernel, three virtio-blk disks of the same size on the same host
# file system, each workload on its own disk:
#
#   /dev/vda  the raw device: fio from the host's root (virtio-9p,
#             read-only, chroot): 4 KiB O_DIRECT|O_SYNC writes with 1 and
#             16 jobs, 64 KiB sequential O_DIRECT writes at queue depth 16
#   /dev/vdb  ext4 with a log file: clfs_bench file (write() + fdatasync()
#             of 256-byte records, 1 and 16 threads)
#   /dev/vdc  clfs: clfs_bench clfs-forced (256-byte records with
#             FORCE_FLUSH, 1, 2, 4, 8 and 16 threads), clfs-unforced (256 bytes,
#             1 and 4 threads; 64 KiB records, 1 thread), batched
#             unforced appends (64 records per call, 1 thread), and 4 threads
#             each through a marshalling area of its own (clfs-*-areas);
#             one thread with 16 forced appends in flight on an io_uring
#             (clfs-forced-ring); the open and forward read of a full
#             256 MiB log (clfs-open), and the CPU floors for its bytes
#             (crc32c through AF_ALG, copies to and from user memory)
#   (none)    memcpy of 256-byte records: the baseline of CPU per record
#
# Each workload prints one "RESULT case=... key=value ..." line; the host
# builds the table.  bench_seconds= on the command line sets each run's
# length.  BENCH-FAILED or BENCH-DONE ends the output.
export PATH=/bin:/sbin
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec >/dev/ttyS1 2>&1

secs=5
read -r cmdline </proc/cmdline
for a in $cmdline; do
	case "$a" in bench_seconds=*) secs=${a#bench_seconds=} ;; esac
done

fail() {
	echo "BENCH-FAILED: $*"
	sync
	poweroff -f
}

while read -r ko; do
	insmod "/lib/clfs-deps/$ko" || fail "insmod $ko"
done </lib/clfs-deps/order
insmod /clfs/clfs.ko || fail "insmod clfs.ko"
for d in vda vdb vdc; do
	[ -b /dev/$d ] || fail "no /dev/$d"
done

# The host's root, read-only, for fio and mkfs.ext4, with this guest's
# /dev, /proc and /sys inside it.
mkdir -p /host /mnt/ext4
mount -t 9p -o trans=virtio,version=9p2000.L,ro hostroot /host ||
	fail "mount the host root over virtio-9p"
mount --bind /dev /host/dev || fail "bind /dev"
mount --bind /proc /host/proc || fail "bind /proc"
mount --bind /sys /host/sys || fail "bind /sys"
mount -t tmpfs tmpfs /host/tmp || fail "tmpfs /host/tmp"
echo "guest: Linux $(uname -r), $(nproc) CPUs, $secs s per run, $(chroot /host fio --version)"

# raw CASE JOBS FIO-ARGS...: one fio run on /dev/vda, as a RESULT line
# (terse format 3: write KiB/s is field 48, IOPS 49, completion latency
# mean 57 and percentiles 59-78, in microseconds).
raw() {
	c=$1 j=$2
	shift 2
	echo "run: $c"
	chroot /host fio --name="$c" --filename=/dev/vda --direct=1 \
		--numjobs="$j" --group_reporting --runtime="$secs" --time_based \
		--minimal "$@" >/tmp/fio.out 2>/tmp/fio.err ||
		{ cat /tmp/fio.err; fail "fio $c"; }
	awk -F';' -v c="$c" -v j="$j" '{
		p99 = 0
		for (i = 59; i <= 78; i++) if ($i ~ /^99\.000000%=/) { split($i, a, "="); p99 = a[2] }
		printf "RESULT case=%s threads=%d rps=%.1f mbps=%.2f lat_mean_us=%.1f lat_p99_us=%.1f\n",
			c, j, $49, $48 * 1024 / 1e6, $57, p99
	}' /tmp/fio.out
}

raw raw-4k-sync 1 --rw=write --bs=4k --sync=1 --ioengine=psync --size=256M
raw raw-4k-sync 16 --rw=write --bs=4k --sync=1 --ioengine=psync --size=16M \
	--offset_increment=16M
raw raw-64k-qd16 1 --rw=write --bs=64k --ioengine=libaio --iodepth=16 --size=256M

echo "run: ext4 file log"
chroot /host mkfs.ext4 -q -F /dev/vdb || fail "mkfs.ext4"
mount -t ext4 /dev/vdb /mnt/ext4 || fail "mount ext4"
for t in 1 16; do
	clfs_bench file /mnt/ext4/log "$t" "$secs" 256 || fail "file log, $t threads"
done
umount /mnt/ext4

echo "run: clfs"
for t in 1 2 4 8 16; do
	clfs_bench clfs-forced /dev/vdc "$t" "$secs" 256 || fail "clfs forced, $t threads"
done
for t in 1 4; do
	clfs_bench clfs-unforced /dev/vdc "$t" "$secs" 256 || fail "clfs unforced, $t threads"
done
# One thread, 16 forced appends in flight through io_uring.
clfs_bench clfs-forced-ring /dev/vdc 1 "$secs" 256 || fail "clfs forced, io_uring"
clfs_bench clfs-unforced-batch /dev/vdc 1 "$secs" 256 || fail "clfs batched, 1 thread"
clfs_bench memcpy - 1 "$secs" 256 || fail "memcpy of 256 bytes"
for t in 1 2; do
	clfs_bench clfs-unforced /dev/vdc "$t" "$secs" 65536 ||
		fail "clfs 64 KiB records, $t threads"
done
# A full log of 256 MiB: its open and forward read against reading it raw.
clfs_bench clfs-open /dev/vdc 1 "$secs" 4096 || fail "clfs open of a full log"
# Four writers through one marshalling area, and each through its own.
clfs_bench clfs-forced-areas /dev/vdc 4 "$secs" 256 || fail "clfs forced, 4 areas"
clfs_bench clfs-unforced-areas /dev/vdc 4 "$secs" 256 || fail "clfs unforced, 4 areas"
# A multiplexed log: four streams of one writer each, and one stream of four.
clfs_bench clfs-forced-streams /dev/vdc 4 "$secs" 256 || fail "clfs forced, 4 streams"
clfs_bench clfs-forced-stream /dev/vdc 4 "$secs" 256 || fail "clfs forced, 1 stream"
echo BENCH-DONE
sync
poweroff -f
