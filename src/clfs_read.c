// SPDX-License-Identifier: GPL-2.0
/*
 * clfs reads: read contexts and the three CLFS read modes.
 *
 * A read context holds one block image.  A block is taken from the
 * marshalling area's buffers while it is still there (open, or written but
 * not retired), copied under log->io_mutex so that no append is half-seen;
 * otherwise it is read from its container and validated in full
 * (clfs_block_decode(): magic, position, size, crc, every record header)
 * before any byte of it is used.  An LSN is looked up only where the
 * container's block-start bitmap (or the open buffer) says a block of this
 * log begins, so a client cannot make the reader parse bytes inside a
 * record as if they were a block.
 *
 * Records below the active start (min(base, archive tail)) and records a
 * truncation removed are gone: -ENOENT, like an LSN that never existed.
 * A context reads one stream (format.rst, "Streams"): in a multiplexed
 * log, a forward read skips the records of other streams, and a read by
 * LSN or along a chain that lands on one is -ENOENT, as is a record below
 * the stream's own start.
 * A block that a truncation cut short is read with its kept records only
 * (the truncation list, clfs_trim_apply()).
 *
 * Read-ahead: a context that loads from disk the block right after the
 * one it loaded before reads on in a window (struct clfs_window): one
 * large read for the blocks that follow, each validated in place when the
 * reader gets to it.  The window stops before the newest retired block,
 * so it reads retired blocks only; its bytes hold for a block only if it
 * had been retired when the window was read (its LSN at most
 * log->completed_lsn then) and no truncation came since (log->cuts).  The
 * block-start and recycling checks of every load apply as before.  A
 * reader at the log's end reads each new block on its own.  After a
 * clean close, the scan that indexes the old blocks as reads need them
 * has just read the block a forward reader loads: the reader takes a copy
 * of the scan's window instead (clfs_scan_lend()), which holds for the
 * blocks written before the open.
 *
 * Modes: CLFS_READ_FORWARD returns the records after the first in log
 * order; CLFS_READ_PREVIOUS and CLFS_READ_UNDO_NEXT follow the records'
 * previous and undo-next LSNs, which must point strictly backwards.  The
 * type mask filters records in every mode.  The end of a chain, and an
 * LSN that names no record, give -ENOENT.
 */
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "clfs_io.h"
#include "clfs_cont_table.h"
#include "clfs_trim.h"
#include "clfs_scan.h"
#include "clfs_pause.h"
#include "clfs_ring.h"
#include "clfs_read.h"

struct clfs_read_ctx {
	struct clfs_log *log;
	struct clfs_stream *st;		/* its stream; NULL: the engine's */
	u32 mode;
	u32 mask;
	void *buf;			/* log->meta->block_size bytes */
	const void *data;		/* the block: @buf, or in @win */
	bool loaded;
	bool open_block;		/* copied from the open buffer */
	bool restart;			/* opened by clfs_read_restart() */
	bool counted;			/* in log->readers: a client's context */
	struct clfs_block_info bi;	/* of the block in @buf */
	u32 load_cuts;			/* log->cuts when @buf was loaded */
	struct clfs_record_view rv;	/* the record last returned */
	/* @rv was decoded from @buf as loaded at @rv_cuts (clfs_ctx_seek()) */
	bool rv_ok;
	u32 rv_cuts;
	/*
	 * Read-ahead: @win holds blocks up to @win_completed (the completed
	 * LSN when it was read) as of @win_cuts; @disk_next is the block
	 * after the last one loaded from disk.
	 */
	struct clfs_window win;
	bool win_failed;		/* no memory for @win: read on without */
	u64 win_completed;
	u32 win_cuts;
	u64 disk_next;
};

