// SPDX-License-Identifier: GPL-2.0
/*
 * clfs_uapi_test: the /dev/clfs ioctl ABI, driven through libclfs (and
 * raw ioctls for the malformed requests the library never makes), inside
 * a QEMU guest with clfs.ko loaded.  Built twice, 64-bit and 32-bit (-m32),
 * so the second run goes through the module's compat_ioctl.
 *
 *   clfs_uapi_test DEV1 DEV2
 *
 * DEV1 and DEV2 are scratch block devices of at least 16 MiB (the script
 * uses loop devices); everything on them is overwritten.  Each check
 * prints "ok <what>" or "FAIL <file>:<line>: <what>"; the exit status is
 * the number of failures (capped at 100), so 0 means all passed.
 *
 * Sections: control device, create and open, log descriptors, containers,
 * appends and reservations, restart areas, reads and short buffers,
 * chains, base, archive tail and truncation, lifetime (closing in any
 * order), a thread closing a descriptor during ioctls, several processes
 * on one log, an unprivileged caller, and persistence across a reopen.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libclfs.h"

/*
 * The ABI has one layout for 32- and 64-bit callers: these hold in both
 * builds, so a field that would be placed differently fails to compile.
 */
_Static_assert(sizeof(struct clfs_version) == 16, "clfs_version");
_Static_assert(sizeof(struct clfs_create_log) == 56, "clfs_create_log");
_Static_assert(sizeof(struct clfs_open_log) == 56, "clfs_open_log");
_Static_assert(sizeof(struct clfs_log_info) == 248, "clfs_log_info");
_Static_assert(sizeof(struct clfs_stream_arg) == 56, "clfs_stream_arg");
_Static_assert(sizeof(struct clfs_stream_entry) == 72, "stream_entry");
_Static_assert(sizeof(struct clfs_stream_list) == 24, "stream_list");
_Static_assert(sizeof(struct clfs_io_stats) == 96, "clfs_io_stats");
_Static_assert(sizeof(struct clfs_container_add) == 16, "container_add");
_Static_assert(sizeof(struct clfs_add_containers) == 32, "add_containers");
_Static_assert(sizeof(struct clfs_batch_record) == 40, "batch_record");
_Static_assert(sizeof(struct clfs_append_batch) == 32, "append_batch");
_Static_assert(sizeof(struct clfs_read_batch) == 40, "read_batch");
_Static_assert(sizeof(struct clfs_remove_container) == 16, "remove");
_Static_assert(sizeof(struct clfs_container_entry) == 56, "entry");
_Static_assert(sizeof(struct clfs_scan_containers) == 32, "scan");
_Static_assert(sizeof(struct clfs_create_marshal) == 24, "create_marshal");
_Static_assert(sizeof(struct clfs_iovec) == 16, "clfs_iovec");
_Static_assert(sizeof(struct clfs_append) == 64, "clfs_append");
_Static_assert(sizeof(struct clfs_reserved) == 32, "clfs_reserved");
_Static_assert(sizeof(struct clfs_flush) == 24, "clfs_flush");
_Static_assert(sizeof(struct clfs_write_restart) == 48, "write_restart");
_Static_assert(sizeof(struct clfs_read) == 80, "clfs_read");
_Static_assert(sizeof(struct clfs_lsn_arg) == 16, "clfs_lsn_arg");
_Static_assert(__builtin_offsetof(struct clfs_read, lsn) == 40, "read.lsn");
_Static_assert(__builtin_offsetof(struct clfs_append, undo_next) == 32,
	       "append.undo_next");
_Static_assert(__builtin_offsetof(struct clfs_log_info, container_size) ==
	       40, "info.container_size");

static int failures;
static const char *dev1, *dev2;

#define CHECK(cond, ...) do {						\
	if (cond) {							\
		printf("ok ");						\
	} else {							\
		failures++;						\
		printf("FAIL %s:%d: ", __FILE__, __LINE__);		\
	}								\
	printf(__VA_ARGS__);						\
	printf("\n");							\
} while (0)

/* EXPECT_RET(expr, want): expr returns exactly want (0 or -Exxx). */
#define EXPECT_RET(expr, want) do {					\
	long _r = (expr), _w = (want);					\
	CHECK(_r == _w, "%s -> %ld (%s), want %ld (%s)", #expr, _r,	\
	      _r < 0 ? clfs_errno_name((int)_r) : "ok", _w,		\
	      _w < 0 ? clfs_errno_name((int)_w) : "ok");		\
} while (0)

#define EXPECT_EQ(got, want) do {					\
	unsigned long long _g = (got), _w = (want);			\
	CHECK(_g == _w, "%s == %#llx (want %#llx)", #got, _g, _w);	\
} while (0)

/* A fatal precondition: stop here, the rest would only cascade. */
#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		printf("FAIL %s:%d: required: %s (errno %d)\n",		\
		       __FILE__, __LINE__, #cond, errno);		\
		exit(100);						\
	}								\
} while (0)

static long raw(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static int open_dev(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	REQUIRE(fd >= 0);
	return fd;
}

/* LSN of record @i in the block at @off of container @c. */
static uint64_t L(uint32_t c, uint32_t off, uint32_t i)
{
	return clfs_lsn_make(c, off, i);
}

static uint64_t append_str(int ma, const char *s, uint32_t flags)
{
	struct iovec iov = { (void *)s, strlen(s) };
	uint64_t lsn = 0;
	int ret = clfs_reserve_and_append_log(ma, &iov, 1, CLFS_LSN_INVALID,
					      CLFS_LSN_INVALID, 0, NULL, flags,
					      &lsn);

	CHECK(ret == 0, "append \"%s\" -> %d", s, ret);
	return lsn;
}

static void info(int log, struct clfs_log_info *i)
{
	REQUIRE(clfs_query_log_file_information(log, i) == 0);
}

/* The number a new descriptor would get: shows that none leaked. */
static int next_fd(void)
{
	int fd = dup(0);

	close(fd);
	return fd;
}

#define MiB (1024ULL * 1024)
#define BLOCK 65536U

/* ---- the control device ------------------------------------------- */

static void test_control(int ctl)
{
	struct clfs_version v;
	struct { struct clfs_version v; uint32_t extra[2]; } big;
	struct clfs_log_info li;

	EXPECT_RET(clfs_get_version(ctl, &v), 0);
	EXPECT_EQ(v.major, CLFS_VERSION_MAJOR);
	EXPECT_EQ(v.minor, CLFS_VERSION_MINOR);
	memset(&v, 0, sizeof(v));
	v.size = 8;
	EXPECT_RET(raw(ctl, CLFS_IOC_VERSION, &v), -EINVAL);
	v.size = CLFS_ARG_SIZE_MAX + 8;
	EXPECT_RET(raw(ctl, CLFS_IOC_VERSION, &v), -EINVAL);
	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big);
	EXPECT_RET(raw(ctl, CLFS_IOC_VERSION, &big), 0);
	EXPECT_EQ(big.v.size, sizeof(struct clfs_version));
	big.v.size = sizeof(big);
	big.extra[1] = 1;
	EXPECT_RET(raw(ctl, CLFS_IOC_VERSION, &big), -E2BIG);
	EXPECT_RET(raw(ctl, CLFS_IOC_VERSION, (void *)8), -EFAULT);
	EXPECT_RET(raw(ctl, _IOWR(CLFS_IOC_MAGIC, 0x7f, struct clfs_version),
		       &v), -ENOTTY);
	/* A log's ioctl on the control device: the wrong kind of object. */
	li.size = sizeof(li);
	EXPECT_RET(raw(ctl, CLFS_IOC_QUERY_INFO, &li), -ENOTTY);
	EXPECT_RET(raw(ctl, CLFS_IOC_RESERVE_AND_APPEND, &li), -ENOTTY);
	/* A closed descriptor. */
	EXPECT_RET(raw(1000, CLFS_IOC_VERSION, &v), -EBADF);
}

/* ---- create and open: every refusal, then the log ------------------ */

static int test_create(int ctl)
{
	struct clfs_create_log c;
	int rw = open_dev(dev1, O_RDWR), ro = open_dev(dev1, O_RDONLY);
	int file = open("/tmp/clfs-uapi-file", O_RDWR | O_CREAT | O_CLOEXEC,
			0600);
	int fds_before, log, log2;

	REQUIRE(file >= 0);
	fds_before = next_fd();
	EXPECT_RET(clfs_create_log_file(ctl, 1000, NULL, BLOCK, MiB, 8),
		   -EBADF);
	EXPECT_RET(clfs_create_log_file(ctl, ro, NULL, BLOCK, MiB, 8),
		   -EBADF);
	EXPECT_RET(clfs_create_log_file(ctl, file, NULL, BLOCK, MiB, 8),
		   -ENOTBLK);
	EXPECT_RET(clfs_create_log_file(ctl, ctl, NULL, BLOCK, MiB, 8),
		   -ENOTBLK);
	EXPECT_RET(clfs_create_log_file(ctl, rw, NULL, 1000, MiB, 8),
		   -EINVAL);
	EXPECT_RET(clfs_create_log_file(ctl, rw, NULL, BLOCK, MiB + 4096, 8),
		   -EINVAL);
	EXPECT_RET(clfs_create_log_file(ctl, rw, NULL, BLOCK, MiB, 40),
		   -ENOSPC);
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.dev_fd = rw;
	c.block_size = BLOCK;
	c.container_size = MiB;
	c.n_containers = 8;
	c.flags = 0x2;		/* no such flag */
	EXPECT_RET(raw(ctl, CLFS_IOC_CREATE_LOG, &c), -EINVAL);
	c.flags = 0;
	c.reserved[1] = 1;
	EXPECT_RET(raw(ctl, CLFS_IOC_CREATE_LOG, &c), -EINVAL);
	c.reserved[1] = 0;
	c.path = (uintptr_t)dev1;	/* a descriptor and a path */
	EXPECT_RET(raw(ctl, CLFS_IOC_CREATE_LOG, &c), -EINVAL);
	c.path = 0;
	c.dev_fd = CLFS_FD_NONE;	/* neither */
	EXPECT_RET(raw(ctl, CLFS_IOC_CREATE_LOG, &c), -EINVAL);
	c.path = 16;			/* a path at a bad address (root) */
	EXPECT_RET(raw(ctl, CLFS_IOC_CREATE_LOG, &c), -EFAULT);
	EXPECT_RET(raw(ctl, CLFS_IOC_CREATE_LOG, (void *)16), -EFAULT);
	EXPECT_EQ(next_fd(), fds_before);

	log = clfs_create_log_file(ctl, rw, NULL, BLOCK, MiB, 8);
	CHECK(log >= 0, "create log on %s -> %d", dev1, log);
	REQUIRE(log >= 0);
	CHECK(fcntl(log, F_GETFD) == FD_CLOEXEC, "log descriptor is O_CLOEXEC");
	/* The device is the log's now: no create; an open shares the log. */
	EXPECT_RET(clfs_create_log_file(ctl, rw, NULL, BLOCK, MiB, 8), -EBUSY);
	log2 = clfs_open_log_file(ctl, rw, NULL, NULL, 0);
	CHECK(log2 >= 0 && log2 != log, "a second open shares the log (%d)",
	      log2);
	CHECK((fcntl(log2, F_GETFL) & O_ACCMODE) == O_RDWR,
	      "a handle through a writable descriptor may write");
	close(log2);
	log2 = clfs_open_log_file(ctl, -1, dev1, NULL, 0);
	CHECK(log2 >= 0, "a second open by path shares the log (%d)", log2);
	close(log2);
	log2 = clfs_open_log_file(ctl, ro, NULL, NULL, 0);
	CHECK(log2 >= 0 && (fcntl(log2, F_GETFL) & O_ACCMODE) == O_RDONLY,
	      "a read-only descriptor gives a read-only handle (%d)", log2);
	EXPECT_RET(clfs_create_marshalling_area(log2, 0, 8), -EBADF);
	close(log2);
	log2 = clfs_open_log_file_flags(ctl, rw, NULL, NULL, 0,
					CLFS_OPEN_READ_ONLY);
	CHECK(log2 >= 0 && (fcntl(log2, F_GETFL) & O_ACCMODE) == O_RDONLY,
	      "CLFS_OPEN_READ_ONLY gives a read-only handle (%d)", log2);
	close(log2);
	EXPECT_RET(clfs_open_log_file_flags(ctl, rw, NULL, NULL, 0, 2),
		   -EINVAL);
	close(ro);
	close(file);
	close(rw);			/* the log keeps its own open */
	/* A path (CAP_SYS_ADMIN: this test runs as root) on the other disk. */
	log2 = clfs_create_log_file(ctl, -1, dev2, BLOCK, MiB, 2);
	CHECK(log2 >= 0, "create log by path on %s -> %d", dev2, log2);
	close(log2);
	return log;
}

