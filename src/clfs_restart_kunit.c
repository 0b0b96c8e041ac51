// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "clfs_restart": restart areas, reservations, the base LSN
 * and archive tail, wrap-around, a full log and truncation, on a crash
 * simulation device (/dev/clfscrash3, clfs_crashdev.h).
 *
 * Geometry: 512 KiB containers, 16 KiB marshalling buffers, 512-byte I/O
 * unit, so the metadata of a log with three containers is one 512-byte
 * write and every LSN below can be computed by hand: a block of records of
 * D data bytes holds 64 + n * (40 + round_up(D, 8)) bytes and takes that
 * rounded up to 512 on disk.
 *
 * Checked with exact LSNs, bytes, counts and errnos: the restart chain
 * over many checkpoints, before and after a reopen; write-restart-area
 * with and without a base move and a reservation, its bytes written;
 * reservation rounding, consumption of the smallest fitting one, release;
 * reserved records that still fit in a log where plain appends get
 * -ENOSPC, and a refused append that changes nothing; base and archive
 * tail rules and what becomes unreadable; ten and more laps of a log that
 * wraps, with a restart area read back after every checkpoint; truncation,
 * also across a crash; and crash points before, inside and after
 * write-restart-area.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include <linux/clfs.h>
#include "format/clfs_format.h"
#include "test/clfs_crashdev.h"
#include "test/clfs_test_util.h"
#include "clfs_log.h"		/* log->trim_steps */
#include "clfs_pause.h"

#define R_BLOCK		16384U
#define R_CONT		(512ULL << 10)
#define R_META		512U		/* one metadata copy, 3 containers */
#define R_BIG		16280U		/* data filling a 16 KiB block alone */

static struct clfs_crashdev *clfs_r_dev;

static const char *r_path(void)
{
	return clfs_crashdev_path(clfs_r_dev);
}

static void r_create(struct kunit *test, u32 n_conts, struct clfs_log **log,
		     struct clfs_marshal **ma)
{
	struct clfs_create_params p = {
		.block_size = R_BLOCK, .container_size = R_CONT,
		.n_containers = n_conts,
	};

	clfs_crashdev_reset(clfs_r_dev);
	KUNIT_ASSERT_EQ(test, clfs_log_create(r_path(), &p, log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(*log, R_BLOCK, 4, ma), 0);
}

static void r_reopen(struct kunit *test, struct clfs_log **log,
		     struct clfs_marshal **ma)
{
	KUNIT_ASSERT_EQ(test, clfs_log_close(*log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_open(r_path(), NULL, 0, log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(*log, R_BLOCK, 4, ma), 0);
}

/* Crash the device (what is not durable is lost), then reopen. */
static void r_crash_reopen(struct kunit *test, struct clfs_log **log,
			   struct clfs_marshal **ma)
{
	clfs_crashdev_crash_now(clfs_r_dev, CLFS_CRASH_DROP, 1);
	clfs_log_close(*log);	/* -EIO: the device is dead */
	clfs_crashdev_revive(clfs_r_dev);
	KUNIT_ASSERT_EQ(test, clfs_log_open(r_path(), NULL, 0, log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(*log, R_BLOCK, 4, ma), 0);
}

static void r_info(struct kunit *test, struct clfs_log *log,
		   struct clfs_log_info *info)
{
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, info), 0);
}

/* Append data record @i (@len bytes of seed @seed) with @flags. */
static u64 r_append(struct kunit *test, struct clfs_marshal *ma, u64 seed,
		    u32 i, u32 len, u32 flags)
{
	u64 lsn = 0;

	KUNIT_EXPECT_EQ_MSG(test, clfs_test_append(ma, seed, i, len,
						   CLFS_LSN_INVALID,
						   CLFS_LSN_INVALID,
						   CLFS_RECORD_DATA, flags,
						   &lsn), 0, "record %u", i);
	return lsn;
}

/* Write restart area @i: @len bytes of seed @seed. */
static int r_restart(struct clfs_marshal *ma, u64 seed, u32 i, u32 len,
		     const u64 *base, u32 flags, u32 *written, u64 *lsn)
{
	u8 *buf = kmalloc(max(len, 1U), GFP_KERNEL);
	int ret;

	if (!buf)
		return -ENOMEM;
	clfs_test_fill(buf, seed, i, len);
	ret = clfs_write_restart(ma, buf, len, base, flags, written, lsn);
	kfree(buf);
	return ret;
}

/* The restart chain, newest first, must be exactly @lsn[n-1] .. @lsn[0]. */
static void r_check_chain(struct kunit *test, struct clfs_log *log,
			  const u64 *lsn, u32 n, u64 seed, u32 len0)
{
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	int i;

	KUNIT_ASSERT_EQ(test, clfs_read_restart(log, &ctx, &rec), 0);
	for (i = n - 1; i >= 0; i--) {
		KUNIT_EXPECT_EQ_MSG(test, rec.lsn, lsn[i], "restart %d", i);
		KUNIT_EXPECT_EQ(test, rec.type, (u32)CLFS_RECORD_RESTART);
		KUNIT_EXPECT_EQ_MSG(test, clfs_test_check(&rec, seed, i,
							  len0 + i), 0,
				    "restart %d", i);
		if (i)
			KUNIT_ASSERT_EQ(test,
					clfs_read_previous_restart(ctx, &rec),
					0);
	}
	KUNIT_EXPECT_EQ(test, clfs_read_previous_restart(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
}

static void clfs_restart_chain_test(struct kunit *test)
{
	struct clfs_read_ctx *ctx;
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 lsn[20], got;
	u32 k, j, written;

	r_create(test, 3, &log, &ma);
	KUNIT_EXPECT_EQ(test, clfs_read_restart(log, &ctx, &rec), -ENODATA);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.restart_lsn, CLFS_LSN_INVALID);
	for (k = 0; k < 20; k++) {
		for (j = 0; j < 3; j++)
			KUNIT_EXPECT_EQ(test, r_append(test, ma, 1, 3 * k + j,
						       500, 0),
					clfs_lsn_make(0, 4096 + 2048 * k, j));
		/* 64 + 3 * 544 + 40 + 104..128 bytes: one 2 KiB block. */
		KUNIT_ASSERT_EQ(test, r_restart(ma, 2, k, 100 + k, NULL, 0,
						&written, &lsn[k]), 0);
		KUNIT_EXPECT_EQ(test, lsn[k],
				clfs_lsn_make(0, 4096 + 2048 * k, 3));
		KUNIT_EXPECT_EQ(test, written, 2048U + R_META);
	}
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.restart_lsn, lsn[19]);
	KUNIT_EXPECT_EQ(test, info.flushed_lsn, lsn[19]);
	KUNIT_EXPECT_EQ(test, info.base_lsn, CLFS_LSN_NULL);
	KUNIT_EXPECT_EQ(test, info.archive_tail, CLFS_LSN_INVALID);
	/* Three containers of 512 KiB less their 4 KiB headers. */
	KUNIT_EXPECT_EQ(test, info.total_bytes, 3ULL * (R_CONT - 4096));
	KUNIT_EXPECT_EQ(test, info.free_bytes, 3ULL * (R_CONT - 4096) -
			20 * 2048);
	KUNIT_EXPECT_EQ(test, info.io_unit, 512U);
	KUNIT_EXPECT_EQ(test, info.block_size, R_BLOCK);
	KUNIT_EXPECT_EQ(test, info.container_size, R_CONT);
	/* 3 container headers and 2 metadata copies at creation. */
	KUNIT_EXPECT_EQ(test, info.blocks_written, 20ULL);
	KUNIT_EXPECT_EQ(test, info.block_bytes, 20ULL * 2048);
	KUNIT_EXPECT_EQ(test, info.meta_writes, 22ULL);
	KUNIT_EXPECT_EQ(test, info.meta_bytes, 22ULL * R_META);
	KUNIT_EXPECT_EQ(test, info.dev_writes, 3ULL + 22 + 20);
	r_check_chain(test, log, lsn, 20, 2, 100);

	/* A data-record context is no restart context. */
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[3], CLFS_READ_PREVIOUS,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, clfs_read_previous_restart(ctx, &rec), -EINVAL);
	clfs_read_terminate(ctx);
	/* The restart filter of a forward read finds them all in order. */
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[0], CLFS_READ_FORWARD,
					       CLFS_TYPE_RESTART, &ctx, &rec),
			0);
	for (k = 1; k < 20; k++) {
		KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
		KUNIT_EXPECT_EQ(test, rec.lsn, lsn[k]);
	}
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);

	r_reopen(test, &log, &ma);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.restart_lsn, lsn[19]);
	r_check_chain(test, log, lsn, 20, 2, 100);
	/* The chain goes on after the reopen, in a new block. */
	got = r_append(test, ma, 1, 60, 500, 0);
	KUNIT_EXPECT_EQ(test, got, clfs_lsn_make(0, 4096 + 2048 * 20, 0));
	KUNIT_ASSERT_EQ(test, r_restart(ma, 2, 20, 120, NULL, 0, &written,
					&got), 0);
	KUNIT_EXPECT_EQ(test, got, clfs_lsn_make(0, 4096 + 2048 * 20, 1));
	/* 64 + 544 + 40 + 120: one 1 KiB block. */
	KUNIT_EXPECT_EQ(test, written, 1024U + R_META);
	KUNIT_ASSERT_EQ(test, clfs_read_restart(log, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, got);
	KUNIT_EXPECT_EQ(test, rec.previous, lsn[19]);
	KUNIT_ASSERT_EQ(test, clfs_read_previous_restart(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, lsn[19]);
	clfs_read_terminate(ctx);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static void clfs_restart_write_test(struct kunit *test)
{
	struct clfs_log_info info, before;
	struct clfs_read_ctx *ctx;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	s64 rsv[2] = { 200, 3000 };
	u64 lsn[10], bad, r1, r2;
	u32 i, written;

	r_create(test, 3, &log, &ma);
	for (i = 0; i < 10; i++) {
		lsn[i] = r_append(test, ma, 3, i, 1000, 0);
		KUNIT_EXPECT_EQ(test, lsn[i], clfs_lsn_make(0, 4096, i));
	}
	KUNIT_ASSERT_EQ(test, clfs_reserve_and_append(ma, NULL, 0,
						      CLFS_LSN_INVALID,
						      CLFS_LSN_INVALID, 2, rsv,
						      0, NULL), 0);
	/* 64 + 40 + 200 -> 512; 64 + 40 + 3000 -> 3584. */
	KUNIT_EXPECT_EQ(test, rsv[0], 512LL);
	KUNIT_EXPECT_EQ(test, rsv[1], 3584LL);
	r_info(test, log, &before);
	KUNIT_EXPECT_EQ(test, before.reserved_records, 2ULL);
	KUNIT_EXPECT_EQ(test, before.reserved_bytes, 4096ULL);

	/* Bad new bases change nothing: past the last LSN, inside a block. */
	bad = clfs_lsn_make(0, 4096, 10);
	KUNIT_EXPECT_EQ(test, r_restart(ma, 4, 0, 150, &bad, 0, NULL, NULL),
			-EINVAL);
	bad = clfs_lsn_make(0, 4096 + 512, 0);
	KUNIT_EXPECT_EQ(test, r_restart(ma, 4, 0, 150, &bad, 0, NULL, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, r_restart(ma, 4, 0, 150, NULL, 0x1, NULL, NULL),
			-EINVAL);
	/* USE_RESERVATION with nothing that fits 4000 bytes (4608). */
	KUNIT_EXPECT_EQ(test, r_restart(ma, 4, 0, 4000, NULL,
					CLFS_FLAG_USE_RESERVATION, NULL, NULL),
			-ENOENT);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn[9]);
	KUNIT_EXPECT_EQ(test, info.restart_lsn, CLFS_LSN_INVALID);
	KUNIT_EXPECT_EQ(test, info.blocks_written, before.blocks_written);
	KUNIT_EXPECT_EQ(test, info.meta_writes, before.meta_writes);
	KUNIT_EXPECT_EQ(test, info.reserved_records, 2ULL);

	/* Base move and reservation: 150 bytes take the 512-byte one. */
	KUNIT_ASSERT_EQ(test, r_restart(ma, 4, 0, 150, &lsn[4],
					CLFS_FLAG_USE_RESERVATION, &written,
					&r1), 0);
	KUNIT_EXPECT_EQ(test, r1, clfs_lsn_make(0, 4096, 10));
	/* 64 + 10 * 1040 + 40 + 152 = 10656 -> 10752, plus the metadata. */
	KUNIT_EXPECT_EQ(test, written, 10752U + R_META);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.base_lsn, lsn[4]);
	KUNIT_EXPECT_EQ(test, info.restart_lsn, r1);
	KUNIT_EXPECT_EQ(test, info.first_lsn, lsn[4]);
	KUNIT_EXPECT_EQ(test, info.reserved_records, 1ULL);
	KUNIT_EXPECT_EQ(test, info.reserved_bytes, 3584ULL);
	KUNIT_EXPECT_EQ(test, info.meta_writes, before.meta_writes + 1);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[3]), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[0]), -ENOENT);
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[4], CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	for (i = 5; i < 10; i++) {
		KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
		KUNIT_EXPECT_EQ(test, rec.lsn, lsn[i]);
		KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 3, i, 1000), 0);
	}
	KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, r1);
	KUNIT_EXPECT_EQ(test, rec.type, (u32)CLFS_RECORD_RESTART);
	KUNIT_EXPECT_EQ(test, rec.previous, CLFS_LSN_INVALID);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 4, 0, 150), 0);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);

	/* Below the current base: refused, nothing appended. */
	KUNIT_EXPECT_EQ(test, r_restart(ma, 4, 1, 150, &lsn[2], 0, NULL, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_advance_base(ma, lsn[3], 0), -EINVAL);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, r1);
	/* Without a reservation: the count stays; the base stays too. */
	KUNIT_ASSERT_EQ(test, r_restart(ma, 4, 1, 300, NULL, 0, &written,
					&r2), 0);
	KUNIT_EXPECT_EQ(test, r2, clfs_lsn_make(0, 4096 + 10752, 0));
	KUNIT_EXPECT_EQ(test, written, 512U + R_META);	/* 64 + 40 + 304 */
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.reserved_records, 1ULL);
	KUNIT_EXPECT_EQ(test, info.base_lsn, lsn[4]);
	KUNIT_EXPECT_EQ(test, info.restart_lsn, r2);

	/* The area's reservations go with it. */
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, R_BLOCK, 4, &ma), 0);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.reserved_records, 0ULL);
	KUNIT_EXPECT_EQ(test, info.reserved_bytes, 0ULL);

	r_reopen(test, &log, &ma);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.base_lsn, lsn[4]);
	KUNIT_EXPECT_EQ(test, info.restart_lsn, r2);
	KUNIT_EXPECT_EQ(test, info.last_lsn, r2);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[3]), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[4]), 0);
	KUNIT_ASSERT_EQ(test, clfs_read_restart(log, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, r2);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 4, 1, 300), 0);
	KUNIT_ASSERT_EQ(test, clfs_read_previous_restart(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, r1);
	KUNIT_EXPECT_EQ(test, clfs_read_previous_restart(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static void clfs_restart_reserve_test(struct kunit *test)
{
	static const u32 sizes[5] = { 0, 1, 408, 409, R_BIG };
	struct clfs_log_info info, before;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	s64 rsv[6] = { 4000, 4000, 4000, 4000, 4000, R_BIG };
	s64 one[2];
	u32 aligned[5], i, n, k;
	u64 total, lsn, last = 0;
	int ret = 0;

	r_create(test, 2, &log, &ma);
	KUNIT_ASSERT_EQ(test, clfs_align_reserved(ma, 5, sizes, aligned,
						  &total), 0);
	KUNIT_EXPECT_EQ(test, aligned[0], 512U);	/* 104 */
	KUNIT_EXPECT_EQ(test, aligned[1], 512U);	/* 112 */
	KUNIT_EXPECT_EQ(test, aligned[2], 512U);	/* 512 */
	KUNIT_EXPECT_EQ(test, aligned[3], 1024U);	/* 520 */
	KUNIT_EXPECT_EQ(test, aligned[4], R_BLOCK);	/* 16384 */
	KUNIT_EXPECT_EQ(test, total, 18944ULL);
	k = R_BIG + 1;
	KUNIT_EXPECT_EQ(test, clfs_align_reserved(ma, 1, &k, NULL, &total),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, clfs_align_reserved(ma, 0, sizes, NULL, &total),
			-EINVAL);
	/* Alloc and free take exactly the aligned total. */
	KUNIT_EXPECT_EQ(test, clfs_alloc_reserved(ma, 5, sizes, 18943), -EINVAL);
	KUNIT_ASSERT_EQ(test, clfs_alloc_reserved(ma, 5, sizes, 18944), 0);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.reserved_records, 5ULL);
	KUNIT_EXPECT_EQ(test, info.reserved_bytes, 18944ULL);
	KUNIT_EXPECT_EQ(test, clfs_free_reserved(ma, 5, sizes, 18944), 0);
	KUNIT_EXPECT_EQ(test, clfs_free_reserved(ma, 1, sizes, 512), -ENOENT);
	/* A release and a reservation in one call; 0 means nothing. */
	one[0] = 100;
	KUNIT_ASSERT_EQ(test, clfs_reserve_and_append(ma, NULL, 0, 0, 0, 1, one,
						      0, NULL), 0);
	one[0] = -100;
	one[1] = 2000;
	KUNIT_ASSERT_EQ(test, clfs_reserve_and_append(ma, NULL, 0, 0, 0, 2, one,
						      0, NULL), 0);
	KUNIT_EXPECT_EQ(test, one[0], -512LL);
	KUNIT_EXPECT_EQ(test, one[1], 2560LL);	/* 64 + 40 + 2000 */
	one[0] = -100;			/* no longer held: nothing changes */
	one[1] = 2000;
	KUNIT_EXPECT_EQ(test, clfs_reserve_and_append(ma, NULL, 0, 0, 0, 2, one,
						      0, NULL), -ENOENT);
	one[0] = 0;
	KUNIT_EXPECT_EQ(test, clfs_reserve_and_append(ma, NULL, 0, 0, 0, 1, one,
						      0, NULL), -EINVAL);
	one[0] = -2000;
	KUNIT_EXPECT_EQ(test, clfs_reserve_and_append(ma, NULL, 0, 0, 0, 1, one,
						      0, NULL), 0);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.reserved_records, 0ULL);
	KUNIT_EXPECT_EQ(test, info.reserved_bytes, 0ULL);

	/* Five 4000-byte records and one block-sized one, then fill up. */
	KUNIT_ASSERT_EQ(test, clfs_reserve_and_append(ma, NULL, 0, 0, 0, 6, rsv,
						      0, NULL), 0);
	KUNIT_EXPECT_EQ(test, rsv[0], 4608LL);
	KUNIT_EXPECT_EQ(test, rsv[5], (s64)R_BLOCK);
	for (n = 0; n < 1000; n++) {
		r_info(test, log, &before);
		ret = clfs_test_append(ma, 5, n, 4000, CLFS_LSN_INVALID,
				       CLFS_LSN_INVALID, CLFS_RECORD_DATA, 0,
				       &lsn);
		if (ret)
			break;
		last = lsn;
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	KUNIT_EXPECT_GT(test, n, 100U);
	/* The refused append changed nothing. */
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, last);
	KUNIT_EXPECT_EQ(test, info.blocks_written, before.blocks_written);
	KUNIT_EXPECT_EQ(test, info.free_bytes, before.free_bytes);
	KUNIT_EXPECT_EQ(test, info.appends, before.appends);
	KUNIT_EXPECT_EQ(test, info.reserved_records, 6ULL);
	KUNIT_EXPECT_EQ(test, info.reserved_bytes, 5ULL * 4608 + R_BLOCK);
	/* More reservations do not fit either. */
	one[0] = R_BIG;
	KUNIT_EXPECT_EQ(test, clfs_reserve_and_append(ma, NULL, 0, 0, 0, 1, one,
						      0, NULL), -ENOSPC);
	/* The reserved records all fit, each with a flush. */
	for (i = 0; i < 5; i++) {
		ret = clfs_test_append(ma, 5, n + i, 4000, CLFS_LSN_INVALID,
				       CLFS_LSN_INVALID, CLFS_RECORD_DATA,
				       CLFS_FLAG_USE_RESERVATION |
				       CLFS_FLAG_FORCE_FLUSH, &lsn);
		KUNIT_EXPECT_EQ_MSG(test, ret, 0, "reserved record %u", i);
		KUNIT_EXPECT_GT(test, lsn, last);
		last = lsn;
	}
	ret = clfs_test_append(ma, 5, n + 5, R_BIG, CLFS_LSN_INVALID,
			       CLFS_LSN_INVALID, CLFS_RECORD_DATA,
			       CLFS_FLAG_USE_RESERVATION, &lsn);
	KUNIT_EXPECT_EQ(test, ret, 0);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.reserved_records, 0ULL);
	KUNIT_EXPECT_EQ(test, clfs_test_append(ma, 5, n + 6, 8,
					       CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA,
					       CLFS_FLAG_USE_RESERVATION, &lsn),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_flush_buffers(ma), 0);
	r_reopen(test, &log, &ma);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.appends, 0ULL);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, info.last_lsn), 0);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * A reservation is a promise of room: removing a container may not leave
 * the log with fewer containers than it writes with while one is held
 * (found by tests/uapi/clfs_stress.c: a reserved append said -ENOSPC).
 * Without reservations, removal down to one container stays allowed, and
 * appends then get -ENOSPC.
 */
