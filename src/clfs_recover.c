// SPDX-License-Identifier: GPL-2.0
/*
 * clfs recovery: find the true end of the log when it is opened.
 *
 * The scan starts at the first block of the first container in log order
 * and follows the log: block after block, then the first block of the next
 * container.  A block is accepted only if it validates at its position
 * (magic, LSN of that position, size, whole-block crc, every record) and
 * continues the log after the block before it (clfs_log_follows(), shared
 * with the offline reader: it names that block as its predecessor, its
 * sequence number is the next one or the first of a newer floor, and the
 * truncation rule below holds).  At a position that holds no such
 * block the scan tries the next container's first block, where the writer
 * goes when a record does not fit in the rest of a container; if that
 * fails too, the last accepted block is the end of the log.  Torn blocks
 * fail the crc, blocks of an earlier lap fail the position check, and
 * blocks left over from before an earlier crash fail the chain, because
 * every open moves the sequence floor past anything that was in flight
 * (see clfs_log_open()).  Accepted blocks are marked in their container's
 * block-start bitmap, which later reads consult.
 *
 * The scan reads the log in windows of CLFS_WINDOW_SIZE bytes, one large
 * read each, and validates the blocks in place (struct clfs_window,
 * clfs_io.c): one device round trip per window instead of two per block.
 *
 * Truncation (clfs_tail.c): the block holding the metadata's end LSN keeps
 * its records up to that LSN, and a block after it is accepted only if its
 * floor is at least the metadata's end floor (it was written after the
 * truncation).  Every accepted block also says, in prev_last, how many
 * records of the block before it are kept; blocks cut short are noted in
 * log->trims for the readers.
 *
 * Streams (format.rst, "Streams"): in a multiplexed log, each accepted
 * block's records are noted as their streams' newest (and the first at or
 * after a stream's start as its oldest readable one), in the same pass;
 * a dedicated log's one stream ends where the log does.
 */
#include <linux/sched/signal.h>

#include "clfs_io.h"
#include "clfs_cont_table.h"
#include "clfs_trim.h"
#include "clfs_stream.h"
#include "clfs_recover.h"
#include "clfs_trace.h"

/* Does @next continue the log after @prev, truncations included? */
static bool clfs_recover_follows(struct clfs_log *log,
				 const struct clfs_block_info *prev,
				 const struct clfs_block_info *next)
{
	return clfs_log_follows(log->meta, prev, next) == CLFS_FOLLOWS;
}

/* Note that @bi keeps its records up to @last only (before the log is
 * shared).
 */
static int clfs_recover_trim(struct clfs_log *log,
			     const struct clfs_block_info *bi, u64 last)
{
	struct clfs_trim *t;

	if (last >= bi->lsn + bi->n_records - 1)
		return 0;
	t = clfs_trim_alloc();
	if (!t)
		return -ENOMEM;
	clfs_trim_add(log, t, bi->lsn, last);
	return 0;
}

/*
 * Note the records of accepted block @bi, in @buf, as their streams'
 * (a multiplexed log's).  @hint caches the last stream found: records of
 * one stream tend to follow each other.
 */
static void clfs_recover_streams(struct clfs_log *log, const void *buf,
				 const struct clfs_block_info *bi,
				 struct clfs_stream **hint)
{
	struct clfs_record_view rv;
	u32 off = CLFS_FIRST_RECORD, i;
	struct clfs_stream *st;

	for (i = 0; i < bi->n_records; i++) {
		/* clfs_block_decode() checked every record header. */
		if (clfs_record_at(buf, bi->used, off, &rv))
			return;
		off = rv.next_offset;
		st = *hint && (*hint)->id == rv.stream ? *hint :
		     clfs_stream_find(log, rv.stream);
		if (!st)
			continue;	/* a deleted stream's */
		*hint = st;
		if (st->first_lsn == CLFS_LSN_INVALID && rv.lsn >= st->start)
			st->first_lsn = rv.lsn;
		st->last_lsn = rv.lsn;
	}
}

/*
 * The block that continues the log after @prev, which ended at @off of
 * @c: at @off, or else at the start of the next container.  Updates *@cp
 * and *@offp to where it was found.
 */
static int clfs_recover_next(struct clfs_log *log, struct clfs_cont **cp,
			     u32 *offp, struct clfs_window *w,
			     const void **data,
			     const struct clfs_block_info *prev,
			     struct clfs_block_info *bi)
{
	struct clfs_cont *c = *cp;
	u32 off = *offp;
	int ret;