/* Copy the block at @lsn from buffer @b if it holds it (io_mutex). */
static bool clfs_ctx_copy_buf(struct clfs_read_ctx *ctx, struct clfs_buf *b,
			      u64 lsn)
{
	enum clfs_buf_state st;

	spin_lock_irq(&ctx->log->io_lock);
	st = b->state;
	spin_unlock_irq(&ctx->log->io_lock);
	/*
	 * Only clfs_buf_open(), under io_mutex, changes a buffer's headers;
	 * the copies of record bytes still running are waited for.
	 */
	if (st == CLFS_BUF_FREE || b->lsn != lsn)
		return false;
	clfs_buf_wait_fill(ctx->log, b);
	clfs_block_state(b->data, lsn, &ctx->bi);
	ctx->bi.size = st == CLFS_BUF_OPEN ? 0 : b->size;
	ctx->open_block = st == CLFS_BUF_OPEN;
	memcpy(ctx->buf, b->data, ctx->bi.used);
	ctx->data = ctx->buf;
	return true;
}

/*
 * Copy the block at @lsn from a write buffer, if one holds it: any area's
 * (io_mutex, under which the list of areas is stable).
 */
static bool clfs_ctx_from_buffer(struct clfs_read_ctx *ctx, u64 lsn)
{
	struct clfs_marshal *ma;
	u32 i;

	lockdep_assert_held(&ctx->log->io_mutex);
	list_for_each_entry(ma, &ctx->log->areas, node)
		for (i = 0; i < ma->n_bufs; i++)
			if (clfs_ctx_copy_buf(ctx, &ma->bufs[i], lsn))
				return true;
	return false;
}

/* Is there a block of this log at @lsn (a block LSN)?  (io_mutex) */
static struct clfs_cont *clfs_ctx_block_at(struct clfs_read_ctx *ctx, u64 lsn)
{
	struct clfs_log *log = ctx->log;
	struct clfs_cont *c;

	lockdep_assert_held(&log->io_mutex);
	if (log->cur && log->cur->lsn == lsn)
		return log->cur->cont;
	c = clfs_cont_by_logical(log, clfs_lsn_container(lsn));
	if (!c || !clfs_block_start(log, c, clfs_lsn_block_offset(lsn)))
		return NULL;
	return c;
}

/*
 * Where a read-ahead in @c stops: before the newest retired block
 * (@completed's), whose end is not known here, or at the container's end
 * when that block is in a later container.
 */
static u32 clfs_ctx_window_end(struct clfs_read_ctx *ctx, struct clfs_cont *c,
			       u64 completed)
{
	if (clfs_lsn_container(completed) == c->logical_id)
		return clfs_lsn_block_offset(completed);
	return (u32)ctx->log->meta->container_size;
}

/*
 * The read-ahead window of a forward reader, allocated on first use.
 * Return: 0, or -ENOMEM (the reader reads on without one).
 */
static int clfs_ctx_window(struct clfs_read_ctx *ctx)
{
	if (ctx->win.buf)
		return 0;
	if (ctx->win_failed || ctx->mode != CLFS_READ_FORWARD ||
	    clfs_window_alloc(ctx->log, &ctx->win, CLFS_GFP | __GFP_NORETRY)) {
		ctx->win_failed = true;
		return -ENOMEM;
	}
	return 0;
}

/*
 * Read the retired block at @lsn of @c from disk: from the read-ahead
 * window when the reader goes on from the block it loaded before, else
 * on its own.  @cuts and @completed are log->cuts and the completed LSN
 * taken before (under io_mutex): a window read now holds retired blocks
 * only, up to @completed's, as of @cuts.  A window that cannot be had
 * (memory, a read error in it) costs only the read-ahead.  cont_rwsem
 * held shared.
 */