static void clfs_restart_remove_reserved_test(struct kunit *test)
{
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	s64 rsv[1] = { 1000 };
	u64 lsn = 0;

	r_create(test, 2, &log, &ma);
	KUNIT_ASSERT_EQ(test, clfs_reserve_and_append(ma, NULL, 0,
						      CLFS_LSN_INVALID,
						      CLFS_LSN_INVALID, 1, rsv,
						      0, NULL), 0);
	KUNIT_EXPECT_EQ(test, clfs_container_remove(log, 1), -EBUSY);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.n_containers, 2U);
	KUNIT_EXPECT_EQ(test, clfs_test_append(ma, 5, 0, 1000, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID, CLFS_RECORD_DATA,
					       CLFS_FLAG_USE_RESERVATION, &lsn), 0);
	KUNIT_EXPECT_EQ(test, lsn, clfs_lsn_make(0, 4096, 0));
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.reserved_records, 0ULL);

	KUNIT_EXPECT_EQ(test, clfs_container_remove(log, 1), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_append(ma, 5, 1, 1000, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID, CLFS_RECORD_DATA,
					       0, &lsn), -ENOSPC);
	rsv[0] = 1000;
	KUNIT_EXPECT_EQ(test, clfs_reserve_and_append(ma, NULL, 0,
						      CLFS_LSN_INVALID,
						      CLFS_LSN_INVALID, 1, rsv,
						      0, NULL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static void clfs_restart_tails_test(struct kunit *test)
{
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u64 lsn[30];
	u32 i;

	r_create(test, 3, &log, &ma);
	for (i = 0; i < 30; i++)
		lsn[i] = r_append(test, ma, 6, i, 1000, 0);
	/* 15 records of 1040 bytes per 16 KiB buffer. */
	KUNIT_EXPECT_EQ(test, lsn[14], clfs_lsn_make(0, 4096, 14));
	KUNIT_EXPECT_EQ(test, lsn[15], clfs_lsn_make(0, 4096 + 15872, 0));
	KUNIT_EXPECT_EQ(test, clfs_set_archive_tail(log, lsn[5]), 0);
	KUNIT_EXPECT_EQ(test, clfs_advance_base(ma, lsn[10], 0), 0);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.archive_tail, lsn[5]);
	KUNIT_EXPECT_EQ(test, info.base_lsn, lsn[10]);
	KUNIT_EXPECT_EQ(test, info.first_lsn, lsn[5]);
	/* Both moves made their records durable. */
	KUNIT_EXPECT_GE(test, info.flushed_lsn, lsn[10]);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[7]), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[4]), -ENOENT);
	/* Refused moves. */
	KUNIT_EXPECT_EQ(test, clfs_advance_base(ma, lsn[9], 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_advance_base(ma, lsn[29] + 1, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_advance_base(ma, lsn[11], 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_advance_base(ma, CLFS_LSN_INVALID, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_set_archive_tail(log, lsn[3]), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_set_archive_tail(log,
						    clfs_lsn_make(0, 4096, 15)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_set_archive_tail(log, lsn[20]), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[7]), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[10]), 0);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.first_lsn, lsn[10]);
	/* Base equal to the current one, and up to the last LSN. */
	KUNIT_EXPECT_EQ(test, clfs_advance_base(ma, lsn[10], 0), 0);
	KUNIT_EXPECT_EQ(test, clfs_advance_base(ma, lsn[29], 0), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[28]), 0);	/* tail 20 */

	r_reopen(test, &log, &ma);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.base_lsn, lsn[29]);
	KUNIT_EXPECT_EQ(test, info.archive_tail, lsn[20]);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn[29]);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[19]), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[20]), 0);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/* Item @k of the wrap workload, each alone in a 16 KiB block. */
static u64 r_wrap_lsn(u32 k)
{
	return clfs_lsn_make(k / 31, 4096 + (k % 31) * R_BLOCK, 0);
}

