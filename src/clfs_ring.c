// SPDX-License-Identifier: GPL-2.0
/*
 * clfs write-buffer ring: open, seal, submit, completion and group-commit
 * flush.  The one place where log blocks go to disk.
 *
 * Each marshalling area owns a ring of write buffers of one size; the log
 * has one open buffer at a time (log->cur), whichever area opened it, and
 * records of every area are placed in it by clfs_append.c under
 * log->io_mutex, their bytes copied after it by each appender, holding
 * the buffer (clfs_buf_hold(), "Decoupled fill" in design.rst).  A buffer
 * is sealed when the next record does not fit, or when a client forces it
 * out: it joins log->inflight, the log's blocks in flight in log order,
 * and is padded to the I/O unit, checksummed and submitted as one bio
 * once the last hold on it is gone (clfs_buf_put()); it is reused only
 * after its write has completed.  The bio's completion publishes its
 * status and retires blocks strictly in that order under log->io_lock
 * (clfs_retire(); it may run in hard interrupt context, so io_lock is
 * taken with interrupts off), so log->completed_lsn always ends a prefix
 * of completed blocks; a failed write makes the log refuse all further
 * writes (-EIO).
 * At most CLFS_MAX_IN_FLIGHT blocks are in flight at once in the whole
 * log, whatever its areas' rings hold: clfs_buf_open() waits for that
 * too.
 *
 * Group commit (clfs_flush_start(), clfs_flush_lsn()): a flusher whose
 * record is in the open buffer seals it as a FUA write when the device is
 * idle, or else leaves it to gather every record that arrives while the
 * write in flight lasts; the completion (clfs_retire()) wakes only the
 * flushers whose records it wrote and has that batch sent (seal_work).
 * The callers it released usually come back with their next records at
 * once, so the batch also waits for them (log->returning), for at most
 * about one write's time (log->hold_until): the last one to come back,
 * or the hold timer, sends it.
 *
 * The buffer states and who moves them, the LSN watermarks (completed,
 * durable) and what durability means, and the group commit are in
 * Documentation/clfs/design.rst, "Write buffers", "Decoupled fill", "LSN
 * watermarks" and "Group commit".
 */
#include <linux/bio.h>
#include <linux/ktime.h>

#include "clfs_io.h"
#include "clfs_dev.h"
#include "clfs_cont_table.h"
#include "clfs_space.h"
#include "clfs_ring.h"
#include "clfs_pause.h"
#include "clfs_trace.h"

#ifdef CLFS_TEST_HOOKS
clfs_pause_fn clfs_pause_hook;

/**
 * clfs_pause_set() - set or clear the pause hook (KUnit suites only)
 * @hook: called at every pause point (clfs_pause.h), or NULL
 */
void clfs_pause_set(clfs_pause_fn hook)
{
	WRITE_ONCE(clfs_pause_hook, hook);
}
EXPORT_SYMBOL_GPL(clfs_pause_set);
#endif

static u32 clfs_buf_index(struct clfs_buf *b)
{
	return (u32)(b - b->ma->bufs);
}

/**
 * clfs_ring_busy() - has the log blocks written but not retired?
 * @log: the log
 *
 * Return: the answer at the time of the call.
 */
bool clfs_ring_busy(struct clfs_log *log)
{
	bool busy;

	spin_lock_irq(&log->io_lock);
	busy = !list_empty(&log->inflight);
	spin_unlock_irq(&log->io_lock);
	return busy;
}

/**
 * clfs_area_busy() - has an area a buffer open or in flight?
 * @ma: the area
 *
 * Return: the answer at the time of the call.
 */
bool clfs_area_busy(struct clfs_marshal *ma)
{
	struct clfs_log *log = ma->log;
	bool busy = false;
	u32 i;

	spin_lock_irq(&log->io_lock);
	for (i = 0; i < ma->n_bufs && !busy; i++)
		busy = ma->bufs[i].state != CLFS_BUF_FREE;
	spin_unlock_irq(&log->io_lock);
	return busy;
}

/*
 * The longest a forced batch waits for the callers the last completion
 * released, whatever the device's write time: jbd2 bounds its batching
 * sleep the same way.
 */
#define CLFS_HOLD_MAX_NS	(4 * NSEC_PER_MSEC)

/* What a completion wakes: flushers up to @completed; it counts them. */
struct clfs_flush_key {
	u64 completed;
	u32 woken;
};

/*
 * Wake function of a flusher: only when its record has completed.  A
 * sleeping flusher is woken; an asynchronous one leaves flush_wait and
 * its work looks (clfs_flush_work()).  Called under flush_wait's lock,
 * inside log->io_lock for a completion's wake-up.
 */
static int clfs_flush_wake(struct wait_queue_entry *wq, unsigned int mode,
			   int sync, void *arg)
{
	struct clfs_flush_req *w = container_of(wq, struct clfs_flush_req, wq);
	struct clfs_flush_key *key = arg;

	if (key && w->lsn > key->completed)
		return 0;
	if (w->done) {
		list_del_init(&wq->entry);
		queue_work(w->log->flush_wq, &w->work);
	} else {
		default_wake_function(wq, mode, sync, NULL);
		/* Pairs with the list_empty_careful() of finish_wait(). */
		list_del_init_careful(&wq->entry);
	}
	if (key)
		key->woken++;
	return 1;
}

/**
 * clfs_flush_wake_all() - wake every flusher, to look again
 * @log: the log
 *
 * For a truncation (clfs_flush_cut()) and a shut-down log (log->error).
 */
