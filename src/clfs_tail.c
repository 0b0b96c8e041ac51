// SPDX-License-Identifier: GPL-2.0
/*
 * clfs tails and end: ClfsAdvanceLogBase, ClfsSetArchiveTail, TruncateLog,
 * and the recycling of containers that the tails leave behind.
 *
 * The active log runs from its start, min(base LSN, archive tail), to its
 * last LSN.  Records below the start are gone: reads give -ENOENT.  Every
 * tail move commits the new values through the two-copy metadata, and in
 * the same update gives each container whose logical id is below the
 * start's container a new logical id (meta->next_logical, in log order):
 * the container is recycled.  Its old blocks then fail the position check
 * (their LSNs name the old id), and the writer, which always moves to the
 * next larger logical id, reaches it after the containers it had not yet
 * used.  A tail must name a record of the active log, and the records up
 * to it are made durable before the metadata names it, so that recovery,
 * which starts at the first container in log order, always finds a chain
 * that reaches the tails.
 *
 * Truncation moves the last LSN back to a record T (format.rst,
 * "Truncation"): every record up to T is made durable, the open buffer
 * (whose records all follow T) is dropped and the writes in flight are
 * waited for; then the metadata names T as the end and a new sequence
 * floor F, and the writer continues right after T's block with blocks of
 * floor F or more, the first naming T as the last record it follows.
 * Blocks after T's still on disk fail the chain rule, and T's block is
 * read with its records up to T only (log->trims).
 *
 * All of this runs under log->tail_mutex, so tail moves, restart areas and
 * truncations are serialised; the metadata under log->lock; the in-memory
 * changes under log->io_mutex.
 */
#include <linux/slab.h>

#include "clfs_meta.h"
#include "clfs_cont_table.h"
#include "clfs_trim.h"
#include "clfs_scan.h"
#include "clfs_ring.h"
#include "clfs_pause.h"
#include "clfs_read.h"
#include "clfs_tail.h"
#include "clfs_trace.h"

/*
 * In log->scratch, give every container below the active start a new
 * logical id, oldest first.  Stops early if the ids run out (the log then
 * simply cannot reuse those containers).
 */
static void clfs_recycle_prepare(struct clfs_log *log)
{
	struct clfs_meta_info *mi = log->scratch;
	u64 start = clfs_start_lsn(mi);
	u32 first = clfs_lsn_container(start), i;

	lockdep_assert_held(&log->lock);
	while (start != CLFS_LSN_NULL &&
	       mi->next_logical < CLFS_LSN_MAX_CONTAINER) {
		struct clfs_container_info *best = NULL;

		for (i = 0; i < mi->n_containers; i++) {
			struct clfs_container_info *c = &mi->containers[i];

			if (c->logical_id < first &&
			    (!best || c->logical_id < best->logical_id))
				best = c;
		}
		if (!best)
			break;
		best->logical_id = mi->next_logical++;
	}
}

/* The stream table entry of @st in @mi (a multiplexed log), or NULL. */
static struct clfs_stream_info *
clfs_tail_entry(struct clfs_meta_info *mi, const struct clfs_stream *st)
{
	return (struct clfs_stream_info *)clfs_meta_find_stream(mi, st->id);
}

/*
 * Make the committed metadata's ids, starts and truncation notes the
 * in-memory state (log->lock and log->io_mutex held).
 */
static void clfs_tail_apply(struct clfs_log *log)
{
	u64 start = clfs_start_lsn(log->meta);
	struct clfs_stream_info *si;
	struct clfs_stream *st;
	u32 i;

	lockdep_assert_held(&log->lock);
	lockdep_assert_held(&log->io_mutex);
	for (i = 0; i < log->n_conts; i++) {
		struct clfs_cont *c = log->conts[i];
		u32 id = log->meta->containers[i].logical_id;

		if (c->logical_id == id)
			continue;
		trace_clfs_recycle(clfs_log_devt(log), c->physical_id,
				   c->logical_id, id);
		c->logical_id = id;
		bitmap_zero(c->starts, clfs_cont_bits(log));
	}
	clfs_trim_forget_below(log, start);
	WRITE_ONCE(log->start_lsn, start);
	if (!log->multiplexed)
		WRITE_ONCE(log->stream0.start, start);
	list_for_each_entry(st, &log->streams, node) {
		si = clfs_tail_entry(log->meta, st);
		if (si)
			WRITE_ONCE(st->start, clfs_stream_start(si));
	}
}

