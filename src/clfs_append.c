// SPDX-License-Identifier: GPL-2.0
/*
 * clfs append: ClfsReserveAndAppendLog, ClfsAlignReservedLog,
 * ClfsAllocReservedLog and ClfsFreeReservedLog.
 *
 * An append plans where its record goes (the log's open buffer, whichever
 * area opened it, or a new block in a buffer of the caller's area, in the
 * next container when the rest of this one is too small), applies
 * the call's reservation changes (clfs_space.c) and adds the record's
 * header to the open buffer, all under log->io_mutex, which also hands
 * out LSNs and space: so LSNs follow the order in which appenders take
 * the mutex.  The record's bytes are copied after the mutex is dropped,
 * in parallel with every other appender's (Aether's decoupled buffer
 * fill): the append holds the buffer meanwhile (clfs_buf_hold()), and the
 * block is checksummed and submitted only when every copy into it is in.
 * Such a copy cannot fail or fault: user memory's pages are taken before
 * the mutex (clfs_src.c).  Everything is checked before anything
 * changes: a call either takes full effect or none.  Sealing, writing
 * and flushing the buffers is the ring's (clfs_ring.c).
 */
#include <linux/bio.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>

#include "clfs_cont_table.h"
#include "clfs_space.h"
#include "clfs_ring.h"
#include "clfs_pause.h"
#include "clfs_src.h"
#include "clfs_append.h"

/* Does a record of @space bytes fit in open buffer @b?  (io_mutex) */
static bool clfs_buf_fits(struct clfs_buf *b, u32 space, u32 *used)
{
	struct clfs_block_info bi;

	clfs_block_state(b->data, b->lsn, &bi);
	*used = bi.used;
	return bi.n_records < CLFS_MAX_RECORDS_PER_BLOCK &&
	       bi.used + space <= b->capacity;
}

/* Where a record of @space bytes goes, and the write position after it. */
struct clfs_plan {
	bool in_cur;		/* into the open buffer */
	struct clfs_pos at;	/* else: a new block here */
	struct clfs_pos after;
};

static int clfs_plan(struct clfs_marshal *ma, u32 space,
		     struct clfs_plan *pl)
{
	struct clfs_log *log = ma->log;
	u32 cost = clfs_block_cost(0, space, log->io_unit);
	struct clfs_buf *b = log->cur;
	struct clfs_pos p;
	u32 used;

	lockdep_assert_held(&log->io_mutex);
	if (b && clfs_buf_fits(b, space, &used)) {
		pl->in_cur = true;
		pl->after.c = b->cont;
		pl->after.off = clfs_lsn_block_offset(b->lsn) +
				clfs_block_cost(used, space, log->io_unit);
		return 0;
	}
	pl->in_cur = false;
	p = clfs_space_pos(log);
	if (!p.c)
		return -ENOSPC;
	/* Rooms are whole I/O units: a block fits if its sealed size does. */
	if (clfs_space_room(log, ma->buffer_size, p.off) < cost) {
		p.c = clfs_cont_next(log, p.c->logical_id);
		if (!p.c)
			return -ENOSPC;
		p.off = CLFS_BLOCKS_START;
	}
	pl->at = p;
	pl->after.c = p.c;
	pl->after.off = p.off + cost;
	return 0;
}

/* What clfs_unplace() needs to take a record out of the open buffer. */
struct clfs_undo {
	bool fresh;			/* the record opened the buffer */
	u8 hdr[CLFS_FIRST_RECORD];	/* else: the block header before it */
};

/*
 * Put a planned record of @len bytes into the log: seal the open buffer
 * and open a new one if the plan says so, and add the record's header to
 * the block.  *@rec receives its LSN, *@dst where its bytes go: the
 * caller copies them, and counts the record (clfs_count()).  *@sealed
 * receives the block sealed here if it is held (clfs_seal_for_next()):
 * the caller puts it after io_mutex, before any wait for a buffer.  With
 * @undo, what clfs_unplace() needs.  (io_mutex)
 */
static int clfs_place(struct clfs_marshal *ma, const struct clfs_plan *pl,
		      u32 len, u64 undo_next, u64 previous, u32 type,
		      u64 *rec, void **dst, struct clfs_buf **sealed,
		      struct clfs_undo *undo)
{
	struct clfs_log *log = ma->log;
	struct clfs_buf *b;
	u32 off;
	int ret;