void clfs_flush_wake_all(struct clfs_log *log)
{
	wake_up_all(&log->flush_wait);
	wake_up_all(&log->io_wait);
}

/*
 * May the forced batch waiting in the open buffer go now?  Only when the
 * device is idle (a completion looks again) and no released flusher is
 * still to come back, or the hold is over; while only the hold keeps it,
 * the hold timer is armed to send it then.
 */
static bool clfs_batch_due(struct clfs_log *log)
{
	u64 now;

	lockdep_assert_held(&log->io_lock);
	if (!log->force_pending || !list_empty(&log->inflight) || log->error)
		return false;
	now = ktime_get_ns();
	if (!log->returning || now >= log->hold_until)
		return true;
	hrtimer_start(&log->hold_timer, ns_to_ktime(log->hold_until),
		      HRTIMER_MODE_ABS);
	return false;
}

/* Send the forced batch waiting in the open buffer if it is due. */
static void clfs_batch_go(struct clfs_log *log)
{
	struct clfs_buf *b = log->cur;
	bool due;

	lockdep_assert_held(&log->io_mutex);
	spin_lock_irq(&log->io_lock);
	due = b && clfs_batch_due(log);
	spin_unlock_irq(&log->io_lock);
	if (due)
		clfs_seal(log, b, true);
}

/**
 * clfs_seal_work() - send a forced batch on behalf of a completion
 * @work: log->seal_work
 *
 * Queued when a completion found the batch due (it cannot take
 * log->io_mutex), and when the hold timer fires.  It runs on its
 * own workqueue, so that io_work (which retires a block whose bio could
 * not be built, and which a holder of io_mutex may wait for) never waits
 * behind it.
 *
 * Context: workqueue (process context).  Takes log->io_mutex.
 */
void clfs_seal_work(struct work_struct *work)
{
	struct clfs_log *log = container_of(work, struct clfs_log, seal_work);

	mutex_lock(&log->io_mutex);
	clfs_batch_go(log);
	mutex_unlock(&log->io_mutex);
}

/**
 * clfs_hold_fire() - the hold of a forced batch is over
 * @t: log->hold_timer
 *
 * Context: timer (hard interrupt).
 * Return: HRTIMER_NORESTART.
 */
enum hrtimer_restart clfs_hold_fire(struct hrtimer *t)
{
	struct clfs_log *log = container_of(t, struct clfs_log, hold_timer);

	queue_work(log->seal_wq, &log->seal_work);
	return HRTIMER_NORESTART;
}

/* Fold a FUA write's time into the average the hold is bounded by. */
static void clfs_fua_time(struct clfs_log *log, u64 ns)
{
	lockdep_assert_held(&log->io_lock);
	log->fua_ns = log->fua_ns ? (7 * log->fua_ns + ns) / 8 : ns;
}

/*
 * Retire the completed blocks at the head of log->inflight, in log order:
 * advance the completed and durable LSNs, wake the flushers whose records
 * completed (and count them into log->returning) and those waiting for a
 * buffer, and shut the log down on a failed write.  Called from a block
 * write's completion, which may run in hard interrupt context, and from
 * io_work.  Return: whether the forced batch gathered meanwhile is due
 * (clfs_batch_due()): the caller sends it, or has it sent.
 */
static bool clfs_retire(struct clfs_log *log)
{
	struct clfs_flush_key key = { .woken = 0 };
	u64 lsn = 0, now = ktime_get_ns();
	bool failed = false, due;
	unsigned long flags;
	struct clfs_buf *b;

	spin_lock_irqsave(&log->io_lock, flags);
	while ((b = list_first_entry_or_null(&log->inflight, struct clfs_buf,
					     node))) {
		/* Pairs with the release in clfs_buf_end_io(): status first. */
		if (!smp_load_acquire(&b->done))
			break;
		if (b->status && !log->error) {
			log->error = -EIO;
			failed = true;
			lsn = b->lsn;
		}
		trace_clfs_complete(clfs_log_devt(log), b->lsn, b->last_lsn,
				    blk_status_to_errno(b->status),
				    b->fua && !log->error);
		if (!log->error) {
			log->completed_lsn = b->last_lsn;
			log->completed_bytes += b->size;
			if (b->fua && b->last_lsn > log->durable_lsn) {
				log->durable_lsn = b->last_lsn;
				log->durable_bytes = log->completed_bytes;
			}
			/* A FUA write lands after all it followed did. */
			if (b->fua) {
				log->synced_lsn = max(log->synced_lsn,
						      b->last_lsn);
				clfs_fua_time(log, now > b->submit_ns ?
						   now - b->submit_ns : 0);
			}
		}
		/* From here on its area may be deleted (clfs_marshal.c). */
		list_del(&b->node);
		log->n_inflight--;
		b->state = CLFS_BUF_FREE;
	}
	if (log->error) {
		__wake_up(&log->flush_wait, TASK_NORMAL, 0, NULL);
	} else {
		key.completed = log->completed_lsn;
		__wake_up(&log->flush_wait, TASK_NORMAL, 0, &key);
	}
	/* Under io_lock: none of them can be back before this is set. */
	if (key.woken) {
		log->returning = key.woken;
		log->hold_until = now + min_t(u64, log->fua_ns,
					      CLFS_HOLD_MAX_NS);
	}
	due = clfs_batch_due(log);
	spin_unlock_irqrestore(&log->io_lock, flags);
	if (failed)
		clfs_log_err(log, "write of block %llx failed; log shut down, further writes fail with -EIO",
			     lsn);
	wake_up_all(&log->io_wait);
	return due;
}

