// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "clfs_engine": the log engine through its exported API, on
 * crash-simulation devices (clfs_crashdev.h: /dev/clfscrash0 and 1) and,
 * for group commit, on the guest's virtio-blk disk /dev/vda, whose writes
 * take real time.
 *
 * Checked with exact LSNs, bytes and errnos: creation's refusals; append
 * and read back across blocks and a reopen; the previous and undo-next
 * chains and the type filter; reads served from write buffers; bad input
 * of every call; metadata with one or both copies corrupt, a foreign
 * device, a corrupt container header, a device already in use; containers
 * on a second device, removal rules, -ENODEV without the device; a full
 * log; a stale block from before a crash that must not be accepted after
 * the next one, also across two crashes in a row; threads appending at
 * once; group commit.
 *
 * Cases run one at a time and share only the devices the suite creates.
 */
#include <kunit/test.h>
#include <linux/blkdev.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include <linux/clfs.h>
#include "format/clfs_format.h"
#include "test/clfs_crashdev.h"
#include "test/clfs_test_util.h"
#include "clfs_io.h"		/* clfs_block_crc_spread() */

#define T_BLOCK		8192U
#define T_CONT		(512ULL << 10)
#define T_DEV_BYTES	(8ULL << 20)
#define T_DEV1_BYTES	(4ULL << 20)

static struct clfs_crashdev *clfs_t_dev0, *clfs_t_dev1;

static const char *t_path0(void)
{
	return clfs_crashdev_path(clfs_t_dev0);
}

static const char *t_path1(void)
{
	return clfs_crashdev_path(clfs_t_dev1);
}

static void t_create(struct kunit *test, u32 n_conts, struct clfs_log **log,
		     struct clfs_marshal **ma)
{
	struct clfs_create_params p = {
		.block_size = T_BLOCK, .container_size = T_CONT,
		.n_containers = n_conts,
	};

	clfs_crashdev_reset(clfs_t_dev0);
	clfs_crashdev_reset(clfs_t_dev1);
	KUNIT_ASSERT_EQ(test, clfs_log_create(t_path0(), &p, log), 0);
	if (ma)
		KUNIT_ASSERT_EQ(test, clfs_marshal_create(*log, T_BLOCK, 4, ma),
				0);
}