/**
 * clfs_tail_commit_scratch() - commit log->scratch, recycling behind it
 * @log: the log, log->lock held, log->scratch prepared with new tails or
 *	a changed stream table
 *
 * Context: process context; sleeps.
 * Return: 0, or -EIO (the metadata write failed; nothing changed).
 */
int clfs_tail_commit_scratch(struct clfs_log *log)
{
	int ret;

	lockdep_assert_held(&log->lock);
	clfs_recycle_prepare(log);
	/*
	 * Appends go on during the write: until the new ids are applied in
	 * memory, the recycled containers keep ids below the writer's, so it
	 * cannot enter them.
	 */
	ret = clfs_meta_commit(log);
	if (!ret) {
		mutex_lock(&log->io_mutex);
		clfs_tail_apply(log);
		mutex_unlock(&log->io_mutex);
	}
	return ret;
}

/**
 * clfs_tail_commit() - commit a stream's new tails (and restart LSN),
 *	recycling
 * @st: the stream; log->tail_mutex held
 * @base: the new base LSN
 * @archive: the new archive tail (CLFS_LSN_INVALID: none)
 * @restart: the new restart LSN
 *
 * A dedicated log's tails are the metadata's own; a stream of a
 * multiplexed log has them in its stream table entry.
 *
 * Context: process context; sleeps.
 * Return: 0, or -EIO (the metadata write failed; nothing changed).
 */
int clfs_tail_commit(struct clfs_stream *st, u64 base, u64 archive,
		     u64 restart)
{
	struct clfs_log *log = st->log;
	struct clfs_stream_info *si;
	int ret;

	lockdep_assert_held(&log->tail_mutex);
	mutex_lock(&log->lock);
	clfs_meta_prepare(log);
	if (st->id) {
		si = clfs_tail_entry(log->scratch, st);
		if (WARN_ON_ONCE(!si)) {
			ret = -EINVAL;
			goto out_unlock;
		}
		si->base_lsn = base;
		si->archive_tail = archive;
		si->restart_lsn = restart;
	} else {
		log->scratch->base_lsn = base;
		log->scratch->archive_tail = archive;
		log->scratch->restart_lsn = restart;
	}
	ret = clfs_tail_commit_scratch(log);
out_unlock:
	mutex_unlock(&log->lock);
	return ret;
}

/**
 * clfs_tail_get_locked() - clfs_tail_get() with log->lock held
 * @st: the stream
 * @base: receives the base LSN
 * @archive: receives the archive tail (CLFS_LSN_INVALID: none)
 * @restart: receives the restart LSN (CLFS_LSN_INVALID: none)
 */
void clfs_tail_get_locked(struct clfs_stream *st, u64 *base, u64 *archive,
			  u64 *restart)
{
	struct clfs_log *log = st->log;
	const struct clfs_stream_info *si;

	lockdep_assert_held(&log->lock);
	if (st->id) {
		si = clfs_tail_entry(log->meta, st);
		*base = si ? si->base_lsn : CLFS_LSN_NULL;
		*archive = si ? si->archive_tail : CLFS_LSN_INVALID;
		*restart = si ? si->restart_lsn : CLFS_LSN_INVALID;
	} else {
		*base = log->meta->base_lsn;
		*archive = log->meta->archive_tail;
		*restart = log->meta->restart_lsn;
	}
}