static void clfs_restart_wrap_test(struct kunit *test)
{
	struct clfs_read_ctx *ctx;
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 lsn, base, prev_restart = CLFS_LSN_INVALID;
	u32 k = 0, cycle, j, bad = 0;
	int ret;

	r_create(test, 3, &log, &ma);
	/* 31 blocks per container: 93 per lap; 10 items per checkpoint. */
	for (cycle = 0; cycle < 100 && !bad; cycle++) {
		for (j = 0; j < 9; j++, k++) {
			lsn = 0;
			clfs_test_append(ma, 8, k, R_BIG, CLFS_LSN_INVALID,
					 CLFS_LSN_INVALID, CLFS_RECORD_DATA,
					 CLFS_FLAG_FORCE_APPEND, &lsn);
			if (lsn != r_wrap_lsn(k))
				bad++;
		}
		base = cycle >= 2 ? r_wrap_lsn(k - 20) : CLFS_LSN_NULL;
		if (r_restart(ma, 9, k, R_BIG, cycle >= 2 ? &base : NULL, 0,
			      NULL, &lsn) || lsn != r_wrap_lsn(k))
			bad++;
		KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "cycle %u item %u", cycle,
				    k);
		if (clfs_read_restart(log, &ctx, &rec)) {
			bad++;
			break;
		}
		if (rec.lsn != r_wrap_lsn(k) || clfs_test_check(&rec, 9, k, R_BIG))
			bad++;
		ret = clfs_read_previous_restart(ctx, &rec);
		if (cycle ? ret || rec.lsn != prev_restart : ret != -ENOENT)
			bad++;
		clfs_read_terminate(ctx);
		/* The item before the new base is gone. */
		if (cycle >= 2 && clfs_test_read_errno(log, r_wrap_lsn(k - 21)) != -ENOENT)
			bad++;
		KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "restart of cycle %u", cycle);
		prev_restart = r_wrap_lsn(k);
		k++;
	}
	KUNIT_EXPECT_EQ(test, bad, 0U);
	/* 1000 items of 93 per lap: more than ten laps, ids past 30. */
	KUNIT_EXPECT_EQ(test, clfs_lsn_container(prev_restart), 999U / 31);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.n_containers, 3U);
	KUNIT_EXPECT_EQ(test, info.restart_lsn, prev_restart);
	KUNIT_EXPECT_EQ(test, info.base_lsn, r_wrap_lsn(k - 1 - 20));
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, r_wrap_lsn(k - 22)), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, r_wrap_lsn(5)), -ENOENT);

	r_reopen(test, &log, &ma);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.restart_lsn, prev_restart);
	KUNIT_EXPECT_EQ(test, info.last_lsn, prev_restart);
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, info.base_lsn,
					       CLFS_READ_FORWARD, CLFS_TYPE_ANY,
					       &ctx, &rec), 0);
	for (j = k - 21; j < k; j++) {
		KUNIT_EXPECT_EQ(test, rec.lsn, r_wrap_lsn(j));
		KUNIT_EXPECT_EQ_MSG(test, clfs_test_check(&rec,
							  j % 10 == 9 ? 9 : 8,
							  j, R_BIG), 0,
				    "item %u", j);
		if (j + 1 < k)
			KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
	}
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
	/* And it goes on after the reopen, in the next position. */
	lsn = r_append(test, ma, 8, k, R_BIG, CLFS_FLAG_FORCE_FLUSH);
	KUNIT_EXPECT_EQ(test, lsn, r_wrap_lsn(k));
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static void clfs_restart_truncate_test(struct kunit *test)
{
	struct clfs_read_ctx *ctx;
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 lsn[12], w1, w2, nl;
	u32 i;

	r_create(test, 3, &log, &ma);
	/* Block A: 0..3 and restart 1; B: 4..7; C: 8..11 and restart 2. */
	for (i = 0; i < 4; i++)
		lsn[i] = r_append(test, ma, 10, i, 1000, 0);
	KUNIT_ASSERT_EQ(test, r_restart(ma, 11, 0, 50, NULL, 0, NULL, &w1), 0);
	for (i = 4; i < 8; i++)
		lsn[i] = r_append(test, ma, 10, i, 1000,
				  i == 7 ? CLFS_FLAG_FORCE_APPEND : 0);
	for (i = 8; i < 12; i++)
		lsn[i] = r_append(test, ma, 10, i, 1000, 0);
	KUNIT_ASSERT_EQ(test, r_restart(ma, 11, 1, 50, NULL, 0, NULL, &w2), 0);
	/* A: 64 + 4 * 1040 + 96 = 4320 -> 4608; B: 64 + 4160 -> 4608. */
	KUNIT_EXPECT_EQ(test, w1, clfs_lsn_make(0, 4096, 4));
	KUNIT_EXPECT_EQ(test, lsn[5], clfs_lsn_make(0, 4096 + 4608, 1));
	KUNIT_EXPECT_EQ(test, lsn[8], clfs_lsn_make(0, 4096 + 9216, 0));
	KUNIT_EXPECT_EQ(test, w2, clfs_lsn_make(0, 4096 + 9216, 4));

	KUNIT_EXPECT_EQ(test, clfs_truncate(ma, w2 + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_truncate(ma, clfs_lsn_make(0, 4096 + 512, 0)),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, clfs_truncate(ma, lsn[5]), 0);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn[5]);
	KUNIT_EXPECT_EQ(test, info.restart_lsn, w1);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[6]), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[8]), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, w2), -ENOENT);
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[4], CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, lsn[5]);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
	/* The next record goes after B (which keeps 4608 bytes on disk). */
	nl = r_append(test, ma, 12, 0, 1000, 0);
	KUNIT_EXPECT_EQ(test, nl, clfs_lsn_make(0, 4096 + 9216, 0));

	/* Crash without flushing it: the log ends at lsn[5]. */
	r_crash_reopen(test, &log, &ma);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn[5]);
	KUNIT_EXPECT_EQ(test, info.restart_lsn, w1);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[6]), -ENOENT);
	KUNIT_ASSERT_EQ(test, clfs_read_restart(log, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, w1);
	clfs_read_terminate(ctx);
	/* Now a flushed record after the truncation survives a crash. */
	nl = r_append(test, ma, 12, 0, 1000, CLFS_FLAG_FORCE_FLUSH);
	KUNIT_EXPECT_EQ(test, nl, clfs_lsn_make(0, 4096 + 9216, 0));
	r_crash_reopen(test, &log, &ma);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, nl);
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[0], CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	for (i = 1; i <= 7; i++) {
		KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
		if (i < 4)
			KUNIT_EXPECT_EQ(test, rec.lsn, lsn[i]);
		else if (i == 4)
			KUNIT_EXPECT_EQ(test, rec.lsn, w1);
		else if (i < 7)
			KUNIT_EXPECT_EQ(test, rec.lsn, lsn[i - 1]);
		else
			KUNIT_EXPECT_EQ(test, rec.lsn, nl);
	}
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 12, 0, 1000), 0);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
	/* Truncation below the base is refused. */
	KUNIT_EXPECT_EQ(test, clfs_advance_base(ma, lsn[4], 0), 0);
	KUNIT_EXPECT_EQ(test, clfs_truncate(ma, lsn[3]), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * A call run in a kthread, so that one that never returns is seen: an
 * append of record 2 of seed 13 with @flags, or (@truncate) a truncation
 * to @lsn.
 */
struct r_job {
	struct clfs_marshal *ma;
	bool truncate;
	u32 flags;
	int ret;
	u64 lsn;
	struct completion done;
	/* or a read_next on @ctx into @rec, or removing container @remove */
	struct clfs_read_ctx *ctx;
	struct clfs_record *rec;
	struct clfs_log *log;
	u32 remove;
	/* or set the archive tail of @log to @lsn, or delete @ma */
	bool archive;
	bool delete_ma;
	/* or close @log, or flush @ma to @lsn */
	bool close;
	bool flush;
	/* the append, with one reservation change (in and out) */
	s64 *rsv;
};

/* @job's append (record 2 of seed 13, 100 bytes) with @job->rsv. */
static int r_job_append_rsv(struct r_job *job)
{
	struct kvec iov;
	u8 *buf = kmalloc(100, GFP_KERNEL);
	int ret;

	if (!buf)
		return -ENOMEM;
	clfs_test_fill(buf, 13, 2, 100);
	iov.iov_base = buf;
	iov.iov_len = 100;
	ret = clfs_reserve_and_append(job->ma, &iov, 1, CLFS_LSN_INVALID,
				      CLFS_LSN_INVALID, 1, job->rsv,
				      job->flags, &job->lsn);
	kfree(buf);
	return ret;
}

static int r_job_fn(void *arg)
{
	struct r_job *job = arg;

	if (job->ctx)
		job->ret = clfs_read_next(job->ctx, job->rec);
	else if (job->close)
		job->ret = clfs_log_close(job->log);
	else if (job->flush)
		job->ret = clfs_flush_to_lsn(job->ma, job->lsn, NULL);
	else if (job->archive)
		job->ret = clfs_set_archive_tail(job->log, job->lsn);
	else if (job->delete_ma)
		job->ret = clfs_marshal_delete(job->ma);
	else if (job->log)
		job->ret = clfs_container_remove(job->log, job->remove);
	else if (job->truncate)
		job->ret = clfs_truncate(job->ma, job->lsn);
	else if (job->rsv)
		job->ret = r_job_append_rsv(job);
	else
		job->ret = clfs_test_append(job->ma, 13, 2, 100,
					    CLFS_LSN_INVALID, CLFS_LSN_INVALID,
					    CLFS_RECORD_DATA, job->flags,
					    &job->lsn);
	complete(&job->done);
	return 0;
}

/* Start @job in a kthread; r_job_wait() collects it. */
static void r_job_start(struct kunit *test, struct r_job *job)
{
	struct task_struct *task;

	init_completion(&job->done);
	task = kthread_run(r_job_fn, job, "clfs-r-job");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
}

static bool r_job_wait(struct r_job *job, unsigned long timeout)
{
	return wait_for_completion_timeout(&job->done, timeout) != 0;
}

/*
 * The jobs a test runs in threads (@c may be NULL), zeroed; if one
 * cannot be had, none is kept and the test fails.  A job whose thread
 * never returns is left allocated, for it.
 */
static bool r_jobs_new(struct kunit *test, struct r_job **a,
		       struct r_job **b, struct r_job **c)
{
	*a = kzalloc(sizeof(**a), GFP_KERNEL);
	*b = kzalloc(sizeof(**b), GFP_KERNEL);
	if (c)
		*c = kzalloc(sizeof(**c), GFP_KERNEL);
	if (*a && *b && (!c || *c))
		return true;
	kfree(*a);
	kfree(*b);
	if (c)
		kfree(*c);
	KUNIT_FAIL(test, "out of memory");
	return false;
}

/*
 * Run @job in a kthread and wait up to 30 s.  Returns false (and leaves
 * the job allocated, for the thread) if the call did not return.
 */
static bool r_job_run(struct kunit *test, struct r_job *job)
{
	r_job_start(test, job);
	return r_job_wait(job, 30 * HZ);
}

/*
 * A new log where record A (0 of @seed) is forced out and durable at
 * (0, 4096), and B (1) follows it in the open buffer.
 */
static void r_durable_then_open(struct kunit *test, u64 seed,
				struct clfs_log **log, struct clfs_marshal **ma,
				u64 *a, u64 *b)
{
	r_create(test, 3, log, ma);
	*a = r_append(test, *ma, seed, 0, 100,
		      CLFS_FLAG_FORCE_APPEND | CLFS_FLAG_FORCE_FLUSH);
	*b = r_append(test, *ma, seed, 1, 100, 0);
	/* A's block: 64 + 40 + 104 = 208 bytes, 512 on disk. */
	KUNIT_EXPECT_EQ(test, *a, clfs_lsn_make(0, 4096, 0));
	KUNIT_EXPECT_EQ(test, *b, clfs_lsn_make(0, 4096 + 512, 0));
}

/*
 * Truncation while a write buffer is open.  With a ring of four buffers:
 * A is forced out and flushed, B stays in the open buffer, the log is
 * truncated to A (B is dropped), and C is appended with FORCE_FLUSH.  The
 * dropped buffer's ring slot used to stay between the ring's head and its
 * next slot: the completion work stopped at it for good and C's flush
 * never returned.  C runs in a kthread with a 30 s limit, so that a wedged
 * ring fails the case instead of hanging the run; the wedged log and the
 * job are then left behind on purpose (closing the log would hang too).
 */
static void clfs_restart_truncate_open_test(struct kunit *test)
{
	struct clfs_read_ctx *ctx;
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	struct r_job *job;
	u64 a, b;

	r_durable_then_open(test, 13, &log, &ma, &a, &b);
	KUNIT_ASSERT_EQ(test, clfs_truncate(ma, a), 0);

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, job);
	job->ma = ma;
	job->flags = CLFS_FLAG_FORCE_FLUSH;
	if (!r_job_run(test, job)) {
		KUNIT_FAIL(test, "FORCE_FLUSH append: no return in 30 s, ring wedged");
		return;
	}
	KUNIT_EXPECT_EQ(test, job->ret, 0);
	/* C goes where B was: right after A's block. */
	KUNIT_EXPECT_EQ(test, job->lsn, clfs_lsn_make(0, 4096 + 512, 0));
	kfree(job);

	/* C is durable: it survives a crash, and B is gone. */
	r_crash_reopen(test, &log, &ma);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, clfs_lsn_make(0, 4096 + 512, 0));
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, a, CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 13, 0, 100), 0);
	KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, clfs_lsn_make(0, 4096 + 512, 0));
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 13, 2, 100), 0);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * A truncation whose metadata write fails changes nothing.  A is durable,
 * B waits in the open buffer, and the truncation to A meets a device that
 * fails writes: -EIO.  The open buffer used to be dropped before that
 * write, so B was gone although the call failed, and a flush of B waited
 * for a block that nobody would write.  Now B is flushed (in a kthread
 * with a 30 s limit) once the device works again, and survives a crash.
 */
static void clfs_restart_truncate_fail_test(struct kunit *test)
{
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	struct r_job *job;
	u64 a, b;

	r_durable_then_open(test, 14, &log, &ma, &a, &b);
	clfs_crashdev_fail(clfs_r_dev, CLFS_CRASHDEV_WRITE);
	KUNIT_EXPECT_EQ(test, clfs_truncate(ma, a), -EIO);
	clfs_crashdev_fail(clfs_r_dev, 0);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, b);

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, job);
	job->ma = ma;
	job->lsn = b;
	job->flush = true;
	if (!r_job_run(test, job)) {
		KUNIT_FAIL(test, "flush of B: no return in 30 s");
		return;
	}
	KUNIT_EXPECT_EQ(test, job->ret, 0);
	kfree(job);
	r_crash_reopen(test, &log, &ma);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, b);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, b), 0);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * Seal the block image @buf (whose header is right) with the log's crc
 * again and write it to the device at @dev_off: a block as a hostile
 * image would carry it, valid in every check of the block itself.
 */