/* ---- a log descriptor: query, scan, containers --------------------- */

static void test_log(int log, dev_t d1, dev_t d2)
{
	struct clfs_container_entry e[16];
	struct clfs_scan_containers sc;
	struct clfs_container_add add[2];
	struct clfs_remove_container rc;
	struct clfs_log_info li;
	struct clfs_io_stats st;
	uint32_t ids[2] = { 0, 0 }, ret_n = 0, total = 0, i;
	int fd2, ma, ma2;

	info(log, &li);
	EXPECT_EQ(li.size, sizeof(li));
	EXPECT_EQ(li.io_unit, 512);
	EXPECT_EQ(li.block_size, BLOCK);
	EXPECT_EQ(li.n_containers, 8);
	EXPECT_EQ(li.container_size, MiB);
	EXPECT_EQ(li.last_lsn, CLFS_LSN_INVALID);
	EXPECT_EQ(li.base_lsn, CLFS_LSN_NULL);
	EXPECT_EQ(li.restart_lsn, CLFS_LSN_INVALID);
	EXPECT_EQ(li.archive_tail, CLFS_LSN_INVALID);
	EXPECT_EQ(li.total_bytes, 8 * (MiB - 4096));
	EXPECT_RET(clfs_get_io_statistics(log, &st), 0);
	EXPECT_EQ(st.appends, 0);
	EXPECT_EQ(st.meta_writes, li.meta_writes);

	EXPECT_RET(clfs_scan_log_containers(log, 0, e, 16, &ret_n, &total), 0);
	EXPECT_EQ(ret_n, 8);
	EXPECT_EQ(total, 8);
	for (i = 0; i < 8; i++) {
		CHECK(e[i].physical_id == i && e[i].logical_id == i &&
		      e[i].state == CLFS_CONT_ACTIVE &&
		      e[i].offset == MiB + i * MiB && e[i].bytes == MiB &&
		      makedev(e[i].dev_major, e[i].dev_minor) == d1,
		      "container %u: id %u/%u state %u at %llu, %llu bytes on %u:%u",
		      i, e[i].physical_id, e[i].logical_id, e[i].state,
		      (unsigned long long)e[i].offset,
		      (unsigned long long)e[i].bytes, e[i].dev_major,
		      e[i].dev_minor);
	}
	EXPECT_RET(clfs_scan_log_containers(log, 6, e, 16, &ret_n, &total), 0);
	EXPECT_EQ(ret_n, 2);
	EXPECT_EQ(e[0].physical_id, 6);
	EXPECT_RET(clfs_scan_log_containers(log, 9, e, 16, &ret_n, &total),
		   -EINVAL);
	memset(&sc, 0, sizeof(sc));
	sc.size = sizeof(sc);
	sc.count = 4;
	sc.entries = (uintptr_t)e;
	sc.entry_size = sizeof(e[0]) - 8;
	EXPECT_RET(raw(log, CLFS_IOC_SCAN_CONTAINERS, &sc), -EINVAL);
	sc.entry_size = sizeof(e[0]);
	sc.entries = 24;
	EXPECT_RET(raw(log, CLFS_IOC_SCAN_CONTAINERS, &sc), -EFAULT);

	/* Two containers on the second device, all or none. */
	fd2 = open_dev(dev2, O_RDWR);
	memset(add, 0, sizeof(add));
	add[0].dev_fd = fd2;
	add[0].offset = CLFS_OFFSET_ANY;
	add[1].dev_fd = fd2;
	add[1].offset = 4096 + 1;	/* misaligned: the set fails */
	EXPECT_RET(clfs_add_log_container_set(log, add, 2, ids), -EINVAL);
	info(log, &li);
	EXPECT_EQ(li.n_containers, 8);
	add[1].offset = CLFS_OFFSET_ANY;
	add[1].reserved = 1;
	EXPECT_RET(clfs_add_log_container_set(log, add, 2, ids), -EINVAL);
	add[1].reserved = 0;
	add[1].dev_fd = log;		/* not a block device */
	EXPECT_RET(clfs_add_log_container_set(log, add, 2, ids), -ENOTBLK);
	add[1].dev_fd = 999;
	EXPECT_RET(clfs_add_log_container_set(log, add, 2, ids), -EBADF);
	add[1].dev_fd = fd2;
	EXPECT_RET(clfs_add_log_container_set(log, add, 2, ids), 0);
	EXPECT_EQ(ids[0], 8);
	EXPECT_EQ(ids[1], 9);
	EXPECT_RET(clfs_scan_log_containers(log, 8, e, 16, &ret_n, &total), 0);
	EXPECT_EQ(total, 10);
	CHECK(makedev(e[0].dev_major, e[0].dev_minor) == d2 &&
	      e[0].offset == 0 && e[1].offset == MiB,
	      "containers 8 and 9 on %s at 0 and 1 MiB", dev2);
	close(fd2);
	EXPECT_RET(clfs_remove_log_container(log, 9), 0);
	EXPECT_RET(clfs_remove_log_container(log, 9), -ENOENT);
	memset(&rc, 0, sizeof(rc));
	rc.size = sizeof(rc);
	rc.physical_id = 8;
	rc.flags = 2;
	EXPECT_RET(raw(log, CLFS_IOC_REMOVE_CONTAINER, &rc), -EINVAL);
	info(log, &li);
	EXPECT_EQ(li.n_containers, 9);

	/* Objects of other kinds' ioctls. */
	EXPECT_RET(raw(log, CLFS_IOC_READ_NEXT, &li), -ENOTTY);
	EXPECT_RET(raw(log, CLFS_IOC_CREATE_LOG, &li), -ENOTTY);
	EXPECT_RET(clfs_create_marshalling_area(log, 4000, 4), -EINVAL);
	EXPECT_RET(clfs_create_marshalling_area(log, 0, 0), -EINVAL);
	ma = clfs_create_marshalling_area(log, 0, 8);
	CHECK(ma >= 0, "marshalling area -> %d", ma);
	/* A second one beside it (test_areas() appends through several). */
	ma2 = clfs_create_marshalling_area(log, 4096, 1);
	CHECK(ma2 >= 0, "a second marshalling area -> %d", ma2);
	close(ma2);
	close(ma);
}

/* ---- appends and reservations -------------------------------------- */

static char big[2 * BLOCK];