/**
 * clfs_tail_get() - a stream's committed tails and restart LSN
 * @st: the stream (in use: not deleted meanwhile); with
 *	log->tail_mutex held they stay as read
 * @base: receives the base LSN
 * @archive: receives the archive tail (CLFS_LSN_INVALID: none)
 * @restart: receives the restart LSN (CLFS_LSN_INVALID: none)
 */
void clfs_tail_get(struct clfs_stream *st, u64 *base, u64 *archive,
		   u64 *restart)
{
	mutex_lock(&st->log->lock);
	clfs_tail_get_locked(st, base, archive, restart);
	mutex_unlock(&st->log->lock);
}

/*
 * Check that @lsn names a record of stream @st in [@lo, its last LSN];
 * fills *@bi with its block's header.
 */
static int clfs_tail_check(struct clfs_stream *st, u64 lsn, u64 lo,
			   struct clfs_block_info *bi)
{
	struct clfs_log *log = st->log;
	struct clfs_record_view rv;
	u64 last;
	int ret;

	mutex_lock(&log->io_mutex);
	last = st->last_lsn;
	mutex_unlock(&log->io_mutex);
	if (!clfs_lsn_is_valid(lsn) || last == CLFS_LSN_INVALID ||
	    lsn < lo || lsn > last)
		return -EINVAL;
	ret = clfs_record_lookup(log, lsn, bi, &rv);
	if (ret == -ENOENT || (!ret && rv.stream != st->id))
		return -EINVAL;
	return ret;
}

/**
 * clfs_tail_validate_base() - check a new base LSN of a stream
 * @st: the stream, log->tail_mutex held
 * @lsn: the proposed base
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (not a record of @st in [current base, last LSN]);
 * -EUCLEAN; -EIO; -ENOMEM.
 */
int clfs_tail_validate_base(struct clfs_stream *st, u64 lsn)
{
	struct clfs_block_info bi;
	u64 base, archive, restart;

	lockdep_assert_held(&st->log->tail_mutex);
	clfs_tail_get(st, &base, &archive, &restart);
	return clfs_tail_check(st, lsn, base, &bi);
}

/**
 * clfs_advance_base() - move the base LSN forward (ClfsAdvanceLogBase)
 * @ma: a marshalling area of the log
 * @lsn: the new base: a record of the area's stream in [current base,
 *	last LSN]
 * @flags: 0
 *
 * Makes every record up to @lsn durable, then commits the new base of the
 * area's stream; its records below its new start become unreadable
 * (-ENOENT), and the containers that no stream needs any more are
 * recycled.
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (bad flags, or @lsn not a record of the stream in
 * [base, last]: nothing changed); -EUCLEAN; -EIO.
 */