	lockdep_assert_held(&log->io_mutex);
	if (!pl->in_cur) {
		*sealed = clfs_seal_for_next(log, ma);
		ret = clfs_buf_open(ma, pl->at);
		if (ret)
			return ret;
	}
	b = log->cur;
	if (undo) {
		undo->fresh = !pl->in_cur;
		if (pl->in_cur)
			memcpy(undo->hdr, b->data, sizeof(undo->hdr));
	}
	ret = clfs_block_add_record(b->data, b->capacity, undo_next, previous,
				    type, len, ma->st->id, rec, &off);
	if (WARN_ON_ONCE(ret))
		return ret;
	*dst = (u8 *)b->data + off;
	return 0;
}

/*
 * Take the record clfs_place() just put in the open buffer out again,
 * before anyone saw it: its copy faulted.  (io_mutex)
 */
static void clfs_unplace(struct clfs_log *log, const struct clfs_undo *undo)
{
	lockdep_assert_held(&log->io_mutex);
	if (undo->fresh)
		clfs_buf_drop(log);
	else
		memcpy(log->cur->data, undo->hdr, sizeof(undo->hdr));
}

/* Count placed record @rec of @len bytes as the log's and stream's last. */
static void clfs_count(struct clfs_marshal *ma, u64 rec, u32 len)
{
	struct clfs_log *log = ma->log;

	lockdep_assert_held(&log->io_mutex);
	if (log->first_lsn == CLFS_LSN_INVALID)
		log->first_lsn = rec;
	log->last_lsn = rec;
	if (ma->st->first_lsn == CLFS_LSN_INVALID)
		ma->st->first_lsn = rec;
	ma->st->last_lsn = rec;
	atomic64_inc(&log->stats.appends);
	atomic64_add(len, &log->stats.append_bytes);
}

/* FORCE_FLUSH and FORCE_APPEND after the last record @rec of a call. */
static void clfs_append_flags(struct clfs_log *log, struct clfs_flush_req *fl,
			      u64 rec, u32 flags)
{
	lockdep_assert_held(&log->io_mutex);
	/* Under the same hold of io_mutex: the batch sees this record. */
	if (flags & CLFS_FLAG_FORCE_FLUSH)
		clfs_flush_start(log, fl, rec);
	if ((flags & CLFS_FLAG_FORCE_APPEND) && log->cur &&
	    rec >= log->cur->lsn)
		clfs_seal(log, log->cur, false);
}

/*
 * clfs_append_rsv() with the record's bytes in @from (NULL: no record),
 * @len of them.  User memory is taken before io_mutex (clfs_src_get():
 * a fault fails the call before anything changed); the record is placed
 * under io_mutex and its bytes copied after it, while the buffer is held
 * (clfs_buf_hold()).  A small plain record in user memory is copied
 * under io_mutex instead, page faults disabled; if that faults, it is
 * taken out again, its pages are taken without the lock, and the append
 * runs again.  @from is advanced past the record once it is appended.
 */
static int clfs_append_core(struct clfs_marshal *ma, struct iov_iter *from,
			    u32 len, u64 undo_next, u64 previous, u32 type,
			    u32 flags, unsigned int n_rsv, s64 *rsv, u64 *lsn,
			    struct clfs_flush_req *req)
{
	struct clfs_flush_req sfl = { .done = NULL }, *fl = req ?: &sfl;
	struct clfs_log *log = ma->log;
	u64 want = 0, rec = CLFS_LSN_INVALID;
	struct clfs_plan pl = { .in_cur = false };
	struct clfs_buf *held = NULL, *sealed = NULL;
	struct clfs_undo undo;
	struct clfs_src src;
	void *dst = NULL;
	int taken, ret;
	u32 i;

