// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "clfs_share": many clients on one log, through the exported
 * API, on the crash-simulation device /dev/clfscrash5.
 *
 *   - shared opens: a second open returns the same log, counted; create on
 *     an open log is -EBUSY; an open writes nothing to the device (only
 *     the first marshalling area persists the new sequence floor); the
 *     last close releases the device;
 *   - reads without a marshalling area, also after it is deleted;
 *   - followers: clfs_read_follow() returns only durable records, says
 *     -EAGAIN and -ETIMEDOUT when none is there, wakes for each flush
 *     while a writer appends, and -EIO once the log has shut down;
 *   - opens and closes of one log racing each other, with readers and a
 *     writer on the same log, and the first open and last close meeting.
 *
 * Every expectation is an exact LSN, byte count or errno.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <linux/clfs.h>
#include "test/clfs_crashdev.h"
#include "test/clfs_test_util.h"

#define S_BLOCK		8192U
#define S_CONT		(512ULL << 10)
#define S_FOLLOW	60	/* records a follower waits for */
#define S_RACERS	4	/* threads opening and closing */
#define S_ROUNDS	40	/* opens and closes per racer */

static struct clfs_crashdev *clfs_s_dev;

static const char *s_path(void)
{
	return clfs_crashdev_path(clfs_s_dev);
}

static void s_create(struct kunit *test, struct clfs_log **log,
		     struct clfs_marshal **ma)
{
	struct clfs_create_params p = {
		.block_size = S_BLOCK, .container_size = S_CONT,
		.n_containers = 4,
	};

	clfs_crashdev_reset(clfs_s_dev);
	KUNIT_ASSERT_EQ(test, clfs_log_create(s_path(), &p, log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(*log, S_BLOCK, 4, ma), 0);
}

static void s_append(struct kunit *test, struct clfs_marshal *ma, u32 i,
		     u32 flags, u64 *lsn)
{
	KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 7, i, 100 + i,
					       CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA, flags, lsn), 0);
}

static u64 s_generation(struct kunit *test, struct clfs_log *log)
{
	struct clfs_log_info info;

	KUNIT_EXPECT_EQ(test, clfs_log_query(log, &info), 0);
	return info.generation;
}

/* Shared opens: one log, counted openers, nothing written by an open. */
static void clfs_share_open_test(struct kunit *test)
{
	struct clfs_create_params p = {
		.block_size = S_BLOCK, .container_size = S_CONT,
		.n_containers = 4,
	};
	struct clfs_log *log, *a, *b;
	struct clfs_read_ctx *ctx;
	struct clfs_log_info info;
	const char *dev[1];
	struct clfs_marshal *ma, *ma2;
	struct clfs_record rec;
	u64 lsn[3], gen, floor, writes;
	u32 i;

	s_create(test, &log, &ma);
	for (i = 0; i < 3; i++)
		s_append(test, ma, i, CLFS_FLAG_FORCE_FLUSH, &lsn[i]);
	KUNIT_EXPECT_EQ(test, lsn[0], clfs_lsn_make(0, 4096, 0));
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);

	writes = clfs_crashdev_writes(clfs_s_dev);
	KUNIT_ASSERT_EQ(test, clfs_log_open(s_path(), NULL, 0, &a), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_open(s_path(), NULL, 0, &b), 0);
	KUNIT_EXPECT_PTR_EQ(test, a, b);
	KUNIT_EXPECT_EQ(test, clfs_log_create(s_path(), &p, &log), -EBUSY);
	/* The base device is no other device of the log. */
	dev[0] = s_path();
	KUNIT_EXPECT_EQ(test, clfs_log_open(s_path(), dev, 1, &log), -EINVAL);
	dev[0] = "/dev/clfs-no-such";
	KUNIT_EXPECT_EQ(test, clfs_log_open(s_path(), dev, 1, &log), -ENOENT);
	gen = s_generation(test, a);
	KUNIT_ASSERT_EQ(test, clfs_log_query(a, &info), 0);
	floor = info.seq_floor;

	/* Reads need no marshalling area. */
	KUNIT_ASSERT_EQ(test, clfs_read_record(a, lsn[1], CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 7, 1, 101), 0);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, lsn[2]);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	/* Not the last opener: the context does not hold the close up. */
	KUNIT_EXPECT_EQ(test, clfs_log_close(a), 0);
	KUNIT_EXPECT_EQ(test, clfs_log_close(b), -EBUSY);
	clfs_read_terminate(ctx);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(clfs_s_dev), writes);

	/* b is still open; the first area arms the log: one metadata write. */
	KUNIT_EXPECT_EQ(test, s_generation(test, b), gen);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(b, S_BLOCK, 4, &ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(b, &info), 0);
	KUNIT_EXPECT_EQ(test, info.generation, gen + 1);
	KUNIT_EXPECT_GT(test, info.seq_floor, floor);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(clfs_s_dev), writes + 1);
	s_append(test, ma, 3, CLFS_FLAG_FORCE_FLUSH, &lsn[0]);
	KUNIT_EXPECT_EQ(test, lsn[0], clfs_lsn_make(0, 4096 + 3 * 512, 0));
	/* A second area of the same log writes no metadata again. */
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(b, 4096, 1, &ma2), 0);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(clfs_s_dev), writes + 2);
	KUNIT_EXPECT_EQ(test, s_generation(test, b), gen + 1);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma2), 0);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma), 0);
	KUNIT_EXPECT_EQ(test, clfs_log_close(b), 0);

	/*
	 * The last close released the device, after one metadata write: the
	 * clean-close marker.  A fresh open finds the end there.
	 */
	KUNIT_ASSERT_EQ(test, clfs_log_open(s_path(), NULL, 0, &a), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(a, &info), 0);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn[0]);
	KUNIT_EXPECT_EQ(test, info.generation, gen + 2);
	KUNIT_EXPECT_EQ(test, clfs_log_close(a), 0);
}