static void r_reseal(struct kunit *test, u64 dev_off, u8 *buf)
{
	struct clfs_meta_info *mi;
	u8 *meta;
	u32 size;

	mi = kunit_kzalloc(test, sizeof(*mi), GFP_KERNEL);
	meta = kunit_kzalloc(test, CLFS_META_COPY_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, mi && meta);
	KUNIT_ASSERT_EQ(test, clfs_crashdev_peek(clfs_r_dev, CLFS_META_A_OFFSET,
						 meta, CLFS_META_COPY_SIZE), 0);
	KUNIT_ASSERT_EQ(test, clfs_meta_decode(meta, CLFS_META_COPY_SIZE, mi), 0);
	size = clfs_block_seal(buf, mi->io_unit, clfs_seed(mi->uuid));
	KUNIT_ASSERT_EQ(test, clfs_crashdev_poke(clfs_r_dev, dev_off, buf,
						 size), 0);
	kunit_kfree(test, meta);
	kunit_kfree(test, mi);
}

/*
 * Set the previous LSN of the record at @lsn (in container 0) on the
 * device to @prev, sealed again (r_reseal()).
 */
static void r_poke_previous(struct kunit *test, u64 lsn, u64 prev)
{
	u64 blk = lsn - clfs_lsn_record(lsn);
	u64 dev_off = CLFS_CONTAINERS_START + clfs_lsn_block_offset(lsn);
	__le64 v = cpu_to_le64(prev);
	struct clfs_record_view rv = {};
	struct clfs_block_info bi;
	u32 off = CLFS_FIRST_RECORD;
	u8 *buf;

	buf = kunit_kzalloc(test, R_BLOCK, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, clfs_crashdev_peek(clfs_r_dev, dev_off, buf,
						 R_BLOCK), 0);
	clfs_block_state(buf, blk, &bi);
	do {
		KUNIT_ASSERT_EQ(test, clfs_record_at(buf, bi.used, off, &rv), 0);
		off = rv.next_offset;
	} while (rv.lsn != lsn);
	memcpy(buf + rv.data_offset - sizeof(struct clfs_record_header) +
	       offsetof(struct clfs_record_header, previous), &v, sizeof(v));
	r_reseal(test, dev_off, buf);
}

/* Truncate to @lsn in a kthread: its result, or -ETIME after 30 s. */
static int r_truncate_job(struct kunit *test, struct clfs_marshal *ma,
			  u64 lsn)
{
	struct r_job *job = kzalloc(sizeof(*job), GFP_KERNEL);
	int ret;

	if (!job)
		return -ENOMEM;
	job->ma = ma;
	job->truncate = true;
	job->lsn = lsn;
	if (!r_job_run(test, job))
		return -ETIME;	/* the job stays: its thread still runs */
	ret = job->ret;
	kfree(job);
	return ret;
}

/*
 * A restart chain that loops on disk.  R1 and R2 are restart areas (R2's
 * previous is R1); R1's previous is then set, with a valid block crc, to
 * R1 itself, and later to R2 (a two-record cycle).  Truncating below R1
 * walks that chain from R2: it must refuse the loop as corrupt (-EUCLEAN,
 * nothing changed) instead of following it forever with tail_mutex held;
 * a reader of the restart chain stops at the bad link (-ENOENT).  The
 * truncation runs in a kthread with a 30 s limit, so that the old endless
 * walk fails the case instead of hanging the run.
 */
static void clfs_restart_loop_test(struct kunit *test)
{
	struct clfs_read_ctx *ctx;
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 d0, w1, w2;
	int ret, k;

	r_create(test, 3, &log, &ma);
	d0 = r_append(test, ma, 14, 0, 100, CLFS_FLAG_FORCE_APPEND);
	KUNIT_ASSERT_EQ(test, r_restart(ma, 14, 1, 50, NULL, 0, NULL, &w1), 0);
	r_append(test, ma, 14, 2, 100, CLFS_FLAG_FORCE_APPEND);
	KUNIT_ASSERT_EQ(test, r_restart(ma, 14, 3, 50, NULL, 0, NULL, &w2), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);

	for (k = 0; k < 2; k++) {
		/* k 0: R1 -> R1; k 1: R1 -> R2 -> R1 -> ... */
		r_poke_previous(test, w1, k ? w2 : w1);
		KUNIT_ASSERT_EQ(test, clfs_log_open(r_path(), NULL, 0, &log), 0);
		KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, R_BLOCK, 4, &ma),
				0);
		ret = r_truncate_job(test, ma, d0);
		if (ret == -ETIME) {
			KUNIT_FAIL(test, "truncate, R1 -> %s: no return in 30 s",
				   k ? "R2 -> R1" : "R1");
			return;
		}
		KUNIT_EXPECT_EQ_MSG(test, ret, -EUCLEAN, "R1 -> %s",
				    k ? "R2" : "R1");
		r_info(test, log, &info);
		KUNIT_EXPECT_EQ(test, info.last_lsn, w2);
		KUNIT_EXPECT_EQ(test, info.restart_lsn, w2);
		KUNIT_ASSERT_EQ(test, clfs_read_restart(log, &ctx, &rec), 0);
		KUNIT_EXPECT_EQ(test, rec.lsn, w2);
		KUNIT_ASSERT_EQ(test, clfs_read_previous_restart(ctx, &rec), 0);
		KUNIT_EXPECT_EQ(test, rec.lsn, w1);
		KUNIT_EXPECT_EQ(test, clfs_read_previous_restart(ctx, &rec),
				-ENOENT);
		clfs_read_terminate(ctx);
		KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
	}
}

/*
 * Fill @lsn[0..479] with records of 1000 bytes of seed @seed, four to a
 * block (4608 bytes on disk), flushed: container 0 fills and the writer
 * moves into container 1.  Returns the index of the first record there.
 */
static u32 r_fill_into_c1(struct kunit *test, struct clfs_marshal *ma,
			  u64 seed, u64 *lsn)
{
	u32 i, c1 = 0;

	for (i = 0; i < 480; i++) {
		lsn[i] = r_append(test, ma, seed, i, 1000,
				  i % 4 == 3 ? CLFS_FLAG_FORCE_APPEND : 0);
		if (!c1 && clfs_lsn_container(lsn[i]) == 1)
			c1 = i;
	}
	KUNIT_ASSERT_EQ(test, clfs_flush_buffers(ma), 0);
	return c1;
}

/*
 * Remove container @id while @reader's block read is parked in the
 * device: the removal must wait for the read (cont_rwsem), the read then
 * find its block gone (-ENOENT) and the removal succeed, leaving two
 * containers.  Terminates the reader's context.
 */
static void r_remove_under_read(struct kunit *test, struct clfs_log *log,
				struct r_job *reader, struct r_job *remover,
				u32 id)
{
	struct clfs_container_entry ce[3];
	u32 n, total;
	bool early;

	remover->log = log;
	remover->remove = id;
	r_job_start(test, remover);
	early = r_job_wait(remover, HZ);
	KUNIT_EXPECT_FALSE_MSG(test, early, "the removal returned %d at once",
			       remover->ret);
	clfs_crashdev_release(clfs_r_dev);
	KUNIT_ASSERT_TRUE(test, r_job_wait(reader, 30 * HZ));
	KUNIT_ASSERT_TRUE(test, early || r_job_wait(remover, 30 * HZ));
	KUNIT_EXPECT_EQ(test, reader->ret, -ENOENT);
	KUNIT_EXPECT_EQ(test, remover->ret, 0);
	clfs_read_terminate(reader->ctx);
	KUNIT_EXPECT_EQ(test, clfs_container_scan(log, 0, 3, ce, &n, &total), 0);
	KUNIT_EXPECT_EQ(test, total, 2U);
}

/*
 * A container removed while a block read from it is in flight (the
 * CVE-2025-29824 class).  Container 0 fills with blocks of four records,
 * the writer moves on into container 1, a reader stands on the last
 * record of container 0's first block, and its next read, of the second
 * block (4608 bytes: two device reads), is parked in the device.  The base
 * then moves into container 1, which recycles container 0, and container
 * 0 is removed.  Before, the removal freed the container under the read,
 * whose second device read then used it (KASAN: use-after-free).  Now the
 * removal waits for the read (cont_rwsem); the read finds its block
 * recycled (-ENOENT), and then the removal succeeds.
 */
static void clfs_restart_read_remove_test(struct kunit *test)
{
	struct clfs_container_entry ce[3];
	struct r_job *reader, *remover;
	struct clfs_read_ctx *ctx;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u32 i, n, total, c1 = 0;
	u64 *lsn = kunit_kcalloc(test, 480, sizeof(*lsn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, lsn);
	r_create(test, 3, &log, &ma);
	c1 = r_fill_into_c1(test, ma, 15, lsn);
	KUNIT_ASSERT_GT(test, c1, 8U);
	KUNIT_ASSERT_EQ(test, clfs_container_scan(log, 0, 3, ce, &n, &total), 0);
	KUNIT_ASSERT_EQ(test, n, 3U);
	for (i = 0; i < n && ce[i].logical_id; i++)
		;
	KUNIT_ASSERT_LT(test, i, n);

	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[3], CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	reader = kunit_kzalloc(test, sizeof(*reader), GFP_KERNEL);
	remover = kunit_kzalloc(test, sizeof(*remover), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, reader && remover);
	reader->ctx = ctx;
	reader->rec = &rec;

	clfs_crashdev_hold(clfs_r_dev, CLFS_CRASHDEV_READ);
	r_job_start(test, reader);
	KUNIT_ASSERT_TRUE(test, clfs_crashdev_held(clfs_r_dev, 1, 10 * HZ));
	clfs_crashdev_hold(clfs_r_dev, 0);	/* that one read stays parked */
	KUNIT_ASSERT_EQ(test, clfs_advance_base(ma, lsn[c1], 0), 0);
	r_remove_under_read(test, log, reader, remover, ce[i].physical_id);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * A marshalling area deleted while SET_ARCHIVE_TAIL looks a record up
 * through it.  The lookup's block read is parked in the device, and the
 * area is deleted from a second thread.  The lookup used to count as an
 * open read context: the deletion failed with -EBUSY, and through
 * /dev/clfs (whose release ignores that) the area stayed attached to the
 * log for good, so a new one could not be created.  Then the deletion
 * waited for the tail move.  Now tail moves use no area at all (a log has
 * any number of them): the deletion returns at once, the move completes
 * on its own after the read, and a new area can be created.
 */
static void clfs_restart_delete_lookup_test(struct kunit *test)
{
	struct r_job *mover, *deleter;
	struct clfs_log_info info;
	bool early;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u64 lsn[8];
	u32 i;

	r_create(test, 3, &log, &ma);
	for (i = 0; i < 8; i++)
		lsn[i] = r_append(test, ma, 16, i, 1000,
				  i % 4 == 3 ? CLFS_FLAG_FORCE_APPEND : 0);
	KUNIT_ASSERT_EQ(test, clfs_flush_buffers(ma), 0);
	mover = kunit_kzalloc(test, sizeof(*mover), GFP_KERNEL);
	deleter = kunit_kzalloc(test, sizeof(*deleter), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, mover && deleter);
	mover->log = log;
	mover->archive = true;
	mover->lsn = lsn[1];
	deleter->ma = ma;
	deleter->delete_ma = true;

	clfs_crashdev_hold(clfs_r_dev, CLFS_CRASHDEV_READ);
	r_job_start(test, mover);
	KUNIT_ASSERT_TRUE(test, clfs_crashdev_held(clfs_r_dev, 1, 10 * HZ));
	r_job_start(test, deleter);
	/* The deletion need not wait for the tail move in progress. */
	early = r_job_wait(deleter, 30 * HZ);
	KUNIT_EXPECT_TRUE(test, early);
	KUNIT_EXPECT_FALSE(test, completion_done(&mover->done));
	clfs_crashdev_release(clfs_r_dev);
	KUNIT_ASSERT_TRUE(test, r_job_wait(mover, 30 * HZ));
	KUNIT_ASSERT_TRUE(test, early || r_job_wait(deleter, 30 * HZ));
	KUNIT_EXPECT_EQ(test, mover->ret, 0);
	KUNIT_EXPECT_EQ(test, deleter->ret, 0);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.archive_tail, lsn[1]);
	/* The log has no area left: a new one can be created. */
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, R_BLOCK, 4, &ma), 0);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * A log whose every block cuts the one before it short (the hostile-image
 * class of defect 4): 1,000 blocks of two records, and in each block but
 * the first, prev_last names record 0 of the block before, sealed with a
 * valid crc.  The open notes a truncation for 999 blocks; the notes used
 * to be a list that every insertion and every block read walked whole
 * (about 500,000 steps for the open, as many for a read of every block:
 * n^2, 1.5 hours for an image of 1 GiB).  Now each costs a walk down an
 * rbtree: the steps the notes take are counted (log->trim_steps), not
 * timed, and must stay below 24 per block for the open after a crash and
 * again for the read; after a clean close, for the first read, which
 * notes the blocks as it goes, below 48.  What the reader sees is exact:
 * record 0 of every block, and both records of the last one.
 */
#define R_TRIMS	1000U

static u64 r_trim_block(u32 k)
{
	return clfs_lsn_make(0, 4096 + 512 * k, 0);
}

