// SPDX-License-Identifier: GPL-2.0
/*
 * clfs marshalling areas (ClfsCreateMarshallingArea,
 * ClfsDeleteMarshallingArea): a client's write buffers and reservations.
 *
 * A log has any number of areas (up to CLFS_MAX_AREAS), on log->areas.
 * Each owns a ring of write buffers of one size (clfs_ring.c moves them
 * through their states) and the histogram of its reservations
 * (clfs_space.c).  All of them append at once into the log's one open
 * buffer (log->cur), whichever area opened it: so records of every area
 * share blocks, one LSN order and one group commit, and a flush through
 * any area makes durable every record up to its LSN.  When a record does
 * not fit, the appending area seals the open buffer and opens one of its
 * own.  What the areas share on the log: the sum of their reservations
 * (log->rsv_bytes), against which every append checks the space, and the
 * largest of their buffers (log->max_buffer), the most a container's end
 * can waste.
 *
 * Deleting an area flushes, seals the open buffer if it is the area's
 * (records of other areas in it go out with it), waits until none of its
 * buffers is open or in flight, and unlinks it under log->lock and
 * log->io_mutex, under which readers look for buffers.  The completion of
 * a buffer's write touches only the log once the buffer is retired
 * (clfs_ring.c), so nothing of the area is used after that.
 *
 * The first area of an open arms the log: opening a log writes nothing,
 * so before any block can be written this persists the open's sequence
 * floor (clfs_log.c says why) and drops a clean-close marker
 * (clfs_recover.c).
 */
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "clfs_meta.h"
#include "clfs_space.h"
#include "clfs_ring.h"
#include "clfs_marshal.h"

/* Persist the sequence floor of this open, once, before any block write. */
static int clfs_log_arm(struct clfs_log *log)
{
	int ret;

	lockdep_assert_held(&log->lock);
	if (log->armed)
		return 0;
	clfs_meta_prepare(log);
	/* From now on blocks are written: a clean-close marker goes. */
	clfs_meta_clear_clean(log->scratch);
	log->scratch->seq_floor = max(log->meta->seq_floor,
				      log->recovered_seq) +
				  2 * CLFS_MAX_IN_FLIGHT;
	ret = clfs_meta_commit(log);
	if (ret)
		return ret;
	mutex_lock(&log->io_mutex);
	log->floor = log->meta->seq_floor;
	log->next_seq = log->floor + 1;
	mutex_unlock(&log->io_mutex);
	log->armed = true;
	return 0;
}

static void clfs_ma_free(struct clfs_marshal *ma)
{
	u32 i;

	for (i = 0; ma->bufs && i < ma->n_bufs; i++)
		vfree(ma->bufs[i].data);
	kfree(ma->bufs);
	kvfree(ma->rsv);
	kfree(ma);
}

/* The largest buffer of the log's areas, 0 without one. */
static u32 clfs_max_buffer(struct clfs_log *log)
{
	struct clfs_marshal *ma;
	u32 max = 0;

	lockdep_assert_held(&log->lock);
	lockdep_assert_held(&log->io_mutex);
	list_for_each_entry(ma, &log->areas, node)
		max = max(max, ma->buffer_size);
	return max;
}

/*
 * Link @ma into its log: log->lock and log->io_mutex held, the caller
 * having checked CLFS_MAX_AREAS under the same log->lock.
 */
static int clfs_ma_link(struct clfs_marshal *ma)
{
	struct clfs_log *log = ma->log;

	lockdep_assert_held(&log->lock);
	lockdep_assert_held(&log->io_mutex);
	/*
	 * Larger buffers waste more at a container's end: the reservations
	 * of the other areas must still be safe (clfs_space.c).
	 */
	if (ma->buffer_size > clfs_space_block(log) &&
	    clfs_space_safe(log, clfs_space_pos(log), ma->buffer_size) <
	    log->rsv_bytes)
		return -ENOSPC;
	list_add_tail(&ma->node, &log->areas);
	log->n_areas++;
	log->max_buffer = clfs_max_buffer(log);
	return 0;
}

/**
 * clfs_stream_marshal_create() - create a marshalling area on a stream
 * @st: an open stream; the area's records are the stream's
 * @buffer_size: bytes per write buffer (the largest block this area
 *	writes): a multiple of the log's I/O unit, at least 4 KiB and at
 *	most the log's block size
 * @max_buffers: write buffers, 1..CLFS_MAX_IN_FLIGHT
 * @map: receives the area
 *
 * A log has up to CLFS_MAX_AREAS areas at a time, of any of its streams,
 * appending at once: each has its own buffers and reservations; records
 * of all of them share the log's LSN order, blocks and flushes.  The area
 * counts as a user of its stream until it is deleted.
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (bad sizes); -EMFILE (the log has CLFS_MAX_AREAS
 * areas); -ENOSPC (this area's larger buffers would leave too little
 * room for the reservations the log's areas hold); -EIO (the first area
 * of an open could not write the log's metadata); -ENOMEM.
 */
