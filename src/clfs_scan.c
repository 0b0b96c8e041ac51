// SPDX-License-Identifier: GPL-2.0
/*
 * clfs block scan: walk the log's chain of blocks and index it.
 *
 * A read looks a block up only where its container's block-start bitmap
 * says a block of this log begins, and reads a block a truncation cut
 * short with its kept records only (the truncation notes, clfs_trim.c).
 * Both are built by walking the chain of blocks from the log's start,
 * min(base, archive tail), or the lowest container when no base is set
 * (format.rst, "Recovery"): block after block, then the first block of
 * the next container, each accepted only if it validates at its position
 * and continues the chain after the one before (clfs_log_follows_end(),
 * with the truncation the log was opened with).  Each accepted block is
 * marked, and the one before it gets a note when the new one's prev_last
 * says it keeps fewer records.  The walk reads the log in windows of
 * CLFS_WINDOW_SIZE bytes (struct clfs_window, clfs_io.c).
 *
 * Two ways to run it:
 *  - after a crash, recovery (clfs_recover.c) runs it at open to the end
 *    of the chain, which is the end of the log;
 *  - after a clean close the metadata names the last block (format.rst,
 *    "Clean close"), so the open reads nothing; the scan runs only when
 *    a read looks up a block in the part of the log written before the
 *    open, and only as far as that block and the one after it (whose
 *    prev_last says what the first keeps).  It ends at the named block,
 *    whose records up to the named last one are kept; a chain that does
 *    not reach it is corruption (-EUCLEAN for the reads past the break).
 *    Blocks this open writes are marked by the writer, never scanned.
 *
 * While the log is shared: a step holds scan.mutex, looks at its position
 * under io_mutex, reads and validates outside it (cont_rwsem held shared
 * keeps the container), and accepts under io_mutex again only if nothing
 * moved meanwhile: the container was not recycled (its logical id) and
 * no truncation came (log->cuts).  A step behind the active start skips
 * to the start's block: nothing below it is read any more, and recycled
 * containers are all below it.  A truncation into the scanned part takes
 * scan.mutex and ends the scan at the truncated block
 * (clfs_scan_cut()).  Every walk is bounded: each step moves forward by a
 * block or ends.
 */
#include <linux/sched/signal.h>

#include "clfs_io.h"
#include "clfs_cont_table.h"
#include "clfs_trim.h"
#include "clfs_scan.h"

/* The block LSN of the position where the log starts (io_mutex). */
static u64 clfs_scan_start(struct clfs_log *log)
{
	u64 start = READ_ONCE(log->start_lsn);
	struct clfs_cont *c;

	if (start != CLFS_LSN_NULL)
		return start - clfs_lsn_record(start);
	c = clfs_cont_first(log);
	return c ? clfs_lsn_make(c->logical_id, CLFS_BLOCKS_START, 0) :
		   CLFS_LSN_INVALID;
}

/**
 * clfs_scan_init() - set the scan up at open, before the log is shared
 * @log: the log, its containers attached
 * @target: the last block (a clean close's), or CLFS_LSN_INVALID: scan to
 *	the end of the chain
 * @target_last: the last record @target keeps
 * @limit: the position from which blocks are this open's (a clean
 *	close's next position), or CLFS_LSN_INVALID
 *
 * An empty cleanly closed log (no @target, a @limit) has nothing to scan.
 */
void clfs_scan_init(struct clfs_log *log, u64 target, u64 target_last,
		    u64 limit)
{
	struct clfs_scan *s = &log->scan;

	s->target = target;
	s->target_last = target_last;
	s->limit = limit;
	s->end_lsn = log->meta->end_lsn;
	s->end_floor = log->meta->end_floor;
	s->have_prev = false;
	s->blocks = 0;
	s->err = 0;
	s->next = clfs_scan_start(log);
	s->done = s->next == CLFS_LSN_INVALID ||
		  (target == CLFS_LSN_INVALID && limit != CLFS_LSN_INVALID);
	/*
	 * The scan after a crash runs to the end before the log is shared:
	 * its reads may be queued ahead (clfs_recover_scan() waits for the
	 * last), nothing removes a container meanwhile.
	 */
	s->w.ahead = target == CLFS_LSN_INVALID && limit == CLFS_LSN_INVALID;
}

/**
 * clfs_scan_free() - free what the scan holds
 * @log: the log, no longer shared
 */