static void t_reopen(struct kunit *test, struct clfs_log **log,
		     struct clfs_marshal **ma)
{
	KUNIT_ASSERT_EQ(test, clfs_log_close(*log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(*log, T_BLOCK, 4, ma), 0);
}

/* LSN of record @i when every record takes @per records per 8 KiB block. */
static u64 t_lsn(u32 i, u32 per)
{
	return clfs_lsn_make(0, 4096 + (i / per) * T_BLOCK, i % per);
}

/* Read records [0, n) forward and check LSNs (if @per) and bytes. */
static void t_check_forward(struct kunit *test, struct clfs_log *log,
			    u64 first, u32 n, u32 len, u32 per, u64 seed)
{
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	u32 i;

	KUNIT_ASSERT_EQ(test, clfs_read_record(log, first, CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	for (i = 0; i < n; i++) {
		if (i)
			KUNIT_ASSERT_EQ_MSG(test, clfs_read_next(ctx, &rec), 0,
					    "record %u", i);
		if (per)
			KUNIT_EXPECT_EQ(test, rec.lsn, t_lsn(i, per));
		KUNIT_EXPECT_EQ_MSG(test, clfs_test_check(&rec, seed, i, len), 0,
				    "record %u", i);
	}
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
}

static void clfs_engine_create_test(struct kunit *test)
{
	struct clfs_create_params p = {
		.block_size = T_BLOCK, .container_size = T_CONT,
		.n_containers = 2,
	};
	struct clfs_log *log;

	clfs_crashdev_reset(clfs_t_dev0);
	p.block_size = 5000;
	KUNIT_EXPECT_EQ(test, clfs_log_create(t_path0(), &p, &log), -EINVAL);
	p.block_size = T_BLOCK;
	p.container_size = T_CONT + 4096;
	KUNIT_EXPECT_EQ(test, clfs_log_create(t_path0(), &p, &log), -EINVAL);
	p.container_size = T_CONT;
	p.block_size = 1U << 20;	/* larger than a 512 KiB container */
	KUNIT_EXPECT_EQ(test, clfs_log_create(t_path0(), &p, &log), -EINVAL);
	p.block_size = T_BLOCK;
	p.n_containers = 15;		/* 1 MiB + 7.5 MiB > 8 MiB */
	KUNIT_EXPECT_EQ(test, clfs_log_create(t_path0(), &p, &log), -ENOSPC);
	p.n_containers = 14;
	KUNIT_EXPECT_EQ(test, clfs_log_create("/dev/clfs-no-such", &p, &log),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_log_create(NULL, &p, &log), -EINVAL);
	KUNIT_ASSERT_EQ(test, clfs_log_create(t_path0(), &p, &log), 0);
	/* Open: a second open shares it (clfs_share_kunit.c); no create. */
	{
		struct clfs_log *other;

		KUNIT_EXPECT_EQ(test, clfs_log_create(t_path0(), &p, &other),
				-EBUSY);
		KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &other),
				0);
		KUNIT_EXPECT_PTR_EQ(test, other, log);
		KUNIT_EXPECT_EQ(test, clfs_log_close(other), 0);
	}
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static void clfs_engine_append_read_test(struct kunit *test)
{
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u64 lsn, flushed;
	u32 i;

	t_create(test, 4, &log, &ma);
	/* 100-byte records take 144 bytes: 56 fill an 8 KiB block. */
	for (i = 0; i < 200; i++) {
		KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 1, i, 100,
						       CLFS_LSN_INVALID,
						       CLFS_LSN_INVALID,
						       CLFS_RECORD_DATA, 0,
						       &lsn), 0);
		KUNIT_ASSERT_EQ(test, lsn, t_lsn(i, 56));
	}
	KUNIT_EXPECT_EQ(test, clfs_flush_to_lsn(ma, t_lsn(100, 56), &flushed),
			0);
	KUNIT_EXPECT_GE(test, flushed, t_lsn(100, 56));
	KUNIT_EXPECT_EQ(test, clfs_flush_buffers(ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.first_lsn, t_lsn(0, 56));
	KUNIT_EXPECT_EQ(test, info.last_lsn, t_lsn(199, 56));
	KUNIT_EXPECT_EQ(test, info.flushed_lsn, t_lsn(199, 56));
	KUNIT_EXPECT_EQ(test, info.appends, 200ULL);
	KUNIT_EXPECT_EQ(test, info.append_bytes, 20000ULL);
	KUNIT_EXPECT_EQ(test, info.blocks_written, 4ULL);
	KUNIT_EXPECT_EQ(test, info.io_unit, 512U);
	KUNIT_EXPECT_EQ(test, info.n_containers, 4U);
	t_check_forward(test, log, t_lsn(0, 56), 200, 100, 56, 1);

	t_reopen(test, &log, &ma);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.first_lsn, t_lsn(0, 56));
	KUNIT_EXPECT_EQ(test, info.last_lsn, t_lsn(199, 56));
	/*
	 * Created with generations 1 and 2; the close wrote 3 (its clean-close
	 * marker), the open's first area 4 (the floor, the marker dropped).
	 */
	KUNIT_EXPECT_EQ(test, info.generation, 4ULL);
	KUNIT_EXPECT_EQ(test, info.seq_floor, 4ULL + 2 * CLFS_MAX_IN_FLIGHT);
	t_check_forward(test, log, t_lsn(0, 56), 200, 100, 56, 1);
	/* Appending continues right after the last block. */
	KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 1, 200, 100,
					       CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA,
					       CLFS_FLAG_FORCE_FLUSH, &lsn), 0);
	/* Block 3 held 32 records: 64 + 32 * 144 bytes, 5120 on disk. */
	KUNIT_EXPECT_EQ(test, lsn, clfs_lsn_make(0, 4096 + 3 * T_BLOCK + 5120,
						 0));
	t_reopen(test, &log, &ma);
	t_check_forward(test, log, t_lsn(0, 56), 201, 100, 0, 1);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static void clfs_engine_chains_test(struct kunit *test)
{
	struct clfs_read_ctx *ctx;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 lsn[12], prev = CLFS_LSN_INVALID, undo = CLFS_LSN_INVALID;
	u32 i;

	t_create(test, 2, &log, &ma);
	/*
	 * Record i: previous = record i-1; undo-next = the last even record
	 * before it; records 4 and 8 are restart records.
	 */
	for (i = 0; i < 12; i++) {
		u32 type = (i == 4 || i == 8) ? CLFS_RECORD_RESTART :
						 CLFS_RECORD_DATA;

		KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 2, i, 50 + i, undo,
						       prev, type,
						       i == 5 ? CLFS_FLAG_FORCE_APPEND : 0,
						       &lsn[i]), 0);
		prev = lsn[i];
		if (!(i % 2))
			undo = lsn[i];
	}
	KUNIT_EXPECT_EQ(test, clfs_flush_buffers(ma), 0);
	/* Previous chain from record 11, data records only. */
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[11], CLFS_READ_PREVIOUS,
					       CLFS_TYPE_DATA, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, lsn[11]);
	KUNIT_EXPECT_EQ(test, rec.previous, lsn[10]);
	KUNIT_EXPECT_EQ(test, rec.undo_next, lsn[10]);
	for (i = 10; i != U32_MAX; i--) {
		if (i == 4 || i == 8)
			continue;
		KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
		KUNIT_EXPECT_EQ(test, rec.lsn, lsn[i]);
		KUNIT_EXPECT_EQ(test, rec.type, (u32)CLFS_RECORD_DATA);
		KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 2, i, 50 + i), 0);
	}
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
	/* Undo-next chain from record 11: 10, 8, 6, 4, 2, 0. */
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[11], CLFS_READ_UNDO_NEXT,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	for (i = 10; i != U32_MAX; i -= 2) {
		KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
		KUNIT_EXPECT_EQ(test, rec.lsn, lsn[i]);
		KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 2, i, 50 + i), 0);
		if (!i)
			break;
	}
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
	/* Forward, restart records only: 4 and 8. */
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[4], CLFS_READ_FORWARD,
					       CLFS_TYPE_RESTART, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, lsn[4]);
	KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, lsn[8]);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
	/* A data-only read of a restart record: no such record. */
	KUNIT_EXPECT_EQ(test, clfs_read_record(log, lsn[4], CLFS_READ_FORWARD,
					       CLFS_TYPE_DATA, &ctx, &rec),
			-ENOENT);
	/* FORCE_APPEND sealed record 5's block: record 6 starts a new one. */
	KUNIT_EXPECT_EQ(test, clfs_lsn_record(lsn[6]), 0U);
	KUNIT_EXPECT_EQ(test, clfs_lsn_record(lsn[5]), 5U);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static void clfs_engine_memory_read_test(struct kunit *test)
{
	struct clfs_read_ctx *ctx;
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 lsn;
	u32 i;

	t_create(test, 2, &log, &ma);
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 3, i, 30,
						       CLFS_LSN_INVALID,
						       CLFS_LSN_INVALID,
						       CLFS_RECORD_DATA, 0,
						       &lsn), 0);
	/* Nothing written yet: served from the open buffer. */
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.blocks_written, 0ULL);
	KUNIT_EXPECT_EQ(test, info.flushed_lsn, CLFS_LSN_INVALID);
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, t_lsn(0, 1000),
					       CLFS_READ_FORWARD, CLFS_TYPE_ANY,
					       &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 3, 0, 30), 0);
	/* A record appended after the context opened is found too. */
	KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 3, 3, 30, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA, 0, &lsn), 0);
	for (i = 1; i < 4; i++) {
		KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
		KUNIT_EXPECT_EQ(test, rec.lsn, t_lsn(i, 1000));
		KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 3, i, 30), 0);
	}
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	/* Reads need no area: the context reads on after its deletion. */
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_read_next_at(ctx, t_lsn(1, 1000), &rec), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 3, 1, 30), 0);
	KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, t_lsn(2, 1000));
	/* The log is not closed while a read context is open. */
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), -EBUSY);
	clfs_read_terminate(ctx);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static void clfs_engine_bad_input_test(struct kunit *test)
{
	struct clfs_marshal *ma, *ma2;
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 lsn;

	t_create(test, 1, &log, NULL);
	KUNIT_EXPECT_EQ(test, clfs_marshal_create(log, 5000, 4, &ma), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_marshal_create(log, 2 * T_BLOCK, 4, &ma),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_marshal_create(log, T_BLOCK, 0, &ma),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_marshal_create(log, T_BLOCK, 65, &ma),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 2, &ma), 0);
	/* A second area is fine (clfs_area_kunit.c); a NULL one is not. */
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 2, &ma2), 0);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma2), 0);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_marshal_create(log, T_BLOCK, 2, NULL),
			-EINVAL);
	/* One container: no records yet. */
	KUNIT_EXPECT_EQ(test, clfs_test_append(ma, 4, 0, 10, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA, 0, &lsn),
			-ENOSPC);
	KUNIT_ASSERT_EQ(test, clfs_container_add(log, NULL, CLFS_OFFSET_ANY,
						 NULL), 0);
	/* The largest record fits; one byte more does not. */
	KUNIT_EXPECT_EQ(test, clfs_test_append(ma, 4, 0, T_BLOCK - 104,
					       CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA, 0, &lsn), 0);
	KUNIT_EXPECT_EQ(test, lsn, t_lsn(0, 1));
	KUNIT_EXPECT_EQ(test, clfs_test_append(ma, 4, 1, T_BLOCK - 103,
					       CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA, 0, &lsn),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, clfs_test_append(ma, 4, 1, 10, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID, 3, 0, &lsn),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_test_append(ma, 4, 1, 10, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA, 0x8, &lsn),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_append(ma, NULL, 1, CLFS_LSN_INVALID,
					  CLFS_LSN_INVALID, CLFS_RECORD_DATA,
					  0, &lsn), -EINVAL);
	/* Reads: outside the log, bad mode, bad mask. */
	KUNIT_EXPECT_EQ(test, clfs_read_record(log, t_lsn(1, 1),
					       CLFS_READ_FORWARD, CLFS_TYPE_ANY,
					       &ctx, &rec), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_read_record(log, clfs_lsn_make(0, 4096, 1),
					       CLFS_READ_FORWARD, CLFS_TYPE_ANY,
					       &ctx, &rec), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_read_record(log, clfs_lsn_make(0, 4608, 0),
					       CLFS_READ_FORWARD, CLFS_TYPE_ANY,
					       &ctx, &rec), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_read_record(log, clfs_lsn_make(7, 4096, 0),
					       CLFS_READ_FORWARD, CLFS_TYPE_ANY,
					       &ctx, &rec), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_read_record(log, CLFS_LSN_INVALID,
					       CLFS_READ_FORWARD, CLFS_TYPE_ANY,
					       &ctx, &rec), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_read_record(log, t_lsn(0, 1), 0,
					       CLFS_TYPE_ANY, &ctx, &rec),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_read_record(log, t_lsn(0, 1),
					       CLFS_READ_FORWARD, 0x4, &ctx,
					       &rec), -EINVAL);
	/* Flush to an LSN past the end, or a special one. */
	KUNIT_EXPECT_EQ(test, clfs_flush_to_lsn(ma, t_lsn(1, 1), NULL),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_flush_to_lsn(ma, CLFS_LSN_NULL, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_flush_to_lsn(ma, t_lsn(0, 1), NULL), 0);
	KUNIT_EXPECT_EQ(test, clfs_container_remove(log, 77), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_container_add(log, NULL, 4096, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_container_add(log, NULL, T_DEV_BYTES, NULL),
			-ENOSPC);
	/* Overlaps container 0 (at 1 MiB). */
	KUNIT_EXPECT_EQ(test, clfs_container_add(log, NULL, (1 << 20) + 4096,
						 NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/* Close the log as a crash would: what was durable stays, no marker. */
static void t_crash_close(struct clfs_log *log)
{
	clfs_crashdev_crash_now(clfs_t_dev0, CLFS_CRASH_DROP, 0);
	clfs_log_close(log);	/* -EIO: the device is dead */
	clfs_crashdev_revive(clfs_t_dev0);
}

static void t_poke_zero(struct clfs_crashdev *cd, u64 off, u32 len)
{
	void *z = kzalloc(len, GFP_KERNEL);

	if (z) {
		clfs_crashdev_poke(cd, off, z, len);
		kfree(z);
	}
}

/*
 * Rewrite metadata copy @copy of clfscrash0 with another format major and
 * kind (the stream table stays empty: a multiplexed log gets next_stream
 * 1), resealed with the log's checksum.
 */
static void t_meta_patch(struct kunit *test, int copy, u16 major, u32 flags)
{
	u64 off = copy ? CLFS_META_B_OFFSET : CLFS_META_A_OFFSET;
	struct clfs_meta *m = kmalloc(CLFS_META_COPY_SIZE, GFP_KERNEL);
	u32 bytes;

	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_ASSERT_EQ(test, clfs_crashdev_peek(clfs_t_dev0, off, m,
						 CLFS_META_COPY_SIZE), 0);
	bytes = le32_to_cpu(m->bytes);
	m->version_major = cpu_to_le16(major);
	/* A clean-close marker stays (an empty log's suits either kind). */
	m->flags = cpu_to_le32(flags |
			       (le32_to_cpu(m->flags) & CLFS_META_CLEAN));
	m->next_stream = cpu_to_le32(flags ? 1 : 0);
	m->crc = 0;
	m->crc = cpu_to_le32(clfs_crc32c(clfs_seed(m->log_uuid), m, bytes));
	clfs_crashdev_poke(clfs_t_dev0, off, m, CLFS_META_COPY_SIZE);
	kfree(m);
}

static void clfs_engine_metadata_test(struct kunit *test)
{
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u8 junk = 0x5a;
	u64 lsn;

	/* Not a log at all. */
	clfs_crashdev_reset(clfs_t_dev0);
	KUNIT_EXPECT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log),
			-EUCLEAN);

	t_create(test, 2, &log, &ma);
	KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 5, 0, 64, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA,
					       CLFS_FLAG_FORCE_FLUSH, &lsn), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);
	/* Copy A (generation 1) corrupt: B (generation 2) is used. */
	clfs_crashdev_poke(clfs_t_dev0, 100, &junk, 1);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.generation, 2ULL);	/* open writes nothing */
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn);
	/* The first area's metadata write goes to A, as generation 3. */
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.generation, 3ULL);
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);
	/* Now break B: A is used. */
	clfs_crashdev_poke(clfs_t_dev0, CLFS_META_B_OFFSET + 100, &junk, 1);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.generation, 4ULL);
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);
	/* Both copies corrupt. */
	clfs_crashdev_poke(clfs_t_dev0, 100, &junk, 1);
	clfs_crashdev_poke(clfs_t_dev0, CLFS_META_B_OFFSET + 100, &junk, 1);
	KUNIT_EXPECT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log),
			-EUCLEAN);

	/* A v2 log is refused until clfsctl upgrade converts it. */
	t_create(test, 2, &log, NULL);
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);
	t_meta_patch(test, 0, 2, 0);
	t_meta_patch(test, 1, 2, 0);
	KUNIT_EXPECT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log),
			-EUCLEAN);
	t_meta_patch(test, 0, CLFS_FORMAT_MAJOR, 0);
	t_meta_patch(test, 1, CLFS_FORMAT_MAJOR, 0);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);
	/*
	 * Both copies say multiplexed: the log (empty, closed cleanly) opens
	 * as one, with no stream.
	 */
	t_meta_patch(test, 0, CLFS_FORMAT_MAJOR, CLFS_META_MULTIPLEXED);
	t_meta_patch(test, 1, CLFS_FORMAT_MAJOR, CLFS_META_MULTIPLEXED);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.flags, CLFS_INFO_MULTIPLEXED);
	KUNIT_EXPECT_EQ(test, info.n_streams, 0U);
	KUNIT_EXPECT_EQ(test, info.last_lsn, CLFS_LSN_INVALID);
	KUNIT_EXPECT_EQ(test, clfs_marshal_create(log, 8192, 2, &ma), -EINVAL);
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);

	/* A container header wiped: refused. */
	t_create(test, 2, &log, NULL);
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);
	t_poke_zero(clfs_t_dev0, (1 << 20) + T_CONT, 512);
	KUNIT_EXPECT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log),
			-EUCLEAN);
}

static void clfs_engine_containers_test(struct kunit *test)
{
	const char *devs[1];
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u32 ids[2], id_base;
	u64 lsn;
	u32 i;

	t_create(test, 1, &log, &ma);
	{
		struct clfs_container_spec specs[2] = {
			{ .path = t_path1(), .dev_offset = CLFS_OFFSET_ANY },
			{ .path = t_path1(), .dev_offset = CLFS_OFFSET_ANY },
		};

		KUNIT_ASSERT_EQ(test, clfs_container_add_set(log, specs, 2,
							     ids), 0);
	}
	KUNIT_EXPECT_EQ(test, ids[0], 1U);
	KUNIT_EXPECT_EQ(test, ids[1], 2U);
	KUNIT_ASSERT_EQ(test, clfs_container_add(log, NULL, CLFS_OFFSET_ANY,
						 &id_base), 0);
	KUNIT_EXPECT_EQ(test, id_base, 3U);
	/* 72 blocks of 7168 bytes fill container 0; 8 go to container 1. */
	for (i = 0; i < 80; i++)
		KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 6, i, 7000,
						       CLFS_LSN_INVALID,
						       CLFS_LSN_INVALID,
						       CLFS_RECORD_DATA, 0,
						       &lsn), 0);
	KUNIT_EXPECT_EQ(test, clfs_lsn_container(lsn), 1U);
	KUNIT_ASSERT_EQ(test, clfs_flush_buffers(ma), 0);
	/* Holds records: refused.  Logical 2 and 3 hold none. */
	KUNIT_EXPECT_EQ(test, clfs_container_remove(log, 0), -EBUSY);
	KUNIT_EXPECT_EQ(test, clfs_container_remove(log, 1), -EBUSY);
	KUNIT_EXPECT_EQ(test, clfs_container_remove(log, 3), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.n_containers, 3U);
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);

	/* Without its second device the log cannot open. */
	KUNIT_EXPECT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log),
			-ENODEV);
	devs[0] = t_path1();
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), devs, 1, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn);
	KUNIT_EXPECT_EQ(test, info.n_containers, 3U);
	KUNIT_EXPECT_EQ(test, lsn, clfs_lsn_make(1, 4096 + 7 * 7168, 0));
	t_check_forward(test, log, clfs_lsn_make(0, 4096, 0), 80, 7000, 0, 6);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/* The offset of container @id, from a scan. */
