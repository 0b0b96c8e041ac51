// SPDX-License-Identifier: GPL-2.0
/*
 * clfs flushes: making records durable, with group commit.
 *
 * A record is durable once its block and every block before it have
 * completed and a cache flush issued after those completions has
 * completed too (or the block itself went out as PREFLUSH | FUA with
 * nothing before it pending).  Durability therefore never depends on I/O
 * still in flight.
 *
 * Group commit: a flusher whose record is still in the open buffer waits
 * while other blocks are in flight, so that records appended meanwhile
 * share the block it then seals; flushers whose record is in a block
 * already sealed just wait for it; and of the flushers whose blocks have
 * completed, one at a time (log->flush_mutex) issues a cache flush that
 * covers all completed blocks, and the others find their record durable
 * when they get the mutex.  log->stats counts flush requests and the
 * device writes issued for them.  log->durable_lsn only moves forward.
 */
#include "clfs_log.h"

static bool clfs_reached(struct clfs_log *log, u64 *field, u64 lsn)
{
	bool ret;

	spin_lock(&log->io_lock);
	ret = *field >= lsn || log->error;
	spin_unlock(&log->io_lock);
	return ret;
}

static bool clfs_may_seal(struct clfs_log *log, struct clfs_buf *b)
{
	return READ_ONCE(log->ma->cur) != b || !clfs_ma_inflight(log) ||
	       READ_ONCE(log->error);
}

/**
 * clfs_flush_lsn() - make every record up to @lsn durable
 * @log: the log; @lsn has been appended through log->ma
 * @lsn: the record
 *
 * Context: process context; sleeps.
 * Return: 0; -ENOENT (a truncation removed the record meanwhile); -EIO
 * (the log shut down after a device error).
 */
int clfs_flush_lsn(struct clfs_log *log, u64 lsn)
{
	struct clfs_marshal *ma = log->ma;
	bool counted = false;
	struct clfs_buf *b;
	u64 done, completed, bytes;
	u32 cuts;
	int ret;

	for (;;) {
		spin_lock(&log->io_lock);
		ret = log->error;
		done = log->durable_lsn;
		cuts = log->cuts;
		spin_unlock(&log->io_lock);
		if (ret)
			return -EIO;
		if (done >= lsn)
			return 0;
		if (!counted) {
			atomic64_inc(&log->stats.flushes);
			counted = true;
		}

		mutex_lock(&log->io_mutex);
		if (log->last_lsn == CLFS_LSN_INVALID || lsn > log->last_lsn) {
			/* A truncation removed it. */
			mutex_unlock(&log->io_mutex);
			return -ENOENT;
		}
		b = ma->cur;
		if (b && lsn >= b->lsn) {
			if (!clfs_may_seal(log, b)) {
				mutex_unlock(&log->io_mutex);
				wait_event(log->io_wait, clfs_may_seal(log, b));
				continue;
			}
			clfs_seal(log, b, true);
		}
		mutex_unlock(&log->io_mutex);

		wait_event(log->io_wait,
			   clfs_reached(log, &log->completed_lsn, lsn) ||
			   READ_ONCE(log->cuts) != cuts);
		if (READ_ONCE(log->cuts) != cuts ||
		    clfs_reached(log, &log->durable_lsn, lsn))
			continue;

		mutex_lock(&log->flush_mutex);
		spin_lock(&log->io_lock);
		done = log->durable_lsn;
		completed = log->completed_lsn;
		bytes = log->completed_bytes;
		ret = log->error;
		spin_unlock(&log->io_lock);
		if (!ret && done < lsn) {
			/* Covers what completed before it is issued. */
			ret = clfs_dev_flush_all(log);
			spin_lock(&log->io_lock);
			if (ret) {
				log->error = -EIO;
			} else if (completed > log->durable_lsn) {
				log->durable_lsn = completed;
				log->durable_bytes = bytes;
			}
			spin_unlock(&log->io_lock);
			if (ret)
				clfs_log_err(log, "cache flush failed; log shut down");
			wake_up_all(&log->io_wait);
		}
		mutex_unlock(&log->flush_mutex);
	}
}

/**
 * clfs_flush_buffers() - make every record appended so far durable
 * @ma: the log's marshalling area
 *
 * Seals the open buffer (if it holds records), and returns once every
 * record appended before the call is on stable storage.
 *
 * Context: process context; sleeps.
 * Return: 0; -EIO (device error: the log is shut down); -EINVAL.
 */
int clfs_flush_buffers(struct clfs_marshal *ma)
{
	struct clfs_log *log;
	u64 last;

	if (!ma)
		return -EINVAL;
	log = ma->log;
	mutex_lock(&log->io_mutex);
	last = log->last_lsn;
	mutex_unlock(&log->io_mutex);
	if (last == CLFS_LSN_INVALID)
		return READ_ONCE(log->error) ? -EIO : 0;
	return clfs_flush_lsn(log, last);
}
EXPORT_SYMBOL_GPL(clfs_flush_buffers);

/**
 * clfs_flush_to_lsn() - make every record up to an LSN durable
 * @ma: the log's marshalling area
 * @lsn: an LSN of a record appended to the log
 * @flushed: if not NULL, receives the LSN up to which all records are
 *	durable (at least @lsn)
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (@lsn is CLFS_LSN_NULL or CLFS_LSN_INVALID);
 * -ENOENT (@lsn is beyond the last appended record); -EIO (device error:
 * the log is shut down).
 */
int clfs_flush_to_lsn(struct clfs_marshal *ma, u64 lsn, u64 *flushed)
{
	struct clfs_log *log;
	u64 last;
	int ret;

	if (!ma || !clfs_lsn_is_valid(lsn) || clfs_lsn_is_null(lsn))
		return -EINVAL;
	log = ma->log;
	mutex_lock(&log->io_mutex);
	last = log->last_lsn;
	mutex_unlock(&log->io_mutex);
	if (last == CLFS_LSN_INVALID || lsn > last)
		return -ENOENT;
	ret = clfs_flush_lsn(log, lsn);
	if (!ret && flushed) {
		spin_lock(&log->io_lock);
		*flushed = log->durable_lsn;
		spin_unlock(&log->io_lock);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_flush_to_lsn);
