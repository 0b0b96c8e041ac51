// SPDX-License-Identifier: GPL-2.0
/*
 * clfs recovery: find the end of the log when it is opened, and note at
 * the last close where it ends.
 *
 * After a clean close (format.rst, "Clean close") the metadata names the
 * last block, its last record, the position after it and the oldest
 * record (each stream's oldest and newest in a multiplexed log): the open
 * reads nothing else, and the block index of the part written before is
 * built later, as far as reads need (clfs_scan.c).  The open that first
 * writes drops the marker in the same metadata update that persists its
 * sequence floor (clfs_marshal.c), before any block is written, so a
 * marker on disk is always true; the last close of an open that wrote
 * writes it again once every block is on disk.
 *
 * After a crash the scan (clfs_scan.c) walks the chain from the log's
 * start, min(base, archive tail), to its end: a block is accepted only if
 * it validates at its position and continues the chain (clfs_log_follows:
 * it names the block before as its predecessor, its sequence number is
 * the next one or the first of a newer floor, and the truncation rule
 * holds).  Torn blocks fail the crc, blocks of an earlier lap fail the
 * position check, and blocks left over from before an earlier crash fail
 * the chain, because every open moves the sequence floor past anything
 * that was in flight (see clfs_log_open()).  The last block accepted is
 * the end of the log; the block holding the metadata's end LSN keeps its
 * records up to it.  A tail names a durable record, so a log whose start
 * holds no valid block is corrupt, never empty.
 *
 * Streams (format.rst, "Streams"): in a multiplexed log, each accepted
 * block's records are noted as their streams' newest (and the first at or
 * after a stream's start as its oldest readable one), in the same pass;
 * a dedicated log's one stream ends where the log does.
 */
#include <linux/sched/signal.h>

#include "clfs_dev.h"
#include "clfs_meta.h"
#include "clfs_cont_table.h"
#include "clfs_trim.h"
#include "clfs_scan.h"
#include "clfs_ring.h"
#include "clfs_stream.h"
#include "clfs_recover.h"
#include "clfs_trace.h"

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

/* Set the end of the log: the last block @last_block, its last record. */
static void clfs_recover_end(struct clfs_log *log, u64 last_block, u64 last,
			     u64 next_pos)
{
	lockdep_assert_held(&log->io_mutex);
	log->prev_lsn = last_block;
	log->prev_last = last;
	log->last_lsn = last;
	log->next_pos = next_pos;
	log->stream0.first_lsn = log->first_lsn;
	log->stream0.last_lsn = log->last_lsn;
	log->completed_lsn = last == CLFS_LSN_INVALID ? 0 : last;
	log->durable_lsn = log->completed_lsn;
}

/*
 * After a crash: scan the chain from the log's start to its end, at open
 * (scan.mutex held), noting streams' records on the way.
 */