static u64 t_cont_offset(struct kunit *test, struct clfs_log *log, u32 id)
{
	struct clfs_container_entry e[CLFS_MIN_CONTAINERS_TO_WRITE + 16];
	u32 got = 0, total = 0, i;

	KUNIT_EXPECT_EQ(test, clfs_container_scan(log, 0, ARRAY_SIZE(e), e,
						  &got, &total), 0);
	for (i = 0; i < got; i++)
		if (e[i].physical_id == id)
			return e[i].offset;
	KUNIT_FAIL(test, "no container %u", id);
	return 0;
}

/*
 * CLFS_OFFSET_ANY takes the lowest free place on the device, so the room
 * of a removed container is used again (it took the place after the last
 * container, and said -ENOSPC on a full device with a hole in it; found
 * by tests/uapi/clfs_stress.c).
 */
static void clfs_engine_container_gap_test(struct kunit *test)
{
	struct clfs_container_spec spec = { .path = t_path1(),
					     .dev_offset = CLFS_OFFSET_ANY };
	struct clfs_log *log;
	u32 id, i, n = T_DEV1_BYTES / T_CONT;

	t_create(test, 2, &log, NULL);
	/* Device 1 holds n containers, at 0, T_CONT, ... */
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, clfs_container_add(log, t_path1(),
							 CLFS_OFFSET_ANY, &id),
				0);
		KUNIT_EXPECT_EQ(test, id, i + 2);
		KUNIT_EXPECT_EQ(test, t_cont_offset(test, log, id), i * T_CONT);
	}
	KUNIT_EXPECT_EQ(test, clfs_container_add(log, t_path1(),
						 CLFS_OFFSET_ANY, &id), -ENOSPC);
	/* Ids 2..n+1 are on device 1: remove the 4th and the 2nd. */
	KUNIT_EXPECT_EQ(test, clfs_container_remove(log, 5), 0);
	KUNIT_EXPECT_EQ(test, clfs_container_remove(log, 3), 0);
	KUNIT_EXPECT_EQ(test, clfs_container_add_set(log, &spec, 1, &id), 0);
	KUNIT_EXPECT_EQ(test, t_cont_offset(test, log, id), 1 * T_CONT);
	KUNIT_EXPECT_EQ(test, clfs_container_add(log, t_path1(),
						 CLFS_OFFSET_ANY, &id), 0);
	KUNIT_EXPECT_EQ(test, t_cont_offset(test, log, id), 3 * T_CONT);
	KUNIT_EXPECT_EQ(test, clfs_container_add(log, t_path1(),
						 CLFS_OFFSET_ANY, &id), -ENOSPC);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * ReadNextLogRecord with an LSN (clfs_read_next_at()): only a record below
 * the context's last one; the context goes on from it, and stays where it
 * was when the call fails.
 */
static void clfs_engine_read_at_test(struct kunit *test)
{
	struct clfs_read_ctx *ctx;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 lsn[6];
	u32 i;

	t_create(test, 2, &log, &ma);
	for (i = 0; i < 6; i++)
		KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 9, i, 100,
						       CLFS_LSN_INVALID,
						       CLFS_LSN_INVALID,
						       CLFS_RECORD_DATA,
						       i == 2 ? CLFS_FLAG_FORCE_APPEND : 0,
						       &lsn[i]), 0);
	KUNIT_ASSERT_EQ(test, clfs_flush_buffers(ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[0], CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	for (i = 1; i <= 4; i++) {
		KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
		KUNIT_EXPECT_EQ(test, rec.lsn, lsn[i]);
	}
	KUNIT_EXPECT_EQ(test, clfs_read_next_at(ctx, lsn[4], &rec), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_read_next_at(ctx, lsn[5], &rec), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_read_next_at(ctx, CLFS_LSN_INVALID, &rec),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_read_next_at(ctx, CLFS_LSN_NULL, &rec),
			-EINVAL);
	/* Below, but no record: the context stays on lsn[4]. */
	KUNIT_EXPECT_EQ(test, clfs_read_next_at(ctx, lsn[0] + 40, &rec),
			-ENOENT);
	KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, lsn[5]);
	/* Back to record 1, then on from it. */
	KUNIT_ASSERT_EQ(test, clfs_read_next_at(ctx, lsn[1], &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, lsn[1]);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 9, 1, 100), 0);
	KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, lsn[2]);
	clfs_read_terminate(ctx);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static void clfs_engine_full_test(struct kunit *test)
{
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u64 lsn = 0, last = 0;
	u32 i;
	int ret = 0;

	t_create(test, 2, &log, &ma);
	for (i = 0; i < 1000; i++) {
		ret = clfs_test_append(ma, 7, i, 4000, CLFS_LSN_INVALID,
				       CLFS_LSN_INVALID, CLFS_RECORD_DATA, 0,
				       &lsn);
		if (ret)
			break;
		last = lsn;
	}
	KUNIT_EXPECT_EQ(test, ret, -ENOSPC);
	/* Two records of 4000 bytes per 8 KiB block, 63.5 blocks each. */
	KUNIT_EXPECT_EQ(test, i, 2U * (63 * 2 + 0));
	KUNIT_EXPECT_EQ(test, clfs_flush_buffers(ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.last_lsn, last);
	t_reopen(test, &log, &ma);
	t_check_forward(test, log, clfs_lsn_make(0, 4096, 0), i, 4000, 0, 7);
	KUNIT_EXPECT_EQ(test, clfs_test_append(ma, 7, i, 4000, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA, 0, &lsn),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/* No record at @lsn; a context opened by mistake is closed again. */
static void t_expect_no_record(struct kunit *test, struct clfs_log *log,
			       u64 lsn)
{
	KUNIT_EXPECT_EQ_MSG(test, clfs_test_read_errno(log, lsn), -ENOENT,
			    "record %llx", lsn);
}

/*
 * Blocks 0..3, one 1000-byte record each (1536 bytes on disk: at 4096,
 * 5632, 7168, 8704), flushed; the log crashed (so no clean-close marker
 * says where it ends); block 1 torn (its first sector zeroed), so
 * recovery ends at block 0 and 2 and 3 are stale.
 */
static void t_four_blocks_tear_one(struct kunit *test, u64 seed, u64 *lsn)
{
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u32 i;

	t_create(test, 2, &log, &ma);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, clfs_test_append(ma, seed, i, 1000,
						       CLFS_LSN_INVALID,
						       CLFS_LSN_INVALID,
						       CLFS_RECORD_DATA,
						       CLFS_FLAG_FORCE_FLUSH,
						       &lsn[i]), 0);
	KUNIT_EXPECT_EQ(test, lsn[1], clfs_lsn_make(0, 5632, 0));
	t_crash_close(log);
	t_poke_zero(clfs_t_dev0, (1 << 20) + 5632, 512);
}

/*
 * With the log ending at block 0 (record 0 of @seed0): write a new block
 * 1 (record 1 of @seed1), reopen, and expect exactly records 0 and 1, the
 * stale block 2 refused.  Closes the log.
 */
static void t_rewrite_block_one(struct kunit *test, struct clfs_log *log,
				struct clfs_marshal *ma, const u64 *lsn,
				u64 seed0, u64 seed1)
{
	struct clfs_read_ctx *ctx;
	struct clfs_log_info info;
	struct clfs_record rec;
	u64 l;

	KUNIT_ASSERT_EQ(test, clfs_test_append(ma, seed1, 1, 1000,
					       CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA,
					       CLFS_FLAG_FORCE_FLUSH, &l), 0);
	KUNIT_EXPECT_EQ(test, l, lsn[1]);
	t_reopen(test, &log, &ma);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn[1]);
	t_expect_no_record(test, log, lsn[2]);
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[0], CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, seed0, 0, 1000), 0);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, lsn[1]);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, seed1, 1, 1000), 0);
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * Blocks 0..3 written; block 1 then torn (overwritten with zeros), so
 * recovery ends at block 0 and blocks 2 and 3 are stale but valid.  A new
 * block of the same size goes where block 1 was; after the next open,
 * block 2 (same position, prev_lsn and crc-valid) must not continue it.
 */
static void clfs_engine_stale_block_test(struct kunit *test)
{
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u64 lsn[4];

	t_four_blocks_tear_one(test, 8, lsn);

	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn[0]);
	t_rewrite_block_one(test, log, ma, lsn, 8, 9);
}

/*
 * Two crashes in a row: the first session after a crash writes blocks at
 * positions 1 and 2 (new floor), block 1 is torn again, so recovery ends
 * at block 0 a second time.  The floor must move past the previous
 * session's, or the next session's block 1 would be followed by that
 * session's stale block 2 (format.rst, "Torn and stale blocks").
 */
static void clfs_engine_double_crash_test(struct kunit *test)
{
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u64 lsn[4], l, floor1;
	u32 i;

	t_four_blocks_tear_one(test, 10, lsn);
	/* Session 1: blocks 1' and 2' at the old positions of 1 and 2. */
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	floor1 = info.seq_floor;
	KUNIT_EXPECT_EQ(test, floor1, 1ULL + 2 * CLFS_MAX_IN_FLIGHT);
	for (i = 1; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 11, i, 1000,
						       CLFS_LSN_INVALID,
						       CLFS_LSN_INVALID,
						       CLFS_RECORD_DATA,
						       CLFS_FLAG_FORCE_FLUSH,
						       &l), 0);
		KUNIT_EXPECT_EQ(test, l, lsn[i]);
	}
	t_crash_close(log);
	t_poke_zero(clfs_t_dev0, (1 << 20) + 5632, 512);
	/* Session 2 ends at block 0 again; its floor is above session 1's. */
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn[0]);
	KUNIT_EXPECT_EQ(test, info.seq_floor, floor1 + 2 * CLFS_MAX_IN_FLIGHT);
	t_rewrite_block_one(test, log, ma, lsn, 10, 12);
}

#define T_THREADS	4
#define T_PER_THREAD	250

struct t_appender {
	struct work_struct work;
	struct clfs_marshal *ma;
	u32 id;
	int ret;
	u64 lsn[T_PER_THREAD];
};

static void t_appender_fn(struct work_struct *work)
{
	struct t_appender *a = container_of(work, struct t_appender, work);
	u32 i;

	for (i = 0; i < T_PER_THREAD && !a->ret; i++)
		a->ret = clfs_test_append(a->ma, a->id, i, 16 + (i % 200),
					  CLFS_LSN_INVALID, CLFS_LSN_INVALID,
					  CLFS_RECORD_DATA,
					  i % 50 == 49 ? CLFS_FLAG_FORCE_FLUSH : 0,
					  &a->lsn[i]);
}

