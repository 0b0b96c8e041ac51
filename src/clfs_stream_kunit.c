// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "clfs_stream": multiplexed logs and their streams, through
 * the exported API, on the crash-simulation device /dev/clfscrash7.
 *
 *   - basics: a multiplexed log refuses the dedicated calls; streams are
 *     created, named, listed, opened and deleted (EEXIST, EINVAL, ENOENT,
 *     EBUSY while in use; ids never reused); records of two streams share
 *     one block and one LSN order, and each stream's reads see its own
 *     records only (by LSN, forward, and along a previous chain that
 *     leads into another stream); a flush through one stream's area makes
 *     the other's records durable; everything survives a reopen;
 *   - tails: each stream's base, archive tail and restart chain are its
 *     own; the log's start is the lowest stream start, and the stream
 *     holding it is reported (pin_stream); truncation is refused;
 *   - recycling: a stream that never moves its base holds recycling back
 *     until the log is full (ENOSPC, pin_stream names it); deleting it
 *     lets the other stream go on;
 *   - crash: after a crash each stream keeps exactly its acknowledged
 *     records, and its end is rebuilt by recovery;
 *   - concurrency: writer threads each on a stream of its own, while
 *     another thread creates, lists, opens, reads and deletes streams;
 *     then each stream reads back exactly its records, in order.
 *
 * Every expectation is an exact LSN, byte count or errno.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <linux/clfs.h>
#include "format/clfs_format.h"
#include "test/clfs_crashdev.h"
#include "test/clfs_test_util.h"

#define S_BLOCK		8192U
#define S_CONT		(512ULL << 10)
#define S_WRITERS	3	/* threads, each on its own stream */
#define S_RECORDS	300	/* records per writer */
#define S_NAME32	"abcdefghijklmnopqrstuvwxyz012345"

static struct clfs_crashdev *clfs_s7_dev;

static const char *s_path(void)
{
	return clfs_crashdev_path(clfs_s7_dev);
}

static void s_create(struct kunit *test, struct clfs_log **log, u32 n)
{
	struct clfs_create_params p = {
		.block_size = S_BLOCK, .container_size = S_CONT,
		.n_containers = n, .flags = CLFS_CREATE_MULTIPLEXED,
	};

	clfs_crashdev_reset(clfs_s7_dev);
	KUNIT_ASSERT_EQ(test, clfs_log_create(s_path(), &p, log), 0);
}

/* Open stream @name and an area on it. */
static void s_open(struct kunit *test, struct clfs_log *log, const char *name,
		   struct clfs_stream **st, struct clfs_marshal **ma)
{
	KUNIT_ASSERT_EQ(test, clfs_stream_open(log, name, st), 0);
	KUNIT_ASSERT_EQ(test, clfs_stream_marshal_create(*st, S_BLOCK, 4, ma),
			0);
}

/* A new multiplexed log with streams @n1 and @n2, each open with an area. */
static void s_two(struct kunit *test, struct clfs_log **log, const char *n1,
		  const char *n2, struct clfs_stream **s1,
		  struct clfs_marshal **m1, struct clfs_stream **s2,
		  struct clfs_marshal **m2)
{
	s_create(test, log, 4);
	KUNIT_ASSERT_EQ(test, clfs_stream_create(*log, n1, NULL), 0);
	KUNIT_ASSERT_EQ(test, clfs_stream_create(*log, n2, NULL), 0);
	s_open(test, *log, n1, s1, m1);
	s_open(test, *log, n2, s2, m2);
}

static void s_close(struct clfs_stream *st, struct clfs_marshal *ma)
{
	clfs_marshal_delete(ma);
	clfs_stream_close(st);
}

/* Append record @i of @len bytes (contents from seed 7). */
static int s_append(struct clfs_marshal *ma, u32 i, u32 len, u64 prev,
		    u32 flags, u64 *lsn)
{
	return clfs_test_append(ma, 7, i, len, CLFS_LSN_INVALID, prev,
				CLFS_RECORD_DATA, flags, lsn);
}

