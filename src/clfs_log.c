// SPDX-License-Identifier: GPL-2.0
/*
 * clfs logs: create, open, close and query (ClfsCreateLogFile,
 * ClfsCloseLogFileObject, ClfsQueryLogFileInformation).
 *
 * Create lays a new log on a base device: a fresh UUID (which seeds every
 * checksum of the log), the containers carved from the device (headers
 * written first), then metadata copy A (generation 1) and copy B
 * (generation 2), each PREFLUSH | FUA.
 *
 * Open reads and validates the metadata, binds the containers on other
 * devices (given by the caller) by their headers, checks every container
 * header against the table, and recovers (clfs_recover.c).  It writes
 * nothing: before the first block is written, the first marshalling area
 * persists a new sequence floor (clfs_marshal.c),
 *   max(old floor, last recovered seq) + 2 * CLFS_MAX_IN_FLIGHT,
 * so that no block left over from before a crash can ever continue the
 * chain of blocks written from now on.  So a log only read never changes.
 *
 * Opens are shared (clfs_registry.c): opening a log that is open already
 * returns the same log, counted as one more opener; devices are claimed
 * once, by the first.  Close drops one opener; the last one flushes and
 * deletes the marshalling areas left, writes the clean-close marker if
 * this open wrote the log (clfs_recover.c; the next open then reads only
 * the metadata), then releases everything; nothing is written after
 * that.
 */
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "clfs_dev.h"
#include "clfs_meta.h"
#include "clfs_cont_table.h"
#include "clfs_trim.h"
#include "clfs_scan.h"
#include "clfs_space.h"
#include "clfs_ring.h"
#include "clfs_marshal.h"
#include "clfs_tail.h"
#include "clfs_stream.h"
#include "clfs_recover.h"
#include "clfs_registry.h"

static void clfs_log_free(struct clfs_log *log)
{
	/*
	 * The log is closed only without flushers, so no forced batch
	 * waits and neither the hold timer nor seal_work seals anything;
	 * still, both go before the bios they could submit are waited for.
	 */
	WARN_ON_ONCE(log->force_pending);
	/* Asynchronous flushers pin their area, so they ended before. */
	WARN_ON_ONCE(!list_empty(&log->flushers));
	hrtimer_cancel(&log->hold_timer);
	if (log->seal_wq)
		flush_workqueue(log->seal_wq);
	/* No completion may still look at the log. */
	clfs_bios_wait(log);
	clfs_trim_free_all(log);
	clfs_scan_free(log);
	clfs_streams_free(log);
	clfs_cont_free_all(log);
	clfs_dev_put_all(log);
	if (log->wq)
		destroy_workqueue(log->wq);
	if (log->seal_wq)
		destroy_workqueue(log->seal_wq);
	/* Last: completions and io_work queue asynchronous flushers' work. */
	if (log->flush_wq)
		destroy_workqueue(log->flush_wq);
	kfree(log->conts);
	vfree(log->meta_buf);
	kvfree(log->scratch);
	kvfree(log->meta);
	kfree(log);
}

static struct clfs_log *clfs_log_alloc(void)
{
	struct clfs_log *log = kzalloc(sizeof(*log), CLFS_GFP);