static void clfs_engine_threads_test(struct kunit *test)
{
	struct workqueue_struct *wq;
	struct clfs_read_ctx *ctx;
	struct t_appender *a;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u32 next[T_THREADS] = {};
	u32 t, n = 0;

	a = kunit_kcalloc(test, T_THREADS, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	t_create(test, 4, &log, &ma);
	wq = alloc_workqueue("clfs_t", WQ_UNBOUND, T_THREADS);
	KUNIT_ASSERT_NOT_NULL(test, wq);
	for (t = 0; t < T_THREADS; t++) {
		a[t].ma = ma;
		a[t].id = 100 + t;
		INIT_WORK(&a[t].work, t_appender_fn);
		queue_work(wq, &a[t].work);
	}
	destroy_workqueue(wq);
	for (t = 0; t < T_THREADS; t++)
		KUNIT_ASSERT_EQ(test, a[t].ret, 0);
	KUNIT_ASSERT_EQ(test, clfs_flush_buffers(ma), 0);
	t_reopen(test, &log, &ma);
	/* In LSN order: each thread's records in its own order, none lost. */
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, clfs_lsn_make(0, 4096, 0),
					       CLFS_READ_FORWARD, CLFS_TYPE_ANY,
					       &ctx, &rec), 0);
	do {
		for (t = 0; t < T_THREADS; t++)
			if (next[t] < T_PER_THREAD &&
			    rec.lsn == a[t].lsn[next[t]])
				break;
		KUNIT_ASSERT_LT_MSG(test, t, (u32)T_THREADS,
				    "record %llx not appended in this order",
				    rec.lsn);
		KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 100 + t, next[t],
						      16 + (next[t] % 200)), 0);
		next[t]++;
		n++;
	} while (!clfs_read_next(ctx, &rec));
	clfs_read_terminate(ctx);
	KUNIT_EXPECT_EQ(test, n, (u32)(T_THREADS * T_PER_THREAD));
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

#define T_GC_THREADS	8
#define T_GC_PER	25

struct t_flusher {
	struct work_struct work;
	struct clfs_marshal *ma;
	u32 id;
	int ret;
};

static void t_flusher_fn(struct work_struct *work)
{
	struct t_flusher *f = container_of(work, struct t_flusher, work);
	u64 lsn;
	u32 i;

	for (i = 0; i < T_GC_PER && !f->ret; i++)
		f->ret = clfs_test_append(f->ma, f->id, i, 200,
					  CLFS_LSN_INVALID, CLFS_LSN_INVALID,
					  CLFS_RECORD_DATA,
					  CLFS_FLAG_FORCE_FLUSH, &lsn);
}

/* On virtio-blk, where writes take time: flushers share device writes. */
static void clfs_engine_group_commit_test(struct kunit *test)
{
	struct clfs_create_params p = {
		.block_size = 65536, .container_size = 4ULL << 20,
		.n_containers = 4,
	};
	struct workqueue_struct *wq;
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct t_flusher *f;
	struct clfs_log *log;
	u32 t;

	f = kunit_kcalloc(test, T_GC_THREADS, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_EQ(test, clfs_log_create("/dev/vda", &p, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, 65536, 8, &ma), 0);
	wq = alloc_workqueue("clfs_gc", WQ_UNBOUND, T_GC_THREADS);
	KUNIT_ASSERT_NOT_NULL(test, wq);
	for (t = 0; t < T_GC_THREADS; t++) {
		f[t].ma = ma;
		f[t].id = t;
		INIT_WORK(&f[t].work, t_flusher_fn);
		queue_work(wq, &f[t].work);
	}
	destroy_workqueue(wq);
	for (t = 0; t < T_GC_THREADS; t++)
		KUNIT_EXPECT_EQ(test, f[t].ret, 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	kunit_info(test, "group commit: %llu forced appends, %llu flushes, %llu device writes for them (%llu cache flushes), %llu blocks",
		   info.appends, info.flushes, info.flush_writes,
		   info.cache_flushes, info.blocks_written);
	KUNIT_EXPECT_EQ(test, info.appends, (u64)(T_GC_THREADS * T_GC_PER));
	KUNIT_EXPECT_EQ(test, info.flushed_lsn, info.last_lsn);
	KUNIT_EXPECT_LT(test, info.flush_writes, info.appends);
	KUNIT_EXPECT_LT(test, info.blocks_written, info.appends);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

static int clfs_engine_suite_init(struct kunit_suite *suite)
{
	clfs_t_dev0 = clfs_crashdev_create("clfscrash0", T_DEV_BYTES, 512);
	if (IS_ERR(clfs_t_dev0))
		return PTR_ERR(clfs_t_dev0);
	clfs_t_dev1 = clfs_crashdev_create("clfscrash1", T_DEV1_BYTES, 512);
	if (IS_ERR(clfs_t_dev1)) {
		clfs_crashdev_destroy(clfs_t_dev0);
		return PTR_ERR(clfs_t_dev1);
	}
	return 0;
}

static void clfs_engine_suite_exit(struct kunit_suite *suite)
{
	clfs_crashdev_destroy(clfs_t_dev1);
	clfs_crashdev_destroy(clfs_t_dev0);
}

/* Append record @i (100 bytes, seed 3) with @flags; it must succeed. */
static void t_fua_append(struct kunit *test, struct clfs_marshal *ma, u32 i,
			 u32 flags)
{
	u64 lsn;

	KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 3, i, 100, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA, flags, &lsn),
			0);
}

/*
 * A forced block goes out as a FUA write without a preflush when every
 * block before it is durable through this open's own writes, and with
 * one when it is not (after an open, the blocks recovery found).
 */
static void clfs_engine_fua_test(struct kunit *test)
{
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u64 f, u;
	u32 i;

	t_create(test, 2, &log, &ma);
	f = clfs_crashdev_flushes(clfs_t_dev0);
	u = clfs_crashdev_fuas(clfs_t_dev0);
	for (i = 0; i < 3; i++)
		t_fua_append(test, ma, i, CLFS_FLAG_FORCE_FLUSH);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_flushes(clfs_t_dev0), f);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_fuas(clfs_t_dev0), u + 3);
	/* An unforced record, then a forced one in the same block. */
	t_fua_append(test, ma, 3, 0);
	t_fua_append(test, ma, 4, CLFS_FLAG_FORCE_FLUSH);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_flushes(clfs_t_dev0), f);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_fuas(clfs_t_dev0), u + 4);

	/* Reopened: the first forced block makes the recovered ones durable. */
	t_reopen(test, &log, &ma);
	f = clfs_crashdev_flushes(clfs_t_dev0);
	u = clfs_crashdev_fuas(clfs_t_dev0);
	for (i = 5; i < 7; i++)
		t_fua_append(test, ma, i, CLFS_FLAG_FORCE_FLUSH);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_flushes(clfs_t_dev0), f + 1);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_fuas(clfs_t_dev0), u + 2);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma), 0);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

#define T_BATCH	8

/* One forced append in a worker, for the group-commit tests. */
struct t_forced {
	struct work_struct work;
	struct completion done;
	struct clfs_marshal *ma;
	u32 i;
	u64 lsn;
	int ret;
};

static void t_forced_fn(struct work_struct *work)
{
	struct t_forced *f = container_of(work, struct t_forced, work);

	f->ret = clfs_test_append(f->ma, 3, f->i, 100, CLFS_LSN_INVALID,
				  CLFS_LSN_INVALID, CLFS_RECORD_DATA,
				  CLFS_FLAG_FORCE_FLUSH, &f->lsn);
	complete(&f->done);
}

static void t_forced_start(struct t_forced *f, struct clfs_marshal *ma,
			   u32 i)
{
	f->ma = ma;
	f->i = i;
	init_completion(&f->done);
	INIT_WORK(&f->work, t_forced_fn);
	queue_work(system_unbound_wq, &f->work);
}

/* Wait until the log has taken @n appends since it was opened. */
static void t_wait_appends(struct kunit *test, struct clfs_log *log, u64 n)
{
	struct clfs_log_info info;
	u32 tries;

	for (tries = 0; tries < 500; tries++) {
		KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
		if (info.appends >= n)
			return;
		msleep(20);
	}
	KUNIT_FAIL(test, "only %llu of %llu appends arrived", info.appends, n);
}

/*
 * While a block is in flight, @T_BATCH forced appends gather in the next
 * one, and the next one goes out with all of them in one FUA write: sent
 * by the completion itself when no flusher it released is expected back
 * (@first_flags FORCE_APPEND: the block in flight had none), or by the
 * hold timer when the one it released does not come back (FORCE_FLUSH).
 * None of them returns before its own block is written.
 */
static void t_batch(struct kunit *test, struct clfs_marshal *ma,
		    struct clfs_log *log, u32 base, u32 first_flags,
		    u64 *appends)
{
	struct t_forced *f, *first;
	struct clfs_log_info info;
	u64 lsn = 0, blk;
	u32 i;

	f = kunit_kcalloc(test, T_BATCH + 1, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	first = &f[T_BATCH];
	clfs_crashdev_hold(clfs_t_dev0, CLFS_CRASHDEV_WRITE);
	if (first_flags & CLFS_FLAG_FORCE_FLUSH) {
		t_forced_start(first, ma, base);
	} else {
		t_fua_append(test, ma, base, first_flags);
		first = NULL;
	}
	KUNIT_ASSERT_TRUE(test, clfs_crashdev_held(clfs_t_dev0, 1, 10 * HZ));
	for (i = 0; i < T_BATCH; i++)
		t_forced_start(&f[i], ma, base + 1 + i);
	*appends += T_BATCH + 1;
	t_wait_appends(test, log, *appends);
	/* They wait in the open block; nothing else is written. */
	KUNIT_EXPECT_FALSE(test, clfs_crashdev_held(clfs_t_dev0, 2, HZ / 10));
	KUNIT_EXPECT_FALSE(test, completion_done(&f[0].done));

	/* The first block lands; the batch goes out, and is held too. */
	clfs_crashdev_release_first(clfs_t_dev0, 1);
	if (first) {
		KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&first->done,
								    10 * HZ));
		KUNIT_EXPECT_EQ(test, first->ret, 0);
		lsn = first->lsn;
	}
	KUNIT_ASSERT_TRUE(test, clfs_crashdev_held(clfs_t_dev0, 1, 10 * HZ));
	for (i = 0; i < T_BATCH; i++)
		KUNIT_EXPECT_FALSE(test, completion_done(&f[i].done));
	clfs_crashdev_hold(clfs_t_dev0, 0);
	clfs_crashdev_release(clfs_t_dev0);
	for (i = 0; i < T_BATCH; i++) {
		KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&f[i].done,
								    10 * HZ));
		KUNIT_EXPECT_EQ(test, f[i].ret, 0);
	}
	/* All in one block, after the first one's. */
	blk = f[0].lsn - clfs_lsn_record(f[0].lsn);
	if (first)
		KUNIT_EXPECT_LT(test, lsn, blk);
	for (i = 0; i < T_BATCH; i++)
		KUNIT_EXPECT_EQ(test, f[i].lsn - clfs_lsn_record(f[i].lsn), blk);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.flushed_lsn, blk + T_BATCH - 1);
	KUNIT_EXPECT_EQ(test, info.last_lsn, blk + T_BATCH - 1);
}

/*
 * Group commit: a batch gathers while a block is in flight and goes out
 * whole, as one FUA write (with a preflush only when the block before it
 * was not durable); a forced batch sealed because its block filled right
 * behind a FUA write in flight needs no preflush.
 */