void clfs_scan_free(struct clfs_log *log)
{
	clfs_window_free(&log->scan.w);
}

/* End the scan (both locks held); a window is no longer needed. */
static void clfs_scan_end(struct clfs_log *log, int err)
{
	struct clfs_scan *s = &log->scan;

	lockdep_assert_held(&s->mutex);
	lockdep_assert_held(&log->io_mutex);
	s->err = err;
	/* What clfs_scan_to() reads without the locks is final from here. */
	smp_store_release(&s->done, true);
	if (err)
		clfs_log_err(log, "the chain of blocks ends at %llx, short of the last block %llx the clean close named",
			     s->have_prev ? s->prev.lsn : CLFS_LSN_INVALID,
			     s->target);
}

/*
 * Look for the block after the scan's last one: at @pos in @c (NULL:
 * none), else at the start of @alt, the container after it.  On success
 * *@cp and *@offp say where it was found.
 */
static int clfs_scan_find(struct clfs_log *log, struct clfs_cont **cp,
			  struct clfs_cont *alt, u64 pos,
			  const struct clfs_block_info *prev, const void **data,
			  struct clfs_block_info *bi, u32 *offp)
{
	struct clfs_scan *s = &log->scan;
	u32 size = (u32)log->meta->container_size;
	u32 off = clfs_lsn_block_offset(pos);
	struct clfs_cont *c = *cp;
	int ret;

	if (c && off < size && pos < s->limit) {
		ret = clfs_window_block(log, &s->w, c, off, size, data, bi);
		if (ret == -EIO)
			return ret;
		if (!ret && (!prev || clfs_log_follows_end(s->end_lsn,
							   s->end_floor, prev,
							   bi) ==
				      CLFS_FOLLOWS)) {
			*offp = off;
			return 0;
		}
	}
	if (!prev || !alt ||
	    clfs_lsn_make(alt->logical_id, CLFS_BLOCKS_START, 0) >= s->limit)
		return -ENOENT;
	ret = clfs_window_block(log, &s->w, alt, CLFS_BLOCKS_START, size, data,
				bi);
	if (ret == -EIO)
		return ret;
	if (ret || clfs_log_follows_end(s->end_lsn, s->end_floor, prev, bi) !=
		   CLFS_FOLLOWS)
		return -ENOENT;
	*cp = alt;
	*offp = CLFS_BLOCKS_START;
	return 0;
}

/* A note for what @prev keeps, if @next's prev_last cuts it short. */
static int clfs_scan_note(const struct clfs_block_info *prev,
			  const struct clfs_block_info *next,
			  struct clfs_trim **t)
{
	*t = NULL;
	if (next->prev_last >= prev->lsn + prev->n_records - 1)
		return 0;
	*t = clfs_trim_alloc();
	return *t ? 0 : -ENOMEM;
}

/* Take block @bi of @c at @off as the scan's next (both locks held). */
static void clfs_scan_accept(struct clfs_log *log, struct clfs_cont *c,
			     u32 off, const struct clfs_block_info *bi,
			     struct clfs_trim *t, struct clfs_trim *tt)
{
	struct clfs_scan *s = &log->scan;

	clfs_block_mark(log, c, off);
	if (t)
		clfs_trim_insert(log, t, s->prev.lsn, bi->prev_last);
	s->prev = *bi;
	s->have_prev = true;
	s->next = clfs_lsn_make(c->logical_id, off + bi->size, 0);
	s->blocks++;
	if (bi->lsn != s->target)
		return;
	if (tt)
		clfs_trim_insert(log, tt, bi->lsn, s->target_last);
	clfs_scan_end(log, 0);
}

/**
 * clfs_scan_step() - accept the next block of the chain
 * @log: the log, scan.mutex held
 * @data: receives the block's bytes (valid until the next step)
 * @bi: receives the block
 *
 * Context: process context; sleeps.
 * Return: 0 (a block accepted); 1 (the scan has ended); -EIO; -ENOMEM.
 */
int clfs_scan_step(struct clfs_log *log, const void **data,
		   struct clfs_block_info *bi)
{
	struct clfs_scan *s = &log->scan;
	struct clfs_trim *t = NULL, *tt = NULL;
	struct clfs_cont *c, *alt;
	struct clfs_block_info prev;
	bool have_prev;
	u32 cuts, id, alt_id, off;
	u64 pos, start;
	int ret;