/* The stream table, @n entries expected. */
static void s_list(struct kunit *test, struct clfs_log *log, u32 n,
		   struct clfs_stream_entry *e)
{
	u32 total = 0;

	KUNIT_ASSERT_EQ(test, clfs_stream_list(log, e, 8, &total), 0);
	KUNIT_ASSERT_EQ(test, total, n);
}

static void clfs_stream_basic_test(struct kunit *test)
{
	struct clfs_stream *a, *b, *c;
	struct clfs_stream_entry e[8];
	struct clfs_marshal *ma, *mb;
	struct clfs_read_ctx *ctx;
	struct clfs_log_info info;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 lsn[3], flushed;
	u32 id;

	s_create(test, &log, 4);
	/* The log's own calls are a dedicated log's. */
	KUNIT_EXPECT_PTR_EQ(test, clfs_log_dedicated_stream(log),
			    (struct clfs_stream *)NULL);
	KUNIT_EXPECT_EQ(test, clfs_marshal_create(log, S_BLOCK, 2, &ma),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log,
						   clfs_lsn_make(0, 4096, 0)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_set_archive_tail(log, 1), -EINVAL);

	KUNIT_ASSERT_EQ(test, clfs_stream_create(log, "a", &id), 0);
	KUNIT_EXPECT_EQ(test, id, 1U);
	KUNIT_ASSERT_EQ(test, clfs_stream_create(log, "b.2_x-Y", &id), 0);
	KUNIT_EXPECT_EQ(test, id, 2U);
	KUNIT_EXPECT_EQ(test, clfs_stream_create(log, "a", &id), -EEXIST);
	KUNIT_EXPECT_EQ(test, clfs_stream_create(log, "", &id), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_stream_create(log, "a/b", &id), -EINVAL);
	/* 32 bytes: one too many. */
	KUNIT_EXPECT_EQ(test, clfs_stream_create(log, S_NAME32, &id), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_stream_open(log, "c", &c), -ENOENT);

	s_open(test, log, "a", &a, &ma);
	s_open(test, log, "b.2_x-Y", &b, &mb);
	/*
	 * One block, one LSN order; a's second record links to b's, which
	 * links back to a's first.
	 */
	KUNIT_ASSERT_EQ(test, s_append(ma, 0, 100, CLFS_LSN_INVALID, 0,
				       &lsn[0]), 0);
	KUNIT_ASSERT_EQ(test, s_append(mb, 1, 200, lsn[0], 0, &lsn[1]), 0);
	KUNIT_ASSERT_EQ(test, s_append(ma, 2, 300, lsn[1], 0, &lsn[2]), 0);
	KUNIT_EXPECT_EQ(test, lsn[0], clfs_lsn_make(0, 4096, 0));
	KUNIT_EXPECT_EQ(test, lsn[1], clfs_lsn_make(0, 4096, 1));
	KUNIT_EXPECT_EQ(test, lsn[2], clfs_lsn_make(0, 4096, 2));

	/* Each stream reads its own records only. */
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(a, lsn[0]), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(a, lsn[1]), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(b, lsn[1]), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(b, lsn[2]), -ENOENT);
	KUNIT_ASSERT_EQ(test, clfs_stream_read_record(a, lsn[0],
						      CLFS_READ_FORWARD,
						      CLFS_TYPE_ANY, &ctx,
						      &rec), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 7, 0, 100), 0U);
	KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, lsn[2]);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 7, 2, 300), 0U);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_read_next_at(ctx, lsn[1], &rec), -ENOENT);
	clfs_read_terminate(ctx);
	/* A previous chain that leads into another stream ends there. */
	KUNIT_ASSERT_EQ(test, clfs_stream_read_record(a, lsn[2],
						      CLFS_READ_PREVIOUS,
						      CLFS_TYPE_ANY, &ctx,
						      &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.previous, lsn[1]);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	/* The end stays: the context never stands on b's record. */
	KUNIT_EXPECT_EQ(test, clfs_read_position(ctx), lsn[2]);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);

	/* b's flush of its own record makes a's later one durable too. */
	KUNIT_EXPECT_EQ(test, clfs_flush_to_lsn(mb, lsn[1], &flushed), 0);
	KUNIT_EXPECT_EQ(test, flushed, lsn[2]);

	KUNIT_ASSERT_EQ(test, clfs_stream_query(a, &info), 0);
	KUNIT_EXPECT_EQ(test, info.stream_id, 1U);
	KUNIT_EXPECT_EQ(test, info.first_lsn, lsn[0]);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn[2]);
	KUNIT_EXPECT_EQ(test, info.base_lsn, CLFS_LSN_NULL);
	KUNIT_EXPECT_EQ(test, info.flushed_lsn, lsn[2]);
	KUNIT_ASSERT_EQ(test, clfs_stream_query(b, &info), 0);
	KUNIT_EXPECT_EQ(test, info.first_lsn, lsn[1]);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn[1]);
	/* A stream's flushed LSN never passes its last record. */
	KUNIT_EXPECT_EQ(test, info.flushed_lsn, lsn[1]);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.flags, CLFS_INFO_MULTIPLEXED);
	KUNIT_EXPECT_EQ(test, info.n_streams, 2U);
	KUNIT_EXPECT_EQ(test, info.pin_stream, 1U);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn[2]);

	s_list(test, log, 2, e);
	KUNIT_EXPECT_EQ(test, e[0].id, 1U);
	KUNIT_EXPECT_STREQ(test, e[0].name, "a");
	KUNIT_EXPECT_EQ(test, e[0].last_lsn, lsn[2]);
	KUNIT_EXPECT_EQ(test, e[0].users, 2U);	/* the open and the area */
	KUNIT_EXPECT_EQ(test, e[1].id, 2U);
	KUNIT_EXPECT_EQ(test, e[1].last_lsn, lsn[1]);

	/* A new stream's base is the log's last record. */
	KUNIT_ASSERT_EQ(test, clfs_stream_create(log, "c", &id), 0);
	KUNIT_EXPECT_EQ(test, id, 3U);
	s_list(test, log, 3, e);
	KUNIT_EXPECT_EQ(test, e[2].base_lsn, lsn[2]);
	KUNIT_EXPECT_EQ(test, e[2].last_lsn, CLFS_LSN_INVALID);

	/* Deleting a stream in use is refused; unused, it goes. */
	KUNIT_EXPECT_EQ(test, clfs_stream_delete(log, "a"), -EBUSY);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma), 0);
	KUNIT_EXPECT_EQ(test, clfs_stream_delete(log, "a"), -EBUSY);
	clfs_stream_close(a);
	KUNIT_EXPECT_EQ(test, clfs_stream_delete(log, "a"), 0);
	KUNIT_EXPECT_EQ(test, clfs_stream_delete(log, "a"), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_stream_open(log, "a", &a), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(b, lsn[1]), 0);
	/* Ids are never reused. */
	KUNIT_ASSERT_EQ(test, clfs_stream_create(log, "a", &id), 0);
	KUNIT_EXPECT_EQ(test, id, 4U);
	KUNIT_ASSERT_EQ(test, clfs_stream_open(log, "a", &a), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(a, lsn[0]), -ENOENT);
	clfs_stream_close(a);
	s_close(b, mb);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);

	/* Reopened: the table, and each stream's end, rebuilt. */
	KUNIT_ASSERT_EQ(test, clfs_log_open(s_path(), NULL, 0, &log), 0);
	s_list(test, log, 3, e);
	KUNIT_EXPECT_EQ(test, e[0].id, 2U);
	KUNIT_EXPECT_EQ(test, e[0].last_lsn, lsn[1]);
	KUNIT_EXPECT_EQ(test, e[1].id, 3U);
	KUNIT_EXPECT_EQ(test, e[1].base_lsn, lsn[2]);
	KUNIT_EXPECT_EQ(test, e[1].last_lsn, CLFS_LSN_INVALID);
	KUNIT_EXPECT_EQ(test, e[2].id, 4U);
	KUNIT_EXPECT_STREQ(test, e[2].name, "a");
	KUNIT_ASSERT_EQ(test, clfs_stream_open(log, "b.2_x-Y", &b), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(b, lsn[1]), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(b, lsn[0]), -ENOENT);
	/* The last close waits for no stream: it refuses while one is open. */
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), -EBUSY);
	clfs_stream_close(b);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static void clfs_stream_tails_test(struct kunit *test)
{
	struct clfs_marshal *ma, *mb;
	struct clfs_stream *a, *b;
	struct clfs_read_ctx *ctx;
	struct clfs_log_info info;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 al[4], bl[2], ra, ra2, rb;
	u32 i;

	s_two(test, &log, "a", "b", &a, &ma, &b, &mb);
	KUNIT_ASSERT_EQ(test, s_append(mb, 100, 50, CLFS_LSN_INVALID, 0,
				       &bl[0]), 0);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, s_append(ma, i, 50, CLFS_LSN_INVALID, 0,
					       &al[i]), 0);

	/* Restart chains are per stream. */
	KUNIT_ASSERT_EQ(test, clfs_write_restart(ma, "ra", 2, NULL, 0, NULL,
						 &ra), 0);
	KUNIT_EXPECT_EQ(test, clfs_stream_read_restart(b, &ctx, &rec),
			-ENODATA);
	KUNIT_ASSERT_EQ(test, clfs_write_restart(ma, "ra2", 3, NULL, 0, NULL,
						 &ra2), 0);
	KUNIT_ASSERT_EQ(test, clfs_stream_read_restart(a, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, ra2);
	KUNIT_EXPECT_EQ(test, rec.previous, ra);
	KUNIT_ASSERT_EQ(test, clfs_read_previous_restart(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, ra);
	KUNIT_EXPECT_EQ(test, clfs_read_previous_restart(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);

	/* a's base moves: a's older records go, b's stay. */
	KUNIT_EXPECT_EQ(test, clfs_advance_base(ma, bl[0], 0), -EINVAL);
	KUNIT_ASSERT_EQ(test, clfs_advance_base(ma, al[2], 0), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(a, al[1]), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(a, al[2]), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(b, bl[0]), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.pin_stream, 2U);	/* b: a null base */
	KUNIT_EXPECT_EQ(test, info.base_lsn, CLFS_LSN_NULL);
	KUNIT_ASSERT_EQ(test, clfs_stream_query(a, &info), 0);
	KUNIT_EXPECT_EQ(test, info.base_lsn, al[2]);
	KUNIT_EXPECT_EQ(test, info.first_lsn, al[2]);
	KUNIT_EXPECT_EQ(test, info.restart_lsn, ra2);

	/* b moves past a: a pins the log now; b's archive tail pins again. */
	KUNIT_ASSERT_EQ(test, s_append(mb, 101, 50, CLFS_LSN_INVALID, 0,
				       &bl[1]), 0);
	KUNIT_ASSERT_EQ(test, clfs_write_restart(mb, "rb", 2, &bl[1], 0,
						 NULL, &rb), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.pin_stream, 1U);
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(b, bl[0]), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_stream_set_archive_tail(b, al[3]), -EINVAL);
	KUNIT_ASSERT_EQ(test, clfs_stream_read_restart(b, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, rb);
	KUNIT_EXPECT_EQ(test, rec.previous, CLFS_LSN_INVALID);
	clfs_read_terminate(ctx);
	KUNIT_EXPECT_EQ(test, clfs_truncate(mb, bl[1]), -EOPNOTSUPP);
	s_close(a, ma);
	s_close(b, mb);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);

	/* The tails are in the metadata, per stream. */
	KUNIT_ASSERT_EQ(test, clfs_log_open(s_path(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_stream_open(log, "a", &a), 0);
	KUNIT_ASSERT_EQ(test, clfs_stream_query(a, &info), 0);
	KUNIT_EXPECT_EQ(test, info.base_lsn, al[2]);
	KUNIT_EXPECT_EQ(test, info.restart_lsn, ra2);
	KUNIT_EXPECT_EQ(test, info.last_lsn, ra2);
	clfs_stream_close(a);
	KUNIT_ASSERT_EQ(test, clfs_stream_open(log, "b", &b), 0);
	KUNIT_ASSERT_EQ(test, clfs_stream_query(b, &info), 0);
	KUNIT_EXPECT_EQ(test, info.base_lsn, bl[1]);
	KUNIT_EXPECT_EQ(test, info.restart_lsn, rb);
	KUNIT_EXPECT_EQ(test, info.first_lsn, bl[1]);
	clfs_stream_close(b);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.pin_stream, 1U);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static void clfs_stream_recycle_test(struct kunit *test)
{
	struct clfs_marshal *ms, *mf;
	struct clfs_stream *s, *f;
	struct clfs_log_info info;
	struct clfs_log *log;
	u64 s0, lsn = 0;
	u32 i, n = 0;
	int ret;

	s_two(test, &log, "slow", "fast", &s, &ms, &f, &mf);
	KUNIT_ASSERT_EQ(test, s_append(ms, 0, 100, CLFS_LSN_INVALID,
				       CLFS_FLAG_FORCE_FLUSH, &s0), 0);
	/* fast keeps its base at its newest record; slow never moves. */
	for (i = 1; i < 2000; i++) {
		ret = s_append(mf, i, 4000, CLFS_LSN_INVALID, 0, &lsn);
		if (ret)
			break;
		n++;
		if (i % 32 == 0)
			KUNIT_ASSERT_EQ(test, clfs_advance_base(mf, lsn, 0), 0);
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	kunit_info(test, "full after %u records of the fast stream", n);
	/* 4 containers of 512 KiB hold no more than 2 MiB of them. */
	KUNIT_EXPECT_LT(test, n, 2048U / 4);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.pin_stream, 1U);

	/* Deleting slow frees its containers: fast goes on. */
	KUNIT_EXPECT_EQ(test, clfs_advance_base(mf, lsn, 0), 0);
	s_close(s, ms);
	KUNIT_ASSERT_EQ(test, clfs_stream_delete(log, "slow"), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.pin_stream, 2U);
	KUNIT_EXPECT_EQ(test, info.n_streams, 1U);
	for (i = 0; i < n; i++) {
		ret = s_append(mf, 5000 + i, 4000, CLFS_LSN_INVALID, 0, &lsn);
		if (ret)
			break;
		if (i % 32 == 0)
			KUNIT_ASSERT_EQ(test, clfs_advance_base(mf, lsn, 0), 0);
	}
	KUNIT_EXPECT_EQ(test, ret, 0);
	/* The log wrapped: fast's newest record is in a recycled container. */
	KUNIT_EXPECT_GE(test, clfs_lsn_container(lsn), 4U);
	s_close(f, mf);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static void clfs_stream_crash_test(struct kunit *test)
{
	struct clfs_stream_entry e[8];
	struct clfs_marshal *ma, *mb;
	struct clfs_stream *a, *b;
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 a0, a1, b0, b1, lost;

	s_two(test, &log, "a", "b", &a, &ma, &b, &mb);
	KUNIT_ASSERT_EQ(test, s_append(ma, 0, 1000, CLFS_LSN_INVALID,
				       CLFS_FLAG_FORCE_FLUSH, &a0), 0);
	KUNIT_ASSERT_EQ(test, s_append(mb, 1, 1000, CLFS_LSN_INVALID, 0, &b0),
			0);
	KUNIT_ASSERT_EQ(test, s_append(ma, 2, 1000, a0, 0, &a1), 0);
	KUNIT_ASSERT_EQ(test, s_append(mb, 3, 1000, b0,
				       CLFS_FLAG_FORCE_FLUSH, &b1), 0);
	/* Appended, never flushed: the crash takes it. */
	KUNIT_ASSERT_EQ(test, s_append(ma, 4, 1000, a1, 0, &lost), 0);
	clfs_crashdev_crash_now(clfs_s7_dev, CLFS_CRASH_DROP, 0);
	clfs_marshal_delete(ma);	/* -EIO: the device is dead */
	clfs_marshal_delete(mb);
	clfs_stream_close(a);
	clfs_stream_close(b);
	clfs_log_close(log);
	clfs_crashdev_revive(clfs_s7_dev);

	KUNIT_ASSERT_EQ(test, clfs_log_open(s_path(), NULL, 0, &log), 0);
	s_list(test, log, 2, e);
	KUNIT_EXPECT_EQ(test, e[0].last_lsn, a1);
	KUNIT_EXPECT_EQ(test, e[1].last_lsn, b1);
	KUNIT_ASSERT_EQ(test, clfs_stream_open(log, "a", &a), 0);
	KUNIT_ASSERT_EQ(test, clfs_stream_read_record(a, a0, CLFS_READ_FORWARD,
						      CLFS_TYPE_ANY, &ctx,
						      &rec), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 7, 0, 1000), 0U);
	KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, a1);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 7, 2, 1000), 0U);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(a, lost), -ENOENT);
	/* Appends go on after the recovered end, in the stream's order. */
	KUNIT_ASSERT_EQ(test, clfs_stream_marshal_create(a, S_BLOCK, 2, &ma),
			0);
	KUNIT_ASSERT_EQ(test, s_append(ma, 5, 10, a1, CLFS_FLAG_FORCE_FLUSH,
				       &lost), 0);
	KUNIT_EXPECT_GT(test, lost, b1);
	s_close(a, ma);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);

	/*
	 * Closed cleanly: the marker keeps each stream's ends, and a stream
	 * created before any area (the marker still on disk) has none.
	 */
	KUNIT_ASSERT_EQ(test, clfs_log_open(s_path(), NULL, 0, &log), 0);
	s_list(test, log, 2, e);
	KUNIT_EXPECT_EQ(test, e[0].last_lsn, lost);
	KUNIT_EXPECT_EQ(test, e[1].last_lsn, b1);
	KUNIT_ASSERT_EQ(test, clfs_stream_create(log, "c", NULL), 0);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_open(s_path(), NULL, 0, &log), 0);
	s_list(test, log, 3, e);
	KUNIT_EXPECT_EQ(test, e[0].last_lsn, lost);
	KUNIT_EXPECT_EQ(test, e[1].last_lsn, b1);
	KUNIT_EXPECT_EQ(test, e[2].last_lsn, CLFS_LSN_INVALID);
	KUNIT_ASSERT_EQ(test, clfs_stream_open(log, "a", &a), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(a, a1), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(a, lost), 0);
	clfs_stream_close(a);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