static void clfs_engine_forced_batch_test(struct kunit *test)
{
	struct t_forced *b;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u64 f, u, appends = 0, lsn;
	u32 i;

	b = kunit_kcalloc(test, 2, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	t_create(test, 2, &log, &ma);
	f = clfs_crashdev_flushes(clfs_t_dev0);
	u = clfs_crashdev_fuas(clfs_t_dev0);
	/* A plain block, then the batch: it needs the preflush. */
	t_batch(test, ma, log, 0, CLFS_FLAG_FORCE_APPEND, &appends);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_fuas(clfs_t_dev0), u + 1);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_flushes(clfs_t_dev0), f + 1);
	/* A forced block whose flusher does not come back. */
	t_batch(test, ma, log, 100, CLFS_FLAG_FORCE_FLUSH, &appends);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_fuas(clfs_t_dev0), u + 3);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_flushes(clfs_t_dev0), f + 1);

	/* A FUA write in flight; a flusher waits in the next block. */
	clfs_crashdev_hold(clfs_t_dev0, CLFS_CRASHDEV_WRITE);
	t_forced_start(&b[0], ma, 200);
	KUNIT_ASSERT_TRUE(test, clfs_crashdev_held(clfs_t_dev0, 1, 10 * HZ));
	t_forced_start(&b[1], ma, 201);
	t_wait_appends(test, log, appends + 2);
	/* Fill that block: it is sealed as a FUA write, chained, no flush. */
	for (i = 0; i < 100; i++) {
		KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 3, 202 + i, 1000,
						       CLFS_LSN_INVALID,
						       CLFS_LSN_INVALID,
						       CLFS_RECORD_DATA, 0,
						       &lsn), 0);
		if (clfs_crashdev_held(clfs_t_dev0, 2, 0))
			break;
	}
	KUNIT_ASSERT_TRUE(test, clfs_crashdev_held(clfs_t_dev0, 2, 10 * HZ));
	clfs_crashdev_hold(clfs_t_dev0, 0);
	clfs_crashdev_release(clfs_t_dev0);
	for (i = 0; i < 2; i++) {
		KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&b[i].done,
								    10 * HZ));
		KUNIT_EXPECT_EQ(test, b[i].ret, 0);
	}
	KUNIT_EXPECT_LT(test, b[0].lsn, b[1].lsn);
	KUNIT_EXPECT_LT(test, b[1].lsn, lsn);
	/* Two FUA writes; neither they nor the flushers flushed the cache. */
	KUNIT_EXPECT_EQ(test, clfs_crashdev_fuas(clfs_t_dev0), u + 5);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_flushes(clfs_t_dev0), f + 1);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma), 0);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

#define T_BATCH_N	10
#define T_FULL_N	300

/*
 * clfs_append_batch(): bad input changes nothing; a batch gets
 * consecutive LSNs with each record's own type and links, FORCE_FLUSH
 * makes all durable; a batch that meets a full log appends what fits and
 * says how many (0), and the next call meets -ENOSPC.
 */
static void clfs_engine_append_batch_test(struct kunit *test)
{
	struct clfs_append_rec *r;
	struct clfs_log_info info;
	struct clfs_read_ctx *ctx;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	unsigned int done = 7;
	u64 a, lsn;
	u8 *buf;
	u32 i;

	r = kunit_kcalloc(test, T_FULL_N, sizeof(*r), GFP_KERNEL);
	buf = kunit_kzalloc(test, T_BATCH_N * 100 + 4000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	t_create(test, 2, &log, &ma);
	KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 5, 100, 100, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA, 0, &a), 0);
	KUNIT_EXPECT_EQ(test, a, clfs_lsn_make(0, 4096, 0));
	for (i = 0; i < T_BATCH_N; i++) {
		clfs_test_fill(buf + i * 100, 5, i, 100);
		r[i].data = buf + i * 100;
		r[i].len = 100;
		r[i].type = i == 4 ? CLFS_RECORD_RESTART : CLFS_RECORD_DATA;
		r[i].undo_next = i == 2 ? a : CLFS_LSN_INVALID;
		r[i].previous = i % 2 ? a : CLFS_LSN_INVALID;
	}

	/* Bad input: an errno, nothing appended, *done 0 where it is set. */
	KUNIT_EXPECT_EQ(test, clfs_append_batch(NULL, r, 1, 0, &done), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_append_batch(ma, NULL, 1, 0, &done), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_append_batch(ma, r, 0, 0, &done), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_append_batch(ma, r, CLFS_MAX_BATCH + 1, 0,
						&done), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_append_batch(ma, r, 1,
						CLFS_FLAG_USE_RESERVATION,
						&done), -EINVAL);
	KUNIT_EXPECT_EQ(test, clfs_append_batch(ma, r, 1, 0, NULL), -EINVAL);
	r[3].type = 7;
	KUNIT_EXPECT_EQ(test, clfs_append_batch(ma, r, T_BATCH_N, 0, &done),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, done, 0U);
	r[3].type = CLFS_RECORD_DATA;
	r[3].len = clfs_record_max(T_BLOCK) + 1;
	KUNIT_EXPECT_EQ(test, clfs_append_batch(ma, r, T_BATCH_N, 0, &done),
			-EMSGSIZE);
	r[3].len = 100;
	r[3].data = NULL;
	KUNIT_EXPECT_EQ(test, clfs_append_batch(ma, r, T_BATCH_N, 0, &done),
			-EINVAL);
	r[3].data = buf + 300;
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.appends, 1ULL);
	KUNIT_EXPECT_EQ(test, info.last_lsn, a);

	/* The batch: in a's block, in order, durable. */
	KUNIT_ASSERT_EQ(test, clfs_append_batch(ma, r, T_BATCH_N,
						CLFS_FLAG_FORCE_FLUSH, &done),
			0);
	KUNIT_EXPECT_EQ(test, done, T_BATCH_N);
	for (i = 0; i < T_BATCH_N; i++)
		KUNIT_EXPECT_EQ(test, r[i].lsn, clfs_lsn_make(0, 4096, i + 1));
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.flushed_lsn, r[T_BATCH_N - 1].lsn);
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, r[0].lsn, CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	for (i = 0; i < T_BATCH_N; i++) {
		if (i)
			KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
		KUNIT_EXPECT_EQ(test, rec.lsn, r[i].lsn);
		KUNIT_EXPECT_EQ(test, rec.type, r[i].type);
		KUNIT_EXPECT_EQ(test, rec.undo_next, r[i].undo_next);
		KUNIT_EXPECT_EQ(test, rec.previous, r[i].previous);
		KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 5, i, 100), 0U);
	}
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);

	/* A full log: what fits, then -ENOSPC. */
	for (i = 0; i < T_FULL_N; i++) {
		r[i].data = buf;
		r[i].len = 4000;
		r[i].type = CLFS_RECORD_DATA;
		r[i].undo_next = CLFS_LSN_INVALID;
		r[i].previous = CLFS_LSN_INVALID;
	}
	KUNIT_ASSERT_EQ(test, clfs_append_batch(ma, r, T_FULL_N, 0, &done), 0);
	KUNIT_EXPECT_LT(test, done, T_FULL_N);
	KUNIT_EXPECT_GT(test, done, T_FULL_N / 2);
	KUNIT_EXPECT_EQ(test, r[done].lsn, CLFS_LSN_INVALID);
	for (i = 1; i < done; i++)
		KUNIT_EXPECT_GT(test, r[i].lsn, r[i - 1].lsn);
	KUNIT_EXPECT_EQ(test, clfs_append_batch(ma, r + done, T_FULL_N - done,
						0, &done), -ENOSPC);
	KUNIT_EXPECT_EQ(test, done, 0U);
	KUNIT_EXPECT_EQ(test, clfs_test_append(ma, 5, 0, 4000, CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA, 0, &lsn),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, clfs_flush_buffers(ma), 0);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma), 0);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/* The device reads of closing the log on dev0 and opening it again. */
static u64 t_open_reads(struct kunit *test, struct clfs_log **log)
{
	u64 r;

	KUNIT_ASSERT_EQ(test, clfs_log_close(*log), 0);
	r = clfs_crashdev_reads(clfs_t_dev0);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, log), 0);
	return clfs_crashdev_reads(clfs_t_dev0) - r;
}

/*
 * The device reads of crashing the log on dev0 (after an area dropped any
 * clean-close marker) and opening it again: recovery scans.
 */
static u64 t_crash_open_reads(struct kunit *test, struct clfs_log **log)
{
	struct clfs_marshal *ma;
	u64 r;

	KUNIT_ASSERT_EQ(test, clfs_marshal_create(*log, T_BLOCK, 4, &ma), 0);
	t_crash_close(*log);
	r = clfs_crashdev_reads(clfs_t_dev0);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, log), 0);
	return clfs_crashdev_reads(clfs_t_dev0) - r;
}

#define T_SCAN_BLOCKS	50

/*
 * Opening reads.  After a clean close only the metadata and the
 * container headers, however long the log: a log of 50 blocks costs what
 * the same log empty costs.  After a crash recovery reads the log in
 * large windows: the log of 50 blocks costs exactly one read more than
 * the empty one (the window over container 0, then the probe of container
 * 1's first block), where it read each block's header (and the rest) one
 * by one.  A forward read of the 50 blocks after the clean close reads
 * the window the scan that indexes them reads and the first block (a
 * first load is read on its own, as a lookup would be); from the second
 * block on the reader takes a copy of the scan's window (it used to read
 * them all again: 4 reads in all).  After the crash open it reads the
 * first block, a window up to the newest, and the newest.
 */
static void clfs_engine_scan_reads_test(struct kunit *test)
{
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u64 empty, full, crash_empty, crash_full, r;
	u32 i;

	t_create(test, 2, &log, &ma);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma), 0);
	empty = t_open_reads(test, &log);
	crash_empty = t_crash_open_reads(test, &log);
	KUNIT_EXPECT_EQ(test, crash_empty, empty + 1);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma), 0);
	for (i = 0; i < T_SCAN_BLOCKS; i++)
		t_fua_append(test, ma, i, CLFS_FLAG_FORCE_APPEND);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma), 0);
	full = t_open_reads(test, &log);
	KUNIT_EXPECT_EQ(test, full, empty);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	/* One 512-byte block per record. */
	KUNIT_EXPECT_EQ(test, info.last_lsn,
			clfs_lsn_make(0, 4096 + (T_SCAN_BLOCKS - 1) * 512, 0));
	r = clfs_crashdev_reads(clfs_t_dev0);
	t_check_forward(test, log, clfs_lsn_make(0, 4096, 0), T_SCAN_BLOCKS,
			100, 0, 3);
	/* The scan's one window, and the first block, loaded on its own. */
	KUNIT_EXPECT_EQ(test, clfs_crashdev_reads(clfs_t_dev0) - r, 2);
	crash_full = t_crash_open_reads(test, &log);
	KUNIT_EXPECT_EQ(test, crash_full, crash_empty + 1);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.last_lsn,
			clfs_lsn_make(0, 4096 + (T_SCAN_BLOCKS - 1) * 512, 0));
	r = clfs_crashdev_reads(clfs_t_dev0);
	t_check_forward(test, log, clfs_lsn_make(0, 4096, 0), T_SCAN_BLOCKS,
			100, 0, 3);
	/* The first block, a window to the newest, the newest. */
	KUNIT_EXPECT_EQ(test, clfs_crashdev_reads(clfs_t_dev0) - r, 3);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * Read the log forward from record 0 to @n - 1 (record i: @lsn[i], the
 * test bytes of @seed, @len_of(i) long), then nothing more.
 */
