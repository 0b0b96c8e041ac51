#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# scripts/bench.sh (`make bench`): clfs beside the raw device and a file
# log on ext4, from one guest boot of Debian's stock 6.12 kernel (QEMU TCG).
#
# The guest (tests/bench/guest.sh) gets three virtio-blk disks of the same
# size, backed by files in build/bench/ on the same host file system
# (written through once, so that no run pays for the host's first
# allocation of a block), and runs each workload on its own disk (fio for
# the raw device, tests/bench/clfs_bench.c for the file log and clfs); see
# guest.sh for the list.  Prints one table of figures, then the ratios clfs/raw and
# clfs/ext4 between runs of the same shape, and writes the same as JSON to
# build/bench/results.json.  Absolute figures under TCG vary with the
# host's load from run to run; compare the ratios of one boot.
#
# BENCH_SECONDS (5): the length of each run.  Files: build/bench/
# (console.log: the guest kernel's console; guest.out: the workloads'
# output).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=../tests/qemu/lane.sh
. "$CLFS_TOP/tests/qemu/lane.sh"
cd "$CLFS_TOP"

dir=$CLFS_TOP/build/bench
secs=${BENCH_SECONDS:-5}
t_start=$(date +%s)
mkdir -p "$dir"

stage "set-up: packages (scripts/setup.sh)"
scripts/setup.sh | sed 's/^/    /'

k=$(stock_kernel 6.12)
stage "build: clfs.ko for $k, clfs_bench (static)"
run_logged "$dir/build.log" make modules KDIR="/lib/modules/$k/build"
run_logged "$dir/bench-build.log" make -C tests bench

stage "guest: initramfs (busybox, clfs.ko, clfs_bench; virtio, ext4, 9p and algif_hash modules)"
root=$dir/root
rm -rf "$root"
mkdir -p "$root"/{bin,clfs}
cp /bin/busybox "$root/bin/busybox"
cp tests/bench/guest.sh "$root/init"
chmod +x "$root/init"
cp build/tests/clfs_bench "$root/bin/clfs_bench"
cp "build/$k/clfs.ko" "$root/clfs/"
lane_stock_modules "$root" "$k" virtio_pci virtio_blk crc32c_generic libcrc32c \
	ext4 9pnet_virtio 9p algif_hash
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$dir/initramfs.cpio.gz"
# The clfs disk holds 64 KiB records for the whole run (the log is
# created afresh for each case; a case that fills it ends early).
#
# Each disk is written through once first.  A write to a block of a sparse
# file that the host has never allocated costs the host an allocation
# (measured: clfs's 64 KiB records went from about 330 to 470 MB/s once
# the file had been written), and the runs do not touch the same share of
# fresh blocks: fio rewrites its disk several times within a run, a clfs
# case that fills its log writes each block once.
drives=()
for d in raw ext4 clfs; do
	drives+=(-drive "$(lane_disk "$dir" "$d" 1G)")
	dd if=/dev/zero of="$dir/$d.img" bs=1M count=1024 conv=notrunc,fsync \
		status=none || die "cannot write $dir/$d.img"
done
echo "    disks: raw, ext4, clfs: 1 GiB each, written through once (files in $dir)"

stage "guest: boot and run ($secs s per run; about 2 minutes)"
out=$dir/guest.out
CLFS_LOOK_AT=$dir/console.log
timeout --foreground 900 qemu-system-x86_64 -nodefaults -nographic -display none \
	-no-reboot "${LANE_MACHINE[@]}" \
	-kernel "/boot/vmlinuz-$k" -initrd "$dir/initramfs.cpio.gz" \
	-append "$LANE_CMDLINE quiet bench_seconds=$secs" "${drives[@]}" \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on \
	-serial "file:$dir/console.log" -serial "file:$out" \
	-monitor none </dev/null >"$dir/qemu.log" 2>&1 ||
	die "the guest did not finish (QEMU exited $?)" "$dir/console.log, $out"
CLFS_LOOK_AT=
tr -d '\r' <"$out" | grep -v '^RESULT ' | sed 's/^/    /' || true
grep -q '^BENCH-DONE' "$out" || die "the guest stopped early" "$out, $dir/console.log"

