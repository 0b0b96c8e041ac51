// SPDX-License-Identifier: GPL-2.0
/*
 * clfs write path: marshalling areas, record append, block sealing and
 * write completion.
 *
 * A marshalling area owns a ring of write buffers of one size.  Records are
 * copied into the open buffer (ma->cur) under log->io_mutex, which also
 * hands out LSNs, so LSNs follow the order in which appenders take the
 * mutex and no two appenders ever interleave bytes.  A buffer that cannot
 * take the next record, or that a client forces out, is sealed (padded to
 * the I/O unit, checksummed) and submitted as one bio; the next buffer of
 * the ring opens at the following position, in the next container when
 * the record does not fit in what is left of this one.  A buffer is reused
 * only after its write has completed.
 *
 * Completion: the bio's end_io only publishes the status and queues
 * log->io_work; the work retires buffers strictly in ring order under
 * log->io_lock, so log->completed_lsn always ends a prefix of completed
 * blocks.  A block submitted with REQ_PREFLUSH | REQ_FUA while nothing
 * before it was pending also advances log->durable_lsn on completion (the
 * flush covered every earlier completed write and FUA covers the block).
 * A failed write makes the log refuse all further writes (-EIO).
 */
#include <linux/bio.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "clfs_log.h"

static u32 clfs_buf_index(struct clfs_marshal *ma, struct clfs_buf *b)
{
	return (u32)(b - ma->bufs);
}

/* Buffers sealed and not yet retired (io_lock). */
static u32 clfs_ma_inflight_locked(struct clfs_log *log)
{
	struct clfs_marshal *ma = log->ma;
	u32 i, n = 0;

	lockdep_assert_held(&log->io_lock);
	for (i = 0; ma && i < ma->n_bufs; i++)
		n += ma->bufs[i].state == CLFS_BUF_INFLIGHT;
	return n;
}

/**
 * clfs_ma_inflight() - number of the log's blocks written but not retired
 * @log: the log
 *
 * Return: the count at the time of the call.
 */
u32 clfs_ma_inflight(struct clfs_log *log)
{
	u32 n;

	spin_lock(&log->io_lock);
	n = clfs_ma_inflight_locked(log);
	spin_unlock(&log->io_lock);
	return n;
}

/**
 * clfs_io_work() - retire completed blocks in log order
 * @work: log->io_work
 *
 * Context: workqueue (process context).  Takes log->io_lock.
 */
void clfs_io_work(struct work_struct *work)
{
	struct clfs_log *log = container_of(work, struct clfs_log, io_work);
	struct clfs_marshal *ma;
	bool failed = false;
	u64 lsn = 0;

	spin_lock(&log->io_lock);
	ma = log->ma;
	while (ma) {
		struct clfs_buf *b = &ma->bufs[ma->head];

		/* Pairs with the release in clfs_buf_end_io(): status first. */
		if (b->state != CLFS_BUF_INFLIGHT || !smp_load_acquire(&b->done))
			break;
		if (b->status && !log->error) {
			log->error = -EIO;
			failed = true;
			lsn = b->lsn;
		}
		if (!log->error) {
			log->completed_lsn = b->last_lsn;
			log->completed_bytes += b->size;
			if (b->fua && b->last_lsn > log->durable_lsn) {
				log->durable_lsn = b->last_lsn;
				log->durable_bytes = log->completed_bytes;
			}
		}
		b->state = CLFS_BUF_FREE;
		ma->head = (ma->head + 1) % ma->n_bufs;
	}
	spin_unlock(&log->io_lock);
	if (failed)
		clfs_log_err(log, "write of block %llx failed; log shut down, further writes fail with -EIO",
			     lsn);
	wake_up_all(&log->io_wait);
}