int clfs_stream_marshal_create(struct clfs_stream *st, u32 buffer_size,
			       u32 max_buffers, struct clfs_marshal **map)
{
	struct clfs_marshal *ma;
	struct clfs_log *log;
	int ret = -ENOMEM;
	u32 i;

	might_sleep();
	if (!st || !map)
		return -EINVAL;
	log = st->log;
	if (buffer_size < CLFS_BLOCK_SIZE_MIN ||
	    buffer_size > log->meta->block_size ||
	    !IS_ALIGNED(buffer_size, log->io_unit) ||
	    !max_buffers || max_buffers > CLFS_MAX_IN_FLIGHT)
		return -EINVAL;
	ma = kzalloc(sizeof(*ma), CLFS_GFP);
	if (!ma)
		return -ENOMEM;
	INIT_LIST_HEAD(&ma->node);
	ma->rsv_slots = buffer_size / log->io_unit + 1;
	ma->rsv = kvcalloc(ma->rsv_slots, sizeof(*ma->rsv), CLFS_GFP);
	ma->bufs = kcalloc(max_buffers, sizeof(*ma->bufs), CLFS_GFP);
	if (!ma->rsv || !ma->bufs)
		goto out_free_ma;
	ma->n_bufs = max_buffers;
	for (i = 0; i < max_buffers; i++) {
		ma->bufs[i].log = log;
		ma->bufs[i].ma = ma;
		INIT_LIST_HEAD(&ma->bufs[i].node);
		ma->bufs[i].data = __vmalloc(buffer_size,
					     CLFS_GFP | __GFP_ZERO);
		if (!ma->bufs[i].data)
			goto out_free_ma;
	}
	ma->log = log;
	ma->st = st;
	ma->buffer_size = buffer_size;

	mutex_lock(&log->lock);
	ret = log->n_areas >= CLFS_MAX_AREAS ? -EMFILE : clfs_log_arm(log);
	mutex_lock(&log->io_mutex);
	if (!ret)
		ret = clfs_ma_link(ma);
	mutex_unlock(&log->io_mutex);
	if (!ret)
		st->users++;
	mutex_unlock(&log->lock);
	if (ret)
		goto out_free_ma;
	*map = ma;
	return 0;

out_free_ma:
	clfs_ma_free(ma);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_stream_marshal_create);

/**
 * clfs_marshal_create() - create a marshalling area on a dedicated log
 * @log: an open dedicated log
 * @buffer_size: as clfs_stream_marshal_create()
 * @max_buffers: as clfs_stream_marshal_create()
 * @map: receives the area
 *
 * Context: process context; sleeps.
 * Return: as clfs_stream_marshal_create(); -EINVAL for a multiplexed log
 * (its streams have the areas).
 */
int clfs_marshal_create(struct clfs_log *log, u32 buffer_size,
			u32 max_buffers, struct clfs_marshal **map)
{
	return clfs_stream_marshal_create(clfs_log_stream(log), buffer_size,
					  max_buffers, map);
}
EXPORT_SYMBOL_GPL(clfs_marshal_create);

/**
 * clfs_marshal_delete() - flush and delete a marshalling area
 * @ma: the area
 *
 * Flushes every record appended so far (through any area: a flush is
 * log-wide), waits for all the area's writes, releases its reservations
 * and frees it (also when the flush fails).  Other areas of the log go on
 * appending meanwhile.  No other call may use @ma during or after this
 * one.
 *
 * Context: process context; sleeps.
 * Return: 0; -EIO (the final flush failed; the area is freed all the
 * same); -EINVAL.
 */
int clfs_marshal_delete(struct clfs_marshal *ma)
{
	struct clfs_log *log;
	struct clfs_buf *b;
	int ret;

	might_sleep();
	if (!ma)
		return -EINVAL;
	log = ma->log;
	ret = clfs_flush_buffers(ma);
	mutex_lock(&log->io_mutex);
	/*
	 * The open buffer may still be ours, with records other areas
	 * appended since: they go out with it.  Only after a device error
	 * is it dropped: its records are lost anyway.
	 */
	b = log->cur;
	if (b && b->ma == ma) {
		if (READ_ONCE(log->error))
			clfs_buf_drop(log);
		else
			clfs_seal(log, b, false);
	}
	mutex_unlock(&log->io_mutex);
	/* Only @ma opens its buffers: none opens again. */
	wait_event(log->io_wait, !clfs_area_busy(ma));
	mutex_lock(&log->lock);
	mutex_lock(&log->io_mutex);
	list_del(&ma->node);
	log->n_areas--;
	log->max_buffer = clfs_max_buffer(log);
	log->rsv_bytes -= ma->rsv_bytes;
	log->rsv_records -= ma->rsv_records;
	mutex_unlock(&log->io_mutex);
	ma->st->users--;
	mutex_unlock(&log->lock);
	clfs_ma_free(ma);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_marshal_delete);

/**
 * clfs_marshal_delete_all() - delete the areas a log's clients left
 * @log: the log, at its last close
 *
 * Context: process context; sleeps.
 * Return: 0, or the first error clfs_marshal_delete() returned.
 */
int clfs_marshal_delete_all(struct clfs_log *log)
{
	struct clfs_marshal *ma;
	int ret = 0, err;

	for (;;) {
		mutex_lock(&log->lock);
		ma = list_first_entry_or_null(&log->areas, struct clfs_marshal,
					      node);
		mutex_unlock(&log->lock);
		if (!ma)
			return ret;
		err = clfs_marshal_delete(ma);
		if (!ret)
			ret = err;
	}
}