	lockdep_assert_held(&s->mutex);
	if (!s->w.buf && clfs_window_alloc(log, &s->w, CLFS_GFP))
		return -ENOMEM;
again:
	down_read(&log->cont_rwsem);
	mutex_lock(&log->io_mutex);
	if (s->done) {
		ret = 1;
		goto out_unlock;
	}
	start = clfs_scan_start(log);
	if (start != CLFS_LSN_INVALID && start >= s->limit) {
		/* The start moved into this open's blocks: none to index. */
		clfs_scan_end(log, 0);
		ret = 1;
		goto out_unlock;
	}
	if (s->next < start && start != CLFS_LSN_INVALID) {
		/* Behind the active start: nothing there is read any more. */
		s->next = start;
		s->have_prev = false;
	}
	pos = s->next;
	have_prev = s->have_prev;
	prev = s->prev;
	cuts = log->cuts;
	c = clfs_cont_by_logical(log, clfs_lsn_container(pos));
	alt = clfs_cont_next(log, clfs_lsn_container(pos));
	id = c ? c->logical_id : 0;
	alt_id = alt ? alt->logical_id : 0;
	mutex_unlock(&log->io_mutex);

	ret = clfs_scan_find(log, &c, alt, pos, have_prev ? &prev : NULL, data,
			     bi, &off);
	if (!ret && have_prev)
		ret = clfs_scan_note(&prev, bi, &t);
	if (!ret && bi->lsn == s->target &&
	    s->target_last < bi->lsn + bi->n_records - 1) {
		tt = clfs_trim_alloc();
		if (!tt)
			ret = -ENOMEM;
	}
	if (ret == -EIO || ret == -ENOMEM)
		goto out_free;

	mutex_lock(&log->io_mutex);
	if (s->done || log->cuts != cuts || s->next != pos ||
	    (c && c->logical_id != (c == alt ? alt_id : id)) ||
	    (alt && alt->logical_id != alt_id)) {
		/* Recycled or truncated meanwhile: look again. */
		mutex_unlock(&log->io_mutex);
		up_read(&log->cont_rwsem);
		kfree(t);
		kfree(tt);
		t = NULL;
		tt = NULL;
		cond_resched();
		goto again;
	}
	if (ret || (s->target != CLFS_LSN_INVALID && bi->lsn > s->target)) {
		clfs_scan_end(log, s->target == CLFS_LSN_INVALID ? 0 :
				   -EUCLEAN);
		ret = 1;
		goto out_unlock;
	}
	clfs_scan_accept(log, c, off, bi, t, tt);
	mutex_unlock(&log->io_mutex);
	up_read(&log->cont_rwsem);
	return 0;

out_unlock:
	mutex_unlock(&log->io_mutex);
out_free:
	up_read(&log->cont_rwsem);
	kfree(t);
	kfree(tt);
	if (ret == 1)
		clfs_window_free(&s->w);
	if (ret == -EIO)
		clfs_log_err(log, "read error while scanning the log");
	return ret;
}

/* A lookup of @block once the scan has ended. */
static int clfs_scan_ended(const struct clfs_scan *s, u64 block)
{
	int err = READ_ONCE(s->err);

	return err && (!s->have_prev || block >= s->prev.lsn) ? err : 0;
}

/**
 * clfs_scan_to() - index the log as far as a lookup needs
 * @log: the log
 * @lsn: an LSN about to be looked up
 *
 * Makes the block-start bitmap and the truncation notes final for @lsn's
 * block: the scan has accepted the block after it, or has ended.  Blocks
 * this open wrote need nothing.
 *
 * Context: process context; sleeps.  Takes scan.mutex, cont_rwsem and
 * io_mutex: call it holding none of them.
 * Return: 0; -EUCLEAN (the chain breaks before @lsn's block: it cannot be
 * read); -EIO; -ENOMEM; -EINTR (a fatal signal).
 */