/* Read the log of the trim test forward; the steps the notes took. */
static u64 r_trim_read(struct kunit *test, struct clfs_log *log)
{
	u64 steps = READ_ONCE(log->trim_steps);
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	u32 k;

	KUNIT_ASSERT_EQ(test, clfs_read_record(log, r_trim_block(0),
					       CLFS_READ_FORWARD, CLFS_TYPE_ANY,
					       &ctx, &rec), 0);
	for (k = 0; k < R_TRIMS; k++) {
		if (k)
			KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
		KUNIT_ASSERT_EQ(test, rec.lsn, r_trim_block(k));
		KUNIT_ASSERT_EQ(test, clfs_test_check(&rec, 16, 2 * k, 100), 0);
	}
	KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, r_trim_block(R_TRIMS - 1) + 1);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 16, 2 * R_TRIMS - 1, 100),
			0);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
	return READ_ONCE(log->trim_steps) - steps;
}

static void clfs_restart_trim_explosion_test(struct kunit *test)
{
	struct clfs_block_header *h;
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u64 dev_off, steps;
	u8 *buf = kunit_kzalloc(test, 512, GFP_KERNEL);
	u32 k;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	h = (struct clfs_block_header *)buf;
	r_create(test, 3, &log, &ma);
	for (k = 0; k < R_TRIMS; k++) {
		/* 64 + 2 * (40 + 104) = 352 bytes: 512 on disk */
		KUNIT_ASSERT_EQ(test, r_append(test, ma, 16, 2 * k, 100, 0),
				r_trim_block(k));
		r_append(test, ma, 16, 2 * k + 1, 100, CLFS_FLAG_FORCE_APPEND);
	}
	/* A crash: no clean-close marker, the open scans. */
	KUNIT_ASSERT_EQ(test, clfs_flush_buffers(ma), 0);
	clfs_crashdev_crash_now(clfs_r_dev, CLFS_CRASH_DROP, 1);
	clfs_log_close(log);	/* -EIO: the device is dead */
	clfs_crashdev_revive(clfs_r_dev);
	for (k = 1; k < R_TRIMS; k++) {
		dev_off = CLFS_CONTAINERS_START +
			  clfs_lsn_block_offset(r_trim_block(k));
		KUNIT_ASSERT_EQ(test, clfs_crashdev_peek(clfs_r_dev, dev_off,
							 buf, 512), 0);
		h->prev_last = cpu_to_le64(r_trim_block(k - 1));
		r_reseal(test, dev_off, buf);
	}

	KUNIT_ASSERT_EQ(test, clfs_log_open(r_path(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, R_BLOCK, 4, &ma), 0);
	steps = READ_ONCE(log->trim_steps);
	kunit_info(test, "open: %llu steps in the truncation notes for %u blocks\n",
		   steps, R_TRIMS);
	KUNIT_EXPECT_LE(test, steps, 24ULL * R_TRIMS);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, r_trim_block(R_TRIMS - 1) + 1);

	steps = r_trim_read(test, log);
	kunit_info(test, "read: %llu steps\n", steps);
	KUNIT_EXPECT_LE(test, steps, 24ULL * R_TRIMS);
	/* Closed cleanly: the first read notes the blocks as it goes. */
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_open(r_path(), NULL, 0, &log), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(log->trim_steps), 0ULL);
	steps = r_trim_read(test, log);
	kunit_info(test, "read after a clean close: %llu steps\n", steps);
	KUNIT_EXPECT_LE(test, steps, 48ULL * R_TRIMS);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * The pause hook: the first time the engine reaches @point after
 * r_pause_arm(), it signals @in and waits for @go (30 s at most).
 */
static struct {
	atomic_t armed;
	enum clfs_pause_point point;
	struct completion in, go;
} r_pause;

static void r_pause_hook(struct clfs_log *log, enum clfs_pause_point point)
{
	if (point != r_pause.point || atomic_xchg(&r_pause.armed, 0) != 1)
		return;
	/*
	 * Both points may sleep here: the crash device completes from its
	 * workqueue when it delays.
	 */
	complete(&r_pause.in);
	wait_for_completion_timeout(&r_pause.go, 30 * HZ);
}

static void r_pause_arm(enum clfs_pause_point point)
{
	init_completion(&r_pause.in);
	init_completion(&r_pause.go);
	r_pause.point = point;
	atomic_set(&r_pause.armed, 1);
	clfs_pause_set(r_pause_hook);
}

/*
 * Wait up to 10 s for @what to reach the armed pause point.  If it does
 * not, the point is disarmed, the device's held bios run, and the test
 * fails: the caller returns.
 */
static bool r_pause_reached(struct kunit *test, const char *what)
{
	if (wait_for_completion_timeout(&r_pause.in, 10 * HZ))
		return true;
	clfs_pause_set(NULL);
	clfs_crashdev_hold(clfs_r_dev, 0);
	clfs_crashdev_release(clfs_r_dev);
	KUNIT_FAIL(test, "%s never reached its pause point", what);
	return false;
}

/*
 * A block write's completion still running when its log is closed (defect
 * 6).  Writes complete from the crash device's workqueue.  A's completion
 * publishes A as done and is held right there (the pause point before it
 * retires blocks); B's completion, beside it, retires A and B, so a flush
 * returns and the log can be closed.  The close used to free the log at
 * once, and A's completion then used it (it queued work on the log's
 * destroyed workqueue then; now it would take io_lock in the freed log:
 * KASAN, use-after-free).  The close waits for every completion to
 * return (log->bios), and returns 0 once A's has.
 */
static void clfs_restart_end_io_close_test(struct kunit *test)
{
	struct clfs_marshal *ma;
	struct clfs_log *log;
	struct r_job *closer;
	bool early;

	closer = kunit_kzalloc(test, sizeof(*closer), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, closer);
	r_create(test, 3, &log, &ma);
	clfs_crashdev_delay(clfs_r_dev, CLFS_CRASHDEV_WRITE, 0, 1);
	r_pause_arm(CLFS_PAUSE_END_IO);

	KUNIT_EXPECT_EQ(test, r_append(test, ma, 17, 0, 100,
				       CLFS_FLAG_FORCE_APPEND),
			clfs_lsn_make(0, 4096, 0));
	if (!r_pause_reached(test, "A's completion"))
		return;
	KUNIT_EXPECT_EQ(test, r_append(test, ma, 17, 1, 100,
				       CLFS_FLAG_FORCE_APPEND),
			clfs_lsn_make(0, 4096 + 512, 0));
	KUNIT_EXPECT_EQ(test, clfs_flush_buffers(ma), 0);

	closer->log = log;
	closer->close = true;
	r_job_start(test, closer);
	early = r_job_wait(closer, HZ);
	KUNIT_EXPECT_FALSE_MSG(test, early,
			       "the log was closed under a running completion");
	complete(&r_pause.go);
	KUNIT_EXPECT_TRUE(test, early || r_job_wait(closer, 30 * HZ));
	KUNIT_EXPECT_EQ(test, closer->ret, 0);
	clfs_pause_set(NULL);
	clfs_crashdev_delay(clfs_r_dev, 0, 0, 0);

	/* Both records were durable before the close. */
	KUNIT_ASSERT_EQ(test, clfs_log_open(r_path(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, R_BLOCK, 4, &ma), 0);
	KUNIT_EXPECT_EQ(test,
			clfs_test_read_errno(log, clfs_lsn_make(0, 4096 + 512, 0)),
			0);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * Defect 1, the route through truncation: the read-context check of a
 * truncation is made once, at its start.  The truncation's lookup of its
 * record is parked in the device; meanwhile a reader opens on the last
 * record of container 1's first block, and its next read (of the second
 * block) is parked too.  The truncation then completes, to the
 * last record of container 0, and container 1, now past the end, is
 * removed while the reader's read is in flight.  The removal must wait
 * for the read (cont_rwsem); the read then finds its block truncated away
 * (-ENOENT), and the removal succeeds.
 */
static void clfs_restart_truncate_remove_test(struct kunit *test)
{
	struct r_job *trunc, *reader, *remover;
	struct clfs_container_entry ce[3];
	struct clfs_read_ctx *ctx;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u32 i, n, total, c1 = 0, r;
	u64 *lsn = kunit_kcalloc(test, 480, sizeof(*lsn), GFP_KERNEL);

	trunc = kunit_kzalloc(test, sizeof(*trunc), GFP_KERNEL);
	reader = kunit_kzalloc(test, sizeof(*reader), GFP_KERNEL);
	remover = kunit_kzalloc(test, sizeof(*remover), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, lsn && trunc && reader && remover);
	r_create(test, 3, &log, &ma);
	c1 = r_fill_into_c1(test, ma, 18, lsn);
	KUNIT_ASSERT_GT(test, c1, 8U);
	/* r: record 0 of container 1's second block */
	for (r = c1 + 1; r < 480 && clfs_lsn_record(lsn[r]); r++)
		;
	KUNIT_ASSERT_LT(test, r + 4, 480U);
	KUNIT_ASSERT_EQ(test, clfs_lsn_container(lsn[r]), 1U);
	KUNIT_ASSERT_EQ(test, clfs_container_scan(log, 0, 3, ce, &n, &total), 0);
	for (i = 0; i < n && ce[i].logical_id != 1; i++)
		;
	KUNIT_ASSERT_LT(test, i, n);

	trunc->ma = ma;
	trunc->truncate = true;
	trunc->lsn = lsn[c1 - 1];
	clfs_crashdev_hold(clfs_r_dev, CLFS_CRASHDEV_READ);
	r_job_start(test, trunc);
	KUNIT_ASSERT_TRUE(test, clfs_crashdev_held(clfs_r_dev, 1, 10 * HZ));
	clfs_crashdev_hold(clfs_r_dev, 0);
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[r - 1],
					       CLFS_READ_FORWARD, CLFS_TYPE_ANY,
					       &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 18, r - 1, 1000), 0);
	reader->ctx = ctx;
	reader->rec = &rec;
	clfs_crashdev_hold(clfs_r_dev, CLFS_CRASHDEV_READ);
	r_job_start(test, reader);
	KUNIT_ASSERT_TRUE(test, clfs_crashdev_held(clfs_r_dev, 2, 10 * HZ));
	clfs_crashdev_hold(clfs_r_dev, 0);

	/* The truncation's read only: it completes past its one check. */
	clfs_crashdev_release_first(clfs_r_dev, 1);
	KUNIT_ASSERT_TRUE(test, r_job_wait(trunc, 30 * HZ));
	KUNIT_EXPECT_EQ(test, trunc->ret, 0);

	r_remove_under_read(test, log, reader, remover, ce[i].physical_id);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[c1 - 1]), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, lsn[c1]), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * A truncation beside a group-commit flush (found by the model test,
 * clfs_model_kunit.c).  A is durable, B written but not yet.  A flush to
 * B notes "completed up to B" and is held at its pause point before the
 * cache flush; meanwhile the log is truncated to A, which sets the
 * durable LSN back to A, and then the flush goes on.  The flusher used to
 * raise the durable LSN to B all the same, past the log's end: then C,
 * appended next where B was (the same LSN), counted as durable at once, a
 * flush to C returned without a write, and a crash lost C.  Now the
 * flusher leaves the watermark alone after a truncation (and its flush to
 * B fails with -ENOENT: B is gone), and C survives the crash.
 */
static void clfs_restart_flush_truncate_test(struct kunit *test)
{
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct r_job *flusher;
	struct clfs_log *log;
	u64 a, b, c;

	flusher = kunit_kzalloc(test, sizeof(*flusher), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, flusher);
	r_create(test, 3, &log, &ma);
	a = r_append(test, ma, 19, 0, 100, CLFS_FLAG_FORCE_FLUSH);
	b = r_append(test, ma, 19, 1, 100, CLFS_FLAG_FORCE_APPEND);
	KUNIT_EXPECT_EQ(test, a, clfs_lsn_make(0, 4096, 0));
	KUNIT_EXPECT_EQ(test, b, clfs_lsn_make(0, 4096 + 512, 0));

	r_pause_arm(CLFS_PAUSE_FLUSH);
	flusher->ma = ma;
	flusher->flush = true;
	flusher->lsn = b;
	r_job_start(test, flusher);
	if (!r_pause_reached(test, "the flush"))
		return;
	KUNIT_EXPECT_EQ(test, r_truncate_job(test, ma, a), 0);
	complete(&r_pause.go);
	clfs_pause_set(NULL);
	KUNIT_ASSERT_TRUE(test, r_job_wait(flusher, 30 * HZ));
	KUNIT_EXPECT_EQ(test, flusher->ret, -ENOENT);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, a);
	KUNIT_EXPECT_EQ(test, info.flushed_lsn, a);

	c = r_append(test, ma, 19, 2, 100, 0);
	KUNIT_EXPECT_EQ(test, c, b);
	KUNIT_EXPECT_EQ(test, clfs_flush_to_lsn(ma, c, NULL), 0);
	r_crash_reopen(test, &log, &ma);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, c);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, c), 0);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * A (record 0, FORCE_FLUSH) durable, then B (record 1, FORCE_APPEND) in
 * flight, its write held in the device; *@a and *@b receive their LSNs.
 */
static void r_durable_then_held(struct kunit *test, struct clfs_marshal *ma,
				u64 *a, u64 *b)
{
	*a = r_append(test, ma, 19, 0, 100, CLFS_FLAG_FORCE_FLUSH);
	clfs_crashdev_hold(clfs_r_dev, CLFS_CRASHDEV_WRITE);
	*b = r_append(test, ma, 19, 1, 100, CLFS_FLAG_FORCE_APPEND);
	KUNIT_EXPECT_EQ(test, *b, clfs_lsn_make(0, 4096 + 512, 0));
	KUNIT_ASSERT_TRUE(test, clfs_crashdev_held(clfs_r_dev, 1, 10 * HZ));
}