struct s_follower {
	struct work_struct work;
	struct clfs_log *log;
	struct clfs_read_ctx *ctx;
	u64 lsn[S_FOLLOW];
	u32 n;
	u32 bad;		/* records not durable when returned, or wrong */
	int ret;
};

static void s_follower_fn(struct work_struct *work)
{
	struct s_follower *f = container_of(work, struct s_follower, work);
	struct clfs_log_info info;
	struct clfs_record rec;

	while (f->n < S_FOLLOW) {
		f->ret = clfs_read_follow(f->ctx, &rec, 30 * HZ);
		if (f->ret)
			return;
		if (clfs_log_query(f->log, &info) ||
		    info.flushed_lsn == CLFS_LSN_INVALID ||
		    info.flushed_lsn < rec.lsn ||
		    clfs_test_check(&rec, 7, f->n + 1, 101 + f->n))
			f->bad++;
		f->lsn[f->n++] = rec.lsn;
	}
}

/* A follower sees every record once it is durable, and only then. */
static void clfs_share_follow_test(struct kunit *test)
{
	struct workqueue_struct *wq;
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	struct s_follower *f;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u64 lsn[S_FOLLOW + 1];
	u32 i;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	s_create(test, &log, &ma);
	s_append(test, ma, 0, CLFS_FLAG_FORCE_FLUSH, &lsn[0]);
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[0], CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, clfs_read_follow(ctx, &rec, 0), -EAGAIN);
	KUNIT_EXPECT_EQ(test, clfs_read_ready(ctx, clfs_read_position(ctx)), 0);
	/* Appended, not durable: a follower does not see it yet. */
	s_append(test, ma, 1, 0, &lsn[1]);
	KUNIT_EXPECT_EQ(test, clfs_read_follow(ctx, &rec, 0), -EAGAIN);
	KUNIT_EXPECT_EQ(test, clfs_read_follow(ctx, &rec, 1), -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, clfs_read_ready(ctx, clfs_read_position(ctx)), 0);
	KUNIT_EXPECT_EQ(test, clfs_read_follow(ctx, &rec, -1), -EINVAL);

	/* A follower thread while records are appended and flushed. */
	f->log = log;
	f->ctx = ctx;
	wq = alloc_workqueue("clfs_s", WQ_UNBOUND, 1);
	KUNIT_ASSERT_NOT_NULL(test, wq);
	INIT_WORK(&f->work, s_follower_fn);
	queue_work(wq, &f->work);
	KUNIT_ASSERT_EQ(test, clfs_flush_buffers(ma), 0);
	for (i = 2; i <= S_FOLLOW; i++) {
		s_append(test, ma, i, i % 7 ? 0 : CLFS_FLAG_FORCE_FLUSH,
			 &lsn[i]);
		if (i % 11 == 0)
			usleep_range(2000, 3000);
	}
	KUNIT_ASSERT_EQ(test, clfs_flush_buffers(ma), 0);
	destroy_workqueue(wq);
	KUNIT_EXPECT_EQ(test, f->ret, 0);
	KUNIT_EXPECT_EQ(test, f->n, (u32)S_FOLLOW);
	KUNIT_EXPECT_EQ(test, f->bad, 0U);
	for (i = 0; i < f->n; i++)
		KUNIT_EXPECT_EQ_MSG(test, f->lsn[i], lsn[i + 1], "record %u",
				    i + 1);
	KUNIT_EXPECT_EQ(test, clfs_read_follow(ctx, &rec, 0), -EAGAIN);

	/* A log that shut down: the follower is told, not left waiting. */
	clfs_crashdev_fail(clfs_s_dev, CLFS_CRASHDEV_WRITE);
	KUNIT_EXPECT_EQ(test, clfs_test_append(ma, 7, 99, 10, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA,
					       CLFS_FLAG_FORCE_FLUSH, &lsn[0]),
			-EIO);
	KUNIT_EXPECT_EQ(test, clfs_read_follow(ctx, &rec, 10 * HZ), -EIO);
	KUNIT_EXPECT_EQ(test, clfs_read_ready(ctx, clfs_read_position(ctx)), -EIO);
	clfs_read_terminate(ctx);
	clfs_crashdev_revive(clfs_s_dev);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), -EIO);
}