	for (i = 0; i < n_rsv; i++)
		if (rsv[i] > 0)
			want += rsv[i];
	if (from) {
		ret = clfs_src_get(&src, from, len, !n_rsv);
		if (ret)
			return ret;
	}
again:
	taken = 0;
	rec = CLFS_LSN_INVALID;
	mutex_lock(&log->io_mutex);
	if (READ_ONCE(log->error)) {
		ret = -EIO;
		goto out_unlock;
	}
	/* Too few containers to write: no record, and no promise of one. */
	if ((from || want) && log->n_conts < CLFS_MIN_CONTAINERS_TO_WRITE) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	ret = clfs_rsv_release(ma, n_rsv, rsv);
	if (ret)
		goto out_unlock;
	if (from) {
		ret = clfs_plan(ma, clfs_record_space(len), &pl);
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
	if (clfs_space_safe(log, pl.after, clfs_space_block(log)) <
	    log->rsv_bytes + want) {
		ret = -ENOSPC;
		goto out_untake;
	}
	for (i = 0; i < n_rsv; i++)
		if (rsv[i] > 0)
			clfs_rsv_add(ma, (u32)rsv[i]);
	if (!from)
		goto out_unlock;

	ret = clfs_place(ma, &pl, len, undo_next, previous, type, &rec, &dst,
			 &sealed, src.user_inline ? &undo : NULL);
	if (ret)
		goto out_unlock;
	if (!src.user_inline) {
		held = clfs_buf_hold(log);
	} else if (clfs_src_copy_locked(&src, dst)) {
		/* Only a plain record (@n_rsv 0) is copied here. */
		clfs_unplace(log, &undo);
		if (taken > 0)
			clfs_rsv_add(ma, (u32)taken);
		mutex_unlock(&log->io_mutex);
		if (sealed)
			clfs_buf_put(sealed);
		sealed = NULL;
		ret = clfs_src_take(&src, from);
		if (ret) {
			clfs_src_put(&src);
			return ret;
		}
		goto again;
	}
	clfs_count(ma, rec, len);
	clfs_append_flags(log, fl, rec, flags);
	goto out_unlock;

out_untake:
	if (taken > 0)
		clfs_rsv_add(ma, (u32)taken);
out_restore:
	clfs_rsv_restore(ma, n_rsv, rsv);
out_unlock:
	mutex_unlock(&log->io_mutex);
	/* The block before this record's, first: log order on the device. */
	if (sealed)
		clfs_buf_put(sealed);
	if (held) {
		/* In parallel with every other appender's copy. */
		clfs_pause(log, CLFS_PAUSE_FILL);
		clfs_src_copy(&src, dst);
		clfs_buf_put(held);
	}
	if (from) {
		if (rec != CLFS_LSN_INVALID)
			iov_iter_advance(from, len);
		clfs_src_put(&src);
	}
	if (ret)
		return ret;
	if (lsn)
		*lsn = rec;
	if (!from || !(flags & CLFS_FLAG_FORCE_FLUSH))
		return 0;
	return clfs_flush_finish(log, fl);
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
 * @lsn: receives the record's LSN once it is appended (also when its
 *	flush then fails); left as it was when the call fails before
 * @req: with CLFS_FLAG_FORCE_FLUSH and a record, the wait for its
 *	durability (-EIOCBQUEUED once appended), or NULL to sleep for it
 *
 * All or nothing: releases, the record (consuming a reservation with
 * CLFS_FLAG_USE_RESERVATION) and the new reservations are checked before
 * anything changes.  The caller has checked every size.
 *
 * Context: process context; sleeps.
 * Return: 0; -ENOSPC; -ENOENT (a release or USE_RESERVATION found no
 * such reservation; or, with FORCE_FLUSH, a truncation removed the
 * record after its append); -EIO.
 */
int clfs_append_rsv(struct clfs_marshal *ma, const struct kvec *iov,
		    unsigned int n_iov, u64 undo_next, u64 previous, u32 type,
		    u32 flags, unsigned int n_rsv, s64 *rsv, u64 *lsn,
		    struct clfs_flush_req *req)
{
	struct iov_iter it;
	u32 len = 0, i;