/*
 * Truncate @ma's log to @to with writes held in the device: the
 * truncation stops at its pause point (io_mutex held); then it and the
 * writes go on, and it must succeed.  False if it never got there.
 */
static bool r_truncate_held(struct kunit *test, struct r_job *trunc,
			    struct clfs_marshal *ma, u64 to)
{
	r_pause_arm(CLFS_PAUSE_TRUNCATE);
	trunc->ma = ma;
	trunc->truncate = true;
	trunc->lsn = to;
	r_job_start(test, trunc);
	if (!r_pause_reached(test, "the truncation"))
		return false;
	complete(&r_pause.go);
	clfs_pause_set(NULL);
	clfs_crashdev_hold(clfs_r_dev, 0);
	clfs_crashdev_release(clfs_r_dev);
	KUNIT_ASSERT_TRUE(test, r_job_wait(trunc, 30 * HZ));
	KUNIT_EXPECT_EQ(test, trunc->ret, 0);
	return true;
}

/*
 * A truncation meets a forced batch waiting in the open buffer (group
 * commit).  A is durable; B (FORCE_APPEND) is in flight, held in the
 * device; C (FORCE_FLUSH, reserving room for a record of 100 bytes) waits
 * in the open buffer for B's write, as a forced batch.  A truncation to A
 * stops at its pause point, holding io_mutex before it waits for B.  B
 * lands: its completion finds the batch due but cannot seal it (io_mutex
 * is the truncation's), and leaves it to seal_work.  The truncation drops
 * the open buffer and cuts C: C's call returns -ENOENT, and seal_work
 * finds nothing to send.  C had been appended and its reservation made,
 * and the call says so: C's LSN, and the size rounded as a reservation
 * without a record rounds it (it used to leave the size as asked, as
 * when -ENOENT means that nothing changed, so the caller could not tell
 * that it holds a reservation).  The next record gets B's LSN again, and
 * is durable.
 */
static void clfs_restart_truncate_batch_test(struct kunit *test)
{
	const u64 c = clfs_lsn_make(0, 4096 + 1024, 0);
	s64 rounded = 100, rsv = -100;
	struct r_job *jc, *trunc;
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u64 a, b, d;
	u32 tries;

	jc = kunit_kzalloc(test, sizeof(*jc), GFP_KERNEL);
	trunc = kunit_kzalloc(test, sizeof(*trunc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, jc);
	KUNIT_ASSERT_NOT_NULL(test, trunc);
	r_create(test, 3, &log, &ma);
	/* What a reservation for 100 bytes holds, made and released. */
	KUNIT_ASSERT_EQ(test, clfs_reserve_and_append(ma, NULL, 0,
						      CLFS_LSN_INVALID,
						      CLFS_LSN_INVALID, 1,
						      &rounded, 0, NULL), 0);
	KUNIT_EXPECT_GT(test, rounded, 100);
	KUNIT_ASSERT_EQ(test, clfs_reserve_and_append(ma, NULL, 0,
						      CLFS_LSN_INVALID,
						      CLFS_LSN_INVALID, 1,
						      &rsv, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, rsv, -rounded);
	r_durable_then_held(test, ma, &a, &b);
	rsv = 100;
	jc->ma = ma;
	jc->rsv = &rsv;
	jc->flags = CLFS_FLAG_FORCE_FLUSH;
	r_job_start(test, jc);
	for (tries = 0; tries < 500; tries++) {
		r_info(test, log, &info);
		if (info.appends == 3)
			break;
		msleep(20);
	}
	KUNIT_ASSERT_EQ(test, info.appends, 3ULL);
	KUNIT_EXPECT_EQ(test, info.last_lsn, c);
	KUNIT_EXPECT_FALSE(test, r_job_wait(jc, HZ / 10));

	if (!r_truncate_held(test, trunc, ma, a))
		return;
	KUNIT_ASSERT_TRUE(test, r_job_wait(jc, 30 * HZ));
	KUNIT_EXPECT_EQ(test, jc->ret, -ENOENT);
	/* C and its reservation had taken effect: the call says so. */
	KUNIT_EXPECT_EQ(test, jc->lsn, c);
	KUNIT_EXPECT_EQ(test, rsv, rounded);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, a);
	KUNIT_EXPECT_EQ(test, info.flushed_lsn, a);
	/* The reservation is held, and can be released once. */
	rsv = -100;
	KUNIT_EXPECT_EQ(test, clfs_reserve_and_append(ma, NULL, 0,
						      CLFS_LSN_INVALID,
						      CLFS_LSN_INVALID, 1,
						      &rsv, 0, NULL), 0);
	rsv = -100;
	KUNIT_EXPECT_EQ(test, clfs_reserve_and_append(ma, NULL, 0,
						      CLFS_LSN_INVALID,
						      CLFS_LSN_INVALID, 1,
						      &rsv, 0, NULL), -ENOENT);

	d = r_append(test, ma, 19, 3, 100, CLFS_FLAG_FORCE_FLUSH);
	KUNIT_EXPECT_EQ(test, d, b);
	r_crash_reopen(test, &log, &ma);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, d);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/* An asynchronous flush's wait (struct clfs_flush_req) and its end. */
struct r_async {
	struct clfs_flush_req req;
	struct completion done;
	atomic_t calls;
	int ret;
};

static void r_async_done(struct clfs_flush_req *req, int ret)
{
	struct r_async *a = container_of(req, struct r_async, req);

	a->ret = ret;
	atomic_inc(&a->calls);
	complete(&a->done);
}

static void r_async_init(struct r_async *a)
{
	memset(a, 0, sizeof(*a));
	a->req.done = r_async_done;
	init_completion(&a->done);
}

/* Append record @i (@len bytes of seed 23) with FORCE_FLUSH through @a. */
static int r_append_async(struct clfs_marshal *ma, u32 i, u32 len,
			  struct r_async *a, u64 *lsn)
{
	u8 *buf = kmalloc(len, GFP_KERNEL);
	struct kvec kv = { .iov_len = len };
	struct iov_iter it;
	int ret;

	if (!buf)
		return -ENOMEM;
	clfs_test_fill(buf, 23, i, len);
	kv.iov_base = buf;
	iov_iter_kvec(&it, ITER_SOURCE, &kv, 1, len);
	r_async_init(a);
	ret = clfs_append_iter_async(ma, &it, CLFS_LSN_INVALID,
				     CLFS_LSN_INVALID, CLFS_RECORD_DATA,
				     CLFS_FLAG_FORCE_FLUSH, lsn, &a->req);
	kfree(buf);
	return ret;
}

static bool r_async_wait(struct r_async *a, unsigned long timeout)
{
	return wait_for_completion_timeout(&a->done, timeout);
}

/*
 * Asynchronous flushes: nobody sleeps, each wait ends once with its
 * record's fate.  A is durable; B (FORCE_APPEND) is held in the device.
 * C is appended with FORCE_FLUSH through a request, and waits in the
 * open buffer as a forced batch; a flush of B through another request
 * waits for B's write, a flush of A ends at once (0, no callback).
 * Neither ends before the write lands; then both end with 0, once each,
 * C durable.  Then D is held in the device and E waits behind it; a
 * truncation to C, held at its pause point, removes E: E's wait ends
 * with -ENOENT, and the next record gets E's LSN.
 */
static void clfs_restart_async_flush_test(struct kunit *test)
{
	struct clfs_flush_req bad = { .done = NULL };
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct r_async *as;
	struct r_job *trunc;
	struct clfs_log *log;
	u64 a, b, c, d, e, f;
	int i;

	as = kunit_kcalloc(test, 5, sizeof(*as), GFP_KERNEL);
	trunc = kunit_kzalloc(test, sizeof(*trunc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, as);
	KUNIT_ASSERT_NOT_NULL(test, trunc);
	r_create(test, 3, &log, &ma);
	r_durable_then_held(test, ma, &a, &b);

	KUNIT_EXPECT_EQ(test, r_append_async(ma, 2, 100, &as[0], &c),
			-EIOCBQUEUED);
	KUNIT_EXPECT_EQ(test, c, clfs_lsn_make(0, 4096 + 1024, 0));
	r_async_init(&as[1]);
	KUNIT_EXPECT_EQ(test, clfs_flush_to_lsn_async(ma, b, &as[1].req),
			-EIOCBQUEUED);
	r_async_init(&as[2]);
	KUNIT_EXPECT_EQ(test, clfs_flush_to_lsn_async(ma, a, &as[2].req), 0);
	KUNIT_EXPECT_EQ(test, as[2].req.flushed, a);
	/* Bad requests and LSNs change nothing. */
	KUNIT_EXPECT_EQ(test, clfs_flush_to_lsn_async(ma, a, &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_flush_buffers_async(ma, &bad), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_flush_to_lsn_async(ma, CLFS_LSN_INVALID,
						      &as[2].req), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_flush_to_lsn_async(ma, c + 1, &as[2].req),
			-ENOENT);
	KUNIT_EXPECT_FALSE(test, r_async_wait(&as[0], HZ / 10));
	KUNIT_EXPECT_FALSE(test, completion_done(&as[1].done));
	KUNIT_EXPECT_FALSE(test, clfs_crashdev_held(clfs_r_dev, 2, 0));

	clfs_crashdev_hold(clfs_r_dev, 0);
	clfs_crashdev_release(clfs_r_dev);
	for (i = 0; i < 2; i++) {
		KUNIT_ASSERT_TRUE(test, r_async_wait(&as[i], 30 * HZ));
		KUNIT_EXPECT_EQ(test, as[i].ret, 0);
		KUNIT_EXPECT_GE(test, as[i].req.flushed, i ? b : c);
	}
	msleep(50);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, atomic_read(&as[i].calls), i < 2 ? 1 : 0);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.flushed_lsn, c);
	r_async_init(&as[2]);
	KUNIT_EXPECT_EQ(test, clfs_flush_buffers_async(ma, &as[2].req), 0);
	KUNIT_EXPECT_EQ(test, as[2].req.flushed, c);

	/* A truncation removes a record whose wait is queued. */
	clfs_crashdev_hold(clfs_r_dev, CLFS_CRASHDEV_WRITE);
	d = r_append(test, ma, 19, 3, 100, CLFS_FLAG_FORCE_APPEND);
	KUNIT_ASSERT_TRUE(test, clfs_crashdev_held(clfs_r_dev, 1, 10 * HZ));
	KUNIT_EXPECT_EQ(test, d, clfs_lsn_make(0, 4096 + 1536, 0));
	KUNIT_EXPECT_EQ(test, r_append_async(ma, 4, 100, &as[3], &e),
			-EIOCBQUEUED);
	KUNIT_EXPECT_EQ(test, e, clfs_lsn_make(0, 4096 + 2048, 0));
	r_async_init(&as[4]);
	KUNIT_EXPECT_EQ(test, clfs_flush_buffers_async(ma, &as[4].req),
			-EIOCBQUEUED);
	if (!r_truncate_held(test, trunc, ma, c))
		return;
	KUNIT_ASSERT_TRUE(test, r_async_wait(&as[3], 30 * HZ));
	KUNIT_EXPECT_EQ(test, as[3].ret, -ENOENT);
	/* The whole-log flush follows the truncation to its new end. */
	KUNIT_ASSERT_TRUE(test, r_async_wait(&as[4], 30 * HZ));
	KUNIT_EXPECT_EQ(test, as[4].ret, 0);
	KUNIT_EXPECT_EQ(test, as[4].req.flushed, c);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, c);
	KUNIT_EXPECT_EQ(test, info.flushed_lsn, c);
	KUNIT_EXPECT_EQ(test, atomic_read(&as[3].calls), 1);

	f = r_append(test, ma, 19, 5, 100, CLFS_FLAG_FORCE_FLUSH);
	KUNIT_EXPECT_EQ(test, f, d);
	r_crash_reopen(test, &log, &ma);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, f);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * Start @trunc, a truncation of @ma's log to @to, and park its first
 * device read: it has passed its check for open read contexts, and holds
 * neither scan.mutex nor io_mutex.  Reads after it go on.
 */
static void r_truncate_parked(struct kunit *test, struct r_job *trunc,
			      struct clfs_marshal *ma, u64 to)
{
	trunc->ma = ma;
	trunc->truncate = true;
	trunc->lsn = to;
	clfs_crashdev_hold(clfs_r_dev, CLFS_CRASHDEV_READ);
	r_job_start(test, trunc);
	KUNIT_ASSERT_TRUE(test, clfs_crashdev_held(clfs_r_dev, 1, 10 * HZ));
	clfs_crashdev_hold(clfs_r_dev, 0);	/* that one read stays parked */
}

/*
 * A block read that meets a truncation and a new block at its LSN (found
 * by the model test).  Block X-1 holds two records of 100 bytes (512
 * bytes on disk: one device read), X four of 1000 bytes (4608 bytes: a
 * device read of the header, then one of the rest).  A truncation to
 * X-1's last record passes its read-context
 * check and is held (its lookup's read parked); a reader then opens on
 * that record, and its next read, of X, is parked too.  The truncation
 * completes; X's header is read (still the old X); a new record is
 * appended and flushed, which writes a new block where X was, with X's
 * LSN; then the rest of X is read: the new block's.  The two reads used
 * to disagree and the read failed with -EUCLEAN (and a kernel message
 * about a corrupt block) on a log that is fine.  Now the read sees the
 * truncation and reads again: it returns the new record.
 */