static int clfs_ctx_read(struct clfs_read_ctx *ctx, struct clfs_cont *c,
			 u64 lsn, u32 cuts, u64 completed)
{
	struct clfs_log *log = ctx->log;
	u32 off = clfs_lsn_block_offset(lsn);
	u32 end = clfs_ctx_window_end(ctx, c, completed);
	/* A window that holds the block holds all of it, or reads again. */
	bool held = ctx->win_cuts == cuts && lsn <= ctx->win_completed &&
		    clfs_window_holds(&ctx->win, c, off, 1);
	bool ahead = lsn == ctx->disk_next && (off < end || held);
	int ret = -ENOENT;

	if (ahead && !clfs_ctx_window(ctx)) {
		/* What an older window holds may not hold any more. */
		if (!held) {
			ctx->win.len = 0;
			ctx->win_cuts = cuts;
			ctx->win_completed = completed;
		}
		ret = clfs_window_block(log, &ctx->win, c, off, end,
					&ctx->data, &ctx->bi);
		if (ret)
			ctx->win.len = 0;
	}
	if (ret) {
		ret = clfs_block_read(log, c, off, ctx->buf,
				      log->meta->block_size, &ctx->bi);
		ctx->data = ctx->buf;
	}
	ctx->disk_next = ret ? 0 : clfs_lsn_make(c->logical_id,
						 off + ctx->bi.size, 0);
	return ret;
}

/* Load the block at @lsn (a block LSN) into the context. */
static int clfs_ctx_load(struct clfs_read_ctx *ctx, u64 lsn)
{
	struct clfs_log *log = ctx->log;
	struct clfs_cont *c;
	u64 completed;
	bool cut;
	u32 cuts;
	int ret;

	/*
	 * A copy of the open buffer is reused too: records before the last
	 * one returned are all in it, and the forward mode drops the copy
	 * before it looks for records appended since.
	 */
	if (ctx->loaded && ctx->bi.lsn == lsn)
		return 0;
	ctx->loaded = false;
	/* A log closed cleanly is indexed as far as reads need. */
	ret = clfs_scan_to(log, lsn);
	if (ret)
		return ret;
	/*
	 * After a clean close the scan has just read the next block of a
	 * forward read: a copy of its window, not another read.
	 */
	if (lsn == ctx->disk_next && clfs_scan_wants(log, lsn) &&
	    !clfs_ctx_window(ctx) &&
	    clfs_scan_lend(log, lsn, &ctx->win, &cuts, &completed)) {
		ctx->win_cuts = cuts;
		ctx->win_completed = completed - 1;
		clfs_pause(log, CLFS_PAUSE_LEND);
	}
again:
	/*
	 * The container (and its device) stays until the read is over:
	 * removal takes cont_rwsem exclusively.  Recycling may rename it
	 * meanwhile; the check after the read sees that.  A truncation may
	 * remove the block and a new one take its place and LSN while it is
	 * being read (its two device reads then disagree): a changed
	 * log->cuts (stable under io_mutex) sends the read round again.
	 */
	down_read(&log->cont_rwsem);
	mutex_lock(&log->io_mutex);
	cuts = log->cuts;
	c = clfs_ctx_block_at(ctx, lsn);
	if (c && clfs_ctx_from_buffer(ctx, lsn)) {
		mutex_unlock(&log->io_mutex);
		up_read(&log->cont_rwsem);
		ctx->load_cuts = cuts;
		ctx->loaded = true;
		return 0;
	}
	spin_lock_irq(&log->io_lock);
	completed = log->completed_lsn;
	spin_unlock_irq(&log->io_lock);
	mutex_unlock(&log->io_mutex);
	if (!c) {
		up_read(&log->cont_rwsem);
		return -ENOENT;
	}
	/* Written and retired: on disk. */
	ctx->open_block = false;
	ret = clfs_ctx_read(ctx, c, lsn, cuts, completed);
	mutex_lock(&log->io_mutex);
	cut = log->cuts != cuts;
	if (!clfs_ctx_block_at(ctx, lsn)) {
		/* Recycled or truncated away while it was being read. */
		ret = -ENOENT;
	} else if (!ret && !cut) {
		clfs_trim_apply(log, &ctx->bi);
	}
	mutex_unlock(&log->io_mutex);
	up_read(&log->cont_rwsem);
	if (cut && ret != -ENOENT) {
		/* Each round trip follows a truncation: they are few. */
		cond_resched();
		goto again;
	}
	if (ret == -EUCLEAN)
		clfs_log_err(log, "block %llx fails validation", lsn);
	if (ret)
		return ret;
	ctx->load_cuts = cuts;
	ctx->loaded = true;
	return 0;
}

