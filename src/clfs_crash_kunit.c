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
 * The second case runs the same on a multiplexed log with two streams:
 * areas 0 and 2 append to stream s0, area 1 to s1, so one block carries
 * both streams' records and a flush through either stream's area makes
 * both durable.  After the crash each stream, read on its own, must be
 * exactly a prefix of the records appended to it holding every record of
 * it acknowledged (appended before a flush that returned), and nothing of
 * the other stream; the survivors plus one more record per stream must
 * read back after a clean reopen.
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
#define C_STREAMS	2	/* of the multiplexed case */

/* The areas' buffer sizes and counts: records share their blocks. */
static const u32 c_buffer[C_AREAS] = { 4096, C_BLOCK, 4096 };
static const u32 c_buffers[C_AREAS] = { 1, 2, 4 };

struct c_run {
	u64 seed;
	bool mux;		/* a multiplexed log of C_STREAMS streams */
	u32 len[C_OPS + C_STREAMS];
	u64 lsn[C_OPS + C_STREAMS];
	u8 stream[C_OPS + C_STREAMS];	/* each record's stream */
	u32 tag[C_OPS + C_STREAMS];	/* its bytes' index (clfs_test_fill) */
	u32 appended;		/* records whose append returned 0 */
	int acked;		/* last record known durable, or -1 */
};

/* The stream area @k appends to. */
static u32 c_area_stream(const struct c_run *r, u32 k)
{
	return r->mux ? k % C_STREAMS : 0;
}

static int c_areas_create(struct c_run *r, struct clfs_stream **st,
			  struct clfs_marshal **ma)
{
	int ret = 0;
	u32 k;

	for (k = 0; k < C_AREAS && !ret; k++)
		ret = clfs_stream_marshal_create(st[c_area_stream(r, k)],
						 c_buffer[k], c_buffers[k],
						 &ma[k]);
	while (ret && --k)
		clfs_marshal_delete(ma[k - 1]);
	return ret;
}

/*
 * The log's streams into @st: a dedicated log's one stream, or the
 * streams s0.. of a multiplexed log (opened: close them with
 * c_streams_close()).
 */
static int c_streams(struct clfs_log *log, struct c_run *r,
		     struct clfs_stream **st)
{
	char name[8];
	int ret = 0;
	u32 s;

	for (s = 0; s < C_STREAMS; s++)
		st[s] = clfs_log_dedicated_stream(log);
	for (s = 0; r->mux && s < C_STREAMS && !ret; s++) {
		snprintf(name, sizeof(name), "s%u", s);
		ret = clfs_stream_open(log, name, &st[s]);
	}
	while (ret && --s)
		clfs_stream_close(st[s - 1]);
	return ret;
}

static void c_streams_close(struct c_run *r, struct clfs_stream **st)
{
	u32 s;

	for (s = 0; r->mux && s < C_STREAMS; s++)
		clfs_stream_close(st[s]);
}

/* Run the workload until it ends or the log fails. */
static void c_workload(struct clfs_stream **st, struct clfs_marshal **mas,
		       struct c_run *r, struct rnd_state *rs)
{
	u32 i, k;
	int ret;

	for (i = 0; i < C_OPS; i++) {
		u32 choice = prandom_u32_state(rs) % 10;
		u32 flags = choice == 0 ? CLFS_FLAG_FORCE_FLUSH : 0;
		u32 a = prandom_u32_state(rs) % C_AREAS;
		struct clfs_marshal *ma = mas[a];

		r->stream[i] = c_area_stream(r, a);
		r->tag[i] = i;
		r->len[i] = 1 + prandom_u32_state(rs) % 1500;
		r->lsn[i] = 0;
		ret = clfs_test_append(ma, r->seed, i, r->len[i],
				       CLFS_LSN_INVALID, CLFS_LSN_INVALID,
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
			ret = clfs_stream_marshal_create(st[c_area_stream(r, k)],
							 c_buffer[k],
							 c_buffers[k],
							 &mas[k]);
			if (ret) {
				mas[k] = NULL;
				return;
			}
		}
	}
}

/*
 * Read stream @sn forward: its records must be a prefix of r's records of
 * that stream holding every acknowledged one; *@found counts them.
 */
static int c_verify_stream(struct kunit *test, struct clfs_stream *st,
			   struct c_run *r, u32 sn, u32 *found, u32 point)
{
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	u32 i = 0, n = 0, want = 0;
	int ret;

