// SPDX-License-Identifier: GPL-2.0
/*
 * clfs_ring_test DEV: appends and flushes through io_uring (the module's
 * io_uring commands, libclfs rings), in the guest.
 *
 * - Forced appends queued on one ring from one thread: exact order, every
 *   record durable and read back, fewer device writes than records; the
 *   same through the fallback (CLFS_RING_NO_URING), one write each.
 * - Flushes: of a durable record (at once), of a record beyond the end
 *   (ENOENT), of everything; raw commands with reserved bytes (EINVAL),
 *   another ioctl (EOPNOTSUPP), a bad argument pointer (EFAULT).
 * - Lifetimes: the area's descriptor closed while commands wait; the ring
 *   torn down while they wait; a process that exits while they wait.
 *   Each time every command completes and every record survives.
 * - A truncating thread against forced ring appends: a completion says 0
 *   only for a record that was durable, ENOENT only after a truncation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <liburing.h>

#include "libclfs.h"
#include "clfs_fail.h"

_Static_assert(sizeof(struct clfs_uring_cmd) == 16, "clfs_uring_cmd");

#define MiB (1024ULL * 1024)
#define BLOCK 65536U
#define DEPTH 64U

#define CHECK(cond, ...) do {						\
	if (!(cond))							\
		failf(__VA_ARGS__);					\
} while (0)

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		failf("%s:%d: required: %s", __FILE__, __LINE__, #cond);	\
		exit(100);						\
	}								\
} while (0)

static int ctl;
static const char *dev;

/* A new log on @dev and a marshalling area of it. */
static void new_log(int *log, int *ma)
{
	int d = open(dev, O_RDWR | O_CLOEXEC);

	REQUIRE(d >= 0);
	*log = clfs_create_log_file(ctl, d, NULL, BLOCK, MiB, 8);
	close(d);
	REQUIRE(*log >= 0);
	*ma = clfs_create_marshalling_area(*log, 0, 8);
	REQUIRE(*ma >= 0);
}

static void info(int log, struct clfs_log_info *i)
{
	REQUIRE(clfs_query_log_file_information(log, i) == 0);
}

static void record_text(char *buf, size_t len, unsigned int round,
			unsigned int i)
{
	snprintf(buf, len, "ring %u record %u", round, i);
}

/* Record @lsn holds text @want. */
static void check_record(int ma, uint64_t lsn, const char *want)
{
	struct clfs_record_info ri;
	char buf[128];
	int ctx, ret;

	ret = clfs_read_log_record(ma, lsn, CLFS_READ_FORWARD, CLFS_TYPE_ANY,
				   buf, sizeof(buf), &ri, &ctx);
	if (ret) {
		failf("read of %#" PRIx64 " -> %d", lsn, ret);
		return;
	}
	close(ctx);
	CHECK(ri.length == strlen(want) && !memcmp(buf, want, ri.length),
	      "record %#" PRIx64 " reads back \"%.*s\", want \"%s\"", lsn,
	      (int)ri.length, buf, want);
}

/*
 * @n forced appends of round @round on a ring of mode @flags, submitted
 * together; returns the blocks written for them.
 */