/**
 * clfs_io_work() - retire completed blocks in log order
 * @work: log->io_work
 *
 * For a block whose bio could not be built (clfs_buf_submit()), which no
 * completion retires: as a completion, and it sends the forced batch
 * itself when io_mutex is free.
 *
 * Context: workqueue (process context).  Takes log->io_lock, and
 * log->io_mutex only if it is free.
 */
void clfs_io_work(struct work_struct *work)
{
	struct clfs_log *log = container_of(work, struct clfs_log, io_work);

	if (!clfs_retire(log))
		return;
	if (mutex_trylock(&log->io_mutex)) {
		clfs_batch_go(log);
		mutex_unlock(&log->io_mutex);
	} else {
		queue_work(log->seal_wq, &log->seal_work);
	}
}

/*
 * A block write's completion retires what completed itself and wakes its
 * flushers, with no work item between the device and them; a forced
 * batch that is due goes to seal_work, which takes io_mutex.
 */
static void clfs_buf_end_io(struct bio *bio)
{
	struct clfs_buf *b = bio->bi_private;
	struct clfs_log *log = b->log;

	b->status = bio->bi_status;
	/* Publish the status before done; clfs_retire() acquires done. */
	smp_store_release(&b->done, 1);
	bio_put(bio);
	/*
	 * From here on the block may be retired, by another completion, and
	 * its area deleted and the log closed: only the count in log->bios
	 * keeps the log alive until this completion is over.
	 */
	clfs_pause(log, CLFS_PAUSE_END_IO);
	if (clfs_retire(log))
		queue_work(log->seal_wq, &log->seal_work);
	if (atomic_dec_and_test(&log->bios))
		wake_up_var(&log->bios);
}

/* Are all of the log's containers on one device?  (io_mutex) */
static bool clfs_single_device(struct clfs_log *log)
{
	u32 i;

	for (i = 1; i < log->n_conts; i++)
		if (log->conts[i]->dev != log->conts[0]->dev)
			return false;
	return true;
}

/*
 * Submit sealed buffer @b, once the last hold on its bytes is gone: pad
 * and checksum it, and write it.  From here on it is the completion's;
 * nothing after submit_bio() may touch it (its area may go once it
 * retires).  No lock needed: the seal fixed everything else.
 */
static void clfs_buf_submit(struct clfs_buf *b)
{
	struct clfs_log *log = b->log;
	u32 off = clfs_lsn_block_offset(b->lsn);
	struct clfs_cont *c = b->cont;
	blk_opf_t opf = REQ_OP_WRITE | REQ_SYNC;
	struct bio *bio;
	u32 size;

	size = clfs_block_pad(b->data, log->io_unit);
	clfs_block_set_crc(b->data, clfs_block_crc_spread(b->data, size,
							  log->seed));
	WARN_ON_ONCE(size != b->size);
	if (b->fua)
		opf |= REQ_FUA | (b->preflush ? REQ_PREFLUSH : 0);
	b->submit_ns = ktime_get_ns();
	/*
	 * Readers of the buffer wait for this (clfs_buf_wait_fill()): fully
	 * ordered, so that wake_up_var()'s look at the wait queue comes
	 * after the store a waiter checks (a release store alone would let
	 * it pass, and a waiter sleep on).
	 */
	atomic_xchg(&b->fill, CLFS_FILL_SUBMITTED);
	wake_up_var(&b->fill);
	bio = clfs_bio_for_buf(c->dev->cb.bdev, c->dev_offset + off, b->data,
			       b->size, opf);
	if (!bio) {
		b->status = BLK_STS_RESOURCE;
		/* As in clfs_buf_end_io(): the status before done. */
		smp_store_release(&b->done, 1);
		queue_work(log->wq, &log->io_work);
		return;
	}
	bio->bi_private = b;
	bio->bi_end_io = clfs_buf_end_io;
	atomic_inc(&log->bios);
	trace_clfs_submit(clfs_log_devt(log), b->lsn, c->dev->cb.bdev->bd_dev,
			  (c->dev_offset + off) >> SECTOR_SHIFT, b->size,
			  b->fua, b->preflush);
	submit_bio(bio);
}

/**
 * clfs_buf_hold() - hold the open buffer's bytes for a copy into it
 * @log: the log, log->io_mutex held
 *
 * The caller has placed a record in log->cur (its header, under
 * io_mutex) and copies its bytes after dropping io_mutex; the block is
 * not submitted, nor its bytes read from memory (clfs_buf_wait_fill()),
 * before clfs_buf_put().  The holder may not wait for anything while it
 * holds the buffer: every wait for a buffer or a write may wait for it.
 *
 * Return: the buffer held.
 */
struct clfs_buf *clfs_buf_hold(struct clfs_log *log)
{
	struct clfs_buf *b = log->cur;

	lockdep_assert_held(&log->io_mutex);
	atomic_inc(&b->fill);
	return b;
}

/**
 * clfs_buf_put() - drop a hold on a buffer's bytes
 * @b: the buffer
 *
 * The last one (the seal's, or the last copy's after the seal) submits
 * it: checksums it (a large block on two CPUs, clfs_block_crc_spread(),
 * which waits for the other half) and allocates and submits its bio.
 *
 * Context: process context; may sleep: any mutex, no spinlock.
 */