static void test_append(int log, int ma)
{
	struct clfs_append a;
	struct clfs_reserved r;
	struct clfs_log_info li;
	struct iovec iov[3] = { { "gath", 4 }, { "", 0 }, { "ered", 4 } };
	struct clfs_iovec kiov[2];
	uint32_t sizes[2] = { 100, 1000 }, aligned[2] = { 0, 0 };
	int64_t rsv[2];
	uint64_t lsn, total = 0;
	char buf[64];
	struct clfs_record_info ri;
	int ctx;

	EXPECT_EQ(append_str(ma, "record-0", 0), L(0, 4096, 0));
	EXPECT_EQ(append_str(ma, "record-1", 0), L(0, 4096, 1));
	EXPECT_RET(clfs_reserve_and_append_log(ma, iov, 3, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID, 0, NULL, 0,
					       &lsn), 0);
	EXPECT_EQ(lsn, L(0, 4096, 2));
	EXPECT_RET(clfs_read_log_record(ma, lsn, CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					&ctx), 0);
	CHECK(ri.length == 8 && !memcmp(buf, "gathered", 8) &&
	      ri.type == CLFS_RECORD_DATA, "gathered record reads back");
	close(ctx);

	/* Malformed appends change nothing. */
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	kiov[0].base = (uintptr_t)"x";
	kiov[0].len = 1;
	a.iov = (uintptr_t)kiov;
	a.n_iov = 1;
	a.undo_next = CLFS_LSN_INVALID;
	a.previous = CLFS_LSN_INVALID;
	a.flags = 0x80;
	EXPECT_RET(raw(ma, CLFS_IOC_RESERVE_AND_APPEND, &a), -EINVAL);
	a.flags = 0;
	a.reserved = 1;
	EXPECT_RET(raw(ma, CLFS_IOC_RESERVE_AND_APPEND, &a), -EINVAL);
	a.reserved = 0;
	a.n_iov = CLFS_MAX_IOV + 1;
	EXPECT_RET(raw(ma, CLFS_IOC_RESERVE_AND_APPEND, &a), -EINVAL);
	a.n_iov = 1;
	a.iov = 8;
	EXPECT_RET(raw(ma, CLFS_IOC_RESERVE_AND_APPEND, &a), -EFAULT);
	a.iov = (uintptr_t)kiov;
	kiov[0].base = 8;
	EXPECT_RET(raw(ma, CLFS_IOC_RESERVE_AND_APPEND, &a), -EFAULT);
	kiov[0].base = (uintptr_t)big;
	kiov[0].len = CLFS_BLOCK_SIZE_MAX;
	kiov[1].base = (uintptr_t)big;
	kiov[1].len = ~0ULL;		/* the sum overflows */
	a.n_iov = 2;
	EXPECT_RET(raw(ma, CLFS_IOC_RESERVE_AND_APPEND, &a), -EMSGSIZE);
	kiov[0].len = BLOCK;		/* fits no 64 KiB block */
	a.n_iov = 1;
	EXPECT_RET(raw(ma, CLFS_IOC_RESERVE_AND_APPEND, &a), -EMSGSIZE);
	a.n_iov = 0;
	a.n_rsv = 1;
	a.rsv = 8;
	EXPECT_RET(raw(ma, CLFS_IOC_RESERVE_AND_APPEND, &a), -EFAULT);
	info(log, &li);
	EXPECT_EQ(li.last_lsn, L(0, 4096, 2));
	EXPECT_EQ(li.appends, 3);

	/* Reservations: sizes round to whole I/O units with the headers. */
	EXPECT_RET(clfs_align_reserved_log(ma, 2, sizes, aligned, &total), 0);
	EXPECT_EQ(aligned[0], 512);
	EXPECT_EQ(aligned[1], 1536);
	EXPECT_EQ(total, 2048);
	EXPECT_RET(clfs_alloc_reserved_log(ma, 2, sizes, 2047), -EINVAL);
	EXPECT_RET(clfs_alloc_reserved_log(ma, 2, sizes, 2048), 0);
	info(log, &li);
	EXPECT_EQ(li.reserved_bytes, 2048);
	EXPECT_EQ(li.reserved_records, 2);
	memset(&r, 0, sizeof(r));
	r.size = sizeof(r);
	r.count = 2;
	r.sizes = (uintptr_t)sizes;
	r.aligned = (uintptr_t)aligned;	/* only ALIGN returns sizes */
	r.bytes = 2048;
	EXPECT_RET(raw(ma, CLFS_IOC_FREE_RESERVED, &r), -EINVAL);
	r.aligned = 0;
	r.count = 0;
	EXPECT_RET(raw(ma, CLFS_IOC_FREE_RESERVED, &r), -EINVAL);
	lsn = 0;
	{
		struct iovec one = { big, 100 };

		EXPECT_RET(clfs_reserve_and_append_log(ma, &one, 1,
				CLFS_LSN_INVALID, CLFS_LSN_INVALID, 0, NULL,
				CLFS_FLAG_USE_RESERVATION, &lsn), 0);
		EXPECT_EQ(lsn, L(0, 4096, 3));
	}
	info(log, &li);
	EXPECT_EQ(li.reserved_bytes, 1536);
	EXPECT_RET(clfs_free_reserved_log(ma, 1, &sizes[1], 1536), 0);
	EXPECT_RET(clfs_free_reserved_log(ma, 1, &sizes[1], 1536), -ENOENT);
	rsv[0] = 100;
	rsv[1] = 5000;
	EXPECT_RET(clfs_reserve_and_append_log(ma, NULL, 0, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID, 2, rsv, 0,
					       &lsn), 0);
	EXPECT_EQ(rsv[0], 512);
	EXPECT_EQ(rsv[1], 5120);
	EXPECT_EQ(lsn, CLFS_LSN_INVALID);
	rsv[0] = -100;
	rsv[1] = -5000;
	EXPECT_RET(clfs_reserve_and_append_log(ma, NULL, 0, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID, 2, rsv, 0,
					       NULL), 0);
	EXPECT_EQ((uint64_t)rsv[0], (uint64_t)-512);
	info(log, &li);
	EXPECT_EQ(li.reserved_bytes, 0);
	EXPECT_EQ(li.reserved_records, 0);

	/* Flushes. */
	EXPECT_RET(clfs_flush_log_to_lsn(ma, L(0, 4096, 9), NULL), -ENOENT);
	EXPECT_RET(clfs_flush_log_to_lsn(ma, L(0, 4096, 1), &lsn), 0);
	CHECK(lsn >= L(0, 4096, 1), "flushed to %#llx", (unsigned long long)lsn);
	EXPECT_RET(clfs_flush_buffers(ma, &lsn), 0);
	EXPECT_EQ(lsn, L(0, 4096, 3));
}

/* ---- restart areas ------------------------------------------------- */

static uint64_t first_of_block2;	/* the LSN of "base" below */

static void test_restart(int log, int ma)
{
	struct clfs_write_restart w;
	struct clfs_record_info ri;
	struct clfs_log_info li;
	uint64_t base, r1, r2, bad = L(5, 4096, 0);
	uint32_t written = 0;
	char buf[64];
	int ctx;

	EXPECT_RET(clfs_read_log_restart_area(ma, buf, sizeof(buf), &ri, &ctx),
		   -ENODATA);
	base = append_str(ma, "base", CLFS_FLAG_FORCE_FLUSH);
	/* block 1: header 64 + 3 * (40 + 8) + (40 + 104) = 352 -> 512 */
	EXPECT_EQ(base, L(0, 4608, 0));
	first_of_block2 = base;
	EXPECT_RET(clfs_write_log_restart_area(ma, "checkpoint-1", 12, &bad, 0,
					       &written, &r1), -EINVAL);
	memset(&w, 0, sizeof(w));
	w.size = sizeof(w);
	w.data = (uintptr_t)"x";
	w.length = 1;
	w.new_base = CLFS_LSN_INVALID;
	w.flags = 0x100;
	EXPECT_RET(raw(ma, CLFS_IOC_WRITE_RESTART, &w), -EINVAL);
	w.flags = 0;
	w.data = 8;
	EXPECT_RET(raw(ma, CLFS_IOC_WRITE_RESTART, &w), -EFAULT);
	w.data = (uintptr_t)"x";
	w.length = 0;
	EXPECT_RET(raw(ma, CLFS_IOC_WRITE_RESTART, &w), -EINVAL);
	EXPECT_RET(clfs_write_log_restart_area(ma, "checkpoint-1", 12, NULL,
					       CLFS_FLAG_USE_RESERVATION,
					       &written, &r1), -ENOENT);
	info(log, &li);
	EXPECT_EQ(li.restart_lsn, CLFS_LSN_INVALID);

	EXPECT_RET(clfs_write_log_restart_area(ma, "checkpoint-1", 12, &base,
					       0, &written, &r1), 0);
	EXPECT_EQ(r1, L(0, 5120, 0));
	/* The restart block (512) and one metadata copy: 256 bytes and 48
	 * per container, 9 of them, rounded up to the I/O unit (1024). */
	EXPECT_EQ(written, 1536);
	info(log, &li);
	EXPECT_EQ(li.base_lsn, base);
	EXPECT_EQ(li.restart_lsn, r1);
	EXPECT_RET(clfs_read_log_record(ma, L(0, 4096, 0), CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					&ctx), -ENOENT);
	r2 = 0;
	EXPECT_RET(clfs_write_log_restart_area(ma, "checkpoint-2", 12, NULL,
					       0, &written, &r2), 0);
	EXPECT_EQ(r2, L(0, 5632, 0));

	EXPECT_RET(clfs_read_log_restart_area(ma, buf, 4, &ri, &ctx), -ERANGE);
	EXPECT_EQ(ri.length, 12);
	EXPECT_RET(clfs_read_log_restart_area(ma, buf, sizeof(buf), &ri, &ctx),
		   0);
	CHECK(ri.lsn == r2 && ri.previous == r1 && ri.length == 12 &&
	      !memcmp(buf, "checkpoint-2", 12) && ri.type == CLFS_RECORD_RESTART,
	      "restart area 2 reads back, previous = restart area 1");
	EXPECT_RET(raw(ctx, CLFS_IOC_READ_RECORD, &ri), -ENOTTY);
	EXPECT_RET(clfs_read_previous_log_restart_area(ctx, buf, 3, &ri),
		   -ERANGE);
	EXPECT_RET(clfs_read_previous_log_restart_area(ctx, buf, sizeof(buf),
						       &ri), 0);
	CHECK(ri.lsn == r1 && !memcmp(buf, "checkpoint-1", 12),
	      "previous restart area is restart area 1 (after a short buffer)");
	EXPECT_RET(clfs_read_previous_log_restart_area(ctx, buf, sizeof(buf),
						       &ri), -ENOENT);
	close(ctx);
}

/* ---- reads, short buffers, chains ---------------------------------- */

