// SPDX-License-Identifier: GPL-2.0
/*
 * clfs marshalling areas (ClfsCreateMarshallingArea,
 * ClfsDeleteMarshallingArea): a client's handle on the log's write
 * buffers, with its reservations.
 *
 * An area owns a ring of write buffers of one size (clfs_ring.c moves them
 * through their states) and the histogram of its reservations
 * (clfs_space.c).  Creating one publishes it as log->ma; deleting it
 * flushes every record appended through it, waits for all its writes and
 * unpublishes it under every lock that readers of log->ma hold.
 *
 * The first area of an open arms the log: opening a log writes nothing,
 * so before any block can be written this persists the open's sequence
 * floor (clfs_log.c says why).
 */
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "clfs_meta.h"
#include "clfs_ring.h"

/* Persist the sequence floor of this open, once, before any block write. */
static int clfs_log_arm(struct clfs_log *log)
{
	int ret;

	lockdep_assert_held(&log->lock);
	if (log->armed)
		return 0;
	clfs_meta_prepare(log);
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
 * -EIO (the first area of an open could not write the log's metadata);
 * -ENOMEM.
 */
int clfs_marshal_create(struct clfs_log *log, u32 buffer_size,
			u32 max_buffers, struct clfs_marshal **map)
{
	struct clfs_marshal *ma;
	int ret = -ENOMEM;
	u32 i;

	might_sleep();
	if (!log || !map)
		return -EINVAL;
	if (buffer_size < CLFS_BLOCK_SIZE_MIN ||
	    buffer_size > log->meta->block_size ||
	    !IS_ALIGNED(buffer_size, log->io_unit) ||
	    !max_buffers || max_buffers > CLFS_MAX_IN_FLIGHT)
		return -EINVAL;
	ma = kzalloc(sizeof(*ma), CLFS_GFP);
	if (!ma)
		return -ENOMEM;
	ma->rsv_slots = buffer_size / log->io_unit + 1;
	ma->rsv = kvcalloc(ma->rsv_slots, sizeof(*ma->rsv), CLFS_GFP);
	ma->bufs = kcalloc(max_buffers, sizeof(*ma->bufs), CLFS_GFP);
	if (!ma->rsv || !ma->bufs)
		goto out_free_ma;
	ma->n_bufs = max_buffers;
	for (i = 0; i < max_buffers; i++) {
		ma->bufs[i].log = log;
		ma->bufs[i].data = __vmalloc(buffer_size,
					     CLFS_GFP | __GFP_ZERO);
		if (!ma->bufs[i].data)
			goto out_free_ma;
	}
	ma->log = log;
	ma->buffer_size = buffer_size;

	mutex_lock(&log->lock);
	ret = log->ma ? -EBUSY : clfs_log_arm(log);
	mutex_lock(&log->io_mutex);
	if (!ret) {
		spin_lock(&log->io_lock);
		log->ma = ma;
		spin_unlock(&log->io_lock);
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
 * @ma: the area
 *
 * Flushes every record appended through @ma, waits for all its writes,
 * releases its reservations and frees it (also when the flush fails).
 *
 * Context: process context; sleeps.
 * Return: 0; -EIO (the final flush failed; the area is freed all the
 * same); -EINVAL.
 */
int clfs_marshal_delete(struct clfs_marshal *ma)
{
	struct clfs_log *log;
	int ret;

	might_sleep();
	if (!ma)
		return -EINVAL;
	log = ma->log;
	/* Tail moves and truncations use log->ma: none may be running. */
	mutex_lock(&log->tail_mutex);
	ret = clfs_flush_buffers(ma);
	mutex_lock(&log->io_mutex);
	/* Only after a device error: the records are lost. */
	clfs_buf_drop(log);
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
	clfs_bios_wait(log);
	flush_work(&log->io_work);
	clfs_ma_free(ma);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_marshal_delete);