	if (!iov)
		return clfs_append_core(ma, NULL, 0, undo_next, previous, type,
					flags, n_rsv, rsv, lsn, NULL);
	for (i = 0; i < n_iov; i++)
		len += iov[i].iov_len;
	iov_iter_kvec(&it, ITER_SOURCE, iov, n_iov, len);
	return clfs_append_core(ma, &it, len, undo_next, previous, type, flags,
				n_rsv, rsv, lsn, req);
}

/**
 * clfs_append_iter() - append one record from user or kernel memory
 * @ma: a marshalling area of the log
 * @from: a source iterator (ITER_SOURCE) over the record's bytes, all of
 *	them (iov_iter_count()); user memory is copied once, straight into
 *	the log block, from its pages taken before the log's locks (the
 *	iterator is advanced past the record once it is appended, and left
 *	as it was when nothing was)
 * @undo_next: the record's undo-next LSN (CLFS_LSN_INVALID for none)
 * @previous: the record's previous LSN (CLFS_LSN_INVALID for none)
 * @type: CLFS_RECORD_DATA or CLFS_RECORD_RESTART
 * @flags: as clfs_append()
 * @lsn: receives the record's LSN
 *
 * As clfs_append(), for a record given as an iov_iter: how the ioctl
 * interface appends a user's record without a copy in between.
 *
 * Context: process context; sleeps (for a free buffer, the flush, or a
 * page fault before anything is appended).
 * Return: as clfs_append(); also -EINVAL (not a source iterator), -EFAULT
 * (user memory that cannot be read), -EINTR (a fatal signal while its
 * pages were faulted in) and -ENOMEM: then nothing changed.
 */
int clfs_append_iter(struct clfs_marshal *ma, struct iov_iter *from,
		     u64 undo_next, u64 previous, u32 type, u32 flags,
		     u64 *lsn)
{
	return clfs_append_iter_async(ma, from, undo_next, previous, type,
				      flags, lsn, NULL);
}
EXPORT_SYMBOL_GPL(clfs_append_iter);

/*
 * Prepare @req, if any, for the wait of a FORCE_FLUSH append; false if it
 * cannot be one (struct clfs_flush_req needs @done).
 */
static bool clfs_req_prepare(struct clfs_flush_req *req, u32 flags)
{
	if (!req)
		return true;
	if (!req->done)
		return false;
	if (flags & CLFS_FLAG_FORCE_FLUSH)
		clfs_flush_init(req, false);
	return true;
}

/**
 * clfs_append_iter_async() - clfs_append_iter(), the flush completing
 *	through @req
 * @ma: as clfs_append_iter()
 * @from: as clfs_append_iter()
 * @undo_next: as clfs_append_iter()
 * @previous: as clfs_append_iter()
 * @type: as clfs_append_iter()
 * @flags: as clfs_append_iter()
 * @lsn: as clfs_append_iter(); set before the call returns
 * @req: with CLFS_FLAG_FORCE_FLUSH, the wait for the record's durability
 *	(struct clfs_flush_req, @req->done set); NULL: the call sleeps
 *	until then, as clfs_append_iter()
 *
 * The record is appended before the call returns, under the same hold of
 * the log's write position as the start of its flush, so a truncation
 * that removes it ends the wait with -ENOENT even if a later record gets
 * its LSN.
 *
 * Context: process context; sleeps for a free buffer or a page fault,
 * with @req never for the flush.
 * Return: as clfs_append_iter(); with @req and FORCE_FLUSH, -EIOCBQUEUED
 * once the record is appended: @req->done will be called with 0, -ENOENT
 * or -EIO.  Any other return leaves @req unused.
 */
int clfs_append_iter_async(struct clfs_marshal *ma, struct iov_iter *from,
			   u64 undo_next, u64 previous, u32 type, u32 flags,
			   u64 *lsn, struct clfs_flush_req *req)
{
	size_t len;

	might_sleep();
	if (!ma || !from || !lsn || (flags & ~CLFS_FLAG_ALL) ||
	    iov_iter_rw(from) != WRITE ||
	    (type != CLFS_RECORD_DATA && type != CLFS_RECORD_RESTART) ||
	    !clfs_req_prepare(req, flags))
		return -EINVAL;
	len = iov_iter_count(from);
	if (len > clfs_record_max(ma->buffer_size))
		return -EMSGSIZE;
	return clfs_append_core(ma, from, (u32)len, undo_next, previous, type,
				flags, 0, NULL, lsn, req);
}
EXPORT_SYMBOL_GPL(clfs_append_iter_async);

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
	if (total > clfs_record_max(ma->buffer_size))
		return -EMSGSIZE;
	*len = total;
	return 0;
}

/**
 * clfs_append() - append one record, given as a gather list
 * @ma: a marshalling area of the log
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
 * Copies the record into the current write buffer, as a record of the
 * area's stream; LSNs are handed out in strictly increasing order across
 * all appending threads and areas, so a stream's LSNs strictly increase.  Without
 * FORCE_FLUSH the record is durable only after a later flush.  Without
 * USE_RESERVATION the record must leave room for every reservation.
 *
 * Context: process context; sleeps (for a free buffer, or the flush).
 * Return: 0 with *@lsn set; -EINVAL (bad argument or flags); -EMSGSIZE
 * (record larger than a write buffer can carry); -ENOSPC (log full:
 * nothing was changed; or fewer than two containers); -ENOENT
 * (USE_RESERVATION, and no reservation fits; or, with FORCE_FLUSH, a
 * truncation that ran meanwhile removed the record again: *@lsn is set);
 * -EIO (the log shut down after a device error; with FORCE_FLUSH the
 * record is appended but its durability is unknown).
 */
int clfs_append(struct clfs_marshal *ma, const struct kvec *iov,
		unsigned int n_iov, u64 undo_next, u64 previous, u32 type,
		u32 flags, u64 *lsn)
{
	static const struct kvec empty;
	u32 len;
	int ret;

	might_sleep();
	if (!ma || !lsn || (flags & ~CLFS_FLAG_ALL) ||
	    (type != CLFS_RECORD_DATA && type != CLFS_RECORD_RESTART))
		return -EINVAL;
	ret = clfs_append_check(ma, iov, n_iov, &len);
	if (ret)
		return ret;
	return clfs_append_rsv(ma, n_iov ? iov : &empty, n_iov, undo_next,
			       previous, type, flags, 0, NULL, lsn, NULL);
}
EXPORT_SYMBOL_GPL(clfs_append);

