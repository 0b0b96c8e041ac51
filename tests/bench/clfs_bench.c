// SPDX-License-Identifier: GPL-2.0
/*
 * clfs_bench: the workloads of `make bench`, run in the guest.
 *
 *   clfs_bench clfs-forced DEV THREADS SECONDS BYTES
 *	THREADS threads append BYTES-byte records with FORCE_FLUSH to a log
 *	created on DEV: every call returns once its record is durable
 *   clfs_bench clfs-unforced DEV THREADS SECONDS BYTES
 *	the same without flags (records reach the device when a block
 *	fills); one flush at the end, included in the time
 *   clfs_bench clfs-forced-areas DEV THREADS SECONDS BYTES
 *   clfs_bench clfs-unforced-areas DEV THREADS SECONDS BYTES
 *	the same, each thread through a marshalling area of its own (all
 *	of one log) instead of all through one
 *   clfs_bench clfs-forced-streams DEV THREADS SECONDS BYTES
 *   clfs_bench clfs-forced-stream DEV THREADS SECONDS BYTES
 *	on a multiplexed log: each thread appends to a stream of its own
 *	(through that stream's area), or all to one stream through one area
 *   clfs_bench clfs-unforced-batch DEV THREADS SECONDS BYTES
 *	unforced appends of BATCH records per call (CLFS_IOC_APPEND_BATCH)
 *   clfs_bench file PATH THREADS SECONDS BYTES
 *	THREADS threads append BYTES-byte records to one file (O_APPEND),
 *	each write() followed by fdatasync(): a log on a file system
 *   clfs_bench clfs-open DEV 1 SECONDS BYTES
 *	a fresh log of OPEN_CONTAINERS containers (64 KiB blocks) on DEV filled with
 *	BYTES-byte unforced records until it is full, flushed and closed;
 *	then, timed: opening it again after that clean close (open_clean_ms,
 *	with the device reads it issued, open_clean_reads and _kib), the
 *	first forward read after it (read_clean_ms: it builds the block
 *	index as it goes); then the same log as a crash leaves it (its
 *	metadata as it was while it was open for writing, written back
 *	after the close): the open (open_ms, open_reads, open_kib: the
 *	recovery scan), a forward read one record a call (read_ms) and
 *	256 a call (batch_read_ms); and a sequential read of the same bytes
 *	of DEV (1 MiB O_DIRECT reads of all its containers, seq_ms), and the
 *	forward read's and the device's MB/s; and the CPU floors for as
 *	many bytes: crc32c on one CPU (crc_ms), one copy to and one from
 *	user memory (copy_out_ms, copy_in_ms; crc_floor(), copy_floor())
 *   clfs_bench memcpy - 1 SECONDS BYTES
 *	the baseline of the CPU per record: one thread copies BYTES-byte
 *	records one after the other into a 64 KiB buffer, as an append
 *	copies them into a block (MEMCPY_RUN copies per timed call)
 *
 * Each case runs for SECONDS (or until the log is full) and prints one
 * line, "RESULT case=... key=value ...": records, seconds, records/s,
 * MB/s, the mean and 99th percentile latency of one call in microseconds,
 * the CPU time (user + system of this process) per record, and for clfs
 * the device writes per record (CLFS_IOC_GET_IO_STATS) and the device
 * commands per record (writes and cache flushes the block device
 * completed, from /sys/class/block/DEV/stat: a FUA write the device
 * emulates with a flush counts two).  A log is created
 * fresh on DEV for every clfs case (64 KiB blocks, or 1 MiB for records
 * above 32 KiB; 16 MiB containers), with a marshalling area of 8 buffers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/if_alg.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "libclfs.h"

#define MAX_THREADS	64
#define MAX_SAMPLES	(1u << 20)	/* latencies kept per thread */
#define CONTAINER_SIZE	(16ull << 20)

#define BATCH		64	/* records per clfs-unforced-batch call */
#define MEMCPY_RUN	1024	/* copies per memcpy "call" */
#define MEMCPY_BUF	(64u << 10)
#define OPEN_CONTAINERS	16		/* clfs-open: a log of 256 MiB */
#define READ_BATCH	256		/* clfs-open: records a batched read */
#define FLOOR_CHUNK	(1u << 20)	/* clfs-open: bytes a floor call */
#define READ_BATCH_BYTES (READ_BATCH * 4096 + (64u << 10))

