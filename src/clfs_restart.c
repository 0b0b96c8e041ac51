// SPDX-License-Identifier: GPL-2.0
/*
 * clfs restart areas: ClfsWriteRestartArea, ClfsReadRestartArea and
 * ClfsReadPreviousRestartArea.
 *
 * A restart area is a record of type CLFS_RECORD_RESTART in the log, whose
 * previous LSN is the log's restart LSN before it, so the restart records
 * form a chain that is read newest first.  Writing one appends the record,
 * makes it and every record before it durable, then commits the metadata
 * naming it as the restart LSN, with the new base LSN if one is given, in
 * one two-copy update (clfs_tail_commit()).  That metadata write is the
 * commit point: after a crash the log's restart area is the last one whose
 * write returned, or the one being written if its metadata update reached
 * the disk, never a torn one, and the base LSN is the one that restart
 * area set.  A restart record whose metadata update never landed stays in
 * the log as a record, outside the chain.
 *
 * Writing a restart area runs under log->tail_mutex, so restart areas,
 * tail moves and truncations never interleave and the chain has no forks.
 * Reading one takes no tail lock: it reads the committed restart LSN and
 * follows the chain like any reader.
 */
#include "clfs_ring.h"
#include "clfs_append.h"
#include "clfs_read.h"
#include "clfs_tail.h"

/* Durable block bytes and metadata bytes written so far. */
static u64 clfs_restart_bytes(struct clfs_log *log)
{
	u64 bytes;

	spin_lock_irq(&log->io_lock);
	bytes = log->durable_bytes;
	spin_unlock_irq(&log->io_lock);
	return bytes + atomic64_read(&log->stats.meta_bytes);
}

/**
 * clfs_write_restart() - write a restart area (ClfsWriteRestartArea)
 * @ma: a marshalling area of the log
 * @data: the restart data (may be NULL when @len is 0)
 * @len: its bytes; at most what a write buffer carries
 * @new_base: if not NULL, the new base LSN: a record in [current base,
 *	last LSN], set in the same step
 * @flags: 0 (the record takes new space; the reservation count is
 *	unchanged) or CLFS_FLAG_USE_RESERVATION (it consumes the smallest
 *	reservation of @ma that fits; the count drops by one)
 * @written: if not NULL, receives the bytes forced to stable storage by
 *	this call: log blocks made durable and metadata written
 * @lsn: if not NULL, receives the restart record's LSN
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (bad flags or arguments, or @new_base not a record
 * in [base, last]: nothing changed); -EMSGSIZE; -ENOSPC (no room: nothing
 * changed); -ENOENT (USE_RESERVATION and no reservation fits: nothing
 * changed); -EUCLEAN; -EIO (the record may be in the log, but is not the
 * restart area).
 */
int clfs_write_restart(struct clfs_marshal *ma, const void *data, u32 len,
		       const u64 *new_base, u32 flags, u32 *written, u64 *lsn)
{
	struct kvec iov = { .iov_base = (void *)data, .iov_len = len };
	struct clfs_log *log;
	u64 base, archive, prev, rec, before;
	u32 rlen;
	int ret;

	might_sleep();
	if (!ma || (len && !data) || (flags & ~CLFS_FLAG_USE_RESERVATION))
		return -EINVAL;
	log = ma->log;
	ret = clfs_append_check(ma, &iov, 1, &rlen);
	if (ret)
		return ret;
	mutex_lock(&log->tail_mutex);
	if (new_base) {
		ret = clfs_tail_validate_base(ma->st, *new_base);
		if (ret)
			goto out_unlock;
	}
	clfs_tail_get(ma->st, &base, &archive, &prev);
	before = clfs_restart_bytes(log);
	ret = clfs_append_rsv(ma, &iov, 1, CLFS_LSN_INVALID, prev,
			      CLFS_RECORD_RESTART, flags, 0, NULL, &rec, NULL);
	if (ret)
		goto out_unlock;
	ret = clfs_flush_lsn(log, rec);
	if (!ret)
		ret = clfs_tail_commit(ma->st, new_base ? *new_base : base,
				       archive, rec);
	if (ret)
		goto out_unlock;
	if (written)
		*written = (u32)min_t(u64, U32_MAX,
				      clfs_restart_bytes(log) - before);
	if (lsn)
		*lsn = rec;
out_unlock:
	mutex_unlock(&log->tail_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_write_restart);

/**
 * clfs_stream_read_restart() - read a stream's newest restart area
 *	(ClfsReadRestartArea)
 * @st: an open stream (no marshalling area is needed)
 * @ctxp: receives a read context positioned on it, for
 *	clfs_read_previous_restart(); end it with clfs_read_terminate()
 * @rec: receives the restart record (data valid as for clfs_read_record())
 *
 * Context: process context; sleeps.
 * Return: 0; -ENODATA (the stream has no restart area, or the newest one
 * lies below its active part); -EINVAL; -EUCLEAN; -EIO; -ENOMEM.
 */
int clfs_stream_read_restart(struct clfs_stream *st,
			     struct clfs_read_ctx **ctxp,
			     struct clfs_record *rec)
{
	u64 base, archive, lsn;
	int ret;

	might_sleep();
	if (!st || !ctxp || !rec)
		return -EINVAL;
	clfs_tail_get(st, &base, &archive, &lsn);
	if (lsn == CLFS_LSN_INVALID)
		return -ENODATA;
	ret = clfs_read_open(st, lsn, CLFS_READ_PREVIOUS, CLFS_TYPE_RESTART,
			     true, ctxp, rec);
	return ret == -ENOENT ? -ENODATA : ret;
}
EXPORT_SYMBOL_GPL(clfs_stream_read_restart);

/**
 * clfs_read_restart() - read a dedicated log's newest restart area
 * @log: the log
 * @ctxp: as clfs_stream_read_restart()
 * @rec: as clfs_stream_read_restart()
 *
 * Context: process context; sleeps.
 * Return: as clfs_stream_read_restart(); -EINVAL for a multiplexed log.
 */
int clfs_read_restart(struct clfs_log *log, struct clfs_read_ctx **ctxp,
		      struct clfs_record *rec)
{
	return clfs_stream_read_restart(clfs_log_stream(log), ctxp, rec);
}
EXPORT_SYMBOL_GPL(clfs_read_restart);

/**
 * clfs_read_previous_restart() - the restart area before the last one read
 * @ctx: a context from clfs_read_restart()
 * @rec: receives the restart record
 *
 * Context: process context; sleeps.
 * Return: 0; -ENOENT (the chain is exhausted: no older restart area in the
 * active log); -EINVAL (@ctx is not a restart-area context); -EUCLEAN;
 * -EIO.
 */
int clfs_read_previous_restart(struct clfs_read_ctx *ctx,
			       struct clfs_record *rec)
{
	might_sleep();

	if (!ctx || !rec || !clfs_read_is_restart(ctx))
		return -EINVAL;
	return clfs_read_next(ctx, rec);
}
EXPORT_SYMBOL_GPL(clfs_read_previous_restart);
