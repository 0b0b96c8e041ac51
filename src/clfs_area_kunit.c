// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "clfs_area": several marshalling areas on one log, through
 * the exported API, on the crash-simulation device /dev/clfscrash6.
 *
 *   - sharing: records of two areas with different buffer sizes share
 *     blocks and one LSN order; an area's record that does not fit the
 *     open buffer of another area gets a block of its own; a flush through
 *     one area makes another area's records durable, and they survive a
 *     crash;
 *   - reservations: each area's are its own (USE_RESERVATION and releases
 *     find only the caller's), the log's space covers all of them, deleting
 *     an area gives its reservations back, a larger buffer is refused while
 *     it would break them, and CLFS_MAX_AREAS is the limit;
 *   - the log-wide bound on blocks in flight: with the device's writes
 *     parked, one area of 64 buffers fills it, and another area's append
 *     waits until a write completes instead of sealing a 65th block;
 *   - concurrency: writer threads on their own areas, each record's LSN
 *     strictly above the writer's previous one, while another thread
 *     creates and deletes areas (with records of the writers in their open
 *     buffers) and flushes; then every record reads back, in LSN order,
 *     with its bytes.
 *
 * Every expectation is an exact LSN, byte count or errno.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <linux/clfs.h>
#include "format/clfs_format.h"
#include "test/clfs_crashdev.h"
#include "test/clfs_test_util.h"

#define A_BLOCK		8192U
#define A_CONT		(512ULL << 10)
#define A_WRITERS	3	/* threads, each on its own area */
#define A_RECORDS	300	/* records per writer */

static struct clfs_crashdev *clfs_a_dev;

static const char *a_path(void)
{
	return clfs_crashdev_path(clfs_a_dev);
}

static void a_create(struct kunit *test, struct clfs_log **log, u32 n)
{
	struct clfs_create_params p = {
		.block_size = A_BLOCK, .container_size = A_CONT,
		.n_containers = n,
	};

	clfs_crashdev_reset(clfs_a_dev);
	KUNIT_ASSERT_EQ(test, clfs_log_create(a_path(), &p, log), 0);
}

/* Append record @i of @len bytes (contents from seed 9). */
static int a_append(struct clfs_marshal *ma, u32 i, u32 len, u32 flags,
		    u64 *lsn)
{
	return clfs_test_append(ma, 9, i, len, CLFS_LSN_INVALID,
				CLFS_LSN_INVALID, CLFS_RECORD_DATA, flags, lsn);
}

/* The record at @lsn must be record @i of @len bytes. */
static void a_expect(struct kunit *test, struct clfs_log *log, u64 lsn, u32 i,
		     u32 len)
{
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;

	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn, CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, lsn);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 9, i, len), 0U);
	clfs_read_terminate(ctx);
}