#define RING_DEPTH	16	/* clfs-forced-ring: appends in flight */

enum mode { CLFS_FORCED, CLFS_UNFORCED, CLFS_BATCH, CLFS_RING, FILE_LOG,
	    MEMCPY };

struct worker {
	pthread_t tid;
	int fd;
	unsigned int bytes;
	uint64_t records;
	uint32_t n_samples;
	uint32_t *lat_ns;	/* per call, capped at 4.29 s */
	int err;
};

static enum mode mode;
static bool own_areas;		/* each thread its own marshalling area */
static bool mux;		/* a multiplexed log, stream s0 first */
static bool own_streams;	/* each thread its own stream (and area) */
static volatile int go, stop;
static double deadline;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "clfs_bench: %s: %s\n", what, strerror(err));
	exit(1);
}

/* @n records of @iov in one clfs_append_log_batch(); how many it took. */
static int batch_call(struct worker *w, const struct iovec *iov,
		      unsigned int n)
{
	static __thread struct clfs_batch_record r[BATCH];
	unsigned int i, done = 0;
	int ret;

	for (i = 0; i < n; i++) {
		r[i].data = (uintptr_t)iov->iov_base;
		r[i].len = (uint32_t)iov->iov_len;
		r[i].type = CLFS_RECORD_DATA;
		r[i].undo_next = CLFS_LSN_INVALID;
		r[i].previous = CLFS_LSN_INVALID;
	}
	ret = clfs_append_log_batch(w->fd, r, n, 0, &done);
	return ret ? ret : (int)done;
}

/* @n copies of @iov into a 64 KiB buffer, one after the other. */
static int memcpy_call(const struct iovec *iov, unsigned int n)
{
	static __thread char dst[MEMCPY_BUF];
	static __thread size_t off;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (off + iov->iov_len > sizeof(dst))
			off = 0;
		memcpy(dst + off, iov->iov_base, iov->iov_len);
		off += iov->iov_len;
		/* The copies are used: the compiler may not drop them. */
		__asm__ __volatile__("" : : "r"(dst) : "memory");
	}
	return (int)n;
}

/* One timed call: how many records it appended, or a negative errno. */
static int one_call(struct worker *w, const struct iovec *iov)
{
	int ret;

	switch (mode) {
	case FILE_LOG:
		if (write(w->fd, iov->iov_base, iov->iov_len) != (ssize_t)iov->iov_len)
			return -errno;
		return fdatasync(w->fd) ? -errno : 1;
	case MEMCPY:
		return memcpy_call(iov, MEMCPY_RUN);
	case CLFS_BATCH:
		return batch_call(w, iov, BATCH);
	default:
		ret = clfs_reserve_and_append_log(w->fd, iov, 1,
						  CLFS_LSN_INVALID,
						  CLFS_LSN_INVALID, 0, NULL,
						  mode == CLFS_FORCED ?
						  CLFS_FLAG_FORCE_FLUSH : 0,
						  NULL);
		return ret ? ret : 1;
	}
}

/* Note a record's latency, from its submission to its completion. */
static void note(struct worker *w, double t0, double t1)
{
	double ns = (t1 - t0) * 1e9;

	if (w->n_samples < MAX_SAMPLES)
		w->lat_ns[w->n_samples++] = ns > 4e9 ? 4000000000u : (uint32_t)ns;
}

/*
 * clfs-forced-ring: one thread keeps RING_DEPTH forced appends in flight
 * on an io_uring (a libclfs ring); each record's latency runs from its
 * submission to its completion.
 */