	if (!log)
		return NULL;
	mutex_init(&log->tail_mutex);
	mutex_init(&log->scan.mutex);
	init_rwsem(&log->cont_rwsem);
	mutex_init(&log->lock);
	mutex_init(&log->io_mutex);
	mutex_init(&log->flush_mutex);
	spin_lock_init(&log->io_lock);
	init_waitqueue_head(&log->io_wait);
	init_waitqueue_head(&log->flush_wait);
	INIT_LIST_HEAD(&log->flushers);
	INIT_WORK(&log->io_work, clfs_io_work);
	INIT_WORK(&log->seal_work, clfs_seal_work);
	hrtimer_init(&log->hold_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	log->hold_timer.function = clfs_hold_fire;
	INIT_LIST_HEAD(&log->devs);
	INIT_LIST_HEAD(&log->areas);
	INIT_LIST_HEAD(&log->streams);
	INIT_LIST_HEAD(&log->inflight);
	log->trims = RB_ROOT;
	log->first_lsn = CLFS_LSN_INVALID;
	log->last_lsn = CLFS_LSN_INVALID;
	log->prev_lsn = CLFS_LSN_INVALID;
	log->prev_last = CLFS_LSN_INVALID;
	log->fua_last = CLFS_LSN_INVALID;
	log->meta = kvzalloc(sizeof(*log->meta), CLFS_GFP);
	log->scratch = kvzalloc(sizeof(*log->scratch), CLFS_GFP);
	log->meta_buf = __vmalloc(CLFS_META_COPY_SIZE,
				  CLFS_GFP | __GFP_ZERO);
	log->conts = kcalloc(CLFS_MAX_CONTAINERS, sizeof(*log->conts),
			     CLFS_GFP);
	log->wq = alloc_workqueue("clfs_io", WQ_MEM_RECLAIM | WQ_HIGHPRI, 1);
	/* Its own: seal_work sleeps on io_mutex, io_work must not wait. */
	log->seal_wq = alloc_workqueue("clfs_seal",
				       WQ_MEM_RECLAIM | WQ_HIGHPRI, 1);
	/* Asynchronous flushers' steps (clfs_flush_work()): cache flushes. */
	log->flush_wq = alloc_workqueue("clfs_flush",
					WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	if (!log->meta || !log->scratch || !log->meta_buf || !log->conts ||
	    !log->wq || !log->seal_wq || !log->flush_wq) {
		clfs_log_free(log);
		return NULL;
	}
	return log;
}

/* A new log object with its base device open, named after it. */
static int clfs_log_start(const struct clfs_devref *ref,
			  struct clfs_log **logp)
{
	struct clfs_log *log = clfs_log_alloc();
	struct clfs_dev *dev;
	bool opened;

	if (!log)
		return -ENOMEM;
	mutex_lock(&log->lock);
	dev = clfs_dev_get(log, ref, &opened);
	mutex_unlock(&log->lock);
	if (IS_ERR(dev)) {
		clfs_log_free(log);
		return PTR_ERR(dev);
	}
	log->base = dev;
	snprintf(log->name, sizeof(log->name), "%pg", dev->cb.bdev);
	*logp = log;
	return 0;
}

static bool clfs_create_params_ok(const struct clfs_create_params *p,
				  u32 io_unit)
{
	return p->block_size >= CLFS_BLOCK_SIZE_MIN &&
	       p->block_size <= CLFS_BLOCK_SIZE_MAX &&
	       IS_ALIGNED(p->block_size, io_unit) &&
	       p->container_size >= CLFS_CONTAINER_ALIGN &&
	       p->container_size <= CLFS_CONTAINER_MAX_SIZE &&
	       IS_ALIGNED(p->container_size, CLFS_CONTAINER_ALIGN) &&
	       p->block_size <= p->container_size - CLFS_BLOCKS_START &&
	       p->n_containers <= CLFS_MAX_CONTAINERS &&
	       !(p->flags & ~CLFS_CREATE_MULTIPLEXED);
}

static int clfs_log_make(const struct clfs_devref *ref,
			 const struct clfs_create_params *p,
			 struct clfs_log **logp)
{
	struct clfs_meta_info *mi;
	struct clfs_log *log;
	u64 need;
	u32 i;
	int ret;

	ret = clfs_log_start(ref, &log);
	if (ret)
		return ret;
	log->io_unit = max_t(u32, CLFS_IO_UNIT_MIN, log->base->lbs);
	if (!clfs_create_params_ok(p, log->io_unit)) {
		ret = -EINVAL;
		goto out_free_log;
	}
	need = CLFS_CONTAINERS_START + (u64)p->n_containers * p->container_size;
	if (log->base->bytes < need) {
		ret = -ENOSPC;
		goto out_free_log;
	}

	mi = log->meta;
	do {
		get_random_bytes(mi->uuid, sizeof(mi->uuid));
	} while (clfs_uuid_is_zero(mi->uuid));
	mi->io_unit = log->io_unit;
	mi->block_size = p->block_size;
	mi->container_size = p->container_size;
	mi->base_lsn = CLFS_LSN_NULL;
	mi->archive_tail = CLFS_LSN_INVALID;
	mi->restart_lsn = CLFS_LSN_INVALID;
	mi->end_lsn = CLFS_LSN_INVALID;
	mi->n_containers = p->n_containers;
	mi->next_logical = p->n_containers;
	if (p->flags & CLFS_CREATE_MULTIPLEXED) {
		mi->flags = CLFS_META_MULTIPLEXED;
		mi->next_stream = 1;
	}
	ret = clfs_streams_load(log);
	if (ret)
		goto out_free_log;
	for (i = 0; i < p->n_containers; i++) {
		mi->containers[i].physical_id = i;
		mi->containers[i].logical_id = i;
		mi->containers[i].state = CLFS_CONT_ACTIVE;
		mi->containers[i].dev_offset = CLFS_CONTAINERS_START +
					       (u64)i * p->container_size;
	}
	log->seed = clfs_seed(mi->uuid);
	for (i = 0; i < p->n_containers; i++) {
		ret = clfs_cont_attach(log, i, log->base);
		if (ret)
			goto out_free_log;
		log->n_conts++;
		ret = clfs_cont_write_header(log, &mi->containers[i],
					     log->base, 0);
		if (ret)
			goto out_free_log;
	}

	/* Copy A gets generation 1, then copy B generation 2. */
	log->meta_copy = 1;
	mutex_lock(&log->lock);
	clfs_meta_prepare(log);
	ret = clfs_meta_commit(log);
	if (!ret) {
		clfs_meta_prepare(log);
		ret = clfs_meta_commit(log);
	}
	mutex_unlock(&log->lock);
	if (ret)
		goto out_free_log;
	log->next_seq = 1;
	log->armed = true;
	clfs_log_info(log, "created: %u containers of %llu bytes, block size %u, uuid %pU",
		      p->n_containers, p->container_size, p->block_size,
		      log->meta->uuid);
	*logp = log;
	return 0;

out_free_log:
	clfs_log_free(log);
	return ret;
}

static int clfs_log_create_ref(dev_t devt, const struct clfs_create_params *p,
			       struct clfs_log **logp)
{
	struct clfs_devref ref = { .devt = devt };
	struct clfs_log *log;
	int ret;

	if (!p || !logp)
		return -EINVAL;
	ret = clfs_reg_get(devt, true, &log);
	if (ret)
		return ret;
	ret = clfs_log_make(&ref, p, &log);
	clfs_reg_set(devt, ret ? NULL : log);
	if (!ret)
		*logp = log;
	return ret;
}

/**
 * clfs_log_create() - create a new log on a block device
 * @path: the base device; everything on it is overwritten
 * @p: the log's geometry
 * @logp: receives the open log
 *
 * Writes a new log with @p->n_containers containers carved from @path
 * (more can be added later, also on other devices).  The device stays
 * open, exclusively, until clfs_log_close().
 *
 * Context: process context; sleeps.
 * Return: 0; -EINVAL (bad geometry); -ENOSPC (device too small for the
 * metadata area and the containers); -EBUSY (device in use, also by a
 * log open on it); -ENOENT or -ENOTBLK (bad path); -EIO (write failed);
 * -ENOMEM; -ERESTARTSYS (a signal while another open or close of the
 * device ran).
 */
int clfs_log_create(const char *path, const struct clfs_create_params *p,
		    struct clfs_log **logp)
{
	dev_t devt;
	int ret;

	might_sleep();
	if (!path)
		return -EINVAL;
	ret = lookup_bdev(path, &devt);
	if (ret)
		return ret;
	return clfs_log_create_ref(devt, p, logp);
}
EXPORT_SYMBOL_GPL(clfs_log_create);

/**
 * clfs_log_create_by_dev() - create a new log on a block device given by
 *	number
 * @devt: the base device
 * @p: the log's geometry
 * @logp: receives the open log
 *
 * As clfs_log_create(); the caller has checked its right to the device.
 *
 * Context: process context; sleeps.
 * Return: as clfs_log_create(), with -ENXIO for no such device.
 */
int clfs_log_create_by_dev(dev_t devt, const struct clfs_create_params *p,
			   struct clfs_log **logp)
{
	might_sleep();
	return clfs_log_create_ref(devt, p, logp);
}
EXPORT_SYMBOL_GPL(clfs_log_create_by_dev);

/*
 * Bind the containers that live on other devices: each given device must
 * carry the header of at least one container of the table.
 */
static int clfs_log_bind(struct clfs_log *log, const char *const *paths,
			 const dev_t *devts, unsigned int n_devices)
{
	struct clfs_meta_info *mi = log->meta;
	struct clfs_devref ref = {};
	struct clfs_dev *dev;
	unsigned int d;
	bool opened;
	u32 i;

	for (d = 0; d < n_devices; d++) {
		bool bound = false;

		if (paths) {
			ref.path = paths[d];
			if (!ref.path)
				return -EINVAL;
		} else {
			ref.devt = devts[d];
		}
		dev = clfs_dev_get(log, &ref, &opened);
		if (IS_ERR(dev))
			return PTR_ERR(dev);
		if (!opened)
			return -EINVAL;
		for (i = 0; i < mi->n_containers && !bound; i++) {
			const struct clfs_container_info *ci = &mi->containers[i];

			if (clfs_uuid_is_zero(ci->dev_uuid) ||
			    clfs_dev_find_uuid(log, ci->dev_uuid))
				continue;
			if (!clfs_cont_check_header(log, ci, dev)) {
				memcpy(dev->uuid, ci->dev_uuid, 16);
				bound = true;
			}
		}
		if (!bound)
			return -EINVAL;
	}
	return 0;
}

/* Check every container header and attach the containers. */
static int clfs_log_attach(struct clfs_log *log)
{
	struct clfs_meta_info *mi = log->meta;
	struct clfs_dev *dev;
	u32 i;
	int ret;

	for (i = 0; i < mi->n_containers; i++) {
		const struct clfs_container_info *ci = &mi->containers[i];

		dev = clfs_dev_find_uuid(log, ci->dev_uuid);
		if (!dev)
			return -ENODEV;
		if (dev->lbs > log->io_unit)
			return -EINVAL;
		ret = clfs_cont_check_header(log, ci, dev);
		if (ret == -EUCLEAN)
			clfs_log_err(log, "container %u (%pg at %llu): header missing, foreign or corrupt, or device too small",
				     ci->physical_id, dev->cb.bdev,
				     ci->dev_offset);
		if (ret)
			return ret;
		ret = clfs_cont_attach(log, i, dev);
		if (ret)
			return ret;
		log->n_conts++;
	}
	return 0;
}

static int clfs_log_load(const struct clfs_devref *ref,
			 const char *const *paths, const dev_t *devts,
			 unsigned int n_devices, struct clfs_log **logp)
{
	struct clfs_log *log;
	int ret;

	ret = clfs_log_start(ref, &log);
	if (ret)
		return ret;
	ret = clfs_meta_read(log);
	if (ret)
		goto out_free_log;
	log->io_unit = log->meta->io_unit;
	log->seed = clfs_seed(log->meta->uuid);
	log->start_lsn = clfs_start_lsn(log->meta);
	if (log->base->lbs > log->io_unit) {
		ret = -EINVAL;
		goto out_free_log;
	}
	ret = clfs_streams_load(log);
	if (ret)
		goto out_free_log;
	mutex_lock(&log->lock);
	ret = clfs_log_bind(log, paths, devts, n_devices);
	mutex_unlock(&log->lock);
	if (ret)
		goto out_free_log;
	ret = clfs_log_attach(log);
	if (ret)
		goto out_free_log;
	ret = clfs_recover(log, &log->recovered_seq);
	if (ret)
		goto out_free_log;
	*logp = log;
	return 0;

out_free_log:
	clfs_log_free(log);
	return ret;
}

/* The device given at @i in a shared open, by number. */
static int clfs_given_devt(const char *const *paths, const dev_t *devts,
			   unsigned int i, dev_t *devt)
{
	if (!paths) {
		*devt = devts[i];
		return 0;
	}
	return paths[i] ? lookup_bdev(paths[i], devt) : -EINVAL;
}

/*
 * A shared open names the other devices as a first open must: each is a
 * device of the log other than its base, none is given twice, and every
 * device holding a container of the log is given, so that each opener
 * proves its right to every device, as the first one did.
 */
static int clfs_log_check_devices(struct clfs_log *log,
				  const char *const *paths, const dev_t *devts,
				  unsigned int n_devices)
{
	dev_t *given = NULL;
	struct clfs_dev *d;
	unsigned int i, j;
	bool found;
	int ret = 0;

	if (n_devices) {
		given = kcalloc(n_devices, sizeof(*given), CLFS_GFP);
		if (!given)
			return -ENOMEM;
	}
	for (i = 0; i < n_devices && !ret; i++) {
		ret = clfs_given_devt(paths, devts, i, &given[i]);
		for (j = 0; j < i && !ret; j++)
			if (given[j] == given[i])
				ret = -EINVAL;
	}
	mutex_lock(&log->lock);
	for (i = 0; i < n_devices && !ret; i++) {
		found = false;
		list_for_each_entry(d, &log->devs, node)
			found |= d != log->base && d->cb.bdev->bd_dev == given[i];
		if (!found)
			ret = -EINVAL;
	}
	for (i = 0; i < log->n_conts && !ret; i++) {
		d = log->conts[i]->dev;
		found = d == log->base;
		for (j = 0; j < n_devices && !found; j++)
			found = d->cb.bdev->bd_dev == given[j];
		if (!found)
			ret = -ENODEV;
	}
	mutex_unlock(&log->lock);
	kfree(given);
	return ret;
}

static int clfs_log_open_ref(dev_t devt, const char *const *paths,
			     const dev_t *devts, unsigned int n_devices,
			     struct clfs_log **logp)
{
	struct clfs_devref ref = { .devt = devt };
	struct clfs_log *log;
	int ret;

	if (!logp || (n_devices && !paths && !devts) ||
	    n_devices > CLFS_MAX_CONTAINERS)
		return -EINVAL;
	ret = clfs_reg_get(devt, false, &log);
	if (ret)
		return ret;
	if (log) {
		ret = clfs_log_check_devices(log, paths, devts, n_devices);
		if (ret) {
			clfs_log_close(log);
			return ret;
		}
		*logp = log;
		return 0;
	}
	ret = clfs_log_load(&ref, paths, devts, n_devices, &log);
	clfs_reg_set(devt, ret ? NULL : log);
	if (!ret)
		*logp = log;
	return ret;
}

/**
 * clfs_log_open() - open an existing log and recover it, or share it
 * @path: the log's base device
 * @devices: the other devices that hold containers of the log (any
 *	order), or NULL
 * @n_devices: entries in @devices
 * @logp: receives the open log
 *
 * When the log is open already (from user space or another in-kernel
 * client), @logp receives that same log, and this call counts as one
 * more opener: each opener calls clfs_log_close() once, after deleting
 * the marshalling areas and terminating the read contexts it made.
 * @devices must then name the log's devices as a first open must, though
 * nothing is read again.  Open writes nothing to the devices: the first
 * marshalling area does.
 *
 * Context: process context; sleeps.
 * Return: 0; -EUCLEAN (no valid metadata, a log of format v2, a container
 * header that does not match, or a corrupt table); -ENODEV (a device holding containers
 * was not given); -EINVAL (bad arguments, a device given twice or holding
 * no container of the log); -EBUSY (a device in use by something else
 * than this log); -ENOENT or -ENOTBLK (bad path); -EIO; -ENOMEM; -EINTR
 * (a fatal signal stopped recovery); -ERESTARTSYS (a signal came while
 * another open or close of the log ran).
 */
int clfs_log_open(const char *path, const char *const *devices,
		  unsigned int n_devices, struct clfs_log **logp)
{
	dev_t devt;
	int ret;

	might_sleep();
	if (!path || (n_devices && !devices))
		return -EINVAL;
	ret = lookup_bdev(path, &devt);
	if (ret)
		return ret;
	return clfs_log_open_ref(devt, devices, NULL, n_devices, logp);
}
EXPORT_SYMBOL_GPL(clfs_log_open);

/**
 * clfs_log_open_by_dev() - open an existing log given by device numbers
 * @devt: the log's base device
 * @devices: the other devices that hold containers of the log, or NULL
 * @n_devices: entries in @devices
 * @logp: receives the open log
 *
 * As clfs_log_open(); the caller has checked its right to the devices.
 *
 * Context: process context; sleeps.
 * Return: as clfs_log_open(), with -ENXIO for no such device.
 */
int clfs_log_open_by_dev(dev_t devt, const dev_t *devices,
			 unsigned int n_devices, struct clfs_log **logp)
{
	might_sleep();
	if (n_devices && !devices)
		return -EINVAL;
	return clfs_log_open_ref(devt, NULL, devices, n_devices, logp);
}
EXPORT_SYMBOL_GPL(clfs_log_open_by_dev);

/**
 * clfs_log_close() - drop one opener of a log; the last one closes it
 * @log: the log
 *
 * While other openers remain, this only counts one fewer.  The last
 * close deletes the marshalling areas left (flushing every appended
 * record), notes in the metadata where the log ends, then releases the
 * devices and all memory.
 *
 * Context: process context; sleeps.
 * Return: 0; -EBUSY (the last opener, with read contexts or streams
 * still open: nothing was done); -EIO (the final flush failed: records not yet
 * durable may be lost; the log is closed all the same).
 */
int clfs_log_close(struct clfs_log *log)
{
	struct clfs_reg *reg;
	int ret = 0;

	might_sleep();
	if (!log)
		return -EINVAL;
	if (!clfs_reg_put(log))
		return 0;
	if (atomic_read(&log->readers) || clfs_streams_busy(log)) {
		clfs_reg_undo_put(log);
		return -EBUSY;
	}
	ret = clfs_marshal_delete_all(log);
	flush_workqueue(log->wq);
	if (!ret)
		clfs_recover_close(log);
	reg = log->reg;
	clfs_log_free(log);
	clfs_reg_gone(reg);
	return ret;
}
EXPORT_SYMBOL_GPL(clfs_log_close);

static u64 clfs_or_invalid(u64 lsn)
{
	return lsn ? lsn : CLFS_LSN_INVALID;
}

/*
 * A multiplexed log's stream count and the stream whose start is the
 * log's start (0: none), with log->lock held.
 */
static void clfs_query_streams(struct clfs_log *log,
			       struct clfs_log_info *info)
{
	const struct clfs_meta_info *mi = log->meta;
	u64 start = clfs_start_lsn(mi);
	u32 i;

	lockdep_assert_held(&log->lock);
	info->n_streams = mi->n_streams;
	for (i = 0; i < mi->n_streams; i++)
		if (clfs_stream_start(&mi->streams[i]) == start) {
			info->pin_stream = mi->streams[i].id;
			break;
		}
}

/* The oldest readable record of @first..@last from @start, or INVALID. */
static u64 clfs_query_first(u64 first, u64 start, u64 last)
{
	if (first == CLFS_LSN_INVALID)
		return first;
	first = max(first, start);
	return first > last ? CLFS_LSN_INVALID : first;
}

/* Describe @log, and stream @st of it (NULL: the log itself). */
static int clfs_query(struct clfs_log *log, struct clfs_stream *st,
		      struct clfs_log_info *info)
{
	struct clfs_stats *s;
	struct clfs_cont *c;
	u32 i;

	might_sleep();
	if (!log || !info)
		return -EINVAL;
	s = &log->stats;
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	mutex_lock(&log->lock);
	memcpy(info->uuid, log->meta->uuid, 16);
	info->io_unit = log->io_unit;
	info->block_size = log->meta->block_size;
	info->n_containers = log->meta->n_containers;
	info->container_size = log->meta->container_size;
	info->generation = log->meta->generation;
	info->seq_floor = log->meta->seq_floor;
	info->base_lsn = log->meta->base_lsn;
	info->archive_tail = log->meta->archive_tail;
	info->restart_lsn = log->meta->restart_lsn;
	if (log->multiplexed) {
		info->flags |= CLFS_INFO_MULTIPLEXED;
		clfs_query_streams(log, info);
	}
	if (st) {
		info->stream_id = st->id;
		clfs_tail_get_locked(st, &info->base_lsn, &info->archive_tail,
				     &info->restart_lsn);
	}
	info->total_bytes = (u64)log->n_conts *
			    (log->meta->container_size - CLFS_BLOCKS_START);
	mutex_lock(&log->io_mutex);
	info->free_bytes = clfs_space_free(log);
	info->reserved_bytes = log->rsv_bytes;
	info->reserved_records = log->rsv_records;
	c = log->prev_lsn == CLFS_LSN_INVALID ? NULL :
	    clfs_cont_by_logical(log, clfs_lsn_container(log->prev_lsn));
	for (i = 0; i < log->n_conts; i++)
		if (!c || log->conts[i]->logical_id >= c->logical_id)
			info->n_writable++;
	info->first_lsn = clfs_query_first(log->first_lsn, log->start_lsn,
					   log->last_lsn);
	info->last_lsn = log->last_lsn;
	if (st && st->id) {
		info->first_lsn = clfs_query_first(st->first_lsn, st->start,
						   st->last_lsn);
		info->last_lsn = st->last_lsn;
	}
	/* With io_mutex held no append runs: flushed <= last. */
	spin_lock_irq(&log->io_lock);
	info->flushed_lsn = clfs_or_invalid(log->durable_lsn);
	/* A stream's: its records up to it are durable, none past its last. */
	if (st && st->id && info->flushed_lsn != CLFS_LSN_INVALID)
		info->flushed_lsn = st->last_lsn == CLFS_LSN_INVALID ?
				    CLFS_LSN_INVALID :
				    min(info->flushed_lsn, st->last_lsn);
	if (log->error)
		info->flags |= CLFS_INFO_SHUTDOWN;
	spin_unlock_irq(&log->io_lock);
	mutex_unlock(&log->io_mutex);
	mutex_unlock(&log->lock);
	info->appends = atomic64_read(&s->appends);
	info->append_bytes = atomic64_read(&s->append_bytes);
	info->blocks_written = atomic64_read(&s->blocks_written);
	info->block_bytes = atomic64_read(&s->block_bytes);
	info->meta_bytes = atomic64_read(&s->meta_bytes);
	info->dev_writes = atomic64_read(&s->dev_writes);
	info->flushes = atomic64_read(&s->flushes);
	info->flush_writes = atomic64_read(&s->flush_writes);
	info->cache_flushes = atomic64_read(&s->cache_flushes);
	info->meta_writes = atomic64_read(&s->meta_writes);
	info->reads = atomic64_read(&s->reads);
	return 0;
}

/**
 * clfs_log_query() - describe a log
 * @log: the log
 * @info: filled in (every field; @info->size is set to its size); for a
 *	multiplexed log the tails and restart LSN are none (its streams
 *	have them), and @first_lsn and @last_lsn span all its streams
 *
 * Context: process context; sleeps.
 * Return: 0, or -EINVAL.
 */
int clfs_log_query(struct clfs_log *log, struct clfs_log_info *info)
{
	return clfs_query(log, NULL, info);
}
EXPORT_SYMBOL_GPL(clfs_log_query);

/**
 * clfs_log_dedicated_stream() - a dedicated log's one stream
 * @log: an open log
 *
 * The stream calls (clfs_stream_*()) on it are the log's own calls; it
 * needs no clfs_stream_open() and stays valid while the log is open.
 *
 * Return: the stream, or NULL for a multiplexed log (open one of its
 * streams by name).
 */
struct clfs_stream *clfs_log_dedicated_stream(struct clfs_log *log)
{
	return clfs_log_stream(log);
}
EXPORT_SYMBOL_GPL(clfs_log_dedicated_stream);

/**
 * clfs_stream_query() - describe a stream and its log
 * @st: an open stream
 * @info: as clfs_log_query(), with the stream's id, tails, restart LSN,
 *	oldest readable record and last record
 *
 * Context: process context; sleeps.
 * Return: 0, or -EINVAL.
 */
int clfs_stream_query(struct clfs_stream *st, struct clfs_log_info *info)
{
	if (!st)
		return -EINVAL;
	return clfs_query(st->log, st, info);
}
EXPORT_SYMBOL_GPL(clfs_stream_query);