/*
 * Position the context on the record at @lsn.  The record right after
 * the one the context stands on, in the same copy of the block (or a
 * longer copy of the open buffer, whose records never move, with no
 * truncation between the two loads), is one step from there: a forward
 * read decodes each record once, not the block from its first record
 * again for every one.
 */
static int clfs_ctx_seek(struct clfs_read_ctx *ctx, u64 lsn)
{
	u32 index = clfs_lsn_record(lsn);
	u32 off = CLFS_FIRST_RECORD;
	bool next;
	u32 i = 0;
	int ret;

	next = ctx->rv_ok && index && ctx->rv.lsn == lsn - 1;
	ctx->rv_ok = false;
	if (!clfs_lsn_is_valid(lsn) || clfs_lsn_is_null(lsn) ||
	    lsn < READ_ONCE(ctx->log->start_lsn) ||
	    (ctx->st && lsn < READ_ONCE(ctx->st->start)))
		return -ENOENT;
	ret = clfs_ctx_load(ctx, lsn - index);
	if (ret)
		return ret;
	if (index >= ctx->bi.n_records)
		return -ENOENT;
	if (next && ctx->load_cuts == ctx->rv_cuts) {
		off = ctx->rv.next_offset;
		i = index;
	}
	for (; i <= index; i++) {
		ret = clfs_record_at(ctx->data, ctx->bi.used, off, &ctx->rv);
		if (ret || ctx->rv.lsn != lsn - index + i) {
			clfs_log_err(ctx->log, "block %llx: bad record %u",
				     lsn - index, i);
			return -EUCLEAN;
		}
		off = ctx->rv.next_offset;
	}
	ctx->rv_ok = true;
	ctx->rv_cuts = ctx->load_cuts;
	return 0;
}

/* The LSN of the block after the context's block, or 0 at the end. */
static u64 clfs_ctx_next_block(struct clfs_read_ctx *ctx)
{
	struct clfs_log *log = ctx->log;
	u64 lsn = ctx->bi.lsn, next = 0;
	struct clfs_cont *c;
	u32 off;

	if (ctx->open_block)
		return 0;
	off = clfs_lsn_block_offset(lsn) + ctx->bi.size;
	mutex_lock(&log->io_mutex);
	if (off < log->meta->container_size) {
		next = clfs_lsn_make(clfs_lsn_container(lsn), off, 0);
		if (!clfs_ctx_block_at(ctx, next))
			next = 0;
	}
	if (!next) {
		c = clfs_cont_next(log, clfs_lsn_container(lsn));
		if (c) {
			next = clfs_lsn_make(c->logical_id, CLFS_BLOCKS_START, 0);
			if (!clfs_ctx_block_at(ctx, next))
				next = 0;
			/* A read on from disk goes on into that container. */
			else if (ctx->disk_next ==
				 clfs_lsn_make(clfs_lsn_container(lsn), off, 0))
				ctx->disk_next = next;
		}
	}
	mutex_unlock(&log->io_mutex);
	return next;
}

static void clfs_ctx_fill(struct clfs_read_ctx *ctx, struct clfs_record *rec)
{
	rec->lsn = ctx->rv.lsn;
	rec->undo_next = ctx->rv.undo_next;
	rec->previous = ctx->rv.previous;
	rec->type = ctx->rv.type;
	rec->length = ctx->rv.length;
	rec->data = (const u8 *)ctx->data + ctx->rv.data_offset;
	atomic64_inc(&ctx->log->stats.reads);
}

static bool clfs_ctx_wanted(struct clfs_read_ctx *ctx)
{
	/* Types are 1 (data) or 2 (restart), checked when decoded. */
	return ctx->mask & CLFS_TYPE_OF(ctx->rv.type);
}

/* Is the record the context stands on of its stream? */
static bool clfs_ctx_mine(struct clfs_read_ctx *ctx)
{
	return !ctx->st || ctx->rv.stream == ctx->st->id;
}

/* Count one more (@d 1) or one fewer (-1) user of a multiplexed stream. */
static void clfs_ctx_use(struct clfs_stream *st, int d)
{
	if (!st || !st->id)
		return;
	mutex_lock(&st->log->lock);
	st->users += d;
	mutex_unlock(&st->log->lock);
}