static void ring_loop(struct worker *w, const struct iovec *iov)
{
	struct clfs_ring_done d[RING_DEPTH];
	unsigned int free_tags[RING_DEPTH], n_free = RING_DEPTH, i;
	double sent[RING_DEPTH], t;
	struct clfs_ring *r;
	int ret;

	for (i = 0; i < RING_DEPTH; i++)
		free_tags[i] = i;
	ret = clfs_ring_open(w->fd, RING_DEPTH, 0, &r);
	if (!ret && clfs_ring_mode(r) != CLFS_RING_MODE_URING)
		ret = -EOPNOTSUPP;
	if (ret) {
		w->err = ret;
		return;
	}
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED) || n_free < RING_DEPTH) {
		bool more = !__atomic_load_n(&stop, __ATOMIC_RELAXED);

		t = now();
		for (; more && n_free; n_free--) {
			unsigned int tag = free_tags[n_free - 1];

			ret = clfs_ring_append(r, iov, 1, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_FLAG_FORCE_FLUSH, tag);
			if (ret)
				break;
			sent[tag] = t;
		}
		ret = clfs_ring_submit(r);
		if (ret < 0)
			break;
		ret = clfs_ring_wait(r, d, RING_DEPTH, 1);
		if (ret < 0)
			break;
		t = now();
		for (i = 0; i < (unsigned int)ret; i++) {
			if (d[i].ret == -ENOSPC) {	/* the log is full */
				__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
			} else if (d[i].ret) {
				w->err = d[i].ret;
				__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
			} else {
				w->records++;
				note(w, sent[d[i].tag], t);
			}
			free_tags[n_free++] = (unsigned int)d[i].tag;
		}
		ret = 0;
		if (t >= deadline)
			__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	}
	if (ret < 0 && !w->err)
		w->err = ret;
	clfs_ring_close(r);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	char *rec = malloc(w->bytes);
	struct iovec iov = { .iov_base = rec, .iov_len = w->bytes };

	if (!rec) {
		w->err = -ENOMEM;
		return NULL;
	}
	memset(rec, 0x5a, w->bytes);
	while (!__atomic_load_n(&go, __ATOMIC_ACQUIRE))
		;
	if (mode == CLFS_RING) {
		ring_loop(w, &iov);
		free(rec);
		return NULL;
	}
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		double t0 = now(), t1;
		int ret = one_call(w, &iov);

		t1 = now();
		if (ret == -ENOSPC) {		/* the log is full: the case ends */
			__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
			break;
		}
		if (ret < 0) {
			w->err = ret;
			break;
		}
		w->records += (unsigned int)ret;
		note(w, t0, t1);
		if (t1 >= deadline)
			__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	}
	free(rec);
	return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/*
 * Writes and cache flushes block device @dev completed so far (fields 5
 * and 16 of its stat file; flushes count 0 where the kernel has none).
 */
static uint64_t dev_cmds(const char *dev)
{
	unsigned long long v[17] = { 0 };
	const char *name = strrchr(dev, '/');
	char path[256];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/sys/class/block/%s/stat",
		 name ? name + 1 : dev);
	f = fopen(path, "r");
	if (!f)
		die(path, errno);
	n = fscanf(f, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
		   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
		   &v[8], &v[9], &v[10], &v[11], &v[12], &v[13], &v[14],
		   &v[15], &v[16]);
	fclose(f);
	if (n < 5)
		die(path, EPROTO);
	return v[4] + (n >= 16 ? v[15] : 0);
}

/* /dev/clfs and block device @dev, read-write: their descriptors. */
static void open_ctl_dev(const char *dev, int *ctl, int *dfd)
{
	*ctl = clfs_open_control();
	if (*ctl < 0)
		die("/dev/clfs", -*ctl);
	*dfd = open(dev, O_RDWR);
	if (*dfd < 0)
		die(dev, errno);
}

/*
 * Stream s@i of multiplexed log @log, created and opened; the stream's
 * descriptor.
 */
static int bench_stream(int log, unsigned int i)
{
	char name[16];
	int fd, ret;

	snprintf(name, sizeof(name), "s%u", i);
	ret = clfs_create_log_stream(log, name, NULL);
	if (ret)
		die("create stream", -ret);
	fd = clfs_open_log_stream(log, name, 0);
	if (fd < 0)
		die("open stream", -fd);
	return fd;
}

/*
 * A fresh log on @dev with its marshalling area (on stream s0 of a
 * multiplexed log); returns the area's fd.  *@log_fd is the log's (or
 * stream s0's) descriptor, *@mux_fd the multiplexed log's own.
 */