static void clfs_restart_read_truncate_test(struct kunit *test)
{
	struct r_job *trunc, *reader;
	struct clfs_read_ctx *ctx;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 lsn[6], c;
	u32 i;

	if (!r_jobs_new(test, &trunc, &reader, NULL))
		return;
	r_create(test, 3, &log, &ma);
	for (i = 0; i < 6; i++)
		lsn[i] = r_append(test, ma, 20, i, i < 2 ? 100 : 1000,
				  i == 1 || i == 5 ? CLFS_FLAG_FORCE_APPEND : 0);
	/* 64 + 2 * 144 bytes: 512 on disk; 64 + 4 * 1040: 4608 */
	KUNIT_EXPECT_EQ(test, lsn[1], clfs_lsn_make(0, 4096, 1));
	KUNIT_EXPECT_EQ(test, lsn[2], clfs_lsn_make(0, 4096 + 512, 0));
	KUNIT_ASSERT_EQ(test, clfs_flush_buffers(ma), 0);

	r_truncate_parked(test, trunc, ma, lsn[1]);
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[1], CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	reader->ctx = ctx;
	reader->rec = &rec;
	clfs_crashdev_hold(clfs_r_dev, CLFS_CRASHDEV_READ);
	r_job_start(test, reader);
	KUNIT_ASSERT_TRUE(test, clfs_crashdev_held(clfs_r_dev, 2, 10 * HZ));

	/* The truncation's read, then X's header: the old X. */
	clfs_crashdev_release_first(clfs_r_dev, 1);
	KUNIT_ASSERT_TRUE(test, r_job_wait(trunc, 30 * HZ));
	KUNIT_EXPECT_EQ(test, trunc->ret, 0);
	clfs_crashdev_release_first(clfs_r_dev, 1);
	KUNIT_ASSERT_TRUE(test, clfs_crashdev_held(clfs_r_dev, 1, 10 * HZ));
	clfs_crashdev_hold(clfs_r_dev, 0);

	/* A new block where X was, then the rest of X is read. */
	c = r_append(test, ma, 20, 8, 1000, CLFS_FLAG_FORCE_FLUSH);
	KUNIT_EXPECT_EQ(test, c, lsn[2]);
	clfs_crashdev_release(clfs_r_dev);
	KUNIT_ASSERT_TRUE(test, r_job_wait(reader, 30 * HZ));
	KUNIT_EXPECT_EQ(test, reader->ret, 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, c);
	if (!reader->ret)
		KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 20, 8, 1000), 0);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
	kfree(trunc);
	kfree(reader);
}

/*
 * @filler appends through @ma with @flags; its copy is held at its pause
 * point (@what: whose).  False (the test failed) if it never got there.
 */
static bool r_fill_held(struct kunit *test, struct r_job *filler,
			struct clfs_marshal *ma, u32 flags, const char *what)
{
	r_pause_arm(CLFS_PAUSE_FILL);
	filler->ma = ma;
	filler->flags = flags;
	r_job_start(test, filler);
	return r_pause_reached(test, what);
}

/* Let @filler's copy, held at its pause point, go on: it appended @lsn. */
static void r_copy_go(struct kunit *test, struct r_job *filler, u64 lsn)
{
	complete(&r_pause.go);
	clfs_pause_set(NULL);
	KUNIT_ASSERT_TRUE(test, r_job_wait(filler, 30 * HZ));
	KUNIT_EXPECT_EQ(test, filler->ret, 0);
	KUNIT_EXPECT_EQ(test, filler->lsn, lsn);
}

/*
 * @job meets @filler's copy, held at its pause point: it must still be
 * waiting after half a second (@what: what it did otherwise).  Then the
 * copy goes on (its record at @lsn), and both calls return.
 */
static void r_meet_copy(struct kunit *test, struct r_job *filler, u64 lsn,
			struct r_job *job, const char *what)
{
	r_job_start(test, job);
	KUNIT_EXPECT_FALSE_MSG(test, r_job_wait(job, HZ / 2), "%s", what);
	r_copy_go(test, filler, lsn);
	KUNIT_ASSERT_TRUE(test, r_job_wait(job, 30 * HZ));
}

/* One record a forward read must return: its LSN, and test bytes. */
struct r_want {
	u64 lsn;
	u64 seed;
	u32 i;
};

/*
 * A forward read of @log from @w[0].lsn returns exactly the @n records
 * of @w (100 bytes each), then the end.
 */
static void r_expect_forward(struct kunit *test, struct clfs_log *log,
			     const struct r_want *w, u32 n)
{
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	u32 k;

	KUNIT_ASSERT_EQ(test, clfs_read_record(log, w[0].lsn,
					       CLFS_READ_FORWARD, CLFS_TYPE_ANY,
					       &ctx, &rec), 0);
	for (k = 0; k < n; k++) {
		if (k)
			KUNIT_ASSERT_EQ_MSG(test, clfs_read_next(ctx, &rec), 0,
					    "record %u", k);
		KUNIT_EXPECT_EQ(test, rec.lsn, w[k].lsn);
		KUNIT_EXPECT_EQ_MSG(test, clfs_test_check(&rec, w[k].seed,
							  w[k].i, 100), 0,
				    "record %u", k);
	}
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
}

/*
 * The decoupled fill: an append copies its record's bytes after dropping
 * io_mutex, holding its block (clfs_buf_hold()).  Here that copy is held
 * at its pause point while others meet the block.
 *
 * 1. X (FORCE_FLUSH) is placed at 4608 and its block sealed at once (the
 *    device is idle), but the copy is held: the block may not be written
 *    yet.  B (FORCE_APPEND) gets the next block, 5120, written first; a
 *    reader of X waits for the copy.  Once it runs, X's block is written
 *    and X's call returns; the reader gets X's exact bytes, then B's.
 * 2. Y (no flags) is placed in the open block at 5632 and its copy held;
 *    a truncation to B must wait for the copy before it drops the block
 *    (else the copy would write into a buffer opened again elsewhere).
 *    Then Y is cut, and C gets Y's LSN.  After a crash every acknowledged
 *    record reads back exactly.
 */
static void clfs_restart_fill_test(struct kunit *test)
{
	const u64 x = clfs_lsn_make(0, 4608, 0), y = clfs_lsn_make(0, 5632, 0);
	struct r_job *filler, *reader, *trunc;
	struct clfs_read_ctx *ctx;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log_info info;
	struct clfs_log *log;
	u64 a, b, c, w0;

	if (!r_jobs_new(test, &filler, &reader, &trunc))
		return;
	r_create(test, 3, &log, &ma);
	a = r_append(test, ma, 19, 0, 100, CLFS_FLAG_FORCE_FLUSH);
	KUNIT_EXPECT_EQ(test, a, clfs_lsn_make(0, 4096, 0));

	/* 1: a seal and a reader meet X's copy. */
	if (!r_fill_held(test, filler, ma, CLFS_FLAG_FORCE_FLUSH, "X's copy"))
		return;
	w0 = clfs_crashdev_writes(clfs_r_dev);
	b = r_append(test, ma, 19, 1, 100, CLFS_FLAG_FORCE_APPEND);
	KUNIT_EXPECT_EQ(test, b, clfs_lsn_make(0, 5120, 0));
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, a, CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	reader->ctx = ctx;
	reader->rec = &rec;
	r_job_start(test, reader);
	KUNIT_EXPECT_FALSE_MSG(test, r_job_wait(reader, HZ / 2),
			       "a reader read X before its copy");
	KUNIT_EXPECT_EQ_MSG(test, clfs_crashdev_writes(clfs_r_dev), w0 + 1,
			    "X's block was written before its copy");
	r_copy_go(test, filler, x);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(clfs_r_dev), w0 + 2);
	KUNIT_ASSERT_TRUE(test, r_job_wait(reader, 30 * HZ));
	KUNIT_EXPECT_EQ(test, reader->ret, 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, x);
	if (!reader->ret)
		KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 13, 2, 100), 0);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, b);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 19, 1, 100), 0);
	clfs_read_terminate(ctx);

	/* 2: a truncation meets Y's copy. */
	if (!r_fill_held(test, filler, ma, 0, "Y's copy"))
		return;
	trunc->ma = ma;
	trunc->truncate = true;
	trunc->lsn = b;
	r_meet_copy(test, filler, y, trunc,
		    "the truncation dropped Y's block under its copy");
	KUNIT_EXPECT_EQ(test, trunc->ret, 0);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, b);
	c = r_append(test, ma, 19, 3, 100, CLFS_FLAG_FORCE_FLUSH);
	KUNIT_EXPECT_EQ(test, c, y);

	r_crash_reopen(test, &log, &ma);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, c);
	r_expect_forward(test, log, (const struct r_want[]){
		{ a, 19, 0 }, { x, 13, 2 }, { b, 19, 1 }, { c, 19, 3 } }, 4);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
	kfree(filler);
	kfree(reader);
	kfree(trunc);
}

/*
 * After a clean close: open a forward read on @lsn[3], the last record of
 * the first block, and start @reader's next read, of the block after it.
 * The scan has just read that block: the reader takes a copy of the
 * scan's window and is held at its pause point before it uses it.  False
 * (the test failed) if it never got there.
 */
static bool r_lend_held(struct kunit *test, struct clfs_log *log,
			const u64 *lsn, struct r_job *reader,
			struct clfs_record *rec)
{
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[3], CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &reader->ctx,
					       rec), 0);
	reader->rec = rec;
	r_pause_arm(CLFS_PAUSE_LEND);
	r_job_start(test, reader);
	return r_pause_reached(test, "the reader's copy of the scan's window");
}

/* Let @reader, held at its pause point, go on, and collect it. */
static void r_reader_go(struct kunit *test, struct r_job *reader)
{
	complete(&r_pause.go);
	clfs_pause_set(NULL);
	KUNIT_ASSERT_TRUE(test, r_job_wait(reader, 30 * HZ));
}

/*
 * A forward read after a clean close takes a copy of the scan's window
 * (clfs_scan_lend()); the two things that can change the bytes it holds
 * meet that copy between the lend and its use.  Blocks of four records
 * of 1000 bytes (4608 bytes on disk).
 *
 * 1. A truncation.  It must have passed its check for open read
 *    contexts before the reader opens (else -EBUSY): its lookup's first
 *    device read is parked.  The reader opens on record 3, and its next
 *    read, of block 1, is held with its copy of the window.  The
 *    truncation goes on and cuts the log after record 3, and a new
 *    record is appended and flushed: a new block with block 1's LSN.
 *    The reader must return the new record, not old record 4 from its
 *    copy (log->cuts changed: the copy no longer holds), then the end.
 * 2. Container removal.  The reader is held likewise in container 0;
 *    the base moves into container 1, which recycles container 0, and
 *    container 0 is removed: the removal need not wait for the reader
 *    (its copy is its own).  The reader must find its block gone
 *    (-ENOENT), not return old record 4.  This half guards the order:
 *    the block's lookup after the lend fails whatever the copy holds.
 */
static void clfs_restart_lend_meet_test(struct kunit *test)
{
	struct clfs_container_entry ce[3];
	struct clfs_read_ctx *ctx;
	struct r_job *trunc, *reader;
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u32 i, n, total, c1;
	u64 *lsn, c;

	lsn = kunit_kcalloc(test, 480, sizeof(*lsn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lsn);
	if (!r_jobs_new(test, &trunc, &reader, NULL))
		return;

	/* 1: a truncation. */
	r_create(test, 3, &log, &ma);
	for (i = 0; i < 40; i++)
		lsn[i] = r_append(test, ma, 41, i, 1000,
				  i % 4 == 3 ? CLFS_FLAG_FORCE_APPEND : 0);
	KUNIT_EXPECT_EQ(test, lsn[4], clfs_lsn_make(0, 4096 + 4608, 0));
	KUNIT_ASSERT_EQ(test, clfs_flush_buffers(ma), 0);
	r_reopen(test, &log, &ma);
	/* Index block 0 first: the truncation's lookup then reads no window. */
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[3], CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	clfs_read_terminate(ctx);
	r_truncate_parked(test, trunc, ma, lsn[3]);
	if (!r_lend_held(test, log, lsn, reader, &rec)) {
		clfs_crashdev_release(clfs_r_dev);
		return;
	}
	clfs_crashdev_release(clfs_r_dev);
	KUNIT_ASSERT_TRUE(test, r_job_wait(trunc, 30 * HZ));
	KUNIT_EXPECT_EQ(test, trunc->ret, 0);
	c = r_append(test, ma, 41, 100, 1000, CLFS_FLAG_FORCE_FLUSH);
	KUNIT_EXPECT_EQ(test, c, lsn[4]);
	r_reader_go(test, reader);
	KUNIT_EXPECT_EQ(test, reader->ret, 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, c);
	if (!reader->ret)
		KUNIT_EXPECT_EQ_MSG(test, clfs_test_check(&rec, 41, 100, 1000),
				    0, "the old record 4 from the copy");
	KUNIT_EXPECT_EQ(test, clfs_read_next(reader->ctx, &rec), -ENOENT);
	clfs_read_terminate(reader->ctx);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, c);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);

	/* 2: container removal. */
	r_create(test, 3, &log, &ma);
	c1 = r_fill_into_c1(test, ma, 42, lsn);
	KUNIT_ASSERT_GT(test, c1, 8U);
	r_reopen(test, &log, &ma);
	KUNIT_ASSERT_EQ(test, clfs_container_scan(log, 0, 3, ce, &n, &total), 0);
	KUNIT_ASSERT_EQ(test, n, 3U);
	for (i = 0; i < n && ce[i].logical_id; i++)
		;
	KUNIT_ASSERT_LT(test, i, n);
	memset(reader, 0, sizeof(*reader));
	if (!r_lend_held(test, log, lsn, reader, &rec))
		return;
	KUNIT_EXPECT_EQ(test, clfs_advance_base(ma, lsn[c1], 0), 0);
	KUNIT_EXPECT_EQ(test, clfs_container_remove(log, ce[i].physical_id), 0);
	r_reader_go(test, reader);
	KUNIT_EXPECT_EQ(test, reader->ret, -ENOENT);
	clfs_read_terminate(reader->ctx);
	KUNIT_EXPECT_EQ(test, clfs_container_scan(log, 0, 3, ce, &n, &total), 0);
	KUNIT_EXPECT_EQ(test, total, 2U);
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[c1], CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 42, c1, 1000), 0);
	clfs_read_terminate(ctx);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
	kfree(trunc);
	kfree(reader);
}