static void test_read(int ma)
{
	struct clfs_record_info ri;
	struct clfs_read rd;
	uint64_t a, b, c;
	char buf[64];
	int ctx, fds_before;

	/* Forward from the base: "base", then the two restart areas. */
	EXPECT_RET(clfs_read_log_record(ma, first_of_block2, CLFS_READ_FORWARD,
					CLFS_TYPE_DATA, buf, sizeof(buf), &ri,
					&ctx), 0);
	CHECK(ri.length == 4 && !memcmp(buf, "base", 4), "read the base");
	a = append_str(ma, "chain-a", 0);
	b = 0;
	{
		struct iovec v = { "chain-b", 7 };

		EXPECT_RET(clfs_reserve_and_append_log(ma, &v, 1, a, a, 0, NULL,
						       0, &b), 0);
	}
	{
		struct iovec v = { "chain-c-longer-record", 21 };

		EXPECT_RET(clfs_reserve_and_append_log(ma, &v, 1, a, b, 0, NULL,
						       0, &c), 0);
	}
	EXPECT_EQ(a, L(0, 6144, 0));
	EXPECT_EQ(c, L(0, 6144, 2));
	/* Data only: the restart areas are skipped; records in the open
	 * write buffer are read too. */
	EXPECT_RET(clfs_read_next_log_record(ctx, buf, sizeof(buf), &ri), 0);
	EXPECT_EQ(ri.lsn, a);
	EXPECT_RET(clfs_read_next_log_record(ctx, buf, sizeof(buf), &ri), 0);
	EXPECT_EQ(ri.lsn, b);
	EXPECT_RET(clfs_read_next_log_record(ctx, buf, 5, &ri), -ERANGE);
	EXPECT_EQ(ri.length, 21);
	EXPECT_RET(clfs_read_next_log_record(ctx, buf, 5, &ri), -ERANGE);
	EXPECT_RET(clfs_read_next_log_record(ctx, buf, sizeof(buf), &ri), 0);
	CHECK(ri.lsn == c && ri.length == 21 &&
	      !memcmp(buf, "chain-c-longer-record", 21) && ri.previous == b &&
	      ri.undo_next == a, "the short-buffered record comes back whole");
	EXPECT_RET(clfs_read_next_log_record(ctx, buf, sizeof(buf), &ri),
		   -ENOENT);
	EXPECT_RET(clfs_read_previous_log_restart_area(ctx, buf, sizeof(buf),
						       &ri), -EINVAL);
	memset(&rd, 0, sizeof(rd));
	rd.size = sizeof(rd);
	rd.timeout_ns = 1;		/* a timeout without CLFS_READ_WAIT */
	EXPECT_RET(raw(ctx, CLFS_IOC_READ_NEXT, &rd), -EINVAL);
	rd.timeout_ns = 0;
	rd.flags = CLFS_READ_AT | CLFS_READ_DURABLE;
	EXPECT_RET(raw(ctx, CLFS_IOC_READ_NEXT, &rd), -EINVAL);
	rd.flags = 0x8;
	EXPECT_RET(raw(ctx, CLFS_IOC_READ_NEXT, &rd), -EINVAL);
	rd.flags = 0;
	close(ctx);

	/* A short buffer opens nothing. */
	fds_before = next_fd();
	ctx = 12345;
	EXPECT_RET(clfs_read_log_record(ma, c, CLFS_READ_PREVIOUS,
					CLFS_TYPE_ANY, buf, 2, &ri, &ctx),
		   -ERANGE);
	EXPECT_EQ(ri.length, 21);
	EXPECT_EQ(next_fd(), fds_before);

	/* The previous chain c -> b -> a, the undo-next chain c -> a. */
	EXPECT_RET(clfs_read_log_record(ma, c, CLFS_READ_PREVIOUS,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					&ctx), 0);
	EXPECT_RET(clfs_read_next_log_record(ctx, buf, sizeof(buf), &ri), 0);
	EXPECT_EQ(ri.lsn, b);
	EXPECT_RET(clfs_read_next_log_record(ctx, buf, sizeof(buf), &ri), 0);
	EXPECT_EQ(ri.lsn, a);
	EXPECT_RET(clfs_read_next_log_record(ctx, buf, sizeof(buf), &ri),
		   -ENOENT);
	/*
	 * ReadNextLogRecord's LSN (CLFS_READ_AT): only below the record the
	 * context stands on (a, the end of the chain); then, forward from a:
	 * back to a after c, and on from it.
	 */
	EXPECT_RET(clfs_read_next_log_record_at(ctx, b, buf, sizeof(buf), &ri),
		   -EINVAL);
	EXPECT_RET(clfs_read_next_log_record_at(ctx, 0, buf, sizeof(buf), &ri),
		   -EINVAL);
	close(ctx);
	EXPECT_RET(clfs_read_log_record(ma, a, CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					&ctx), 0);
	EXPECT_RET(clfs_read_next_log_record(ctx, buf, sizeof(buf), &ri), 0);
	EXPECT_RET(clfs_read_next_log_record(ctx, buf, sizeof(buf), &ri), 0);
	EXPECT_EQ(ri.lsn, c);
	EXPECT_RET(clfs_read_next_log_record_at(ctx, c, buf, sizeof(buf), &ri),
		   -EINVAL);
	EXPECT_RET(clfs_read_next_log_record_at(ctx, a, buf, sizeof(buf), &ri),
		   0);
	CHECK(ri.lsn == a && ri.length == 7 && !memcmp(buf, "chain-a", 7),
	      "CLFS_READ_AT reads the record below");
	EXPECT_RET(clfs_read_next_log_record(ctx, buf, sizeof(buf), &ri), 0);
	EXPECT_EQ(ri.lsn, b);
	close(ctx);
	EXPECT_RET(clfs_read_log_record(ma, c, CLFS_READ_PREVIOUS,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					&ctx), 0);
	EXPECT_RET(clfs_read_next_log_record_at(ctx, a, buf, sizeof(buf), &ri),
		   0);
	CHECK(ri.lsn == a && ri.length == 7 && !memcmp(buf, "chain-a", 7),
	      "CLFS_READ_AT along the previous chain");
	EXPECT_RET(clfs_read_next_log_record_at(ctx, c, buf, sizeof(buf), &ri),
		   -EINVAL);
	EXPECT_RET(clfs_read_next_log_record(ctx, buf, sizeof(buf), &ri),
		   -ENOENT);
	memset(&rd, 0, sizeof(rd));
	rd.size = sizeof(rd);
	rd.flags = 2;
	EXPECT_RET(raw(ctx, CLFS_IOC_READ_NEXT, &rd), -EINVAL);
	rd.flags = CLFS_READ_AT;
	EXPECT_RET(raw(ctx, CLFS_IOC_READ_PREVIOUS_RESTART, &rd), -EINVAL);
	close(ctx);
	EXPECT_RET(clfs_read_log_record(ma, c, CLFS_READ_UNDO_NEXT,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					&ctx), 0);
	EXPECT_RET(clfs_read_next_log_record(ctx, buf, sizeof(buf), &ri), 0);
	EXPECT_EQ(ri.lsn, a);
	close(ctx);

	/* Bad requests. */
	EXPECT_RET(clfs_read_log_record(ma, c, 9, CLFS_TYPE_ANY, buf,
					sizeof(buf), &ri, &ctx), -EINVAL);
	EXPECT_RET(clfs_read_log_record(ma, L(0, 6144, 3), CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					&ctx), -ENOENT);
	EXPECT_RET(clfs_read_log_record(ma, L(3, 4096, 0), CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					&ctx), -ENOENT);
	EXPECT_RET(clfs_read_log_record(ma, c, CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, (void *)8, sizeof(buf),
					&ri, &ctx), -EFAULT);
	memset(&rd, 0, sizeof(rd));
	rd.size = sizeof(rd);
	rd.start = c;
	rd.mode = CLFS_READ_FORWARD;
	rd.type_mask = CLFS_TYPE_ANY;
	rd.buf = (uintptr_t)buf;
	rd.buf_len = sizeof(buf);
	rd.flags = 4;
	EXPECT_RET(raw(ma, CLFS_IOC_READ_RECORD, &rd), -EINVAL);
}

/* ---- base, archive tail, truncation -------------------------------- */

static void test_tails(int log, int ma)
{
	struct clfs_lsn_arg la;
	struct clfs_log_info li;
	struct clfs_record_info ri;
	uint64_t a = L(0, 6144, 0), c = L(0, 6144, 2), d;
	char buf[64];
	int ctx;

	EXPECT_RET(clfs_flush_buffers(ma, NULL), 0);
	EXPECT_RET(clfs_advance_log_base(ma, L(0, 6144, 7)), -EINVAL);
	EXPECT_RET(clfs_advance_log_base(ma, L(0, 4096, 0)), -EINVAL);
	memset(&la, 0, sizeof(la));
	la.size = sizeof(la);
	la.lsn = a;
	la.flags = 1;
	EXPECT_RET(raw(ma, CLFS_IOC_ADVANCE_BASE, &la), -EINVAL);
	EXPECT_RET(raw(log, CLFS_IOC_SET_ARCHIVE_TAIL, &la), -EINVAL);
	EXPECT_RET(raw(ma, CLFS_IOC_SET_ARCHIVE_TAIL, &la), -ENOTTY);
	EXPECT_RET(raw(log, CLFS_IOC_ADVANCE_BASE, &la), -ENOTTY);
	/* The archive tail keeps the records below a new base readable. */
	EXPECT_RET(clfs_set_log_archive_tail(log, first_of_block2), 0);
	EXPECT_RET(clfs_advance_log_base(ma, a), 0);
	info(log, &li);
	EXPECT_EQ(li.base_lsn, a);
	EXPECT_EQ(li.archive_tail, first_of_block2);
	EXPECT_RET(clfs_read_log_record(ma, first_of_block2, CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					&ctx), 0);
	close(ctx);
	EXPECT_RET(clfs_set_log_archive_tail(log, L(0, 4096, 0)), -EINVAL);

	d = append_str(ma, "after-c", CLFS_FLAG_FORCE_FLUSH);
	EXPECT_RET(clfs_truncate_log(ma, L(0, 6144, 9)), -EINVAL);
	EXPECT_RET(clfs_read_log_record(ma, c, CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					&ctx), 0);
	EXPECT_RET(clfs_truncate_log(ma, c), -EBUSY);
	close(ctx);
	EXPECT_RET(clfs_truncate_log(ma, c), 0);
	info(log, &li);
	EXPECT_EQ(li.last_lsn, c);
	EXPECT_RET(clfs_read_log_record(ma, d, CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					&ctx), -ENOENT);
}

/* ---- lifetime: close in any order ---------------------------------- */

static void test_lifetime(int ctl, int log, int ma)
{
	struct clfs_record_info ri;
	char buf[64];
	uint64_t e;
	int ctx, dev, log2;

	EXPECT_RET(clfs_read_log_record(ma, L(0, 6144, 0), CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					&ctx), 0);
	close(log);			/* the marshalling area holds it */
	e = append_str(ma, "after-log-close", CLFS_FLAG_FORCE_FLUSH);
	CHECK(e != 0 && e != CLFS_LSN_INVALID, "append after the log fd closed");
	close(ma);			/* the read context holds it */
	EXPECT_RET(clfs_read_next_log_record(ctx, buf, sizeof(buf), &ri), 0);
	EXPECT_EQ(ri.lsn, L(0, 6144, 1));
	dev = open_dev(dev1, O_RDWR);
	/* Still open, but a shared open too names every device. */
	EXPECT_RET(clfs_open_log_file(ctl, dev, NULL, NULL, 0), -ENODEV);
	close(ctx);			/* now everything goes */
	log2 = clfs_open_log_file(ctl, dev, NULL, NULL, 0);
	/* Container 8 lives on dev2, which was not given. */
	EXPECT_RET(log2, -ENODEV);
	close(dev);
}

/* ---- a thread closes a descriptor while another is in ioctls ------- */

struct closer {
	int fd;
	int delay_us;
};

static void *close_later(void *arg)
{
	struct closer *c = arg;

	usleep(c->delay_us);
	close(c->fd);
	return NULL;
}

static void test_close_race(int ma, int log)
{
	uint64_t acked[4096], lsn;
	struct clfs_record_info ri;
	struct clfs_log_info li;
	int n = 0, i, ret = 0, round, ctx, bad = 0;
	char buf[64], want[64];
	pthread_t t;
	struct closer c;

	/* Round 1: appends with FORCE_FLUSH while the ma fd is closed. */
	c.fd = dup(ma);
	c.delay_us = 20000;
	REQUIRE(c.fd >= 0);
	REQUIRE(pthread_create(&t, NULL, close_later, &c) == 0);
	for (i = 0; i < 4096; i++) {
		struct iovec v;

		snprintf(buf, sizeof(buf), "race-%04d", i);
		v.iov_base = buf;
		v.iov_len = strlen(buf);
		ret = clfs_reserve_and_append_log(c.fd, &v, 1, CLFS_LSN_INVALID,
						  CLFS_LSN_INVALID, 0, NULL,
						  CLFS_FLAG_FORCE_FLUSH, &lsn);
		if (ret)
			break;
		acked[n++] = lsn;
	}
	pthread_join(t, NULL);
	CHECK(ret == -EBADF, "appends end with EBADF once the fd is closed (%d after %d)",
	      ret, n);
	/* Every acknowledged record is there, in order. */
	for (i = 0; i < n; i++) {
		snprintf(want, sizeof(want), "race-%04d", i);
		ret = clfs_read_log_record(ma, acked[i], CLFS_READ_FORWARD,
					   CLFS_TYPE_ANY, buf, sizeof(buf),
					   &ri, NULL);
		if (ret || ri.length != strlen(want) ||
		    memcmp(buf, want, ri.length))
			bad++;
	}
	CHECK(bad == 0, "%d acknowledged records read back (%d bad)", n, bad);

	/* Round 2..4: reads racing a close of the read context. */
	for (round = 0; round < 3; round++) {
		EXPECT_RET(clfs_read_log_record(ma, acked[0], CLFS_READ_FORWARD,
						CLFS_TYPE_ANY, buf,
						sizeof(buf), &ri, &ctx), 0);
		c.fd = ctx;
		c.delay_us = 1000 + round * 3000;
		REQUIRE(pthread_create(&t, NULL, close_later, &c) == 0);
		do {
			ret = clfs_read_next_log_record(ctx, buf, sizeof(buf),
							&ri);
		} while (ret == 0 || ret == -ENOENT);
		pthread_join(t, NULL);
		CHECK(ret == -EBADF, "reads end with EBADF (round %d: %d)",
		      round, ret);
	}
	/* Round 5: the log fd closed under QUERY_INFO in a loop. */
	c.fd = dup(log);
	c.delay_us = 5000;
	REQUIRE(pthread_create(&t, NULL, close_later, &c) == 0);
	do {
		ret = clfs_query_log_file_information(c.fd, &li);
	} while (ret == 0);
	pthread_join(t, NULL);
	CHECK(ret == -EBADF, "queries end with EBADF (%d)", ret);
}