void clfs_buf_put(struct clfs_buf *b)
{
	/* Fully ordered: the copy's bytes before the count, for the last. */
	int left;

	might_sleep();
	left = atomic_dec_return(&b->fill);

	if (!left)
		clfs_buf_submit(b);
	else if (left == 1)
		wake_up_var(&b->fill);
}

/**
 * clfs_buf_wait_fill() - wait until the copies into a buffer are in
 * @log: the log, log->io_mutex held
 * @b: an open or sealed buffer of the log
 *
 * After it, @b's bytes are final up to its last record (open: no copy
 * into it runs, and none starts while io_mutex is held) or for good
 * (sealed: checksummed and on its way).
 *
 * Context: process context, log->io_mutex held; sleeps.
 */
void clfs_buf_wait_fill(struct clfs_log *log, struct clfs_buf *b)
{
	int done = b == log->cur ? 1 : CLFS_FILL_SUBMITTED;

	lockdep_assert_held(&log->io_mutex);
	wait_var_event(&b->fill, atomic_read_acquire(&b->fill) == done);
}

/**
 * clfs_seal() - seal a buffer and send it
 * @log: the log, log->io_mutex held
 * @b: the open buffer, log->cur
 * @flush: a caller will wait for its durability; so will one when a
 *	forced batch waits in it (log->force_pending)
 *
 * Closes the block to records, fixes its size and place in the log and
 * how it is written, and puts it on log->inflight; it is checksummed and
 * submitted when the copies into it still running are in (clfs_buf_put()),
 * at once if none is.
 *
 * A block to be flushed goes out as a FUA write when that makes this one
 * write enough: with a preflush unless every block before it is durable
 * already (log->synced_lsn), or the block before it is a FUA write itself
 * (log->fua_last; in flight or not: blocks retire in log order, so this
 * one counts as durable only after that one).  A block sealed while
 * others are in flight, submitted or not, is no FUA write unless in such
 * a chain: a preflush covers only completed writes.
 *
 * Context: process context, log->io_mutex held.
 * Return: 0; the write's outcome arrives through its completion
 * (clfs_retire()).
 */
int clfs_seal(struct clfs_log *log, struct clfs_buf *b, bool flush)
{
	u32 off = clfs_lsn_block_offset(b->lsn);
	struct clfs_cont *c = b->cont;
	bool fua, preflush, single, chain;
	struct clfs_block_info bi;

	lockdep_assert_held(&log->io_mutex);
	single = clfs_single_device(log);
	clfs_block_state(b->data, b->lsn, &bi);
	b->size = round_up(bi.used, log->io_unit);
	b->last_lsn = b->lsn + bi.n_records - 1;
	trace_clfs_seal(clfs_log_devt(log), b->lsn, b->last_lsn, b->size);
	clfs_block_mark(log, c, off);
	/* A preflush flushes only its own device: a chain needs just one. */
	chain = single && log->prev_lsn != CLFS_LSN_INVALID &&
		log->fua_last == log->prev_last;

	spin_lock_irq(&log->io_lock);
	flush = flush || log->force_pending;
	fua = flush && (chain || (list_empty(&log->inflight) &&
				  (single || log->prev_lsn == CLFS_LSN_INVALID ||
				   log->durable_lsn == log->prev_last)));
	/*
	 * The preflush makes the blocks before this one durable: not needed
	 * when there are none, when the one before is a FUA write, or when
	 * this open's own flushes and FUA writes already did (on one
	 * device: a preflush flushes only the device it goes to, so a log
	 * on several keeps it).
	 */
	preflush = fua && !chain && log->prev_lsn != CLFS_LSN_INVALID &&
		   (!single || log->synced_lsn != log->prev_last);
	if (flush) {
		/* The batch is on its way; whoever is not back joins the next. */
		log->force_pending = false;
		log->returning = 0;
	}
	b->fua = fua;
	b->preflush = preflush;
	b->done = 0;
	b->status = BLK_STS_OK;
	b->state = CLFS_BUF_INFLIGHT;
	list_add_tail(&b->node, &log->inflight);
	log->n_inflight++;
	spin_unlock_irq(&log->io_lock);

	log->prev_lsn = b->lsn;
	log->prev_last = b->last_lsn;
	log->fua_last = fua ? b->last_lsn : CLFS_LSN_INVALID;
	log->next_seq++;
	log->next_pos = clfs_lsn_make(c->logical_id, off + b->size, 0);
	log->cur = NULL;

	if (fua)
		atomic64_inc(&log->stats.flush_writes);
	atomic64_inc(&log->stats.blocks_written);
	atomic64_inc(&log->stats.dev_writes);
	atomic64_add(b->size, &log->stats.block_bytes);
	/* The open buffer's own hold. */
	clfs_buf_put(b);
	return 0;
}

/**
 * clfs_seal_for_next() - seal the open buffer for a record that opens
 *	the next one
 * @log: the log, log->io_mutex held
 * @ma: the area whose next buffer the record opens
 *
 * When that open will not wait (its slot is free, and one more block may
 * be in flight besides this one), the sealed block is kept held: the
 * caller checksums and submits it after dropping io_mutex, with
 * clfs_buf_put(), so that no appender waits for that.  A hold kept
 * across a wait for a buffer could wait for itself.
 *
 * Context: process context, log->io_mutex held.
 * Return: the sealed block, held; NULL if none is (no open buffer, or it
 * was left to its last hold).
 */