/*
 * A context reading @log, and stream @st of it (NULL: every record).  A
 * client's context (@counted) counts in log->readers, which keeps the log
 * from being closed and truncated while it is open, and as a user of its
 * stream, which keeps the stream from being deleted; the engine's own
 * lookups (under log->tail_mutex) do not.  Blocks still in write buffers
 * are found through log->areas under log->io_mutex, whichever area is
 * there then.
 */
static struct clfs_read_ctx *clfs_ctx_alloc(struct clfs_log *log,
					    struct clfs_stream *st,
					    bool counted)
{
	struct clfs_read_ctx *ctx = kzalloc(sizeof(*ctx), CLFS_GFP);

	if (!ctx)
		return NULL;
	ctx->buf = __vmalloc(log->meta->block_size, CLFS_GFP);
	if (!ctx->buf) {
		kfree(ctx);
		return NULL;
	}
	ctx->log = log;
	ctx->st = st;
	ctx->counted = counted;
	if (counted) {
		atomic_inc(&log->readers);
		clfs_ctx_use(st, 1);
	}
	return ctx;
}

static void clfs_ctx_free(struct clfs_read_ctx *ctx)
{
	if (ctx->counted) {
		clfs_ctx_use(ctx->st, -1);
		atomic_dec(&ctx->log->readers);
	}
	clfs_window_free(&ctx->win);
	vfree(ctx->buf);
	kfree(ctx);
}

/**
 * clfs_record_lookup() - look up one record of the log
 * @log: the log; log->tail_mutex held
 * @lsn: the record
 * @bi: receives the header of the block holding it (size 0: the block is
 *	the open buffer)
 * @rv: receives the record's header
 *
 * Context: process context; sleeps.
 * Return: 0; -ENOENT (no such record in the active log); -EUCLEAN; -EIO;
 * -ENOMEM.
 */
int clfs_record_lookup(struct clfs_log *log, u64 lsn,
		       struct clfs_block_info *bi, struct clfs_record_view *rv)
{
	struct clfs_read_ctx *ctx;
	int ret;

	lockdep_assert_held(&log->tail_mutex);
	ctx = clfs_ctx_alloc(log, NULL, false);
	if (!ctx)
		return -ENOMEM;
	ctx->mode = CLFS_READ_FORWARD;
	ctx->mask = CLFS_TYPE_ANY;
	ret = clfs_ctx_seek(ctx, lsn);
	if (!ret) {
		*bi = ctx->bi;
		*rv = ctx->rv;
	}
	clfs_ctx_free(ctx);
	return ret;
}

/**
 * clfs_read_open() - open a read context on a record of a stream
 * @st: the stream
 * @lsn: the record
 * @mode: CLFS_READ_*
 * @type_mask: CLFS_TYPE_* bits
 * @restart: a restart-area context (clfs_read_restart())
 * @ctxp: receives the context
 * @rec: receives the record
 *
 * Return: as clfs_read_record().
 */
int clfs_read_open(struct clfs_stream *st, u64 lsn, u32 mode, u32 type_mask,
		   bool restart, struct clfs_read_ctx **ctxp,
		   struct clfs_record *rec)
{
	struct clfs_read_ctx *ctx;
	int ret;

	ctx = clfs_ctx_alloc(st->log, st, true);
	if (!ctx)
		return -ENOMEM;
	ctx->mode = mode;
	ctx->mask = type_mask;
	ctx->restart = restart;
	ret = clfs_ctx_seek(ctx, lsn);
	if (!ret && (!clfs_ctx_mine(ctx) || !clfs_ctx_wanted(ctx)))
		ret = -ENOENT;
	if (ret) {
		clfs_ctx_free(ctx);
		return ret;
	}
	clfs_ctx_fill(ctx, rec);
	*ctxp = ctx;
	return 0;
}

/**
 * clfs_read_is_restart() - was a context opened on the restart chain?
 * @ctx: the context
 *
 * Return: true for a context from clfs_read_restart().
 */