static uint64_t forced_round(int log, int ma, uint32_t flags,
			     unsigned int round, unsigned int n)
{
	struct clfs_ring_done d[DEPTH];
	char text[DEPTH][32];
	struct clfs_log_info before, after;
	uint64_t lsn[DEPTH], last = 0;
	struct clfs_ring *r;
	unsigned int i, got = 0;
	int ret;

	REQUIRE(n <= DEPTH);
	REQUIRE(clfs_ring_open(ma, DEPTH, flags, &r) == 0);
	CHECK(clfs_ring_mode(r) == (flags ? CLFS_RING_MODE_IOCTL :
					    CLFS_RING_MODE_URING),
	      "ring mode %d with flags %#x", clfs_ring_mode(r), flags);
	info(log, &before);
	for (i = 0; i < n; i++) {
		struct iovec iov;

		record_text(text[i], sizeof(text[i]), round, i);
		iov.iov_base = text[i];
		iov.iov_len = strlen(text[i]);
		REQUIRE(clfs_ring_append(r, &iov, 1, CLFS_LSN_INVALID,
					 CLFS_LSN_INVALID,
					 CLFS_FLAG_FORCE_FLUSH, 1000 + i) == 0);
	}
	ret = clfs_ring_submit(r);
	CHECK(ret == (int)n, "submit %u -> %d", n, ret);
	while (got < n) {
		ret = clfs_ring_wait(r, d + got, n - got, 1);
		if (ret <= 0) {
			failf("wait -> %d after %u of %u", ret, got, n);
			break;
		}
		got += (unsigned int)ret;
	}
	for (i = 0; i < n; i++)
		lsn[i] = CLFS_LSN_INVALID;
	for (i = 0; i < got; i++) {
		unsigned int t = (unsigned int)(d[i].tag - 1000);

		CHECK(t < n && d[i].ret == 0 &&
		      d[i].cmd == (uint32_t)CLFS_IOC_RESERVE_AND_APPEND,
		      "completion %u: tag %" PRIu64 " ret %d", i, d[i].tag,
		      d[i].ret);
		if (t < n)
			lsn[t] = d[i].lsn;
	}
	info(log, &after);
	for (i = 0; i < n; i++) {
		CHECK(lsn[i] != CLFS_LSN_INVALID && (!i || lsn[i] > lsn[i - 1]),
		      "round %u record %u: LSN %#" PRIx64 " after %#" PRIx64,
		      round, i, lsn[i], i ? lsn[i - 1] : 0);
		last = lsn[i];
	}
	CHECK(after.flushed_lsn >= last && after.last_lsn == last,
	      "round %u: flushed %#llx, last %#llx, want %#" PRIx64, round,
	      (unsigned long long)after.flushed_lsn,
	      (unsigned long long)after.last_lsn, last);
	CHECK(after.appends - before.appends == n, "round %u: %llu appends",
	      round, (unsigned long long)(after.appends - before.appends));
	for (i = 0; i < n; i++)
		if (lsn[i] != CLFS_LSN_INVALID)
			check_record(ma, lsn[i], text[i]);
	clfs_ring_close(r);
	return after.blocks_written - before.blocks_written;
}

static void test_forced(int log, int ma)
{
	uint64_t w;

	w = forced_round(log, ma, 0, 0, 32);
	printf("io_uring: 32 forced appends from one thread in %" PRIu64
	       " block writes\n", w);
	/*
	 * How many share a write depends on timing: a device that finishes
	 * each write before the next append comes gets one write each (seen
	 * once in a 6.1 guest).  That appends in flight wait in the open
	 * buffer for the write before them is KUnit's to show, with the
	 * write held (clfs_restart_async_flush_test); make bench measures
	 * the records per write (clfs-forced-ring).
	 */
	CHECK(w >= 1 && w <= 32, "io_uring: %" PRIu64 " writes for 32 records",
	      w);
	w = forced_round(log, ma, CLFS_RING_NO_URING, 1, 8);
	CHECK(w == 8, "fallback: %" PRIu64 " writes for 8 records", w);
}

