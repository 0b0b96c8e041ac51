// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "clfs_crash": crash simulation over many crash points.
 *
 * Each crash point i of a run creates a log on /dev/clfscrash2 (a
 * clfs_crashdev, see clfs_crashdev.h) with three marshalling areas of
 * different buffer sizes and counts, arms the device to crash at the N-th
 * write bio from then on, and runs a workload: appends of records whose
 * bytes are a function of (seed, index), each through an area drawn at
 * random, some with FORCE_FLUSH, some followed by a flush through another
 * area, some followed by deleting and recreating an area (which flushes),
 * until the device dies and the log reports -EIO (or the workload ends
 * and the device is crashed there).  The crash
 * either drops every write not yet durable or tears them at sector
 * granularity (a seeded coin per sector).  The device is then revived and
 * the log reopened, which must succeed, and a forward read must return
 * exactly a prefix of the appended records: every record whose flush
 * returned 0 is there with its LSN and bytes, and no record is present in
 * part or out of order.  Then one more record is appended with
 * FORCE_FLUSH, the log is closed and opened again, and the prefix plus
 * that record must read back.
 *
 * N, the workload and the crash mode derive from the run's seed and i
 * only; the seed is printed, and the module parameters crash_seed and
 * crash_points reproduce or lengthen a run.  The device completes writes
 * synchronously, so which writes carry FUA can still vary with the
 * timing of completion work; every outcome must pass all the same.
 */
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/slab.h>

#include <linux/clfs.h>
#include "test/clfs_crashdev.h"
#include "test/clfs_test_util.h"

static ulong crash_seed;
module_param(crash_seed, ulong, 0444);
MODULE_PARM_DESC(crash_seed, "seed of the crash simulation (0: random)");
static uint crash_points = 1000;
module_param(crash_points, uint, 0444);
MODULE_PARM_DESC(crash_points, "crash points per run");

#define C_OPS		24
#define C_BLOCK		8192U
#define C_AREAS		3

/* The areas' buffer sizes and counts: records share their blocks. */
static const u32 c_buffer[C_AREAS] = { 4096, C_BLOCK, 4096 };
static const u32 c_buffers[C_AREAS] = { 1, 2, 4 };

struct c_run {
	u64 seed;
	u32 len[C_OPS + 1];
	u64 lsn[C_OPS + 1];
	u32 appended;		/* records whose append returned 0 */
	int acked;		/* last record known durable, or -1 */
};

static int c_areas_create(struct clfs_log *log, struct clfs_marshal **ma)
{
	int ret = 0;
	u32 k;

	for (k = 0; k < C_AREAS && !ret; k++)
		ret = clfs_marshal_create(log, c_buffer[k], c_buffers[k],
					  &ma[k]);
	while (ret && --k)
		clfs_marshal_delete(ma[k - 1]);
	return ret;
}

/* Run the workload until it ends or the log fails. */
static void c_workload(struct clfs_log *log, struct clfs_marshal **mas,
		       struct c_run *r, struct rnd_state *rs)
{
	u32 i, k;
	int ret;

	for (i = 0; i < C_OPS; i++) {
		u32 choice = prandom_u32_state(rs) % 10;
		u32 flags = choice == 0 ? CLFS_FLAG_FORCE_FLUSH : 0;
		struct clfs_marshal *ma = mas[prandom_u32_state(rs) % C_AREAS];

		r->len[i] = 1 + prandom_u32_state(rs) % 1500;
		r->lsn[i] = 0;
		ret = clfs_test_append(ma, r->seed, i, r->len[i],
				       CLFS_LSN_INVALID,
				       i ? r->lsn[i - 1] : CLFS_LSN_INVALID,
				       CLFS_RECORD_DATA, flags, &r->lsn[i]);
		if (ret && ret != -EIO)
			pr_err("clfs_crash: append %u: %d\n", i, ret);
		if (ret == -EIO && flags && r->lsn[i]) {
			/* Appended; durability unknown. */
			r->appended = i + 1;
			return;
		}
		if (ret)
			return;
		r->appended = i + 1;
		if (flags)
			r->acked = i;
		k = prandom_u32_state(rs) % C_AREAS;
		if (choice == 1) {
			if (clfs_flush_buffers(mas[k]))
				return;
			r->acked = i;
		}
		if (choice == 2) {
			/* A delete flushes every area's records. */
			ret = clfs_marshal_delete(mas[k]);
			if (!ret)
				r->acked = i;
			ret = clfs_marshal_create(log, c_buffer[k],
						  c_buffers[k], &mas[k]);
			if (ret) {
				mas[k] = NULL;
				return;
			}
		}
	}
}