static int clfs_setup(const char *dev, unsigned int bytes, int *log_fd,
		      int *mux_fd)
{
	uint32_t block = bytes > 32768 ? 1u << 20 : 64u << 10;
	uint64_t size;
	int ctl, dfd, ma, n;

	open_ctl_dev(dev, &ctl, &dfd);
	if (ioctl(dfd, BLKGETSIZE64, &size))
		die("BLKGETSIZE64", errno);
	n = (int)((size - (1ull << 20)) / CONTAINER_SIZE);
	if (n < 2)
		die("device too small for two 16 MiB containers", ENOSPC);
	*log_fd = clfs_create_log_file_flags(ctl, dfd, NULL, block,
					     CONTAINER_SIZE, (uint32_t)n,
					     mux ? CLFS_CREATE_MULTIPLEXED : 0);
	if (*log_fd < 0)
		die("create log", -*log_fd);
	*mux_fd = -1;
	if (mux) {
		*mux_fd = *log_fd;
		*log_fd = bench_stream(*mux_fd, 0);
	}
	close(dfd);
	clfs_close(ctl);
	ma = clfs_create_marshalling_area(*log_fd, 0, 8);
	if (ma < 0)
		die("create marshalling area", -ma);
	return ma;
}

/*
 * Open @dev O_DIRECT with @flags; with @buf, allocate @len bytes aligned
 * for it there.
 */
static int open_direct(const char *dev, int flags, size_t len, void **buf)
{
	int fd = open(dev, flags | O_DIRECT);

	if (fd < 0)
		die(dev, errno);
	if (buf && posix_memalign(buf, 4096, len))
		die("posix_memalign", ENOMEM);
	return fd;
}

/* Seconds of reading @bytes of @dev from @off with 1 MiB O_DIRECT reads. */
static double seq_read(const char *dev, uint64_t off, uint64_t bytes)
{
	const size_t chunk = 1u << 20;
	void *buf;
	int fd = open_direct(dev, O_RDONLY, chunk, &buf);
	double t0;

	t0 = now();
	for (; bytes; bytes -= bytes < chunk ? bytes : chunk, off += chunk)
		if (pread(fd, buf, chunk, (off_t)off) != (ssize_t)chunk)
			die("sequential read", errno ? errno : EIO);
	t0 = now() - t0;
	free(buf);
	close(fd);
	return t0;
}

/*
 * The CPU floors of reading and appending @bytes of log on this machine:
 * work no design can skip.  Every block is checked by its crc32c, and a
 * read or an append copies each byte once between user and kernel
 * memory (a raw O_DIRECT read copies nothing: the device writes into the
 * caller's pages).
 *
 * crc_floor(): seconds of crc32c over @bytes through the kernel's crypto
 * API (AF_ALG hash "crc32c": the driver clfs's checksums use, fed from
 * the caller's pages, no copy), on one CPU.
 */
static double crc_floor(uint64_t bytes)
{
	struct sockaddr_alg sa = {
		.salg_family = AF_ALG, .salg_type = "hash",
		.salg_name = "crc32c",
	};
	uint32_t crc;
	size_t len;
	double t0;
	int tfm, op;
	char *buf;

	buf = malloc(FLOOR_CHUNK);
	if (!buf)
		die("malloc", ENOMEM);
	memset(buf, 0x5a, FLOOR_CHUNK);
	tfm = socket(AF_ALG, SOCK_SEQPACKET, 0);
	if (tfm < 0 || bind(tfm, (struct sockaddr *)&sa, sizeof(sa)))
		die("AF_ALG crc32c (algif_hash)", errno);
	op = accept(tfm, NULL, 0);
	if (op < 0)
		die("AF_ALG accept", errno);
	t0 = now();
	for (; bytes; bytes -= len) {
		len = bytes < FLOOR_CHUNK ? bytes : FLOOR_CHUNK;
		if (send(op, buf, len, MSG_MORE) != (ssize_t)len)
			die("AF_ALG send", errno ? errno : EIO);
	}
	if (read(op, &crc, sizeof(crc)) != sizeof(crc))
		die("AF_ALG read", errno ? errno : EIO);
	t0 = now() - t0;
	close(op);
	close(tfm);
	free(buf);
	return t0;
}