static void t_read_exact(struct kunit *test, struct clfs_log *log,
			 const u64 *lsn, u32 n, u64 seed, u32 (*len_of)(u32))
{
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	u32 i;

	KUNIT_ASSERT_EQ(test, clfs_read_record(log, lsn[0], CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	for (i = 0; i < n; i++) {
		if (i)
			KUNIT_ASSERT_EQ_MSG(test, clfs_read_next(ctx, &rec), 0,
					    "record %u", i);
		KUNIT_ASSERT_EQ(test, rec.lsn, lsn[i]);
		KUNIT_ASSERT_EQ_MSG(test, clfs_test_check(&rec, seed, i,
							  len_of(i)), 0,
				    "record %u", i);
	}
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
}

/*
 * Records 0..@n-1 of @seed, @len bytes each, forced out one a block: each
 * must get the LSN @lsn_of gives it.
 */
static void t_append_blocks(struct kunit *test, struct clfs_marshal *ma,
			    u64 seed, u32 n, u32 len, u64 (*lsn_of)(u32))
{
	u64 lsn;
	u32 i;

	for (i = 0; i < n; i++) {
		KUNIT_ASSERT_EQ(test, clfs_test_append(ma, seed, i, len,
						       CLFS_LSN_INVALID,
						       CLFS_LSN_INVALID,
						       CLFS_RECORD_DATA,
						       CLFS_FLAG_FORCE_APPEND,
						       &lsn), 0);
		KUNIT_ASSERT_EQ(test, lsn, lsn_of(i));
	}
}

/*
 * Containers of 2 MiB hold more than a 1 MiB window: 584 blocks of one
 * record of 3000 bytes (64 + 40 + 3000 = 3104 bytes, 3584 on disk) fill
 * container 0 (4096 + 584 * 3584 = 2 MiB), the last 16 go to container 1.
 */
#define T_WIN_CONT	(2ULL << 20)
#define T_WIN_LEN	3000U
#define T_WIN_PER_CONT	584U
#define T_WIN_N		600U

static u64 t_win_lsn(u32 i)
{
	return clfs_lsn_make(i / T_WIN_PER_CONT,
			     4096 + (i % T_WIN_PER_CONT) * 3584, 0);
}

static u32 t_win_len(u32 i)
{
	return T_WIN_LEN;
}

/*
 * A forward read after a clean close, over windows whose ends fall inside
 * blocks.  The scan reads container 0 in two windows (the second from
 * block 292, which the first holds only in part) and container 1 in one;
 * the reader takes a copy of each as it gets to it, and loads only its
 * first block on its own (its header, then the rest): 5 device reads in
 * all, every record exact.  A reader whose window held the start of the
 * block the scan's next window starts with read that window again
 * itself; one going on into container 1 loaded its first block on its
 * own too.
 */
static void clfs_engine_clean_windows_test(struct kunit *test)
{
	struct clfs_create_params p = {
		.block_size = T_BLOCK, .container_size = T_WIN_CONT,
		.n_containers = 3,
	};
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u64 *lsn, r;
	u32 i;

	lsn = kunit_kcalloc(test, T_WIN_N, sizeof(*lsn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lsn);
	for (i = 0; i < T_WIN_N; i++)
		lsn[i] = t_win_lsn(i);
	clfs_crashdev_reset(clfs_t_dev0);
	KUNIT_ASSERT_EQ(test, clfs_log_create(t_path0(), &p, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma), 0);
	t_append_blocks(test, ma, 23, T_WIN_N, T_WIN_LEN, t_win_lsn);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);

	r = clfs_crashdev_reads(clfs_t_dev0);
	t_read_exact(test, log, lsn, T_WIN_N, 23, t_win_len);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_reads(clfs_t_dev0) - r, 5);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

#define T_CLEAN_N	20

/* LSN of record @i of the clean-close tests: one 1536-byte block each. */
static u64 t_clean_lsn(u32 i)
{
	return clfs_lsn_make(0, 4096 + i * 1536, 0);
}

/* Records 0..T_CLEAN_N-1 (seed 21, 1000 bytes), then a clean close. */
static void t_clean_log(struct kunit *test)
{
	struct clfs_marshal *ma;
	struct clfs_log *log;

	t_create(test, 2, &log, &ma);
	t_append_blocks(test, ma, 21, T_CLEAN_N, 1000, t_clean_lsn);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);
}

/*
 * A clean close: the next open knows the end without reading a block;
 * the old blocks are indexed as reads need them (exact bytes; a position
 * inside a block is still no block; nothing after the end); appends go on
 * right after the last block.  A crash after that open loses nothing:
 * the first area dropped the marker, so recovery scanned rather than
 * trusting it.  A block wiped behind a marker's back: the open still
 * trusts the marker, reads before the break work and reads at or past it
 * fail with -EUCLEAN.
 */
static void clfs_engine_clean_close_test(struct kunit *test)
{
	struct clfs_log_info info;
	struct clfs_read_ctx *ctx;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 l;

	t_clean_log(test);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.first_lsn, t_clean_lsn(0));
	KUNIT_EXPECT_EQ(test, info.last_lsn, t_clean_lsn(T_CLEAN_N - 1));
	KUNIT_EXPECT_EQ(test, info.flushed_lsn, t_clean_lsn(T_CLEAN_N - 1));
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, t_clean_lsn(7),
					       CLFS_READ_PREVIOUS,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, rec.lsn, t_clean_lsn(7));
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 21, 7, 1000), 0);
	clfs_read_terminate(ctx);
	t_expect_no_record(test, log, clfs_lsn_make(0, 4096 + 512, 0));
	t_expect_no_record(test, log, t_clean_lsn(T_CLEAN_N));

	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 21, T_CLEAN_N, 1000,
					       CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA,
					       CLFS_FLAG_FORCE_FLUSH, &l), 0);
	KUNIT_EXPECT_EQ(test, l, t_clean_lsn(T_CLEAN_N));
	t_check_forward(test, log, t_clean_lsn(0), T_CLEAN_N + 1, 1000, 0, 21);

	t_crash_close(log);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.last_lsn, t_clean_lsn(T_CLEAN_N));
	t_check_forward(test, log, t_clean_lsn(0), T_CLEAN_N + 1, 1000, 0, 21);

	/* Marked again (an area arms the log), then block 5 wiped. */
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);
	t_poke_zero(clfs_t_dev0, (1 << 20) + 4096 + 5 * 1536, 512);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.last_lsn, t_clean_lsn(T_CLEAN_N));
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, t_clean_lsn(3)), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, t_clean_lsn(7)),
			-EUCLEAN);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, t_clean_lsn(4)),
			-EUCLEAN);
	KUNIT_EXPECT_EQ(test, clfs_test_read_errno(log, t_clean_lsn(2)), 0);
	/* A truncation before the break: what follows it reads again. */
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma), 0);
	KUNIT_EXPECT_EQ(test, clfs_truncate(ma, t_clean_lsn(2)), 0);
	KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 23, 3, 1000,
					       CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA,
					       CLFS_FLAG_FORCE_FLUSH, &l), 0);
	KUNIT_EXPECT_EQ(test, l, t_clean_lsn(3));
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, l, CLFS_READ_PREVIOUS,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 23, 3, 1000), 0);
	clfs_read_terminate(ctx);
	t_expect_no_record(test, log, t_clean_lsn(7));
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/* Records 0..10 of seed 21 and then record 11 of seed 22, exactly. */
static void t_check_truncated(struct kunit *test, struct clfs_log *log)
{
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	u32 i;

	KUNIT_ASSERT_EQ(test, clfs_read_record(log, t_clean_lsn(0),
					       CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	for (i = 0; i < 12; i++) {
		if (i)
			KUNIT_ASSERT_EQ_MSG(test, clfs_read_next(ctx, &rec), 0,
					    "record %u", i);
		KUNIT_EXPECT_EQ(test, rec.lsn, t_clean_lsn(i));
		KUNIT_EXPECT_EQ_MSG(test, clfs_test_check(&rec, i < 11 ? 21 : 22,
							  i, 1000), 0,
				    "record %u", i);
	}
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
	t_expect_no_record(test, log, t_clean_lsn(12));
}

/*
 * Tails and truncation meet the lazy index of a clean close.  With a
 * base, the scan starts at the base's block, after a clean close and
 * after a crash alike: a block wiped below it changes nothing, and what
 * is below it is gone.  A truncation into the part not yet scanned:
 * the scan ends at the truncated block, the next record goes after it,
 * and the log reads the same after a clean close and after a crash.
 */
static void clfs_engine_clean_tails_test(struct kunit *test)
{
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u64 l;
	u32 i;

	t_clean_log(test);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma), 0);
	KUNIT_EXPECT_EQ(test, clfs_advance_base(ma, t_clean_lsn(15), 0), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);
	/* Below the base nothing is read: not even a wiped block. */
	t_poke_zero(clfs_t_dev0, (1 << 20) + 4096 + 3 * 1536, 512);
	for (i = 0; i < 2; i++) {
		KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log),
				0);
		KUNIT_EXPECT_EQ(test,
				clfs_test_read_errno(log, t_clean_lsn(16)), 0);
		t_expect_no_record(test, log, t_clean_lsn(14));
		KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
		KUNIT_EXPECT_EQ(test, info.first_lsn, t_clean_lsn(15));
		KUNIT_EXPECT_EQ(test, info.last_lsn,
				t_clean_lsn(T_CLEAN_N - 1));
		/* Then after a crash: recovery starts at the base too. */
		KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4,
							  &ma), 0);
		t_crash_close(log);
	}

	t_clean_log(test);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma), 0);
	KUNIT_EXPECT_EQ(test, clfs_truncate(ma, t_clean_lsn(10)), 0);
	KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 22, 11, 1000,
					       CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA,
					       CLFS_FLAG_FORCE_FLUSH, &l), 0);
	KUNIT_EXPECT_EQ(test, l, t_clean_lsn(11));
	t_check_truncated(test, log);
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	t_check_truncated(test, log);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma), 0);
	t_crash_close(log);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	t_check_truncated(test, log);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * Read-ahead: a forward read of 10 blocks on disk costs three device
 * reads (the first block alone, one window for the next eight, and the
 * newest retired block alone: a window stops before it), where it cost
 * one per block.  Blocks written after that are read when the reader gets
 * to them (again a window, then the newest block), never taken from an
 * old window.
 */