stage "results"
tr -d '\r' <"$out" | awk -v json="$dir/results.json" -v kernel="$k" -v secs="$secs" '
function get(line, key,    n, i, kv) {
	n = split(line, kv, " ")
	for (i = 1; i <= n; i++) if (index(kv[i], key "=") == 1) return substr(kv[i], length(key) + 2)
	return ""
}
function fmt(v) { return v == "" ? "-" : v }
/^RESULT / {
	c = get($0, "case"); t = get($0, "threads"); b = get($0, "bytes")
	id = c "/" t (b != "" && b != 256 && c ~ /clfs|file|memcpy/ ? "/" b : "")
	ids[++n] = id
	for (f = 1; f <= nkeys; f++) val[id, keys[f]] = get($0, keys[f])
	w = val[id, "dev_writes_per_rec"]
	if (w != "" && w + 0 > 0) val[id, "recs_per_write"] = sprintf("%.2f", 1 / w)
}
BEGIN {
	nkeys = split("rps mbps lat_mean_us lat_p99_us cpu_us_per_rec dev_writes_per_rec records dev_cmds_per_rec recs_per_write open_ms open_reads open_kib open_clean_ms open_clean_reads open_clean_kib read_clean_ms read_ms batch_read_ms seq_ms seq_mbps crc_ms copy_out_ms copy_in_ms", keys, " ")
}
END {
	printf "    %-26s %11s %9s %11s %11s %10s %10s %9s %10s\n", "run (case/threads[/bytes])",
		"records/s", "MB/s", "mean us", "p99 us", "CPU us/rec", "writes/rec", "cmds/rec",
		"recs/write"
	for (i = 1; i <= n; i++) {
		id = ids[i]
		printf "    %-26s %11s %9s %11s %11s %10s %10s %9s %10s\n", id, fmt(val[id, "rps"]),
			fmt(val[id, "mbps"]), fmt(val[id, "lat_mean_us"]), fmt(val[id, "lat_p99_us"]),
			fmt(val[id, "cpu_us_per_rec"]), fmt(val[id, "dev_writes_per_rec"]),
			fmt(val[id, "dev_cmds_per_rec"]), fmt(val[id, "recs_per_write"])
	}
	o = "clfs-open/1/4096"
	if (val[o, "open_ms"] != "") {
		printf "    %s: after a clean close: open %s ms (%s device reads, %s KiB), first forward read %s ms\n", o,
			val[o, "open_clean_ms"], val[o, "open_clean_reads"], val[o, "open_clean_kib"],
			val[o, "read_clean_ms"]
		printf "    %s: after a crash: open %s ms (%s device reads, %s KiB), forward read %s ms (%s ms %s records a call); sequential read %s ms (%s MB/s)\n", o,
			val[o, "open_ms"], val[o, "open_reads"], val[o, "open_kib"], val[o, "read_ms"],
			val[o, "batch_read_ms"], 256, val[o, "seq_ms"], val[o, "seq_mbps"]
	}
	# The CPU floors (clfs_bench.c, crc_floor() and copy_floor()): the
	# crc32c of every byte, on one CPU or ideally split over two, and one
	# copy between kernel and user memory.
	mib = 256 * 1048576
	if (val[o, "crc_ms"] != "") {
		printf "    %s: CPU floors for its 256 MiB: crc32c %s ms on 1 CPU, one copy to user %s ms, one copy from user %s ms\n", o,
			val[o, "crc_ms"], val[o, "copy_out_ms"], val[o, "copy_in_ms"]
		val[o, "crc2_ms"] = val[o, "crc_ms"] / 2
		val[o, "read_floor_ms"] = val[o, "crc_ms"] / 2 + val[o, "copy_out_ms"]
		val[o, "crc_mbps"] = mib / 1e3 / val[o, "crc_ms"]
		b = "clfs-unforced-batch/1"
		# A 256-byte record: 296 bytes checked (its 40-byte header too),
		# 256 copied from user memory.
		if (val[b, "cpu_us_per_rec"] != "")
			val[b, "floor_us"] = (val[o, "crc_ms"] * 296 + val[o, "copy_in_ms"] * 256) * 1e3 / mib
	}
	nr = 0
	# label|run|baseline run ("": the figure itself)|key|goal (issue 15)
	r[++nr] = "clfs forced 256 B, 1 thread / raw 4 KiB O_SYNC write (write + flush), 1 job (mean latency)|clfs-forced/1|raw-4k-sync/1|lat_mean_us|<= 1.10"
	r[++nr] = "clfs forced 256 B, 1 thread / raw 4 KiB O_SYNC, 1 job (ops/s)|clfs-forced/1|raw-4k-sync/1|rps|"
	r[++nr] = "clfs forced 256 B, 16 threads / raw 4 KiB O_SYNC, 16 jobs (ops/s)|clfs-forced/16|raw-4k-sync/16|rps|"
	r[++nr] = "clfs forced, 2 threads / 1 thread (records/s)|clfs-forced/2|clfs-forced/1|rps|>= 1"
	r[++nr] = "clfs forced, 4 threads / 2 threads (records/s)|clfs-forced/4|clfs-forced/2|rps|>= 1"
	r[++nr] = "clfs forced, 8 threads / 4 threads (records/s)|clfs-forced/8|clfs-forced/4|rps|>= 1"
	r[++nr] = "clfs forced, 16 threads / 8 threads (records/s)|clfs-forced/16|clfs-forced/8|rps|>= 1"
	r[++nr] = "clfs forced, 16 threads: records per device write|clfs-forced/16||recs_per_write|>= 14"
	r[++nr] = "clfs forced, io_uring: 1 thread, 16 in flight / 16 threads (records/s)|clfs-forced-ring/1|clfs-forced/16|rps|"
	r[++nr] = "clfs forced, io_uring: 1 thread, 16 in flight: records per device write|clfs-forced-ring/1||recs_per_write|"
	r[++nr] = "clfs forced 256 B / ext4 write+fdatasync 256 B, 1 thread (records/s)|clfs-forced/1|file/1|rps|"
	r[++nr] = "clfs forced 256 B / ext4 write+fdatasync 256 B, 16 threads (records/s)|clfs-forced/16|file/16|rps|>= 8"
	r[++nr] = "clfs forced / ext4, 1 thread (mean latency)|clfs-forced/1|file/1|lat_mean_us|"
	r[++nr] = "clfs forced / ext4, 16 threads (p99 latency)|clfs-forced/16|file/16|lat_p99_us|"
	r[++nr] = "clfs unforced 256 B, 1 thread: CPU per record / memcpy of 256 B|clfs-unforced/1|memcpy/1|cpu_us_per_rec|"
	r[++nr] = "clfs batched unforced 256 B (64 per call): CPU per record / memcpy of 256 B|clfs-unforced-batch/1|memcpy/1|cpu_us_per_rec|<= 5"
	r[++nr] = "floor of a batched 256 B record: crc32c of its 296 bytes + one copy from user / memcpy of 256 B|clfs-unforced-batch/1|memcpy/1|floor_us/cpu_us_per_rec|"
	r[++nr] = "clfs batched unforced 256 B: CPU per record / that floor|clfs-unforced-batch/1|clfs-unforced-batch/1|cpu_us_per_rec/floor_us|"
	r[++nr] = "clfs 64 KiB records / raw 64 KiB writes at queue depth 16 (MB/s)|clfs-unforced/1/65536|raw-64k-qd16/1|mbps|>= 0.7"
	r[++nr] = "clfs 64 KiB records, 2 threads / raw 64 KiB writes at queue depth 16 (MB/s)|clfs-unforced/2/65536|raw-64k-qd16/1|mbps|>= 0.7"
	r[++nr] = "floor of 64 KiB records, 1 thread: crc32c on 1 CPU (MB/s) / raw 64 KiB writes at queue depth 16|clfs-open/1/4096|raw-64k-qd16/1|crc_mbps/mbps|"
	r[++nr] = "clfs 64 KiB records, 2 threads / 1 thread (MB/s; the copies and checksums run outside the lock, 2 vCPUs)|clfs-unforced/2/65536|clfs-unforced/1/65536|mbps|"
	r[++nr] = "clfs unforced 256 B, 4 threads / 1 thread (records/s)|clfs-unforced/4|clfs-unforced/1|rps|"
	r[++nr] = "open of a full 256 MiB log after a crash / sequential 1 MiB reads of it (time)|clfs-open/1/4096|clfs-open/1/4096|open_ms/seq_ms|<= 1.2"
	r[++nr] = "floor of that open: crc32c of the 256 MiB split over 2 CPUs / sequential 1 MiB reads (time)|clfs-open/1/4096|clfs-open/1/4096|crc2_ms/seq_ms|"
	r[++nr] = "open of a full 256 MiB log after a crash / that floor (time)|clfs-open/1/4096|clfs-open/1/4096|open_ms/crc2_ms|"
	r[++nr] = "open of a full 256 MiB log after a clean close: KiB read (metadata only: 2 copies of 64 KiB, 16 headers of at most 4 KiB)|clfs-open/1/4096||open_clean_kib|<= 192"
	r[++nr] = "open after a clean close / open after a crash (time)|clfs-open/1/4096|clfs-open/1/4096|open_clean_ms/open_ms|"
	r[++nr] = "first forward read after a clean close (builds the index) / sequential 1 MiB reads (time)|clfs-open/1/4096|clfs-open/1/4096|read_clean_ms/seq_ms|"
	r[++nr] = "forward read of a full 256 MiB log, one record a call / sequential 1 MiB reads of it (time)|clfs-open/1/4096|clfs-open/1/4096|read_ms/seq_ms|"
	r[++nr] = "forward read of a full 256 MiB log, 256 records a call / sequential 1 MiB reads (time)|clfs-open/1/4096|clfs-open/1/4096|batch_read_ms/seq_ms|<= 1.2"
	r[++nr] = "floor of that read: crc32c split over 2 CPUs + one copy to user / sequential 1 MiB reads (time)|clfs-open/1/4096|clfs-open/1/4096|read_floor_ms/seq_ms|"
	r[++nr] = "forward read, 256 records a call / that floor (time)|clfs-open/1/4096|clfs-open/1/4096|batch_read_ms/read_floor_ms|"
	r[++nr] = "clfs forced, 4 areas of 1 writer / 1 area of 4 writers (records/s)|clfs-forced-areas/4|clfs-forced/4|rps|"
	r[++nr] = "clfs forced, 4 areas / 1 area, 4 writers (device writes per record)|clfs-forced-areas/4|clfs-forced/4|dev_writes_per_rec|"
	r[++nr] = "clfs unforced, 4 areas / 1 area, 4 writers (records/s)|clfs-unforced-areas/4|clfs-unforced/4|rps|"
	r[++nr] = "clfs forced, 4 streams of 1 writer / 1 stream of 4 writers (records/s)|clfs-forced-streams/4|clfs-forced-stream/4|rps|"
	r[++nr] = "clfs forced, 4 streams / 1 stream, 4 writers (device writes per record)|clfs-forced-streams/4|clfs-forced-stream/4|dev_writes_per_rec|"
	printf "\n    ratios (one boot), and the goal where there is one:\n"
	for (i = 1; i <= nr; i++) {
		split(r[i], p, "|")
		# key "x/y": field x of the run over field y of the baseline
		if (split(p[4], kk, "/") == 2) { ka = kk[1]; kb = kk[2] } else { ka = p[4]; kb = p[4] }
		a = val[p[2], ka]; b = p[3] == "" ? 1 : val[p[3], kb]
		ratio[i] = (a != "" && b != "" && b + 0 > 0) ? sprintf("%.3f", a / b) : "-"
		met = ""
		if (p[5] != "" && ratio[i] != "-") {
			split(p[5], g, " ")
			met = (g[1] == "<=" ? ratio[i] + 0 <= g[2] + 0 : ratio[i] + 0 >= g[2] + 0) ? "met" : "NOT met"
		}
		printf "    %-96s %8s %8s %s\n", p[1], ratio[i], p[5], met
	}
	printf "{\n  \"kernel\": \"%s\",\n  \"seconds_per_run\": %s,\n  \"runs\": {\n", kernel, secs > json
	for (i = 1; i <= n; i++) {
		id = ids[i]; s = ""
		for (f = 1; f <= nkeys; f++) if (val[id, keys[f]] != "")
			s = s sprintf("%s\"%s\": %s", s == "" ? "" : ", ", keys[f], val[id, keys[f]])
		printf "    \"%s\": {%s}%s\n", id, s, i < n ? "," : "" > json
	}
	printf "  },\n  \"ratios\": {\n" > json
	for (i = 1; i <= nr; i++) {
		split(r[i], p, "|")
		printf "    \"%s\": %s%s\n", p[1], ratio[i] == "-" ? "null" : ratio[i], i < nr ? "," : "" > json
	}
	printf "  }\n}\n" > json
}'
echo "    JSON: $dir/results.json"
stage_end
echo "bench finished in $(($(date +%s) - t_start))s; files in $dir"