/* ---- several processes on one log ---------------------------------- */

#define PROCS 4
#define PER_PROC 150

/*
 * Read forward from @from through handle @h (a log or an area): every
 * record "TAG-P-I" of process P must come once, in order of I, PER_PROC
 * of each, and the read must end at the end of the log.
 */
static void check_tagged(int h, uint64_t from, const char *tag)
{
	int p, ret, ctx = -1, ok = 1, count[PROCS] = { 0 }, last[PROCS];
	size_t n = strlen(tag);
	struct clfs_record_info ri;
	char buf[64];

	for (p = 0; p < PROCS; p++)
		last[p] = -1;
	ret = clfs_read_log_record(h, from, CLFS_READ_FORWARD, CLFS_TYPE_DATA,
				   buf, sizeof(buf) - 1, &ri, &ctx);
	CHECK(ret == 0, "%s: read from %llx -> %d", tag,
	      (unsigned long long)from, ret);
	while (ret == 0) {
		int pp, ii;

		buf[ri.length] = 0;
		if (!strncmp(buf, tag, n) &&
		    sscanf(buf + n, "-%d-%d", &pp, &ii) == 2 && pp >= 0 &&
		    pp < PROCS) {
			if (ii != last[pp] + 1)
				ok = 0;
			last[pp] = ii;
			count[pp]++;
		}
		ret = clfs_read_next_log_record(ctx, buf, sizeof(buf) - 1, &ri);
	}
	if (ctx >= 0)
		close(ctx);
	CHECK(ret == -ENOENT, "%s: the read ends at the end of the log (%d)",
	      tag, ret);
	for (p = 0; p < PROCS; p++)
		CHECK(count[p] == PER_PROC && last[p] == PER_PROC - 1,
		      "%s: process %d: %d records, in order", tag, p, count[p]);
	CHECK(ok, "%s: each process's records in its own order", tag);
}

/*
 * In a child process: append PER_PROC records "TAG-P-III" through area
 * @ma, every tenth with @flag.  Returns 0, or the first call's errno.
 */
static int append_tagged(int ma, const char *tag, int p, uint32_t flag)
{
	char buf[64];
	uint64_t lsn;
	int i, ret;

	for (i = 0; i < PER_PROC; i++) {
		struct iovec v = { buf, 0 };

		snprintf(buf, sizeof(buf), "%s-%d-%03d", tag, p, i);
		v.iov_len = strlen(buf);
		ret = clfs_reserve_and_append_log(ma, &v, 1, CLFS_LSN_INVALID,
						  CLFS_LSN_INVALID, 0, NULL,
						  i % 10 == 9 ? flag : 0, &lsn);
		if (ret)
			return ret;
	}
	return 0;
}

/* Wait for the PROCS children in @pid: 1 if every one exited 0. */
static int wait_all(const pid_t *pid)
{
	int p, status, ok = 1;

	for (p = 0; p < PROCS; p++) {
		REQUIRE(waitpid(pid[p], &status, 0) == pid[p]);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			ok = 0;
	}
	return ok;
}

static void test_processes(int ma)
{
	int p, ctx, ret;
	struct clfs_record_info ri;
	char buf[64];
	pid_t pid[PROCS];

	for (p = 0; p < PROCS; p++) {
		pid[p] = fork();
		REQUIRE(pid[p] >= 0);
		if (pid[p])
			continue;
		if (append_tagged(ma, "proc", p, CLFS_FLAG_FORCE_FLUSH))
			_exit(1);
		_exit(clfs_flush_buffers(ma, NULL) ? 2 : 0);
	}
	CHECK(wait_all(pid), "%d processes appended %d records each through one area",
	      PROCS, PER_PROC);
	ret = clfs_read_log_record(ma, CLFS_LSN_INVALID, CLFS_READ_FORWARD,
				   CLFS_TYPE_DATA, buf, sizeof(buf), &ri, &ctx);
	CHECK(ret == -EINVAL, "read at CLFS_LSN_INVALID -> %d", ret);
	/* Every record from the base on: the processes' ones among them. */
	check_tagged(ma, L(0, 6144, 0), "proc");
}

/* ---- several marshalling areas on one log --------------------------- */

/*
 * Each of PROCS processes creates its own area on the shared log
 * descriptor (buffers of 4, 8 or 64 KiB) and appends PER_PROC records
 * through it; every record of every process then reads back in its
 * process's order, and a flush through one area makes another's record
 * durable.
 */
static void test_areas(int log)
{
	static const uint32_t sizes[3] = { 4096, 8192, BLOCK };
	int p, ret, a, b;
	struct clfs_log_info li;
	uint64_t first, lsn, flushed;
	pid_t pid[PROCS];

	a = clfs_create_marshalling_area(log, 4096, 2);
	b = clfs_create_marshalling_area(log, 8192, 3);
	REQUIRE(a >= 0 && b >= 0);
	first = append_str(a, "areas-begin", CLFS_FLAG_FORCE_FLUSH);
	for (p = 0; p < PROCS; p++) {
		pid[p] = fork();
		REQUIRE(pid[p] >= 0);
		if (pid[p])
			continue;
		ret = clfs_create_marshalling_area(log, sizes[p % 3], 1 + p);
		if (ret < 0)
			_exit(3);
		if (append_tagged(ret, "area", p, CLFS_FLAG_FORCE_APPEND))
			_exit(1);
		/* Closing the area flushes it. */
		_exit(close(ret) ? 2 : 0);
	}
	CHECK(wait_all(pid), "%d processes appended %d records each, each through its own area",
	      PROCS, PER_PROC);
	info(log, &li);
	CHECK(li.flushed_lsn == li.last_lsn,
	      "the areas' closes flushed all: flushed %llx, last %llx",
	      (unsigned long long)li.flushed_lsn,
	      (unsigned long long)li.last_lsn);
	check_tagged(log, first, "area");

	/* b's flush makes a's record durable: it was in the same block. */
	lsn = append_str(a, "areas-a", 0);
	CHECK(append_str(b, "areas-b", 0) == lsn + 1,
	      "b's record follows a's in the same block");
	info(log, &li);
	CHECK(li.flushed_lsn < lsn, "a's record is not durable yet");
	EXPECT_RET(clfs_flush_log_to_lsn(b, lsn, &flushed), 0);
	CHECK(flushed == lsn + 1, "flushed through b: %llx (want %llx)",
	      (unsigned long long)flushed, (unsigned long long)lsn + 1);
	close(b);
	close(a);
}

/* ---- a read-only handle: it reads, and every write is EBADF -------- */

static void test_read_only(int h)
{
	struct clfs_container_add add = { .dev_fd = CLFS_FD_NONE,
					  .offset = CLFS_OFFSET_ANY };
	struct clfs_record_info ri;
	struct clfs_log_info li;
	struct clfs_lsn_arg la;
	uint32_t id = 0;
	char buf[256];
	int ctx = -1;

	CHECK((fcntl(h, F_GETFL) & O_ACCMODE) == O_RDONLY,
	      "the handle is O_RDONLY");
	EXPECT_RET(clfs_query_log_file_information(h, &li), 0);
	EXPECT_RET(clfs_read_log_record(h, li.first_lsn, CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					&ctx), 0);
	EXPECT_EQ(ri.lsn, li.first_lsn);
	if (ctx >= 0)
		close(ctx);
	EXPECT_RET(clfs_create_marshalling_area(h, 0, 8), -EBADF);
	EXPECT_RET(clfs_add_log_container_set(h, &add, 1, &id), -EBADF);
	EXPECT_RET(clfs_remove_log_container(h, 0), -EBADF);
	memset(&la, 0, sizeof(la));
	la.size = sizeof(la);
	la.lsn = li.first_lsn;
	EXPECT_RET(raw(h, CLFS_IOC_SET_ARCHIVE_TAIL, &la), -EBADF);
	EXPECT_RET(raw(h, CLFS_IOC_RESERVE_AND_APPEND, &la), -ENOTTY);
}

/* ---- a follower on a read-only handle, woken by poll() ------------- */

#define FOLLOW_N 24

static void test_follow(int ctl, int ma)
{
	struct clfs_record_info ri;
	struct clfs_log_info li;
	struct pollfd pfd;
	char buf[64], want[64];
	int ro, ro2, h, ctx = -1, i, n = 0, status, late = 0;
	uint64_t first;
	pid_t pid;

	first = append_str(ma, "follow-0", CLFS_FLAG_FORCE_FLUSH);
	ro = open_dev(dev1, O_RDONLY);
	ro2 = open_dev(dev2, O_RDONLY);
	/* Shared, but each opener names every device of the log. */
	EXPECT_RET(clfs_open_log_file(ctl, ro, NULL, NULL, 0), -ENODEV);
	h = clfs_open_log_file(ctl, ro, NULL, &ro2, 1);
	close(ro);
	close(ro2);
	REQUIRE(h >= 0);
	test_read_only(h);
	EXPECT_RET(clfs_read_log_record(h, first, CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					&ctx), 0);
	REQUIRE(ctx >= 0);
	pfd.fd = ctx;
	pfd.events = POLLIN;
	CHECK(poll(&pfd, 1, 0) == 0, "poll: nothing durable after the record");
	EXPECT_RET(clfs_read_next_log_record_follow(ctx, buf, sizeof(buf), &ri,
						    0), -EAGAIN);
	/* Appended, not yet durable: a follower does not see it. */
	append_str(ma, "follow-1", 0);
	EXPECT_RET(clfs_read_next_log_record_follow(ctx, buf, sizeof(buf), &ri,
						    50 * 1000 * 1000),
		   -ETIMEDOUT);
	CHECK(poll(&pfd, 1, 0) == 0, "poll: an unflushed record is not there");
	fflush(stdout);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		/* The writer: flushes now and then, with pauses. */
		failures = 0;
		REQUIRE(clfs_flush_buffers(ma, NULL) == 0);
		for (i = 2; i < FOLLOW_N; i++) {
			snprintf(buf, sizeof(buf), "follow-%d", i);
			append_str(ma, buf, i % 5 ? 0 : CLFS_FLAG_FORCE_FLUSH);
			if (i % 7 == 0)
				usleep(20 * 1000);
		}
		REQUIRE(clfs_flush_buffers(ma, NULL) == 0);
		fflush(stdout);
		_exit(failures);
	}
	/* The follower: poll, then read what is durable without waiting. */
	for (i = 1; i < FOLLOW_N && n < 200; n++) {
		int ret;

		pfd.revents = 0;
		if (poll(&pfd, 1, 20000) != 1 || !(pfd.revents & POLLIN)) {
			CHECK(0, "poll: record %d within 20 s", i);
			break;
		}
		while ((ret = clfs_read_next_log_record_follow(ctx, buf,
							       sizeof(buf), &ri,
							       0)) == 0) {
			snprintf(want, sizeof(want), "follow-%d", i);
			CHECK(ri.length == strlen(want) &&
			      !memcmp(buf, want, ri.length),
			      "follower: record %d is \"%s\"", i, want);
			info(h, &li);
			late += li.flushed_lsn == CLFS_LSN_INVALID ||
				li.flushed_lsn < ri.lsn;
			i++;
		}
		CHECK(ret == -EAGAIN, "follower: EAGAIN after the durable ones (%d)",
		      ret);
	}
	EXPECT_EQ(i, FOLLOW_N);
	EXPECT_EQ(late, 0);
	REQUIRE(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer process");
	close(ctx);
	close(h);
}