struct s_writer {
	struct work_struct work;
	struct clfs_marshal *ma;
	u32 id;
	u64 lsn[S_RECORDS];
	u32 disorder;		/* LSNs not above the writer's previous one */
	int ret;
};

static u32 s_len(u32 id, u32 i)
{
	return 1 + (id * 733 + i * 97) % 1500;
}

static void s_writer_fn(struct work_struct *work)
{
	struct s_writer *w = container_of(work, struct s_writer, work);
	u32 i;

	for (i = 0; i < S_RECORDS; i++) {
		u32 flags = i % 9 == 0 ? CLFS_FLAG_FORCE_FLUSH :
			    i % 4 == 0 ? CLFS_FLAG_FORCE_APPEND : 0;

		w->ret = s_append(w->ma, w->id * S_RECORDS + i,
				  s_len(w->id, i), CLFS_LSN_INVALID, flags,
				  &w->lsn[i]);
		if (w->ret)
			return;
		if (i && w->lsn[i] <= w->lsn[i - 1])
			w->disorder++;
	}
}

/* Churn: create, open, append to, read and delete streams meanwhile. */
static void s_churn(struct kunit *test, struct clfs_log *log, u32 round)
{
	struct clfs_stream_entry e[8];
	struct clfs_marshal *ma;
	struct clfs_stream *st;
	char name[16];
	u32 total;
	u64 lsn;

	snprintf(name, sizeof(name), "tmp%u", round);
	KUNIT_ASSERT_EQ(test, clfs_stream_create(log, name, NULL), 0);
	KUNIT_ASSERT_EQ(test, clfs_stream_open(log, name, &st), 0);
	KUNIT_ASSERT_EQ(test, clfs_stream_marshal_create(st, 4096, 1, &ma), 0);
	KUNIT_EXPECT_EQ(test, s_append(ma, 9999, 50, CLFS_LSN_INVALID, 0,
				       &lsn), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_stream_read_errno(st, lsn), 0);
	KUNIT_EXPECT_EQ(test, clfs_stream_delete(log, name), -EBUSY);
	s_close(st, ma);
	KUNIT_EXPECT_EQ(test, clfs_stream_list(log, e, 8, &total), 0);
	KUNIT_EXPECT_EQ(test, total, (u32)S_WRITERS + 1);
	KUNIT_EXPECT_EQ(test, clfs_stream_delete(log, name), 0);
}