/* Records of two areas share blocks, LSN order and flushes. */
static void clfs_area_share_test(struct kunit *test)
{
	struct clfs_marshal *a, *b;
	struct clfs_log_info info;
	struct clfs_log *log;
	u64 lsn[7], flushed, blk;

	a_create(test, &log, 4);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, 4096, 2, &a), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, A_BLOCK, 4, &b), 0);

	/* One open buffer (a's) takes the records of both areas. */
	KUNIT_ASSERT_EQ(test, a_append(a, 0, 100, 0, &lsn[0]), 0);
	KUNIT_ASSERT_EQ(test, a_append(b, 1, 100, 0, &lsn[1]), 0);
	KUNIT_ASSERT_EQ(test, a_append(a, 2, 100, 0, &lsn[2]), 0);
	KUNIT_EXPECT_EQ(test, lsn[0], clfs_lsn_make(0, 4096, 0));
	KUNIT_EXPECT_EQ(test, lsn[1], clfs_lsn_make(0, 4096, 1));
	KUNIT_EXPECT_EQ(test, lsn[2], clfs_lsn_make(0, 4096, 2));
	/* Readers see them before any flush, whichever area wrote them. */
	a_expect(test, log, lsn[1], 1, 100);

	/* b's flush of a's first record seals the block: all three durable. */
	KUNIT_EXPECT_EQ(test, clfs_flush_to_lsn(b, lsn[0], &flushed), 0);
	KUNIT_EXPECT_EQ(test, flushed, lsn[2]);
	blk = 4096 + clfs_block_cost(0, 3 * clfs_record_space(100), 512);

	/* b opens a block of its own; a's record joins it. */
	KUNIT_ASSERT_EQ(test, a_append(b, 3, 5000, 0, &lsn[3]), 0);
	KUNIT_ASSERT_EQ(test, a_append(a, 4, 100, 0, &lsn[4]), 0);
	KUNIT_EXPECT_EQ(test, lsn[3], clfs_lsn_make(0, blk, 0));
	KUNIT_EXPECT_EQ(test, lsn[4], clfs_lsn_make(0, blk, 1));
	/* Too big for the rest of b's buffer: a block in a's own buffer. */
	KUNIT_ASSERT_EQ(test, a_append(a, 5, 3000, 0, &lsn[5]), 0);
	blk += clfs_block_cost(0, clfs_record_space(5000) +
			       clfs_record_space(100), 512);
	KUNIT_EXPECT_EQ(test, lsn[5], clfs_lsn_make(0, blk, 0));
	/* a's buffer is 4096 bytes: no record of 4096 - 64 + 1 bytes. */
	KUNIT_EXPECT_EQ(test, a_append(a, 6, clfs_record_max(4096) + 1, 0,
				       &flushed), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, a_append(b, 6, clfs_record_max(4096) + 1, 0,
				       &lsn[6]), 0);
	blk += clfs_block_cost(0, clfs_record_space(3000), 512);
	KUNIT_EXPECT_EQ(test, lsn[6], clfs_lsn_make(0, blk, 0));

	/* Deleting b flushes what a appended too. */
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(b), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.flushed_lsn, lsn[6]);
	KUNIT_EXPECT_EQ(test, info.last_lsn, info.flushed_lsn);
	a_expect(test, log, lsn[5], 5, 3000);

	/* After a crash, every record of both areas is there. */
	KUNIT_ASSERT_EQ(test, a_append(a, 7, 100, 0, &flushed), 0);
	clfs_crashdev_crash_now(clfs_a_dev, CLFS_CRASH_DROP, 0);
	clfs_marshal_delete(a);		/* -EIO: the device is dead */
	clfs_log_close(log);
	clfs_crashdev_revive(clfs_a_dev);
	KUNIT_ASSERT_EQ(test, clfs_log_open(a_path(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn[6]);
	a_expect(test, log, lsn[0], 0, 100);
	a_expect(test, log, lsn[1], 1, 100);
	a_expect(test, log, lsn[3], 3, 5000);
	a_expect(test, log, lsn[4], 4, 100);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, flushed), -ENOENT);
	a_expect(test, log, lsn[6], 6, clfs_record_max(4096) + 1);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/* Reservations belong to their area; the log's space covers them all. */