	for (i = 0; (int)i <= r->acked; i++)
		want += r->stream[i] == sn;
	for (i = 0; i < r->appended && r->stream[i] != sn; i++)
		;
	*found = 0;
	if (i == r->appended || r->lsn[i] == 0)
		ret = -ENOENT;
	else
		ret = clfs_stream_read_record(st, r->lsn[i], CLFS_READ_FORWARD,
					      CLFS_TYPE_ANY, &ctx, &rec);
	if (ret == -ENOENT)
		goto out;
	if (ret) {
		KUNIT_FAIL(test, "point %u: stream %u: first read: %d", point,
			   sn, ret);
		return ret;
	}
	do {
		while (i < r->appended && r->stream[i] != sn)
			i++;
		if (i >= r->appended) {
			KUNIT_FAIL(test, "point %u: stream %u: record %u (%llx) was never appended",
				   point, sn, n, rec.lsn);
			ret = -EINVAL;
			break;
		}
		if (rec.lsn != r->lsn[i] ||
		    clfs_test_check(&rec, r->seed, r->tag[i], r->len[i])) {
			KUNIT_FAIL(test,
				   "point %u: stream %u: record %u: lsn %llx (want %llx), bytes differ at %u",
				   point, sn, i, rec.lsn, r->lsn[i],
				   clfs_test_check(&rec, r->seed, r->tag[i],
						   r->len[i]));
			ret = -EINVAL;
			break;
		}
		n++;
		i++;
		ret = clfs_read_next(ctx, &rec);
	} while (!ret);
	clfs_read_terminate(ctx);
	if (ret != -ENOENT) {
		if (ret != -EINVAL)
			KUNIT_FAIL(test, "point %u: stream %u: read after record %u: %d",
				   point, sn, n, ret);
		return ret;
	}
out:
	*found = n;
	if (n < want) {
		KUNIT_FAIL(test, "point %u: stream %u: %u records survive, %u were flushed",
			   point, sn, n, want);
		return -EINVAL;
	}
	return 0;
}

/*
 * Every stream a prefix holding its acknowledged records; then keep only
 * the survivors in @r (in their order), *@found of them.
 */
static int c_verify(struct kunit *test, struct clfs_stream **st,
		    struct c_run *r, u32 *found, u32 point)
{
	u32 keep[C_STREAMS], s, i, n = 0;
	int ret;

	for (s = 0; s < (r->mux ? C_STREAMS : 1); s++) {
		ret = c_verify_stream(test, st[s], r, s, &keep[s], point);
		if (ret)
			return ret;
	}
	for (i = 0; i < r->appended; i++) {
		s = r->stream[i];
		if (!keep[s])
			continue;
		keep[s]--;
		r->stream[n] = s;
		r->len[n] = r->len[i];
		r->lsn[n] = r->lsn[i];
		r->tag[n] = r->tag[i];
		n++;
	}
	*found = n;
	return 0;
}

/* Reopen the log at @path and open its streams. */
static int c_reopen(struct kunit *test, const char *path, struct c_run *r,
		    struct clfs_log **log, struct clfs_stream **st, u32 point)
{
	int ret = clfs_log_open(path, NULL, 0, log);

	if (!ret) {
		ret = c_streams(*log, r, st);
		if (ret)
			clfs_log_close(*log);
	}
	if (ret)
		KUNIT_FAIL(test, "point %u: reopen: %d", point, ret);
	return ret;
}

/* One more record per stream, flushed, after what survived. */
static int c_append_more(struct kunit *test, struct clfs_stream **st,
			 struct c_run *r, u32 point)
{
	u32 s, n = r->appended, streams = r->mux ? C_STREAMS : 1;
	struct clfs_marshal *ma;
	int ret = 0;

	for (s = 0; s < streams && !ret; s++) {
		ret = clfs_stream_marshal_create(st[s], C_BLOCK, 4, &ma);
		if (ret)
			break;
		r->stream[n] = s;
		r->tag[n] = C_OPS + s;
		r->len[n] = 77;
		ret = clfs_test_append(ma, r->seed, r->tag[n], 77,
				       CLFS_LSN_INVALID, CLFS_LSN_INVALID,
				       CLFS_RECORD_DATA, CLFS_FLAG_FORCE_FLUSH,
				       &r->lsn[n]);
		clfs_marshal_delete(ma);
		if (!ret && n && r->lsn[n] <= r->lsn[n - 1]) {
			KUNIT_FAIL(test, "point %u: new LSN %llx not after %llx",
				   point, r->lsn[n], r->lsn[n - 1]);
			return -EINVAL;
		}
		n++;
	}
	if (ret) {
		KUNIT_FAIL(test, "point %u: append after recovery: %d", point,
			   ret);
		return ret;
	}
	r->appended = n;
	r->acked = n - 1;
	return 0;
}

