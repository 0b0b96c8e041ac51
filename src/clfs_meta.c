// SPDX-License-Identifier: GPL-2.0
/*
 * clfs metadata: the two copies at the start of the base device.
 *
 * Reading validates both copies in full (clfs_meta_decode()) and keeps the
 * valid one with the larger generation (clfs_meta_choose()).  An update is
 * built in log->scratch (clfs_meta_prepare() copies the current state
 * there), written with generation + 1 over the copy that does NOT hold the
 * current state, as one REQ_PREFLUSH | REQ_FUA write, and becomes the
 * current state only once that write has completed.  A crash at any moment
 * therefore leaves the current copy intact; a failed write leaves the
 * in-memory state as it was.  All under log->lock.
 */
#include <linux/slab.h>

#include "clfs_io.h"
#include "clfs_meta.h"
#include "clfs_trace.h"

static u64 clfs_meta_offset(int copy)
{
	return copy ? CLFS_META_B_OFFSET : CLFS_META_A_OFFSET;
}

/**
 * clfs_meta_read() - read, validate and choose the metadata copy
 * @log: the log being opened; log->base is open, log->meta and
 *	log->scratch are allocated
 *
 * Context: process context; sleeps.
 * Return: 0 with log->meta and log->meta_copy set, -EIO on a read error,
 * -EUCLEAN when no copy is valid (a log of format v2 among them: upgrade
 * it with clfsctl) or the copies contradict each other.
 */
int clfs_meta_read(struct clfs_log *log)
{
	struct clfs_meta_info *mi[2] = { log->meta, log->scratch };
	u32 major[2] = { 0, 0 }, minor;
	int r[2], copy, ret;

	for (copy = 0; copy < 2; copy++) {
		ret = clfs_io_sync(log->base->cb.bdev, clfs_meta_offset(copy),
				   log->meta_buf, CLFS_META_COPY_SIZE,
				   REQ_OP_READ);
		if (ret) {
			clfs_log_err(log, "cannot read metadata copy %c (%d)",
				     'A' + copy, ret);
			return ret;
		}
		r[copy] = clfs_meta_decode(log->meta_buf, CLFS_META_COPY_SIZE,
					   mi[copy]);
		if (r[copy])
			clfs_meta_identify(log->meta_buf, CLFS_META_COPY_SIZE,
					   &major[copy], &minor);
	}
	ret = clfs_meta_choose(r[0], mi[0], r[1], mi[1]);
	if (ret < 0) {
		u32 v = 0;

		for (copy = 0; copy < 2; copy++)
			if (major[copy] && major[copy] != CLFS_FORMAT_MAJOR)
				v = major[copy];
		if (r[0] && r[1] && v)
			clfs_log_err(log, "format v%u; this module reads v%u: upgrade it offline with clfsctl upgrade",
				     v, CLFS_FORMAT_MAJOR);
		else if (r[0] && r[1])
			clfs_log_err(log, "no valid clfs metadata (not a clfs log, or both copies corrupt)");
		else
			clfs_log_err(log, "metadata copies A and B contradict each other");
		return -EUCLEAN;
	}
	if (r[ret ^ 1])
		clfs_log_info(log, "metadata copy %c invalid, using %c",
			      'A' + (ret ^ 1), 'A' + ret);
	if (ret == 1)
		swap(log->meta, log->scratch);
	log->meta_copy = ret;
	return 0;
}

/**
 * clfs_meta_prepare() - start an update: log->scratch := log->meta
 * @log: the log, log->lock held
 */
void clfs_meta_prepare(struct clfs_log *log)
{
	lockdep_assert_held(&log->lock);
	memcpy(log->scratch, log->meta, sizeof(*log->scratch));
}

/**
 * clfs_meta_commit() - write log->scratch as the new metadata
 * @log: the log, log->lock held; log->scratch holds the new state
 *
 * Writes log->scratch with the next generation over the older copy and,
 * once that write is durable, makes it log->meta.
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL if the new state is invalid (a bug in the caller);
 * -EIO if the write failed, in which case log->meta is unchanged.
 */
int clfs_meta_commit(struct clfs_log *log)
{
	int copy = log->meta_copy ^ 1;
	int bytes, ret;

	lockdep_assert_held(&log->lock);
	log->scratch->generation = log->meta->generation + 1;
	bytes = clfs_meta_encode(log->scratch, log->meta_buf,
				 CLFS_META_COPY_SIZE);
	if (bytes < 0) {
		clfs_log_err(log, "refusing to write invalid metadata");
		return -EINVAL;
	}
	bytes = round_up((u32)bytes, log->io_unit);
	atomic64_inc(&log->stats.meta_writes);
	atomic64_inc(&log->stats.dev_writes);
	atomic64_add(bytes, &log->stats.meta_bytes);
	ret = clfs_io_sync(log->base->cb.bdev, clfs_meta_offset(copy),
			   log->meta_buf, (u32)bytes,
			   REQ_OP_WRITE | REQ_SYNC | REQ_PREFLUSH | REQ_FUA);
	trace_clfs_meta_commit(clfs_log_devt(log), log->scratch->generation,
			       copy, log->scratch->base_lsn,
			       log->scratch->end_lsn, ret);
	if (ret) {
		clfs_log_err(log, "metadata write to copy %c failed (%d)",
			     'A' + copy, ret);
		return ret;
	}
	swap(log->meta, log->scratch);
	log->meta_copy = copy;
	return 0;
}