struct clfs_buf *clfs_seal_for_next(struct clfs_log *log,
				    struct clfs_marshal *ma)
{
	struct clfs_buf *b = log->cur, *next = &ma->bufs[ma->next];
	bool keep;

	lockdep_assert_held(&log->io_mutex);
	if (!b)
		return NULL;
	spin_lock_irq(&log->io_lock);
	keep = next != b && next->state == CLFS_BUF_FREE &&
	       log->n_inflight + 1 < CLFS_MAX_IN_FLIGHT;
	spin_unlock_irq(&log->io_lock);
	if (keep)
		atomic_inc(&b->fill);
	clfs_seal(log, b, false);
	return keep ? b : NULL;
}

/* May @b be opened: free, with room for one more block in flight? */
static bool clfs_buf_is_free(struct clfs_log *log, struct clfs_buf *b)
{
	bool ret;

	spin_lock_irq(&log->io_lock);
	ret = (b->state == CLFS_BUF_FREE &&
	       log->n_inflight < CLFS_MAX_IN_FLIGHT) || log->error;
	spin_unlock_irq(&log->io_lock);
	return ret;
}

/**
 * clfs_buf_open() - open the next buffer of an area's ring at @at
 * @ma: the area
 * @at: where the block starts
 *
 * Waits until that buffer's earlier write has retired and fewer than
 * CLFS_MAX_IN_FLIGHT blocks of the log are in flight (so that sealing it
 * keeps the log within that bound).  The log has no open buffer.
 *
 * Context: process context, log->io_mutex held; sleeps.
 * Return: 0 with log->cur set; -EIO (the log shut down).
 */
int clfs_buf_open(struct clfs_marshal *ma, struct clfs_pos at)
{
	struct clfs_log *log = ma->log;
	struct clfs_buf *b = &ma->bufs[ma->next];

	lockdep_assert_held(&log->io_mutex);
	wait_event(log->io_wait, clfs_buf_is_free(log, b));
	if (READ_ONCE(log->error))
		return -EIO;
	b->cont = at.c;
	b->capacity = clfs_space_room(log, ma->buffer_size, at.off);
	b->lsn = clfs_lsn_make(at.c->logical_id, at.off, 0);
	b->size = 0;
	clfs_block_init(b->data, b->lsn, log->next_seq, log->floor,
			log->prev_lsn, log->prev_last);
	atomic_set(&b->fill, 1);
	spin_lock_irq(&log->io_lock);
	b->state = CLFS_BUF_OPEN;
	spin_unlock_irq(&log->io_lock);
	log->cur = b;
	ma->next = (ma->next + 1) % ma->n_bufs;
	return 0;
}

/**
 * clfs_buf_drop() - drop the open buffer and the records in it
 * @log: the log, log->io_mutex held
 *
 * For a truncation, which cuts those records, and for an area deleted
 * after a device error.  It waits for the copies into it still running.
 * The open buffer is always its area's most recently opened slot; it
 * becomes that area's next slot to open again, so that an area opens its
 * buffers in the order their writes retire.
 */
void clfs_buf_drop(struct clfs_log *log)
{
	struct clfs_buf *b = log->cur;

	lockdep_assert_held(&log->io_mutex);
	if (!b)
		return;
	/* No copy may write into it once it is free (and reopened). */
	clfs_buf_wait_fill(log, b);
	spin_lock_irq(&log->io_lock);
	b->state = CLFS_BUF_FREE;
	/*
	 * Its flushers' records are cut (clfs_flush_cut()); an empty buffer
	 * has none (clfs_seal() took a pending batch before it was opened).
	 */
	log->force_pending = false;
	spin_unlock_irq(&log->io_lock);
	b->ma->next = clfs_buf_index(b);
	log->cur = NULL;
}

/**
 * clfs_bios_wait() - wait until no block write's completion is running
 * @log: the log
 *
 * The completions of writes already retired may still be running (see
 * clfs_buf_end_io()); this waits for them before their log goes.
 *
 * Context: process context; sleeps.
 */
void clfs_bios_wait(struct clfs_log *log)
{
	wait_var_event(&log->bios, !atomic_read(&log->bios));
}

/**
 * clfs_flush_start() - register a flusher and put its block on its way
 * @log: the log, log->io_mutex held
 * @fl: the flusher, the caller's until its wait ends (clfs_flush_wait()
 *	or, with @fl->done set, clfs_flush_queue())
 * @lsn: a record appended to the log, to be made durable
 *
 * Registers @fl on log->flushers, where a truncation finds it, and counts
 * a flusher released earlier back (log->returning).  If @lsn is in the
 * open buffer, seals it at once when the batch is due (clfs_batch_due());
 * otherwise leaves it to gather records, marked as a forced batch that
 * the completion in flight, the last flusher to come back or the hold
 * timer sends.  Called under the same hold of io_mutex as the append of
 * @lsn, or after checking that it is still in the log.
 *
 * Context: process context, log->io_mutex held.
 */
void clfs_flush_start(struct clfs_log *log, struct clfs_flush_req *fl, u64 lsn)
{
	struct clfs_buf *b = log->cur;
	bool due = false;

	lockdep_assert_held(&log->io_mutex);
	init_wait_entry(&fl->wq, 0);
	fl->wq.func = clfs_flush_wake;
	fl->log = log;
	fl->lsn = lsn;
	fl->cut = false;
	atomic64_inc(&log->stats.flushes);
	spin_lock_irq(&log->io_lock);
	list_add_tail(&fl->node, &log->flushers);
	if (log->returning)
		log->returning--;
	if (b && lsn >= b->lsn) {
		log->force_pending = true;
		due = clfs_batch_due(log);
	}
	spin_unlock_irq(&log->io_lock);
	if (due)
		clfs_seal(log, b, true);
}