bool clfs_read_is_restart(const struct clfs_read_ctx *ctx)
{
	return ctx->restart;
}

/**
 * clfs_stream_read_record() - read a record of a stream and open a read
 *	context on it (ClfsReadLogRecord)
 * @st: an open stream (no marshalling area is needed)
 * @lsn: the record
 * @mode: CLFS_READ_FORWARD, CLFS_READ_PREVIOUS or CLFS_READ_UNDO_NEXT:
 *	how clfs_read_next() continues from it
 * @type_mask: CLFS_TYPE_* bits: the record types to return
 * @ctxp: receives the read context; the caller ends it with
 *	clfs_read_terminate()
 * @rec: receives the record; its data stays valid until the next read
 *	on the context or its termination
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (bad mode, mask or pointer, or @lsn NULL or
 * INVALID); -ENOENT (no record at @lsn, or one of another stream, or not
 * of a requested type, or below the stream's active part, or truncated
 * away); -EUCLEAN (the block holding it fails validation); -EIO;
 * -ENOMEM.
 */
int clfs_stream_read_record(struct clfs_stream *st, u64 lsn, u32 mode,
			    u32 type_mask, struct clfs_read_ctx **ctxp,
			    struct clfs_record *rec)
{
	might_sleep();

	if (!st || !ctxp || !rec || !type_mask ||
	    (type_mask & ~CLFS_TYPE_ANY) ||
	    (mode != CLFS_READ_FORWARD && mode != CLFS_READ_PREVIOUS &&
	     mode != CLFS_READ_UNDO_NEXT) ||
	    !clfs_lsn_is_valid(lsn) || clfs_lsn_is_null(lsn))
		return -EINVAL;
	return clfs_read_open(st, lsn, mode, type_mask, false, ctxp, rec);
}
EXPORT_SYMBOL_GPL(clfs_stream_read_record);

/**
 * clfs_read_record() - read a record of a dedicated log and open a read
 *	context on it
 * @log: the log (no marshalling area is needed)
 * @lsn: as clfs_stream_read_record()
 * @mode: as clfs_stream_read_record()
 * @type_mask: as clfs_stream_read_record()
 * @ctxp: as clfs_stream_read_record()
 * @rec: as clfs_stream_read_record()
 *
 * Context: process context; sleeps.
 * Return: as clfs_stream_read_record(); -EINVAL for a multiplexed log
 * (read one of its streams).
 */
int clfs_read_record(struct clfs_log *log, u64 lsn, u32 mode,
		     u32 type_mask, struct clfs_read_ctx **ctxp,
		     struct clfs_record *rec)
{
	return clfs_stream_read_record(clfs_log_stream(log), lsn, mode,
				       type_mask, ctxp, rec);
}
EXPORT_SYMBOL_GPL(clfs_read_record);

/* Put the context back on record @was (gone: it ends the context). */
static void clfs_ctx_back(struct clfs_read_ctx *ctx, u64 was)
{
	ctx->loaded = false;
	if (clfs_ctx_seek(ctx, was))
		ctx->rv.lsn = was;
}

/*
 * The next record of @ctx, of LSN at most @limit: forward contexts stop
 * there with -EAGAIN (U64_MAX: no limit, and the end is -ENOENT).  A
 * forward read may skip many records of other streams or types: it stops
 * on a fatal signal (-EINTR) and yields the CPU between them.
 */
