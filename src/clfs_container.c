// SPDX-License-Identifier: GPL-2.0
/*
 * clfs containers: the equal-size regions that hold the log's blocks.
 *
 * The container table lives in the metadata (log->meta->containers[]);
 * log->conts[] mirrors it index for index with what only memory needs:
 * the opened device and a bitmap of block starts (one bit per I/O unit),
 * which recovery fills and the writer extends, so that a read by LSN is
 * accepted only at a position where a block of this log really starts.
 *
 * Logical ids are handed out in order (meta->next_logical) as containers
 * are added, so log order is logical-id order and LSNs only grow.  Adding
 * and removing follow the CLFS rules: equal sizes; a container that may
 * hold records (logical id at or below the last written block's) cannot
 * be removed.  Both run under log->lock, and take log->io_mutex to change
 * the array the writer walks.
 */
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "clfs_log.h"

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

static struct clfs_cont *clfs_cont_alloc(struct clfs_log *log,
					 const struct clfs_container_info *ci,
					 struct clfs_dev *dev)
{
	struct clfs_cont *c = kzalloc(sizeof(*c), GFP_KERNEL);

	if (!c)
		return NULL;
	c->starts = kvcalloc(BITS_TO_LONGS(clfs_cont_bits(log)),
			     sizeof(unsigned long), GFP_KERNEL);
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

static void clfs_cont_free(struct clfs_cont *c)
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
	void *buf = vzalloc(log->io_unit);
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
	buf = vmalloc(log->io_unit);
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

/* First free aligned offset on @dev after its containers (log->lock). */
static u64 clfs_cont_free_offset(struct clfs_log *log, struct clfs_dev *dev,
				 const struct clfs_meta_info *mi)
{
	u64 off = dev == log->base ? CLFS_CONTAINERS_START : 0;
	u32 i;

	for (i = 0; i < mi->n_containers; i++) {
		const struct clfs_container_info *ci = &mi->containers[i];

		if (clfs_dev_find_uuid(log, ci->dev_uuid) == dev)
			off = max(off, ci->dev_offset + mi->container_size);
	}
	return round_up(off, log->io_unit);
}

static int clfs_cont_add_one(struct clfs_log *log,
			     const struct clfs_container_spec *spec,
			     struct clfs_dev **devp)
{
	struct clfs_meta_info *mi = log->scratch;
	struct clfs_container_info *ci;
	struct clfs_dev *dev = log->base;
	u64 off, end;
	bool opened = false;
	u32 i, phys = 0;
	int ret;