/* One raw command on @ring, its completion's res (and extra word). */
static int raw_cmd(struct io_uring *ring, int fd, uint32_t op, void *arg,
		   uint64_t reserved, uint64_t *extra)
{
	struct clfs_uring_cmd c = { .arg = (uintptr_t)arg,
				    .reserved = reserved };
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct io_uring_cqe *cqe;
	int ret;

	REQUIRE(sqe);
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = op;
	memcpy(sqe->cmd, &c, sizeof(c));
	REQUIRE(io_uring_submit_and_wait(ring, 1) == 1);
	REQUIRE(io_uring_wait_cqe(ring, &cqe) == 0);
	ret = cqe->res;
	if (extra)
		*extra = cqe->big_cqe[0];
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

/*
 * A ring on a descriptor that is no marshalling area runs its commands
 * as ioctls, which fail as they would.  /dev/null takes io_uring commands
 * and completes each with 0 doing nothing: its ring once reported
 * appends that never happened.
 */
static void test_not_an_area(void)
{
	struct clfs_ring_done d;
	struct clfs_ring *r;
	char text[] = "none";
	struct iovec iov = { text, 4 };
	int fd = open("/dev/null", O_RDWR), ret;

	REQUIRE(fd >= 0);
	REQUIRE(clfs_ring_open(fd, 4, 0, &r) == 0);
	CHECK(clfs_ring_mode(r) == CLFS_RING_MODE_IOCTL,
	      "a ring on /dev/null: mode %d", clfs_ring_mode(r));
	REQUIRE(clfs_ring_append(r, &iov, 1, CLFS_LSN_INVALID,
				 CLFS_LSN_INVALID, 0, 1) == 0);
	CHECK(clfs_ring_submit(r) == 1, "submit on /dev/null");
	ret = clfs_ring_wait(r, &d, 1, 1);
	CHECK(ret == 1 && d.ret == -ENOTTY && d.lsn == CLFS_LSN_INVALID,
	      "an append on /dev/null: %d, ret %d", ret, d.ret);
	clfs_ring_close(r);
	close(fd);
}

/*
 * A ring keeps the area it was opened on: the caller's descriptor number
 * made to name /dev/null afterwards (dup2) changes nothing.  The ring
 * used that number at each submission once, and its appends "completed"
 * through /dev/null, with 0 and no LSN.
 */
static void test_fd_reused(int log, int ma)
{
	int fd = dup(ma), null = open("/dev/null", O_RDWR), ret;
	struct clfs_log_info li;
	struct clfs_ring_done d;
	struct clfs_ring *r;
	char text[] = "pinned";
	struct iovec iov = { text, 6 };

	REQUIRE(fd >= 0 && null >= 0);
	REQUIRE(clfs_ring_open(fd, 4, 0, &r) == 0);
	REQUIRE(dup2(null, fd) == fd);
	REQUIRE(clfs_ring_append(r, &iov, 1, CLFS_LSN_INVALID,
				 CLFS_LSN_INVALID, CLFS_FLAG_FORCE_FLUSH,
				 1) == 0);
	CHECK(clfs_ring_submit(r) == 1, "submit after dup2");
	ret = clfs_ring_wait(r, &d, 1, 1);
	info(log, &li);
	CHECK(ret == 1 && d.ret == 0 && d.lsn == li.last_lsn &&
	      li.flushed_lsn >= d.lsn,
	      "append after the descriptor was reused: %d, ret %d, lsn %#"
	      PRIx64 " (last %#llx)", ret, d.ret, d.lsn,
	      (unsigned long long)li.last_lsn);
	if (ret == 1 && !d.ret)
		check_record(ma, d.lsn, text);
	clfs_ring_close(r);
	close(fd);
	close(null);
}

static void test_flush_and_errors(int log, int ma)
{
	struct clfs_flush f = { .size = sizeof(f) };
	struct clfs_log_info li;
	struct io_uring ring;
	uint64_t extra = 7;
	int64_t rsv;
	char text[] = "plain";
	struct clfs_iovec ci = { (uintptr_t)text, 5 };
	struct clfs_append a = {
		.size = sizeof(a), .iov = (uintptr_t)&ci, .n_iov = 1,
		.undo_next = CLFS_LSN_INVALID, .previous = CLFS_LSN_INVALID,
	};
	int ret;

	REQUIRE(io_uring_queue_init(8, &ring, IORING_SETUP_CQE32) == 0);
	/* A plain append completes at once, its LSN written. */
	ret = raw_cmd(&ring, ma, CLFS_IOC_RESERVE_AND_APPEND, &a, 0, NULL);
	info(log, &li);
	CHECK(ret == 0 && a.lsn == li.last_lsn && li.flushed_lsn < a.lsn,
	      "plain append -> %d, lsn %#llx (last %#llx, flushed %#llx)",
	      ret, (unsigned long long)a.lsn,
	      (unsigned long long)li.last_lsn,
	      (unsigned long long)li.flushed_lsn);
	/* A flush to it waits for its write, and says how far all is. */
	f.lsn = a.lsn;
	ret = raw_cmd(&ring, ma, CLFS_IOC_FLUSH_TO_LSN, &f, 0, &extra);
	CHECK(ret == 0 && extra >= a.lsn,
	      "flush to the plain record -> %d, flushed %#" PRIx64, ret,
	      extra);
	/* Durable already: at once, @flushed written. */
	f.flushed = 0;
	ret = raw_cmd(&ring, ma, CLFS_IOC_FLUSH_TO_LSN, &f, 0, NULL);
	CHECK(ret == 0 && f.flushed >= a.lsn, "flush again -> %d, %#llx",
	      ret, (unsigned long long)f.flushed);
	f.lsn = a.lsn + 1;
	ret = raw_cmd(&ring, ma, CLFS_IOC_FLUSH_TO_LSN, &f, 0, NULL);
	CHECK(ret == -ENOENT, "flush beyond the end -> %d, want ENOENT", ret);
	ret = raw_cmd(&ring, ma, CLFS_IOC_FLUSH_BUFFERS, &f, 0, NULL);
	CHECK(ret == 0, "flush everything -> %d", ret);
	ret = raw_cmd(&ring, ma, CLFS_IOC_FLUSH_TO_LSN, &f, 1, NULL);
	CHECK(ret == -EINVAL, "reserved bytes -> %d, want EINVAL", ret);
	ret = raw_cmd(&ring, ma, CLFS_IOC_TRUNCATE, &f, 0, NULL);
	CHECK(ret == -EOPNOTSUPP, "TRUNCATE -> %d, want EOPNOTSUPP", ret);
	ret = raw_cmd(&ring, ma, CLFS_IOC_FLUSH_TO_LSN, (void *)8, 0, NULL);
	CHECK(ret == -EFAULT, "bad argument pointer -> %d, want EFAULT", ret);
	a.flags = 0x80;
	ret = raw_cmd(&ring, ma, CLFS_IOC_RESERVE_AND_APPEND, &a, 0, NULL);
	CHECK(ret == -EINVAL, "bad append flags -> %d, want EINVAL", ret);
	/* A forced record with a reservation: both before the completion. */
	rsv = 64;
	a.flags = CLFS_FLAG_FORCE_FLUSH;
	a.n_rsv = 1;
	a.rsv = (uintptr_t)&rsv;
	a.lsn = 0;
	ret = raw_cmd(&ring, ma, CLFS_IOC_RESERVE_AND_APPEND, &a, 0, &extra);
	info(log, &li);
	CHECK(ret == 0 && a.lsn == li.last_lsn && extra >= a.lsn &&
	      li.flushed_lsn >= a.lsn && rsv > 64 && li.reserved_records == 1,
	      "forced append with a reservation -> %d, lsn %#llx, flushed %#"
	      PRIx64 ", rounded %lld, %llu reserved", ret,
	      (unsigned long long)a.lsn, extra, (long long)rsv,
	      (unsigned long long)li.reserved_records);
	rsv = -64;
	CHECK(clfs_reserve_and_append_log(ma, NULL, 0, CLFS_LSN_INVALID,
					  CLFS_LSN_INVALID, 1, &rsv, 0,
					  NULL) == 0, "release the reservation");
	/* Not a marshalling area: the log descriptor has no commands. */
	ret = raw_cmd(&ring, log, CLFS_IOC_FLUSH_BUFFERS, &f, 0, NULL);
	CHECK(ret == -EOPNOTSUPP, "command on a log fd -> %d", ret);
	CHECK(clfs_ring_open(ma, 4, 0, NULL) == -EINVAL, "ring_open(NULL)");
	test_not_an_area();
	CHECK(clfs_ring_open(ma, 0, 0, &(struct clfs_ring *){ NULL }) ==
	      -EINVAL, "ring_open(depth 0)");
	io_uring_queue_exit(&ring);
}

/*
 * Forced appends in flight meet the end of what they run on: the area's
 * descriptor closed (@how 0), the ring torn down (1), the process gone
 * (2).  Every record is durable afterwards.
 */
static void test_lifetime(int log, int how)
{
	struct clfs_log_info li;
	struct io_uring ring;
	char text[16][24];
	struct clfs_iovec ci[16];
	struct clfs_append a[16];
	int ma, i, st;
	pid_t pid = 0;

	ma = clfs_create_marshalling_area(log, 0, 8);
	REQUIRE(ma >= 0);
	if (how == 2) {
		pid = fork();
		REQUIRE(pid >= 0);
	}
	if (!pid) {
		REQUIRE(io_uring_queue_init(32, &ring, IORING_SETUP_CQE32) == 0);
		for (i = 0; i < 16; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
			struct clfs_uring_cmd c = { .arg = (uintptr_t)&a[i] };

			snprintf(text[i], sizeof(text[i]), "life %d %d", how, i);
			ci[i].base = (uintptr_t)text[i];
			ci[i].len = strlen(text[i]);
			memset(&a[i], 0, sizeof(a[i]));
			a[i].size = sizeof(a[i]);
			a[i].flags = CLFS_FLAG_FORCE_FLUSH;
			a[i].iov = (uintptr_t)&ci[i];
			a[i].n_iov = 1;
			a[i].undo_next = a[i].previous = CLFS_LSN_INVALID;
			io_uring_prep_rw(IORING_OP_URING_CMD, sqe, ma, NULL, 0,
					 0);
			sqe->cmd_op = CLFS_IOC_RESERVE_AND_APPEND;
			memcpy(sqe->cmd, &c, sizeof(c));
		}
		REQUIRE(io_uring_submit(&ring) == 16);
		if (how == 2)
			_exit(0);	/* with the commands in flight */
		if (how == 0) {
			close(ma);	/* the commands hold the area */
			ma = -1;
			for (i = 0; i < 16; i++) {
				struct io_uring_cqe *cqe;

				REQUIRE(io_uring_wait_cqe(&ring, &cqe) == 0);
				CHECK(cqe->res == 0,
				      "forced append after close -> %d",
				      cqe->res);
				io_uring_cqe_seen(&ring, cqe);
			}
		}
		io_uring_queue_exit(&ring);	/* how 1: with them in flight */
	} else {
		REQUIRE(waitpid(pid, &st, 0) == pid);
		CHECK(WIFEXITED(st) && !WEXITSTATUS(st), "child status %#x",
		      st);
	}
	if (ma < 0) {
		ma = clfs_create_marshalling_area(log, 0, 8);
		REQUIRE(ma >= 0);
	}
	/* Every record is there, and durable once a flush says so. */
	REQUIRE(clfs_flush_buffers(ma, NULL) == 0);
	info(log, &li);
	CHECK(li.flushed_lsn == li.last_lsn, "after case %d: flushed %#llx, last %#llx",
	      how, (unsigned long long)li.flushed_lsn,
	      (unsigned long long)li.last_lsn);
	if (how != 2)
		for (i = 0; i < 16; i++)
			check_record(ma, a[i].lsn, text[i]);
	close(ma);
}

/* ---- forced ring appends against truncations ----------------------- */

struct trunc_arg {
	int ma;
	volatile int stop;
	unsigned int truncations;
};

static void *truncator(void *p)
{
	struct trunc_arg *t = p;
	uint64_t to;

	while (!t->stop) {
		usleep(2000);
		/* The last record a flush made durable, or nothing. */
		if (clfs_flush_buffers(t->ma, &to) || to == CLFS_LSN_INVALID)
			continue;
		if (clfs_truncate_log(t->ma, to) == 0)
			__atomic_add_fetch(&t->truncations, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

static void test_truncate_race(int log, int ma)
{
	struct clfs_ring_done d[DEPTH];
	struct trunc_arg t = { .ma = ma };
	unsigned int ok = 0, cut = 0, round, i;
	struct clfs_ring *r;
	pthread_t th;
	char text[] = "race";
	struct iovec iov = { text, 4 };
	int ret;

	REQUIRE(clfs_ring_open(ma, DEPTH, 0, &r) == 0);
	REQUIRE(pthread_create(&th, NULL, truncator, &t) == 0);
	for (round = 0; round < 100; round++) {
		unsigned int n = 16, got = 0;

		for (i = 0; i < n; i++)
			REQUIRE(clfs_ring_append(r, &iov, 1, CLFS_LSN_INVALID,
						 CLFS_LSN_INVALID,
						 CLFS_FLAG_FORCE_FLUSH, i) == 0);
		REQUIRE(clfs_ring_submit(r) == (int)n);
		while (got < n) {
			ret = clfs_ring_wait(r, d, DEPTH, 1);
			REQUIRE(ret > 0);
			for (i = 0; i < (unsigned int)ret; i++) {
				if (d[i].ret == 0)
					ok++;
				else if (d[i].ret == -ENOENT)
					cut++;
				else
					failf("race: completion %d", d[i].ret);
			}
			got += (unsigned int)ret;
		}
	}
	t.stop = 1;
	pthread_join(th, NULL);
	clfs_ring_close(r);
	printf("truncation race: %u durable, %u cut, %u truncations\n", ok,
	       cut, t.truncations);
	CHECK(ok + cut == 1600, "race: %u completions", ok + cut);
	CHECK(!cut || t.truncations, "race: ENOENT without a truncation");
	(void)log;
}

int main(int argc, char **argv)
{
	int log, ma, how;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: clfs_ring_test DEV [DEV]\n");
		return 2;
	}
	dev = argv[1];
	ctl = clfs_open_control();
	REQUIRE(ctl >= 0);
	new_log(&log, &ma);
	test_forced(log, ma);
	test_fd_reused(log, ma);
	test_flush_and_errors(log, ma);
	for (how = 0; how < 3; how++)
		test_lifetime(log, how);
	test_truncate_race(log, ma);
	close(ma);
	close(log);
	close(ctl);
	printf("clfs_ring_test: %u failures\n", failures);
	return fail_status();
}