static void clfs_engine_readahead_test(struct kunit *test)
{
	struct clfs_read_ctx *ctx;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 r;
	u32 i;

	t_create(test, 2, &log, &ma);
	for (i = 0; i < 10; i++)
		t_fua_append(test, ma, i, CLFS_FLAG_FORCE_APPEND);
	KUNIT_ASSERT_EQ(test, clfs_flush_buffers(ma), 0);
	r = clfs_crashdev_reads(clfs_t_dev0);
	KUNIT_ASSERT_EQ(test, clfs_read_record(log, clfs_lsn_make(0, 4096, 0),
					       CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	for (i = 0; i < 20; i++) {
		if (i == 10) {
			KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec),
					-ENOENT);
			KUNIT_EXPECT_EQ(test,
					clfs_crashdev_reads(clfs_t_dev0) - r,
					3);
			for (; i < 20; i++)
				t_fua_append(test, ma, i,
					     CLFS_FLAG_FORCE_APPEND);
			KUNIT_ASSERT_EQ(test, clfs_flush_buffers(ma), 0);
			r = clfs_crashdev_reads(clfs_t_dev0);
			i = 10;
		}
		if (i)
			KUNIT_ASSERT_EQ_MSG(test, clfs_read_next(ctx, &rec), 0,
					    "record %u", i);
		KUNIT_EXPECT_EQ(test, rec.lsn,
				clfs_lsn_make(0, 4096 + i * 512, 0));
		KUNIT_EXPECT_EQ_MSG(test, clfs_test_check(&rec, 3, i, 100), 0,
				    "record %u", i);
	}
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	KUNIT_EXPECT_EQ(test, clfs_crashdev_reads(clfs_t_dev0) - r, 2);
	clfs_read_terminate(ctx);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma), 0);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

#define T_TAIL_N	338U	/* 1536-byte blocks that fill container 0 */

/*
 * A torn block at a container's tail, then a clean close.  Container 0
 * holds 338 blocks of 1536 bytes and 1024 bytes more; block S of 1024
 * bytes goes there, durable, and is then torn (its second sector lost,
 * its header intact) before a crash.  Recovery ends the log at the block
 * before S; the next block (1536 bytes) does not fit in the 1024 bytes
 * left and goes to container 1, naming that block as its predecessor.
 * After a clean close the lazy walk meets S's header at the position
 * after that block, chained to it: only S's checksum tells it that the
 * log goes on in container 1.
 */
static void clfs_engine_clean_torn_tail_test(struct kunit *test)
{
	struct clfs_read_ctx *ctx;
	struct clfs_marshal *ma;
	struct clfs_record rec;
	struct clfs_log *log;
	u64 lsn, s_lsn, n_lsn;
	u32 i;

	t_create(test, 2, &log, &ma);
	for (i = 0; i < T_TAIL_N; i++) {
		KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 41, i, 1000,
						       CLFS_LSN_INVALID,
						       CLFS_LSN_INVALID,
						       CLFS_RECORD_DATA,
						       CLFS_FLAG_FORCE_APPEND,
						       &lsn), 0);
		KUNIT_ASSERT_EQ(test, lsn, t_clean_lsn(i));
	}
	KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 42, 0, 900,
					       CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA,
					       CLFS_FLAG_FORCE_FLUSH, &s_lsn), 0);
	KUNIT_ASSERT_EQ(test, s_lsn, t_clean_lsn(T_TAIL_N));
	t_crash_close(log);
	t_poke_zero(clfs_t_dev0, (1 << 20) + 4096 + T_TAIL_N * 1536 + 512,
		    512);

	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma), 0);
	t_expect_no_record(test, log, s_lsn);
	KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 43, 0, 1000,
					       CLFS_LSN_INVALID,
					       CLFS_LSN_INVALID,
					       CLFS_RECORD_DATA,
					       CLFS_FLAG_FORCE_FLUSH, &n_lsn), 0);
	KUNIT_EXPECT_EQ(test, n_lsn, clfs_lsn_make(1, 4096, 0));
	KUNIT_ASSERT_EQ(test, clfs_log_close(log), 0);

	for (i = 0; i < 2; i++) {
		/* After the clean close, then after a crash. */
		KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log),
				0);
		KUNIT_ASSERT_EQ(test, clfs_read_record(log,
						       t_clean_lsn(T_TAIL_N - 1),
						       CLFS_READ_FORWARD,
						       CLFS_TYPE_ANY, &ctx,
						       &rec), 0);
		KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 41, T_TAIL_N - 1,
						      1000), 0);
		KUNIT_ASSERT_EQ(test, clfs_read_next(ctx, &rec), 0);
		KUNIT_EXPECT_EQ(test, rec.lsn, n_lsn);
		KUNIT_EXPECT_EQ(test, clfs_test_check(&rec, 43, 0, 1000), 0);
		KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
		clfs_read_terminate(ctx);
		t_expect_no_record(test, log, s_lsn);
		KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, T_BLOCK, 4, &ma),
				0);
		if (i)
			KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
		else
			t_crash_close(log);
	}
}

#define T_AHEAD_N	1200U	/* about 2.4 MiB of records in container 0 */

static u32 t_ahead_len(u32 i)
{
	return 1000 + (i * 97) % 2000;
}

/*
 * Recovery reads the log in windows of 1 MiB, the next one queued while
 * the blocks of the one before are validated (their checksums on two
 * CPUs), each window from the end of the last whole block of the one
 * before.  Blocks of 5 records of 1000 to 2999 bytes fill 2.4 MiB of a
 * 3 MiB container, so blocks straddle the windows' ends.  After a crash
 * the open finds every record, in exactly 4 device reads more than an
 * open after a clean close; then a block in the third window is torn
 * (its second sector zeroed, its header intact): recovery ends at the
 * block before it.
 */
static void clfs_engine_recover_ahead_test(struct kunit *test)
{
	struct clfs_create_params p = {
		.block_size = 65536, .container_size = 3ULL << 20,
		.n_containers = 2,
	};
	u64 *lsn = kunit_kcalloc(test, T_AHEAD_N, sizeof(*lsn), GFP_KERNEL);
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;
	u64 reads, clean;
	u32 i, k, flags;

	KUNIT_ASSERT_NOT_NULL(test, lsn);
	clfs_crashdev_reset(clfs_t_dev0);
	clfs_crashdev_reset(clfs_t_dev1);
	KUNIT_ASSERT_EQ(test, clfs_log_create(t_path0(), &p, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, 65536, 4, &ma), 0);
	for (i = 0; i < T_AHEAD_N; i++) {
		flags = i == T_AHEAD_N - 1 ? CLFS_FLAG_FORCE_FLUSH :
			i % 5 == 4 ? CLFS_FLAG_FORCE_APPEND : 0;
		KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 44, i,
						       t_ahead_len(i),
						       CLFS_LSN_INVALID,
						       CLFS_LSN_INVALID,
						       CLFS_RECORD_DATA, flags,
						       &lsn[i]), 0);
	}
	KUNIT_ASSERT_EQ(test, clfs_lsn_container(lsn[T_AHEAD_N - 1]), 0U);
	KUNIT_ASSERT_GT(test, clfs_lsn_block_offset(lsn[T_AHEAD_N - 1]),
			(u32)(2 << 20) + 65536);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma), 0);

	/*
	 * Metadata and headers (what an open after a clean close reads),
	 * then 3 windows (the first at once, each next one queued while the
	 * one before is validated; none after the last, where the chain
	 * ends inside the window) and the probe of container 1's start.
	 */
	clean = t_open_reads(test, &log);
	reads = t_crash_open_reads(test, &log);
	KUNIT_EXPECT_EQ(test, reads, clean + 4);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn[T_AHEAD_N - 1]);
	t_read_exact(test, log, lsn, T_AHEAD_N, 44, t_ahead_len);

	/* The first block past 2 MiB + 64 KiB, torn. */
	for (k = 0; k < T_AHEAD_N; k++)
		if (!clfs_lsn_record(lsn[k]) &&
		    clfs_lsn_block_offset(lsn[k]) > (2 << 20) + 65536)
			break;
	KUNIT_ASSERT_LT(test, k, T_AHEAD_N);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, 65536, 4, &ma), 0);
	t_crash_close(log);
	t_poke_zero(clfs_t_dev0,
		    (1 << 20) + clfs_lsn_block_offset(lsn[k]) + 512, 512);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn[k - 1]);
	t_read_exact(test, log, lsn, k, 44, t_ahead_len);
	t_expect_no_record(test, log, lsn[k]);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

/*
 * clfs_block_crc_spread() against clfs_block_crc() on 1 MiB of seeded
 * bytes: sizes below the split (one CPU), at it, one I/O unit more, an
 * odd size, and the whole; each eight times, so that the second half is
 * taken up by another CPU or left to the caller; then with one byte of
 * the second half changed.  The lane's guests have two CPUs.
 */
static void clfs_engine_crc_spread_test(struct kunit *test)
{
	static const u32 sizes[] = {
		4096, 256U << 10, (256U << 10) + 512, 700001, 1U << 20,
	};
	u8 *buf = vmalloc(1U << 20);
	u32 i, k, crc;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_GE(test, num_online_cpus(), 2U);
	clfs_test_fill(buf, 53, 0, 1U << 20);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		crc = clfs_block_crc(buf, sizes[i], 0x5eed);
		for (k = 0; k < 8; k++)
			KUNIT_EXPECT_EQ_MSG(test,
					    clfs_block_crc_spread(buf, sizes[i],
								  0x5eed),
					    crc, "size %u", sizes[i]);
	}
	buf[(3U << 18) + 7] ^= 0x40;
	KUNIT_EXPECT_NE(test, clfs_block_crc_spread(buf, 1U << 20, 0x5eed),
			crc);
	KUNIT_EXPECT_EQ(test, clfs_block_crc_spread(buf, 1U << 20, 0x5eed),
			clfs_block_crc(buf, 1U << 20, 0x5eed));
	vfree(buf);
}

#define T_BIG_N		48U

static u32 t_big_len(u32 i)
{
	return 65536 - 97 * i;
}

/*
 * Blocks of 1 MiB are checksummed on two CPUs when sealed
 * (clfs_block_crc_spread(): two halves, the second from 0, joined), and
 * the records' data is no longer zeroed before it is copied in.  48
 * records of 65536 - 97 i bytes fill three blocks of about 1 MiB in
 * container 0 through an area of two buffers (the third block reuses the
 * first's buffer, with its bytes); each record gets the LSN the block
 * layout gives it.  After a crash, recovery (which checksums each block
 * whole, on one CPU) must find the three blocks valid and the log ending
 * at the last record, and every record reads back byte for byte.  (With
 * the halves joined wrongly, recovery found no block.)
 */