static void clfs_buf_end_io(struct bio *bio)
{
	struct clfs_buf *b = bio->bi_private;
	struct clfs_log *log = b->log;

	b->status = bio->bi_status;
	/* Publish the status before done; clfs_io_work() acquires done. */
	smp_store_release(&b->done, 1);
	bio_put(bio);
	queue_work(log->wq, &log->io_work);
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

/**
 * clfs_seal() - seal a buffer and submit it
 * @log: the log, log->io_mutex held
 * @b: the open buffer, log->ma->cur
 * @flush: the caller will wait for durability: use PREFLUSH|FUA when that
 *	makes this one write enough
 *
 * Context: process context, log->io_mutex held.
 * Return: 0; the write's outcome arrives through clfs_io_work().
 */
int clfs_seal(struct clfs_log *log, struct clfs_buf *b, bool flush)
{
	struct clfs_marshal *ma = log->ma;
	blk_opf_t opf = REQ_OP_WRITE | REQ_SYNC;
	u32 off = clfs_lsn_block_offset(b->lsn);
	struct clfs_cont *c = b->cont;
	struct bio *bio;
	bool fua;

	lockdep_assert_held(&log->io_mutex);
	b->size = clfs_block_seal(b->data, log->io_unit, log->seed);
	b->last_lsn = b->lsn +
		le16_to_cpu(((struct clfs_block_header *)b->data)->n_records) - 1;
	clfs_block_mark(log, c, off);

	spin_lock(&log->io_lock);
	fua = flush && ma->head == clfs_buf_index(ma, b) &&
	      (clfs_single_device(log) || log->prev_lsn == CLFS_LSN_INVALID ||
	       log->durable_lsn == log->prev_last);
	b->fua = fua;
	b->done = 0;
	b->status = BLK_STS_OK;
	b->state = CLFS_BUF_INFLIGHT;
	spin_unlock(&log->io_lock);

	log->prev_lsn = b->lsn;
	log->prev_last = b->last_lsn;
	log->next_seq++;
	log->next_pos = clfs_lsn_make(c->logical_id, off + b->size, 0);
	ma->cur = NULL;

	if (fua) {
		opf |= REQ_PREFLUSH | REQ_FUA;
		atomic64_inc(&log->stats.flush_writes);
	}
	atomic64_inc(&log->stats.blocks_written);
	atomic64_inc(&log->stats.dev_writes);
	atomic64_add(b->size, &log->stats.block_bytes);
	bio = clfs_bio_for_buf(c->dev->cb.bdev, c->dev_offset + off, b->data,
			       b->size, opf);
	if (!bio) {
		b->status = BLK_STS_RESOURCE;
		/* As in clfs_buf_end_io(): the status before done. */
		smp_store_release(&b->done, 1);
		queue_work(log->wq, &log->io_work);
		return 0;
	}
	bio->bi_private = b;
	bio->bi_end_io = clfs_buf_end_io;
	submit_bio(bio);
	return 0;
}

static bool clfs_buf_is_free(struct clfs_log *log, struct clfs_buf *b)
{
	bool ret;

	spin_lock(&log->io_lock);
	ret = b->state == CLFS_BUF_FREE || log->error;
	spin_unlock(&log->io_lock);
	return ret;
}

/* Open the next buffer of the ring for a block at @at. */
static int clfs_buf_open(struct clfs_log *log, struct clfs_pos at)
{
	struct clfs_marshal *ma = log->ma;
	struct clfs_buf *b = &ma->bufs[ma->next];

	lockdep_assert_held(&log->io_mutex);
	wait_event(log->io_wait, clfs_buf_is_free(log, b));
	if (READ_ONCE(log->error))
		return -EIO;
	b->cont = at.c;
	b->capacity = clfs_space_room(log, at.off);
	b->lsn = clfs_lsn_make(at.c->logical_id, at.off, 0);
	b->size = 0;
	clfs_block_init(b->data, b->lsn, log->next_seq, log->floor,
			log->prev_lsn, log->prev_last);
	spin_lock(&log->io_lock);
	b->state = CLFS_BUF_OPEN;
	spin_unlock(&log->io_lock);
	ma->cur = b;
	ma->next = (ma->next + 1) % ma->n_bufs;
	return 0;
}

static bool clfs_buf_fits(struct clfs_buf *b, u32 space)
{
	const struct clfs_block_header *h = b->data;

	return le16_to_cpu(h->n_records) < CLFS_MAX_RECORDS_PER_BLOCK &&
	       le32_to_cpu(h->used) + space <= b->capacity;
}

/* Where a record of @space bytes goes, and the write position after it. */
struct clfs_plan {
	bool in_cur;		/* into the open buffer */
	struct clfs_pos at;	/* else: a new block here */
	struct clfs_pos after;
};

static int clfs_plan(struct clfs_log *log, u32 space, struct clfs_plan *pl)
{
	struct clfs_buf *b = log->ma->cur;
	u32 hdr = sizeof(struct clfs_block_header);
	struct clfs_pos p;

	lockdep_assert_held(&log->io_mutex);
	if (b && clfs_buf_fits(b, space)) {
		const struct clfs_block_header *h = b->data;

		pl->in_cur = true;
		pl->after.c = b->cont;
		pl->after.off = clfs_lsn_block_offset(b->lsn) +
				round_up(le32_to_cpu(h->used) + space,
					 log->io_unit);
		return 0;
	}
	pl->in_cur = false;
	p = clfs_space_pos(log);
	if (!p.c)
		return -ENOSPC;
	if (clfs_space_room(log, p.off) < hdr + space) {
		p.c = clfs_cont_next(log, p.c->logical_id);
		if (!p.c)
			return -ENOSPC;
		p.off = CLFS_BLOCKS_START;
	}
	pl->at = p;
	pl->after.c = p.c;
	pl->after.off = p.off + round_up(hdr + space, log->io_unit);
	return 0;
}

/* Release, then reserve: the reservation changes of one call (io_mutex). */
static int clfs_rsv_release(struct clfs_marshal *ma, unsigned int n,
			    const s64 *rsv)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (rsv[i] > 0)
			continue;
		if (clfs_rsv_sub(ma, (u32)-rsv[i])) {
			while (i--)
				if (rsv[i] < 0)
					clfs_rsv_add(ma, (u32)-rsv[i]);
			return -ENOENT;
		}
	}
	return 0;
}