static int clfs_recover_scan(struct clfs_log *log, u64 *last_seq)
{
	struct clfs_block_info bi, prev = { .lsn = CLFS_LSN_INVALID };
	u64 end = log->meta->end_lsn, last = CLFS_LSN_INVALID, next = 0;
	struct clfs_stream *hint = NULL;
	struct clfs_trim *t;
	const void *data;
	int ret;

	lockdep_assert_held(&log->scan.mutex);
	clfs_scan_init(log, CLFS_LSN_INVALID, CLFS_LSN_INVALID,
		       CLFS_LSN_INVALID);
	while (!(ret = clfs_scan_step(log, &data, &bi))) {
		if (log->multiplexed)
			clfs_recover_streams(log, data, &bi, &hint);
		if (prev.lsn == CLFS_LSN_INVALID)
			log->first_lsn = bi.lsn;
		prev = bi;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	/* No read-ahead of the scan stays in flight past the open. */
	clfs_scan_free(log);
	log->scan.w.ahead = false;
	if (ret < 0) {
		trace_clfs_recover(clfs_log_devt(log), log->scan.blocks,
				   CLFS_LSN_INVALID, ret);
		return ret;
	}
	if (prev.lsn == CLFS_LSN_INVALID && log->start_lsn != CLFS_LSN_NULL) {
		/* Named by a tail, so durable: never an empty log. */
		clfs_log_err(log, "no valid block at the log's start %llx",
			     log->start_lsn);
		return -EUCLEAN;
	}
	mutex_lock(&log->io_mutex);
	if (prev.lsn != CLFS_LSN_INVALID) {
		last = prev.lsn + prev.n_records - 1;
		next = log->scan.next;
		if (end != CLFS_LSN_INVALID && end >= prev.lsn && end < last) {
			t = clfs_trim_alloc();
			if (!t) {
				mutex_unlock(&log->io_mutex);
				return -ENOMEM;
			}
			clfs_trim_insert(log, t, prev.lsn, end);
			last = end;
		}
		*last_seq = prev.seq;
	}
	clfs_recover_end(log, prev.lsn, last, next);
	mutex_unlock(&log->io_mutex);
	clfs_log_info(log, "recovered %llu blocks in %llu reads, last record %llx",
		      log->scan.blocks, log->scan.w.reads, last);
	return 0;
}

/*
 * After a clean close: the metadata says where the log ends.  The scan
 * runs later, as far as reads need (clfs_scan.c).
 */
static void clfs_recover_clean(struct clfs_log *log)
{
	const struct clfs_meta_info *mi = log->meta;
	struct clfs_stream *st;
	const struct clfs_stream_info *si;

	clfs_scan_init(log, mi->clean_block, mi->clean_last,
		       mi->clean_block == CLFS_LSN_INVALID ? 0 :
		       mi->clean_next);
	mutex_lock(&log->io_mutex);
	log->first_lsn = mi->clean_first;
	list_for_each_entry(st, &log->streams, node) {
		si = clfs_meta_find_stream(mi, st->id);
		if (!si)
			continue;
		st->first_lsn = si->clean_first;
		st->last_lsn = si->clean_last;
	}
	clfs_recover_end(log, mi->clean_block, mi->clean_last, mi->clean_next);
	mutex_unlock(&log->io_mutex);
	clfs_log_info(log, "closed cleanly, last record %llx", mi->clean_last);
}

/**
 * clfs_recover() - find the end of the log and the write position
 * @log: the log being opened, containers attached, not shared yet
 * @last_seq: receives the newest block sequence number found (0: none,
 *	or the metadata's floor covers it)
 *
 * After a clean close the metadata says it; after a crash the scan reads
 * each block once from the log's start, in log order and large reads, so
 * it is linear in the log's size, and a fatal signal stops it.
 *
 * Context: process context; sleeps.
 * After a scan that found blocks, every device's cache is flushed once
 * (it writes no data): tails may name what was found.
 *
 * Return: 0; -EIO (read error, or the flush failed); -EUCLEAN (no valid
 * block where a tail says the log starts); -ENOMEM; -EINTR (fatal signal).
 */
int clfs_recover(struct clfs_log *log, u64 *last_seq)
{
	int ret = 0;

	*last_seq = 0;
	log->first_lsn = CLFS_LSN_INVALID;
	mutex_lock(&log->scan.mutex);
	if (log->meta->flags & CLFS_META_CLEAN)
		clfs_recover_clean(log);
	else
		ret = clfs_recover_scan(log, last_seq);
	mutex_unlock(&log->scan.mutex);
	/*
	 * What the scan found may still sit in a device's volatile cache
	 * (a reboot without power loss), and a tail may name it before any
	 * write of this open flushes that device: flush them all once.
	 */
	if (!ret && !(log->meta->flags & CLFS_META_CLEAN) &&
	    log->last_lsn != CLFS_LSN_INVALID && clfs_dev_flush_all(log)) {
		clfs_log_err(log, "cache flush after recovery failed");
		ret = -EIO;
	}
	if (!ret)
		trace_clfs_recover(clfs_log_devt(log), log->scan.blocks,
				   log->last_lsn, 0);
	return ret;
}

/**
 * clfs_recover_close() - note at the last close where the log ends
 * @log: the log, closing: no area, no I/O left
 *
 * A log written by this open gets the clean-close marker (format.rst,
 * "Clean close"), so that the next open reads nothing but the metadata.
 * The floor it writes covers every block written, as an open's jump
 * needs.  Nothing is written for a log only read (its marker, if any, is
 * still true), nor after an error: the next open scans.
 *
 * Context: process context; sleeps.
 * Return: 0, or -EIO (the metadata write failed; the log is intact and
 * the next open scans it).
 */
int clfs_recover_close(struct clfs_log *log)
{
	struct clfs_meta_info *mi = log->scratch;
	struct clfs_stream_info *si;
	struct clfs_stream *st;
	int ret = 0;

	mutex_lock(&log->lock);
	if (!log->armed || READ_ONCE(log->error))
		goto out_unlock;
	clfs_meta_prepare(log);
	mutex_lock(&log->io_mutex);
	if (log->cur || clfs_ring_busy(log) ||
	    log->last_lsn != log->prev_last ||
	    (log->last_lsn != CLFS_LSN_INVALID &&
	     READ_ONCE(log->durable_lsn) != log->last_lsn)) {
		/* Not all of it is on disk: leave it to the scan. */
		mutex_unlock(&log->io_mutex);
		goto out_unlock;
	}
	mi->flags |= CLFS_META_CLEAN;
	mi->clean_block = log->prev_lsn;
	mi->clean_last = log->last_lsn;
	mi->clean_next = log->prev_lsn == CLFS_LSN_INVALID ? 0 : log->next_pos;
	mi->clean_first = log->first_lsn;
	mi->seq_floor = max(mi->seq_floor, log->next_seq - 1);
	list_for_each_entry(st, &log->streams, node) {
		si = (struct clfs_stream_info *)clfs_meta_find_stream(mi,
								      st->id);
		if (!si)
			continue;
		si->clean_first = st->first_lsn;
		si->clean_last = st->last_lsn;
	}
	mutex_unlock(&log->io_mutex);
	ret = clfs_meta_commit(log);
out_unlock:
	mutex_unlock(&log->lock);
	return ret;
}