static void clfs_engine_big_block_test(struct kunit *test)
{
	struct clfs_create_params p = {
		.block_size = 1U << 20, .container_size = 3ULL << 20,
		.n_containers = 2,
	};
	u32 i, used = CLFS_FIRST_RECORD, off = 4096, index = 0;
	u64 lsn[T_BIG_N], w0;
	struct clfs_log_info info;
	struct clfs_marshal *ma;
	struct clfs_log *log;

	clfs_crashdev_reset(clfs_t_dev0);
	clfs_crashdev_reset(clfs_t_dev1);
	KUNIT_ASSERT_EQ(test, clfs_log_create(t_path0(), &p, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(log, 1U << 20, 2, &ma), 0);
	w0 = clfs_crashdev_writes(clfs_t_dev0);
	for (i = 0; i < T_BIG_N; i++) {
		KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 52, i, t_big_len(i),
						       CLFS_LSN_INVALID,
						       CLFS_LSN_INVALID,
						       CLFS_RECORD_DATA,
						       i == T_BIG_N - 1 ?
						       CLFS_FLAG_FORCE_FLUSH : 0,
						       &lsn[i]), 0);
		if (used + clfs_record_space(t_big_len(i)) > p.block_size) {
			off += round_up(used, 512);
			used = CLFS_FIRST_RECORD;
			index = 0;
		}
		used += clfs_record_space(t_big_len(i));
		KUNIT_EXPECT_EQ_MSG(test, lsn[i], clfs_lsn_make(0, off, index),
				    "record %u", i);
		index++;
	}
	/* Records 0-15 fill 1037696 bytes of block 0, 16-31 1012864 of 1. */
	KUNIT_EXPECT_EQ(test, lsn[16], clfs_lsn_make(0, 1041920, 0));
	KUNIT_EXPECT_EQ(test, lsn[32], clfs_lsn_make(0, 2055168, 0));
	KUNIT_EXPECT_EQ(test, clfs_crashdev_writes(clfs_t_dev0) - w0, 3);
	t_crash_close(log);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_query(log, &info), 0);
	KUNIT_EXPECT_EQ(test, info.last_lsn, lsn[T_BIG_N - 1]);
	t_read_exact(test, log, lsn, T_BIG_N, 52, t_big_len);
	KUNIT_EXPECT_EQ(test, clfs_log_close(log), 0);
}

#define T_RACE_N	300U	/* records before the clean close */
#define T_RACE_NEW	100U	/* appended after it */
#define T_RACE_READERS	4
#define T_RACE_READS	150

/* The log of the race test: records of seed 31, then 32, as appended. */
struct t_race {
	struct clfs_log *log;
	struct clfs_marshal *ma;
	u64 lsn[T_RACE_N + T_RACE_NEW];
	u32 n_new;		/* records of seed 32 appended so far */
	u32 base;		/* the base's record index, set before a move */
	char why[96];		/* the first failure, if any */
};

struct t_racer {
	struct work_struct work;
	struct t_race *r;
	u32 id;
};

static void t_race_fail(struct t_race *r, const char *what, u32 i, int ret)
{
	if (!r->why[0])
		snprintf(r->why, sizeof(r->why), "%s %u: %d", what, i, ret);
}

/* Reader @id: seeded reads of old records, forward a few records each. */
static void t_race_read_fn(struct work_struct *work)
{
	struct t_racer *a = container_of(work, struct t_racer, work);
	struct t_race *r = a->r;
	struct rnd_state rnd;
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	u32 k, i, j;
	int ret;

	prandom_seed_state(&rnd, 31 + a->id);
	for (k = 0; k < T_RACE_READS; k++) {
		i = prandom_u32_state(&rnd) % T_RACE_N;
		ret = clfs_read_record(r->log, r->lsn[i], CLFS_READ_FORWARD,
				       CLFS_TYPE_ANY, &ctx, &rec);
		if (ret == -ENOENT && i < READ_ONCE(r->base))
			continue;	/* the base passed it */
		if (ret) {
			t_race_fail(r, "read of record", i, ret);
			return;
		}
		for (j = i; ; j++) {
			if (rec.lsn != r->lsn[j] ||
			    clfs_test_check(&rec, 31, j, 1000))
				t_race_fail(r, "wrong record at", j, 0);
			if (j == i + 3 || j == T_RACE_N - 1)
				break;
			ret = clfs_read_next(ctx, &rec);
			if (ret == -ENOENT && j + 1 < READ_ONCE(r->base))
				break;
			if (ret) {
				t_race_fail(r, "read after record", j, ret);
				break;
			}
		}
		clfs_read_terminate(ctx);
	}
}

/* The appender: records of seed 32, each forced, through its own area. */
static void t_race_append_fn(struct work_struct *work)
{
	struct t_racer *a = container_of(work, struct t_racer, work);
	struct t_race *r = a->r;
	struct clfs_marshal *ma;
	u32 j;
	int ret;

	ret = clfs_marshal_create(r->log, T_BLOCK, 4, &ma);
	if (ret) {
		t_race_fail(r, "area", 0, ret);
		return;
	}
	for (j = 0; j < T_RACE_NEW; j++) {
		ret = clfs_test_append(ma, 32, j, 1000, CLFS_LSN_INVALID,
				       CLFS_LSN_INVALID, CLFS_RECORD_DATA,
				       CLFS_FLAG_FORCE_FLUSH,
				       &r->lsn[T_RACE_N + j]);
		if (ret) {
			t_race_fail(r, "append", j, ret);
			break;
		}
		WRITE_ONCE(r->n_new, j + 1);
	}
	ret = clfs_marshal_delete(ma);
	if (ret)
		t_race_fail(r, "area delete", 0, ret);
}

/* Everything from record @from on, exactly, with one forward read. */
static void t_race_check(struct kunit *test, struct t_race *r, u32 from)
{
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	u32 j;

	KUNIT_ASSERT_EQ(test, clfs_read_record(r->log, r->lsn[from],
					       CLFS_READ_FORWARD,
					       CLFS_TYPE_ANY, &ctx, &rec), 0);
	for (j = from; j < T_RACE_N + T_RACE_NEW; j++) {
		if (j > from)
			KUNIT_ASSERT_EQ_MSG(test, clfs_read_next(ctx, &rec), 0,
					    "record %u", j);
		KUNIT_EXPECT_EQ(test, rec.lsn, r->lsn[j]);
		KUNIT_EXPECT_EQ_MSG(test,
				    clfs_test_check(&rec, j < T_RACE_N ? 31 : 32,
						    j < T_RACE_N ? j :
						    j - T_RACE_N, 1000), 0,
				    "record %u", j);
	}
	KUNIT_EXPECT_EQ(test, clfs_read_next(ctx, &rec), -ENOENT);
	clfs_read_terminate(ctx);
}

/*
 * Many actors meet the lazy index of a clean close: four readers read
 * seeded old records (each a few records forward) while an appender
 * forces new records and the base moves forward three times within the
 * old records, then into the new ones (recycling container 0).  Every
 * read returns exactly the record named, or -ENOENT once the base has
 * passed it; afterwards the log reads exactly from the base on, after a
 * clean close and after a crash.
 */
static void clfs_engine_clean_race_test(struct kunit *test)
{
	struct t_racer *a = kunit_kcalloc(test, T_RACE_READERS + 1,
					  sizeof(*a), GFP_KERNEL);
	struct t_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct workqueue_struct *wq;
	struct clfs_marshal *ma;
	u32 i, last_base = 0;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, r);
	t_create(test, 2, &r->log, &ma);
	for (i = 0; i < T_RACE_N; i++)
		KUNIT_ASSERT_EQ(test, clfs_test_append(ma, 31, i, 1000,
						       CLFS_LSN_INVALID,
						       CLFS_LSN_INVALID,
						       CLFS_RECORD_DATA,
						       CLFS_FLAG_FORCE_APPEND,
						       &r->lsn[i]), 0);
	KUNIT_EXPECT_EQ(test, clfs_marshal_delete(ma), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_close(r->log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &r->log), 0);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(r->log, T_BLOCK, 4, &r->ma),
			0);

	wq = alloc_workqueue("clfs_race", WQ_UNBOUND, T_RACE_READERS + 1);
	KUNIT_ASSERT_NOT_NULL(test, wq);
	for (i = 0; i <= T_RACE_READERS; i++) {
		a[i].r = r;
		a[i].id = i;
		INIT_WORK(&a[i].work, i < T_RACE_READERS ? t_race_read_fn :
				      t_race_append_fn);
		queue_work(wq, &a[i].work);
	}
	for (i = 1; i <= 3; i++) {
		msleep(20);
		last_base = 60 * i;
		WRITE_ONCE(r->base, last_base);
		KUNIT_EXPECT_EQ(test, clfs_advance_base(r->ma, r->lsn[last_base],
							0), 0);
	}
	flush_work(&a[T_RACE_READERS].work);
	if (READ_ONCE(r->n_new) == T_RACE_NEW &&
	    clfs_lsn_container(r->lsn[T_RACE_N + 50]) == 1) {
		last_base = T_RACE_N + 50;
		WRITE_ONCE(r->base, last_base);
		KUNIT_EXPECT_EQ(test, clfs_advance_base(r->ma, r->lsn[last_base],
							0), 0);
	}
	destroy_workqueue(wq);
	KUNIT_EXPECT_STREQ(test, r->why, "");
	KUNIT_ASSERT_EQ(test, READ_ONCE(r->n_new), T_RACE_NEW);
	t_race_check(test, r, last_base);
	KUNIT_ASSERT_EQ(test, clfs_log_close(r->log), 0);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &r->log), 0);
	t_race_check(test, r, last_base);
	KUNIT_ASSERT_EQ(test, clfs_marshal_create(r->log, T_BLOCK, 4, &ma), 0);
	t_crash_close(r->log);
	KUNIT_ASSERT_EQ(test, clfs_log_open(t_path0(), NULL, 0, &r->log), 0);
	t_race_check(test, r, last_base);
	KUNIT_EXPECT_EQ(test, clfs_log_close(r->log), 0);
}

static struct kunit_case clfs_engine_cases[] = {
	KUNIT_CASE(clfs_engine_create_test),
	KUNIT_CASE(clfs_engine_append_read_test),
	KUNIT_CASE(clfs_engine_chains_test),
	KUNIT_CASE(clfs_engine_memory_read_test),
	KUNIT_CASE(clfs_engine_bad_input_test),
	KUNIT_CASE(clfs_engine_metadata_test),
	KUNIT_CASE(clfs_engine_containers_test),
	KUNIT_CASE(clfs_engine_container_gap_test),
	KUNIT_CASE(clfs_engine_read_at_test),
	KUNIT_CASE(clfs_engine_full_test),
	KUNIT_CASE(clfs_engine_stale_block_test),
	KUNIT_CASE(clfs_engine_double_crash_test),
	KUNIT_CASE(clfs_engine_threads_test),
	KUNIT_CASE_SLOW(clfs_engine_group_commit_test),
	KUNIT_CASE(clfs_engine_fua_test),
	KUNIT_CASE(clfs_engine_forced_batch_test),
	KUNIT_CASE(clfs_engine_append_batch_test),
	KUNIT_CASE(clfs_engine_scan_reads_test),
	KUNIT_CASE(clfs_engine_clean_windows_test),
	KUNIT_CASE(clfs_engine_clean_close_test),
	KUNIT_CASE(clfs_engine_clean_tails_test),
	KUNIT_CASE(clfs_engine_clean_race_test),
	KUNIT_CASE(clfs_engine_clean_torn_tail_test),
	KUNIT_CASE(clfs_engine_recover_ahead_test),
	KUNIT_CASE(clfs_engine_crc_spread_test),
	KUNIT_CASE(clfs_engine_big_block_test),
	KUNIT_CASE(clfs_engine_readahead_test),
	{}
};

static struct kunit_suite clfs_engine_test_suite = {
	.name = "clfs_engine",
	.suite_init = clfs_engine_suite_init,
	.suite_exit = clfs_engine_suite_exit,
	.test_cases = clfs_engine_cases,
};

kunit_test_suites(&clfs_engine_test_suite);