static void clfs_rsv_restore(struct clfs_marshal *ma, unsigned int n,
			     const s64 *rsv)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (rsv[i] < 0)
			clfs_rsv_add(ma, (u32)-rsv[i]);
}

/**
 * clfs_append_rsv() - append a record and/or change reservations
 * @ma: the marshalling area
 * @iov: the record's bytes, or NULL for no record
 * @n_iov: entries in @iov
 * @undo_next: the record's undo-next LSN
 * @previous: the record's previous LSN
 * @type: CLFS_RECORD_DATA or CLFS_RECORD_RESTART
 * @flags: CLFS_FLAG_*, already checked
 * @n_rsv: entries in @rsv
 * @rsv: reservation sizes, already rounded by clfs_rsv_size(): positive
 *	to reserve, negative to release
 * @lsn: receives the record's LSN
 *
 * All or nothing: releases, the record (consuming a reservation with
 * CLFS_FLAG_USE_RESERVATION) and the new reservations are checked before
 * anything changes.  The caller has checked every size.
 *
 * Context: process context; sleeps.
 * Return: 0; -ENOSPC; -ENOENT (a release or USE_RESERVATION found no
 * such reservation); -EIO.
 */
int clfs_append_rsv(struct clfs_marshal *ma, const struct kvec *iov,
		    unsigned int n_iov, u64 undo_next, u64 previous, u32 type,
		    u32 flags, unsigned int n_rsv, s64 *rsv, u64 *lsn)
{
	struct clfs_log *log = ma->log;
	u64 want = 0, rec = CLFS_LSN_INVALID;
	struct clfs_plan pl = { .in_cur = false };
	u32 len = 0, off, i, space = 0;
	struct clfs_buf *b;
	int taken = 0, ret;

	for (i = 0; iov && i < n_iov; i++)
		len += iov[i].iov_len;
	for (i = 0; i < n_rsv; i++)
		if (rsv[i] > 0)
			want += rsv[i];

	mutex_lock(&log->io_mutex);
	if (READ_ONCE(log->error)) {
		ret = -EIO;
		goto out_unlock;
	}
	if (iov && log->n_conts < CLFS_MIN_CONTAINERS_TO_WRITE) {
		clfs_log_err(log, "has %u containers; %u are needed before records can be written",
			     log->n_conts, CLFS_MIN_CONTAINERS_TO_WRITE);
		ret = -ENOSPC;
		goto out_unlock;
	}
	ret = clfs_rsv_release(ma, n_rsv, rsv);
	if (ret)
		goto out_unlock;
	if (iov) {
		space = clfs_record_space(len);
		ret = clfs_plan(log, space, &pl);
		if (ret)
			goto out_restore;
		if (flags & CLFS_FLAG_USE_RESERVATION) {
			taken = clfs_rsv_take(ma, clfs_rsv_size(log, len));
			if (taken < 0) {
				ret = taken;
				goto out_restore;
			}
		}
	} else {
		pl.after = clfs_space_pos(log);
	}
	if (clfs_space_safe(log, pl.after) < ma->rsv_bytes + want) {
		ret = -ENOSPC;
		goto out_untake;
	}
	for (i = 0; i < n_rsv; i++)
		if (rsv[i] > 0)
			clfs_rsv_add(ma, (u32)rsv[i]);
	if (!iov)
		goto out_unlock;

	b = ma->cur;
	if (!pl.in_cur) {
		if (b)
			clfs_seal(log, b, false);
		ret = clfs_buf_open(log, pl.at);
		if (ret)
			goto out_unlock;
		b = ma->cur;
	}
	ret = clfs_block_add_record(b->data, b->capacity, undo_next, previous,
				    type, len, &rec, &off);
	if (WARN_ON_ONCE(ret))
		goto out_unlock;
	for (i = 0; i < n_iov; i++) {
		memcpy((u8 *)b->data + off, iov[i].iov_base, iov[i].iov_len);
		off += iov[i].iov_len;
	}
	if (log->first_lsn == CLFS_LSN_INVALID)
		log->first_lsn = rec;
	log->last_lsn = rec;
	atomic64_inc(&log->stats.appends);
	atomic64_add(len, &log->stats.append_bytes);
	if (flags & CLFS_FLAG_FORCE_APPEND)
		clfs_seal(log, b, false);
	goto out_unlock;

out_untake:
	if (taken > 0)
		clfs_rsv_add(ma, (u32)taken);
out_restore:
	clfs_rsv_restore(ma, n_rsv, rsv);
out_unlock:
	mutex_unlock(&log->io_mutex);
	if (ret) {
		if (ret == -ENOSPC && iov)
			clfs_log_err(log, "log full: no room for a %u-byte record",
				     len);
		return ret;
	}
	if (lsn)
		*lsn = rec;
	if (iov && (flags & CLFS_FLAG_FORCE_FLUSH))
		return clfs_flush_lsn(log, rec);
	return 0;
}