/*
 * copy_floor(): seconds of copying @bytes from the kernel to user memory
 * (@out) or back, FLOOR_CHUNK a call: pread() and pwrite() of a memfd
 * (tmpfs pages already there), the kernel's copy_to_user() and
 * copy_from_user() and little else.
 */
static double copy_floor(uint64_t bytes, bool out)
{
	int fd = memfd_create("clfs-bench-floor", 0);
	ssize_t ret;
	size_t len;
	double t0;
	char *buf;

	buf = malloc(FLOOR_CHUNK);
	if (fd < 0 || !buf)
		die("memfd", fd < 0 ? errno : ENOMEM);
	memset(buf, 0x5a, FLOOR_CHUNK);
	if (pwrite(fd, buf, FLOOR_CHUNK, 0) != FLOOR_CHUNK)
		die("memfd write", errno ? errno : EIO);
	t0 = now();
	for (; bytes; bytes -= len) {
		len = bytes < FLOOR_CHUNK ? bytes : FLOOR_CHUNK;
		ret = out ? pread(fd, buf, len, 0) : pwrite(fd, buf, len, 0);
		if (ret != (ssize_t)len)
			die("memfd copy", errno ? errno : EIO);
	}
	t0 = now() - t0;
	close(fd);
	free(buf);
	return t0;
}

/*
 * Seconds of reading the @records records of @ma's log forward from
 * @first, READ_BATCH records a call (CLFS_IOC_READ_NEXT_BATCH).
 */
static double batch_read(int ma, uint64_t first, uint64_t records)
{
	static struct clfs_batch_record r[READ_BATCH];
	struct clfs_record_info ri;
	uint64_t got = 1;
	unsigned int done;
	double t0;
	char *buf;
	int ctx, ret;

	buf = malloc(READ_BATCH_BYTES);
	if (!buf)
		die("malloc", ENOMEM);
	t0 = now();
	ret = clfs_read_log_record(ma, first, CLFS_READ_FORWARD, CLFS_TYPE_ANY,
				   buf, READ_BATCH_BYTES, &ri, &ctx);
	while (!ret) {
		ret = clfs_read_next_log_records(ctx, buf, READ_BATCH_BYTES, r,
						 READ_BATCH, 0, &done);
		got += done;
	}
	t0 = now() - t0;
	if (ret != -ENOENT || got != records)
		die("batched forward read", ret == -ENOENT ? EIO : -ret);
	close(ctx);
	free(buf);
	return t0;
}

/* Reads completed and KiB read so far on @dev (its sysfs stat file). */
static void dev_reads(const char *dev, uint64_t *ios, uint64_t *kib)
{
	const char *name = strrchr(dev, '/');
	unsigned long long r_ios, r_merges, r_sectors;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/block/%s/stat",
		 name ? name + 1 : dev);
	f = fopen(path, "r");
	if (!f)
		die(path, errno);
	if (fscanf(f, "%llu %llu %llu", &r_ios, &r_merges, &r_sectors) != 3)
		die(path, EIO);
	fclose(f);
	*ios = r_ios;
	*kib = r_sectors / 2;
}

/* Open the log on @dfd, timed, with the device reads it cost. */
static int timed_open(const char *dev, int ctl, int dfd, double *t,
		      uint64_t *ios, uint64_t *kib)
{
	uint64_t i0, k0;
	int log;

	dev_reads(dev, &i0, &k0);
	*t = now();
	log = clfs_open_log_file(ctl, dfd, NULL, NULL, 0);
	*t = now() - *t;
	if (log < 0)
		die("open log", -log);
	dev_reads(dev, ios, kib);
	*ios -= i0;
	*kib -= k0;
	return log;
}