/* Copy records [@from, @to) of a batch to where clfs_place() put them. */
static void clfs_batch_copy(const struct clfs_append_rec *recs, void **dst,
			    unsigned int from, unsigned int to)
{
	for (; from < to; from++)
		if (recs[from].len)
			memcpy(dst[from], recs[from].data, recs[from].len);
}

/**
 * clfs_append_batch() - append many records in one call
 * @ma: a marshalling area of the log
 * @recs: the records, in order: each one's bytes, length, type, undo-next
 *	and previous LSN; each one's @lsn receives its LSN
 *	(CLFS_LSN_INVALID if it was not appended)
 * @n: entries in @recs, 1..CLFS_MAX_BATCH
 * @flags: 0 or any of CLFS_FLAG_FORCE_APPEND and CLFS_FLAG_FORCE_FLUSH,
 *	for the last record appended (and so for all of them)
 * @done: receives the number of records appended: always the first ones
 *
 * The records get strictly increasing LSNs, in order, under one hold of
 * the log's write position: no other caller's record comes between two
 * of them.  If a record cannot be appended (the log is full, the device
 * failed, a fatal signal arrived), the records before it stay appended,
 * and the call returns 0 with *@done < @n; a call for the rest says why.  Records cannot
 * use reservations here (clfs_reserve_and_append() does).
 *
 * Context: process context; sleeps.
 * Return: 0 with *@done >= 1; -EINVAL (bad argument, flags, type or
 * @n); -EMSGSIZE (a record larger than a write buffer carries: nothing
 * appended); -ENOMEM (nothing appended); -ENOSPC or -EIO (the first
 * record could not be appended);
 * with FORCE_FLUSH, -EIO or -ENOENT as clfs_append() (*@done records were
 * appended, their durability is unknown or a truncation removed them).
 */
int clfs_append_batch(struct clfs_marshal *ma, struct clfs_append_rec *recs,
		      unsigned int n, u32 flags, unsigned int *done)
{
	return clfs_append_batch_async(ma, recs, n, flags, done, NULL);
}
EXPORT_SYMBOL_GPL(clfs_append_batch);

/**
 * clfs_append_batch_async() - clfs_append_batch(), the flush completing
 *	through @req
 * @ma: as clfs_append_batch()
 * @recs: as clfs_append_batch(); each @lsn set before the call returns
 * @n: as clfs_append_batch()
 * @flags: as clfs_append_batch()
 * @done: as clfs_append_batch(); set before the call returns
 * @req: with CLFS_FLAG_FORCE_FLUSH, the wait for the durability of the
 *	last record appended (struct clfs_flush_req, @req->done set); NULL:
 *	the call sleeps until then, as clfs_append_batch()
 *
 * Context: process context; sleeps for a free buffer, with @req never
 * for the flush.
 * Return: as clfs_append_batch(); with @req and FORCE_FLUSH, -EIOCBQUEUED
 * once *@done >= 1 records are appended: @req->done will be called with
 * 0, -ENOENT or -EIO.  Any other return leaves @req unused.
 */
int clfs_append_batch_async(struct clfs_marshal *ma,
			    struct clfs_append_rec *recs, unsigned int n,
			    u32 flags, unsigned int *done,
			    struct clfs_flush_req *req)
{
	struct clfs_flush_req sfl = { .done = NULL }, *fl = req ?: &sfl;
	struct clfs_buf *held = NULL, *sealed = NULL;
	unsigned int i = 0, first = 0;
	void *few[16], **dst;
	struct clfs_plan pl;
	struct clfs_log *log;
	u64 rec = 0;
	int ret = 0;