/**
 * clfs_flush_cut() - a truncation to @end removes the flushers' records
 *	after it
 * @log: the log, log->io_lock held
 * @end: the new last record
 *
 * Their flushers return -ENOENT (woken by clfs_flush_wake_all()), even if
 * later appends use those LSNs again.
 */
void clfs_flush_cut(struct clfs_log *log, u64 end)
{
	struct clfs_flush_req *fl;

	lockdep_assert_held(&log->io_lock);
	list_for_each_entry(fl, &log->flushers, node)
		if (fl->lsn > end)
			fl->cut = true;
}

/* Sleep until @fl's record has completed or is cut, or the log shut down. */
static void clfs_flush_sleep(struct clfs_log *log, struct clfs_flush_req *fl)
{
	bool over;

	for (;;) {
		prepare_to_wait(&log->flush_wait, &fl->wq, TASK_UNINTERRUPTIBLE);
		spin_lock_irq(&log->io_lock);
		over = log->completed_lsn >= fl->lsn || fl->cut || log->error;
		spin_unlock_irq(&log->io_lock);
		if (over)
			break;
		schedule();
	}
	finish_wait(&log->flush_wait, &fl->wq);
}

/*
 * Put asynchronous flusher @fl on flush_wait unless its record has
 * completed or is cut, or the log shut down: checked and added under
 * io_lock, where completions, truncations and errors change those, so no
 * wake-up is missed.  Returns whether it waits.
 */
static bool clfs_flush_arm(struct clfs_log *log, struct clfs_flush_req *fl)
{
	bool wait;

	spin_lock_irq(&log->io_lock);
	wait = log->completed_lsn < fl->lsn && !fl->cut && !log->error;
	if (wait)
		add_wait_queue(&log->flush_wait, &fl->wq);
	spin_unlock_irq(&log->io_lock);
	return wait;
}

/*
 * Make what has completed durable with a cache flush, for flushers of
 * blocks written without FUA; one flush at a time serves them all.
 */
static void clfs_flush_cache(struct clfs_log *log, u64 lsn)
{
	u64 done, completed, bytes;
	u32 cuts_now;
	int ret;

	mutex_lock(&log->flush_mutex);
	spin_lock_irq(&log->io_lock);
	done = log->durable_lsn;
	completed = log->completed_lsn;
	bytes = log->completed_bytes;
	cuts_now = log->cuts;
	ret = log->error;
	spin_unlock_irq(&log->io_lock);
	if (!ret && done < lsn) {
		clfs_pause(log, CLFS_PAUSE_FLUSH);
		/* Covers what completed before it is issued. */
		ret = clfs_dev_flush_all(log);
		spin_lock_irq(&log->io_lock);
		/*
		 * A truncation meanwhile set both watermarks back to its
		 * end: what completed before it is gone, and the LSNs after
		 * the end will be used again.
		 */
		if (ret) {
			log->error = -EIO;
		} else if (completed > log->durable_lsn &&
			   log->cuts == cuts_now) {
			log->durable_lsn = completed;
			log->durable_bytes = bytes;
		}
		if (!ret && log->cuts == cuts_now)
			log->synced_lsn = max(log->synced_lsn, completed);
		spin_unlock_irq(&log->io_lock);
		trace_clfs_flush(clfs_log_devt(log), lsn, completed, ret);
		if (ret) {
			clfs_log_err(log, "cache flush failed; log shut down");
			clfs_flush_wake_all(log);
		} else {
			wake_up_all(&log->io_wait);
		}
	}
	mutex_unlock(&log->flush_mutex);
}

/* What a flusher does next: done (*@ret set), a cache flush, or wait. */
enum clfs_flush_step {
	CLFS_FLUSH_DONE,
	CLFS_FLUSH_CACHE,
	CLFS_FLUSH_WAIT,
};

static enum clfs_flush_step clfs_flush_look(struct clfs_log *log,
					    struct clfs_flush_req *fl,
					    int *ret)
{
	u64 done, completed;
	bool cut;
	int err;

	spin_lock_irq(&log->io_lock);
	err = log->error;
	done = log->durable_lsn;
	completed = log->completed_lsn;
	cut = fl->cut;
	spin_unlock_irq(&log->io_lock);
	*ret = 0;
	if (err || cut) {
		*ret = err ? -EIO : -ENOENT;
		return CLFS_FLUSH_DONE;
	}
	if (done >= fl->lsn)
		return CLFS_FLUSH_DONE;
	return completed >= fl->lsn ? CLFS_FLUSH_CACHE : CLFS_FLUSH_WAIT;
}

/* Unregister @fl at the end of its wait; @fl->flushed is set. */
static void clfs_flush_end(struct clfs_log *log, struct clfs_flush_req *fl)
{
	spin_lock_irq(&log->io_lock);
	list_del(&fl->node);
	fl->flushed = log->durable_lsn;
	spin_unlock_irq(&log->io_lock);
}

/**
 * clfs_flush_wait() - wait until a flusher's record is durable
 * @log: the log
 * @fl: the flusher, registered by clfs_flush_start(); unregistered here
 *
 * Group commit: whichever area appended them, every record up to the
 * flusher's is made durable by whichever write or cache flush gets there
 * first.
 *
 * Context: process context; sleeps.
 * Return: 0; -ENOENT (a truncation removed the record meanwhile); -EIO
 * (the log shut down after a device error).
 */