/* Has the open buffer moved on from the block at @lsn (sealed, dropped)? */
static bool r_block_left(struct clfs_log *log, u64 lsn)
{
	bool left;

	mutex_lock(&log->io_mutex);
	left = !log->cur || log->cur->lsn != lsn;
	mutex_unlock(&log->io_mutex);
	return left;
}

/*
 * The decoupled fill against the two other ways a block leaves the open
 * buffer while a copy into it is held at its pause point.
 *
 * 1. A completion seals the batch.  W's write is held in flight, so X
 *    (FORCE_FLUSH) waits in the open buffer at 5120, its copy held.  W
 *    lands: its completion (or the seal work it queues) seals X's block,
 *    which must not be written before the copy ends.  Then it is, once,
 *    and X's call returns.
 * 2. A marshalling area is deleted after a device error while another
 *    area's copy into its open buffer is held.  Z's write (area A) is
 *    held; Y0 (A) opens A's buffer at 6144 and Y1 (area B) is placed
 *    after it, its copy held.  Z's write fails: the log shuts down.
 *    Deleting A drops its open buffer, and frees it, only after Y1's
 *    copy (under KASAN a copy into a freed buffer is a splat); the
 *    deletion returns -EIO, Y1's append 0 (it was placed before the
 *    error).  After a reopen the log ends at X.
 */
static void clfs_restart_fill_meet_test(struct kunit *test)
{
	const u64 x = clfs_lsn_make(0, 5120, 0), z = clfs_lsn_make(0, 5632, 0);
	const u64 y0 = clfs_lsn_make(0, 6144, 0);
	struct r_job *filler, *del;
	struct clfs_marshal *ma, *mb;
	struct clfs_log_info info;
	struct clfs_log *log;
	unsigned long until;
	u64 a, w, w0;

	if (!r_jobs_new(test, &filler, &del, NULL))
		return;
	r_create(test, 3, &log, &ma);

	/* 1: W's completion seals X's batch under X's held copy. */
	r_durable_then_held(test, ma, &a, &w);
	if (!r_fill_held(test, filler, ma, CLFS_FLAG_FORCE_FLUSH, "X's copy"))
		return;
	KUNIT_EXPECT_FALSE_MSG(test, r_block_left(log, x),
			       "X's block was sealed with W in flight");
	clfs_crashdev_hold(clfs_r_dev, 0);
	clfs_crashdev_release(clfs_r_dev);
	until = jiffies + 10 * HZ;
	while (!r_block_left(log, x) && time_before(jiffies, until))
		msleep(20);
	KUNIT_EXPECT_TRUE_MSG(test, r_block_left(log, x),
			      "W's completion did not seal X's batch");
	/* A parked write counts once it is applied: W's is, by now. */
	w0 = clfs_crashdev_writes(clfs_r_dev);
	KUNIT_EXPECT_FALSE_MSG(test, r_job_wait(filler, HZ / 2),
			       "X's flush returned before its copy");
	KUNIT_EXPECT_EQ_MSG(test, clfs_crashdev_writes(clfs_r_dev), w0,
			    "X's block was written before its copy");
	r_copy_go(test, filler, x);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(clfs_r_dev), w0 + 1);

	/* 2: deleting area A after a device error meets B's held copy. */
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, R_BLOCK, 4, &mb), 0);
	clfs_crashdev_hold(clfs_r_dev, CLFS_CRASHDEV_WRITE);
	KUNIT_EXPECT_EQ(test, r_append(test, ma, 22, 2, 100,
				       CLFS_FLAG_FORCE_APPEND), z);
	KUNIT_ASSERT_TRUE(test, clfs_crashdev_held(clfs_r_dev, 1, 10 * HZ));
	KUNIT_EXPECT_EQ(test, r_append(test, ma, 22, 3, 100, 0), y0);
	if (!r_fill_held(test, filler, mb, 0, "Y1's copy"))
		return;
	clfs_crashdev_fail(clfs_r_dev, CLFS_CRASHDEV_WRITE);
	clfs_crashdev_hold(clfs_r_dev, 0);
	clfs_crashdev_release(clfs_r_dev);
	until = jiffies + 10 * HZ;
	do {
		msleep(20);
		r_info(test, log, &info);
	} while (!(info.flags & CLFS_INFO_SHUTDOWN) &&
		 time_before(jiffies, until));
	KUNIT_ASSERT_TRUE_MSG(test, info.flags & CLFS_INFO_SHUTDOWN,
			      "Z's failed write did not shut the log down");
	del->ma = ma;
	del->delete_ma = true;
	r_meet_copy(test, filler, y0 + 1, del,
		    "A's buffer was dropped under Y1's copy");
	KUNIT_EXPECT_EQ(test, del->ret, -EIO);

	/* What the device holds: A, W and X, each exactly. */
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(mb), -EIO);
	/* Nothing left to flush: the error was each call's to report. */
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
	clfs_crashdev_fail(clfs_r_dev, 0);
	KUNIT_ASSERT_EQ(test, clfs_log_open(r_path(), NULL, 0, &log), 0);
	r_info(test, log, &info);
	KUNIT_EXPECT_EQ(test, info.last_lsn, x);
	r_expect_forward(test, log, (const struct r_want[]){
		{ a, 19, 0 }, { w, 19, 1 }, { x, 13, 2 } }, 3);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
	kfree(filler);
	kfree(del);
}

/*
 * Crash points around write-restart-area: cycles of three records and a
 * restart area that moves the base to the cycle before's first record.
 * The device crashes at the N-th write from creation (N from the point),
 * which falls before, inside (record block, metadata) or after one of the
 * restart areas.  After the reopen the restart area must be the last one
 * whose call returned, or the one in flight, byte for byte, and the base
 * the one that restart area set.
 */
#define R_CYCLES	6

static int r_crash_point(struct kunit *test, u32 point, u32 *stats)
{
	struct clfs_create_params p = {
		.block_size = R_BLOCK, .container_size = R_CONT,
		.n_containers = 3,
	};
	u64 first[R_CYCLES], rl[R_CYCLES], base;
	int done = -1, ret = 0, c, j;
	struct clfs_read_ctx *ctx;
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 lsn = 0;

	for (c = 0; c < R_CYCLES; c++) {
		first[c] = CLFS_LSN_INVALID;
		rl[c] = CLFS_LSN_INVALID;
	}
	clfs_crashdev_reset(clfs_r_dev);
	if (clfs_log_create(r_path(), &p, &log) ||
	    clfs_marshal_create(log, R_BLOCK, 4, &ma)) {
		KUNIT_FAIL(test, "point %u: create", point);
		return -EIO;
	}
	clfs_crashdev_arm(clfs_r_dev, 1 + point / 2,
			  point & 1 ? CLFS_CRASH_TEAR : CLFS_CRASH_DROP, point);
	for (c = 0; c < R_CYCLES && !ret; c++) {
		for (j = 0; j < 3 && !ret; j++) {
			ret = clfs_test_append(ma, 20, 3 * c + j, 700,
					       CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA,
					       j == 1 ? CLFS_FLAG_FORCE_APPEND :
					       0, &lsn);
			if (!j)
				first[c] = lsn;
		}
		if (ret)
			break;
		ret = r_restart(ma, 21, c, 64 + c, c ? &first[c - 1] : NULL,
				0, NULL, &rl[c]);
		if (!ret)
			done = c;
	}
	if (!clfs_crashdev_crashed(clfs_r_dev))
		clfs_crashdev_crash_now(clfs_r_dev, CLFS_CRASH_DROP, point);
	clfs_log_close(log);
	clfs_crashdev_revive(clfs_r_dev);

	ret = clfs_log_open(r_path(), NULL, 0, &log);
	if (ret) {
		KUNIT_FAIL(test, "point %u: reopen: %d", point, ret);
		return ret;
	}
	ret = clfs_marshal_create(log, R_BLOCK, 4, &ma);
	if (!ret)
		ret = clfs_log_query(log, &info);
	if (ret)
		goto out_close;
	ret = clfs_read_restart(log, &ctx, &rec);
	if (ret == -ENODATA) {
		/* Only if none returned; the first one moved no base. */
		if (done >= 0 || info.base_lsn != CLFS_LSN_NULL) {
			KUNIT_FAIL(test, "point %u: no restart area, %d returned",
				   point, done);
			ret = -EINVAL;
		} else {
			stats[2]++;
			ret = 0;
		}
		goto out_close;
	}
	if (ret) {
		KUNIT_FAIL(test, "point %u: read restart: %d", point, ret);
		goto out_close;
	}
	/*
	 * The one in flight, if its metadata landed: its call failed, so
	 * its LSN is known only from the record, which must follow the last
	 * one returned and carry that cycle's bytes.
	 */
	c = done;
	if (done + 1 < R_CYCLES && (done < 0 || rec.lsn > rl[done]) &&
	    !clfs_test_check(&rec, 21, done + 1, 65 + done)) {
		c = done + 1;
		rl[c] = rec.lsn;
		stats[1]++;
	}
	stats[0] += c == done;
	base = c > 0 ? first[c - 1] : CLFS_LSN_NULL;
	if (c < 0 || rec.lsn != rl[c] || clfs_test_check(&rec, 21, c, 64 + c) ||
	    info.base_lsn != base || info.restart_lsn != rl[c]) {
		KUNIT_FAIL(test, "point %u: restart %llx base %llx; %d returned (restart %llx)",
			   point, rec.lsn, info.base_lsn, done,
			   done >= 0 ? rl[done] : 0);
		ret = -EINVAL;
	}
	clfs_read_terminate(ctx);
out_close:
	clfs_log_close(log);
	return ret;
}

static void clfs_restart_crash_test(struct kunit *test)
{
	u32 point, failed = 0, stats[3] = {};

	/* Each cycle writes two blocks and a metadata copy: ~18 writes. */
	for (point = 0; point < 60 && failed < 3; point++)
		if (r_crash_point(test, point, stats))
			failed++;
	kunit_info(test, "restart crash points: %u; restart area = last returned %u, = the one in flight %u, none yet %u",
		   point, stats[0], stats[1], stats[2]);
	KUNIT_EXPECT_EQ(test, failed, 0U);
	KUNIT_EXPECT_GT(test, stats[1], 0U);
	KUNIT_EXPECT_GT(test, stats[0], 0U);
}

static int clfs_restart_suite_init(struct kunit_suite *suite)
{
	clfs_r_dev = clfs_crashdev_create("clfscrash3", 4ULL << 20, 512);
	return PTR_ERR_OR_ZERO(clfs_r_dev);
}

static void clfs_restart_suite_exit(struct kunit_suite *suite)
{
	clfs_crashdev_destroy(clfs_r_dev);
}

static struct kunit_case clfs_restart_cases[] = {
	KUNIT_CASE(clfs_restart_chain_test),
	KUNIT_CASE(clfs_restart_write_test),
	KUNIT_CASE(clfs_restart_reserve_test),
	KUNIT_CASE(clfs_restart_remove_reserved_test),
	KUNIT_CASE(clfs_restart_tails_test),
	KUNIT_CASE(clfs_restart_wrap_test),
	KUNIT_CASE(clfs_restart_truncate_test),
	KUNIT_CASE(clfs_restart_truncate_open_test),
	KUNIT_CASE(clfs_restart_truncate_fail_test),
	KUNIT_CASE(clfs_restart_loop_test),
	KUNIT_CASE(clfs_restart_read_remove_test),
	KUNIT_CASE(clfs_restart_delete_lookup_test),
	KUNIT_CASE(clfs_restart_trim_explosion_test),
	KUNIT_CASE(clfs_restart_end_io_close_test),
	KUNIT_CASE(clfs_restart_truncate_remove_test),
	KUNIT_CASE(clfs_restart_flush_truncate_test),
	KUNIT_CASE(clfs_restart_truncate_batch_test),
	KUNIT_CASE(clfs_restart_async_flush_test),
	KUNIT_CASE(clfs_restart_read_truncate_test),
	KUNIT_CASE(clfs_restart_fill_test),
	KUNIT_CASE(clfs_restart_fill_meet_test),
	KUNIT_CASE(clfs_restart_lend_meet_test),
	KUNIT_CASE(clfs_restart_crash_test),
	{}
};

static struct kunit_suite clfs_restart_test_suite = {
	.name = "clfs_restart",
	.suite_init = clfs_restart_suite_init,
	.suite_exit = clfs_restart_suite_exit,
	.test_cases = clfs_restart_cases,
};

kunit_test_suites(&clfs_restart_test_suite);