	might_sleep();
	if (!ma || !recs || !done || !n || n > CLFS_MAX_BATCH ||
	    (flags & ~(CLFS_FLAG_FORCE_APPEND | CLFS_FLAG_FORCE_FLUSH)) ||
	    !clfs_req_prepare(req, flags))
		return -EINVAL;
	*done = 0;
	for (i = 0; i < n; i++) {
		if ((recs[i].type != CLFS_RECORD_DATA &&
		     recs[i].type != CLFS_RECORD_RESTART) ||
		    (recs[i].len && !recs[i].data))
			return -EINVAL;
		if (recs[i].len > clfs_record_max(ma->buffer_size))
			return -EMSGSIZE;
		recs[i].lsn = CLFS_LSN_INVALID;
	}
	dst = n <= ARRAY_SIZE(few) ? few :
	      kmalloc_array(n, sizeof(*dst), CLFS_GFP);
	if (!dst)
		return -ENOMEM;
	log = ma->log;
	mutex_lock(&log->io_mutex);
	for (i = 0; i < n; i++) {
		ret = READ_ONCE(log->error) ? -EIO : 0;
		/* io_mutex may be held long: a fatal signal ends the batch. */
		if (!ret && i && fatal_signal_pending(current))
			ret = -EINTR;
		if (!ret && log->n_conts < CLFS_MIN_CONTAINERS_TO_WRITE)
			ret = -ENOSPC;
		if (!ret)
			ret = clfs_plan(ma, clfs_record_space(recs[i].len), &pl);
		if (!ret && clfs_space_safe(log, pl.after, clfs_space_block(log)) <
		    log->rsv_bytes)
			ret = -ENOSPC;
		if (ret)
			break;
		/*
		 * The records placed in the open buffer go in before it is
		 * sealed: the buffer to open next may wait for its write.
		 */
		if (!pl.in_cur && held) {
			clfs_batch_copy(recs, dst, first, i);
			clfs_buf_put(held);
			held = NULL;
			first = i;
		}
		if (!pl.in_cur && sealed) {
			clfs_buf_put(sealed);
			sealed = NULL;
		}
		ret = clfs_place(ma, &pl, recs[i].len, recs[i].undo_next,
				 recs[i].previous, recs[i].type, &rec, &dst[i],
				 &sealed, NULL);
		if (ret)
			break;
		clfs_count(ma, rec, recs[i].len);
		if (!held)
			held = clfs_buf_hold(log);
		recs[i].lsn = rec;
	}
	*done = i;
	if (i)
		clfs_append_flags(log, fl, rec, flags);
	mutex_unlock(&log->io_mutex);
	if (sealed)
		clfs_buf_put(sealed);
	if (held) {
		clfs_batch_copy(recs, dst, first, i);
		clfs_buf_put(held);
	}
	if (dst != few)
		kfree(dst);
	if (!i)
		return ret;
	if (!(flags & CLFS_FLAG_FORCE_FLUSH))
		return 0;
	return clfs_flush_finish(log, fl);
}
EXPORT_SYMBOL_GPL(clfs_append_batch_async);

/**
 * clfs_reserve_and_append() - append a record and change reservations
 * @ma: a marshalling area of the log
 * @iov: the record's bytes; with @n_iov 0 no record is appended (reserve
 *	or release only)
 * @n_iov: entries in @iov, at most UIO_MAXIOV
 * @undo_next: the record's undo-next LSN (CLFS_LSN_INVALID for none)
 * @previous: the record's previous LSN (CLFS_LSN_INVALID for none)
 * @n_rsv: entries in @rsv, at most CLFS_MAX_RESERVATIONS
 * @rsv: in: one record size per entry, positive to reserve room for such
 *	a record, negative to release a reservation made for one; out, once
 *	they took effect: each size rounded to what the reservation holds
 *	(same sign)
 * @flags: as clfs_append(); USE_RESERVATION needs a record
 * @lsn: receives the record's LSN (CLFS_LSN_INVALID without a record);
 *	left as it was when the call fails before appending; may be NULL
 *	without a record
 *
 * All or nothing: the releases, the record and the new reservations take
 * effect together, or none of them does.  A record appended with
 * USE_RESERVATION consumes a reservation that existed before the call.
 * With FORCE_FLUSH the record's flush follows its append: if the flush
 * fails (-EIO, -ENOENT), *@lsn is set all the same: the record and the
 * reservation changes had taken effect, and @rsv holds the rounded sizes.
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (bad argument or flags, a size of 0); -EMSGSIZE (a
 * record or reservation larger than a write buffer carries); -ENOSPC (no
 * room for the record and the reservations); -ENOENT (a release, or
 * USE_RESERVATION, found no such reservation; or, with FORCE_FLUSH, a
 * truncation removed the record after its append); -EIO; -ENOMEM.
 */
int clfs_reserve_and_append(struct clfs_marshal *ma, const struct kvec *iov,
			    unsigned int n_iov, u64 undo_next, u64 previous,
			    unsigned int n_rsv, s64 *rsv, u32 flags, u64 *lsn)
{
	return clfs_reserve_and_append_async(ma, iov, n_iov, undo_next,
					     previous, n_rsv, rsv, flags, lsn,
					     NULL);
}
EXPORT_SYMBOL_GPL(clfs_reserve_and_append);

/*
 * The arguments of a reserve-and-append, with a record (@rec) or not;
 * prepares @req.
 */
static bool clfs_rsv_args_ok(struct clfs_marshal *ma, bool rec,
			     unsigned int n_rsv, const s64 *rsv, u32 flags,
			     const u64 *lsn, struct clfs_flush_req *req)
{
	return ma && (!n_rsv || rsv) && n_rsv <= CLFS_MAX_RESERVATIONS &&
	       !(flags & ~CLFS_FLAG_ALL) && (rec || (!flags && n_rsv)) &&
	       (!rec || lsn) && clfs_req_prepare(req, flags);
}

