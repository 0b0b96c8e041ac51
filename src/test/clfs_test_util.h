/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the engine and crash KUnit suites: record contents
 * that are a pure function of (seed, index), so that what a reader gets
 * back can be checked byte for byte without keeping copies, and a forward
 * scan of a whole log.
 */
#ifndef CLFS_TEST_UTIL_H
#define CLFS_TEST_UTIL_H

#include <linux/slab.h>
#include <linux/uio.h>

#include <linux/clfs.h>

/* Byte @j of record @i of a workload seeded with @seed. */
static inline u8 clfs_test_byte(u64 seed, u32 i, u32 j)
{
	return (u8)(seed * 31 + i * 7 + j * 13 + (j >> 8) + (i >> 8));
}

static inline void clfs_test_fill(u8 *buf, u64 seed, u32 i, u32 len)
{
	u32 j;

	for (j = 0; j < len; j++)
		buf[j] = clfs_test_byte(seed, i, j);
}

/* Does @rec hold exactly record @i of @len bytes?  Returns the bad offset
 * plus one, or 0 when it matches.
 */
static inline u32 clfs_test_check(const struct clfs_record *rec, u64 seed,
				  u32 i, u32 len)
{
	const u8 *p = rec->data;
	u32 j;

	if (rec->length != len)
		return U32_MAX;
	for (j = 0; j < len; j++)
		if (p[j] != clfs_test_byte(seed, i, j))
			return j + 1;
	return 0;
}

/* Append record @i of @len bytes; returns clfs_append()'s result. */
static inline int clfs_test_append(struct clfs_marshal *ma, u64 seed, u32 i,
				   u32 len, u64 undo, u64 prev, u32 type,
				   u32 flags, u64 *lsn)
{
	struct kvec iov;
	u8 *buf = kmalloc(max_t(u32, len, 1), GFP_KERNEL);
	int ret;

	if (!buf)
		return -ENOMEM;
	clfs_test_fill(buf, seed, i, len);
	iov.iov_base = buf;
	iov.iov_len = len;
	ret = clfs_append(ma, &iov, 1, undo, prev, type, flags, lsn);
	kfree(buf);
	return ret;
}

/*
 * The errno of opening a read context on @lsn through stream @st (0:
 * there is a record of it); a context that opened is closed again, so a
 * failing check cannot leak it.
 */
static inline int clfs_test_stream_read_errno(struct clfs_stream *st, u64 lsn)
{
	struct clfs_read_ctx *ctx;
	struct clfs_record rec;
	int ret;

	ret = clfs_stream_read_record(st, lsn, CLFS_READ_FORWARD,
				      CLFS_TYPE_ANY, &ctx, &rec);
	if (!ret)
		clfs_read_terminate(ctx);
	return ret;
}

/* The same through a dedicated log (-EINVAL for a multiplexed one). */
static inline int clfs_test_read_errno(struct clfs_log *log, u64 lsn)
{
	return clfs_test_stream_read_errno(clfs_log_dedicated_stream(log),
					   lsn);
}

#endif /* CLFS_TEST_UTIL_H */