/* ---- an unprivileged caller ---------------------------------------- */

static void test_unprivileged(int ctl)
{
	int status, fails;
	pid_t pid;

	/* The devices readable by all, writable only by root. */
	REQUIRE(chmod(dev1, 0644) == 0 && chmod(dev2, 0644) == 0);
	fflush(stdout);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		struct clfs_version v;
		int c, ro, ro2, h;

		failures = 0;
		REQUIRE(setgid(65534) == 0 && setuid(65534) == 0);
		c = clfs_open_control();
		CHECK(c >= 0, "nobody opens /dev/clfs (%d)", c);
		EXPECT_RET(clfs_get_version(c, &v), 0);
		CHECK(open(dev1, O_RDWR) < 0 && errno == EACCES,
		      "nobody cannot open %s for writing", dev1);
		ro = open_dev(dev1, O_RDONLY);
		ro2 = open_dev(dev2, O_RDONLY);
		EXPECT_RET(clfs_create_log_file(c, ro, NULL, BLOCK, MiB, 2),
			   -EBADF);
		/* The log is closed: the first opener names every device. */
		EXPECT_RET(clfs_open_log_file(c, ro, NULL, NULL, 0), -ENODEV);
		h = clfs_open_log_file(c, ro, NULL, &ro2, 1);
		CHECK(h >= 0, "nobody opens the log read-only (%d)", h);
		if (h >= 0) {
			test_read_only(h);
			close(h);
		}
		close(ro2);
		EXPECT_RET(clfs_create_log_file(c, -1, dev1, BLOCK, MiB, 2),
			   -EPERM);
		EXPECT_RET(clfs_open_log_file(c, -1, dev1, NULL, 0), -EPERM);
		/* A descriptor root passed down is not enough either: it is
		 * read-only. */
		fflush(stdout);
		_exit(failures);
	}
	REQUIRE(waitpid(pid, &status, 0) == pid);
	fails = WIFEXITED(status) ? WEXITSTATUS(status) : 100;
	failures += fails;
	CHECK(fails == 0, "unprivileged checks");
	chmod(dev1, 0600);
	chmod(dev2, 0600);
	(void)ctl;
}

/* ---- persistence ---------------------------------------------------- */

static void test_reopen(int ctl)
{
	struct clfs_log_info li;
	struct clfs_open_log o;
	struct clfs_record_info ri;
	int d1 = open_dev(dev1, O_RDWR), d2 = open_dev(dev2, O_RDWR);
	int devs[2] = { d2, d2 }, log, ma, ctx;
	char buf[64];

	EXPECT_RET(clfs_open_log_file(ctl, d1, NULL, devs, 2), -EINVAL);
	memset(&o, 0, sizeof(o));
	o.size = sizeof(o);
	o.dev_fd = d1;
	o.n_devices = 1;
	o.devices = 8;
	EXPECT_RET(raw(ctl, CLFS_IOC_OPEN_LOG, &o), -EFAULT);
	o.devices = (uintptr_t)devs;
	o.n_devices = CLFS_MAX_CONTAINERS + 1;
	EXPECT_RET(raw(ctl, CLFS_IOC_OPEN_LOG, &o), -EINVAL);
	log = clfs_open_log_file(ctl, d1, NULL, devs, 1);
	CHECK(log >= 0, "reopen with the second device -> %d", log);
	REQUIRE(log >= 0);
	info(log, &li);
	EXPECT_EQ(li.n_containers, 9);
	EXPECT_EQ(li.base_lsn, L(0, 6144, 0));
	EXPECT_EQ(li.archive_tail, first_of_block2);
	EXPECT_EQ(li.restart_lsn, L(0, 5632, 0));
	ma = clfs_create_marshalling_area(log, 0, 4);
	REQUIRE(ma >= 0);
	EXPECT_RET(clfs_read_log_restart_area(ma, buf, sizeof(buf), &ri, &ctx),
		   0);
	CHECK(!memcmp(buf, "checkpoint-2", 12), "restart area after reopen");
	close(ctx);
	EXPECT_RET(clfs_read_log_record(ma, L(0, 6144, 2), CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					NULL), 0);
	CHECK(ri.length == 21 && !memcmp(buf, "chain-c-longer-record", 21),
	      "the record at the truncation point after reopen");
	test_follow(ctl, ma);
	close(ma);
	close(log);
	close(d1);
	close(d2);
}

/* ---- a multiplexed log: streams, stream writers and followers ----- */

/*
 * In a child: follow stream @name from its record @from with poll() until
 * PER_PROC records "strm-P-I" of process @p came, in order, each durable
 * when read, and nothing of another stream.  Exits 0 when all is well.
 */
static void follow_stream(int log, const char *name, int p, uint64_t from)
{
	int h = clfs_open_log_stream(log, name, CLFS_OPEN_READ_ONLY);
	struct clfs_record_info ri;
	char buf[64], want[64];
	struct pollfd pfd;
	int ctx = -1, i = 0, ret, rounds = 0;

	if (h < 0 || clfs_read_log_record(h, from, CLFS_READ_FORWARD,
					  CLFS_TYPE_DATA, buf, sizeof(buf),
					  &ri, &ctx))
		_exit(10);
	pfd.fd = ctx;
	pfd.events = POLLIN;
	while (i < PER_PROC && rounds++ < 100000) {
		pfd.revents = 0;
		if (poll(&pfd, 1, 30000) != 1 || !(pfd.revents & POLLIN))
			_exit(11);
		while (i < PER_PROC &&
		       !(ret = clfs_read_next_log_record_follow(ctx, buf,
								sizeof(buf),
								&ri, 0))) {
			snprintf(want, sizeof(want), "strm-%d-%03d", p, i);
			if (ri.length != strlen(want) ||
			    memcmp(buf, want, ri.length))
				_exit(12);
			i++;
		}
		if (i < PER_PROC && ret != -EAGAIN)
			_exit(13);
	}
	_exit(i == PER_PROC ? 0 : 14);
}

static void test_streams(int ctl)
{
	struct clfs_stream_entry e[8];
	struct clfs_record_info ri;
	uint64_t first[PROCS], lsn;
	pid_t pid[2 * PROCS];
	struct clfs_log_info li;
	int d2, log, ro, ma, p, ok;
	uint32_t id, total = 0;
	char name[16], buf[64];

	d2 = open_dev(dev2, O_RDWR);
	EXPECT_RET(clfs_create_log_file_flags(ctl, d2, NULL, BLOCK, MiB, 8,
					      0x2), -EINVAL);
	log = clfs_create_log_file_flags(ctl, d2, NULL, BLOCK, MiB, 8,
					 CLFS_CREATE_MULTIPLEXED);
	close(d2);
	CHECK(log >= 0, "create a multiplexed log -> %d", log);
	REQUIRE(log >= 0);
	info(log, &li);
	EXPECT_EQ(li.flags, CLFS_INFO_MULTIPLEXED);
	EXPECT_EQ(li.n_streams, 0);
	/* The log's own handle has no stream: append, read, tails refused. */
	EXPECT_RET(clfs_create_marshalling_area(log, 0, 4), -EINVAL);
	EXPECT_RET(clfs_read_log_restart_area(log, buf, sizeof(buf), &ri,
					      NULL), -EINVAL);
	EXPECT_RET(clfs_open_log_stream(log, "s0", 0), -ENOENT);
	for (p = 0; p < PROCS; p++) {
		snprintf(name, sizeof(name), "s%d", p);
		EXPECT_RET(clfs_create_log_stream(log, name, &id), 0);
		EXPECT_EQ(id, (uint32_t)p + 1);
	}
	EXPECT_RET(clfs_create_log_stream(log, "s0", &id), -EEXIST);
	EXPECT_RET(clfs_create_log_stream(log, "a::b", &id), -EINVAL);
	EXPECT_RET(clfs_create_log_stream(log, "", &id), -EINVAL);
	EXPECT_RET(clfs_list_log_streams(log, e, 8, &total), 0);
	EXPECT_EQ(total, PROCS);
	EXPECT_EQ(e[3].id, 4);
	CHECK(!strcmp(e[3].name, "s3"), "stream 4 is s3");

	/* A first record in each stream, for its follower to start from. */
	for (p = 0; p < PROCS; p++) {
		snprintf(name, sizeof(name), "s%d", p);
		ro = clfs_open_log_stream(log, name, 0);
		REQUIRE(ro >= 0);
		ma = clfs_create_marshalling_area(ro, 0, 4);
		REQUIRE(ma >= 0);
		first[p] = append_str(ma, "start", CLFS_FLAG_FORCE_FLUSH);
		info(ro, &li);
		EXPECT_EQ(li.stream_id, (uint32_t)p + 1);
		EXPECT_EQ(li.last_lsn, first[p]);
		close(ma);
		close(ro);
	}
	fflush(stdout);
	/* A writer and a follower per stream, all at once. */
	for (p = 0; p < 2 * PROCS; p++) {
		pid[p] = fork();
		REQUIRE(pid[p] >= 0);
		if (pid[p])
			continue;
		snprintf(name, sizeof(name), "s%d", p % PROCS);
		if (p >= PROCS)
			follow_stream(log, name, p % PROCS, first[p % PROCS]);
		ro = clfs_open_log_stream(log, name, 0);
		ma = ro < 0 ? ro : clfs_create_marshalling_area(ro, 0, 4);
		if (ma < 0)
			_exit(3);
		if (append_tagged(ma, "strm", p, CLFS_FLAG_FORCE_FLUSH))
			_exit(1);
		_exit(close(ma) ? 2 : 0);
	}
	ok = wait_all(pid) && wait_all(pid + PROCS);
	CHECK(ok, "%d stream writers and %d poll() followers", PROCS, PROCS);

	/* Each stream reads back its own records only. */
	ro = clfs_open_log_stream(log, "s1", CLFS_OPEN_READ_ONLY);
	REQUIRE(ro >= 0);
	CHECK((fcntl(ro, F_GETFL) & O_ACCMODE) == O_RDONLY,
	      "a read-only stream handle is O_RDONLY");
	EXPECT_RET(clfs_create_marshalling_area(ro, 0, 4), -EBADF);
	EXPECT_RET(clfs_read_log_record(ro, first[0], CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					NULL), -ENOENT);
	EXPECT_RET(clfs_read_log_record(ro, first[1], CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					NULL), 0);
	lsn = first[1];
	EXPECT_RET(clfs_delete_log_stream(log, "s1"), -EBUSY);
	EXPECT_RET(clfs_delete_log_stream(ro, "s2"), -EBADF);
	close(ro);
	EXPECT_RET(clfs_delete_log_stream(log, "s1"), 0);
	EXPECT_RET(clfs_open_log_stream(log, "s1", 0), -ENOENT);
	EXPECT_RET(clfs_list_log_streams(log, e, 8, &total), 0);
	EXPECT_EQ(total, PROCS - 1);
	info(log, &li);
	EXPECT_EQ(li.pin_stream, 1);
	CHECK(li.last_lsn > lsn, "the log's last LSN spans the streams");
	close(log);
}