/*
 * A checked reserve-and-append of the @len bytes at @from (NULL: no
 * record): rounds the reservations, appends, and hands the rounded sizes
 * back once they took effect.
 */
static int clfs_rsv_append(struct clfs_marshal *ma, struct iov_iter *from,
			   u32 len, u64 undo_next, u64 previous,
			   unsigned int n_rsv, s64 *rsv, u32 flags, u64 *lsn,
			   struct clfs_flush_req *req)
{
	u64 rec = CLFS_LSN_INVALID;
	s64 *rounded = NULL;
	bool took;
	int ret;

	if (n_rsv) {
		rounded = kmalloc_array(n_rsv, sizeof(*rounded),
					CLFS_GFP);
		if (!rounded)
			return -ENOMEM;
		ret = clfs_rsv_round(ma, n_rsv, rsv, rounded);
		if (ret)
			goto out_free;
	}
	ret = clfs_append_core(ma, from, len, undo_next, previous,
			       CLFS_RECORD_DATA, flags, n_rsv, rounded, &rec,
			       req);
	/*
	 * The reservations changed with the record: also when its flush
	 * then failed (-EIO) or a truncation removed it again (-ENOENT).
	 */
	took = !ret || ret == -EIOCBQUEUED || rec != CLFS_LSN_INVALID;
	if (took)
		memcpy(rsv, rounded, n_rsv * sizeof(*rsv));
	if (took && lsn)
		*lsn = rec;
out_free:
	kfree(rounded);
	return ret;
}

/**
 * clfs_reserve_and_append_iter() - clfs_reserve_and_append_async() for a
 *	record given as an iov_iter
 * @ma: as clfs_reserve_and_append()
 * @from: the record's bytes, all of them, in user or kernel memory
 *	(ITER_SOURCE); NULL for no record.  Advanced past the record once
 *	it is appended.
 * @undo_next: as clfs_reserve_and_append()
 * @previous: as clfs_reserve_and_append()
 * @n_rsv: as clfs_reserve_and_append()
 * @rsv: as clfs_reserve_and_append(); set before the call returns
 * @flags: as clfs_reserve_and_append()
 * @lsn: as clfs_reserve_and_append(); set before the call returns
 * @req: as clfs_reserve_and_append_async()
 *
 * How the ioctl layer appends a user's record with reservation changes:
 * copied once, from the caller's pages into the block.
 *
 * Context: process context; sleeps.
 * Return: as clfs_reserve_and_append_async(); also -EFAULT (user memory
 * that cannot be read: nothing changed).
 */
int clfs_reserve_and_append_iter(struct clfs_marshal *ma,
				 struct iov_iter *from, u64 undo_next,
				 u64 previous, unsigned int n_rsv, s64 *rsv,
				 u32 flags, u64 *lsn,
				 struct clfs_flush_req *req)
{
	size_t len = from ? iov_iter_count(from) : 0;

	might_sleep();
	if (!clfs_rsv_args_ok(ma, from, n_rsv, rsv, flags, lsn, req) ||
	    (from && iov_iter_rw(from) != WRITE))
		return -EINVAL;
	if (len > clfs_record_max(ma->buffer_size))
		return -EMSGSIZE;
	return clfs_rsv_append(ma, from, (u32)len, undo_next, previous, n_rsv,
			       rsv, flags, lsn, req);
}
EXPORT_SYMBOL_GPL(clfs_reserve_and_append_iter);

/**
 * clfs_reserve_and_append_async() - clfs_reserve_and_append(), the flush
 *	completing through @req
 * @ma: as clfs_reserve_and_append()
 * @iov: as clfs_reserve_and_append()
 * @n_iov: as clfs_reserve_and_append()
 * @undo_next: as clfs_reserve_and_append()
 * @previous: as clfs_reserve_and_append()
 * @n_rsv: as clfs_reserve_and_append()
 * @rsv: as clfs_reserve_and_append(); set before the call returns
 * @flags: as clfs_reserve_and_append()
 * @lsn: as clfs_reserve_and_append(); set before the call returns
 * @req: with CLFS_FLAG_FORCE_FLUSH, the wait for the record's durability
 *	(struct clfs_flush_req, @req->done set); NULL: the call sleeps until
 *	then
 *
 * Context: process context; sleeps for a free buffer, with @req never
 * for the flush.
 * Return: as clfs_reserve_and_append(); with @req and FORCE_FLUSH,
 * -EIOCBQUEUED once the record is appended and the reservations changed:
 * @req->done will be called with 0, -ENOENT or -EIO.  Any other return
 * leaves @req unused.
 */