static int clfs_read_step(struct clfs_read_ctx *ctx, struct clfs_record *rec,
			  u64 limit)
{
	u64 lsn, next;
	int ret;

	for (;;) {
		lsn = ctx->rv.lsn;
		if (ctx->mode == CLFS_READ_FORWARD) {
			u32 index = clfs_lsn_record(lsn);

			if (ctx->open_block) {
				/* It may have grown or been sealed since. */
				ctx->loaded = false;
				ret = clfs_ctx_load(ctx, lsn - index);
				if (ret)
					return ret;
			}
			if (index + 1 < ctx->bi.n_records)
				next = lsn + 1;
			else if (ctx->open_block)
				next = 0;
			else
				next = clfs_ctx_next_block(ctx);
			if (!next)
				return limit == U64_MAX ? -ENOENT : -EAGAIN;
			if (next > limit)
				return -EAGAIN;
		} else {
			next = ctx->mode == CLFS_READ_PREVIOUS ?
			       ctx->rv.previous : ctx->rv.undo_next;
			if (!clfs_chain_back(lsn, next))
				return -ENOENT;
		}
		ret = clfs_ctx_seek(ctx, next);
		if (ret)
			return ret;
		/*
		 * A chain never leads into another stream: it ends, and the
		 * context stays on its last record of the stream, so the end
		 * is the end on every later call too.
		 */
		if (!clfs_ctx_mine(ctx) && ctx->mode != CLFS_READ_FORWARD) {
			clfs_ctx_back(ctx, lsn);
			return -ENOENT;
		}
		if (clfs_ctx_mine(ctx) && clfs_ctx_wanted(ctx))
			break;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	clfs_ctx_fill(ctx, rec);
	return 0;
}

/**
 * clfs_read_next() - the next record of a read context
 * @ctx: a context from clfs_read_record()
 * @rec: receives the record (see clfs_read_record())
 *
 * Forward mode returns the next record in LSN order, including records
 * still in write buffers; the previous and undo-next modes follow the
 * last record's chain.  Records of types outside the context's mask are
 * skipped.
 *
 * Context: process context; sleeps.
 * Return: 0; -ENOENT (end of the log or of the chain; also for a chain
 * LSN that does not point backwards to a record of the context's stream);
 * -EUCLEAN (a block fails validation); -EIO; -EINVAL; -EINTR (a fatal
 * signal while skipping records).
 */
int clfs_read_next(struct clfs_read_ctx *ctx, struct clfs_record *rec)
{
	might_sleep();
	if (!ctx || !rec)
		return -EINVAL;
	return clfs_read_step(ctx, rec, U64_MAX);
}
EXPORT_SYMBOL_GPL(clfs_read_next);

/**
 * clfs_read_next_at() - read a given earlier record through a read context
 *	(ClfsReadNextLogRecord with plsnUser)
 * @ctx: a context from clfs_read_record() or clfs_read_restart()
 * @lsn: the record to read: strictly below the last one the context
 *	returned
 * @rec: receives the record (see clfs_read_record())
 *
 * The record must be of a type in the context's mask.  The context goes
 * on from it in its mode.  On failure the context stays where it was.
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (@lsn not below the context's record, or a special
 * LSN); -ENOENT (no such record, outside the active log, or of a type the
 * context skips); -EUCLEAN; -EIO.
 */
int clfs_read_next_at(struct clfs_read_ctx *ctx, u64 lsn,
		      struct clfs_record *rec)
{
	u64 was;
	int ret;

	might_sleep();
	if (!ctx || !rec || !clfs_chain_back(ctx->rv.lsn, lsn))
		return -EINVAL;
	was = ctx->rv.lsn;
	ret = clfs_ctx_seek(ctx, lsn);
	if (!ret && (!clfs_ctx_mine(ctx) || !clfs_ctx_wanted(ctx)))
		ret = -ENOENT;
	if (ret) {
		clfs_ctx_back(ctx, was);
		return ret;
	}
	clfs_ctx_fill(ctx, rec);
	return 0;
}
EXPORT_SYMBOL_GPL(clfs_read_next_at);

/* The log's durable watermark and its sticky error. */
static u64 clfs_durable(struct clfs_log *log, int *err)
{
	unsigned long flags;
	u64 lsn;

	/* irqsave: clfs_read_ready() may be asked with interrupts off. */
	spin_lock_irqsave(&log->io_lock, flags);
	lsn = log->durable_lsn;
	*err = log->error;
	spin_unlock_irqrestore(&log->io_lock, flags);
	return lsn;
}

static bool clfs_durable_moved(struct clfs_log *log, u64 was)
{
	int err;

	return clfs_durable(log, &err) != was || err;
}

/**
 * clfs_read_follow() - the next durable record of a forward context,
 *	waiting for it (a follower's ClfsReadNextLogRecord)
 * @ctx: a forward context from clfs_read_record()
 * @rec: receives the record (see clfs_read_record())
 * @timeout: jiffies to wait for it: 0 does not wait, MAX_SCHEDULE_TIMEOUT
 *	waits until it comes or a signal
 *
 * As clfs_read_next(), but only records already durable are returned: a
 * follower never sees a record a crash could still take away.  When the
 * next record is not durable yet, waits (interruptibly) until a flush or
 * a completed write makes it so.
 *
 * Context: process context; sleeps.
 * Return: as clfs_read_next(), and -EAGAIN (@timeout 0 and no durable
 * record yet); -ETIMEDOUT; -ERESTARTSYS (a signal, or task work: the
 * ioctl restarts, or fails with EINTR for a signal with a handler); -EIO
 * (the log shut down and holds no further durable record); -EINVAL (not
 * a forward context).
 */
int clfs_read_follow(struct clfs_read_ctx *ctx, struct clfs_record *rec,
		     long timeout)
{
	struct clfs_log *log;
	u64 durable;
	long left;
	int err, ret;

	might_sleep();
	if (!ctx || !rec || timeout < 0 || ctx->mode != CLFS_READ_FORWARD)
		return -EINVAL;
	log = ctx->log;
	for (;;) {
		durable = clfs_durable(log, &err);
		ret = clfs_read_step(ctx, rec, durable);
		if (ret != -EAGAIN)
			return ret;
		if (err)
			return err;
		if (!timeout)
			return -EAGAIN;
		left = wait_event_interruptible_timeout(log->io_wait,
							clfs_durable_moved(log, durable),
							timeout);
		if (left < 0)
			return left;	/* -ERESTARTSYS */
		if (!left)
			return -ETIMEDOUT;
		if (timeout != MAX_SCHEDULE_TIMEOUT)
			timeout = left;
	}
}
EXPORT_SYMBOL_GPL(clfs_read_follow);

/**
 * clfs_read_position() - the record a read context stands on
 * @ctx: a read context, not in use by another call
 *
 * Return: the LSN of the last record it returned or skipped.
 */
u64 clfs_read_position(const struct clfs_read_ctx *ctx)
{
	return ctx->rv.lsn;
}
EXPORT_SYMBOL_GPL(clfs_read_position);

/**
 * clfs_read_ready() - would clfs_read_follow() find a record now?
 * @ctx: a read context; it may be in use by another call (only its fixed
 *	fields are read)
 * @pos: its position, from clfs_read_position()
 *
 * For poll(): a durable record lies past @pos (the context's type filter
 * or stream may still skip it).  Contexts of the other modes never wait, so they
 * are always ready.
 *
 * Context: any context that may take a spinlock.
 * Return: 1 (ready); 0; -EIO (the log shut down and nothing further is
 * durable).
 */
int clfs_read_ready(struct clfs_read_ctx *ctx, u64 pos)
{
	int err;

	if (ctx->mode != CLFS_READ_FORWARD ||
	    clfs_durable(ctx->log, &err) > pos)
		return 1;
	return err;
}
EXPORT_SYMBOL_GPL(clfs_read_ready);

/**
 * clfs_read_waitq() - where to wait for clfs_read_ready()
 * @ctx: a read context
 *
 * Return: the log's wait queue, woken whenever records complete or become
 * durable and when the log shuts down.
 */
wait_queue_head_t *clfs_read_waitq(struct clfs_read_ctx *ctx)
{
	return &ctx->log->io_wait;
}
EXPORT_SYMBOL_GPL(clfs_read_waitq);

/**
 * clfs_read_terminate() - end a read context
 * @ctx: the context (NULL is ignored)
 *
 * Context: process context.
 */
void clfs_read_terminate(struct clfs_read_ctx *ctx)
{
	might_sleep();

	if (ctx)
		clfs_ctx_free(ctx);
}
EXPORT_SYMBOL_GPL(clfs_read_terminate);