static void clfs_stream_race_test(struct kunit *test)
{
	struct clfs_stream *st[S_WRITERS];
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	struct clfs_log *log;
	struct s_writer *w;
	char name[16];
	u32 i, k, churn = 0;
	bool busy;
	int ret;

	w = kunit_kcalloc(test, S_WRITERS, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	s_create(test, &log, 4);
	for (i = 0; i < S_WRITERS; i++) {
		snprintf(name, sizeof(name), "w%u", i);
		KUNIT_ASSERT_EQ(test, clfs_stream_create(log, name, NULL), 0);
		s_open(test, log, name, &st[i], &w[i].ma);
		w[i].id = i;
		INIT_WORK(&w[i].work, s_writer_fn);
		queue_work(system_unbound_wq, &w[i].work);
	}
	do {
		/* Each round takes a block or two: the log holds 100. */
		if (churn < 100)
			s_churn(test, log, churn++);
		else
			msleep(20);
		busy = false;
		for (i = 0; i < S_WRITERS; i++)
			busy |= work_pending(&w[i].work) ||
				work_busy(&w[i].work);
	} while (busy && !test->status);
	for (i = 0; i < S_WRITERS; i++) {
		flush_work(&w[i].work);
		KUNIT_EXPECT_EQ(test, w[i].ret, 0);
		KUNIT_EXPECT_EQ(test, w[i].disorder, 0U);
	}
	kunit_info(test, "%u streams created and deleted beside %u writers",
		   churn, S_WRITERS);
	KUNIT_EXPECT_EQ(test, clfs_flush_buffers(w[0].ma), 0);

	/* Each stream reads back its records only, in order, with bytes. */
	for (i = 0; i < S_WRITERS; i++) {
		KUNIT_ASSERT_EQ(test, clfs_stream_read_record(st[i], w[i].lsn[0],
							      CLFS_READ_FORWARD,
							      CLFS_TYPE_ANY,
							      &ctx, &rec), 0);
		k = 0;
		do {
			KUNIT_EXPECT_EQ(test, rec.lsn, w[i].lsn[k]);
			KUNIT_EXPECT_EQ(test,
					clfs_test_check(&rec, 7,
							i * S_RECORDS + k,
							s_len(i, k)), 0U);
			k++;
		} while (k < S_RECORDS && !(ret = clfs_read_next(ctx, &rec)));
		KUNIT_EXPECT_EQ(test, k, (u32)S_RECORDS);
		KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
		clfs_read_terminate(ctx);
		s_close(st[i], w[i].ma);
	}
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static int clfs_stream_suite_init(struct kunit_suite *suite)
{
	clfs_s7_dev = clfs_crashdev_create("clfscrash7", 4ULL << 20, 512);
	return PTR_ERR_OR_ZERO(clfs_s7_dev);
}

static void clfs_stream_suite_exit(struct kunit_suite *suite)
{
	clfs_crashdev_destroy(clfs_s7_dev);
}

static struct kunit_case clfs_stream_cases[] = {
	KUNIT_CASE(clfs_stream_basic_test),
	KUNIT_CASE(clfs_stream_tails_test),
	KUNIT_CASE(clfs_stream_recycle_test),
	KUNIT_CASE(clfs_stream_crash_test),
	KUNIT_CASE(clfs_stream_race_test),
	{}
};

static struct kunit_suite clfs_stream_test_suite = {
	.name = "clfs_stream",
	.suite_init = clfs_stream_suite_init,
	.suite_exit = clfs_stream_suite_exit,
	.test_cases = clfs_stream_cases,
};

kunit_test_suites(&clfs_stream_test_suite);