/**
 * clfs_append_check() - check a record's arguments
 * @ma: the marshalling area
 * @iov: the gather list
 * @n_iov: its entries
 * @len: receives the record's length
 *
 * Return: 0; -EINVAL; -EMSGSIZE (larger than a write buffer carries).
 */
int clfs_append_check(struct clfs_marshal *ma, const struct kvec *iov,
		      unsigned int n_iov, u32 *len)
{
	u32 i, total = 0;

	if ((n_iov && !iov) || n_iov > UIO_MAXIOV)
		return -EINVAL;
	for (i = 0; i < n_iov; i++) {
		if (iov[i].iov_len && !iov[i].iov_base)
			return -EINVAL;
		if (iov[i].iov_len > U32_MAX ||
		    check_add_overflow(total, (u32)iov[i].iov_len, &total))
			return -EMSGSIZE;
	}
	if (total > clfs_record_max(ma->buffer_size)) {
		clfs_log_err(ma->log, "record of %u bytes exceeds the %u a %u-byte write buffer carries",
			     total, clfs_record_max(ma->buffer_size),
			     ma->buffer_size);
		return -EMSGSIZE;
	}
	*len = total;
	return 0;
}

/**
 * clfs_append() - append one record, given as a gather list
 * @ma: the log's marshalling area
 * @iov: the record's bytes, in order (may be NULL when @n_iov is 0)
 * @n_iov: entries in @iov, at most UIO_MAXIOV
 * @undo_next: the record's undo-next LSN (CLFS_LSN_INVALID for none)
 * @previous: the record's previous LSN (CLFS_LSN_INVALID for none)
 * @type: CLFS_RECORD_DATA or CLFS_RECORD_RESTART
 * @flags: 0 or any of CLFS_FLAG_FORCE_APPEND (seal the block now),
 *	CLFS_FLAG_FORCE_FLUSH (return only once the record is durable) and
 *	CLFS_FLAG_USE_RESERVATION (consume the smallest reservation of the
 *	marshalling area that fits the record)
 * @lsn: receives the record's LSN
 *
 * Copies the record into the current write buffer; LSNs are handed out in
 * strictly increasing order across all appending threads.  Without
 * FORCE_FLUSH the record is durable only after a later flush.  Without
 * USE_RESERVATION the record must leave room for every reservation.
 *
 * Context: process context; sleeps (for a free buffer, or the flush).
 * Return: 0 with *@lsn set; -EINVAL (bad argument or flags); -EMSGSIZE
 * (record larger than a write buffer can carry); -ENOSPC (log full:
 * nothing was changed; or fewer than two containers); -ENOENT
 * (USE_RESERVATION, and no reservation fits); -EIO (the log shut down
 * after a device error; with FORCE_FLUSH the record is appended but its
 * durability is unknown).
 */