/* Read the log forward; the records must be a prefix of r's. */
static int c_verify(struct kunit *test, struct clfs_log *log,
		    struct c_run *r, u32 *found, u32 point)
{
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	u32 n = 0;
	int ret;

	*found = 0;
	if (!r->appended || r->lsn[0] == 0)
		ret = -ENOENT;
	else
		ret = clfs_read_record(log, r->lsn[0], CLFS_READ_FORWARD,
				       CLFS_TYPE_ANY, &ctx, &rec);
	if (ret == -ENOENT)
		goto out;
	if (ret) {
		KUNIT_FAIL(test, "point %u: first read: %d", point, ret);
		return ret;
	}
	do {
		if (n >= r->appended) {
			KUNIT_FAIL(test, "point %u: record %u (%llx) was never appended",
				   point, n, rec.lsn);
			ret = -EINVAL;
			break;
		}
		if (rec.lsn != r->lsn[n] ||
		    clfs_test_check(&rec, r->seed, n, r->len[n])) {
			KUNIT_FAIL(test,
				   "point %u: record %u: lsn %llx (want %llx), bytes differ at %u",
				   point, n, rec.lsn, r->lsn[n],
				   clfs_test_check(&rec, r->seed, n, r->len[n]));
			ret = -EINVAL;
			break;
		}
		n++;
		ret = clfs_read_next(ctx, &rec);
	} while (!ret);
	clfs_read_terminate(ctx);
	if (ret != -ENOENT) {
		if (ret != -EINVAL)
			KUNIT_FAIL(test, "point %u: read after record %u: %d",
				   point, n, ret);
		return ret;
	}
out:
	*found = n;
	if ((int)n <= r->acked) {
		KUNIT_FAIL(test, "point %u: %u records survive, %d were flushed",
			   point, n, r->acked + 1);
		return -EINVAL;
	}
	return 0;
}