/* Seconds of reading the @records records of @ma's log, one a call. */
static double forward_read(int ma, uint64_t first, uint64_t records,
			   char *rbuf, uint64_t *data)
{
	struct clfs_record_info ri;
	uint64_t got = 0;
	double t0;
	int ctx, ret;

	*data = 0;
	t0 = now();
	ret = clfs_read_log_record(ma, first, CLFS_READ_FORWARD, CLFS_TYPE_ANY,
				   rbuf, CLFS_BLOCK_SIZE_MAX, &ri, &ctx);
	while (!ret) {
		got++;
		*data += ri.length;
		ret = clfs_read_next_log_record(ctx, rbuf, CLFS_BLOCK_SIZE_MAX,
						&ri);
	}
	t0 = now() - t0;
	if (ret != -ENOENT || got != records)
		die("forward read", ret == -ENOENT ? EIO : -ret);
	close(ctx);
	return t0;
}

/*
 * Make the closed log on @dev what a crash leaves: @meta, its metadata
 * area as read while the log was open for writing (no clean-close
 * marker), written back over what the close wrote.
 */
static void meta_restore(const char *dev, const void *meta, size_t len)
{
	int fd = open_direct(dev, O_WRONLY | O_SYNC, 0, NULL);

	if (pwrite(fd, meta, len, 0) != (ssize_t)len)
		die("restore metadata", errno ? errno : EIO);
	close(fd);
}

/* The first @len bytes of @dev (the metadata area), O_DIRECT. */
static void *meta_save(const char *dev, size_t len)
{
	void *buf;
	int fd = open_direct(dev, O_RDONLY, len, &buf);

	if (pread(fd, buf, len, 0) != (ssize_t)len)
		die("save metadata", errno ? errno : EIO);
	close(fd);
	return buf;
}

/*
 * clfs-open: fill, close, then time the open after that clean close and
 * the first forward read; then make the log what a crash leaves, and
 * time the open (the recovery scan), a forward read (one record a call,
 * then READ_BATCH a call) and a sequential read of the same bytes.
 * Prints its RESULT line.
 */
static int bench_open(const char *dev, unsigned int bytes)
{
	const size_t meta_len = 2 * CLFS_META_COPY_SIZE;
	uint64_t records = 0, data = 0, c_ios, c_kib, o_ios, o_kib;
	double t_open, t_read, t_batch, t_seq, t_clean, t_read_clean;
	double t_crc, t_out, t_in;
	struct clfs_log_info li;
	int ctl, dfd, log, ma, ret;
	struct iovec iov;
	char *rec, *rbuf;
	void *meta;

	rec = malloc(bytes);
	rbuf = malloc(CLFS_BLOCK_SIZE_MAX);
	if (!rec || !rbuf)
		die("malloc", ENOMEM);
	memset(rec, 0x5a, bytes);
	iov.iov_base = rec;
	iov.iov_len = bytes;
	open_ctl_dev(dev, &ctl, &dfd);
	log = clfs_create_log_file(ctl, dfd, NULL, 64u << 10, CONTAINER_SIZE,
				   OPEN_CONTAINERS);
	if (log < 0)
		die("create log", -log);
	ma = clfs_create_marshalling_area(log, 0, 8);
	if (ma < 0)
		die("create marshalling area", -ma);
	while (!(ret = clfs_reserve_and_append_log(ma, &iov, 1,
						  CLFS_LSN_INVALID,
						  CLFS_LSN_INVALID, 0, NULL, 0,
						  NULL)))
		records++;
	if (ret != -ENOSPC)
		die("fill", -ret);
	clfs_delete_marshalling_area(ma);
	clfs_close_log_file(log);

	/* After the clean close. */
	log = timed_open(dev, ctl, dfd, &t_clean, &c_ios, &c_kib);
	ret = clfs_query_log_file_information(log, &li);
	if (ret)
		die("query", -ret);
	/* The area arms the log: the metadata loses its marker. */
	ma = clfs_create_marshalling_area(log, 0, 8);
	if (ma < 0)
		die("create marshalling area", -ma);
	t_read_clean = forward_read(ma, li.first_lsn, records, rbuf, &data);
	meta = meta_save(dev, meta_len);
	clfs_delete_marshalling_area(ma);
	clfs_close_log_file(log);
	meta_restore(dev, meta, meta_len);
	free(meta);

	/* After a crash. */
	log = timed_open(dev, ctl, dfd, &t_open, &o_ios, &o_kib);
	ma = clfs_create_marshalling_area(log, 0, 8);
	if (ma < 0)
		die("create marshalling area", -ma);
	t_read = forward_read(ma, li.first_lsn, records, rbuf, &data);
	t_batch = batch_read(ma, li.first_lsn, records);
	clfs_delete_marshalling_area(ma);
	clfs_close_log_file(log);
	close(dfd);
	clfs_close(ctl);
	/* The containers follow the metadata's first MiB. */
	t_seq = seq_read(dev, 1u << 20, (uint64_t)OPEN_CONTAINERS *
			 CONTAINER_SIZE);
	/* The CPU floors for the same bytes. */
	t_crc = crc_floor((uint64_t)OPEN_CONTAINERS * CONTAINER_SIZE);
	t_out = copy_floor((uint64_t)OPEN_CONTAINERS * CONTAINER_SIZE, true);
	t_in = copy_floor((uint64_t)OPEN_CONTAINERS * CONTAINER_SIZE, false);
	printf("RESULT case=clfs-open threads=1 bytes=%u records=%llu open_clean_ms=%.1f open_clean_reads=%llu open_clean_kib=%llu read_clean_ms=%.1f open_ms=%.1f open_reads=%llu open_kib=%llu read_ms=%.1f batch_read_ms=%.1f seq_ms=%.1f mbps=%.2f seq_mbps=%.2f crc_ms=%.1f copy_out_ms=%.1f copy_in_ms=%.1f\n",
	       bytes, (unsigned long long)records, t_clean * 1e3,
	       (unsigned long long)c_ios, (unsigned long long)c_kib,
	       t_read_clean * 1e3, t_open * 1e3, (unsigned long long)o_ios,
	       (unsigned long long)o_kib, t_read * 1e3, t_batch * 1e3,
	       t_seq * 1e3, data / t_read / 1e6,
	       OPEN_CONTAINERS * (double)CONTAINER_SIZE / t_seq / 1e6,
	       t_crc * 1e3, t_out * 1e3, t_in * 1e3);
	free(rec);
	free(rbuf);
	return 0;
}