	if (off < log->meta->container_size) {
		ret = clfs_window_block(log, w, c, off,
					(u32)log->meta->container_size, data,
					bi);
		if (ret == -EIO)
			return ret;
		if (!ret && (!prev || clfs_recover_follows(log, prev, bi)))
			return 0;
		if (!prev)
			return -ENOENT;
	}
	c = clfs_cont_next(log, c->logical_id);
	if (!c)
		return -ENOENT;
	ret = clfs_window_block(log, w, c, CLFS_BLOCKS_START,
				(u32)log->meta->container_size, data, bi);
	if (ret == -EIO)
		return ret;
	if (ret || !clfs_recover_follows(log, prev, bi))
		return -ENOENT;
	*cp = c;
	*offp = CLFS_BLOCKS_START;
	return 0;
}

/**
 * clfs_recover() - scan the log, set the write position after its end
 * @log: the log being opened, containers attached
 * @last_seq: receives the sequence number of the last block (0: empty)
 *
 * The log is not shared yet; log->io_mutex is held all the same, as every
 * write position change requires.
 *
 * The scan reads each block once, in log order, in large reads (at most
 * one more window than the log's blocks fill), so it is linear in the
 * log's size, and a fatal signal stops it.
 *
 * Context: process context; sleeps.
 * Return: 0; -EIO (read error); -ENOMEM; -EINTR (fatal signal).
 */
int clfs_recover(struct clfs_log *log, u64 *last_seq)
{
	struct clfs_block_info prev, bi;
	struct clfs_cont *c, *prev_c = NULL;
	struct clfs_stream *hint = NULL;
	u64 blocks = 0, end = log->meta->end_lsn, last;
	struct clfs_window w = { .buf = NULL };
	u32 off = CLFS_BLOCKS_START;
	const void *data;
	int ret;

	lockdep_assert_held(&log->io_mutex);
	*last_seq = 0;
	log->first_lsn = CLFS_LSN_INVALID;
	log->last_lsn = CLFS_LSN_INVALID;
	log->prev_lsn = CLFS_LSN_INVALID;
	log->prev_last = CLFS_LSN_INVALID;
	log->next_pos = 0;
	c = clfs_cont_first(log);
	if (!c)
		return 0;
	if (clfs_window_alloc(log, &w, CLFS_GFP))
		return -ENOMEM;
	for (;;) {
		ret = clfs_recover_next(log, &c, &off, &w, &data,
					blocks ? &prev : NULL, &bi);
		if (ret)
			break;
		clfs_block_mark(log, c, off);
		if (log->multiplexed)
			clfs_recover_streams(log, data, &bi, &hint);
		if (blocks) {
			ret = clfs_recover_trim(log, &prev, bi.prev_last);
			if (ret)
				break;
		}
		if (!blocks)
			log->first_lsn = bi.lsn;
		prev = bi;
		prev_c = c;
		blocks++;
		off += bi.size;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	clfs_window_free(&w);
	if (ret == -EIO)
		clfs_log_err(log, "read error during recovery");
	if (ret == -EIO || ret == -ENOMEM || ret == -EINTR) {
		trace_clfs_recover(clfs_log_devt(log), blocks, CLFS_LSN_INVALID,
				   ret);
		return ret;
	}
	if (blocks) {
		last = prev.lsn + prev.n_records - 1;
		if (end != CLFS_LSN_INVALID && end >= prev.lsn && end < last) {
			ret = clfs_recover_trim(log, &prev, end);
			if (ret)
				return ret;
			last = end;
		}
		log->prev_lsn = prev.lsn;
		log->prev_last = last;
		log->last_lsn = last;
		log->next_pos = clfs_lsn_make(prev_c->logical_id,
					      clfs_lsn_block_offset(prev.lsn) +
					      prev.size, 0);
		*last_seq = prev.seq;
	}
	log->stream0.first_lsn = log->first_lsn;
	log->stream0.last_lsn = log->last_lsn;
	log->completed_lsn = log->last_lsn == CLFS_LSN_INVALID ?
			     0 : log->last_lsn;
	log->durable_lsn = log->completed_lsn;
	trace_clfs_recover(clfs_log_devt(log), blocks, log->last_lsn, 0);
	clfs_log_info(log, "recovered %llu blocks in %llu reads, last record %llx",
		      blocks, w.reads, log->last_lsn);
	return 0;
}