int clfs_advance_base(struct clfs_marshal *ma, u64 lsn, u32 flags)
{
	struct clfs_log *log;
	u64 base, archive, restart;
	int ret;

	might_sleep();
	if (!ma || flags)
		return -EINVAL;
	log = ma->log;
	mutex_lock(&log->tail_mutex);
	ret = clfs_tail_validate_base(ma->st, lsn);
	if (!ret)
		ret = clfs_flush_lsn(log, lsn);
	if (!ret) {
		clfs_tail_get(ma->st, &base, &archive, &restart);
		ret = clfs_tail_commit(ma->st, lsn, archive, restart);
	}
	mutex_unlock(&log->tail_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_advance_base);

/**
 * clfs_stream_set_archive_tail() - set a stream's archive tail
 *	(ClfsSetArchiveTail)
 * @st: an open stream of a log with a marshalling area (checked at the
 *	start)
 * @lsn: the oldest record not yet archived: a record of the stream's
 *	active part
 *
 * While an archive tail below the base is set, the records between the
 * two stay readable and their containers are not recycled.
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (@lsn not a record of @st in [its start, its last
 * LSN], or the log has no marshalling area: nothing changed); -EUCLEAN;
 * -EIO.
 */
int clfs_stream_set_archive_tail(struct clfs_stream *st, u64 lsn)
{
	struct clfs_block_info bi;
	struct clfs_log *log;
	u64 base, archive, restart;
	int ret;

	might_sleep();
	if (!st)
		return -EINVAL;
	log = st->log;
	mutex_lock(&log->tail_mutex);
	mutex_lock(&log->lock);
	ret = log->n_areas ? 0 : -EINVAL;
	mutex_unlock(&log->lock);
	if (ret)
		goto out_unlock;
	clfs_tail_get(st, &base, &archive, &restart);
	ret = clfs_tail_check(st, lsn, READ_ONCE(st->start), &bi);
	if (!ret)
		ret = clfs_flush_lsn(log, lsn);
	if (!ret)
		ret = clfs_tail_commit(st, base, lsn, restart);
out_unlock:
	mutex_unlock(&log->tail_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_stream_set_archive_tail);

/**
 * clfs_set_archive_tail() - set a dedicated log's archive tail
 * @log: an open dedicated log with a marshalling area
 * @lsn: as clfs_stream_set_archive_tail()
 *
 * Context: process context; sleeps.
 * Return: as clfs_stream_set_archive_tail(); -EINVAL for a multiplexed
 * log (its streams have the tails).
 */
int clfs_set_archive_tail(struct clfs_log *log, u64 lsn)
{
	return clfs_stream_set_archive_tail(clfs_log_stream(log), lsn);
}
EXPORT_SYMBOL_GPL(clfs_set_archive_tail);

/*
 * The newest restart record at or below @end, walking the chain back.
 * Every link must go strictly back (clfs_chain_back()): a chain that loops
 * or points forward on disk is corrupt, and the walk ends after at most as
 * many steps as the log has records.  It stops on a fatal signal.
 */
static int clfs_restart_below(struct clfs_log *log, u64 restart, u64 end,
			      u64 *found)
{
	struct clfs_block_info bi;
	struct clfs_record_view rv;
	int ret;

	lockdep_assert_held(&log->tail_mutex);
	while (restart != CLFS_LSN_INVALID && restart > end) {
		if (fatal_signal_pending(current))
			return -EINTR;
		ret = clfs_record_lookup(log, restart, &bi, &rv);
		if (ret == -ENOENT)
			break;
		if (ret)
			return ret;
		if (rv.type != CLFS_RECORD_RESTART)
			return -EUCLEAN;
		if (clfs_chain_end(rv.previous))
			restart = CLFS_LSN_INVALID;
		else if (clfs_chain_back(restart, rv.previous))
			restart = rv.previous;
		else
			return -EUCLEAN;
		cond_resched();
	}
	*found = restart > end ? CLFS_LSN_INVALID : restart;
	return 0;
}

/* Truncation, part two: scan.mutex, log->lock and log->io_mutex held. */
static int clfs_truncate_locked(struct clfs_log *log, u64 end,
				const struct clfs_block_info *bi, u64 restart)
{
	u32 id = clfs_lsn_container(bi->lsn);
	u32 off = clfs_lsn_block_offset(bi->lsn);
	struct clfs_trim *t;
	u64 floor;
	u32 i;
	int ret;

	lockdep_assert_held(&log->scan.mutex);
	lockdep_assert_held(&log->lock);
	lockdep_assert_held(&log->io_mutex);
	/*
	 * Nothing changes before the commit: a truncation that fails here
	 * leaves the open buffer, whose records (of any area) follow @end,
	 * to be written and flushed as before.
	 */
	t = clfs_trim_alloc();
	if (!t)
		return -ENOMEM;
	clfs_pause(log, CLFS_PAUSE_TRUNCATE);
	/* The floor must pass every block in flight: let them land. */
	wait_event(log->io_wait, !clfs_ring_busy(log));
	if (READ_ONCE(log->error)) {
		kfree(t);
		return -EIO;
	}

	clfs_meta_prepare(log);
	floor = max(log->meta->seq_floor, log->next_seq - 1) +
		2 * CLFS_MAX_IN_FLIGHT;
	log->scratch->seq_floor = floor;
	log->scratch->end_lsn = end;
	log->scratch->end_floor = floor;
	log->scratch->restart_lsn = restart;
	ret = clfs_meta_commit(log);
	if (ret) {
		kfree(t);
		return ret;
	}

	/* Opened after end's block was sealed: only later records, cut. */
	clfs_buf_drop(log);
	clfs_trim_add(log, t, bi->lsn, end);
	clfs_scan_cut(log, bi->lsn, end);
	for (i = 0; i < log->n_conts; i++) {
		struct clfs_cont *c = log->conts[i];
		u32 bits = clfs_cont_bits(log);

		if (c->logical_id > id)
			bitmap_zero(c->starts, bits);
		else if (c->logical_id == id)
			bitmap_clear(c->starts, off / log->io_unit + 1,
				     bits - off / log->io_unit - 1);
	}
	trace_clfs_truncate(clfs_log_devt(log), end, floor);
	log->floor = floor;
	log->next_seq = floor + 1;
	log->next_pos = clfs_lsn_make(id, off + bi->size, 0);
	log->prev_lsn = bi->lsn;
	log->prev_last = end;
	log->fua_last = CLFS_LSN_INVALID;
	log->last_lsn = end;
	log->stream0.last_lsn = end;
	spin_lock_irq(&log->io_lock);
	log->completed_lsn = end;
	log->durable_lsn = end;
	/* Records up to @end were flushed, not always by this open. */
	log->synced_lsn = min(log->synced_lsn, end);
	clfs_flush_cut(log, end);
	log->cuts++;
	spin_unlock_irq(&log->io_lock);
	clfs_flush_wake_all(log);
	return 0;
}

/**
 * clfs_truncate() - move the end of the log back (TruncateLog)
 * @ma: a marshalling area of the log
 * @lsn: the new last LSN: a record in [base, last LSN], not below the
 *	archive tail
 *
 * Records after @lsn are removed, also those still in write buffers; the
 * next record appended gets an LSN after @lsn's block.  If the newest
 * restart area follows @lsn, the newest one before it becomes the
 * log's restart area.  Durable before it returns, and crash safe: after a
 * crash the log ends at @lsn or later records appended after the call.
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (@lsn outside [base, last], below the archive tail,
 * or not a record: nothing changed); -EOPNOTSUPP (a multiplexed log:
 * format.rst, "Streams"); -EBUSY (read contexts are open);
 * -EUCLEAN (a corrupt record, or a restart chain that loops or points
 * forward: nothing changed); -EINTR (a fatal signal while walking the
 * restart chain: nothing changed); -EIO; -ENOMEM.
 */
int clfs_truncate(struct clfs_marshal *ma, u64 lsn)
{
	struct clfs_block_info bi;
	struct clfs_log *log;
	u64 base, archive, restart, lo;
	int ret;

	might_sleep();
	if (!ma)
		return -EINVAL;
	log = ma->log;
	if (log->multiplexed)
		return -EOPNOTSUPP;
	if (atomic_read(&log->readers))
		return -EBUSY;
	mutex_lock(&log->tail_mutex);
	clfs_tail_get(ma->st, &base, &archive, &restart);
	lo = archive == CLFS_LSN_INVALID ? base : max(base, archive);
	ret = clfs_tail_check(ma->st, lsn, lo, &bi);
	if (!ret)
		ret = clfs_flush_lsn(log, lsn);
	/* Again if the block was the open buffer: sealed, it has a size. */
	if (!ret && !bi.size)
		ret = clfs_tail_check(ma->st, lsn, lo, &bi);
	if (!ret)
		ret = clfs_restart_below(log, restart, lsn, &restart);
	if (ret)
		goto out_unlock;
	mutex_lock(&log->scan.mutex);
	mutex_lock(&log->lock);
	mutex_lock(&log->io_mutex);
	ret = clfs_truncate_locked(log, lsn, &bi, restart);
	mutex_unlock(&log->io_mutex);
	mutex_unlock(&log->lock);
	mutex_unlock(&log->scan.mutex);
out_unlock:
	mutex_unlock(&log->tail_mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_truncate);
