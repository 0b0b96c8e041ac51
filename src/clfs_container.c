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
#include <linux/sort.h>
#include <linux/vmalloc.h>

#include "clfs_dev.h"
#include "clfs_meta.h"
#include "clfs_cont_table.h"
#include "clfs_space.h"

static int clfs_u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * clfs_cont_free_offset() - where CLFS_OFFSET_ANY puts a container on @dev
 * (log->lock held): the lowest aligned offset from which a container
 * reaches no other container of the log on @dev, so that the space of a
 * removed container is used again; past the last one if no gap is wide
 * enough (the caller then finds whether the device has room).  Sorting
 * the offsets keeps it O(n log n) in the table's size.
 *
 * Return: 0 and *@off; -ENOMEM.
 */
static int clfs_cont_free_offset(struct clfs_log *log, struct clfs_dev *dev,
				 const struct clfs_meta_info *mi, u64 *off)
{
	u64 pos = dev == log->base ? CLFS_CONTAINERS_START : 0;
	u64 size = mi->container_size;
	u32 i, n = 0;
	u64 *offs;

	offs = kvmalloc_array(max(mi->n_containers, 1U), sizeof(*offs),
			      CLFS_GFP);
	if (!offs)
		return -ENOMEM;
	for (i = 0; i < mi->n_containers; i++) {
		const struct clfs_container_info *ci = &mi->containers[i];

		if (clfs_dev_find_uuid(log, ci->dev_uuid) == dev)
			offs[n++] = ci->dev_offset;
	}
	sort(offs, n, sizeof(*offs), clfs_u64_cmp, NULL);
	pos = round_up(pos, log->io_unit);
	for (i = 0; i < n; i++) {
		/* Table offsets passed clfs_meta_check(): no overflow here. */
		if (pos + size <= offs[i])
			break;
		pos = max(pos, round_up(offs[i] + size, log->io_unit));
	}
	kvfree(offs);
	*off = pos;
	return 0;
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
		if (IS_ERR(dev))
			return PTR_ERR(dev);
	}
	*devp = dev;
	if (dev->lbs > log->io_unit)
		return -EINVAL;
	if (opened)
		get_random_bytes(dev->uuid, sizeof(dev->uuid));
	if (mi->n_containers >= CLFS_MAX_CONTAINERS)
		return -ENOSPC;
	off = spec->dev_offset;
	if (off == CLFS_OFFSET_ANY) {
		ret = clfs_cont_free_offset(log, dev, mi, &off);
		if (ret)
			return ret;
	}
	if (!IS_ALIGNED(off, log->io_unit) ||
	    (dev == log->base && off < CLFS_CONTAINERS_START))
		return -EINVAL;
	if (check_add_overflow(off, mi->container_size, &end) ||
	    end > dev->bytes)
		return -ENOSPC;
	if (mi->next_logical >= (u32)(CLFS_LSN_INVALID >> 32))
		return -ENOSPC;
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

	might_sleep();
	if (!log || !specs || !n || n > CLFS_MAX_CONTAINERS)
		return -EINVAL;
	nc = kcalloc(n, sizeof(*nc), CLFS_GFP);
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

	might_sleep();
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
 * the marshalling area's reservations need, or that would leave fewer
 * than CLFS_MIN_CONTAINERS_TO_WRITE containers while any is held.  The metadata update
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

	might_sleep();
	if (!log)
		return -EINVAL;
	/* Wait for the block reads in flight: none may use it once freed. */
	down_write(&log->cont_rwsem);
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
	if (log->cur)
		last = log->cur->lsn;
	if (last != CLFS_LSN_INVALID &&
	    c->logical_id <= clfs_lsn_container(last)) {
		ret = -EBUSY;
		goto out_unlock_io;
	}
	/*
	 * Reservations promise room: the log keeps the containers it needs
	 * to write, and the space the reserved records take.
	 */
	if (log->rsv_bytes && log->n_conts <= CLFS_MIN_CONTAINERS_TO_WRITE) {
		ret = -EBUSY;
		goto out_unlock_io;
	}
	if (log->rsv_bytes &&
	    clfs_space_safe(log, clfs_space_pos(log), clfs_space_block(log)) <
	    log->rsv_bytes + log->meta->container_size -
	    CLFS_BLOCKS_START - clfs_space_block(log)) {
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
	up_write(&log->cont_rwsem);
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

	might_sleep();
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
