// SPDX-License-Identifier: GPL-2.0
/*
 * clfs container table: the equal-size regions that hold the log's blocks.
 *
 * The container table lives in the metadata (log->meta->containers[]);
 * log->conts[] mirrors it index for index with what only memory needs:
 * the opened device and a bitmap of block starts (one bit per I/O unit),
 * which recovery fills and the writer extends, so that a read by LSN is
 * accepted only at a position where a block of this log really starts.
 * This file looks containers up in log order (logical ids), keeps the
 * bitmaps, and writes and checks container headers.  Adding and removing
 * containers are operations (clfs_container.c).
 */
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "clfs_io.h"
#include "clfs_cont_table.h"
struct clfs_cont *clfs_cont_by_logical(struct clfs_log *log, u32 logical)
{
	u32 i;

	for (i = 0; i < log->n_conts; i++)
		if (log->conts[i]->logical_id == logical)
			return log->conts[i];
	return NULL;
}

/* The container after @logical in log order, or NULL. */
struct clfs_cont *clfs_cont_next(struct clfs_log *log, u32 logical)
{
	struct clfs_cont *best = NULL;
	u32 i;

	for (i = 0; i < log->n_conts; i++) {
		struct clfs_cont *c = log->conts[i];

		if (c->logical_id > logical &&
		    (!best || c->logical_id < best->logical_id))
			best = c;
	}
	return best;
}

/* The first container in log order, or NULL. */
struct clfs_cont *clfs_cont_first(struct clfs_log *log)
{
	struct clfs_cont *best = NULL;
	u32 i;

	for (i = 0; i < log->n_conts; i++)
		if (!best || log->conts[i]->logical_id < best->logical_id)
			best = log->conts[i];
	return best;
}

/* Bits of a container's block-start bitmap: one per I/O unit. */
u32 clfs_cont_bits(struct clfs_log *log)
{
	return (u32)(log->meta->container_size / log->io_unit);
}

bool clfs_block_start(struct clfs_log *log, struct clfs_cont *c, u32 off)
{
	return off < log->meta->container_size &&
	       IS_ALIGNED(off, log->io_unit) &&
	       test_bit(off / log->io_unit, c->starts);
}

void clfs_block_mark(struct clfs_log *log, struct clfs_cont *c, u32 off)
{
	set_bit(off / log->io_unit, c->starts);
}

/**
 * clfs_cont_alloc() - a container's in-memory half, not yet in the table
 * @log: the log
 * @ci: the container's table entry
 * @dev: its opened device
 *
 * Context: process context; sleeps.
 * Return: the container, or NULL (out of memory).
 */
struct clfs_cont *clfs_cont_alloc(struct clfs_log *log,
				  const struct clfs_container_info *ci,
				  struct clfs_dev *dev)
{
	struct clfs_cont *c = kzalloc(sizeof(*c), CLFS_GFP);

	if (!c)
		return NULL;
	c->starts = kvcalloc(BITS_TO_LONGS(clfs_cont_bits(log)),
			     sizeof(unsigned long), CLFS_GFP);
	if (!c->starts) {
		kfree(c);
		return NULL;
	}
	c->physical_id = ci->physical_id;
	c->logical_id = ci->logical_id;
	c->dev_offset = ci->dev_offset;
	c->dev = dev;
	return c;
}

/**
 * clfs_cont_free() - free a container from clfs_cont_alloc()
 * @c: the container, no longer in log->conts[]
 */
void clfs_cont_free(struct clfs_cont *c)
{
	kvfree(c->starts);
	kfree(c);
}

/**
 * clfs_cont_attach() - make log->conts[@index] for meta entry @index
 * @log: the log
 * @index: entry of log->meta->containers (also the new log->conts slot)
 * @dev: the entry's device
 *
 * Return: 0 or -ENOMEM.
 */
int clfs_cont_attach(struct clfs_log *log, u32 index, struct clfs_dev *dev)
{
	struct clfs_cont *c;

	c = clfs_cont_alloc(log, &log->meta->containers[index], dev);
	if (!c)
		return -ENOMEM;
	log->conts[index] = c;
	return 0;
}

void clfs_cont_free_all(struct clfs_log *log)
{
	u32 i;

	for (i = 0; i < log->n_conts; i++)
		clfs_cont_free(log->conts[i]);
	log->n_conts = 0;
}

/**
 * clfs_cont_write_header() - write a container's header
 * @log: the log
 * @ci: the container's table entry
 * @dev: its device
 * @extra: extra request flags (REQ_FUA for a durable write)
 *
 * Context: process context; sleeps.
 * Return: 0, -EIO, -ENOMEM.
 */
int clfs_cont_write_header(struct clfs_log *log,
			   const struct clfs_container_info *ci,
			   struct clfs_dev *dev, blk_opf_t extra)
{
	struct clfs_cont_hdr_info h = {
		.physical_id = ci->physical_id,
		.io_unit = log->io_unit,
		.container_size = log->meta->container_size,
		.dev_offset = ci->dev_offset,
	};
	void *buf = __vmalloc(log->io_unit, CLFS_GFP | __GFP_ZERO);
	int ret;

	if (!buf)
		return -ENOMEM;
	memcpy(h.log_uuid, log->meta->uuid, 16);
	memcpy(h.dev_uuid, ci->dev_uuid, 16);
	clfs_cont_hdr_encode(&h, buf, log->seed);
	atomic64_inc(&log->stats.dev_writes);
	ret = clfs_io_sync(dev->cb.bdev, ci->dev_offset, buf, log->io_unit,
			   REQ_OP_WRITE | REQ_SYNC | extra);
	vfree(buf);
	return ret;
}

/**
 * clfs_cont_check_header() - read a container's header and match it
 * @log: the log
 * @ci: the container's table entry
 * @dev: the device it should be on
 *
 * Context: process context; sleeps.
 * Return: 0; -EUCLEAN if the header is not this container's (another log,
 * another container, an earlier format, or corrupt); -EIO; -ENOMEM.
 */
int clfs_cont_check_header(struct clfs_log *log,
			   const struct clfs_container_info *ci,
			   struct clfs_dev *dev)
{
	struct clfs_cont_hdr_info h;
	void *buf;
	int ret;

	if (ci->dev_offset > dev->bytes ||
	    dev->bytes - ci->dev_offset < log->meta->container_size)
		return -EUCLEAN;
	buf = __vmalloc(log->io_unit, CLFS_GFP);
	if (!buf)
		return -ENOMEM;
	ret = clfs_io_sync(dev->cb.bdev, ci->dev_offset, buf, log->io_unit,
			   REQ_OP_READ);
	if (!ret && (clfs_cont_hdr_decode(buf, log->io_unit, log->seed, &h) ||
		     memcmp(h.log_uuid, log->meta->uuid, 16) ||
		     memcmp(h.dev_uuid, ci->dev_uuid, 16) ||
		     h.physical_id != ci->physical_id ||
		     h.io_unit != log->io_unit ||
		     h.container_size != log->meta->container_size ||
		     h.dev_offset != ci->dev_offset))
		ret = -EUCLEAN;
	vfree(buf);
	return ret;
}