static void clfs_area_rsv_test(struct kunit *test)
{
	struct clfs_marshal *a, *b, *c, **many;
	u32 size = 100, i, n = 0;
	u32 r100 = clfs_block_cost(0, clfs_record_space(100), 512);
	u32 r3000 = clfs_block_cost(0, clfs_record_space(3000), 512);
	struct clfs_log_info info;
	struct clfs_log *log;
	u64 lsn, total;
	s64 rsv;
	int ret;

	/* Two containers: about 2 * (512K - 8K) for reservations. */
	a_create(test, &log, 2);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, 4096, 2, &a), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, 4096, 2, &b), 0);
	KUNIT_ASSERT_EQ(test, clfs_align_reserved(a, 1, &size, NULL, &total),
			0);
	KUNIT_EXPECT_EQ(test, total, (u64)r100);
	KUNIT_ASSERT_EQ(test, clfs_alloc_reserved(a, 1, &size, total), 0);
	KUNIT_ASSERT_EQ(test, clfs_alloc_reserved(b, 1, &size, total), 0);
	KUNIT_ASSERT_EQ(test, clfs_alloc_reserved(b, 1, &size, total), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.reserved_bytes, 3ULL * r100);
	KUNIT_EXPECT_EQ(test, info.reserved_records, 3ULL);
	/* a holds one: a second release or use by a finds none. */
	KUNIT_EXPECT_EQ(test, clfs_free_reserved(a, 1, &size, total), 0);
	KUNIT_EXPECT_EQ(test, clfs_free_reserved(a, 1, &size, total), -ENOENT);
	KUNIT_EXPECT_EQ(test, a_append(a, 0, 100, CLFS_FLAG_USE_RESERVATION,
				       &lsn), -ENOENT);
	KUNIT_EXPECT_EQ(test, a_append(b, 0, 100, CLFS_FLAG_USE_RESERVATION,
				       &lsn), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.reserved_bytes, (u64)r100);

	/* Fill the log with b's reservations: a may not eat into them. */
	rsv = 3000;
	while (!(ret = clfs_reserve_and_append(b, NULL, 0, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID, 1, &rsv, 0,
					       NULL))) {
		n++;
		rsv = 3000;
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	KUNIT_EXPECT_GT(test, n, 100U);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.reserved_bytes, r100 + (u64)n * r3000);
	/* A new 4096-byte block would leave less than b's reservations. */
	KUNIT_EXPECT_EQ(test, a_append(a, 1, 3900, 0, &lsn), -ENOSPC);
	/* A larger buffer would waste more at a container's end: refused. */
	KUNIT_EXPECT_EQ(test, clfs_marshal_create(log, A_BLOCK, 1, &c),
			-ENOSPC);
	/* b's own reservations are its to use. */
	KUNIT_EXPECT_EQ(test, a_append(b, 1, 3000, CLFS_FLAG_USE_RESERVATION,
				       &lsn), 0);
	/* Deleting b gives them all back. */
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(b), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.reserved_bytes, 0ULL);
	KUNIT_EXPECT_EQ(test, info.reserved_records, 0ULL);
	KUNIT_EXPECT_EQ(test, a_append(a, 2, 3900, CLFS_FLAG_FORCE_FLUSH,
				       &lsn), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, A_BLOCK, 1, &c), 0);

	/* CLFS_MAX_AREAS areas at most (a and c are two of them). */
	many = kunit_kcalloc(test, CLFS_MAX_AREAS, sizeof(*many), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, many);
	for (i = 0; i < CLFS_MAX_AREAS - 2; i++)
		KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, 4096, 1,
							  &many[i]), 0);
	KUNIT_EXPECT_EQ(test, clfs_marshal_create(log, 4096, 1, &many[i]),
			-EMFILE);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(many[0]), 0);
	KUNIT_EXPECT_EQ(test, clfs_marshal_create(log, 4096, 1, &many[0]), 0);
	/* The close deletes the areas a client left behind. */
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(c), 0);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

struct a_one {
	struct work_struct work;
	struct completion done;
	struct clfs_marshal *ma;
	u64 lsn;
	int ret;
};

static void a_one_fn(struct work_struct *work)
{
	struct a_one *o = container_of(work, struct a_one, work);

	o->ret = a_append(o->ma, 999, 100, CLFS_FLAG_FORCE_APPEND, &o->lsn);
	complete(&o->done);
}

/*
 * However many buffers the areas have, at most CLFS_MAX_IN_FLIGHT blocks
 * are in flight: the floor jump of an open covers that many and no more.
 * This failed before the bound was log-wide: b sealed a 65th block.
 */