	if (spec->path || spec->devt) {
		struct clfs_devref ref = { .path = spec->path,
					   .devt = spec->devt };

		dev = clfs_dev_get(log, &ref, &opened);
		if (IS_ERR(dev)) {
			clfs_log_err(log, "cannot open container device %s%s(%ld)",
				     spec->path ?: "", spec->path ? " " : "",
				     PTR_ERR(dev));
			return PTR_ERR(dev);
		}
	}
	*devp = dev;
	if (dev->lbs > log->io_unit) {
		clfs_log_err(log, "device %pg: logical block size %u above the log's I/O unit %u",
			     dev->cb.bdev, dev->lbs, log->io_unit);
		return -EINVAL;
	}
	if (opened)
		get_random_bytes(dev->uuid, sizeof(dev->uuid));
	if (mi->n_containers >= CLFS_MAX_CONTAINERS) {
		clfs_log_err(log, "already %u containers", CLFS_MAX_CONTAINERS);
		return -ENOSPC;
	}
	off = spec->dev_offset;
	if (off == CLFS_OFFSET_ANY)
		off = clfs_cont_free_offset(log, dev, mi);
	if (!IS_ALIGNED(off, log->io_unit) ||
	    (dev == log->base && off < CLFS_CONTAINERS_START)) {
		clfs_log_err(log, "container offset %llu on %pg is misaligned or inside the metadata area",
			     off, dev->cb.bdev);
		return -EINVAL;
	}
	if (check_add_overflow(off, mi->container_size, &end) ||
	    end > dev->bytes) {
		clfs_log_err(log, "device %pg too small for a container at %llu (%llu bytes)",
			     dev->cb.bdev, off, dev->bytes);
		return -ENOSPC;
	}
	if (mi->next_logical >= (u32)(CLFS_LSN_INVALID >> 32)) {
		clfs_log_err(log, "logical container ids exhausted");
		return -ENOSPC;
	}
	for (i = 0; i < mi->n_containers; i++)
		phys = max(phys, mi->containers[i].physical_id + 1);
	ci = &mi->containers[mi->n_containers];
	memset(ci, 0, sizeof(*ci));
	ci->physical_id = phys;
	ci->logical_id = mi->next_logical;
	ci->state = CLFS_CONT_ACTIVE;
	if (dev != log->base)
		memcpy(ci->dev_uuid, dev->uuid, 16);
	ci->dev_offset = off;
	mi->n_containers++;
	mi->next_logical++;
	/* Overlaps with existing containers are the format check's to find. */
	if (clfs_meta_check(mi)) {
		mi->n_containers--;
		mi->next_logical--;
		clfs_log_err(log, "container at %llu on %pg overlaps another",
			     off, dev->cb.bdev);
		return -EINVAL;
	}
	ret = clfs_cont_write_header(log, ci, dev, REQ_FUA);
	if (ret) {
		mi->n_containers--;
		mi->next_logical--;
		clfs_log_err(log, "cannot write container header on %pg (%d)",
			     dev->cb.bdev, ret);
	}
	return ret;
}

/**
 * clfs_container_add_set() - add containers to a log, all or none
 * @log: an open log
 * @specs: where each container goes
 * @n: number of containers, 1..CLFS_MAX_CONTAINERS
 * @physical_ids: if not NULL, receives the physical id of each
 *
 * Containers carved from the base device (@specs[i].path NULL and
 * @specs[i].devt 0) or taken
 * on other block devices, which are opened exclusively and kept open.
 * Each container's header is written first (FUA); one metadata update adds
 * them all, so a crash leaves either all of them in the log or none.
 *
 * Context: process context; sleeps.
 * Return: 0 on success, or a negative errno with the log unchanged:
 * -EINVAL (bad arguments, misaligned or overlapping offset, device block
 * size above the log's I/O unit), -ENOSPC (device too small, or the table
 * full), -EBUSY (device held by another owner), -ENOENT/-ENOTBLK (bad
 * path), -EIO (write failed), -ENOMEM.
 */
int clfs_container_add_set(struct clfs_log *log,
			   const struct clfs_container_spec *specs,
			   unsigned int n, u32 *physical_ids)
{
	struct clfs_cont **nc;
	struct clfs_dev *dev;
	u32 first, i;
	int ret = 0;

	if (!log || !specs || !n || n > CLFS_MAX_CONTAINERS)
		return -EINVAL;
	nc = kcalloc(n, sizeof(*nc), GFP_KERNEL);
	if (!nc)
		return -ENOMEM;
	mutex_lock(&log->lock);
	clfs_meta_prepare(log);
	first = log->scratch->n_containers;
	for (i = 0; i < n; i++) {
		ret = clfs_cont_add_one(log, &specs[i], &dev);
		if (ret)
			break;
		nc[i] = clfs_cont_alloc(log, &log->scratch->containers[first + i],
					dev);
		if (!nc[i]) {
			ret = -ENOMEM;
			break;
		}
	}
	if (!ret)
		ret = clfs_meta_commit(log);
	if (ret)
		goto out_free_conts;
	mutex_lock(&log->io_mutex);
	for (i = 0; i < n; i++)
		log->conts[log->n_conts++] = nc[i];
	mutex_unlock(&log->io_mutex);
	if (physical_ids)
		for (i = 0; i < n; i++)
			physical_ids[i] = nc[i]->physical_id;
	goto out_unlock;

out_free_conts:
	for (i = 0; i < n; i++)
		if (nc[i])
			clfs_cont_free(nc[i]);
	clfs_dev_put_unused(log);
out_unlock:
	mutex_unlock(&log->lock);
	kfree(nc);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_container_add_set);

/**
 * clfs_container_add() - add one container to a log
 * @log: an open log
 * @path: block device, or NULL for the log's base device
 * @dev_offset: byte offset on it, or CLFS_OFFSET_ANY
 * @physical_id: if not NULL, receives the new container's physical id
 *
 * Context: process context; sleeps.
 * Return: as clfs_container_add_set().
 */
int clfs_container_add(struct clfs_log *log, const char *path,
		       u64 dev_offset, u32 *physical_id)
{
	struct clfs_container_spec spec = { .path = path,
					     .dev_offset = dev_offset };

	return clfs_container_add_set(log, &spec, 1, physical_id);
}
EXPORT_SYMBOL_GPL(clfs_container_add);

/**
 * clfs_container_remove() - remove a container that holds no records
 * @log: an open log
 * @physical_id: the container
 *
 * Refused for a container at or before the last written block in log
 * order (it holds, or may hold, active records), and for one whose space
 * the marshalling area's reservations need.  The metadata update
 * drops it; its device is closed when no other container uses it.
 *
 * Context: process context; sleeps.
 * Return: 0; -ENOENT (no such container); -EBUSY (it holds active
 * records or reserved space); -EIO (metadata write failed; the container stays); -EINVAL.
 */
int clfs_container_remove(struct clfs_log *log, u32 physical_id)
{
	struct clfs_meta_info *mi;
	struct clfs_cont *c = NULL;
	u32 i, idx = 0;
	u64 last;
	int ret;

	if (!log)
		return -EINVAL;
	mutex_lock(&log->lock);
	for (i = 0; i < log->n_conts; i++) {
		if (log->conts[i]->physical_id == physical_id) {
			c = log->conts[i];
			idx = i;
		}
	}
	if (!c) {
		ret = -ENOENT;
		goto out_unlock;
	}
	/* The writer may not move into it while the update is written. */
	mutex_lock(&log->io_mutex);
	last = log->prev_lsn;
	if (log->ma && log->ma->cur)
		last = log->ma->cur->lsn;
	if (last != CLFS_LSN_INVALID &&
	    c->logical_id <= clfs_lsn_container(last)) {
		clfs_log_err(log, "container %u holds active records", physical_id);
		ret = -EBUSY;
		goto out_unlock_io;
	}
	if (log->ma && log->ma->rsv_bytes &&
	    clfs_space_safe(log, clfs_space_pos(log)) <
	    log->ma->rsv_bytes + log->meta->container_size -
	    CLFS_BLOCKS_START - log->ma->buffer_size) {
		clfs_log_err(log, "container %u holds space reserved for records",
			     physical_id);
		ret = -EBUSY;
		goto out_unlock_io;
	}
	clfs_meta_prepare(log);
	mi = log->scratch;
	memmove(&mi->containers[idx], &mi->containers[idx + 1],
		(mi->n_containers - idx - 1) * sizeof(mi->containers[0]));
	mi->n_containers--;
	ret = clfs_meta_commit(log);
	if (ret)
		goto out_unlock_io;
	memmove(&log->conts[idx], &log->conts[idx + 1],
		(log->n_conts - idx - 1) * sizeof(log->conts[0]));
	log->n_conts--;
	clfs_cont_free(c);
	clfs_dev_put_unused(log);
out_unlock_io:
	mutex_unlock(&log->io_mutex);
out_unlock:
	mutex_unlock(&log->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_container_remove);

/**
 * clfs_container_scan() - describe a log's containers (ClfsScanLogContainers)
 * @log: an open log
 * @start: index of the first container to describe, in table order
 * @n: entries at @out
 * @out: receives up to @n descriptions
 * @returned: receives the number written to @out
 * @total: receives the number of containers in the log
 *
 * A scan goes on with @start += *@returned until @start reaches *@total;
 * containers added or removed meanwhile may shift the table.
 *
 * Context: process context; sleeps (takes log->lock).
 * Return: 0; -EINVAL (@start beyond the last container, bad arguments).
 */
int clfs_container_scan(struct clfs_log *log, u32 start, u32 n,
			struct clfs_container_entry *out, u32 *returned,
			u32 *total)
{
	const struct clfs_meta_info *mi;
	u32 i;
	int ret = 0;

	if (!log || (n && !out) || !returned || !total)
		return -EINVAL;
	mutex_lock(&log->lock);
	mi = log->meta;
	*total = log->n_conts;
	*returned = 0;
	if (start > log->n_conts) {
		ret = -EINVAL;
		goto out_unlock;
	}
	for (i = 0; i < n && start + i < log->n_conts; i++) {
		const struct clfs_cont *c = log->conts[start + i];
		const struct clfs_container_info *ci = &mi->containers[start + i];
		struct clfs_container_entry *e = &out[i];
		dev_t devt = c->dev->cb.bdev->bd_dev;

		memset(e, 0, sizeof(*e));
		/* The committed table: logical ids change under io_mutex. */
		e->physical_id = ci->physical_id;
		e->logical_id = ci->logical_id;
		e->state = ci->state;
		e->dev_major = MAJOR(devt);
		e->dev_minor = MINOR(devt);
		e->offset = ci->dev_offset;
		e->bytes = mi->container_size;
		memcpy(e->dev_uuid, ci->dev_uuid, sizeof(e->dev_uuid));
	}
	*returned = i;
out_unlock:
	mutex_unlock(&log->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_container_scan);