int clfs_append(struct clfs_marshal *ma, const struct kvec *iov,
		unsigned int n_iov, u64 undo_next, u64 previous, u32 type,
		u32 flags, u64 *lsn)
{
	static const struct kvec empty;
	u32 len;
	int ret;

	if (!ma || !lsn || (flags & ~CLFS_FLAG_ALL) ||
	    (type != CLFS_RECORD_DATA && type != CLFS_RECORD_RESTART))
		return -EINVAL;
	ret = clfs_append_check(ma, iov, n_iov, &len);
	if (ret)
		return ret;
	return clfs_append_rsv(ma, n_iov ? iov : &empty, n_iov, undo_next,
			       previous, type, flags, 0, NULL, lsn);
}
EXPORT_SYMBOL_GPL(clfs_append);

static void clfs_ma_free(struct clfs_marshal *ma)
{
	u32 i;

	for (i = 0; ma->bufs && i < ma->n_bufs; i++)
		vfree(ma->bufs[i].data);
	kfree(ma->bufs);
	kvfree(ma->rsv);
	kfree(ma);
}

/**
 * clfs_marshal_create() - create the log's marshalling area
 * @log: an open log
 * @buffer_size: bytes per write buffer (the largest block this area
 *	writes): a multiple of the log's I/O unit, at least 4 KiB and at
 *	most the log's block size
 * @max_buffers: write buffers, 1..CLFS_MAX_IN_FLIGHT
 * @map: receives the area
 *
 * A log has one marshalling area at a time; appends, flushes, reads and
 * reservations go through it.
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (bad sizes); -EBUSY (the log already has one);
 * -ENOMEM.
 */