static int clfs_flush_wait(struct clfs_log *log, struct clfs_flush_req *fl)
{
	enum clfs_flush_step step;
	int ret;

	while ((step = clfs_flush_look(log, fl, &ret)) != CLFS_FLUSH_DONE) {
		if (step == CLFS_FLUSH_CACHE)
			clfs_flush_cache(log, fl->lsn);
		else
			clfs_flush_sleep(log, fl);
	}
	clfs_flush_end(log, fl);
	return ret;
}

/**
 * clfs_flush_queue() - wait for a flusher's record without sleeping
 * @log: the log
 * @fl: the flusher, registered by clfs_flush_start() with @fl->done set
 *
 * @fl->done is called once the wait ends, from log->flush_wq
 * (clfs_flush_work()), never from here.
 *
 * Context: process context.
 * Return: -EIOCBQUEUED.
 */
static int clfs_flush_queue(struct clfs_log *log, struct clfs_flush_req *fl)
{
	if (!clfs_flush_arm(log, fl))
		queue_work(log->flush_wq, &fl->work);
	return -EIOCBQUEUED;
}

/*
 * An asynchronous flush of the whole log (@fl->all) whose last record a
 * truncation removed: flush to the new last record instead, as
 * clfs_flush_buffers() does.  Returns whether @fl waits again.
 */
static bool clfs_flush_again(struct clfs_log *log, struct clfs_flush_req *fl)
{
	u64 last;

	clfs_flush_end(log, fl);
	mutex_lock(&log->io_mutex);
	last = log->last_lsn;
	if (last == CLFS_LSN_INVALID) {
		mutex_unlock(&log->io_mutex);
		return false;
	}
	clfs_flush_start(log, fl, last);
	mutex_unlock(&log->io_mutex);
	clfs_flush_queue(log, fl);
	return true;
}

/**
 * clfs_flush_work() - an asynchronous flusher's wait, one step at a time
 * @work: the flusher's @work
 *
 * Queued when the flusher's record completed, was cut, or the log shut
 * down (clfs_flush_wake()), or to look again after a truncation woke
 * every flusher.  Issues the cache flush a write without FUA needs, puts
 * the flusher back on flush_wait if its record has not completed, or
 * ends its wait and calls its @done, after which it touches neither the
 * flusher nor the log: @done may free the flusher.
 *
 * Context: workqueue (log->flush_wq); takes log->flush_mutex and
 * log->io_mutex.
 */
void clfs_flush_work(struct work_struct *work)
{
	struct clfs_flush_req *fl = container_of(work, struct clfs_flush_req,
						 work);
	struct clfs_log *log = fl->log;
	enum clfs_flush_step step;
	int ret;

	while ((step = clfs_flush_look(log, fl, &ret)) != CLFS_FLUSH_DONE) {
		if (step == CLFS_FLUSH_CACHE)
			clfs_flush_cache(log, fl->lsn);
		else if (clfs_flush_arm(log, fl))
			return;
	}
	if (ret == -ENOENT && fl->all) {
		/* clfs_flush_again() ended this wait, @fl->flushed set. */
		if (clfs_flush_again(log, fl))
			return;
		/* Nothing left in the log: all of it is durable, or lost. */
		ret = READ_ONCE(log->error) ? -EIO : 0;
	} else {
		clfs_flush_end(log, fl);
	}
	fl->done(fl, ret);
}

/**
 * clfs_flush_init() - prepare an asynchronous flusher
 * @fl: the flusher, with @fl->done set
 * @all: flush the whole log: a truncation of its target moves it to the
 *	new last record instead of ending it with -ENOENT
 *
 * Once per wait, before clfs_flush_start().
 */
void clfs_flush_init(struct clfs_flush_req *fl, bool all)
{
	INIT_WORK(&fl->work, clfs_flush_work);
	fl->all = all;
}

/**
 * clfs_flush_finish() - wait for a flusher started by an append
 * @log: the log
 * @fl: the flusher, registered by clfs_flush_start()
 *
 * Sleeps in clfs_flush_wait() for a flusher without @done; queues one
 * with @done (clfs_flush_queue()).
 *
 * Context: process context; sleeps without @fl->done.
 * Return: as clfs_flush_wait(), or -EIOCBQUEUED.
 */
int clfs_flush_finish(struct clfs_log *log, struct clfs_flush_req *fl)
{
	return fl->done ? clfs_flush_queue(log, fl) : clfs_flush_wait(log, fl);
}

/**
 * clfs_flush_lsn() - make every record up to @lsn durable
 * @log: the log; @lsn has been appended through one of its areas
 * @lsn: the record
 *
 * Context: process context; sleeps.
 * Return: 0; -ENOENT (a truncation removed the record); -EIO (the log
 * shut down after a device error).
 */
int clfs_flush_lsn(struct clfs_log *log, u64 lsn)
{
	struct clfs_flush_req fl = { .done = NULL };
	bool done;

	spin_lock_irq(&log->io_lock);
	done = log->durable_lsn >= lsn && !log->error;
	spin_unlock_irq(&log->io_lock);
	if (done)
		return 0;
	mutex_lock(&log->io_mutex);
	if (log->last_lsn == CLFS_LSN_INVALID || lsn > log->last_lsn) {
		/* A truncation removed it. */
		mutex_unlock(&log->io_mutex);
		return -ENOENT;
	}
	clfs_flush_start(log, &fl, lsn);
	mutex_unlock(&log->io_mutex);
	return clfs_flush_wait(log, &fl);
}