/* ---- one copy from user memory -------------------------------------- */

/*
 * A plain append is copied once, from the caller's memory into the log
 * block, after the engine's lock, from the record's pages, taken before
 * it: a page not yet faulted in is faulted in then; memory that cannot be
 * read fails with EFAULT and changes nothing, also for a record that
 * would have needed a new block (the open block before it is not sealed:
 * deleting the area writes it, one block).  Runs on test_batch()'s log:
 * 4 records in the block at 4096, flushed; *@ma is replaced by a new
 * area.
 */
static void test_one_copy(int log, int *ma)
{
	struct clfs_io_stats st0 = { .size = sizeof(st0) }, st1 = st0;
	const size_t page = 4096, len = 65400;	/* fits no 64 KiB block with others */
	struct clfs_log_info li;
	struct clfs_record_info ri;
	unsigned char *m, *fresh, *rbuf;
	struct iovec iov;
	uint64_t lsn = 0;
	size_t i;
	int ctx;

	m = mmap(NULL, 17 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fresh = mmap(NULL, page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rbuf = malloc(BLOCK);
	REQUIRE(m != MAP_FAILED && fresh != MAP_FAILED && rbuf);
	memset(m, 0x5a, 16 * page);
	REQUIRE(mprotect(m + 16 * page, page, PROT_NONE) == 0);
	/* An open block at 4608, with one small record. */
	EXPECT_EQ(append_str(*ma, "open-block", 0), L(0, 4096 + 512, 0));
	/* Its last 100 bytes are on the page nobody may read. */
	iov.iov_base = m + 16 * page + 100 - len;
	iov.iov_len = len;
	EXPECT_RET(clfs_reserve_and_append_log(*ma, &iov, 1, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID, 0, NULL, 0,
					       &lsn), -EFAULT);
	info(log, &li);
	EXPECT_EQ(li.appends, 5);
	EXPECT_EQ(li.last_lsn, L(0, 4096 + 512, 0));
	/* 4608 is still open: the area's deletion writes it (512 bytes). */
	EXPECT_RET(clfs_get_io_statistics(log, &st0), 0);
	EXPECT_RET(clfs_delete_marshalling_area(*ma), 0);
	EXPECT_RET(clfs_get_io_statistics(log, &st1), 0);
	EXPECT_EQ(st1.blocks_written, st0.blocks_written + 1);
	EXPECT_EQ(st1.block_bytes, st0.block_bytes + 512);
	*ma = clfs_create_marshalling_area(log, 0, 8);
	REQUIRE(*ma >= 0);
	EXPECT_EQ(append_str(*ma, "after-efault", 0), L(0, 4096 + 1024, 0));
	/* A page never touched: faulted in before the lock, then copied. */
	iov.iov_base = fresh;
	iov.iov_len = page;
	EXPECT_RET(clfs_reserve_and_append_log(*ma, &iov, 1, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID, 0, NULL,
					       CLFS_FLAG_FORCE_FLUSH, &lsn), 0);
	EXPECT_EQ(lsn, L(0, 4096 + 1024, 1));
	EXPECT_RET(clfs_read_log_record(*ma, lsn, CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, rbuf, BLOCK, &ri, &ctx),
		   0);
	for (i = 0; i < page && !rbuf[i]; i++)
		;
	CHECK(ri.length == page && i == page,
	      "a record from a page never touched reads back as %zu zero bytes",
	      page);
	close(ctx);
	/* The record that faulted fits once its memory is readable. */
	iov.iov_base = m;
	iov.iov_len = len;
	EXPECT_RET(clfs_reserve_and_append_log(*ma, &iov, 1, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID, 0, NULL,
					       CLFS_FLAG_FORCE_FLUSH, &lsn), 0);
	EXPECT_RET(clfs_read_log_record(*ma, lsn, CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, rbuf, BLOCK, &ri, &ctx),
		   0);
	CHECK(ri.length == len && !memcmp(rbuf, m, len),
	      "the large record reads back");
	close(ctx);
	munmap(m, 17 * page);
	munmap(fresh, page);
	free(rbuf);
}

/* Append @len bytes at @p, plain; *@lsn receives the LSN. */
static int append_mem(int ma, void *p, size_t len, uint32_t flags,
		      uint64_t *lsn)
{
	struct iovec iov = { p, len };

	return clfs_reserve_and_append_log(ma, &iov, 1, CLFS_LSN_INVALID,
					   CLFS_LSN_INVALID, 0, NULL, flags,
					   lsn);
}

/* The record at @lsn reads back as @len zero bytes. */
static void expect_zeros(int ma, uint64_t lsn, size_t len)
{
	struct clfs_record_info ri;
	unsigned char *rbuf = calloc(1, BLOCK);
	size_t i = 0;
	int ctx;

	REQUIRE(rbuf);
	EXPECT_RET(clfs_read_log_record(ma, lsn, CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, rbuf, BLOCK, &ri, &ctx),
		   0);
	while (i < len && !rbuf[i])
		i++;
	CHECK(ri.lsn == lsn && ri.length == len && i == len,
	      "record %" PRIx64 " reads back as %zu zero bytes", lsn, len);
	close(ctx);
	free(rbuf);
}

/*
 * A small record (at most 1 KiB) in user memory is copied under the
 * engine's lock, page faults disabled; when that faults it is taken out
 * again (and the block it opened, if it opened one, dropped), its pages
 * are taken without the lock, and it is appended again: a page never
 * touched reads back as zeros, an unreadable one fails with EFAULT and
 * changes nothing.  Both, for a record in the open block and for one
 * that opens a block.  *@ma is replaced by a new area.
 */
static void test_small_copy(int log, int *ma)
{
	struct clfs_io_stats st0 = { .size = sizeof(st0) }, st1 = st0;
	const size_t page = 4096, len = 200;
	struct clfs_log_info li;
	uint64_t x, a = 0, b = 0, y, lsn = 0;
	unsigned char *m;
	uint32_t c, off;

	m = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(m != MAP_FAILED);
	REQUIRE(mprotect(m + 2 * page, page, PROT_NONE) == 0);
	/* 512 bytes on disk: the next block is 512 bytes on. */
	x = append_str(*ma, "seal", CLFS_FLAG_FORCE_APPEND);
	c = clfs_lsn_container(x);
	off = clfs_lsn_block_offset(x);
	EXPECT_RET(append_mem(*ma, m, len, 0, &a), 0);
	EXPECT_EQ(a, clfs_lsn_make(c, off + 512, 0));
	EXPECT_RET(append_mem(*ma, m + page, len, 0, &b), 0);
	EXPECT_EQ(b, clfs_lsn_make(c, off + 512, 1));
	EXPECT_RET(append_mem(*ma, m + 2 * page, len, 0, &lsn), -EFAULT);
	info(log, &li);
	EXPECT_EQ(li.last_lsn, b);
	y = append_str(*ma, "seal-again", CLFS_FLAG_FORCE_APPEND);
	EXPECT_EQ(y, clfs_lsn_make(c, off + 512, 2));
	/* Opens a block, faults: the block is dropped, not left open. */
	EXPECT_RET(append_mem(*ma, m + 2 * page, len, 0, &lsn), -EFAULT);
	info(log, &li);
	EXPECT_EQ(li.last_lsn, y);
	EXPECT_RET(clfs_get_io_statistics(log, &st0), 0);
	EXPECT_RET(clfs_delete_marshalling_area(*ma), 0);
	EXPECT_RET(clfs_get_io_statistics(log, &st1), 0);
	EXPECT_EQ(st1.blocks_written, st0.blocks_written);
	*ma = clfs_create_marshalling_area(log, 0, 8);
	REQUIRE(*ma >= 0);
	expect_zeros(*ma, a, len);
	expect_zeros(*ma, b, len);
	munmap(m, 3 * page);
}

/* memfd_secret(2): in both target kernels (CONFIG_SECRETMEM=y). */
#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447
#endif

/*
 * Memory whose pages cannot be taken (memfd_secret(2): no page of it
 * may be pinned, yet a copy reads it): the engine copies such a record
 * into a kernel buffer first, outside its locks, and appends that, with
 * reservation changes or without; each reads back byte for byte.
 */
static void test_unpinnable(int ma)
{
	const size_t size = 8192, len = 3000;
	struct clfs_record_info ri;
	unsigned char *p, *rbuf;
	int64_t rsv = 100;
	struct iovec iov;
	uint64_t lsn = 0;
	int fd, ctx, k;
	size_t i;

	fd = (int)syscall(SYS_memfd_secret, 0);
	CHECK(fd >= 0, "memfd_secret (%s)",
	      fd >= 0 ? "a descriptor" : strerror(errno));
	if (fd < 0)
		return;
	REQUIRE(ftruncate(fd, size) == 0);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	rbuf = malloc(BLOCK);
	REQUIRE(p != MAP_FAILED && rbuf);
	for (i = 0; i < size; i++)
		p[i] = (unsigned char)(i * 7 + 3);
	iov.iov_base = p + 100;
	iov.iov_len = len;
	for (k = 0; k < 2; k++) {
		EXPECT_RET(clfs_reserve_and_append_log(ma, &iov, 1,
						       CLFS_LSN_INVALID,
						       CLFS_LSN_INVALID, k,
						       k ? &rsv : NULL,
						       CLFS_FLAG_FORCE_FLUSH,
						       &lsn), 0);
		EXPECT_RET(clfs_read_log_record(ma, lsn, CLFS_READ_FORWARD,
						CLFS_TYPE_ANY, rbuf, BLOCK,
						&ri, &ctx), 0);
		CHECK(ri.length == len && !memcmp(rbuf, p + 100, len),
		      "a record in memfd_secret memory reads back (%s)",
		      k ? "with a reservation" : "plain");
		close(ctx);
	}
	/* The reservation for a record of 100 bytes is held: release it. */
	CHECK(rsv > 100, "the reservation is rounded (%" PRId64 ")", rsv);
	rsv = -100;
	EXPECT_RET(clfs_reserve_and_append_log(ma, NULL, 0, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID, 1, &rsv, 0,
					       NULL), 0);
	munmap(p, size);
	close(fd);
	free(rbuf);
}

/* ---- batched appends ------------------------------------------------ */

/*
 * READ_NEXT_BATCH over the four records test_batch() appended ("one",
 * "two", "", "four"): what READ_NEXT returns, many a call; a record that
 * does not fit stays for the next call; bad calls change nothing.
 */
static void test_read_batch(int ma, const struct clfs_batch_record *w)
{
	struct clfs_batch_record r[4];
	struct clfs_read_batch a;
	struct clfs_record_info ri;
	unsigned int done = 9, i;
	char buf[64], one[8];
	void *ro;
	int ctx;

	EXPECT_RET(clfs_read_log_record(ma, w[0].lsn, CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, one, sizeof(one), &ri,
					&ctx), 0);
	/* Two fit in five bytes ("two", ""); "four" is kept. */
	memset(r, 0, sizeof(r));
	EXPECT_RET(clfs_read_next_log_records(ctx, buf, 5, r, 4, 0, &done), 0);
	EXPECT_EQ(done, 2);
	for (i = 0; i < 2; i++)
		CHECK(r[i].lsn == w[i + 1].lsn && r[i].type == w[i + 1].type &&
		      r[i].undo_next == w[i + 1].undo_next &&
		      r[i].previous == w[i + 1].previous &&
		      r[i].len == w[i + 1].len &&
		      r[i].data == (uintptr_t)buf + (i ? 3 : 0) &&
		      !memcmp(buf + (i ? 3 : 0), (void *)(uintptr_t)w[i + 1].data,
			      r[i].len),
		      "read batch record %u", i + 1);
	/* The kept one does not fit in 3 bytes: ERANGE with its length. */
	EXPECT_RET(clfs_read_next_log_records(ctx, buf, 3, r, 4, 0, &done),
		   -ERANGE);
	EXPECT_EQ(done, 0);
	CHECK(r[0].len == 4 && r[0].lsn == w[3].lsn &&
	      r[0].type == CLFS_RECORD_RESTART, "ERANGE names the record");
	/* Malformed calls leave it there. */
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.buf = (uintptr_t)buf;
	a.buf_len = sizeof(buf);
	a.records = (uintptr_t)r;
	a.count = 0;
	EXPECT_RET(raw(ctx, CLFS_IOC_READ_NEXT_BATCH, &a), -EINVAL);
	a.count = CLFS_MAX_BATCH + 1;
	EXPECT_RET(raw(ctx, CLFS_IOC_READ_NEXT_BATCH, &a), -EINVAL);
	a.count = 1;
	a.flags = CLFS_READ_WAIT;
	EXPECT_RET(raw(ctx, CLFS_IOC_READ_NEXT_BATCH, &a), -EINVAL);
	a.flags = 0;
	a.done = 1;
	EXPECT_RET(raw(ctx, CLFS_IOC_READ_NEXT_BATCH, &a), -EINVAL);
	a.done = 0;
	a.reserved = 1;
	EXPECT_RET(raw(ctx, CLFS_IOC_READ_NEXT_BATCH, &a), -EINVAL);
	a.reserved = 0;
	a.records = 0;
	EXPECT_RET(raw(ctx, CLFS_IOC_READ_NEXT_BATCH, &a), -EINVAL);
	a.records = 8;
	EXPECT_RET(raw(ctx, CLFS_IOC_READ_NEXT_BATCH, &a), -EFAULT);
	a.records = (uintptr_t)r;
	a.buf = 8;
	EXPECT_RET(raw(ctx, CLFS_IOC_READ_NEXT_BATCH, &a), -EFAULT);
	/* A struct that cannot take @done: EFAULT before anything is read. */
	a.buf = (uintptr_t)buf;
	ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(ro != MAP_FAILED);
	memcpy(ro, &a, sizeof(a));
	REQUIRE(mprotect(ro, 4096, PROT_READ) == 0);
	EXPECT_RET(raw(ctx, CLFS_IOC_READ_NEXT_BATCH, ro), -EFAULT);
	munmap(ro, 4096);
	/* Durable only: "four" is (FORCE_FLUSH), then the end. */
	EXPECT_RET(clfs_read_next_log_records(ctx, buf, sizeof(buf), r, 4,
					      CLFS_READ_DURABLE, &done), 0);
	CHECK(done == 1 && r[0].lsn == w[3].lsn && r[0].len == 4 &&
	      !memcmp(buf, "four", 4), "the kept record, durable");
	EXPECT_RET(clfs_read_next_log_records(ctx, buf, sizeof(buf), r, 4, 0,
					      &done), -ENOENT);
	EXPECT_EQ(done, 0);
	close(ctx);
	/* A READ_NEXT context is a READ_NEXT_BATCH one: the log's fd is not. */
	EXPECT_RET(clfs_read_next_log_records(ma, buf, sizeof(buf), r, 4, 0,
					      &done), -ENOTTY);
}

/*
 * APPEND_BATCH on a dedicated log of its own: four records in one call,
 * consecutive LSNs, each with its own type and links, durable with
 * FORCE_FLUSH; malformed calls change nothing.
 */
static void test_batch(int ctl)
{
	static const char *const txt[4] = { "one", "two", "", "four" };
	struct clfs_batch_record r[4];
	struct clfs_append_batch a;
	struct clfs_record_info ri;
	struct clfs_log_info li;
	unsigned int done = 9, i;
	int d2, log, ma, ctx;
	char buf[64];

	d2 = open_dev(dev2, O_RDWR);
	log = clfs_create_log_file(ctl, d2, NULL, BLOCK, MiB, 8);
	close(d2);
	CHECK(log >= 0, "create a log for batches -> %d", log);
	REQUIRE(log >= 0);
	ma = clfs_create_marshalling_area(log, 0, 8);
	REQUIRE(ma >= 0);
	for (i = 0; i < 4; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].data = (uintptr_t)txt[i];
		r[i].len = strlen(txt[i]);
		r[i].type = i == 3 ? CLFS_RECORD_RESTART : CLFS_RECORD_DATA;
		r[i].undo_next = i == 2 ? L(0, 4096, 1) : CLFS_LSN_INVALID;
		r[i].previous = i ? L(0, 4096, i - 1) : CLFS_LSN_INVALID;
	}
	EXPECT_RET(clfs_append_log_batch(ma, r, 4, CLFS_FLAG_FORCE_FLUSH,
					 &done), 0);
	EXPECT_EQ(done, 4);
	for (i = 0; i < 4; i++)
		EXPECT_EQ(r[i].lsn, L(0, 4096, i));
	info(log, &li);
	EXPECT_EQ(li.appends, 4);
	EXPECT_EQ(li.flushed_lsn, L(0, 4096, 3));
	EXPECT_RET(clfs_read_log_record(ma, L(0, 4096, 0), CLFS_READ_FORWARD,
					CLFS_TYPE_ANY, buf, sizeof(buf), &ri,
					&ctx), 0);
	for (i = 0; i < 4; i++) {
		if (i)
			EXPECT_RET(clfs_read_next_log_record(ctx, buf,
							     sizeof(buf), &ri),
				   0);
		CHECK(ri.lsn == r[i].lsn && ri.type == r[i].type &&
		      ri.previous == r[i].previous &&
		      ri.undo_next == r[i].undo_next &&
		      ri.length == r[i].len && !memcmp(buf, txt[i], ri.length),
		      "batch record %u reads back", i);
	}
	close(ctx);

	/* Malformed calls change nothing. */
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.records = (uintptr_t)r;
	a.count = 0;
	EXPECT_RET(raw(ma, CLFS_IOC_APPEND_BATCH, &a), -EINVAL);
	a.count = CLFS_MAX_BATCH + 1;
	EXPECT_RET(raw(ma, CLFS_IOC_APPEND_BATCH, &a), -EINVAL);
	a.count = 1;
	a.reserved = 1;
	EXPECT_RET(raw(ma, CLFS_IOC_APPEND_BATCH, &a), -EINVAL);
	a.reserved = 0;
	a.done = 1;
	EXPECT_RET(raw(ma, CLFS_IOC_APPEND_BATCH, &a), -EINVAL);
	a.done = 0;
	a.flags = CLFS_FLAG_USE_RESERVATION;
	EXPECT_RET(raw(ma, CLFS_IOC_APPEND_BATCH, &a), -EINVAL);
	a.flags = 0x80;
	EXPECT_RET(raw(ma, CLFS_IOC_APPEND_BATCH, &a), -EINVAL);
	a.flags = 0;
	a.records = 8;
	EXPECT_RET(raw(ma, CLFS_IOC_APPEND_BATCH, &a), -EFAULT);
	a.records = (uintptr_t)r;
	r[0].data = 8;
	EXPECT_RET(raw(ma, CLFS_IOC_APPEND_BATCH, &a), -EFAULT);
	r[0].data = (uintptr_t)big;
	r[0].len = BLOCK;		/* fits no 64 KiB block */
	EXPECT_RET(raw(ma, CLFS_IOC_APPEND_BATCH, &a), -EMSGSIZE);
	r[0].len = 3 << 20;		/* with the next: over 4 MiB in all */
	r[1].len = 2 << 20;
	a.count = 2;
	EXPECT_RET(raw(ma, CLFS_IOC_APPEND_BATCH, &a), -EMSGSIZE);
	r[0].len = r[1].len = 1;
	r[1].type = 9;
	EXPECT_RET(raw(ma, CLFS_IOC_APPEND_BATCH, &a), -EINVAL);
	info(log, &li);
	EXPECT_EQ(li.appends, 4);
	EXPECT_EQ(li.last_lsn, L(0, 4096, 3));
	for (i = 0; i < 4; i++) {
		r[i].data = (uintptr_t)txt[i];
		r[i].len = strlen(txt[i]);
		r[i].type = i == 3 ? CLFS_RECORD_RESTART : CLFS_RECORD_DATA;
		r[i].lsn = L(0, 4096, i);
	}
	test_read_batch(ma, r);
	test_one_copy(log, &ma);
	test_small_copy(log, &ma);
	test_unpinnable(ma);
	close(ma);
	close(log);
}

int main(int argc, char **argv)
{
	struct stat s1, s2;
	int ctl, log, ma;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 3) {
		fprintf(stderr, "usage: clfs_uapi_test DEV1 DEV2\n");
		return 2;
	}
	dev1 = argv[1];
	dev2 = argv[2];
	REQUIRE(stat(dev1, &s1) == 0 && stat(dev2, &s2) == 0);
	printf("clfs_uapi_test: %zu-bit, %s and %s\n", sizeof(long) * 8, dev1,
	       dev2);
	ctl = clfs_open_control();
	REQUIRE(ctl >= 0);
	test_control(ctl);
	log = test_create(ctl);
	test_log(log, s1.st_rdev, s2.st_rdev);
	ma = clfs_create_marshalling_area(log, 0, 8);
	REQUIRE(ma >= 0);
	test_append(log, ma);
	test_restart(log, ma);
	test_read(ma);
	test_tails(log, ma);
	test_close_race(ma, log);
	test_processes(ma);
	test_areas(log);
	test_lifetime(ctl, log, ma);
	test_unprivileged(ctl);
	test_reopen(ctl);
	test_streams(ctl);
	test_batch(ctl);
	close(ctl);
	printf("clfs_uapi_test: %d failures\n", failures);
	return failures > 100 ? 100 : failures;
}