static int c_point(struct kunit *test, struct clfs_crashdev *cd, u64 seed,
		   u32 point, struct c_run *r, u64 *stats, bool mux)
{
	struct clfs_create_params p = {
		.block_size = C_BLOCK, .container_size = 512 << 10,
		.n_containers = 2,
		.flags = mux ? CLFS_CREATE_MULTIPLEXED : 0,
	};
	const char *path = clfs_crashdev_path(cd);
	struct clfs_stream *st[C_STREAMS];
	struct clfs_marshal *mas[C_AREAS];
	struct clfs_log *log;
	struct rnd_state rs;
	enum clfs_crash_mode mode;
	u32 found, s;
	int ret;

	prandom_seed_state(&rs, seed ^ ((u64)point * 0x9e3779b97f4a7c15ULL));
	memset(r, 0, sizeof(*r));
	r->seed = seed + point;
	r->mux = mux;
	r->acked = -1;
	mode = prandom_u32_state(&rs) & 1 ? CLFS_CRASH_TEAR : CLFS_CRASH_DROP;

	clfs_crashdev_reset(cd);
	ret = clfs_log_create(path, &p, &log);
	for (s = 0; mux && s < C_STREAMS && !ret; s++) {
		char name[8];

		snprintf(name, sizeof(name), "s%u", s);
		ret = clfs_stream_create(log, name, NULL);
	}
	if (!ret) {
		ret = c_streams(log, r, st);
		if (!ret) {
			ret = c_areas_create(r, st, mas);
			if (ret)
				c_streams_close(r, st);
		}
	}
	if (ret) {
		KUNIT_FAIL(test, "point %u: create: %d", point, ret);
		return ret;
	}
	clfs_crashdev_arm(cd, 1 + prandom_u32_state(&rs) % 12, mode,
			  prandom_u32_state(&rs));
	c_workload(st, mas, r, &rs);
	if (!clfs_crashdev_crashed(cd))
		clfs_crashdev_crash_now(cd, mode, prandom_u32_state(&rs));
	else
		stats[0]++;
	/* -EIO expected: the device is dead. */
	for (s = 0; s < C_AREAS; s++)
		if (mas[s])
			clfs_marshal_delete(mas[s]);
	c_streams_close(r, st);
	clfs_log_close(log);
	clfs_crashdev_revive(cd);

	ret = c_reopen(test, path, r, &log, st, point);
	if (ret)
		return ret;
	stats[2] += r->acked + 1;
	ret = c_verify(test, st, r, &found, point);
	if (ret)
		goto out_close;
	stats[1] += found;
	r->appended = found;
	/* Appending continues after what survived, in every stream. */
	ret = c_append_more(test, st, r, point);
	if (ret)
		goto out_close;
	c_streams_close(r, st);
	ret = clfs_log_close(log);
	if (ret) {
		KUNIT_FAIL(test, "point %u: close: %d", point, ret);
		return ret;
	}
	ret = c_reopen(test, path, r, &log, st, point);
	if (ret)
		return ret;
	s = r->appended;
	ret = c_verify(test, st, r, &found, point);
	if (!ret && found != s) {
		KUNIT_FAIL(test, "point %u: %u records after the second reopen, %u expected",
			   point, found, s);
		ret = -EINVAL;
	}
out_close:
	c_streams_close(r, st);
	clfs_log_close(log);
	return ret;
}

static void c_run_points(struct kunit *test, bool mux)
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
		if (c_point(test, cd, seed, i, r, stats, mux))
			failed++;
		cond_resched();
	}
	clfs_crashdev_destroy(cd);
	kunit_info(test, "crash simulation%s: %u points, %llu crashed mid-workload, %llu records recovered, %llu acknowledged before the crash, %u failed",
		   mux ? " (2 streams)" : "", i, stats[0], stats[1], stats[2],
		   failed);
	KUNIT_EXPECT_EQ(test, i, crash_points);
	KUNIT_EXPECT_EQ(test, failed, 0U);
	KUNIT_EXPECT_GE(test, crash_points, 1000U);
	KUNIT_EXPECT_GT(test, stats[0], 0ULL);
}

static void clfs_crash_points_test(struct kunit *test)
{
	c_run_points(test, false);
}

static void clfs_crash_streams_test(struct kunit *test)
{
	c_run_points(test, true);
}

static struct kunit_case clfs_crash_cases[] = {
	KUNIT_CASE_SLOW(clfs_crash_points_test),
	KUNIT_CASE_SLOW(clfs_crash_streams_test),
	{}
};

static struct kunit_suite clfs_crash_test_suite = {
	.name = "clfs_crash",
	.test_cases = clfs_crash_cases,
};

kunit_test_suites(&clfs_crash_test_suite);