/**
 * clfs_flush_buffers() - make every record appended so far durable
 * @ma: a marshalling area of the log
 *
 * Seals the open buffer (if it holds records), and returns once every
 * record appended before the call, through any area, is on stable
 * storage.
 *
 * Context: process context; sleeps.
 * Return: 0; -EIO (device error: the log is shut down); -EINVAL.
 */
int clfs_flush_buffers(struct clfs_marshal *ma)
{
	struct clfs_log *log;
	u64 last;
	int ret;

	might_sleep();
	if (!ma)
		return -EINVAL;
	log = ma->log;
	do {
		mutex_lock(&log->io_mutex);
		last = log->last_lsn;
		mutex_unlock(&log->io_mutex);
		if (last == CLFS_LSN_INVALID)
			return READ_ONCE(log->error) ? -EIO : 0;
		/*
		 * -ENOENT: a truncation removed @last meanwhile, after it
		 * made its own end durable; flush to the new last record.
		 */
		ret = clfs_flush_lsn(log, last);
	} while (ret == -ENOENT);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_flush_buffers);

/**
 * clfs_flush_to_lsn() - make every record up to an LSN durable
 * @ma: a marshalling area of the log
 * @lsn: an LSN of a record appended to the log, through any area
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

	might_sleep();
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
		spin_lock_irq(&log->io_lock);
		*flushed = log->durable_lsn;
		spin_unlock_irq(&log->io_lock);
	}
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_flush_to_lsn);

/*
 * Start an asynchronous flush of @lsn, or of the last record (@all);
 * log->io_mutex held.  Returns 0 when nothing needs to wait.
 */
static int clfs_flush_async(struct clfs_log *log, u64 lsn, bool all,
			    struct clfs_flush_req *req)
{
	int ret = 0;

	lockdep_assert_held(&log->io_mutex);
	if (all)
		lsn = log->last_lsn;
	if (lsn == CLFS_LSN_INVALID || lsn > log->last_lsn) {
		if (!all)
			return -ENOENT;
		ret = READ_ONCE(log->error) ? -EIO : 0;
	}
	spin_lock_irq(&log->io_lock);
	if (!ret && log->error)
		ret = -EIO;
	req->flushed = log->durable_lsn;
	if (!ret && lsn != CLFS_LSN_INVALID && log->durable_lsn < lsn)
		ret = -EIOCBQUEUED;
	spin_unlock_irq(&log->io_lock);
	if (ret != -EIOCBQUEUED)
		return ret;
	clfs_flush_init(req, all);
	clfs_flush_start(log, req, lsn);
	return ret;
}

/**
 * clfs_flush_to_lsn_async() - clfs_flush_to_lsn() without sleeping
 * @ma: a marshalling area of the log
 * @lsn: an LSN of a record appended to the log, through any area
 * @req: the wait, with @req->done set; see struct clfs_flush_req
 *
 * Context: process context; may sleep for the log's write position, never
 * for the device.
 * Return: 0 (every record up to @lsn is already durable: @req->flushed
 * says up to where; @req->done is not called); -EIOCBQUEUED (@req->done
 * will be called, with 0, -ENOENT or -EIO as clfs_flush_to_lsn() returns
 * them); -EINVAL (no area or @req->done, @lsn CLFS_LSN_NULL or
 * CLFS_LSN_INVALID); -ENOENT (@lsn is beyond the last appended record);
 * -EIO (the log is shut down).
 */
int clfs_flush_to_lsn_async(struct clfs_marshal *ma, u64 lsn,
			    struct clfs_flush_req *req)
{
	struct clfs_log *log;
	int ret;

	might_sleep();
	if (!ma || !req || !req->done || !clfs_lsn_is_valid(lsn) ||
	    clfs_lsn_is_null(lsn))
		return -EINVAL;
	log = ma->log;
	mutex_lock(&log->io_mutex);
	ret = clfs_flush_async(log, lsn, false, req);
	mutex_unlock(&log->io_mutex);
	return ret == -EIOCBQUEUED ? clfs_flush_queue(log, req) : ret;
}
EXPORT_SYMBOL_GPL(clfs_flush_to_lsn_async);

/**
 * clfs_flush_buffers_async() - clfs_flush_buffers() without sleeping
 * @ma: a marshalling area of the log
 * @req: the wait, with @req->done set; see struct clfs_flush_req
 *
 * Every record appended before the call, through any area, becomes
 * durable; a truncation meanwhile moves the target to the new last
 * record, as clfs_flush_buffers() does.
 *
 * Context: process context; may sleep for the log's write position, never
 * for the device.
 * Return: 0 (all is durable already: @req->done is not called);
 * -EIOCBQUEUED (@req->done will be called with 0 or -EIO); -EINVAL; -EIO.
 */
int clfs_flush_buffers_async(struct clfs_marshal *ma,
			     struct clfs_flush_req *req)
{
	struct clfs_log *log;
	int ret;

	might_sleep();
	if (!ma || !req || !req->done)
		return -EINVAL;
	log = ma->log;
	mutex_lock(&log->io_mutex);
	ret = clfs_flush_async(log, 0, true, req);
	mutex_unlock(&log->io_mutex);
	return ret == -EIOCBQUEUED ? clfs_flush_queue(log, req) : ret;
}
EXPORT_SYMBOL_GPL(clfs_flush_buffers_async);