int clfs_marshal_create(struct clfs_log *log, u32 buffer_size,
			u32 max_buffers, struct clfs_marshal **map)
{
	struct clfs_marshal *ma;
	int ret = -ENOMEM;
	u32 i;

	if (!log || !map)
		return -EINVAL;
	if (buffer_size < CLFS_BLOCK_SIZE_MIN ||
	    buffer_size > log->meta->block_size ||
	    !IS_ALIGNED(buffer_size, log->io_unit) ||
	    !max_buffers || max_buffers > CLFS_MAX_IN_FLIGHT) {
		clfs_log_err(log, "invalid marshalling area: %u buffers of %u bytes (1..%u buffers, %u..%u bytes, multiple of %u)",
			     max_buffers, buffer_size, CLFS_MAX_IN_FLIGHT,
			     CLFS_BLOCK_SIZE_MIN, log->meta->block_size,
			     log->io_unit);
		return -EINVAL;
	}
	ma = kzalloc(sizeof(*ma), GFP_KERNEL);
	if (!ma)
		return -ENOMEM;
	ma->rsv_slots = buffer_size / log->io_unit + 1;
	ma->rsv = kvcalloc(ma->rsv_slots, sizeof(*ma->rsv), GFP_KERNEL);
	ma->bufs = kcalloc(max_buffers, sizeof(*ma->bufs), GFP_KERNEL);
	if (!ma->rsv || !ma->bufs)
		goto out_free_ma;
	ma->n_bufs = max_buffers;
	for (i = 0; i < max_buffers; i++) {
		ma->bufs[i].log = log;
		ma->bufs[i].data = vzalloc(buffer_size);
		if (!ma->bufs[i].data)
			goto out_free_ma;
	}
	ma->log = log;
	ma->buffer_size = buffer_size;
	atomic_set(&ma->readers, 0);

	mutex_lock(&log->lock);
	mutex_lock(&log->io_mutex);
	if (log->ma) {
		ret = -EBUSY;
	} else {
		spin_lock(&log->io_lock);
		log->ma = ma;
		spin_unlock(&log->io_lock);
		ret = 0;
	}
	mutex_unlock(&log->io_mutex);
	mutex_unlock(&log->lock);
	if (ret)
		goto out_free_ma;
	*map = ma;
	return 0;

out_free_ma:
	clfs_ma_free(ma);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_marshal_create);

/**
 * clfs_marshal_delete() - flush and delete a marshalling area
 * @ma: the area; it must have no open read contexts
 *
 * Flushes every record appended through @ma, waits for all its writes,
 * releases its reservations and frees it (also when the flush fails).
 *
 * Context: process context; sleeps.
 * Return: 0; -EBUSY (read contexts are open; nothing is done); -EIO (the
 * final flush failed; the area is freed all the same); -EINVAL.
 */
int clfs_marshal_delete(struct clfs_marshal *ma)
{
	struct clfs_log *log;
	int ret;

	if (!ma)
		return -EINVAL;
	log = ma->log;
	if (atomic_read(&ma->readers))
		return -EBUSY;
	/* Tail moves and truncations use log->ma: none may be running. */
	mutex_lock(&log->tail_mutex);
	ret = clfs_flush_buffers(ma);
	mutex_lock(&log->io_mutex);
	if (ma->cur) {
		/* Only after a device error: the records are lost. */
		spin_lock(&log->io_lock);
		ma->cur->state = CLFS_BUF_FREE;
		spin_unlock(&log->io_lock);
		ma->cur = NULL;
	}
	mutex_unlock(&log->io_mutex);
	wait_event(log->io_wait, !clfs_ma_inflight(log));
	mutex_lock(&log->lock);
	mutex_lock(&log->io_mutex);
	spin_lock(&log->io_lock);
	log->ma = NULL;
	spin_unlock(&log->io_lock);
	mutex_unlock(&log->io_mutex);
	mutex_unlock(&log->lock);
	mutex_unlock(&log->tail_mutex);
	flush_work(&log->io_work);
	clfs_ma_free(ma);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_marshal_delete);