int main(int argc, char **argv)
{
	static struct worker w[MAX_THREADS];
	struct clfs_io_stats st0 = { .size = sizeof(st0) }, st1 = st0;
	uint64_t records = 0, n_lat = 0, k = 0;
	unsigned int threads, seconds, bytes, i;
	int fd = -1, log_fd = -1, mux_fd = -1, ret;
	uint64_t cmds0 = 0;
	double t0, t1, c0, c1, sum = 0;
	uint32_t *all;

	if (argc != 6) {
		fprintf(stderr, "usage: clfs_bench clfs-forced[-areas|-stream|-streams|-ring]|clfs-unforced[-areas|-batch]|file|memcpy DEV|PATH|- THREADS SECONDS BYTES\n");
		return 2;
	}
	own_areas = !strcmp(argv[1], "clfs-forced-areas") ||
		    !strcmp(argv[1], "clfs-unforced-areas");
	own_streams = !strcmp(argv[1], "clfs-forced-streams");
	mux = own_streams || !strcmp(argv[1], "clfs-forced-stream");
	if (!strcmp(argv[1], "clfs-forced") || mux ||
	    !strcmp(argv[1], "clfs-forced-areas"))
		mode = CLFS_FORCED;
	else if (!strcmp(argv[1], "clfs-unforced") ||
		 !strcmp(argv[1], "clfs-unforced-areas"))
		mode = CLFS_UNFORCED;
	else if (!strcmp(argv[1], "clfs-unforced-batch"))
		mode = CLFS_BATCH;
	else if (!strcmp(argv[1], "clfs-forced-ring"))
		mode = CLFS_RING;
	else if (!strcmp(argv[1], "file"))
		mode = FILE_LOG;
	else if (!strcmp(argv[1], "memcpy"))
		mode = MEMCPY;
	else if (!strcmp(argv[1], "clfs-open"))
		mode = CLFS_UNFORCED;
	else
		die(argv[1], EINVAL);
	threads = (unsigned int)atoi(argv[3]);
	seconds = (unsigned int)atoi(argv[4]);
	bytes = (unsigned int)atoi(argv[5]);
	if (!threads || threads > MAX_THREADS || !seconds || !bytes)
		die("THREADS 1..64, SECONDS and BYTES above 0", EINVAL);
	if (!strcmp(argv[1], "clfs-open"))
		return bench_open(argv[2], bytes);

	if (mode == MEMCPY) {
		fd = -1;
	} else if (mode == FILE_LOG) {
		fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
		if (fd < 0)
			die(argv[2], errno);
	} else {
		fd = clfs_setup(argv[2], bytes, &log_fd, &mux_fd);
		ret = clfs_get_io_statistics(log_fd, &st0);
		if (ret)
			die("io statistics", -ret);
		cmds0 = dev_cmds(argv[2]);
	}
	for (i = 0; i < threads; i++) {
		w[i].fd = fd;
		if ((own_areas || own_streams) && i) {
			int h = own_streams ? bench_stream(mux_fd, i) : log_fd;

			w[i].fd = clfs_create_marshalling_area(h, 0, 8);
			if (w[i].fd < 0)
				die("create marshalling area", -w[i].fd);
			if (own_streams)
				close(h);	/* the area keeps it */
		}
		w[i].bytes = bytes;
		w[i].lat_ns = malloc(MAX_SAMPLES * sizeof(uint32_t));
		if (!w[i].lat_ns)
			die("malloc", ENOMEM);
		if (pthread_create(&w[i].tid, NULL, worker_main, &w[i]))
			die("pthread_create", errno);
	}
	c0 = cpu_seconds();
	t0 = now();
	deadline = t0 + seconds;
	__atomic_store_n(&go, 1, __ATOMIC_RELEASE);
	for (i = 0; i < threads; i++)
		pthread_join(w[i].tid, NULL);
	if (mode == CLFS_UNFORCED || mode == CLFS_BATCH) {
		ret = clfs_flush_buffers(fd, NULL);
		if (ret)
			die("flush", -ret);
	}
	t1 = now();
	c1 = cpu_seconds();
	for (i = 0; i < threads; i++) {
		if (w[i].err)
			die("append", -w[i].err);
		records += w[i].records;
		n_lat += w[i].n_samples;
	}
	if (!records)
		die("no record appended", EIO);
	all = malloc(n_lat * sizeof(*all));
	if (!all)
		die("malloc", ENOMEM);
	for (i = 0; i < threads; i++) {
		memcpy(all + k, w[i].lat_ns, w[i].n_samples * sizeof(*all));
		k += w[i].n_samples;
	}
	qsort(all, n_lat, sizeof(*all), cmp_u32);
	for (k = 0; k < n_lat; k++)
		sum += all[k];
	printf("RESULT case=%s threads=%u bytes=%u records=%llu seconds=%.3f rps=%.1f mbps=%.2f lat_mean_us=%.1f lat_p99_us=%.1f cpu_us_per_rec=%.2f",
	       argv[1], threads, bytes, (unsigned long long)records, t1 - t0,
	       records / (t1 - t0), records * (double)bytes / (t1 - t0) / 1e6,
	       sum / n_lat / 1e3, all[(n_lat * 99) / 100] / 1e3,
	       (c1 - c0) * 1e6 / records);
	if (mode == FILE_LOG) {
		close(fd);
	} else if (mode != MEMCPY) {
		ret = clfs_get_io_statistics(log_fd, &st1);
		if (ret)
			die("io statistics", -ret);
		printf(" dev_writes_per_rec=%.3f dev_cmds_per_rec=%.3f",
		       (double)(st1.dev_writes - st0.dev_writes) / records,
		       (double)(dev_cmds(argv[2]) - cmds0) / records);
		for (i = 1; (own_areas || own_streams) && i < threads; i++)
			clfs_delete_marshalling_area(w[i].fd);
		clfs_delete_marshalling_area(fd);
		clfs_close_log_file(log_fd);
		if (mux_fd >= 0)
			clfs_close_log_file(mux_fd);
	}
	printf("\n");
	return 0;
}