static void clfs_area_inflight_test(struct kunit *test)
{
	struct clfs_marshal *a, *b;
	struct clfs_log *log;
	struct a_one *o;
	u64 lsn, last = 0;
	u32 i;

	o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	a_create(test, &log, 4);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, 4096, CLFS_MAX_IN_FLIGHT,
						  &a), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, 4096, CLFS_MAX_IN_FLIGHT,
						  &b), 0);
	clfs_crashdev_hold(clfs_a_dev, CLFS_CRASHDEV_WRITE);
	for (i = 0; i < CLFS_MAX_IN_FLIGHT; i++) {
		KUNIT_ASSERT_EQ(test, a_append(a, i, 100, CLFS_FLAG_FORCE_APPEND,
					       &lsn), 0);
		KUNIT_EXPECT_GT(test, lsn, last);
		last = lsn;
	}
	KUNIT_EXPECT_TRUE(test, clfs_crashdev_held(clfs_a_dev,
						   CLFS_MAX_IN_FLIGHT, 10 * HZ));
	o->ma = b;
	init_completion(&o->done);
	INIT_WORK(&o->work, a_one_fn);
	queue_work(system_unbound_wq, &o->work);
	/* b's block would be the 65th in flight: its append waits. */
	KUNIT_EXPECT_FALSE(test, wait_for_completion_timeout(&o->done, HZ));
	KUNIT_EXPECT_FALSE(test, clfs_crashdev_held(clfs_a_dev,
						    CLFS_MAX_IN_FLIGHT + 1,
						    HZ / 10));
	clfs_crashdev_hold(clfs_a_dev, 0);
	clfs_crashdev_release(clfs_a_dev);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&o->done,
							    30 * HZ));
	KUNIT_EXPECT_EQ(test, o->ret, 0);
	/* One 512-byte block per record: a's 64, then b's. */
	KUNIT_EXPECT_EQ(test, last,
			clfs_lsn_make(0, 4096 + (CLFS_MAX_IN_FLIGHT - 1) * 512,
				      0));
	KUNIT_EXPECT_EQ(test, o->lsn,
			clfs_lsn_make(0, 4096 + CLFS_MAX_IN_FLIGHT * 512, 0));
	KUNIT_EXPECT_EQ(test, clfs_flush_buffers(b), 0);
	a_expect(test, log, o->lsn, 999, 100);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

struct a_writer {
	struct work_struct work;
	struct clfs_marshal *ma;
	u32 id;
	u64 lsn[A_RECORDS];
	u32 n;
	u32 disorder;		/* LSNs not above the writer's previous one */
	int ret;
};

static u32 a_len(u32 id, u32 i)
{
	return 1 + (id * 977 + i * 131) % 2000;
}

static void a_writer_fn(struct work_struct *work)
{
	struct a_writer *w = container_of(work, struct a_writer, work);
	u32 i;

	for (i = 0; i < A_RECORDS; i++) {
		u32 flags = i % 7 == 0 ? CLFS_FLAG_FORCE_FLUSH :
			    i % 5 == 0 ? CLFS_FLAG_FORCE_APPEND : 0;

		w->ret = a_append(w->ma, w->id * A_RECORDS + i, a_len(w->id, i),
				  flags, &w->lsn[i]);
		if (w->ret)
			return;
		if (i && w->lsn[i] <= w->lsn[i - 1])
			w->disorder++;
		w->n++;
	}
}