static int c_point(struct kunit *test, struct clfs_crashdev *cd, u64 seed,
		   u32 point, struct c_run *r, u64 *stats)
{
	struct clfs_create_params p = {
		.block_size = C_BLOCK, .container_size = 512 << 10,
		.n_containers = 2,
	};
	const char *path = clfs_crashdev_path(cd);
	struct clfs_marshal *ma, *mas[C_AREAS];
	struct clfs_log *log;
	struct rnd_state rs;
	enum clfs_crash_mode mode;
	u32 found;
	u64 lsn;
	int ret;

	prandom_seed_state(&rs, seed ^ ((u64)point * 0x9e3779b97f4a7c15ULL));
	memset(r, 0, sizeof(*r));
	r->seed = seed + point;
	r->acked = -1;
	mode = prandom_u32_state(&rs) & 1 ? CLFS_CRASH_TEAR : CLFS_CRASH_DROP;

	clfs_crashdev_reset(cd);
	ret = clfs_log_create(path, &p, &log);
	if (!ret)
		ret = c_areas_create(log, mas);
	if (ret) {
		KUNIT_FAIL(test, "point %u: create: %d", point, ret);
		return ret;
	}
	clfs_crashdev_arm(cd, 1 + prandom_u32_state(&rs) % 12, mode,
			  prandom_u32_state(&rs));
	c_workload(log, mas, r, &rs);
	if (!clfs_crashdev_crashed(cd))
		clfs_crashdev_crash_now(cd, mode, prandom_u32_state(&rs));
	else
		stats[0]++;
	/* -EIO expected: the device is dead; the close deletes the areas. */
	clfs_log_close(log);
	clfs_crashdev_revive(cd);

	ret = clfs_log_open(path, NULL, 0, &log);
	if (ret) {
		KUNIT_FAIL(test, "point %u: reopen: %d", point, ret);
		return ret;
	}
	ret = clfs_marshal_create(log, C_BLOCK, 4, &ma);
	if (!ret)
		ret = c_verify(test, log, r, &found, point);
	if (ret)
		goto out_close;
	stats[1] += found;
	stats[2] += r->acked + 1;
	/* Appending continues after what survived. */
	r->len[found] = 77;
	ret = clfs_test_append(ma, r->seed, found, 77, CLFS_LSN_INVALID,
			       CLFS_LSN_INVALID, CLFS_RECORD_DATA,
			       CLFS_FLAG_FORCE_FLUSH, &lsn);
	if (ret) {
		KUNIT_FAIL(test, "point %u: append after recovery: %d", point,
			   ret);
		goto out_close;
	}
	if (found && lsn <= r->lsn[found - 1]) {
		KUNIT_FAIL(test, "point %u: new LSN %llx not after %llx", point,
			   lsn, r->lsn[found - 1]);
		ret = -EINVAL;
		goto out_close;
	}
	r->lsn[found] = lsn;
	r->appended = found + 1;
	r->acked = found;
	ret = clfs_log_close(log);
	if (ret) {
		KUNIT_FAIL(test, "point %u: close: %d", point, ret);
		return ret;
	}
	ret = clfs_log_open(path, NULL, 0, &log);
	if (ret) {
		KUNIT_FAIL(test, "point %u: second reopen: %d", point, ret);
		return ret;
	}
	ret = clfs_marshal_create(log, C_BLOCK, 4, &ma);
	if (!ret)
		ret = c_verify(test, log, r, &found, point);
	if (!ret && found != r->appended) {
		KUNIT_FAIL(test, "point %u: %u records after the second reopen, %u expected",
			   point, found, r->appended);
		ret = -EINVAL;
	}
out_close:
	clfs_log_close(log);
	return ret;
}

static void clfs_crash_points_test(struct kunit *test)
{
	struct clfs_crashdev *cd;
	u64 seed = crash_seed, stats[3] = {};
	struct c_run *r;
	u32 i, failed = 0;

	if (!seed)
		seed = get_random_u64() | 1;
	kunit_info(test, "crash simulation: seed %llu, %u crash points (reproduce: insmod clfs_kunit.ko crash_seed=%llu)",
		   seed, crash_points, seed);
	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	cd = clfs_crashdev_create("clfscrash2", 4ULL << 20, 512);
	KUNIT_ASSERT_FALSE(test, IS_ERR(cd));
	for (i = 0; i < crash_points && failed < 5; i++) {
		if (c_point(test, cd, seed, i, r, stats))
			failed++;
		cond_resched();
	}
	clfs_crashdev_destroy(cd);
	kunit_info(test, "crash simulation: %u points, %llu crashed mid-workload, %llu records recovered, %llu of them acknowledged before the crash, %u failed",
		   i, stats[0], stats[1], stats[2], failed);
	KUNIT_EXPECT_EQ(test, i, crash_points);
	KUNIT_EXPECT_EQ(test, failed, 0U);
	KUNIT_EXPECT_GE(test, crash_points, 1000U);
	KUNIT_EXPECT_GT(test, stats[0], 0ULL);
}

static struct kunit_case clfs_crash_cases[] = {
	KUNIT_CASE_SLOW(clfs_crash_points_test),
	{}
};

static struct kunit_suite clfs_crash_test_suite = {
	.name = "clfs_crash",
	.test_cases = clfs_crash_cases,
};

kunit_test_suites(&clfs_crash_test_suite);