int clfs_scan_to(struct clfs_log *log, u64 lsn)
{
	struct clfs_scan *s = &log->scan;
	u64 block = lsn - clfs_lsn_record(lsn);
	struct clfs_block_info bi;
	const void *data;
	int ret = 0;

	if (block >= s->limit)
		return 0;
	/* Pairs with the release in clfs_scan_end(): @prev is final. */
	if (smp_load_acquire(&s->done))
		return clfs_scan_ended(s, block);
	if (mutex_lock_killable(&s->mutex))
		return -EINTR;
	while (!s->done && !(s->have_prev && s->prev.lsn > block)) {
		ret = clfs_scan_step(log, &data, &bi);
		if (ret < 0)
			break;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	if (ret >= 0)
		ret = s->done ? clfs_scan_ended(s, block) : 0;
	mutex_unlock(&s->mutex);
	return ret;
}

/**
 * clfs_scan_wants() - is a lookup of @lsn still for the scan to index?
 * @log: the log
 * @lsn: the LSN
 *
 * Return: the answer at the time of the call.
 */
bool clfs_scan_wants(struct clfs_log *log, u64 lsn)
{
	if (lsn - clfs_lsn_record(lsn) >= log->scan.limit)
		return false;
	/* Pairs with the release in clfs_scan_end(), as clfs_scan_to(). */
	return !smp_load_acquire(&log->scan.done);
}

/**
 * clfs_scan_lend() - copy the scan's window to a forward reader
 * @log: the log
 * @lsn: the block LSN the reader is about to load, clfs_scan_to() done
 *	for it
 * @w: the reader's window, allocated (clfs_window_alloc())
 * @cuts: receives log->cuts as of the copy
 * @below: receives the LSN below which @w's blocks hold: those of the
 *	blocks written before this open
 *
 * After a clean close the scan reads and checks the blocks a forward
 * reader then loads, one step ahead of it.  Rather than read them again,
 * the reader takes a copy of the scan's window when that holds @lsn's
 * block and reaches further than the reader's, up to the first block
 * this open wrote (@s->limit): the bytes before it do not change while
 * the container keeps its logical id and no truncation comes (@cuts), as
 * for any window the reader reads itself.  The reader still loads each
 * block only where the bitmap marks one, and checks it in full, with the
 * checksum the scan computed.
 *
 * Context: process context; sleeps.  Takes scan.mutex: call it holding
 * none of the log's locks, once clfs_scan_wants() said yes for @lsn.
 * Return: whether @w now holds the block at @lsn (from the scan's).
 */
bool clfs_scan_lend(struct clfs_log *log, u64 lsn, struct clfs_window *w,
		    u32 *cuts, u64 *below)
{
	struct clfs_scan *s = &log->scan;
	u32 id = clfs_lsn_container(lsn), off = clfs_lsn_block_offset(lsn);
	u32 len, lim = clfs_lsn_block_offset(s->limit);
	bool lent = false;

	if (mutex_lock_killable(&s->mutex))
		return false;
	len = s->w.len;
	/* Up to this open's first block, if it is in this container. */
	if (clfs_lsn_container(s->limit) == s->w.id)
		len = min(len, lim - min(s->w.off, lim));
	if (!s->done && s->w.buf && s->w.id == id && off >= s->w.off &&
	    off - s->w.off < len &&
	    !(w->len && w->id == id && off >= w->off &&
	      (u64)w->off + w->len >= (u64)s->w.off + len)) {
		clfs_window_copy(w, &s->w, len, log->io_unit);
		/* Stable: truncations take scan.mutex. */
		*cuts = READ_ONCE(log->cuts);
		*below = s->limit;
		lent = true;
	}
	mutex_unlock(&s->mutex);
	return lent;
}

/**
 * clfs_scan_cut() - a truncation ends the log at @block
 * @log: the log, scan.mutex and io_mutex held
 * @block: the block that holds the new last record
 * @last: that record
 *
 * A truncation into the part written before the open ends the scan at
 * @block: the truncation drops the marks and notes after it, and the
 * blocks there are gone.  (The lookup of @last has scanned past @block
 * already; this only makes sure.)  So does a break in the chain found
 * after @block: the blocks the writer puts after @block, this open's,
 * read as they should.  A truncation into this open's blocks changes
 * nothing before them.
 */
void clfs_scan_cut(struct clfs_log *log, u64 block, u64 last)
{
	struct clfs_scan *s = &log->scan;

	lockdep_assert_held(&s->mutex);
	lockdep_assert_held(&log->io_mutex);
	if (block >= s->limit)
		return;
	if (s->done) {
		if (s->err && s->have_prev && block < s->prev.lsn)
			WRITE_ONCE(s->err, 0);
		return;
	}
	if (s->have_prev && s->prev.lsn >= block) {
		/* Pairs with the acquire in clfs_scan_to(). */
		smp_store_release(&s->done, true);
		return;
	}
	s->target = block;
	s->target_last = last;
}