/* Writers on their own areas, while areas come and go beside them. */
static void clfs_area_race_test(struct kunit *test)
{
	struct a_writer *w;
	struct clfs_read_ctx *ctx;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u32 i, k, next[A_WRITERS] = {}, total = 0, churn = 0;
	u64 lsn, prev = 0;
	int ret;

	w = kunit_kcalloc(test, A_WRITERS, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	a_create(test, &log, 6);
	for (i = 0; i < A_WRITERS; i++) {
		w[i].id = i;
		KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, i ? A_BLOCK : 4096,
							  1 + i, &w[i].ma), 0);
		INIT_WORK(&w[i].work, a_writer_fn);
		queue_work(system_unbound_wq, &w[i].work);
	}
	/* Areas of one record each, deleted with others' records open. */
	while (churn < 400) {
		bool busy = false;

		for (i = 0; i < A_WRITERS; i++)
			busy |= READ_ONCE(w[i].n) < A_RECORDS && !w[i].ret;
		if (!busy && churn >= 40)
			break;
		ret = clfs_marshal_create(log, churn % 2 ? A_BLOCK : 4096,
					  1, &ma);
		KUNIT_ASSERT_EQ(test, ret, 0);
		ret = clfs_test_append(ma, 10, churn, 50, CLFS_LSN_INVALID,
				       CLFS_LSN_INVALID, CLFS_RECORD_DATA,
				       churn % 3 ? 0 : CLFS_FLAG_FORCE_APPEND,
				       &lsn);
		KUNIT_EXPECT_EQ(test, ret, 0);
		KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma), 0);
		/* The delete flushed: the record is durable. */
		KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn), 0);
		churn++;
	}
	for (i = 0; i < A_WRITERS; i++) {
		flush_work(&w[i].work);
		KUNIT_EXPECT_EQ(test, w[i].ret, 0);
		KUNIT_EXPECT_EQ(test, w[i].n, (u32)A_RECORDS);
		KUNIT_EXPECT_EQ(test, w[i].disorder, 0U);
		KUNIT_EXPECT_EQ(test, clfs_flush_buffers(w[i].ma), 0);
	}
	kunit_info(test, "%u areas created and deleted beside %u writers",
		   churn, A_WRITERS);

	/* Every writer's records, in LSN order, with their bytes. */
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, clfs_lsn_make(0, 4096, 0),
					       CLFS_READ_FORWARD, CLFS_TYPE_ANY,
					       &ctx, &rec), 0);
	do {
		KUNIT_EXPECT_GT(test, rec.lsn, prev);
		prev = rec.lsn;
		for (k = 0; k < A_WRITERS; k++)
			if (next[k] < A_RECORDS && w[k].lsn[next[k]] == rec.lsn)
				break;
		if (k < A_WRITERS) {
			u32 idx = k * A_RECORDS + next[k];

			KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 9, idx,
							      a_len(k, next[k])),
					0U);
			next[k]++;
			total++;
		} else {
			KUNIT_EXPECT_EQ(test, rec.length, 50U);
		}
	} while (!(ret = clfs_read_next(ctx, &rec)));
	KUNIT_EXPECT_EQ(test, ret, -ENOENT);
	clfs_read_terminate(ctx);
	KUNIT_EXPECT_EQ(test, total, (u32)(A_WRITERS * A_RECORDS));
	for (i = 0; i < A_WRITERS; i++)
		KUNIT_EXPECT_EQ(test, clfs_marshal_delete(w[i].ma), 0);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static int clfs_area_suite_init(struct kunit_suite *suite)
{
	clfs_a_dev = clfs_crashdev_create("clfscrash6", 4ULL << 20, 512);
	return PTR_ERR_OR_ZERO(clfs_a_dev);
}

static void clfs_area_suite_exit(struct kunit_suite *suite)
{
	clfs_crashdev_destroy(clfs_a_dev);
}

static struct kunit_case clfs_area_cases[] = {
	KUNIT_CASE(clfs_area_share_test),
	KUNIT_CASE(clfs_area_rsv_test),
	KUNIT_CASE(clfs_area_inflight_test),
	KUNIT_CASE(clfs_area_race_test),
	{}
};

static struct kunit_suite clfs_area_test_suite = {
	.name = "clfs_area",
	.suite_init = clfs_area_suite_init,
	.suite_exit = clfs_area_suite_exit,
	.test_cases = clfs_area_cases,
};

kunit_test_suites(&clfs_area_test_suite);