struct s_racer {
	struct work_struct work;
	u64 first;		/* a record every open must read */
	u32 opens;
	int ret;
};

static void s_racer_fn(struct work_struct *work)
{
	struct s_racer *r = container_of(work, struct s_racer, work);
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	struct clfs_log *log;
	u32 i;

	for (i = 0; i < S_ROUNDS && !r->ret; i++) {
		r->ret = clfs_log_open(s_path(), NULL, 0, &log);
		if (r->ret)
			return;
		r->opens++;
		r->ret = clfs_read_record(log, r->first, CLFS_READ_FORWARD,
					  CLFS_TYPE_ANY, &ctx, &rec);
		if (!r->ret) {
			if (clfs_test_check(&rec, 7, 0, 100))
				r->ret = -EBADMSG;
			clfs_read_terminate(ctx);
		}
		if (i % 3 == 0)
			usleep_range(100, 300);
		if (!r->ret)
			r->ret = clfs_log_close(log);
		else
			clfs_log_close(log);
	}
}

static void s_race(struct kunit *test, struct s_racer *r, u64 first,
		   struct clfs_marshal *ma, u32 *appended)
{
	struct workqueue_struct *wq;
	u64 lsn;
	u32 t;

	wq = alloc_workqueue("clfs_s", WQ_UNBOUND, S_RACERS);
	KUNIT_ASSERT_NOT_NULL(test, wq);
	for (t = 0; t < S_RACERS; t++) {
		r[t].first = first;
		r[t].ret = 0;
		r[t].opens = 0;
		INIT_WORK(&r[t].work, s_racer_fn);
		queue_work(wq, &r[t].work);
	}
	while (ma && *appended < 200) {
		s_append(test, ma, *appended, *appended % 5 ?
			 0 : CLFS_FLAG_FORCE_FLUSH, &lsn);
		(*appended)++;
	}
	destroy_workqueue(wq);
	for (t = 0; t < S_RACERS; t++) {
		KUNIT_EXPECT_EQ_MSG(test, r[t].ret, 0, "racer %u", t);
		KUNIT_EXPECT_EQ_MSG(test, r[t].opens, (u32)S_ROUNDS,
				    "racer %u", t);
	}
}

/*
 * Opens and closes racing: first against a writer holding the log open
 * (every open shares it), then with nobody else (each open may be the
 * first, and each close the last, while others open).
 */
static void clfs_share_race_test(struct kunit *test)
{
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	struct s_racer *r;
	u32 appended = 0;
	u64 first = clfs_lsn_make(0, 4096, 0);
	u64 writes;

	r = kunit_kcalloc(test, S_RACERS, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	s_create(test, &log, &ma);
	s_append(test, ma, 0, CLFS_FLAG_FORCE_FLUSH, &first);
	appended = 1;
	s_race(test, r, first, ma, &appended);
	KUNIT_EXPECT_EQ(test, appended, 200U);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.appends, 200ULL);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);

	writes = clfs_crashdev_writes(clfs_s_dev);
	s_race(test, r, first, NULL, NULL);
	/* Read-only users: nothing was written by any open or close. */
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(clfs_s_dev), writes);
	KUNIT_ASSERT_EQ(test, clfs_log_open(s_path(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.first_lsn, first);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static int clfs_share_suite_init(struct kunit_suite *suite)
{
	clfs_s_dev = clfs_crashdev_create("clfscrash5", 4ULL << 20, 512);
	return PTR_ERR_OR_ZERO(clfs_s_dev);
}

static void clfs_share_suite_exit(struct kunit_suite *suite)
{
	clfs_crashdev_destroy(clfs_s_dev);
}

static struct kunit_case clfs_share_cases[] = {
	KUNIT_CASE(clfs_share_open_test),
	KUNIT_CASE(clfs_share_follow_test),
	KUNIT_CASE(clfs_share_race_test),
	{}
};

static struct kunit_suite clfs_share_test_suite = {
	.name = "clfs_share",
	.suite_init = clfs_share_suite_init,
	.suite_exit = clfs_share_suite_exit,
	.test_cases = clfs_share_cases,
};

kunit_test_suites(&clfs_share_test_suite);