int clfs_reserve_and_append_async(struct clfs_marshal *ma,
				  const struct kvec *iov, unsigned int n_iov,
				  u64 undo_next, u64 previous,
				  unsigned int n_rsv, s64 *rsv, u32 flags,
				  u64 *lsn, struct clfs_flush_req *req)
{
	struct iov_iter it;
	u32 len;
	int ret;

	might_sleep();
	if (!clfs_rsv_args_ok(ma, n_iov, n_rsv, rsv, flags, lsn, req))
		return -EINVAL;
	ret = clfs_append_check(ma, iov, n_iov, &len);
	if (ret)
		return ret;
	if (n_iov)
		iov_iter_kvec(&it, ITER_SOURCE, iov, n_iov, len);
	return clfs_rsv_append(ma, n_iov ? &it : NULL, len, undo_next,
			       previous, n_rsv, rsv, flags, lsn, req);
}
EXPORT_SYMBOL_GPL(clfs_reserve_and_append_async);

/**
 * clfs_align_reserved() - the space a set of reservations takes
 * @ma: a marshalling area of the log
 * @n: records in the set, 1..CLFS_MAX_RESERVATIONS
 * @sizes: each record's data bytes
 * @aligned: if not NULL, receives each record's rounded size
 * @total: receives the sum of the rounded sizes
 *
 * Context: process context.
 * Return: 0; -EINVAL; -EMSGSIZE (a record larger than a write buffer
 * carries).
 */
int clfs_align_reserved(struct clfs_marshal *ma, unsigned int n,
			const u32 *sizes, u32 *aligned, u64 *total)
{
	u32 max;
	unsigned int i;
	u64 sum = 0;

	might_sleep();
	if (!ma || !n || n > CLFS_MAX_RESERVATIONS || !sizes || !total)
		return -EINVAL;
	max = clfs_record_max(ma->buffer_size);
	for (i = 0; i < n; i++)
		if (sizes[i] > max)
			return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		u32 r = clfs_rsv_size(ma->log, sizes[i]);

		if (aligned)
			aligned[i] = r;
		sum += r;
	}
	*total = sum;
	return 0;
}
EXPORT_SYMBOL_GPL(clfs_align_reserved);

/* Reserve (@sign 1) or release (@sign -1) the set of @sizes. */
static int clfs_rsv_set(struct clfs_marshal *ma, unsigned int n,
			const u32 *sizes, u64 bytes, int sign)
{
	s64 *rounded;
	unsigned int i;
	u64 total;
	int ret;

	ret = clfs_align_reserved(ma, n, sizes, NULL, &total);
	if (ret)
		return ret;
	if (bytes != total)
		return -EINVAL;
	rounded = kmalloc_array(n, sizeof(*rounded), CLFS_GFP);
	if (!rounded)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		rounded[i] = sign * (s64)clfs_rsv_size(ma->log, sizes[i]);
	ret = clfs_append_rsv(ma, NULL, 0, CLFS_LSN_INVALID, CLFS_LSN_INVALID,
			      CLFS_RECORD_DATA, 0, n, rounded, NULL, NULL);
	kfree(rounded);
	return ret;
}

/**
 * clfs_alloc_reserved() - reserve room for a set of records
 * @ma: a marshalling area of the log
 * @n: records in the set, 1..CLFS_MAX_RESERVATIONS
 * @sizes: each record's data bytes, as given to clfs_align_reserved()
 * @bytes: the total clfs_align_reserved() returned for them
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (bad argument, or @bytes is not the aligned total);
 * -EMSGSIZE; -ENOSPC (not enough room: nothing reserved); -EIO; -ENOMEM.
 */
int clfs_alloc_reserved(struct clfs_marshal *ma, unsigned int n,
			const u32 *sizes, u64 bytes)
{
	might_sleep();

	return clfs_rsv_set(ma, n, sizes, bytes, 1);
}
EXPORT_SYMBOL_GPL(clfs_alloc_reserved);

/**
 * clfs_free_reserved() - release reservations made for a set of records
 * @ma: a marshalling area of the log
 * @n: records in the set, 1..CLFS_MAX_RESERVATIONS
 * @sizes: each record's data bytes, as reserved
 * @bytes: their aligned total (clfs_align_reserved())
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL; -EMSGSIZE; -ENOENT (a reservation of one of those
 * sizes is not held: nothing released); -EIO; -ENOMEM.
 */
int clfs_free_reserved(struct clfs_marshal *ma, unsigned int n,
		       const u32 *sizes, u64 bytes)
{
	might_sleep();

	return clfs_rsv_set(ma, n, sizes, bytes, -1);
}
EXPORT_SYMBOL_GPL(clfs_free_reserved);
